#include "models/checkpointmodel.h"

#include "engine/captureplan.h"
#include "models/predictions.h"
#include "models/readoutlimits.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace attnviz {

namespace {

constexpr double maxCapturedWeights = 268435456.0; // 2^28 floats = 1 GB of attention weights

// Segments for raw ids (no tokenizer spans to go by): sentence B starts after the first [SEP];
// padding stays 0, as Hugging Face pads token_type_ids.
std::vector<int> segmentsFromSeparators(const std::vector<Token>& tokens, std::optional<int> sepId, int padId)
{
    std::vector<int> segments(tokens.size(), 0);
    bool second = false;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        segments[i] = second && tokens[i].id != padId ? 1 : 0;
        if (sepId && tokens[i].id == *sepId)
            second = true;
    }
    return segments;
}

// The position the lens (when it cannot read every one) and the attribution read: the request's,
// else the last token.
Index readoutRow(const RunRequest& request, Index tokens)
{
    if (request.readoutPosition < 0)
        return tokens - 1;
    if (request.readoutPosition >= tokens) {
        throw InputError("position " + std::to_string(request.readoutPosition) + " is past the last token (" +
                         std::to_string(tokens - 1) + ")");
    }
    return request.readoutPosition;
}

constexpr int lensTop = 5;

// A per-layer measure the model computed, (T, T) per layer, as the stack's layerMeasure.
void setLayerMeasure(AttentionStack& stack, Measure measure, const std::vector<Matrix>& layers)
{
    const Index T = layers.front().rows(), S = layers.front().cols();
    stack.layerMeasure.resize(static_cast<int>(layers.size()), 1, static_cast<int>(T), static_cast<int>(S));
    for (std::size_t l = 0; l < layers.size(); ++l)
        Eigen::Map<Matrix>(stack.layerMeasure.head(static_cast<int>(l), 0), T, S) = layers[l];
    stack.layerMeasureRowTotals.assign(layers.size() * static_cast<std::size_t>(T), 1.0f); // shares by definition
    stack.measure = measure;
}

} // namespace

void CheckpointModel::addReadouts(ForwardResult& forward, const ForwardOptions& options, AttentionResult& result) const
{
    for (std::string& note : forward.readoutNotes)
        result.notices.push_back(std::move(note));
    const Index lensCount = static_cast<Index>(options.lensRows.size());
    if (lensCount > 0 && forward.lensLogits.rows() == lensCount * m_net->info().layers) {
        LogitLens lens;
        lens.layers = m_net->info().layers;
        lens.top = std::min(lensTop, static_cast<int>(forward.lensLogits.cols()));
        for (Index row : options.lensRows)
            lens.positions.push_back(static_cast<int>(row));
        for (Index r = 0; r < forward.lensLogits.rows(); ++r) {
            std::vector<Prediction> top = topPredictions(forward.lensLogits, r, lens.top, m_tokenizer.get());
            lens.predictions.insert(lens.predictions.end(), top.begin(), top.end());
        }
        result.logitLens = std::move(lens);
    }
    if (forward.attribution) {
        result.attribution = std::move(forward.attribution);
        result.attribution->position = static_cast<int>(options.attributionRow);
        result.attribution->targetDisplay = tokenForId(m_tokenizer.get(), result.attribution->target).display;
    }
}

int attentionCaptureLimit(int layers, int heads)
{
    // Loaders refuse zero layers or heads; this stays defined for any network anyway (a zero
    // divisor used to give sqrt(inf), an out-of-range cast, and a vector resized to -2^31).
    const double maps = std::max(1.0, static_cast<double>(layers)) * std::max(1.0, static_cast<double>(heads));
    const double limit = std::floor(std::sqrt(maxCapturedWeights / maps));
    return static_cast<int>(std::clamp(limit, 1.0, 1048576.0));
}

CheckpointModel::CheckpointModel(std::unique_ptr<Transformer> net, std::unique_ptr<Tokenizer> tokenizer,
                                 std::string name, std::vector<std::string> loadNotices)
    : m_net(std::move(net)), m_tokenizer(std::move(tokenizer)), m_name(std::move(name)),
      m_loadNotices(std::move(loadNotices))
{
    const TransformerInfo& t = m_net->info();
    if (t.layers < 1 || t.heads < 1 || t.kvHeads < 1 || t.vocab < 1) {
        throw ModelLoadError(m_name + ": a network needs at least one layer, head and vocabulary entry (it has " +
                             std::to_string(t.layers) + " layers, " + std::to_string(t.heads) + " heads, " +
                             std::to_string(t.vocab) + " tokens)");
    }
}

ModelInfo CheckpointModel::info() const
{
    return modelInfoOf(m_net->info(), m_name, m_tokenizer != nullptr);
}

std::vector<Token> CheckpointModel::tokensOf(const RunRequest& request, std::vector<std::string>& notices) const
{
    const TransformerInfo& t = m_net->info();
    std::vector<Token> tokens;
    if (request.ids) {
        for (int id : *request.ids) {
            if (id < 0 || id >= t.vocab) {
                throw InputError("token id " + std::to_string(id) + " is outside the vocabulary (0.." +
                                 std::to_string(t.vocab - 1) + ")");
            }
            tokens.push_back(tokenForId(m_tokenizer.get(), id));
        }
        if (t.segments) {
            // The separator from the files, never a guess (102 is bert-base's, not every model's).
            const std::optional<int> sep = m_tokenizer ? m_tokenizer->idOf("[SEP]") : t.sepId;
            if (!sep) {
                notices.push_back("sentence B cannot be told apart in these ids: the folder names no [SEP] "
                                  "(no tokenizer, no sep_token_id), so every token is in sentence A");
            }
            const std::vector<int> segments = segmentsFromSeparators(tokens, sep, t.padId);
            for (std::size_t i = 0; i < tokens.size(); ++i)
                tokens[i].segment = segments[i];
        }
        return tokens;
    }
    if (!m_tokenizer) {
        throw InputError("this checkpoint has no tokenizer files; run it with token ids instead of text");
    }
    try {
        if (!request.secondText.empty() && (t.segments || !t.causal)) {
            tokens = m_tokenizer->encodeForModel(request.text, std::string_view(request.secondText));
        } else {
            if (!request.secondText.empty())
                notices.push_back("the second text is ignored: this decoder reads one text");
            tokens = m_tokenizer->encodeForModel(request.text);
        }
    } catch (const TokenizerError& e) {
        throw InputError(e.what());
    }
    for (const Token& token : tokens) {
        if (token.id < 0 || token.id >= t.vocab) {
            throw InputError("the tokenizer produced id " + std::to_string(token.id) +
                             ", which the model's vocabulary of " + std::to_string(t.vocab) + " lacks");
        }
    }
    return tokens;
}

std::shared_ptr<AttentionResult> CheckpointModel::run(const RunRequest& request) const
{
    const auto started = std::chrono::steady_clock::now();
    const TransformerInfo& t = m_net->info();
    auto result = std::make_shared<AttentionResult>();
    result->model = info();
    result->notices = m_loadNotices;
    for (const auto& note : t.notes)
        result->notices.push_back(note);

    std::vector<Token> tokens = tokensOf(request, result->notices);
    if (tokens.empty())
        throw InputError("nothing to run: the input has no tokens");
    if (t.maxPositions > 0 && static_cast<int>(tokens.size()) > t.maxPositions) {
        // A tokenizer may stop early on a long text (the llama2.c one, at the model's context):
        // then the count is a lower bound.
        const Token& last = tokens.back();
        const bool partial = !request.ids && last.segment == 0 && last.end >= 0 &&
                             static_cast<std::size_t>(last.end) < request.text.size();
        result->notices.push_back("input truncated: it has " + std::string(partial ? "at least " : "") +
                                  std::to_string(tokens.size()) +
                                  " tokens but the model's context is " + std::to_string(t.maxPositions) +
                                  " tokens; only the first " + std::to_string(t.maxPositions) + " are shown");
        tokens.resize(static_cast<std::size_t>(t.maxPositions));
    }
    // The maps kept: all that fit the budget, around the layer on screen (pipelineHead).
    const auto focus = request.pipelineHead.value_or(std::make_pair(0, 0));
    CapturePlan capture = planCapture(t.layers, t.heads, static_cast<int>(tokens.size()), focus.first, focus.second,
                                      request.attentionBudgetBytes);
    if (capture.tokens < static_cast<int>(tokens.size()))
        tokens.resize(static_cast<std::size_t>(capture.tokens));
    if (!capture.notice.empty())
        result->notices.push_back(capture.notice);
    const Index T = static_cast<Index>(tokens.size());
    std::vector<int> ids, segments;
    std::vector<std::uint8_t> keyValid;
    for (const Token& token : tokens) {
        ids.push_back(token.id);
        segments.push_back(token.segment);
        keyValid.push_back(token.id == t.padId ? 0 : 1);
    }

    ForwardOptions options;
    const MaskSpec modelSpec = t.causal ? MaskSpec::causal() : MaskSpec::padding(keyValid);
    options.mask = plannedMask(request, modelSpec, keyValid, ids, ids, result->customMask);
    result->customMaskStack = 0;
    if (request.mask != MaskOverride::ModelDefault) {
        result->notices.push_back(std::string("mask overridden: ") + maskOverrideName(request.mask) + " instead of " +
                                  (t.causal ? "causal" : "padding") + "; the model was trained with its own mask");
    }
    options.scale = request.scale.value_or(true);
    options.ablatedHeads = request.ablatedHeads;
    if (request.pipelineHead && request.pipelineStack == 0) {
        const auto [layer, head] = *request.pipelineHead;
        if (layer < 0 || layer >= t.layers || head < 0 || head >= t.heads) {
            throw InputError("layer " + std::to_string(layer) + " head " + std::to_string(head) +
                             " does not exist in this model");
        }
        options.pipelineHead = request.pipelineHead;
    }
    options.cancel = request.cancel;
    options.capturedHeads = std::move(capture.heads);
    std::vector<Index> maskPositions;
    if (!t.causal && t.hasLmHead) {
        // BERT's [MASK] or RoBERTa's <mask>, as the tokenizer names it; else config.json's
        // mask_token_id. Never a guess: 103 is bert-base's id, another model's word.
        std::optional<int> maskId = m_tokenizer ? m_tokenizer->idOf("[MASK]") : t.maskId;
        if (!maskId && m_tokenizer)
            maskId = m_tokenizer->idOf("<mask>");
        for (Index i = 0; i < T; ++i) {
            if (maskId && ids[static_cast<std::size_t>(i)] == *maskId)
                maskPositions.push_back(i);
        }
    }
    if (request.topK <= 0 || !t.hasLmHead) {
        options.logits = LogitRows::None;
    } else {
        options.logits = t.causal ? LogitRows::Last : (maskPositions.empty() ? LogitRows::None : LogitRows::All);
    }

    options.finalHidden = options.logits != LogitRows::None; // nothing reads hidden states otherwise
    const Index readout = readoutRow(request, T);
    options.valueGram = request.measure == Measure::ValueWeighted && valueWeightingAffordable(t, T, result->notices);
    if (request.measure == Measure::Alti) {
        options.alti = altiAffordable(t, T, result->notices);
        options.finalHidden = options.finalHidden || options.alti; // the last layer's output is read
    }
    if (request.logitLens) {
        options.lensRows = lensRows(t, T, readout, result->notices);
        options.finalHidden = true;
    }
    if (request.attribution) {
        options.attributionRow = readout;
        options.attributionTarget = request.attributionTarget;
        options.finalHidden = true;
    }
    ForwardResult forward = m_net->forward(ids, segments, options);

    result->tokens = std::move(tokens);
    AttentionStack stack;
    stack.name = "self";
    stack.attention = std::move(forward.attention);
    stack.valueGram = std::move(forward.valueGram);
    if (!forward.alti.empty())
        setLayerMeasure(stack, Measure::Alti, forward.alti);
    result->stacks.push_back(std::move(stack));
    addReadouts(forward, options, *result);
    if (forward.pipeline) {
        result->pipeline = std::move(forward.pipeline);
        result->pipeline->stack = 0;
    }
    if (options.logits == LogitRows::Last) {
        result->nextToken = topPredictions(forward.logits, 0, request.topK, m_tokenizer.get());
        if (request.scoredToken && *request.scoredToken >= 0 && *request.scoredToken < forward.logits.cols())
            result->scoredLogProbability = logProbabilityOf(forward.logits, 0, *request.scoredToken);
    } else if (options.logits == LogitRows::All) {
        for (Index pos : maskPositions) {
            result->maskedPredictions.emplace_back(
                static_cast<int>(pos), topPredictions(forward.logits, pos, request.topK, m_tokenizer.get()));
        }
    }
    if (!options.scale)
        result->notices.push_back("scores are not divided by √d_k (scaling switched off)");
    if (!request.ablatedHeads.empty()) {
        result->notices.push_back(std::to_string(request.ablatedHeads.size()) +
                                  " head(s) ablated: their output is zeroed before the output projection");
    }
    result->computeMilliseconds =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    return result;
}

std::vector<int> CheckpointModel::generateGreedy(const std::vector<int>& promptIds, int steps,
                                                 const std::atomic<bool>* cancel) const
{
    const TransformerInfo& t = m_net->info();
    if (!t.causal || !t.hasLmHead)
        throw InputError("this model does not generate text");
    if (promptIds.empty())
        throw InputError("generation needs at least one prompt token");
    for (int id : promptIds) {
        if (id < 0 || id >= t.vocab)
            throw InputError("token id " + std::to_string(id) + " is outside the vocabulary");
    }
    return m_net->generateGreedy(promptIds, steps, cancel);
}

} // namespace attnviz
