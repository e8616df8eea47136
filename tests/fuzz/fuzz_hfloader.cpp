// A Hugging Face folder made from the input: config.json, model.safetensors and tokenizer.json,
// separated by fuzz::Separator. Opening it either fails with ModelLoadError or gives a model that
// runs a short input.
#include "engine/attentionmodel.h"
#include "fuzzutil.h"
#include "models/hfloader.h"
#include "tokenizers/tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace attnviz;
    const auto parts = fuzz::splitParts(fuzz::asText(data, size), 3);
    const char* names[] = {"config.json", "model.safetensors", "tokenizer.json"};
    for (std::size_t i = 0; i < 3; ++i) {
        if (i < parts.size()) {
            fuzz::writeScratch(names[i], parts[i]);
        } else {
            fuzz::removeScratch(names[i]);
        }
    }
    try {
        const auto model = openHuggingFaceFolder(fuzz::scratchDir());
        RunRequest request;
        request.text = "a b";
        request.ids = std::vector<int>{0, 1};
        (void)model->run(request);
    } catch (const ModelLoadError&) {
    } catch (const InputError&) {
    } catch (const TokenizerError&) {
    }
    return 0;
}
