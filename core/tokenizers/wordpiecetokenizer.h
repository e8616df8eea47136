#pragma once
// BERT's WordPiece: the normalizer steps tokenizer.json puts first (a Unicode form, Lowercase,
// StripAccents), BertNormalizer (clean text, space around CJK ideographs, strip accents,
// lowercase), BertPreTokenizer (split on whitespace and punctuation) and greedy longest-match-first
// pieces with "##" continuations. Spans point into the original text.

#include "tokenizers/addedtokens.h"
#include "tokenizers/postprocessor.h"
#include "tokenizers/textnormalizer.h"
#include "tokenizers/tokenizer.h"

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace attnviz {

class WordPieceTokenizer : public Tokenizer
{
public:
    struct Options
    {
        bool cleanText = true;
        bool handleChineseChars = true;
        bool stripAccents = true;
        bool lowercase = true;
        std::string unkToken = "[UNK]";
        std::string prefix = "##";
        int maxCharsPerWord = 100;
        TextNormalizer normalizer; // steps before the BERT ones (a Unicode form, Lowercase, StripAccents)
    };

    // Throws TokenizerError when the unknown token is not in the vocabulary.
    WordPieceTokenizer(const std::vector<std::pair<std::string, int>>& vocab, Options options, AddedTokens added,
                       PostProcessor post);

    std::vector<Token> encode(std::string_view text, int segment = 0) const override;
    std::vector<Token> encodeForModel(std::string_view text,
                                      std::optional<std::string_view> second = std::nullopt) const override;
    std::string decode(const std::vector<int>& ids) const override;
    Token tokenForId(int id) const override;
    int vocabSize() const override { return static_cast<int>(m_pieces.size()); }
    std::optional<int> idOf(std::string_view piece) const override;

private:
    // A pre-tokenised word: normalised characters, each with the byte span of the original
    // character it came from.
    struct Word
    {
        std::u32string chars;
        std::vector<std::pair<int, int>> spans;
    };

    std::vector<Word> preTokenize(const AlignedText& text) const;
    void wordPieces(const Word& word, int segment, std::vector<Token>& out) const;
    int lookup(const std::string& piece) const;

    std::unordered_map<std::string, int> m_vocab;
    std::vector<std::string> m_pieces; // by id
    Options m_options;
    AddedTokens m_added;
    PostProcessor m_post;
    int m_unkId = -1;
};

} // namespace attnviz
