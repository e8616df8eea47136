// SentencePiece BPE .model files (Llama, Mistral) as Hugging Face's LlamaConverter turns them into
// a BPE tokenizer: the pieces as the vocabulary, merges made from it, byte fallback, and "▁"
// prepended to every text (legacy) or only at the start.
#include "tokenizers/sentencepiecemodel.h"

#include "tokenizers/sentencepiecebpetokenizer.h"
#include "util/messagetext.h"

#include <algorithm>
#include <unordered_map>

namespace attnviz {

namespace {

constexpr std::size_t kMaxMergedPieceBytes = 1024;

// Every split of a piece into two pieces is a merge, ranked by the score of the piece it makes
// (highest first); merges of equal score keep the order of their result's id, then of the ids of
// their parts (how Hugging Face's converter orders them: checked against Mistral's tokenizer.json).
std::vector<std::pair<std::string, std::string>> mergesOf(const SentencePieceModel& model)
{
    std::unordered_map<std::string_view, int> ids;
    for (std::size_t i = 0; i < model.pieces.size(); ++i)
        ids[model.pieces[i].piece] = static_cast<int>(i);
    struct Merge
    {
        float score;
        int result;
        int left;
        int right;
        std::size_t split;
    };
    std::vector<Merge> merges;
    for (std::size_t i = 0; i < model.pieces.size(); ++i) {
        const std::string_view piece = model.pieces[i].piece;
        // Splitting costs the square of a piece's length; trained pieces are a few dozen bytes
        // (SentencePiece's max_sentencepiece_length is 16 characters by default).
        if (piece.size() > kMaxMergedPieceBytes)
            throw TokenizerError("piece " + std::to_string(i) + " is " + std::to_string(piece.size()) +
                                 " bytes long; BPE pieces of more than " + std::to_string(kMaxMergedPieceBytes) +
                                 " bytes are refused");
        for (std::size_t k = 1; k < piece.size(); ++k) {
            if ((static_cast<unsigned char>(piece[k]) & 0xC0) == 0x80)
                continue; // not a character boundary
            const auto left = ids.find(piece.substr(0, k));
            const auto right = ids.find(piece.substr(k));
            if (left != ids.end() && right != ids.end())
                merges.push_back({model.pieces[i].score, static_cast<int>(i), left->second, right->second, k});
        }
    }
    std::sort(merges.begin(), merges.end(), [](const Merge& a, const Merge& b) {
        if (a.score != b.score)
            return a.score > b.score;
        if (a.result != b.result)
            return a.result < b.result;
        return a.left != b.left ? a.left < b.left : a.right < b.right;
    });
    std::vector<std::pair<std::string, std::string>> out;
    out.reserve(merges.size());
    for (const Merge& m : merges) {
        const std::string& piece = model.pieces[static_cast<std::size_t>(m.result)].piece;
        out.emplace_back(piece.substr(0, m.split), piece.substr(m.split));
    }
    return out;
}

} // namespace

std::unique_ptr<Tokenizer> bpeFromSentencePiece(const SentencePieceModel& model, const SentencePieceLayout& layout)
{
    if (layout.family != SentencePieceLayout::Family::Llama)
        throw TokenizerError("a SentencePiece BPE .model is read for Llama-family folders only");
    std::vector<std::pair<std::string, int>> vocab;
    vocab.reserve(model.pieces.size());
    for (std::size_t i = 0; i < model.pieces.size(); ++i)
        vocab.emplace_back(model.pieces[i].piece, static_cast<int>(i));
    BpeModel bpe(std::move(vocab), mergesOf(model));

    const auto idOf = [&](const std::string& piece) { return bpe.idOf(piece); };
    AddedTokens added = sentencePieceAddedTokens(
        model, 0, idOf, [&](int id) { return bpe.hasId(id) ? &bpe.piece(id) : nullptr; }, layout.configTokens);

    using Prepend = SentencePieceBpeTokenizer::Prepend;
    SentencePieceBpeTokenizer::Options options;
    options.prepend = !layout.addPrefixSpace || !model.addDummyPrefix ? Prepend::Never
                      : layout.legacy                                 ? Prepend::Always
                                                                      : Prepend::First;
    options.splitOnMetaspace = false;
    options.prependUnlessMetaspace = options.prepend == Prepend::First; // the Metaspace pre-tokenizer's rule
    options.byteFallback = model.byteFallback;
    options.fuseUnk = true;
    options.unkToken = model.pieces[static_cast<std::size_t>(model.unkId)].piece;
    options.decodeStripLeading = options.prepend == Prepend::Never ? 0 : 1;

    // <s> A (</s>), pair <s> A (</s>) <s> B (</s>) with B's tokens of type 1, as add_bos_token /
    // add_eos_token say.
    const auto special = [&](int id, int typeId) {
        if (id < 0 || id >= bpe.size())
            throw TokenizerError("trainer_spec names special token id " + std::to_string(id) +
                                 ", outside the vocabulary");
        return PostProcessor::Item{false, 0, id, bpe.piece(id), typeId};
    };
    std::vector<PostProcessor::Item> single, pair;
    for (int typeId : {0, 1}) {
        std::vector<PostProcessor::Item>& out = typeId == 0 ? single : pair;
        if (layout.addBos)
            out.push_back(special(model.bosId, typeId));
        out.push_back({true, typeId, -1, {}, typeId});
        if (layout.addEos)
            out.push_back(special(model.eosId, typeId));
    }
    pair.insert(pair.begin(), single.begin(), single.end());
    return std::make_unique<SentencePieceBpeTokenizer>(std::move(bpe), options, std::move(added),
                                                       PostProcessor(std::move(single), std::move(pair)));
}

} // namespace attnviz
