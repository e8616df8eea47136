// tokenizer.json loading (BPE, WordPiece, pre-tokenizers, normalizers, post-processors, added
// tokens): a tokenizer is built or TokenizerError is thrown; a built one encodes and decodes.
#include "fuzzutil.h"
#include "tokenizers/tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace attnviz;
    const std::string path = fuzz::writeScratch("tokenizer.json", fuzz::asText(data, size));
    try {
        const auto tokenizer = loadTokenizerJson(path);
        std::vector<int> ids;
        for (const Token& t : tokenizer->encodeForModel("Hello, wörld! 猫 ", std::string_view("b"))) {
            ids.push_back(t.id);
        }
        (void)tokenizer->decode(ids);
    } catch (const TokenizerError&) {
    }
    return 0;
}
