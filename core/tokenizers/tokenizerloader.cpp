// The loaders declared in tokenizer.h: they read the files, pick the tokenizer class and turn
// every failure into a TokenizerError naming the file.
#include "tokenizers/tokenizer.h"

#include "tokenizers/bytelevelbpetokenizer.h"
#include "tokenizers/sentencepiecebpetokenizer.h"
#include "tokenizers/sentencepiecemodel.h"
#include "tokenizers/tokenizerjson.h"
#include "tokenizers/wordpiecetokenizer.h"
#include "util/json.h"
#include "util/regularfile.h"
#include "util/messagetext.h"

#include <filesystem>
#include <sstream>

namespace attnviz {

namespace {

std::string readFile(const std::string& path, std::size_t maxBytes = fileLimits::tokenizer)
{
    try {
        return readTextFile(path, maxBytes);
    } catch (const FileError& e) {
        throw TokenizerError(e.what());
    }
}

std::vector<std::string> lines(const std::string& text)
{
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        out.push_back(std::move(line));
    }
    return out;
}

template <typename F>
auto withPath(const std::string& path, F&& f) -> decltype(f())
{
    try {
        return f();
    } catch (const TokenizerError& e) {
        const std::string what = e.what();
        if (what.rfind(path, 0) == 0)
            throw;
        throw TokenizerError(path + ": " + what);
    } catch (const json::ParseError& e) {
        throw TokenizerError(path + ": invalid JSON: " + e.what());
    } catch (const std::exception& e) {
        throw TokenizerError(path + ": " + e.what());
    }
}

// Whether the folder holds `p`: anything there counts, so that a directory, FIFO or symlink loop
// named tokenizer.json is refused by readFile with a message that says what it is.
bool isFile(const std::filesystem::path& p)
{
    return isPresent(p.string());
}

// A small JSON file of the folder, or null when it is not there.
json::Value optionalJson(const std::filesystem::path& p)
{
    if (!isFile(p))
        return json::Value();
    const std::string text = readFile(p.string(), fileLimits::smallJson);
    return withPath(p.string(), [&] { return json::parse(text); });
}

// tokenizer_config.json's added_tokens_decoder: {"id": {"content": …, "special": …}, …}.
std::vector<AddedToken> addedTokensDecoder(const json::Value& config, const std::filesystem::path& file)
{
    std::vector<AddedToken> out;
    const json::Value* decoder = config.isObject() ? config.find("added_tokens_decoder") : nullptr;
    if (!decoder || !decoder->isObject())
        return out;
    for (const auto& [key, t] : decoder->asObject()) {
        const json::Value* content = t.find("content");
        if (!content || !content->isString() || key.empty() || key.size() > 9 ||
            key.find_first_not_of("0123456789") != std::string::npos)
            throw TokenizerError(file.string() + ": added_tokens_decoder entry without a numeric id and string content");
        out.push_back({std::stoi(key), content->asString(), jsonBool(&t, "special", false), jsonBool(&t, "lstrip", false),
                       jsonBool(&t, "rstrip", false)});
    }
    return out;
}

// tokenizer_config.json's tokenizer_class without the "Fast" suffix, or "".
std::string tokenizerClass(const json::Value& config)
{
    std::string cls = config.isObject() ? jsonString(&config, "tokenizer_class", "") : "";
    if (cls.ends_with("Fast"))
        cls.resize(cls.size() - 4);
    return cls;
}

// Which Hugging Face layout a .model file gets: tokenizer_config.json's tokenizer_class, else
// config.json's model_type. Anything else is refused: each family lays out special tokens and
// ids in its own way, and guessing would give ids that silently miss the embedding rows.
SentencePieceLayout layoutFor(const std::filesystem::path& dir, const std::string& modelPath)
{
    const json::Value config = optionalJson(dir / "tokenizer_config.json");
    const json::Value model = optionalJson(dir / "config.json");
    const std::string cls = tokenizerClass(config);
    const std::string type = model.isObject() ? jsonString(&model, "model_type", "") : "";
    SentencePieceLayout layout;
    if (cls == "AlbertTokenizer" || (cls.empty() && type == "albert"))
        layout.family = SentencePieceLayout::Family::Albert;
    else if (cls == "XLMRobertaTokenizer" || (cls.empty() && type == "xlm-roberta"))
        layout.family = SentencePieceLayout::Family::XlmRoberta;
    else if (cls == "CamembertTokenizer" || (cls.empty() && type == "camembert"))
        layout.family = SentencePieceLayout::Family::Camembert;
    else if (cls == "T5Tokenizer" || (cls.empty() && (type == "t5" || type == "mt5")))
        layout.family = SentencePieceLayout::Family::T5;
    else if (cls == "LlamaTokenizer" || (cls.empty() && (type == "llama" || type == "mistral")))
        layout.family = SentencePieceLayout::Family::Llama;
    else
        throw TokenizerError(modelPath + ": a SentencePiece .model without tokenizer.json is read for ALBERT, "
                             "XLM-RoBERTa, CamemBERT, T5 and Llama/Mistral folders only (tokenizer_class " +
                             quotedForMessage(cls) +
                             ", model_type " + quotedForMessage(type) + "); add the tokenizer.json");
    if (!config.isObject())
        return layout;
    layout.lowercase = jsonBool(&config, "do_lower_case", true);
    layout.keepAccents = jsonBool(&config, "keep_accents", false);
    layout.removeSpace = jsonBool(&config, "remove_space", true);
    layout.legacy = jsonBool(&config, "legacy", true); // the slow LlamaTokenizer's default
    layout.addPrefixSpace = jsonBool(&config, "add_prefix_space", true);
    layout.addBos = jsonBool(&config, "add_bos_token", true);
    layout.addEos = jsonBool(&config, "add_eos_token", false);
    if (const json::Value* extra = config.find("extra_ids"); extra && extra->isNumber())
        layout.extraIds = intFromJson(*extra, "tokenizer_config.json extra_ids", 0, 100000);
    layout.configTokens = addedTokensDecoder(config, dir / "tokenizer_config.json");
    return layout;
}

// How a vocab.json + merges.txt folder splits words and which tokens it adds, from
// tokenizer_config.json (tokenizer_class, add_prefix_space, added_tokens_decoder), added_tokens.json
// and config.json's model_type. Qwen2 splits digits one by one where GPT-2 keeps runs together, so
// the class decides; a class this reader does not know is refused, not tokenised the GPT-2 way.
struct ByteLevelFolder
{
    ByteLevelBpeTokenizer::Split split = ByteLevelBpeTokenizer::Split::Gpt2;
    bool addPrefixSpace = false;
    bool nfc = false; // Qwen2Converter puts an NFC normalizer in front
    std::vector<AddedToken> added;
};

ByteLevelFolder byteLevelFolder(const std::filesystem::path& dir)
{
    const json::Value config = optionalJson(dir / "tokenizer_config.json");
    const json::Value model = optionalJson(dir / "config.json");
    const std::string cls = tokenizerClass(config);
    const std::string type = model.isObject() ? jsonString(&model, "model_type", "") : "";
    ByteLevelFolder f;
    if (cls == "Qwen2Tokenizer" || (cls.empty() && (type == "qwen2" || type == "qwen3"))) {
        f.split = ByteLevelBpeTokenizer::Split::Qwen2;
        f.nfc = true;
    } else if (!cls.empty() && cls != "GPT2Tokenizer" && cls != "RobertaTokenizer" && cls != "BartTokenizer" &&
             cls != "CodeGenTokenizer" && cls != "LongformerTokenizer")
        throw TokenizerError((dir / "vocab.json").string() + ": tokenizer_class " + quotedForMessage(cls) +
                             " without tokenizer.json is not read (GPT-2, RoBERTa, BART, CodeGen, Longformer and "
                             "Qwen2 are); add the tokenizer.json");
    f.addPrefixSpace = config.isObject() && jsonBool(&config, "add_prefix_space", false);
    f.added = addedTokensDecoder(config, dir / "tokenizer_config.json");
    const json::Value extra = optionalJson(dir / "added_tokens.json"); // {"content": id, …}
    if (extra.isObject()) {
        for (const auto& [content, id] : extra.asObject()) {
            if (!id.isNumber() || content.empty())
                throw TokenizerError((dir / "added_tokens.json").string() + ": each entry must map a token to its id");
            f.added.push_back({intFromJson(id, "added_tokens.json id", 0, 1 << 30), content, false, false, false});
        }
    }
    return f;
}

} // namespace

std::unique_ptr<Tokenizer> loadTokenizerJson(const std::string& path)
{
    const std::string text = readFile(path);
    return withPath(path, [&] { return tokenizerFromJson(json::parse(text)); });
}

namespace {

std::unique_ptr<Tokenizer> loadByteLevel(const std::string& vocabJson, const std::string& merges, const ByteLevelFolder& folder)
{
    const std::string vocabText = readFile(vocabJson);
    const std::string mergesText = readFile(merges);
    std::vector<std::pair<std::string, int>> vocab = withPath(vocabJson, [&] {
        return vocabFromJson(json::parse(vocabText));
    });
    std::vector<std::pair<std::string, std::string>> mergeList = withPath(merges, [&] {
        std::vector<std::pair<std::string, std::string>> out;
        for (const std::string& line : lines(mergesText)) {
            if (line.empty() || line.starts_with("#version"))
                continue;
            const std::size_t space = line.find(' ');
            if (space == std::string::npos || space == 0 || space + 1 == line.size())
                throw TokenizerError("merge line " + quotedForMessage(line) + " is not two pieces separated by a space");
            out.emplace_back(line.substr(0, space), line.substr(space + 1));
        }
        return out;
    });
    return withPath(vocabJson, [&] {
        AddedTokens added;
        for (const AddedToken& t : folder.added)
            added.add(t);
        for (const auto& [piece, id] : vocab)
            if (piece == "<|endoftext|>" && added.findContent(piece) == nullptr)
                added.add({id, piece, true, false, false});
        auto tok = std::make_unique<ByteLevelBpeTokenizer>(BpeModel(std::move(vocab), mergeList), std::move(added),
                                                           PostProcessor(), folder.addPrefixSpace, folder.split);
        if (folder.nfc) {
            TextNormalizer nfc;
            nfc.addUnicodeForm(unicode::NormalForm::Nfc);
            tok->setNormalizer(std::move(nfc));
        }
        return tok;
    });
}

} // namespace

std::unique_ptr<Tokenizer> loadGpt2Tokenizer(const std::string& vocabJson, const std::string& merges)
{
    return loadByteLevel(vocabJson, merges, ByteLevelFolder{});
}

std::unique_ptr<Tokenizer> loadWordPieceTokenizer(const std::string& vocabTxt, bool lowercase)
{
    const std::string text = readFile(vocabTxt);
    return withPath(vocabTxt, [&]() -> std::unique_ptr<Tokenizer> {
        std::vector<std::pair<std::string, int>> vocab;
        std::vector<std::string> all = lines(text);
        while (!all.empty() && all.back().empty())
            all.pop_back();
        if (all.empty())
            throw TokenizerError("the vocabulary is empty");
        for (std::size_t i = 0; i < all.size(); ++i)
            vocab.emplace_back(all[i], static_cast<int>(i));
        AddedTokens added;
        const auto idOf = [&](const std::string& piece) {
            for (const auto& [p, id] : vocab)
                if (p == piece)
                    return id;
            return -1;
        };
        for (const char* special : {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"})
            if (const int id = idOf(special); id >= 0)
                added.add({id, special, true, false, false});
        const int cls = idOf("[CLS]");
        const int sep = idOf("[SEP]");
        PostProcessor post = cls >= 0 && sep >= 0 ? PostProcessor::bert(cls, "[CLS]", sep, "[SEP]") : PostProcessor();
        WordPieceTokenizer::Options options;
        options.lowercase = lowercase;
        options.stripAccents = lowercase;
        return std::make_unique<WordPieceTokenizer>(vocab, options, std::move(added), std::move(post));
    });
}

std::unique_ptr<Tokenizer> loadSentencePieceModel(const std::string& path)
{
    const std::filesystem::path file(path);
    const SentencePieceLayout layout = layoutFor(file.parent_path(), path);
    std::string bytes;
    try {
        bytes = RegularFile(path).readAll(fileLimits::tokenizer);
    } catch (const FileError& e) {
        throw TokenizerError(e.what());
    }
    return withPath(path, [&] { return tokenizerFromSentencePiece(parseSentencePieceModel(bytes), layout); });
}

std::unique_ptr<Tokenizer> loadTokenizerFromFolder(const std::string& folder)
{
    const std::filesystem::path dir(folder);
    if (isFile(dir / "tokenizer.json"))
        return loadTokenizerJson((dir / "tokenizer.json").string());
    for (const char* name : {"spiece.model", "sentencepiece.bpe.model", "tokenizer.model"})
        if (isFile(dir / name))
            return loadSentencePieceModel((dir / name).string());
    for (const auto& [vocab, merges] : {std::pair{"vocab.json", "merges.txt"}, {"encoder.json", "vocab.bpe"}})
        if (isFile(dir / vocab) && isFile(dir / merges))
            return loadByteLevel((dir / vocab).string(), (dir / merges).string(), byteLevelFolder(dir));
    if (isFile(dir / "vocab.txt")) {
        bool lowercase = true;
        const std::filesystem::path config = dir / "tokenizer_config.json";
        if (isFile(config)) {
            const std::string text = readFile(config.string(), fileLimits::smallJson);
            const json::Value root = withPath(config.string(), [&] { return json::parse(text); });
            if (const json::Value* v = root.find("do_lower_case"); v && v->isBool())
                lowercase = v->asBool();
        }
        return loadWordPieceTokenizer((dir / "vocab.txt").string(), lowercase);
    }
    throw TokenizerError(folder + ": no tokenizer.json, SentencePiece .model, vocab.json + merges.txt or vocab.txt in this folder");
}

} // namespace attnviz
