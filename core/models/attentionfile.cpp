#include "models/attentionfile.h"

#include "base/modelloaderror.h"
#include "base/tensor.h"
#include "compute/ggmldequant.h"
#include "models/safetensors.h"
#include "tokenizers/bytedisplay.h"
#include "util/checkednumbers.h"
#include "util/json.h"
#include "util/messagetext.h"
#include "util/sizelimits.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <cstring>
#include <optional>

namespace attnviz {

namespace {

constexpr int maxTokens = 1 << 20;
constexpr int maxStacks = 16;
constexpr float weightSlack = 1e-3f; // rounding of exporters (F16, BF16) above 1 or below 0

// Field access that names what is wrong: "file: tokens[3].begin is not an integer".
class Fields
{
public:
    Fields(const json::Value& object, std::string where) : m_object(object), m_where(std::move(where))
    {
        if (!object.isObject()) fail("is not a JSON object");
    }
    // `problem` starting with "." continues the field's name ("….stacks[0].mask must be …").
    [[noreturn]] void fail(const std::string& problem) const
    {
        throw ModelLoadError(m_where + (problem.starts_with('.') ? "" : " ") + problem);
    }
    const std::string& where() const { return m_where; }
    const json::Value* find(const char* key) const { return m_object.find(key); }
    const json::Value& require(const char* key) const
    {
        const json::Value* v = m_object.find(key);
        if (v == nullptr) throw ModelLoadError(m_where + "." + key + " is missing");
        return *v;
    }
    int integer(const char* key, int lo, int hi, std::optional<int> fallback = std::nullopt) const
    {
        const json::Value* v = m_object.find(key);
        if (v == nullptr && fallback) return *fallback;
        return checked::toInt<ModelLoadError>(v != nullptr ? *v : require(key), m_where + "." + key, lo, hi);
    }
    std::string text(const char* key, std::optional<std::string> fallback = std::nullopt) const
    {
        const json::Value* v = m_object.find(key);
        if (v == nullptr && fallback) return *fallback;
        const json::Value& value = v != nullptr ? *v : require(key);
        if (!value.isString()) throw ModelLoadError(m_where + "." + key + " is not a string");
        return value.asString();
    }
    bool flag(const char* key, bool fallback) const
    {
        const json::Value* v = m_object.find(key);
        if (v == nullptr) return fallback;
        if (!v->isBool()) throw ModelLoadError(m_where + "." + key + " is not true or false");
        return v->asBool();
    }

private:
    const json::Value& m_object;
    std::string m_where;
};

// textBytes: the length of the text the offsets point into (secondBytes: sentence B's, for
// tokens of segment 1), or none when the document has no such text.
std::vector<Token> readTokens(const json::Value* list, const std::string& where, std::optional<std::size_t> textBytes,
                              std::optional<std::size_t> secondBytes = std::nullopt)
{
    std::vector<Token> tokens;
    if (list == nullptr) return tokens;
    if (!list->isArray()) throw ModelLoadError(where + " is not an array");
    if (list->asArray().size() > static_cast<std::size_t>(maxTokens))
        throw ModelLoadError(where + " lists " + std::to_string(list->asArray().size()) + " tokens (at most " +
                             std::to_string(maxTokens) + ")");
    const auto bound = [](std::optional<std::size_t> length) {
        return static_cast<int>(std::min<std::size_t>(length.value_or(SIZE_MAX), std::size_t(maxTokens) * 64));
    };
    for (std::size_t i = 0; i < list->asArray().size(); ++i) {
        const Fields f(list->asArray()[i], where + "[" + std::to_string(i) + "]");
        Token t;
        // Texts come from any tool: shown like tokenizer labels, control characters escaped.
        const std::string text = f.text("text");
        t.display = displayForBytes(text);
        t.piece = f.text("piece", text);
        t.id = f.integer("id", -1, maxTokenId, -1);
        t.segment = f.integer("segment", 0, 1, 0);
        const int bytes = bound(t.segment == 1 ? secondBytes : textBytes);
        t.begin = f.integer("begin", -1, bytes, -1);
        t.end = f.integer("end", -1, bytes, -1);
        if ((t.begin < 0) != (t.end < 0) || t.end < t.begin)
            f.fail("has begin " + std::to_string(t.begin) + " and end " + std::to_string(t.end) +
                   " (both or neither, begin ≤ end, within the text)");
        t.word = f.integer("word", -1, maxTokens, -1);
        t.special = f.flag("special", false);
        tokens.push_back(std::move(t));
    }
    return tokens;
}

// One stack as stored: its shape, which heads in which order, and the tensors that hold them.
struct StoredStack
{
    std::string name, mask;
    bool queriesFromSource = false, keysFromSource = false;
    int layers = 0, heads = 0, queries = 0, keys = 0;
    int kept = 0; // top-k: k; 0 = dense
    std::vector<int> order; // storage index → layer × heads + head
    std::vector<bool> held; // (layers × heads)
    const TensorInfo* weights = nullptr;
    const TensorInfo* keyIndices = nullptr; // top-k only
    compute::GgmlType type{};
};

struct Document
{
    ModelInfo info;
    std::vector<Token> tokens, sourceTokens;
    std::vector<StoredStack> stacks;
    std::vector<std::string> notices;
};

std::int32_t loadI32(const std::uint8_t* p)
{
    std::int32_t v;
    std::memcpy(&v, p, sizeof v); // unaligned, little-endian (safetensors)
    return v;
}

// The (layer, head) pairs a stack stores: its `heads` tensor, or all of them layer-major.
void readHeldHeads(const SafetensorsFile& file, const std::string& prefix, StoredStack& s)
{
    s.held.assign(static_cast<std::size_t>(s.layers) * s.heads, false);
    const TensorInfo* list = file.find(prefix + "heads");
    if (list == nullptr) {
        for (int i = 0; i < s.layers * s.heads; ++i) s.order.push_back(i);
        s.held.assign(s.held.size(), true);
        return;
    }
    const std::string where = file.path() + ": tensor " + quotedForMessage(list->name);
    if (list->dtype != "I32" || list->shape.size() != 2 || list->shape[1] != 2 || list->shape[0] < 1 ||
        list->shape[0] > static_cast<std::int64_t>(s.held.size()))
        throw ModelLoadError(where + " must be I32 [N, 2] with 1 ≤ N ≤ layers × heads; it is " + list->dtype + " " +
                             shapeText(list->shape));
    const std::uint8_t* p = file.tensorBytes(*list).data();
    for (std::int64_t n = 0; n < list->shape[0]; ++n) {
        const std::int32_t layer = loadI32(p + 8 * n), head = loadI32(p + 8 * n + 4);
        if (layer < 0 || layer >= s.layers || head < 0 || head >= s.heads)
            throw ModelLoadError(where + " row " + std::to_string(n) + " names layer " + std::to_string(layer) +
                                 " head " + std::to_string(head) + ", outside " + std::to_string(s.layers) +
                                 " layers × " + std::to_string(s.heads) + " heads");
        const int index = layer * s.heads + head;
        if (s.held[static_cast<std::size_t>(index)])
            throw ModelLoadError(where + " names layer " + std::to_string(layer) + " head " + std::to_string(head) +
                                 " twice");
        s.held[static_cast<std::size_t>(index)] = true;
        s.order.push_back(index);
    }
}

// A stored tensor of `dtypes` with the leading dimensions the stack's storage implies.
const TensorInfo& stackTensor(const SafetensorsFile& file, const std::string& name, const StoredStack& s,
                              bool listed, int rows, int cols, bool integer)
{
    const TensorInfo* t = file.find(name);
    if (t == nullptr) throw ModelLoadError(file.path() + ": tensor " + quotedForMessage(name) + " is missing");
    std::vector<std::int64_t> want;
    if (listed)
        want = {static_cast<std::int64_t>(s.order.size()), rows, cols};
    else
        want = {s.layers, s.heads, rows, cols};
    const std::string where = file.path() + ": tensor " + quotedForMessage(name);
    if (t->shape != want)
        throw ModelLoadError(where + " has shape " + shapeText(t->shape) + "; the document implies " + shapeText(want));
    const bool ok = integer ? t->dtype == "I32" : (t->dtype == "F32" || t->dtype == "F16" || t->dtype == "BF16");
    if (!ok) throw ModelLoadError(where + " has dtype " + t->dtype + " (expected " + (integer ? "I32" : "F32, F16 or BF16") + ")");
    return *t;
}

StoredStack readStack(const SafetensorsFile& file, const json::Value& entry, int index, const Document& doc,
                      std::size_t& decodedFloats)
{
    const Fields f(entry, file.path() + ": stacks[" + std::to_string(index) + "]");
    StoredStack s;
    s.name = f.text("name");
    const auto side = [&](const char* key) {
        const std::string v = f.text(key);
        if (v != "tokens" && v != "source_tokens") f.fail(std::string(".") + key + " must be tokens or source_tokens");
        if (v == "source_tokens" && doc.sourceTokens.empty()) f.fail(std::string(".") + key + " names source_tokens, which the document lacks");
        return v == "source_tokens";
    };
    s.queriesFromSource = side("queries");
    s.keysFromSource = side("keys");
    s.layers = f.integer("layers", 1, sizeLimit(SizeKind::Layers).max);
    s.heads = f.integer("heads", 1, sizeLimit(SizeKind::Heads).max);
    s.mask = f.text("mask", std::string("none"));
    if (s.mask != "causal" && s.mask != "padding" && s.mask != "none" && s.mask != "custom")
        f.fail(".mask must be causal, padding, none or custom");
    const std::string storage = f.text("storage", std::string("dense"));
    if (storage != "dense" && storage != "top_k") f.fail(".storage must be dense or top_k");
    s.queries = static_cast<int>((s.queriesFromSource ? doc.sourceTokens : doc.tokens).size());
    s.keys = static_cast<int>((s.keysFromSource ? doc.sourceTokens : doc.tokens).size());
    if (s.queries == 0 || s.keys == 0) f.fail("has no query or no key tokens");

    const std::string prefix = "stacks." + std::to_string(index) + ".";
    readHeldHeads(file, prefix, s);
    const bool listed = file.find(prefix + "heads") != nullptr;
    if (storage == "dense") {
        s.weights = &stackTensor(file, prefix + "weights", s, listed, s.queries, s.keys, false);
    } else {
        const TensorInfo* w = file.find(prefix + "topk_weights");
        if (w == nullptr || w->shape.size() < 2)
            throw ModelLoadError(file.path() + ": tensor " + quotedForMessage(prefix + "topk_weights") + " is missing");
        const std::int64_t k = w->shape.back();
        if (k < 1 || k > s.keys)
            throw ModelLoadError(file.path() + ": tensor " + quotedForMessage(w->name) + " keeps " + std::to_string(k) +
                                 " weights per row; 1 to " + std::to_string(s.keys) + " (the keys) are possible");
        s.kept = static_cast<int>(k);
        s.weights = &stackTensor(file, prefix + "topk_weights", s, listed, s.queries, s.kept, false);
        s.keyIndices = &stackTensor(file, prefix + "topk_keys", s, listed, s.queries, s.kept, true);
    }
    s.type = file.decodableType(*s.weights).type;
    // Decoded size, checked before anything is allocated for it.
    const std::size_t floats = s.order.size() * static_cast<std::size_t>(s.queries) * static_cast<std::size_t>(s.keys);
    decodedFloats += floats;
    if (decodedFloats > maxDecodedAttentionFloats)
        throw ModelLoadError(file.path() + ": the maps need " + std::to_string(decodedFloats * 4 >> 20) +
                             " MiB once decoded, more than the " + std::to_string(maxDecodedAttentionFloats * 4 >> 20) +
                             " MiB AttnViz decodes at once; export fewer heads, or top-k, for this input length");
    return s;
}

Document readDocument(const SafetensorsFile& file)
{
    const std::string* format = file.metadata("format");
    if (format == nullptr || *format != attentionFileFormat)
        throw ModelLoadError(file.path() + ": a safetensors file without AttnViz attention metadata (__metadata__ "
                             "format \"" + attentionFileFormat + "\"); to open a checkpoint, open its folder");
    const std::string* text = file.metadata("attnviz");
    if (text == nullptr) throw ModelLoadError(file.path() + ": __metadata__ has no \"attnviz\" document");
    json::Value root;
    try {
        root = json::parse(*text);
    } catch (const json::ParseError& e) {
        throw ModelLoadError(file.path() + ": the \"attnviz\" document is not valid JSON: " + e.what());
    }
    const Fields top(root, file.path() + ": document");
    const int version = top.integer("version", 0, 1 << 30);
    if (version > attentionFileVersion)
        top.fail(".version is " + std::to_string(version) + "; this AttnViz reads version " +
                 std::to_string(attentionFileVersion) + " (update AttnViz)");
    if (version < 1) top.fail(".version must be 1");

    Document doc;
    const Fields model(top.require("model"), top.where() + ".model");
    doc.info.name = model.text("name");
    doc.info.family = model.text("family");
    doc.info.dModel = model.integer("d_model", 0, sizeLimit(SizeKind::Width).max, 0);
    doc.info.causal = model.flag("causal", false);
    doc.info.takesText = false;
    doc.info.recorded = true;
    const int layers = model.integer("layers", 1, sizeLimit(SizeKind::Layers).max);
    const int heads = model.integer("heads", 1, sizeLimit(SizeKind::Heads).max);
    model.integer("kv_heads", 1, heads, heads); // checked; shown nowhere yet

    const auto textLength = [&](const char* key) -> std::optional<std::size_t> {
        if (top.find(key) == nullptr) return std::nullopt;
        return top.text(key).size();
    };
    doc.tokens = readTokens(&top.require("tokens"), top.where() + ".tokens", textLength("text"), textLength("second_text"));
    doc.sourceTokens = readTokens(top.find("source_tokens"), top.where() + ".source_tokens", textLength("source_text"));
    if (doc.tokens.empty()) top.fail(".tokens is empty");

    const json::Value& stacks = top.require("stacks");
    if (!stacks.isArray() || stacks.asArray().empty() || stacks.asArray().size() > static_cast<std::size_t>(maxStacks))
        top.fail(".stacks must be an array of 1 to " + std::to_string(maxStacks) + " stacks");
    std::size_t decoded = 0;
    for (std::size_t i = 0; i < stacks.asArray().size(); ++i)
        doc.stacks.push_back(readStack(file, stacks.asArray()[i], static_cast<int>(i), doc, decoded));
    for (std::size_t i = 0; i < doc.stacks.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            if (doc.stacks[i].name == doc.stacks[j].name)
                top.fail(".stacks names " + quotedForMessage(doc.stacks[i].name) + " twice");
    // The model's shape is that of its last stack (the decoder of an encoder–decoder), as for models.
    const StoredStack& main = doc.stacks.back();
    if (main.layers != layers || main.heads != heads)
        top.fail(".model says " + std::to_string(layers) + " layers × " + std::to_string(heads) + " heads but stack " +
                 quotedForMessage(main.name) + " has " + std::to_string(main.layers) + " × " + std::to_string(main.heads));
    doc.info.layers = layers;
    doc.info.heads = heads;
    if (const json::Value* notes = top.find("notices")) {
        if (!notes->isArray() || notes->asArray().size() > 64) top.fail(".notices must be an array of at most 64 strings");
        for (const auto& n : notes->asArray()) {
            if (!n.isString()) top.fail(".notices must hold strings");
            doc.notices.push_back(n.asString().substr(0, 1000));
        }
    }
    return doc;
}

// Decodes one stack from the mapped file, refusing a weight that is not finite or outside [0, 1]
// and a repeated or out-of-range key index.
AttentionStack decodeStack(const SafetensorsFile& file, const StoredStack& s, const std::atomic<bool>* cancel)
{
    AttentionStack out;
    out.name = s.name;
    out.queriesFromSource = s.queriesFromSource;
    out.keysFromSource = s.keysFromSource;
    out.keptPerQuery = s.kept;
    AttentionTensor& a = out.attention;
    a.resizeHolding(s.layers, s.heads, s.queries, s.keys, s.held);
    const int columns = s.kept > 0 ? s.kept : s.keys;
    const std::size_t rowFloats = static_cast<std::size_t>(s.queries) * columns;
    const std::size_t elementBytes = dtypeSize(s.weights->dtype);
    const std::uint8_t* weights = file.tensorBytes(*s.weights).data();
    const std::uint8_t* indices = s.keyIndices != nullptr ? file.tensorBytes(*s.keyIndices).data() : nullptr;
    if (s.kept > 0) out.retainedMass.assign(s.order.size() * static_cast<std::size_t>(s.queries), 0.0f);
    std::vector<float> values(rowFloats);
    std::vector<int> seen(static_cast<std::size_t>(s.keys), -1); // row that last set each key
    for (std::size_t n = 0; n < s.order.size(); ++n) {
        throwIfCancelled(cancel);
        const int layer = s.order[n] / s.heads, head = s.order[n] % s.heads;
        const int slot = a.slotOf(layer, head);
        float* map = a.head(layer, head);
        compute::dequantizeRow(s.type, weights + n * rowFloats * elementBytes, values.data(),
                               static_cast<std::int64_t>(rowFloats));
        for (std::size_t i = 0; i < rowFloats; ++i) {
            const float w = values[i];
            if (!(w >= -weightSlack && w <= 1.0f + weightSlack)) // NaN fails too
                throw ModelLoadError(file.path() + ": tensor " + quotedForMessage(s.weights->name) + " holds " +
                                     std::to_string(w) + " for layer " + std::to_string(layer) + " head " +
                                     std::to_string(head) + " (attention weights lie in [0, 1])");
        }
        if (s.kept == 0) {
            std::copy(values.begin(), values.end(), map);
            continue;
        }
        for (int q = 0; q < s.queries; ++q) {
            const int rowId = static_cast<int>(n) * s.queries + q;
            float mass = 0.0f;
            for (int j = 0; j < s.kept; ++j) {
                const std::size_t cell = static_cast<std::size_t>(q) * s.kept + j;
                const std::int32_t key = loadI32(indices + 4 * (n * rowFloats + cell));
                if (key < 0 || key >= s.keys || seen[static_cast<std::size_t>(key)] == rowId)
                    throw ModelLoadError(file.path() + ": tensor " + quotedForMessage(s.keyIndices->name) +
                                         " has key " + std::to_string(key) + " in layer " + std::to_string(layer) +
                                         " head " + std::to_string(head) + " query " + std::to_string(q) +
                                         (key < 0 || key >= s.keys ? " (outside the keys)" : " twice"));
                seen[static_cast<std::size_t>(key)] = rowId;
                map[static_cast<std::size_t>(q) * s.keys + key] = values[cell];
                mass += values[cell];
            }
            out.retainedMass[static_cast<std::size_t>(slot) * s.queries + q] = mass;
        }
    }
    return out;
}

class AttentionFileModel : public AttentionModel
{
public:
    explicit AttentionFileModel(const std::string& path) : m_file(path), m_doc(readDocument(m_file))
    {
        for (const StoredStack& s : m_doc.stacks) { // every value checked at open
            m_opened.push_back(decodeStack(m_file, s, nullptr));
            const std::vector<float>& mass = m_opened.back().retainedMass;
            if (s.kept > 0 && !mass.empty())
                m_leastRetained = std::min(m_leastRetained, *std::min_element(mass.begin(), mass.end()));
        }
    }

    ModelInfo info() const override { return m_doc.info; }

    std::shared_ptr<AttentionResult> run(const RunRequest& request) const override
    {
        auto result = std::make_shared<AttentionResult>();
        result->model = m_doc.info;
        result->tokens = m_doc.tokens;
        result->sourceTokens = m_doc.sourceTokens;
        if (!m_opened.empty()) // the first run takes what open decoded to check it, instead of decoding again
            result->stacks = std::move(m_opened);
        else
            for (const StoredStack& s : m_doc.stacks) result->stacks.push_back(decodeStack(m_file, s, request.cancel));
        m_opened.clear();
        result->notices = m_doc.notices;
        result->notices.push_back(describe());
        const char* needsModel = nullptr;
        if (!request.ablatedHeads.empty())
            needsModel = "ablation";
        else if (request.mask != MaskOverride::ModelDefault)
            needsModel = "a different mask";
        else if (request.scale && !*request.scale)
            needsModel = "scores without ÷√d_k"; // the pipeline view says it for itself (ModelInfo::recorded)
        if (needsModel != nullptr)
            result->notices.push_back(std::string(needsModel) +
                                      " needs the model itself: an attention file holds only the maps it was given");
        return result;
    }

private:
    std::string describe() const
    {
        const StoredStack& s = m_doc.stacks.back();
        std::string text = "attention recorded in a file (" + s.weights->dtype + "): " +
                           std::to_string(s.order.size()) + " of " + std::to_string(s.layers * s.heads) + " maps";
        if (s.kept > 0) {
            char least[16];
            std::snprintf(least, sizeof least, "%.3f", static_cast<double>(m_leastRetained));
            text += ", the " + std::to_string(s.kept) + " largest weights of each query row (the rest read 0; every row keeps at least " +
                    least + " of its weight)";
        }
        return text;
    }

    SafetensorsFile m_file;
    Document m_doc;
    float m_leastRetained = 1.0f; // the smallest retained mass of any row of a top-k stack
    // What open decoded to validate every value, handed to the first run (one run at a time).
    mutable std::vector<AttentionStack> m_opened;
};

} // namespace

std::unique_ptr<AttentionModel> openAttentionFile(const std::string& path)
{
    return std::make_unique<AttentionFileModel>(path);
}

} // namespace attnviz
