#include "tokenizers/tokenizerjson.h"

#include "tokenizers/bytelevelbpetokenizer.h"
#include "tokenizers/sentencepiecebpetokenizer.h"
#include "tokenizers/unicodenormalization.h"
#include "tokenizers/wordpiecetokenizer.h"
#include "util/checkednumbers.h"
#include "util/messagetext.h"
#include "util/sizelimits.h"

#include <climits>
#include <functional>
#include <optional>

namespace attnviz {

namespace {

constexpr std::string_view kGpt2Pattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";
constexpr std::string_view kLlama3Pattern = R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3})"
                                            R"(| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
constexpr std::string_view kQwen2Pattern = R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N})"
                                           R"(| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

std::vector<std::pair<std::string, std::string>> mergesFrom(const json::Value& model)
{
    std::vector<std::pair<std::string, std::string>> out;
    const json::Value* merges = model.find("merges");
    if (!merges || !merges->isArray())
        throw TokenizerError("model.merges is missing or not an array");
    out.reserve(merges->asArray().size());
    for (const json::Value& m : merges->asArray()) {
        if (m.isString()) { // "left right"
            const std::string& s = m.asString();
            const std::size_t space = s.find(' ', 1);
            if (space == std::string::npos)
                throw TokenizerError("model.merges: " + quotedForMessage(s) + " is not two pieces separated by a space");
            out.emplace_back(s.substr(0, space), s.substr(space + 1));
        } else if (m.isArray() && m.asArray().size() == 2 && m.asArray()[0].isString() && m.asArray()[1].isString()) {
            out.emplace_back(m.asArray()[0].asString(), m.asArray()[1].asString()); // ["left", "right"]
        } else {
            throw TokenizerError("model.merges: entry is neither \"a b\" nor [\"a\", \"b\"]");
        }
    }
    return out;
}

// A Split pre-tokenizer: the hand-written splitter when the pattern is one of the three it knows
// (and Isolated, not inverted), else the regex engine. Refusals name the pattern's problem.
ByteLevelBpeTokenizer::PreSplitStage splitStageFromJson(const json::Value& p)
{
    using PreSplit = ByteLevelBpeTokenizer::PreSplit;
    const json::Value* pattern = p.find("pattern");
    const json::Value* regex = pattern ? pattern->find("Regex") : nullptr;
    const json::Value* literal = pattern ? pattern->find("String") : nullptr;
    if (!(regex && regex->isString()) && !(literal && literal->isString()))
        throw TokenizerError("Split pre-tokenizer without a pattern {\"Regex\": ...} or {\"String\": ...}");
    const std::string behaviorName = jsonString(&p, "behavior", "Isolated");
    const std::optional<SplitBehavior> behavior = splitBehaviorNamed(behaviorName);
    if (!behavior)
        throw TokenizerError("Split pre-tokenizer with unknown behavior " + quotedForMessage(behaviorName));
    const bool invert = jsonBool(&p, "invert", false);
    if (literal && literal->isString())
        return ByteLevelBpeTokenizer::PreSplitStage(RegexSplit::fromString(literal->asString(), *behavior, invert));
    const std::string& source = regex->asString();
    if (*behavior == SplitBehavior::Isolated && !invert) {
        if (source == kGpt2Pattern)
            return PreSplit::Gpt2;
        if (source == kLlama3Pattern)
            return PreSplit::Llama3;
        if (source == kQwen2Pattern)
            return PreSplit::Qwen2;
    }
    try {
        return ByteLevelBpeTokenizer::PreSplitStage(RegexSplit::fromRegex(source, *behavior, invert));
    } catch (const TokenizerError& e) {
        throw TokenizerError("Split pre-tokenizer pattern " + quotedForMessage(source) + ": " + e.what());
    }
}

std::unique_ptr<Tokenizer> wordPieceFrom(const json::Value& root, const json::Value& model)
{
    WordPieceTokenizer::Options options;
    options.cleanText = options.handleChineseChars = options.stripAccents = options.lowercase = false;
    // Steps before BertNormalizer (or without one) run on the text first, in order; nothing may follow it.
    bool bertSeen = false;
    forEachJsonComponent(root.find("normalizer"), "normalizers", [&](const json::Value& n) {
        const std::string type = jsonType(&n);
        const std::optional<unicode::NormalForm> form = unicode::normalFormNamed(type);
        if (bertSeen)
            throw TokenizerError("normalizer " + quotedForMessage(type) + " after BertNormalizer is not supported");
        if (type == "BertNormalizer") {
            options.cleanText = jsonBool(&n, "clean_text", true);
            options.handleChineseChars = jsonBool(&n, "handle_chinese_chars", true);
            options.lowercase = jsonBool(&n, "lowercase", true);
            const json::Value* strip = n.find("strip_accents");
            options.stripAccents = strip && strip->isBool() ? strip->asBool() : options.lowercase; // null: follow lowercase
            bertSeen = true;
        } else if (type == "Lowercase") {
            options.normalizer.addLowercase();
        } else if (type == "StripAccents") {
            options.normalizer.addStripAccents();
        } else if (form) {
            options.normalizer.addUnicodeForm(*form);
        } else {
            throw TokenizerError("unsupported normalizer " + quotedForMessage(type) + " for a WordPiece model");
        }
    });
    options.unkToken = jsonString(&model, "unk_token", "[UNK]");
    options.prefix = jsonString(&model, "continuing_subword_prefix", "##");
    if (const json::Value* m = model.find("max_input_chars_per_word"); m && m->isNumber())
        options.maxCharsPerWord = intFromJson(*m, "model.max_input_chars_per_word", 0, 1 << 30);
    const json::Value* vocab = model.find("vocab");
    if (!vocab)
        throw TokenizerError("model.vocab is missing");
    return std::make_unique<WordPieceTokenizer>(vocabFromJson(*vocab), options, addedTokensFromJson(root),
                                                PostProcessor::fromJson(root.find("post_processor")));
}

std::unique_ptr<Tokenizer> bpeFrom(const json::Value& root, const json::Value& model)
{
    const json::Value* vocab = model.find("vocab");
    if (!vocab)
        throw TokenizerError("model.vocab is missing");
    const std::string prefix = jsonString(&model, "continuing_subword_prefix", "");
    const std::string suffix = jsonString(&model, "end_of_word_suffix", "");
    if (!prefix.empty() || !suffix.empty())
        throw TokenizerError("BPE with continuing_subword_prefix or end_of_word_suffix is not supported");
    BpeModel bpe(vocabFromJson(*vocab), mergesFrom(model));

    // Byte-level (GPT-2, RoBERTa) when the pre-tokenizer says so.
    bool byteLevel = false;
    bool addPrefixSpace = false;
    std::optional<ByteLevelBpeTokenizer::Split> split;
    using PreSplit = ByteLevelBpeTokenizer::PreSplit;
    std::vector<ByteLevelBpeTokenizer::PreSplitStage> stages; // the Sequence in order, for the byte-level tokenizer
    bool needsByteLevel = false; // Digits, Punctuation and Split run in the byte-level path only
    bool metaspace = false;
    SentencePieceBpeTokenizer::Options sp;
    sp.prepend = SentencePieceBpeTokenizer::Prepend::Never;
    forEachJsonComponent(root.find("pre_tokenizer"), "pretokenizers", [&](const json::Value& p) {
        const std::string type = jsonType(&p);
        if (type == "ByteLevel") {
            byteLevel = true;
            addPrefixSpace = jsonBool(&p, "add_prefix_space", false);
            if (jsonBool(&p, "use_regex", true)) {
                split = ByteLevelBpeTokenizer::Split::Gpt2;
                stages.push_back(PreSplit::Gpt2);
            }
        } else if (type == "Digits") {
            needsByteLevel = true;
            stages.push_back(jsonBool(&p, "individual_digits", false) ? PreSplit::Digits : PreSplit::DigitRuns);
        } else if (type == "Punctuation") {
            const std::string behavior = jsonString(&p, "behavior", "Isolated");
            if (behavior != "Isolated" && behavior != "isolated")
                throw TokenizerError("Punctuation pre-tokenizer with behavior " + quotedForMessage(behavior) +
                                     " is not supported (Isolated is)");
            needsByteLevel = true;
            stages.push_back(PreSplit::Punctuation);
        } else if (type == "Split") {
            if (byteLevel)
                throw TokenizerError("Split pre-tokenizer after ByteLevel is not supported (it would match the "
                                     "byte-level stand-in characters)");
            stages.push_back(splitStageFromJson(p));
            needsByteLevel = true;
        } else if (type == "Metaspace") {
            metaspace = true;
            const std::string scheme = jsonString(&p, "prepend_scheme", jsonBool(&p, "add_prefix_space", true) ? "always" : "never");
            sp.prepend = scheme == "first"    ? SentencePieceBpeTokenizer::Prepend::First
                         : scheme == "always" ? SentencePieceBpeTokenizer::Prepend::Always
                                              : SentencePieceBpeTokenizer::Prepend::Never;
            sp.splitOnMetaspace = jsonBool(&p, "split", true);
            sp.prependUnlessMetaspace = true; // Metaspace leaves text that starts with "▁" alone
        } else {
            throw TokenizerError("unsupported pre_tokenizer " + quotedForMessage(type) + " for a BPE model");
        }
    });
    AddedTokens added = addedTokensFromJson(root);
    PostProcessor post = PostProcessor::fromJson(root.find("post_processor"));
    if (byteLevel) {
        auto tok = std::make_unique<ByteLevelBpeTokenizer>(std::move(bpe), std::move(added), std::move(post),
                                                           addPrefixSpace,
                                                           split.value_or(ByteLevelBpeTokenizer::Split::None));
        tok->setNormalizer(textNormalizerFromJson(root.find("normalizer"), "byte-level BPE"));
        tok->setIgnoreMerges(jsonBool(&model, "ignore_merges", false));
        tok->setPreSplits(std::move(stages));
        if (const std::string unk = jsonString(&model, "unk_token", ""); !unk.empty()) {
            const std::optional<int> id = tok->idOf(unk);
            if (!id)
                throw TokenizerError("model.unk_token " + quotedForMessage(unk) + " is not in the vocabulary");
            tok->setUnknown(*id, jsonBool(&model, "fuse_unk", false));
        }
        return tok;
    }

    if (needsByteLevel)
        throw TokenizerError("Digits, Punctuation and Split pre-tokenizers are supported with ByteLevel only");
    // SentencePiece style: the normalizer (Prepend + Replace) or the Metaspace pre-tokenizer. A
    // Unicode form runs first, so it must come before them (NFKC turns U+00A0 into the " " Replace sees).
    bool replacesSpaces = metaspace;
    bool spaceStepSeen = false;
    forEachJsonComponent(root.find("normalizer"), "normalizers", [&](const json::Value& n) {
        const std::string type = jsonType(&n);
        if (type == "Prepend") {
            sp.prepend = SentencePieceBpeTokenizer::Prepend::Always;
            sp.prependUnlessMetaspace = false;
            spaceStepSeen = true;
        } else if (type == "Replace") {
            const json::Value* pattern = n.find("pattern");
            if (jsonString(pattern, "String", "") != " " || jsonString(&n, "content", "") != "\xE2\x96\x81")
                throw TokenizerError("unsupported Replace normalizer (only \" \" -> \"\xE2\x96\x81\")");
            replacesSpaces = spaceStepSeen = true;
        } else if (const std::optional<unicode::NormalForm> form = unicode::normalFormNamed(type); form && !spaceStepSeen) {
            sp.normalizer.addUnicodeForm(*form);
        } else {
            throw TokenizerError("unsupported normalizer " + quotedForMessage(type) +
                                 (form ? " after Prepend or Replace" : "") + " for a SentencePiece BPE model");
        }
    });
    if (!replacesSpaces)
        throw TokenizerError("BPE model that is neither byte-level nor SentencePiece-style (no ByteLevel, "
                             "Metaspace or Replace \" \" -> \"\xE2\x96\x81\")");
    sp.byteFallback = jsonBool(&model, "byte_fallback", false);
    sp.fuseUnk = jsonBool(&model, "fuse_unk", false);
    sp.ignoreMerges = jsonBool(&model, "ignore_merges", false);
    sp.unkToken = jsonString(&model, "unk_token", "");
    // Decoder: Strip(" ", start) removes that many leading spaces; Metaspace removes one.
    sp.decodeStripLeading = 0;
    forEachJsonComponent(root.find("decoder"), "decoders", [&](const json::Value& d) {
        const std::string type = jsonType(&d);
        if (type == "Strip" && jsonString(&d, "content", "") == " ") {
            const json::Value* start = d.find("start");
            const int n = start && start->isNumber() ? intFromJson(*start, "decoder Strip start", 0, INT_MAX) : 0;
            sp.decodeStripLeading = checked::add<TokenizerError>(sp.decodeStripLeading, n, "decoder Strip start");
        } else if (type == "Metaspace" && jsonString(&d, "prepend_scheme", "always") != "never") {
            sp.decodeStripLeading = checked::add<TokenizerError>(sp.decodeStripLeading, 1, "decoder Strip start");
        }
    });
    return std::make_unique<SentencePieceBpeTokenizer>(std::move(bpe), sp, std::move(added), std::move(post));
}

} // namespace

std::string jsonType(const json::Value* v)
{
    if (!v || !v->isObject())
        return {};
    const json::Value* t = v->find("type");
    return t && t->isString() ? t->asString() : std::string();
}

bool jsonBool(const json::Value* object, const char* key, bool fallback)
{
    const json::Value* v = object ? object->find(key) : nullptr;
    return v && v->isBool() ? v->asBool() : fallback;
}

std::string jsonString(const json::Value* object, const char* key, const std::string& fallback)
{
    const json::Value* v = object ? object->find(key) : nullptr;
    return v && v->isString() ? v->asString() : fallback;
}

// Calls f on a component and, for "Sequence" components, on each of its parts.
void forEachJsonComponent(const json::Value* v, const char* listKey, const std::function<void(const json::Value&)>& f)
{
    if (!v || v->isNull())
        return;
    if (jsonType(v) == "Sequence") {
        if (const json::Value* list = v->find(listKey); list && list->isArray())
            for (const json::Value& part : list->asArray())
                forEachJsonComponent(&part, listKey, f);
        return;
    }
    f(*v);
}

AddedTokens addedTokensFromJson(const json::Value& root)
{
    AddedTokens added;
    const json::Value* list = root.find("added_tokens");
    if (!list || !list->isArray())
        return added;
    for (const json::Value& t : list->asArray()) {
        const json::Value* id = t.find("id");
        const json::Value* content = t.find("content");
        if (!id || !id->isNumber() || !content || !content->isString())
            throw TokenizerError("added_tokens: entry without numeric id and string content");
        added.add({tokenIdFromJson(*id, "added_tokens: id of " + quotedForMessage(content->asString())), content->asString(),
                   jsonBool(&t, "special", false),
                   jsonBool(&t, "lstrip", false), jsonBool(&t, "rstrip", false)});
    }
    return added;
}

int intFromJson(const json::Value& value, const std::string& what, int lo, int hi)
{
    if (!value.isNumber())
        throw TokenizerError(what + " is not a number");
    return checked::toInt<TokenizerError>(value, what, lo, hi);
}

int tokenIdFromJson(const json::Value& value, const std::string& what)
{
    return intFromJson(value, what, 0, maxTokenId);
}

std::vector<std::pair<std::string, int>> vocabFromJson(const json::Value& object)
{
    if (!object.isObject())
        throw TokenizerError("vocabulary is not a JSON object of piece -> id");
    std::vector<std::pair<std::string, int>> out;
    out.reserve(object.asObject().size());
    for (const auto& [piece, id] : object.asObject()) {
        if (!id.isNumber())
            throw TokenizerError("vocabulary entry " + quotedForMessage(piece) + " has no numeric id");
        out.emplace_back(piece, tokenIdFromJson(id, "vocabulary entry " + quotedForMessage(piece) + ": id"));
    }
    return out;
}

std::unique_ptr<Tokenizer> tokenizerFromJson(const json::Value& root)
{
    const json::Value* model = root.find("model");
    if (!model || !model->isObject())
        throw TokenizerError("no \"model\" object (is this a tokenizer.json?)");
    std::string type = jsonType(model);
    if (type.empty() && model->find("merges"))
        type = "BPE"; // older files omit the type
    if (type == "WordPiece")
        return wordPieceFrom(root, *model);
    if (type == "BPE")
        return bpeFrom(root, *model);
    if (type == "Unigram")
        return unigramFromJson(root, *model);
    throw TokenizerError("unsupported tokenizer model type " + quotedForMessage(type) +
                         " (supported: BPE, WordPiece, Unigram)");
}

} // namespace attnviz
