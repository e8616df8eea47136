// A GGUF file (header, typed metadata, tensor table, data): it opens or throws ModelLoadError;
// whatever opens has every metadata value readable through its typed getters and every tensor's
// bytes inside the input, and the float tensors read as floats. Its tokenizer metadata builds a
// tokenizer or throws ModelLoadError, and a tokenizer that builds encodes and decodes a text.
#include "base/modelloaderror.h"
#include "fuzzutil.h"
#include "models/gguffile.h"
#include "models/gguftokenizer.h"
#include "tokenizers/tokenizer.h"

#include <cstdlib>

namespace {

// Reads every scalar, string and element of `v` (recursively), so the sanitisers see each access.
std::uint64_t touch(const attnviz::GgufValue& v)
{
    using attnviz::GgufKind;
    std::uint64_t sum = 0;
    switch (v.kind()) {
    case GgufKind::String:
        for (char c : v.asString())
            sum += static_cast<unsigned char>(c);
        break;
    case GgufKind::Bool:
        sum += v.asBool() ? 1 : 0;
        break;
    case GgufKind::Array:
        for (std::size_t i = 0; i < v.size(); ++i)
            sum += touch(v.element(i));
        (void)v.kindText();
        break;
    default:
        if (v.isFloat()) {
            sum += v.asDouble() > 0 ? 1 : 0;
        } else if (v.isNegative()) {
            sum += static_cast<std::uint64_t>(v.asSigned());
        } else {
            sum += v.asUnsigned();
            (void)v.asDouble();
        }
        break;
    }
    return sum;
}

template <class F>
void mayRefuse(F&& f)
{
    try {
        f();
    } catch (const attnviz::ModelLoadError&) {
        // a getter of the wrong kind, or an integer outside int64
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace attnviz;
    try {
        const GgufFile file("fuzz.gguf", {data, size});
        volatile std::uint64_t sink = 0;
        for (const std::string& key : file.keys()) {
            const GgufValue* v = file.value(key);
            if (v == nullptr) std::abort();
            sink = sink + touch(*v);
            mayRefuse([&] { (void)file.string(key); });
            mayRefuse([&] { (void)file.unsignedInteger(key); });
            mayRefuse([&] { (void)file.number(key); });
            mayRefuse([&] { (void)file.boolean(key); });
            mayRefuse([&] { (void)file.stringArray(key); });
            mayRefuse([&] { (void)file.numberArray(key); });
            mayRefuse([&] { (void)file.integerArray(key); });
        }
        if (file.tensorOrder().size() != file.tensors().size()) std::abort();
        for (const auto& [name, info] : file.tensors()) {
            if (info.begin > info.end || info.end > size) std::abort(); // validated against the input
            const std::span<const std::uint8_t> bytes = file.tensorBytes(info);
            if (bytes.size() != info.end - info.begin) std::abort();
            std::uint64_t sum = 0;
            for (std::uint8_t b : bytes)
                sum += b;
            sink = sink + sum;
            (void)file.ggmlType(info);
            if (info.dtype == "F32" || info.dtype == "F16" || info.dtype == "BF16") {
                if (file.readFloats(info).size() != static_cast<std::size_t>(info.elements())) std::abort();
            }
        }
        try {
            const std::unique_ptr<Tokenizer> tok = tokenizerFromGguf(file);
            std::vector<int> ids;
            for (const Token& t : tok->encodeForModel("Hello w\xc3\xb6rld <s> [INST] 123 \xf0\x9f\x99\x82", "b"))
                ids.push_back(t.id);
            (void)tok->decode(ids);
        } catch (const ModelLoadError&) {
        } catch (const TokenizerError&) {
        }
    } catch (const ModelLoadError&) {
    }
    return 0;
}
