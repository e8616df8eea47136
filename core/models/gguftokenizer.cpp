#include "models/gguftokenizer.h"

#include "base/modelloaderror.h"
#include "models/gguffile.h"
#include "tokenizers/bytelevelbpetokenizer.h"
#include "tokenizers/sentencepiecemodel.h"
#include "util/messagetext.h"
#include "util/sizelimits.h"

#include <algorithm>
#include <array>

namespace attnviz {

namespace {

constexpr const char* kModel = "tokenizer.ggml.model";
constexpr const char* kPre = "tokenizer.ggml.pre";
constexpr const char* kTokens = "tokenizer.ggml.tokens";
constexpr const char* kScores = "tokenizer.ggml.scores";
constexpr const char* kTypes = "tokenizer.ggml.token_type";
constexpr const char* kMerges = "tokenizer.ggml.merges";

// tokenizer.ggml.token_type values (llama.cpp's llama_token_type).
enum TokenType : std::int64_t { Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6 };

using Split = ByteLevelBpeTokenizer::PreSplit;

// llama.cpp's pre-tokenizer names (llama-vocab.cpp) whose regex lists AttnViz implements, with
// the defaults each name sets.
struct PreTokenizer
{
    std::vector<Split> stages;
    bool ignoreMerges = false;
    bool addBos = false;
};

std::optional<PreTokenizer> preTokenizerNamed(const std::string& name)
{
    constexpr std::array gpt2{"gpt-2",      "phi-2",      "mpt",     "olmo",    "jais",  "trillion",
                              "jina-es",    "jina-de",    "jina-v2-es", "jina-v2-de", "gigachat", "a.x-4.0",
                              "mellum",     "exaone4",    "granite-docling"};
    constexpr std::array digitsGpt2{"smollm", "starcoder", "refact", "command-r", "codeshell", "exaone", "minerva-7b"};
    constexpr std::array llama3{"llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0",
                                "lfm2",   "dbrx",     "smaug-bpe"};
    constexpr std::array qwen2{"qwen2", "deepseek-r1-qwen", "kormo", "megrez", "stablelm2", "hunyuan"};
    const auto in = [&](const auto& names) { return std::find(names.begin(), names.end(), name) != names.end(); };
    if (in(gpt2))
        return PreTokenizer{{Split::Gpt2}};
    if (in(digitsGpt2))
        return PreTokenizer{{Split::Digits, Split::Gpt2}}; // "\p{N}", then the GPT-2 regex
    if (in(llama3)) {
        // llama-vocab.cpp sets ignore_merges and add_bos for these; dbrx and smaug only share the regex.
        const bool meta = name != "dbrx" && name != "smaug-bpe";
        return PreTokenizer{{Split::Llama3}, meta, meta};
    }
    if (in(qwen2))
        return PreTokenizer{{Split::Qwen2}};
    return std::nullopt;
}

class Reader
{
public:
    explicit Reader(const GgufFile& file) : m_file(file) {}

    [[noreturn]] void fail(const std::string& what) const { throw ModelLoadError(m_file.path() + ": " + what); }

    std::string key(const char* k) const { return "metadata key " + quotedForMessage(k); }

    // A token id key: absent gives `fallback`; present, it must name a token.
    int tokenId(const std::string& k, int fallback, std::size_t count) const
    {
        const std::optional<std::uint64_t> v = m_file.unsignedInteger(k);
        if (!v)
            return fallback;
        if (*v >= count)
            fail(key(k.c_str()) + " is " + std::to_string(*v) + ", outside the " + std::to_string(count) + " tokens");
        return static_cast<int>(*v);
    }

    std::vector<std::string> tokens() const
    {
        if (m_file.value(kTokens) == nullptr)
            fail("no " + key(kTokens) + " (the vocabulary)");
        std::vector<std::string> t = m_file.stringArray(kTokens);
        if (t.empty())
            fail(key(kTokens) + " is empty");
        if (t.size() > static_cast<std::size_t>(maxTokenId) + 1)
            fail(key(kTokens) + " has " + std::to_string(t.size()) + " tokens, more than the " +
                 std::to_string(maxTokenId + 1) + " supported");
        return t;
    }

    // token_type for every token (Normal when the key is absent).
    std::vector<std::int64_t> types(std::size_t count) const
    {
        std::vector<std::int64_t> t = m_file.integerArray(kTypes);
        if (m_file.value(kTypes) == nullptr)
            t.assign(count, Normal);
        if (t.size() != count)
            fail(key(kTypes) + " has " + std::to_string(t.size()) + " entries for " + std::to_string(count) + " tokens");
        return t;
    }

    bool flag(const char* k, bool fallback) const { return m_file.boolean(k).value_or(fallback); }

    const GgufFile& file() const { return m_file; }

private:
    const GgufFile& m_file;
};

// The control, user-defined and unknown tokens, matched literally in the text (llama.cpp's
// cache_special_tokens, all of which llama_tokenize with parse_special splits out).
std::vector<AddedToken> specialTokens(const std::vector<std::string>& tokens, const std::vector<std::int64_t>& types)
{
    std::vector<AddedToken> out;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const std::int64_t t = types[i];
        if ((t == Control || t == UserDefined || t == Unknown) && !tokens[i].empty())
            out.push_back({static_cast<int>(i), tokens[i], t != UserDefined, false, false});
    }
    return out;
}

// <bos> A <eos> as add_bos / add_eos say; a pair repeats the pattern for B with type id 1.
PostProcessor bosEos(bool addBos, int bos, bool addEos, int eos, const std::vector<std::string>& tokens)
{
    std::vector<PostProcessor::Item> single, pair;
    for (int typeId : {0, 1}) {
        std::vector<PostProcessor::Item>& out = typeId == 0 ? single : pair;
        if (addBos)
            out.push_back({false, 0, bos, tokens[static_cast<std::size_t>(bos)], typeId});
        out.push_back({true, typeId, -1, {}, typeId});
        if (addEos)
            out.push_back({false, 0, eos, tokens[static_cast<std::size_t>(eos)], typeId});
    }
    pair.insert(pair.begin(), single.begin(), single.end());
    return PostProcessor(std::move(single), std::move(pair));
}

std::unique_ptr<Tokenizer> byteLevel(const Reader& r)
{
    const GgufFile& f = r.file();
    const std::optional<std::string> preName = f.string(kPre);
    if (!preName)
        r.fail("no " + r.key(kPre) + " (llama.cpp would use its \"default\" pre-tokenizer, which AttnViz does not implement)");
    const std::optional<PreTokenizer> pre = preTokenizerNamed(*preName);
    if (!pre) {
        r.fail(r.key(kPre) + " is " + quotedForMessage(*preName) +
               ", a pre-tokenizer AttnViz does not implement (the GPT-2, Llama 3, Qwen2 and SmolLM ones are: "
               "\"gpt-2\", \"llama-bpe\", \"qwen2\", \"smollm\" and their aliases)");
    }
    std::vector<std::string> tokens = r.tokens();
    const std::vector<std::int64_t> types = r.types(tokens.size());
    if (f.value(kMerges) == nullptr)
        r.fail("no " + r.key(kMerges) + " (a \"gpt2\" tokenizer needs its BPE merges)");
    std::vector<std::pair<std::string, std::string>> merges;
    {
        const std::vector<std::string> lines = f.stringArray(kMerges);
        merges.reserve(lines.size());
        for (const std::string& line : lines) {
            // llama.cpp splits at the first space after the first byte; a line without one
            // merges nothing.
            const std::size_t space = line.find(' ', 1);
            if (space != std::string::npos)
                merges.emplace_back(line.substr(0, space), line.substr(space + 1));
        }
    }
    const std::size_t n = tokens.size();
    // llama.cpp's defaults for a BPE vocabulary: bos = eos = 11, add_bos only for the Llama 3 names.
    const int bos = r.tokenId("tokenizer.ggml.bos_token_id", static_cast<int>(std::min<std::size_t>(11, n - 1)), n);
    const int eos = r.tokenId("tokenizer.ggml.eos_token_id", static_cast<int>(std::min<std::size_t>(11, n - 1)), n);
    const bool addBos = r.flag("tokenizer.ggml.add_bos_token", pre->addBos);
    const bool addEos = r.flag("tokenizer.ggml.add_eos_token", false);
    AddedTokens added;
    for (AddedToken& t : specialTokens(tokens, types))
        added.add(std::move(t));
    PostProcessor post = bosEos(addBos, bos, addEos, eos, tokens);
    std::vector<std::pair<std::string, int>> vocab;
    vocab.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
        vocab.emplace_back(std::move(tokens[i]), static_cast<int>(i));
    auto tok = std::make_unique<ByteLevelBpeTokenizer>(BpeModel(std::move(vocab), merges), std::move(added),
                                                       std::move(post), false, ByteLevelBpeTokenizer::Split::None);
    tok->setPreSplits({pre->stages.begin(), pre->stages.end()});
    tok->setIgnoreMerges(pre->ignoreMerges);
    // A byte missing from the vocabulary is dropped, as llama.cpp does (no unknown token).
    return tok;
}

std::unique_ptr<Tokenizer> sentencePiece(const Reader& r)
{
    const GgufFile& f = r.file();
    const std::vector<std::string> tokens = r.tokens();
    const std::size_t n = tokens.size();
    const std::vector<std::int64_t> types = r.types(n);
    std::vector<double> scores = f.numberArray(kScores);
    if (f.value(kScores) == nullptr)
        scores.assign(n, 0.0); // llama.cpp scores every token 0 then
    if (scores.size() != n)
        r.fail(r.key(kScores) + " has " + std::to_string(scores.size()) + " entries for " + std::to_string(n) + " tokens");

    SentencePieceModel model;
    model.pieces.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        SentencePieceModel::Piece& p = model.pieces[i];
        p.piece = tokens[i];
        if (!(scores[i] >= -3.4e38 && scores[i] <= 3.4e38))
            r.fail(r.key(kScores) + " entry " + std::to_string(i) + " is not a finite float");
        p.score = static_cast<float>(scores[i]);
        const std::int64_t t = types[i];
        p.type = t >= Normal && t <= Byte ? static_cast<SentencePieceModel::PieceType>(t)
                                          : SentencePieceModel::PieceType::Normal;
    }
    model.modelType = SentencePieceModel::ModelType::Bpe;
    model.byteFallback = true; // llama.cpp falls back to <0xNN> tokens whenever they are there
    // llama.cpp's defaults for a SentencePiece vocabulary: unk 0, bos 1, eos 2, add_bos, no add_eos.
    model.unkId = r.tokenId("tokenizer.ggml.unknown_token_id", 0, n);
    model.bosId = r.tokenId("tokenizer.ggml.bos_token_id", static_cast<int>(std::min<std::size_t>(1, n - 1)), n);
    model.eosId = r.tokenId("tokenizer.ggml.eos_token_id", static_cast<int>(std::min<std::size_t>(2, n - 1)), n);
    model.addDummyPrefix = r.flag("tokenizer.ggml.add_space_prefix", true);

    SentencePieceLayout layout;
    layout.family = SentencePieceLayout::Family::Llama;
    layout.legacy = true; // llama.cpp prefixes a space to the text after every special token
    layout.addPrefixSpace = true;
    layout.addBos = r.flag("tokenizer.ggml.add_bos_token", true);
    layout.addEos = r.flag("tokenizer.ggml.add_eos_token", false);
    // Unknown-type tokens are matched in the text too (control and user-defined ones already are).
    for (const AddedToken& t : specialTokens(tokens, types)) {
        if (types[static_cast<std::size_t>(t.id)] == Unknown)
            layout.configTokens.push_back(t);
    }
    return bpeFromSentencePiece(model, layout);
}

} // namespace

std::unique_ptr<Tokenizer> tokenizerFromGguf(const GgufFile& file)
{
    const Reader r(file);
    const std::optional<std::string> model = file.string(kModel);
    if (!model)
        r.fail("no " + r.key(kModel) + ": the file carries no tokenizer");
    try {
        if (*model == "gpt2")
            return byteLevel(r);
        if (*model == "llama")
            return sentencePiece(r);
    } catch (const TokenizerError& e) {
        r.fail(std::string("tokenizer: ") + e.what());
    }
    r.fail(r.key(kModel) + " is " + quotedForMessage(*model) +
           ", a tokenizer AttnViz does not read from GGUF (\"gpt2\" byte-level BPE and \"llama\" SentencePiece are)");
}

} // namespace attnviz
