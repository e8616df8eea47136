// The Unigram layouts of Hugging Face's converters (AlbertConverter, XLMRobertaConverter,
// CamembertConverter, T5Converter in convert_slow_tokenizer.py) for a parsed .model file.
#include "tokenizers/sentencepiecemodel.h"

#include "tokenizers/unicode.h"
#include "tokenizers/unigramtokenizer.h"
#include "util/messagetext.h"

namespace attnviz {

namespace {

// ALBERT's converter pushes pieces such as "1," down (score - 100), as its slow tokenizer splits
// a comma after a digit off.
bool endsWithDigitComma(const std::string& piece)
{
    if (piece.size() < 2 || piece.back() != ',')
        return false;
    std::size_t pos = piece.size() - 1; // the comma; find the character before it
    do
        --pos;
    while (pos > 0 && (static_cast<unsigned char>(piece[pos]) & 0xC0) == 0x80);
    return unicode::isNumber(unicode::decodeUtf8(piece, pos).cp);
}

} // namespace

std::unique_ptr<Tokenizer> unigramFromSentencePiece(const SentencePieceModel& model, const SentencePieceLayout& layout)
{
    using Family = SentencePieceLayout::Family;
    if (layout.family == Family::Llama)
        throw TokenizerError("a Unigram .model in a Llama-family folder (Llama uses SentencePiece BPE)");
    if (model.byteFallback)
        throw TokenizerError("byte_fallback in a Unigram .model file is not supported (Hugging Face's converter "
                             "drops it for these families)");

    // The vocabulary in the family's order, and where the .model's pieces start in it.
    std::vector<std::pair<std::string, double>> vocab;
    std::size_t firstPiece = 0;
    int unkId = model.unkId;
    if (layout.family == Family::XlmRoberta) {
        vocab = {{"<s>", 0.0}, {"<pad>", 0.0}, {"</s>", 0.0}, {"<unk>", 0.0}};
        firstPiece = 3;
        unkId = 3;
    } else if (layout.family == Family::Camembert) {
        vocab = {{"<s>NOTUSED", 0.0}, {"<pad>", 0.0}, {"</s>NOTUSED", 0.0}, {"<unk>", 0.0}, {"<unk>NOTUSED", -100.0}};
        firstPiece = 1;
        unkId = 3;
    }
    for (std::size_t i = firstPiece; i < model.pieces.size(); ++i) {
        const SentencePieceModel::Piece& p = model.pieces[i];
        const bool demote = layout.family == Family::Albert && endsWithDigitComma(p.piece);
        vocab.emplace_back(p.piece, static_cast<double>(p.score) - (demote ? 100.0 : 0.0));
    }
    if (layout.family == Family::XlmRoberta || layout.family == Family::Camembert)
        vocab.emplace_back("<mask>", 0.0);
    if (layout.family == Family::T5) {
        if (layout.extraIds < 0 || layout.extraIds > 100000)
            throw TokenizerError("extra_ids " + std::to_string(layout.extraIds) + " is not a count of sentinels");
        for (int i = layout.extraIds - 1; i >= 0; --i)
            vocab.emplace_back("<extra_id_" + std::to_string(i) + ">", 0.0);
    }
    UnigramModel unigram(std::move(vocab), unkId, false);

    const auto idOf = [&](const std::string& piece) { return unigram.find(piece).value_or(-1); };
    AddedTokens added = sentencePieceAddedTokens(
        model, firstPiece, idOf,
        [&](int id) {
            return unigram.hasId(id) ? &unigram.piece(id) : nullptr;
            if (layout.family == Family::T5) // the sentinels are special tokens (additional_special_tokens)
                for (int id = unigram.size() - layout.extraIds; id < unigram.size(); ++id)
                    if (!added.findId(id))
                        added.add({id, unigram.piece(id), true, false, false});
        },
        layout.configTokens);

    TextNormalizer normalizer;
    if (layout.family == Family::Albert) {
        if (layout.removeSpace)
            normalizer.addCollapseWhitespace();
        normalizer.addReplace("``", "\"");
        normalizer.addReplace("''", "\"");
        if (!layout.keepAccents) { // AlbertConverter: NFKD, then StripAccents
            normalizer.addUnicodeForm(unicode::NormalForm::Nfkd);
            normalizer.addStripAccents();
        }
        if (layout.lowercase)
            normalizer.addLowercase();
    }
    if (!model.precompiledCharsmap.empty())
        normalizer.addPrecompiled(std::make_shared<const PrecompiledCharsmap>(model.precompiledCharsmap));
    if (layout.family == Family::Albert) {
        normalizer.addReplaceRepeats(U' ', 2, " ");
    } else {
        normalizer.addStrip(false, true);
        normalizer.addReplaceRepeats(U' ', 2, "\xE2\x96\x81");
    }

    UnigramTokenizer::Options options;
    options.prepend = model.addDummyPrefix ? UnigramTokenizer::Prepend::Always : UnigramTokenizer::Prepend::Never;
    options.decodeStripLeading = model.addDummyPrefix;

    const auto special = [&](const std::string& piece) {
        const int id = idOf(piece);
        if (id < 0)
            throw TokenizerError("the vocabulary has no " + quotedForMessage(piece) + " for the special tokens");
        return PostProcessor::Item{false, 0, id, piece, 0};
    };
    const auto seq = [](int sequence, int typeId) { return PostProcessor::Item{true, sequence, -1, {}, typeId}; };
    PostProcessor post;
    if (layout.family == Family::Albert) {
        PostProcessor::Item cls = special("[CLS]"), sep = special("[SEP]"), sep1 = sep;
        sep1.typeId = 1;
        post = PostProcessor({cls, seq(0, 0), sep}, {cls, seq(0, 0), sep, seq(1, 1), sep1});
    } else if (layout.family == Family::T5) {
        const PostProcessor::Item eos = special("</s>");
        post = PostProcessor({seq(0, 0), eos}, {seq(0, 0), eos, seq(1, 0), eos});
    } else {
        const PostProcessor::Item bos = special("<s>"), eos = special("</s>");
        post = PostProcessor({bos, seq(0, 0), eos}, {bos, seq(0, 0), eos, eos, seq(1, 0), eos});
    }
    return std::make_unique<UnigramTokenizer>(std::move(unigram), std::move(normalizer), options, std::move(added),
                                              std::move(post));
}

} // namespace attnviz
