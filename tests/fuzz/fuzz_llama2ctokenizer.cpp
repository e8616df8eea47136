// The llama2.c tokenizer file (max token length, then score, length and bytes per token). The
// first input byte picks the vocabulary size read, the rest is the file. It loads or throws
// TokenizerError; a loaded one encodes and decodes.
#include "fuzzutil.h"
#include "tokenizers/llama2ctokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace attnviz;
    if (size == 0) return 0;
    const int vocabSize = data[0] * 4; // 0 to 1020; 128 reads tok512.bin whole
    const std::string path = fuzz::writeScratch("tokenizer.bin", fuzz::asText(data + 1, size - 1));
    try {
        const Llama2cTokenizer tokenizer(path, vocabSize);
        std::vector<int> ids;
        for (const Token& t : tokenizer.encodeForModel("Once upon a time, ü")) ids.push_back(t.id);
        (void)tokenizer.decode(ids);
    } catch (const TokenizerError&) {
    }
    return 0;
}
