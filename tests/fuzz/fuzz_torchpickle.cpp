// A torch.save checkpoint (zip directory, data.pkl through the restricted pickle reader, storage
// views): it opens or throws ModelLoadError, and every tensor it lists lies within the input. The
// same bytes also go to the pickle reader directly, so mutations reach it without a zip around.
#include "base/modelloaderror.h"
#include "fuzzutil.h"
#include "models/torchfile.h"
#include "models/torchpickle.h"

#include <span>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace attnviz;
    const std::span<const std::uint8_t> bytes(data, size);
    try {
        const TorchFile file("pytorch_model.bin", bytes);
        for (const auto& [name, info] : file.tensors()) {
            if (info.end < info.begin || info.end > size)
                std::abort(); // validated against the input
            try {
                (void)file.readFloats(info);
            } catch (const ModelLoadError&) {
                // integer dtypes are refused by name
            }
        }
    } catch (const ModelLoadError&) {
    }
    try {
        const PickledState state = readStateDictPickle(bytes, "data.pkl");
        for (const PickledTensor& t : state.tensors) {
            if (t.storage >= state.storages.size() || t.sizes.size() != t.strides.size())
                std::abort();
        }
    } catch (const ModelLoadError&) {
    }
    return 0;
}
