// An attention file (docs/attention-file.md): it opens or throws ModelLoadError, and a run of what
// opened gives maps of the shape the file declared, every weight in [0, 1].
#include "fuzzutil.h"
#include "models/attentionfile.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace attnviz;
    const std::string path = fuzz::writeScratch("input.attention.safetensors", fuzz::asText(data, size));
    try {
        const auto model = openAttentionFile(path);
        const auto result = model->run(RunRequest{});
        for (const AttentionStack& s : result->stacks) {
            const AttentionTensor& a = s.attention;
            if (a.data.size() != static_cast<std::size_t>(a.heldHeads()) * a.queries * a.keys) std::abort();
            for (const float w : a.data)
                if (!(w >= -1e-3f && w <= 1.001f)) std::abort(); // validated at open
        }
    } catch (const ModelLoadError&) {
    }
    return 0;
}
