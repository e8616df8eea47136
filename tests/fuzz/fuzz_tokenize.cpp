// Fuzzed text through the real GPT-2 (encoder.json + vocab.bpe) and bert-base-uncased
// (tokenizer.json) tokenizers from the shared fixtures: every byte string encodes (invalid UTF-8
// included), ids stay in the vocabulary, and decoding them does not fail.
#include "fuzzutil.h"
#include "tokenizers/tokenizer.h"

#include <memory>

namespace {

const std::vector<std::unique_ptr<attnviz::Tokenizer>>& tokenizers()
{
    static const auto all = [] {
        const std::string root = attnviz::fuzz::sharedFixtures() + "/tokenizers/";
        std::vector<std::unique_ptr<attnviz::Tokenizer>> t;
        t.push_back(attnviz::loadGpt2Tokenizer(root + "gpt2/encoder.json", root + "gpt2/vocab.bpe"));
        t.push_back(attnviz::loadTokenizerJson(root + "bert-base-uncased/tokenizer.json"));
        return t;
    }();
    return all;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace attnviz;
    const std::string_view text = fuzz::asText(data, size);
    for (const auto& tokenizer : tokenizers()) {
        std::vector<int> ids;
        for (const Token& t : tokenizer->encodeForModel(text)) {
            if (t.id < 0 || t.id >= tokenizer->vocabSize()) std::abort();
            ids.push_back(t.id);
        }
        (void)tokenizer->decode(ids);
    }
    return 0;
}
