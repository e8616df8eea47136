// SentencePiece .model files: the protobuf reader and the (Unigram or BPE) tokenizer built from it, plus fuzzed
// text through the real ALBERT spiece.model and T5 tokenizer.json of the shared fixtures. Input:
// one byte choosing the layout (family and config flags), the .model bytes, the separator, then
// the text. A model loads or throws TokenizerError; a loaded one encodes to ids inside its
// vocabulary and decodes them.
#include "fuzzutil.h"
#include "tokenizers/sentencepiecemodel.h"
#include "tokenizers/tokenizer.h"

#include <memory>

namespace {

const std::vector<std::unique_ptr<attnviz::Tokenizer>>& realTokenizers()
{
    static const auto all = [] {
        const std::string root = attnviz::fuzz::sharedFixtures() + "/tokenizers/";
        std::vector<std::unique_ptr<attnviz::Tokenizer>> t;
        t.push_back(attnviz::loadTokenizerFromFolder(root + "albert"));
        t.push_back(attnviz::loadTokenizerJson(root + "t5/tokenizer.json"));
        return t;
    }();
    return all;
}

void roundTrip(const attnviz::Tokenizer& tokenizer, std::string_view text)
{
    std::vector<int> ids;
    for (const attnviz::Token& t : tokenizer.encodeForModel(text, text.substr(0, text.size() / 2))) {
        if (t.id < 0 || t.id >= tokenizer.vocabSize()) std::abort();
        ids.push_back(t.id);
    }
    (void)tokenizer.decode(ids);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace attnviz;
    if (size == 0) return 0;
    const std::vector<std::string_view> parts = fuzz::splitParts(fuzz::asText(data + 1, size - 1), 2);
    // Longer texts add time, not paths: the rest of a mutated .model seed would otherwise be
    // tokenised as a megabyte of text on every run.
    const std::string_view text =
        parts.size() > 1 ? parts[1].substr(0, 2048) : std::string_view("Hello, wörld! ﬁ 猫");
    SentencePieceLayout layout;
    layout.family = static_cast<SentencePieceLayout::Family>(data[0] % 5); // 3: T5, 4: Llama (BPE)
    layout.lowercase = (data[0] & 0x10) != 0;
    layout.keepAccents = (data[0] & 0x20) != 0;
    layout.removeSpace = layout.legacy = (data[0] & 0x40) != 0;
    layout.addEos = (data[0] & 0x80) != 0;
    try {
        const auto tokenizer = tokenizerFromSentencePiece(parseSentencePieceModel(parts[0]), layout);
        roundTrip(*tokenizer, text);
    } catch (const TokenizerError&) {
    }
    for (const auto& tokenizer : realTokenizers())
        roundTrip(*tokenizer, text);
    return 0;
}
