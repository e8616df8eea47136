#pragma once
// SentencePiece .model files (spiece.model, sentencepiece.bpe.model, tokenizer.model): a protobuf
// ModelProto, read by a small bounds-checked reader that takes only the fields a tokenizer needs.
// Field numbers from sentencepiece_model.proto: ModelProto{1 pieces, 2 trainer_spec,
// 3 normalizer_spec}; SentencePiece{1 piece, 2 score, 3 type}; TrainerSpec{3 model_type,
// 35 byte_fallback, 40 unk_id, 41 bos_id, 42 eos_id, 43 pad_id}; NormalizerSpec{1 name,
// 2 precompiled_charsmap, 3 add_dummy_prefix, 4 remove_extra_whitespaces}.

#include "tokenizers/addedtokens.h"
#include "tokenizers/tokenizer.h"

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace attnviz {

struct SentencePieceModel
{
    enum class PieceType { Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6 };
    enum class ModelType { Unigram = 1, Bpe = 2, Word = 3, Char = 4 };

    struct Piece
    {
        std::string piece;
        float score = 0;
        PieceType type = PieceType::Normal;
    };

    std::vector<Piece> pieces; // by id
    ModelType modelType = ModelType::Unigram;
    bool byteFallback = false;
    int unkId = 0;
    int bosId = 1;
    int eosId = 2;
    int padId = -1;
    std::string normalizerName;
    std::string precompiledCharsmap;
    bool addDummyPrefix = true;
    bool removeExtraWhitespaces = true;
};

// Throws TokenizerError for anything that is not a well-formed ModelProto with at least one piece.
SentencePieceModel parseSentencePieceModel(std::string_view bytes);

// How Hugging Face lays out the vocabulary of a model family around the .model's pieces (its
// "slow to fast" converters), so ids match the model's embedding rows.
struct SentencePieceLayout
{
    enum class Family {
        Albert,     // pieces as they are; [CLS] A [SEP]; lower-casing and accent stripping by config
        XlmRoberta, // fairseq order: <s> <pad> </s> <unk>, then pieces from id 3 on (+1), <mask> last
        Camembert,  // <s>NOTUSED <pad> </s>NOTUSED <unk> <unk>NOTUSED, then pieces from id 1 (+4), <mask>
        T5,         // pieces, then <extra_id_N-1> .. <extra_id_0>; A </s>
        Llama,      // BPE: pieces as they are, merges from the piece order; <s> A
    };
    Family family = Family::Albert;
    bool lowercase = true;      // ALBERT do_lower_case
    bool keepAccents = false;   // ALBERT keep_accents
    bool removeSpace = true;    // ALBERT remove_space: trim and collapse whitespace first
    bool legacy = true;         // Llama: true prepends "▁" to every text piece, false only at the start
    bool addPrefixSpace = true; // Llama add_prefix_space: false prepends nothing
    bool addBos = true;         // Llama add_bos_token / add_eos_token
    bool addEos = false;
    int extraIds = 100;                   // T5 extra_ids: the sentinel tokens after the pieces
    std::vector<AddedToken> configTokens; // tokenizer_config.json added_tokens_decoder
};

// Unigram (ALBERT, XLM-RoBERTa, CamemBERT) or BPE (Llama) model types; throws TokenizerError for
// the others, or a model type the family does not use.
std::unique_ptr<Tokenizer> tokenizerFromSentencePiece(const SentencePieceModel& model,
                                                      const SentencePieceLayout& layout);

// The halves of tokenizerFromSentencePiece (sentencepieceunigram.cpp, sentencepiecebpefile.cpp)
// and the added tokens they share: control and user-defined pieces, then tokenizer_config.json's.
std::unique_ptr<Tokenizer> unigramFromSentencePiece(const SentencePieceModel& model, const SentencePieceLayout& layout);
std::unique_ptr<Tokenizer> bpeFromSentencePiece(const SentencePieceModel& model, const SentencePieceLayout& layout);
AddedTokens sentencePieceAddedTokens(const SentencePieceModel& model, std::size_t firstPiece,
                                     const std::function<int(const std::string&)>& idOf,
                                     const std::function<const std::string*(int)>& pieceAt,
                                     const std::vector<AddedToken>& configTokens);

} // namespace attnviz
