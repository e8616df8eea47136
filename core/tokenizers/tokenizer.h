#pragma once
// Tokenizers turn text into the tokens people see: each token keeps its vocabulary piece, a
// display string and the byte span of the input it came from.

#include "base/token.h"

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace attnviz {

class TokenizerError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

class Tokenizer
{
public:
    virtual ~Tokenizer() = default;

    // Plain tokens of one text, without special tokens. Spans are byte offsets into `text`;
    // every token gets `segment`.
    virtual std::vector<Token> encode(std::string_view text, int segment = 0) const = 0;

    // The sequence a model sees: special tokens added as the tokenizer's post-processor says
    // ([CLS] A [SEP] B [SEP] for BERT, BOS first for Llama, nothing for GPT-2), second text in
    // segment 1. Spans of tokens of `second` are offsets into `second`.
    virtual std::vector<Token> encodeForModel(std::string_view text,
                                              std::optional<std::string_view> second = std::nullopt) const = 0;

    // Text of a sequence of ids, as the model's decoder would print it.
    virtual std::string decode(const std::vector<int>& ids) const = 0;

    // Piece and display string of one id (span -1); throws TokenizerError for an unknown id.
    virtual Token tokenForId(int id) const = 0;

    virtual int vocabSize() const = 0;
    virtual std::optional<int> idOf(std::string_view piece) const = 0;
};

// Loaders. All throw TokenizerError naming the file and the problem.
// A Hugging Face tokenizer.json: model type BPE (byte-level GPT-2 style, or SentencePiece-style
// with ▁ and byte_fallback), WordPiece (BERT) or Unigram (T5, ALBERT, XLM-RoBERTa).
std::unique_ptr<Tokenizer> loadTokenizerJson(const std::string& path);
// GPT-2 vocab.json (= encoder.json) + merges.txt (= vocab.bpe).
std::unique_ptr<Tokenizer> loadGpt2Tokenizer(const std::string& vocabJson, const std::string& merges);
// BERT vocab.txt; lowercase and strip accents when `lowercase` (uncased models).
std::unique_ptr<Tokenizer> loadWordPieceTokenizer(const std::string& vocabTxt, bool lowercase);
// A SentencePiece .model file, laid out as its folder's tokenizer_config.json / config.json
// family says: Unigram for ALBERT, XLM-RoBERTa, CamemBERT, T5, BPE for Llama/Mistral; others are
// refused.
std::unique_ptr<Tokenizer> loadSentencePieceModel(const std::string& path);
// Whatever a Hugging Face model folder holds: tokenizer.json first, then a SentencePiece .model
// (spiece.model, sentencepiece.bpe.model, tokenizer.model), then vocab.json + merges.txt, then
// vocab.txt (lower-casing from tokenizer_config.json's do_lower_case, default true).
std::unique_ptr<Tokenizer> loadTokenizerFromFolder(const std::string& folder);

} // namespace attnviz
