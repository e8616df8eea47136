#include "engine/resultjson.h"

#include "util/jsonmatrix.h"

#include <cstdio>
#include <ostream>
#include <stdexcept>

namespace attnviz {

namespace {

using json::writeMatrix;

void writeTokens(json::Writer& w, const char* textKey, const char* idKey, const std::vector<Token>& tokens)
{
    w.key(textKey).beginArray();
    for (const auto& t : tokens) w.value(std::string_view(t.display));
    w.endArray();
    w.key(idKey).beginArray();
    for (const auto& t : tokens) w.value(t.id);
    w.endArray();
}

std::string formatCell(float v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%9.4f", static_cast<double>(v));
    return buf;
}

std::string table(const std::string& title, const Matrix& m, const std::vector<std::string>& rowLabels,
                  const std::vector<std::string>& colLabels, const MaskMatrix* masked = nullptr)
{
    std::size_t labelWidth = 4;
    for (const auto& l : rowLabels) labelWidth = std::max(labelWidth, l.size());
    std::string out = title + "\n" + std::string(labelWidth, ' ');
    for (Index j = 0; j < m.cols(); ++j) {
        std::string label = j < static_cast<Index>(colLabels.size()) ? colLabels[static_cast<std::size_t>(j)]
                                                                     : "d" + std::to_string(j);
        if (label.size() > 9) label = label.substr(0, 9);
        out += " " + std::string(9 - label.size(), ' ') + label;
    }
    out += "\n";
    for (Index i = 0; i < m.rows(); ++i) {
        const std::string label = i < static_cast<Index>(rowLabels.size()) ? rowLabels[static_cast<std::size_t>(i)]
                                                                           : std::to_string(i);
        out += label + std::string(labelWidth - label.size(), ' ');
        for (Index j = 0; j < m.cols(); ++j) {
            out += " " + ((masked != nullptr && (*masked)(i, j) == 0) ? std::string("   masked") : formatCell(m(i, j)));
        }
        out += "\n";
    }
    return out + "\n";
}

void writeMultiHead(json::Writer& w, const MultiHeadResult& result)
{
    w.beginObject().key("heads").beginArray();
    for (const auto& h : result.heads) {
        w.beginObject();
        w.key("name").value(std::string_view(h.name));
        w.key("q");
        writeMatrix(w, h.q);
        w.key("k");
        writeMatrix(w, h.k);
        w.key("v");
        writeMatrix(w, h.v);
        w.key("scores");
        writeMatrix(w, h.scores, &h.mask);
        w.key("scaled");
        writeMatrix(w, h.scaled, &h.mask);
        w.key("weights");
        writeMatrix(w, h.weights);
        w.key("output");
        writeMatrix(w, h.output);
        w.key("fully_masked_rows").beginArray();
        for (std::size_t i = 0; i < h.fullyMasked.size(); ++i) {
            if (h.fullyMasked[i] != 0) w.value(static_cast<int>(i));
        }
        w.endArray();
        w.endObject();
    }
    w.endArray();
    w.key("concat");
    writeMatrix(w, result.concat);
    w.key("output");
    writeMatrix(w, result.output);
    w.endObject();
}

// A measure's rows are shares: each row's total, and the whole layer's maps with theirs.
void writeMeasureTotals(json::Writer& w, const AttentionStack& stack, std::optional<int> layer, std::optional<int> head)
{
    const AttentionTensor& a = stack.attention;
    w.key("measure_legend").value(std::string_view(measureLegend(stack.measure)));
    if (measureIsPerHead(stack.measure)) {
        w.key("row_totals").beginArray();
        for (int l = layer.value_or(0); l < (layer ? *layer + 1 : a.layers); ++l) {
            w.beginArray();
            for (int h = head.value_or(0); h < (head ? *head + 1 : a.heads); ++h) {
                if (!a.holds(l, h)) {
                    w.null();
                    continue;
                }
                w.beginArray(true);
                const std::size_t at = static_cast<std::size_t>(a.slotOf(l, h)) * a.queries;
                for (int q = 0; q < a.queries; ++q) w.value(stack.measureRowTotals[at + q]);
                w.endArray();
            }
            w.endArray();
        }
        w.endArray();
    }
    const AttentionTensor& m = stack.layerMeasure;
    w.key("layer_measure").beginArray();
    for (int l = layer.value_or(0); l < (layer ? *layer + 1 : m.layers); ++l) {
        if (!m.holds(l, 0)) {
            w.null();
            continue;
        }
        w.beginArray();
        for (int q = 0; q < m.queries; ++q) {
            w.beginArray(true);
            for (int k = 0; k < m.keys; ++k) w.value(m.at(l, 0, q, k));
            w.endArray();
        }
        w.endArray();
    }
    w.endArray();
    w.key("layer_row_totals").beginArray();
    for (int l = layer.value_or(0); l < (layer ? *layer + 1 : m.layers); ++l) {
        w.beginArray(true);
        for (int q = 0; q < m.queries; ++q) w.value(stack.layerMeasureRowTotals[static_cast<std::size_t>(l) * m.queries + q]);
        w.endArray();
    }
    w.endArray();
}

void writePrediction(json::Writer& w, const Prediction& p)
{
    w.beginObject();
    w.key("id").value(p.id);
    w.key("token").value(std::string_view(p.display));
    w.key("logit").value(p.logit);
    w.key("probability").value(p.probability);
    w.endObject();
}

void writeAttention(json::Writer& w, const AttentionResult& result, int stackIndex, std::optional<int> layer,
                    std::optional<int> head)
{
    checkAttentionSelection(result, stackIndex, layer, head);
    const AttentionStack& stack = result.stacks[static_cast<std::size_t>(stackIndex)];
    const AttentionTensor& a = stack.attention;
    w.beginObject();
    w.key("model").beginObject();
    w.key("family").value(std::string_view(result.model.family));
    w.key("name").value(std::string_view(result.model.name));
    w.key("layers").value(a.layers);
    w.key("heads").value(a.heads);
    w.key("d_model").value(result.model.dModel);
    w.endObject();
    w.key("stack").value(std::string_view(stack.name));
    // "tokens" label the queries; "source_tokens" the keys when they differ (cross-attention).
    writeTokens(w, "tokens", "token_ids", queryTokensOf(result, stack));
    if (stack.keysFromSource != stack.queriesFromSource) {
        writeTokens(w, "source_tokens", "source_token_ids", keyTokensOf(result, stack));
    }
    w.key("attention").beginArray();
    for (int l = layer.value_or(0); l < (layer ? *layer + 1 : a.layers); ++l) {
        w.beginArray();
        for (int h = head.value_or(0); h < (head ? *head + 1 : a.heads); ++h) {
            if (!a.holds(l, h)) { // an attention file that kept other heads
                w.null();
                continue;
            }
            w.beginArray();
            for (int q = 0; q < a.queries; ++q) {
                w.beginArray();
                for (int k = 0; k < a.keys; ++k) w.value(a.at(l, h, q, k));
                w.endArray();
            }
            w.endArray();
        }
        w.endArray();
    }
    w.endArray();
    w.key("measure").value(std::string_view(measureName(stack.measure)));
    if (stack.measure != Measure::Raw)
        writeMeasureTotals(w, stack, layer, head);
    if (stack.keptPerQuery > 0) { // top-k maps: k and the share of each row the file kept
        w.key("kept_per_query").value(stack.keptPerQuery);
        w.key("retained_mass").beginArray();
        for (int l = layer.value_or(0); l < (layer ? *layer + 1 : a.layers); ++l) {
            w.beginArray();
            for (int h = head.value_or(0); h < (head ? *head + 1 : a.heads); ++h) {
                const float* m = retainedMassOf(stack, l, h);
                if (m == nullptr) {
                    w.null();
                    continue;
                }
                w.beginArray(true);
                for (int q = 0; q < a.queries; ++q) w.value(m[q]);
                w.endArray();
            }
            w.endArray();
        }
        w.endArray();
    }
    if (!result.nextToken.empty()) { // decoders: what the model predicts after the last token
        w.key("next_token").beginArray();
        for (const Prediction& p : result.nextToken) writePrediction(w, p);
        w.endArray();
    }
    if (result.flow && result.flow->stack == stackIndex) { // the attention flow to one layer
        w.key("flow").beginObject();
        w.key("layer").value(result.flow->layer);
        w.key("map").beginArray();
        for (Index q = 0; q < result.flow->flow.rows(); ++q) {
            w.beginArray(true);
            for (Index k = 0; k < result.flow->flow.cols(); ++k) w.value(result.flow->flow(q, k));
            w.endArray();
        }
        w.endArray();
        w.endObject();
    }
    if (result.logitLens) {
        w.key("logit_lens");
        writeLogitLens(w, *result.logitLens);
    }
    if (result.attribution) {
        w.key("attribution");
        writeAttribution(w, *result.attribution);
    }
    if (!result.notices.empty()) {
        w.key("notices").beginArray();
        for (const auto& n : result.notices) w.value(std::string_view(n));
        w.endArray();
    }
    w.endObject();
}

} // namespace

void writeLogitLens(json::Writer& w, const LogitLens& lens)
{
    w.beginObject();
    w.key("positions").beginArray(true);
    for (int p : lens.positions) w.value(p);
    w.endArray();
    w.key("layers").beginArray(); // [layer][position][rank]
    for (int l = 0; l < lens.layers; ++l) {
        w.beginArray();
        for (std::size_t p = 0; p < lens.positions.size(); ++p) {
            w.beginArray();
            for (int k = 0; k < lens.top; ++k) writePrediction(w, lens.at(l, static_cast<int>(p), k));
            w.endArray();
        }
        w.endArray();
    }
    w.endArray();
    w.endObject();
}

void writeAttribution(json::Writer& w, const LogitAttribution& a)
{
    w.beginObject();
    w.key("position").value(a.position);
    w.key("target_id").value(a.target);
    w.key("target").value(std::string_view(a.targetDisplay));
    w.key("logit").value(a.logit);
    w.key("sum_of_parts").value(a.total());
    w.key("embedding").value(a.embedding);
    w.key("heads").beginArray(); // [layer][head]
    for (int l = 0; l < a.layers; ++l) {
        w.beginArray(true);
        for (int h = 0; h < a.heads; ++h) w.value(a.headAt(l, h));
        w.endArray();
    }
    w.endArray();
    w.key("attention_bias").beginArray(true);
    for (float v : a.attentionBias) w.value(v);
    w.endArray();
    w.key("mlp").beginArray(true);
    for (float v : a.mlp) w.value(v);
    w.endArray();
    w.key("final_bias").value(a.finalBias);
    w.endObject();
}

std::string multiHeadJson(const MultiHeadResult& result, bool pretty)
{
    json::Writer w(pretty);
    writeMultiHead(w, result);
    return w.str();
}

void writeMultiHeadJson(std::ostream& out, const MultiHeadResult& result, bool pretty)
{
    json::Writer w(out, pretty);
    writeMultiHead(w, result);
    w.flush();
}

void checkAttentionSelection(const AttentionResult& result, int stackIndex, std::optional<int> layer,
                             std::optional<int> head)
{
    if (stackIndex < 0 || stackIndex >= static_cast<int>(result.stacks.size())) {
        throw std::out_of_range("no attention stack " + std::to_string(stackIndex));
    }
    const AttentionStack& stack = result.stacks[static_cast<std::size_t>(stackIndex)];
    const AttentionTensor& a = stack.attention;
    if (layer && (*layer < 0 || *layer >= a.layers)) {
        throw std::out_of_range("layer " + std::to_string(*layer) + " is out of range (the model has " +
                                std::to_string(a.layers) + " layers, numbered from 0)");
    }
    if (head && (*head < 0 || *head >= a.heads)) {
        throw std::out_of_range("head " + std::to_string(*head) + " is out of range (the model has " +
                                std::to_string(a.heads) + " heads per layer, numbered from 0)");
    }
}

std::string attentionJson(const AttentionResult& result, int stack, std::optional<int> layer, std::optional<int> head,
                          bool pretty)
{
    json::Writer w(pretty);
    writeAttention(w, result, stack, layer, head);
    return w.str();
}

void writeAttentionJson(std::ostream& out, const AttentionResult& result, int stack, std::optional<int> layer,
                        std::optional<int> head, bool pretty)
{
    json::Writer w(out, pretty);
    writeAttention(w, result, stack, layer, head);
    w.flush();
}

std::string multiHeadTable(const MultiHeadResult& result, const std::vector<std::string>& queryTokens,
                           const std::vector<std::string>& keyTokens)
{
    std::string out;
    for (const auto& h : result.heads) {
        out += "== " + h.name + " ==\n\n";
        out += table("Q = X·W_Q", h.q, queryTokens, {});
        out += table("K = X_src·W_K", h.k, keyTokens, {});
        out += table("V = X_src·W_V", h.v, keyTokens, {});
        out += table("scores = Q·Kᵀ", h.scores, queryTokens, keyTokens);
        out += table(h.scaledByRootDk ? "scaled = scores / √d_k" : "scaled (scaling off) = scores", h.scaled,
                     queryTokens, keyTokens, &h.mask);
        out += table("weights = softmax(scaled + mask)", h.weights, queryTokens, keyTokens);
        out += table("output = weights·V", h.output, queryTokens, {});
    }
    out += table("concat", result.concat, queryTokens, {});
    out += table(result.hasOutputProjection ? "output = concat·W_O" : "output (no W_O) = concat", result.output,
                 queryTokens, {});
    return out;
}

} // namespace attnviz
