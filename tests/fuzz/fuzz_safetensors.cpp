// A safetensors file (header length, JSON header, tensor table, data): it opens or throws
// ModelLoadError, and every tensor it lists can be read as floats within the file.
#include "engine/attentionmodel.h"
#include "fuzzutil.h"
#include "models/safetensors.h"
#include "models/weightarchive.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace attnviz;
    const std::string path = fuzz::writeScratch("model.safetensors", fuzz::asText(data, size));
    try {
        const WeightArchive archive = WeightArchive::openFile(path);
        for (const std::string& name : archive.names()) {
            const TensorInfo& info = archive.info(name);
            if (info.end < info.begin || info.end > size) std::abort(); // validated against the file
            try {
                (void)archive.floats(name, info.shape);
            } catch (const ModelLoadError&) {
                // integer dtypes and the like are refused by name
            }
        }
    } catch (const ModelLoadError&) {
    }
    return 0;
}
