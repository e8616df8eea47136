// tokenizer.json files whose model is "Unigram" (T5, ALBERT, XLM-RoBERTa, CamemBERT, ...).
#include "tokenizers/tokenizerjson.h"

#include "tokenizers/metaspace.h"
#include "tokenizers/unigramtokenizer.h"
#include "util/messagetext.h"
#include "util/sizelimits.h"

namespace attnviz {

namespace {

std::vector<std::pair<std::string, double>> unigramVocab(const json::Value& model)
{
    const json::Value* vocab = model.find("vocab");
    if (!vocab || !vocab->isArray())
        throw TokenizerError("model.vocab of a Unigram model is missing or not an array of [piece, score]");
    if (vocab->asArray().size() > static_cast<std::size_t>(maxTokenId) + 1)
        throw TokenizerError("model.vocab has more pieces than any id may name");
    std::vector<std::pair<std::string, double>> out;
    out.reserve(vocab->asArray().size());
    for (const json::Value& entry : vocab->asArray()) {
        if (!entry.isArray() || entry.asArray().size() != 2 || !entry.asArray()[0].isString() ||
            !entry.asArray()[1].isNumber())
            throw TokenizerError("model.vocab entry " + std::to_string(out.size()) + " is not [piece, score]");
        out.emplace_back(entry.asArray()[0].asString(), entry.asArray()[1].asNumber());
    }
    return out;
}

UnigramTokenizer::Prepend prependOf(const json::Value& metaspace)
{
    const std::string scheme =
        jsonString(&metaspace, "prepend_scheme", jsonBool(&metaspace, "add_prefix_space", true) ? "always" : "never");
    if (scheme == "always")
        return UnigramTokenizer::Prepend::Always;
    if (scheme == "first")
        return UnigramTokenizer::Prepend::First;
    if (scheme == "never")
        return UnigramTokenizer::Prepend::Never;
    throw TokenizerError("Metaspace: unknown prepend_scheme " + quotedForMessage(scheme));
}

void checkReplacement(const json::Value& metaspace)
{
    if (jsonString(&metaspace, "replacement", std::string(kMetaspace)) != kMetaspace)
        throw TokenizerError("Metaspace with a replacement other than \"\xE2\x96\x81\" is not supported");
}

} // namespace

std::unique_ptr<Tokenizer> unigramFromJson(const json::Value& root, const json::Value& model)
{
    std::optional<int> unkId;
    if (const json::Value* unk = model.find("unk_id"); unk && !unk->isNull())
        unkId = tokenIdFromJson(*unk, "model.unk_id");
    UnigramModel unigram(unigramVocab(model), unkId, jsonBool(&model, "byte_fallback", false));

    UnigramTokenizer::Options options;
    options.metaspace = false;
    bool metaspaceSeen = false;
    forEachJsonComponent(root.find("pre_tokenizer"), "pretokenizers", [&](const json::Value& p) {
        const std::string type = jsonType(&p);
        if (type == "WhitespaceSplit" && !metaspaceSeen) {
            options.whitespaceSplit = true;
        } else if (type == "Metaspace" && !metaspaceSeen) {
            checkReplacement(p);
            metaspaceSeen = options.metaspace = true;
            options.prepend = prependOf(p);
            options.splitOnMetaspace = jsonBool(&p, "split", true);
        } else {
            throw TokenizerError("unsupported pre_tokenizer " + quotedForMessage(type) +
                                 " for a Unigram model (WhitespaceSplit then Metaspace are implemented)");
        }
    });
    options.decodeStripLeading = false;
    forEachJsonComponent(root.find("decoder"), "decoders", [&](const json::Value& d) {
        const std::string type = jsonType(&d);
        if (type == "Metaspace") {
            checkReplacement(d);
            options.decodeStripLeading = prependOf(d) != UnigramTokenizer::Prepend::Never;
        } else if (type == "Strip" && jsonString(&d, "content", "") == " ") {
            options.decodeStripLeading = true;
        } else if (type != "Replace" && type != "ByteFallback" && type != "Fuse") {
            throw TokenizerError("unsupported decoder " + quotedForMessage(type) + " for a Unigram model");
        }
    });
    return std::make_unique<UnigramTokenizer>(std::move(unigram), textNormalizerFromJson(root.find("normalizer"), "Unigram"), options,
                                              addedTokensFromJson(root),
                                              PostProcessor::fromJson(root.find("post_processor")));
}

} // namespace attnviz
