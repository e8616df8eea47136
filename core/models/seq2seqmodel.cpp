#include "models/seq2seqmodel.h"

#include "models/checkpointmodel.h"
#include "models/predictions.h"

#include <algorithm>
#include <array>
#include <chrono>

namespace attnviz {

namespace {

void truncate(std::vector<Token>& tokens, int limit, const char* what, std::vector<std::string>& notices)
{
    if (limit > 0 && static_cast<int>(tokens.size()) > limit) {
        notices.push_back(std::string("input truncated: the ") + what + " has " + std::to_string(tokens.size()) +
                          " tokens but the model's context is " + std::to_string(limit) + " tokens; only the first " +
                          std::to_string(limit) + " are used");
        tokens.resize(static_cast<std::size_t>(limit));
    }
}

void truncateForCapture(std::vector<Token>& tokens, int limit, const char* what, std::vector<std::string>& notices)
{
    if (static_cast<int>(tokens.size()) > limit) {
        notices.push_back(std::string("the ") + what + " is truncated to " + std::to_string(limit) +
                          " tokens: keeping the attention of every head for more would need over 1 GB");
        tokens.resize(static_cast<std::size_t>(limit));
    }
}

} // namespace

// Every stack's weights are kept: Le·He·S² + Ld·Hd·(T² + T·S) floats, at most
// (Le + 2·Ld)·max(He, Hd)·n² for S, T ≤ n; n is bounded as for decoders (about 1 GB).
int seq2seqCaptureLimit(const EncoderDecoder& net)
{
    return attentionCaptureLimit(net.encoderLayers() + 2 * net.info().layers,
                                 std::max(net.encoderHeads(), net.info().heads));
}

Seq2SeqModel::Seq2SeqModel(std::unique_ptr<EncoderDecoder> net, std::unique_ptr<Tokenizer> tokenizer, std::string name,
                           std::vector<std::string> loadNotices)
    : m_net(std::move(net)), m_tokenizer(std::move(tokenizer)), m_name(std::move(name)),
      m_loadNotices(std::move(loadNotices))
{
}

ModelInfo Seq2SeqModel::info() const
{
    // An encoder-decoder: the decoder is causal and the source sentence is the second text.
    ModelInfo info = modelInfoOf(m_net->info(), m_name, m_tokenizer != nullptr);
    info.causal = true;
    info.takesSecondText = m_tokenizer != nullptr;
    info.encoderDecoder = true;
    return info;
}

std::vector<Token> Seq2SeqModel::plainTokens(const std::string& text, int segment) const
{
    try {
        return m_tokenizer->encode(text, segment);
    } catch (const TokenizerError& e) {
        throw InputError(e.what());
    }
}

std::shared_ptr<AttentionResult> Seq2SeqModel::run(const RunRequest& request) const
{
    const auto started = std::chrono::steady_clock::now();
    const TransformerInfo& t = m_net->info();
    auto result = std::make_shared<AttentionResult>();
    result->model = info();
    result->notices = m_loadNotices;
    result->notices.insert(result->notices.end(), t.notes.begin(), t.notes.end());

    auto special = [&](int id, int segment) {
        Token token = tokenForId(m_tokenizer.get(), id);
        token.special = true;
        token.segment = segment;
        return token;
    };
    // Source: the encoder's input, wrapped in BOS ... EOS.
    std::vector<Token> source;
    if (request.ids) {
        for (int id : *request.ids) {
            if (id < 0 || id >= t.vocab)
                throw InputError("token id " + std::to_string(id) + " is outside the vocabulary");
            source.push_back(tokenForId(m_tokenizer.get(), id));
        }
    } else {
        if (!m_tokenizer)
            throw InputError("this checkpoint has no tokenizer files; run it with token ids instead of text");
        if (const auto start = m_net->sourceStartId())
            source.push_back(special(*start, 1));
        for (Token& token : plainTokens(request.secondText.empty() ? request.text : request.secondText, 1)) {
            source.push_back(std::move(token));
        }
        source.push_back(special(m_net->eosId(), 1));
    }
    if (source.empty())
        throw InputError("nothing to translate: the source has no tokens");
    truncate(source, t.maxPositions, "source", result->notices);
    const int captureLimit = seq2seqCaptureLimit(*m_net);
    truncateForCapture(source, captureLimit, "source", result->notices);
    const std::vector<int> sourceIds = idsOf(source);

    // Target: the decoder's input, starting with the decoder start token.
    std::vector<Token> target{special(m_net->decoderStartId(), 0)};
    if (!request.ids && !request.secondText.empty()) {
        for (Token& token : plainTokens(request.text, 0))
            target.push_back(std::move(token));
    } else {
        // A translation is rarely more than twice its source; an untrained or looping model would
        // otherwise run to the end of the context (hundreds of encoder passes for T5's 512).
        const int longest = std::min({t.maxPositions, captureLimit, 2 * static_cast<int>(source.size()) + 11}) - 1;
        for (int id : m_net->translate(sourceIds, longest, request.cancel)) {
            target.push_back(tokenForId(m_tokenizer.get(), id));
        }
        result->notices.push_back("the decoder reads the model's own greedy translation; type a target text to "
                                  "see what the decoder attends to for it");
    }
    truncate(target, t.maxPositions, "target", result->notices);
    truncateForCapture(target, captureLimit, "target", result->notices);
    const std::vector<int> targetIds = idsOf(target);
    const Index S = static_cast<Index>(source.size());
    const Index T = static_cast<Index>(target.size());

    Seq2SeqOptions options;
    std::vector<std::uint8_t> valid;
    for (int id : sourceIds)
        valid.push_back(id == t.padId ? 0 : 1);
    std::vector<std::uint8_t> targetValid;
    for (int id : targetIds)
        targetValid.push_back(id == t.padId ? 0 : 1);
    options.masks[0] = buildMask(MaskSpec::padding(valid), S, S);
    options.masks[1] = buildMask(MaskSpec::causal(), T, T);
    options.masks[2] = buildMask(MaskSpec::padding(valid), T, S);
    const int stack = std::clamp(request.pipelineStack, 0, 2);
    if (request.mask != MaskOverride::ModelDefault) {
        const auto index = static_cast<std::size_t>(stack);
        const std::array<MaskSpec, 3> modelSpecs = {MaskSpec::padding(valid), MaskSpec::causal(), MaskSpec::padding(valid)};
        options.masks[index] = plannedMask(request, modelSpecs[index], stack == 1 ? targetValid : valid,
                                           stack == 0 ? sourceIds : targetIds, stack == 1 ? targetIds : sourceIds,
                                           result->customMask);
        result->customMaskStack = stack;
        result->notices.push_back(std::string("mask of the ") +
                                  (stack == 0   ? "encoder"
                                   : stack == 1 ? "decoder"
                                                : "cross") +
                                  " stack overridden: " + maskOverrideName(request.mask));
    }
    options.scale = request.scale.value_or(true);
    options.ablatedHeads[static_cast<std::size_t>(stack)] = request.ablatedHeads;
    options.pipelineStack = static_cast<Seq2SeqStack>(stack);
    if (request.pipelineHead) {
        const auto [layer, head] = *request.pipelineHead;
        const int layers = stack == 0 ? m_net->encoderLayers() : t.layers;
        const int heads = stack == 0 ? m_net->encoderHeads() : t.heads;
        if (layer < 0 || layer >= layers || head < 0 || head >= heads) {
            throw InputError("layer " + std::to_string(layer) + " head " + std::to_string(head) +
                             " does not exist in this stack");
        }
        options.pipelineHead = request.pipelineHead;
    }
    options.cancel = request.cancel;
    options.logits = request.topK > 0 ? LogitRows::Last : LogitRows::None;

    Seq2SeqResult forward = m_net->forward(sourceIds, targetIds, options);

    const char* names[3] = {"encoder", "decoder", "cross"};
    for (std::size_t i = 0; i < 3; ++i) {
        AttentionStack s;
        s.name = names[i];
        s.queriesFromSource = i == 0; // encoder: source × source
        s.keysFromSource = i != 1;    // encoder and cross: keys are source tokens
        s.attention = std::move(forward.attention[i]);
        result->stacks.push_back(std::move(s));
    }
    result->tokens = std::move(target);
    result->sourceTokens = std::move(source);
    result->pipeline = std::move(forward.pipeline);
    if (options.logits == LogitRows::Last)
        result->nextToken = topPredictions(forward.logits, 0, request.topK, m_tokenizer.get());
    if (!options.scale)
        result->notices.push_back("scores are not divided by √d_k (scaling switched off)");
    result->computeMilliseconds =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    return result;
}

std::vector<int> Seq2SeqModel::generateGreedy(const std::vector<int>& promptIds, int steps,
                                              const std::atomic<bool>* cancel) const
{
    const TransformerInfo& t = m_net->info();
    if (promptIds.empty())
        throw InputError("translation needs at least one source token");
    for (int id : promptIds) {
        if (id < 0 || id >= t.vocab)
            throw InputError("token id " + std::to_string(id) + " is outside the vocabulary");
    }
    std::vector<int> source(promptIds.begin(),
                            promptIds.begin() + std::min<std::ptrdiff_t>(std::ssize(promptIds), t.maxPositions));
    return m_net->translate(source, std::min(steps, t.maxPositions - 1), cancel);
}

} // namespace attnviz
