// A llama2.c checkpoint (7 int32 header fields, then float32 tensors): it loads or throws
// ModelLoadError; a loaded network generates one token.
#include "engine/attentionmodel.h"
#include "fuzzutil.h"
#include "models/llama2c.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace attnviz;
    const std::string path = fuzz::writeScratch("model.bin", fuzz::asText(data, size));
    try {
        const auto network = loadLlama2cNetwork(path);
        (void)network->generateGreedy({1}, 1, nullptr); // one step through every layer
    } catch (const ModelLoadError&) {
    } catch (const InputError&) {
    }
    return 0;
}
