// tokenizer.json files whose model is "Unigram" (T5, ALBERT, XLM-RoBERTa, CamemBERT, ...).
#include "tokenizers/tokenizerjson.h"

#include "tokenizers/metaspace.h"
#include "tokenizers/unigramtokenizer.h"
#include "util/base64.h"
#include "util/messagetext.h"
#include "util/sizelimits.h"
#include "util/utf8.h"

#include <cstdlib>

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

// The one regex Replace seen in SentencePiece conversions: a character repeated, "X{n,}".
bool parseRepeatRegex(const std::string& regex, char32_t& c, int& minCount)
{
    if (regex.empty())
        return false;
    const unicode::Decoded d = unicode::decodeUtf8(regex, 0);
    const std::string_view rest = std::string_view(regex).substr(static_cast<std::size_t>(d.length));
    if (d.cp == U'\\' || d.cp == U'.' || d.cp == U'[' || d.cp == U'(' || rest.size() < 4 || rest.front() != '{' ||
        !rest.ends_with(",}"))
        return false;
    const std::string_view digits = rest.substr(1, rest.size() - 3);
    if (digits.empty() || digits.size() > 4 || digits.find_first_not_of("0123456789") != std::string_view::npos)
        return false;
    c = d.cp;
    minCount = std::atoi(std::string(digits).c_str());
    return true;
}

TextNormalizer normalizerFrom(const json::Value* normalizer)
{
    std::vector<const json::Value*> steps;
    forEachJsonComponent(normalizer, "normalizers", [&](const json::Value& n) { steps.push_back(&n); });
    TextNormalizer out;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const json::Value& n = *steps[i];
        const std::string type = jsonType(&n);
        if (type == "Precompiled") {
            const json::Value* map = n.find("precompiled_charsmap");
            if (!map || map->isNull())
                continue;
            std::optional<std::string> blob = map->isString() ? decodeBase64(map->asString()) : std::nullopt;
            if (!blob)
                throw TokenizerError("Precompiled normalizer: precompiled_charsmap is not a base64 string");
            out.addPrecompiled(std::make_shared<const PrecompiledCharsmap>(*blob));
        } else if (type == "Replace") {
            const json::Value* pattern = n.find("pattern");
            const std::string content = jsonString(&n, "content", "");
            char32_t c = 0;
            int minCount = 0;
            if (pattern && pattern->find("String")) {
                out.addReplace(jsonString(pattern, "String", ""), content);
            } else if (parseRepeatRegex(jsonString(pattern, "Regex", ""), c, minCount)) {
                out.addReplaceRepeats(c, minCount, content);
            } else {
                throw TokenizerError("unsupported Replace normalizer pattern (only strings and \"X{n,}\" regexes)");
            }
        } else if (type == "Strip") {
            out.addStrip(jsonBool(&n, "strip_left", true), jsonBool(&n, "strip_right", true));
        } else if (type == "Lowercase") {
            out.addLowercase();
        } else if (type == "StripAccents") {
            out.addStripAccents();
        } else if (type == "NFKD" && i + 1 < steps.size() && jsonType(steps[i + 1]) == "StripAccents") {
            out.addNfkd(); // NFKD + StripAccents, fused (ALBERT, XLNet)
            ++i;
        } else if (type == "Prepend") {
            out.addPrepend(jsonString(&n, "prepend", std::string(kMetaspace)));
        } else {
            throw TokenizerError("normalizer " + quotedForMessage(type) +
                                 " is not implemented for Unigram tokenizers (NFKD only when StripAccents follows); "
                                 "refusing rather than tokenising differently from the reference");
        }
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
    return std::make_unique<UnigramTokenizer>(std::move(unigram), normalizerFrom(root.find("normalizer")), options,
                                              addedTokensFromJson(root),
                                              PostProcessor::fromJson(root.find("post_processor")));
}

} // namespace attnviz
