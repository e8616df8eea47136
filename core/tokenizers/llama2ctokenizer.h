#pragma once
// The tokenizer of karpathy's llama2.c (tokenizer.bin / tok512.bin): a SentencePiece-style BPE
// whose merges are chosen by vocabulary score. File: int32 max_token_length, then per token a
// float32 score, an int32 byte length and the bytes. Ids 0, 1, 2 are <unk>, BOS and EOS; ids
// 3..258 are the raw bytes <0x00>..<0xFF> used as fallback.

#include "tokenizers/tokenizer.h"

#include <array>
#include <string>
#include <unordered_map>
#include <vector>

namespace attnviz {

class Llama2cTokenizer : public Tokenizer
{
public:
    static constexpr int unkId = 0;
    static constexpr int bosId = 1;
    static constexpr int eosId = 2;

    // Reads `vocabSize` entries from `path`. Throws TokenizerError naming the file. With
    // `maxTokens` (the model's context) > 0, encodeForModel tokenises only the part of a long text
    // that can reach the first maxTokens tokens.
    Llama2cTokenizer(const std::string& path, int vocabSize, int maxTokens = 0);

    // llama2.c's encode: a dummy-prefix space, UTF-8 characters looked up (unknown ones as bytes,
    // or <unk> when the vocabulary lacks byte tokens), then repeatedly the adjacent pair whose
    // concatenation has the highest score (the leftmost of equals) is merged. O(n log n).
    std::vector<Token> encode(std::string_view text, int segment = 0) const override;
    // BOS, then encode(text); a second text is not supported by these models and is ignored.
    std::vector<Token> encodeForModel(std::string_view text,
                                      std::optional<std::string_view> second = std::nullopt) const override;
    // As llama2.c prints: a piece's leading space is dropped right after BOS, <0xNN> becomes the
    // byte, and <unk>/BOS/EOS print nothing.
    std::string decode(const std::vector<int>& ids) const override;
    Token tokenForId(int id) const override;
    int vocabSize() const override { return static_cast<int>(m_pieces.size()); }
    std::optional<int> idOf(std::string_view piece) const override;

private:
    std::vector<std::string> m_pieces;          // (vocab) raw bytes of each token
    std::vector<float> m_scores;                // (vocab) merge priority
    std::unordered_map<std::string, int> m_ids; // piece -> id (first one wins)
    std::array<int, 256> m_byteIds{};           // byte -> its <0xNN> token, or unkId (0)
    std::size_t m_maxSpan = 4;                  // the most text bytes one token can cover
    int m_maxTokens = 0;                        // the model's context; 0 = tokenise everything
};

} // namespace attnviz
