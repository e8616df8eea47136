#pragma once
// SentencePiece-style BPE as Llama-family tokenizer.json files describe it: spaces become "▁",
// a "▁" is prepended, merges by rank run over characters, and characters missing from the
// vocabulary fall back to byte tokens "<0xNN>".

#include "tokenizers/addedtokens.h"
#include "tokenizers/bpemodel.h"
#include "tokenizers/postprocessor.h"
#include "tokenizers/textnormalizer.h"
#include "tokenizers/tokenizer.h"
#include "tokenizers/wordcache.h"

#include <array>
#include <string>
#include <vector>

namespace attnviz {

class SentencePieceBpeTokenizer : public Tokenizer
{
public:
    enum class Prepend {
        Never,
        First,  // only before the text at the very start of the input (Metaspace "first")
        Always, // before every piece of text between added tokens (Prepend normalizer)
    };

    struct Options
    {
        Prepend prepend = Prepend::Always;
        bool splitOnMetaspace = false; // Metaspace pre-tokenizer with split: each word starts at "▁"
        bool prependUnlessMetaspace = false; // Metaspace: no "▁" in front of text that starts with one
        bool byteFallback = true;
        bool fuseUnk = false;
        bool ignoreMerges = false;      // a word that is a whole piece is not merged
        std::string unkToken;           // may be empty
        int decodeStripLeading = 1;     // leading spaces the decoder removes
        TextNormalizer normalizer;      // runs first (the Unicode forms of tokenizer.json's normalizer)
    };

    SentencePieceBpeTokenizer(BpeModel model, Options options, AddedTokens added, PostProcessor post);

    std::vector<Token> encode(std::string_view text, int segment = 0) const override;
    std::vector<Token> encodeForModel(std::string_view text,
                                      std::optional<std::string_view> second = std::nullopt) const override;
    std::string decode(const std::vector<int>& ids) const override;
    Token tokenForId(int id) const override;
    int vocabSize() const override { return m_model.size(); }
    std::optional<int> idOf(std::string_view piece) const override;

private:
    void encodePlain(std::string_view text, std::size_t offset, bool atStart, int segment, std::vector<Token>& out,
                     std::vector<std::string>& bytes) const;
    WordCache::Symbols wordSymbols(std::string_view word) const;
    // Raw text of a piece: the byte of "<0xNN>", otherwise the piece with "▁" as " ".
    std::string bytesOf(int id) const;
    int byteOf(int id) const; // 0..255 for "<0xNN>" pieces, else -1

    BpeModel m_model;
    Options m_options;
    AddedTokens m_added;
    PostProcessor m_post;
    int m_unkId = -1;
    std::array<int, 256> m_byteIds{}; // id of "<0xNN>", -1 when missing
    WordCache m_cache;
};

} // namespace attnviz
