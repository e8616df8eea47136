#include "models/attentionfilewriter.h"

#include "compute/halffloat.h"
#include "models/attentionfile.h"
#include "util/json.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <stdexcept>
#include <unistd.h>

namespace attnviz {

namespace {

// What one stack writes: which heads, in which order, and its tensors' shapes.
struct StackPlan
{
    const AttentionStack* stack = nullptr;
    std::vector<std::pair<int, int>> heads; // (layer, head) in storage order
    bool listed = false;                    // a `heads` tensor names them (not every head)
    int columns = 0;                        // keys, or k
};

StackPlan planStack(const AttentionStack& s, const AttentionFileOptions& options)
{
    StackPlan p;
    p.stack = &s;
    const AttentionTensor& a = s.attention;
    for (int l = 0; l < a.layers; ++l)
        for (int h = 0; h < a.heads; ++h)
            if (a.holds(l, h) && (options.heads.empty() || options.heads.count({l, h}) != 0)) p.heads.emplace_back(l, h);
    p.listed = static_cast<int>(p.heads.size()) != a.layers * a.heads;
    p.columns = options.topK > 0 ? std::min(options.topK, a.keys) : a.keys;
    return p;
}

// Byte offsets only with the text they point into.
void writeTokens(json::Writer& w, const std::vector<Token>& tokens, bool withOffsets)
{
    w.beginArray();
    for (const Token& t : tokens) {
        w.beginObject(); // one line per token keeps the header readable with `head -c`
        w.key("text").value(std::string_view(t.display));
        if (t.piece != t.display) w.key("piece").value(std::string_view(t.piece));
        if (t.id >= 0) w.key("id").value(t.id);
        if (withOffsets && t.begin >= 0) w.key("begin").value(t.begin).key("end").value(t.end);
        if (t.word >= 0) w.key("word").value(t.word);
        if (t.segment != 0) w.key("segment").value(t.segment);
        if (t.special) w.key("special").value(true);
        w.endObject();
    }
    w.endArray();
}

std::string documentOf(const AttentionResult& r, const std::vector<StackPlan>& plans, const AttentionFileOptions& o)
{
    json::Writer w;
    w.beginObject();
    w.key("version").value(attentionFileVersion);
    w.key("model").beginObject();
    w.key("name").value(std::string_view(r.model.name)).key("family").value(std::string_view(r.model.family));
    w.key("layers").value(r.stacks.back().attention.layers).key("heads").value(r.stacks.back().attention.heads);
    if (r.model.dModel > 0) w.key("d_model").value(r.model.dModel);
    w.key("causal").value(r.model.causal);
    w.endObject();
    // Sentence B's tokens count their offsets in the second text; a source's in the source text.
    const bool pair = r.sourceTokens.empty() && !o.secondText.empty();
    if (!o.text.empty()) w.key("text").value(std::string_view(o.text));
    if (pair) w.key("second_text").value(std::string_view(o.secondText));
    w.key("tokens");
    writeTokens(w, r.tokens, !o.text.empty());
    if (!r.sourceTokens.empty()) {
        if (!o.secondText.empty()) w.key("source_text").value(std::string_view(o.secondText));
        w.key("source_tokens");
        writeTokens(w, r.sourceTokens, !o.secondText.empty());
    }
    w.key("stacks").beginArray();
    for (const StackPlan& p : plans) {
        const AttentionStack& s = *p.stack;
        const bool causal = s.name == "decoder" || (r.model.causal && s.name != "encoder" && s.name != "cross");
        w.beginObject();
        w.key("name").value(std::string_view(s.name));
        w.key("queries").value(s.queriesFromSource ? "source_tokens" : "tokens");
        w.key("keys").value(s.keysFromSource ? "source_tokens" : "tokens");
        w.key("layers").value(s.attention.layers).key("heads").value(s.attention.heads);
        w.key("mask").value(causal ? "causal" : "none");
        w.key("storage").value(o.topK > 0 ? "top_k" : "dense");
        w.endObject();
    }
    w.endArray();
    if (!r.notices.empty()) {
        w.key("notices").beginArray();
        for (const std::string& n : r.notices) w.value(std::string_view(n));
        w.endArray();
    }
    w.endObject();
    return w.str();
}

struct TensorEntry
{
    std::string name, dtype;
    std::vector<std::int64_t> shape;
    std::size_t bytes = 0;
};

std::vector<TensorEntry> tensorsOf(const std::vector<StackPlan>& plans, bool half, bool topK)
{
    std::vector<TensorEntry> out;
    for (std::size_t i = 0; i < plans.size(); ++i) {
        const StackPlan& p = plans[i];
        const AttentionTensor& a = p.stack->attention;
        const std::string prefix = "stacks." + std::to_string(i) + ".";
        std::vector<std::int64_t> lead = p.listed ? std::vector<std::int64_t>{std::int64_t(p.heads.size())}
                                                  : std::vector<std::int64_t>{a.layers, a.heads};
        const auto shape = [&](std::int64_t cols) {
            std::vector<std::int64_t> s = lead;
            s.push_back(a.queries);
            s.push_back(cols);
            return s;
        };
        const std::size_t cells = p.heads.size() * static_cast<std::size_t>(a.queries) * p.columns;
        if (p.listed) out.push_back({prefix + "heads", "I32", {std::int64_t(p.heads.size()), 2}, p.heads.size() * 8});
        out.push_back({prefix + (topK ? "topk_weights" : "weights"), half ? "F16" : "F32", shape(p.columns),
                       cells * (half ? 2 : 4)});
        if (topK) out.push_back({prefix + "topk_keys", "I32", shape(p.columns), cells * 4});
    }
    return out;
}

std::string headerOf(const std::vector<TensorEntry>& tensors, const std::string& document)
{
    json::Writer w;
    w.beginObject();
    w.key("__metadata__").beginObject();
    w.key("format").value(attentionFileFormat).key("attnviz").value(std::string_view(document));
    w.endObject();
    std::size_t offset = 0;
    for (const TensorEntry& t : tensors) {
        w.key(t.name).beginObject().key("dtype").value(std::string_view(t.dtype)).key("shape").beginArray();
        for (const std::int64_t d : t.shape) w.value(d);
        w.endArray().key("data_offsets").beginArray().value(std::uint64_t(offset)).value(std::uint64_t(offset + t.bytes));
        w.endArray().endObject();
        offset += t.bytes;
    }
    w.endObject();
    std::string header = w.str();
    header.append((8 - header.size() % 8) % 8, ' '); // the data starts 8-byte aligned
    return header;
}

class Output
{
public:
    explicit Output(const std::string& path) : m_out(path, std::ios::binary | std::ios::trunc)
    {
        if (!m_out) throw std::runtime_error("cannot write " + path);
    }
    void bytes(const void* p, std::size_t n) { m_out.write(static_cast<const char*>(p), static_cast<std::streamsize>(n)); }
    void floats(const float* v, std::size_t n, bool half)
    {
        if (!half) return bytes(v, n * sizeof(float));
        m_halves.resize(n);
        for (std::size_t i = 0; i < n; ++i) m_halves[i] = compute::floatToHalf(v[i]);
        bytes(m_halves.data(), n * 2);
    }
    void close(const std::string& path)
    {
        m_out.close();
        if (!m_out) throw std::runtime_error("writing " + path + " failed (disk full?)");
    }

private:
    std::ofstream m_out;
    std::vector<std::uint16_t> m_halves;
};

// The k largest weights of one row (ties: the earlier key), in falling order.
void topKeys(const float* row, int keys, int k, std::vector<int>& order)
{
    order.resize(static_cast<std::size_t>(keys));
    std::iota(order.begin(), order.end(), 0);
    std::partial_sort(order.begin(), order.begin() + k, order.end(),
                      [&](int x, int y) { return row[x] > row[y] || (row[x] == row[y] && x < y); });
    order.resize(static_cast<std::size_t>(k));
}

void writeStack(Output& out, const StackPlan& p, bool half, bool topK)
{
    const AttentionTensor& a = p.stack->attention;
    if (p.listed)
        for (const auto& [l, h] : p.heads) {
            const std::int32_t pair[2] = {l, h};
            out.bytes(pair, sizeof pair);
        }
    if (!topK) {
        for (const auto& [l, h] : p.heads) out.floats(a.head(l, h), static_cast<std::size_t>(a.queries) * a.keys, half);
        return;
    }
    // The weights of every head, then their keys: each row's top k is found once and its keys
    // kept for the second tensor.
    std::vector<int> order;
    std::vector<float> values;
    std::vector<std::int32_t> keys;
    keys.reserve(p.heads.size() * static_cast<std::size_t>(a.queries) * p.columns);
    for (const auto& [l, h] : p.heads)
        for (int q = 0; q < a.queries; ++q) {
            const float* row = a.head(l, h) + static_cast<std::size_t>(q) * a.keys;
            topKeys(row, a.keys, p.columns, order);
            values.clear();
            for (int k : order) values.push_back(row[k]);
            out.floats(values.data(), values.size(), half);
            keys.insert(keys.end(), order.begin(), order.end());
        }
    out.bytes(keys.data(), keys.size() * 4);
}

} // namespace

void writeAttentionFile(const std::string& path, const AttentionResult& result, const AttentionFileOptions& options)
{
    if (result.stacks.empty()) throw std::runtime_error("the result has no attention to write");
    if (options.topK < 0) throw std::runtime_error("top-k must be positive");
    std::vector<StackPlan> plans;
    for (const AttentionStack& s : result.stacks) {
        plans.push_back(planStack(s, options));
        if (plans.back().heads.empty())
            throw std::runtime_error("stack \"" + s.name + "\" holds none of the heads asked for");
    }
    const bool topK = options.topK > 0;
    const std::vector<TensorEntry> tensors = tensorsOf(plans, options.half, topK);
    const std::string header = headerOf(tensors, documentOf(result, plans, options));
    // Written beside the target and renamed over it: a reader never sees half a file.
    const std::string temporary = path + ".part-" + std::to_string(::getpid());
    try {
        Output out(temporary);
        const std::uint64_t length = header.size();
        unsigned char prefix[8];
        for (int i = 0; i < 8; ++i) prefix[i] = static_cast<unsigned char>(length >> (8 * i));
        out.bytes(prefix, 8);
        out.bytes(header.data(), header.size());
        for (const StackPlan& p : plans) writeStack(out, p, options.half, topK);
        out.close(temporary);
        std::filesystem::rename(temporary, path);
    } catch (...) {
        std::error_code ignored;
        std::filesystem::remove(temporary, ignored);
        throw;
    }
}

} // namespace attnviz
