#pragma once
// SentencePiece Unigram tokenizers (T5, ALBERT, XLM-RoBERTa, CamemBERT): added tokens matched in
// the raw text, the normalizer steps, the pre-tokenizer (WhitespaceSplit and/or Metaspace), the
// Unigram model on each word, then the post-processor's special tokens.

#include "tokenizers/addedtokens.h"
#include "tokenizers/postprocessor.h"
#include "tokenizers/textnormalizer.h"
#include "tokenizers/tokenizer.h"
#include "tokenizers/unigrammodel.h"

#include <string>
#include <vector>

namespace attnviz {

class UnigramTokenizer : public Tokenizer
{
public:
    enum class Prepend {
        Never,
        First,  // only before the first word of the input
        Always, // before every word that does not start with "▁"
    };

    struct Options
    {
        bool whitespaceSplit = false; // WhitespaceSplit pre-tokenizer: words between whitespace
        bool metaspace = true;        // Metaspace pre-tokenizer: " " -> "▁"
        Prepend prepend = Prepend::Always;
        bool splitOnMetaspace = true;   // each word starts at a "▁"
        bool decodeStripLeading = true; // the Metaspace decoder drops the first token's leading space
    };

    UnigramTokenizer(UnigramModel model, TextNormalizer normalizer, Options options, AddedTokens added,
                     PostProcessor post);

    std::vector<Token> encode(std::string_view text, int segment = 0) const override;
    std::vector<Token> encodeForModel(std::string_view text,
                                      std::optional<std::string_view> second = std::nullopt) const override;
    std::string decode(const std::vector<int>& ids) const override;
    Token tokenForId(int id) const override;
    int vocabSize() const override;
    std::optional<int> idOf(std::string_view piece) const override;

private:
    void encodePlain(std::string_view text, std::size_t offset, int segment, std::vector<Token>& out,
                     std::vector<std::string>& bytes) const;
    std::vector<AlignedText> words(const AlignedText& normalized, bool atStart) const;
    const std::string& pieceOf(int id) const;
    std::string bytesOf(int id) const; // a piece with "▁" as " ", the byte of "<0xNN>"
    bool isBytePiece(int id) const;    // "<0xNN>" of byte fallback

    UnigramModel m_model;
    TextNormalizer m_normalizer;
    Options m_options;
    AddedTokens m_added;
    PostProcessor m_post;
};

} // namespace attnviz
