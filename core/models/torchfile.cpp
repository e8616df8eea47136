#include "models/torchfile.h"

#include "base/modelloaderror.h"
#include "models/torchpickle.h"
#include "models/zipdirectory.h"
#include "util/lfspointer.h"
#include "util/messagetext.h"

#include <algorithm>

namespace attnviz {

namespace {

constexpr std::uint64_t maxElements = std::uint64_t(1) << 48; // as for safetensors shapes

// The one "<prefix>/data.pkl" at the archive's top level; torch names the prefix after the file.
const ZipEntry& findPickle(const std::map<std::string, ZipEntry>& entries, const std::string& label,
                           std::string& prefix)
{
    const ZipEntry* found = nullptr;
    for (const auto& [name, entry] : entries) {
        const std::size_t slash = name.find('/');
        if (slash == std::string::npos || name.compare(slash, std::string::npos, "/data.pkl") != 0)
            continue;
        if (found != nullptr)
            throw ModelLoadError(label + ": more than one data.pkl in the archive");
        found = &entry;
        prefix = name.substr(0, slash + 1);
    }
    if (found == nullptr)
        throw ModelLoadError(label + ": a zip archive without <name>/data.pkl; not a torch.save checkpoint");
    if (entries.count(prefix + "constants.pkl") != 0) // its pickle names compiled classes, refused anyway
        throw ModelLoadError(label + ": a TorchScript archive (torch.jit.save), not a state dict; save "
                                     "model.state_dict() with torch.save instead");
    return *found;
}

void checkStored(const ZipEntry& e, const std::string& label)
{
    if (e.flags & 1u)
        throw ModelLoadError(label + ": entry " + quotedForMessage(e.name) + " is encrypted");
    if (e.method != 0 || e.uncompressedSize != e.size)
        throw ModelLoadError(label + ": entry " + quotedForMessage(e.name) + " is compressed (method " +
                             std::to_string(e.method) +
                             "); torch.save stores entries uncompressed, so re-save the "
                             "state dict with torch.save or convert it to safetensors");
}

// Row-major strides of `sizes`, or refuses the view; dims of size 1 may carry any stride.
void checkContiguous(const PickledTensor& t, const std::string& where)
{
    std::int64_t expected = 1;
    for (std::size_t d = t.sizes.size(); d-- > 0;) {
        if (t.sizes[d] != 1 && t.strides[d] != expected)
            throw ModelLoadError(where + " is a non-contiguous view (sizes " + shapeText(t.sizes) + ", strides " +
                                 shapeText(t.strides) + "); save tensor.contiguous() instead");
        expected *= t.sizes[d]; // bounded: the product was checked below 2^48 first
    }
}

} // namespace

TorchFile::TorchFile(const std::string& path) : TensorFile(path)
{
    parse();
}

TorchFile::TorchFile(std::string label, std::span<const std::uint8_t> borrowed) : TensorFile(std::move(label), borrowed)
{
    parse();
}

void TorchFile::parse()
{
    const std::string& label = path();
    const std::span<const std::uint8_t> in = bytes();
    const std::string_view head(reinterpret_cast<const char*>(in.data()), std::min<std::size_t>(in.size(), 200));
    if (const auto lfs = gitLfsPointerMessage(head, label))
        throw ModelLoadError(*lfs);
    if (in.size() >= 2 && in[0] == 0x80 && in[1] <= 5)
        throw ModelLoadError(label + ": the legacy (before PyTorch 1.6) torch.save format is not supported; "
                                     "re-save it with a recent torch.save or convert it to safetensors");
    if (in.size() < 4 || in[0] != 'P' || in[1] != 'K')
        throw ModelLoadError(label + ": not a torch.save checkpoint (no zip signature)");
    const std::map<std::string, ZipEntry> entries = readZipDirectory(in, label);
    std::string prefix;
    const ZipEntry& pkl = findPickle(entries, label, prefix);
    checkStored(pkl, label);
    if (pkl.size > maxPickleBytes)
        throw ModelLoadError(label + ": data.pkl of " + std::to_string(pkl.size) + " bytes exceeds the 64 MB limit");
    if (auto order = entries.find(prefix + "byteorder"); order != entries.end()) {
        checkStored(order->second, label);
        const std::string text(reinterpret_cast<const char*>(in.data()) + order->second.begin,
                               std::min<std::size_t>(order->second.size, 16));
        if (text != "little")
            throw ModelLoadError(label + ": stored in " + quotedForMessage(text) + " byte order; only little-endian");
    }
    const PickledState state = readStateDictPickle(in.subspan(pkl.begin, pkl.size), label + ": " + pkl.name);

    // Each storage must be a stored entry of exactly numel × element size bytes.
    std::vector<const ZipEntry*> storageEntry;
    for (const PickledStorage& s : state.storages) {
        const auto it = entries.find(prefix + "data/" + s.key);
        const std::string where = label + ": storage " + quotedForMessage(s.key);
        if (it == entries.end())
            throw ModelLoadError(where + " has no entry " + quotedForMessage(prefix + "data/" + s.key));
        checkStored(it->second, label);
        const std::uint64_t elementSize = dtypeSize(s.dtype);
        if (s.numel < 0 || static_cast<std::uint64_t>(s.numel) > maxElements ||
            static_cast<std::uint64_t>(s.numel) * elementSize != it->second.size)
            throw ModelLoadError(where + ": " + std::to_string(s.numel) + " elements of " + s.dtype +
                                 " do not match its " + std::to_string(it->second.size) + " bytes");
        storageEntry.push_back(&it->second);
    }
    for (const PickledTensor& t : state.tensors) {
        const std::string where = label + ": tensor " + quotedForMessage(t.name);
        const PickledStorage& s = state.storages[t.storage];
        std::uint64_t count = 1;
        for (std::size_t d = 0; d < t.sizes.size(); ++d) {
            if (t.sizes[d] < 0 || t.strides[d] < 0)
                throw ModelLoadError(where + " has a negative size or stride");
            const auto dim = static_cast<std::uint64_t>(t.sizes[d]);
            if (dim > maxElements || (dim != 0 && count > maxElements / dim))
                throw ModelLoadError(where + ": shape is implausibly large");
            count *= dim;
        }
        if (count != 0) // an empty tensor reads nothing, whatever its strides
            checkContiguous(t, where);
        if (t.offset < 0 || static_cast<std::uint64_t>(t.offset) > static_cast<std::uint64_t>(s.numel) ||
            count > static_cast<std::uint64_t>(s.numel) - static_cast<std::uint64_t>(t.offset))
            throw ModelLoadError(where + ": offset " + std::to_string(t.offset) + " and " + std::to_string(count) +
                                 " elements do not fit its storage of " + std::to_string(s.numel));
        const std::size_t elementSize = dtypeSize(s.dtype);
        TensorInfo info;
        info.name = t.name;
        info.dtype = s.dtype;
        info.shape = t.sizes;
        info.begin = storageEntry[t.storage]->begin + static_cast<std::size_t>(t.offset) * elementSize;
        info.end = info.begin + static_cast<std::size_t>(count) * elementSize;
        m_tensors.emplace(t.name, std::move(info));
    }
}

} // namespace attnviz
