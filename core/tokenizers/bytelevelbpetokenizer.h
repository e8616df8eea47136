#pragma once
// GPT-2 style byte-level BPE: the GPT-2 pre-tokenisation splits text into words, every byte of a
// word becomes one printable stand-in character (bytes_to_unicode, so " " is "Ġ"), and merges by
// rank join them into vocabulary pieces.

#include "tokenizers/addedtokens.h"
#include "tokenizers/bpemodel.h"
#include "tokenizers/bytelevelsplit.h"
#include "tokenizers/postprocessor.h"
#include "tokenizers/regexsplit.h"
#include "tokenizers/textnormalizer.h"
#include "tokenizers/tokenizer.h"
#include "tokenizers/wordcache.h"

#include <array>
#include <memory>
#include <string>
#include <vector>

namespace attnviz {

class ByteLevelBpeTokenizer : public Tokenizer
{
public:
    // How text is cut into words before BPE (see bytelevelsplit.h); None: the text is one word.
    enum class Split { Gpt2, Llama3, Qwen2, None };
    // One stage of a pre-tokenizer Sequence, applied in order to every piece of the one before;
    // Regex: any Split pattern, through the regex engine (PreSplitStage::regex).
    enum class PreSplit { Gpt2, Llama3, Qwen2, Digits, DigitRuns, Punctuation, Regex };
    struct PreSplitStage
    {
        PreSplitStage(PreSplit k) : kind(k) {} // NOLINT(google-explicit-constructor): {PreSplit::Gpt2, ...} lists
        explicit PreSplitStage(RegexSplit split)
            : kind(PreSplit::Regex), regex(std::make_shared<const RegexSplit>(std::move(split)))
        {
        }
        PreSplit kind;
        std::shared_ptr<const RegexSplit> regex;
    };

    // A vocabulary may lack some of the 256 byte symbols (bytes no training text had): such a
    // byte becomes the unknown token when there is one (setUnknown) and is dropped otherwise, as
    // Hugging Face tokenizers' BPE does.
    ByteLevelBpeTokenizer(BpeModel model, AddedTokens added, PostProcessor post, bool addPrefixSpace,
                          Split split = Split::Gpt2);

    // Llama 3: a word that is a whole vocabulary piece is taken as is, without merging.
    void setIgnoreMerges(bool ignore) { m_ignoreMerges = ignore; }
    // Runs before the split (tokenizer.json's normalizer, Qwen2's NFC); spans still point at the input.
    void setNormalizer(TextNormalizer normalizer) { m_normalizer = std::move(normalizer); }
    // Replaces the constructor's single split by these stages (tokenizer.json's Sequence).
    void setPreSplits(std::vector<PreSplitStage> stages) { m_stages = std::move(stages); }
    void setUnknown(int id, bool fuse)
    {
        m_unknownId = id;
        m_fuseUnknown = fuse;
    }

    std::vector<Token> encode(std::string_view text, int segment = 0) const override;
    std::vector<Token> encodeForModel(std::string_view text,
                                      std::optional<std::string_view> second = std::nullopt) const override;
    std::string decode(const std::vector<int>& ids) const override;
    Token tokenForId(int id) const override;
    int vocabSize() const override { return m_model.size(); }
    std::optional<int> idOf(std::string_view piece) const override;

    // The byte <-> stand-in character table of GPT-2's bytes_to_unicode().
    static char32_t byteToUnicode(unsigned char byte);

private:
    void encodePlain(std::string_view text, std::size_t offset, int segment, std::vector<Token>& out,
                     std::vector<std::string>& bytes) const;
    const std::string& bytesOf(int id) const { return m_bytes[static_cast<std::size_t>(id)]; }

    BpeModel m_model;
    TextNormalizer m_normalizer;
    AddedTokens m_added;
    PostProcessor m_post;
    bool m_addPrefixSpace;
    Split m_split;
    bool m_ignoreMerges = false;
    std::vector<PreSplitStage> m_stages;
    std::vector<ByteRange> preSplit(std::string_view text) const;
    int m_unknownId = -1; // the unk_token's id, or -1
    bool m_fuseUnknown = false;
    std::array<int, 256> m_byteIds{}; // vocabulary id of each single-byte symbol
    std::vector<std::string> m_bytes; // raw bytes of every piece, by id
    WordCache m_cache;
};

} // namespace attnviz
