#include "models/encoderdecoder.h"

#include <stdexcept>

namespace attnviz {

namespace {

const char* stackName(Seq2SeqStack id)
{
    switch (id) {
    case Seq2SeqStack::Encoder:
        return "encoder";
    case Seq2SeqStack::Decoder:
        return "decoder";
    case Seq2SeqStack::Cross:
        return "cross";
    }
    return "";
}

} // namespace

Seq2SeqResult EncoderDecoder::beginForward(Index S, Index T, const Seq2SeqOptions& options) const
{
    Seq2SeqResult result;
    const TransformerInfo& t = info();
    if (options.captureAttention) {
        result.attention[0].resize(encoderLayers(), encoderHeads(), static_cast<int>(S), static_cast<int>(S));
        result.attention[1].resize(t.layers, t.heads, static_cast<int>(T), static_cast<int>(T));
        result.attention[2].resize(t.layers, t.heads, static_cast<int>(T), static_cast<int>(S));
    }
    if (options.pipelineHead) {
        const auto [layer, head] = *options.pipelineHead;
        const bool encoder = options.pipelineStack == Seq2SeqStack::Encoder;
        if (layer < 0 || layer >= (encoder ? encoderLayers() : t.layers) || head < 0 ||
            head >= (encoder ? encoderHeads() : t.heads)) {
            throw std::invalid_argument("pipeline head does not exist in this model");
        }
        result.pipeline.emplace();
        result.pipeline->stack = static_cast<int>(options.pipelineStack);
        result.pipeline->layer = layer;
        result.pipeline->head = head;
    }
    return result;
}

std::vector<int> EncoderDecoder::translate(const std::vector<int>& source, int maxTokens,
                                           const std::atomic<bool>* cancel) const
{
    const TransformerInfo& t = info();
    std::vector<std::uint8_t> valid;
    for (int id : source)
        valid.push_back(id == t.padId ? 0 : 1);
    const Index S = static_cast<Index>(source.size());
    std::vector<int> target{decoderStartId()};
    std::vector<int> generated;
    Seq2SeqOptions options;
    options.captureAttention = false;
    options.logits = LogitRows::Last;
    options.cancel = cancel;
    options.masks[0] = buildMask(MaskSpec::padding(valid), S, S);
    // The encoder is rerun each step; the models shown are small and sentences short.
    while (static_cast<int>(generated.size()) < maxTokens && static_cast<int>(target.size()) <= t.maxPositions) {
        throwIfCancelled(cancel);
        const Index T = static_cast<Index>(target.size());
        options.masks[1] = buildMask(MaskSpec::causal(), T, T);
        options.masks[2] = buildMask(MaskSpec::padding(valid), T, S);
        const Seq2SeqResult r = forward(source, target, options);
        Index best = 0;
        r.logits.row(0).maxCoeff(&best);
        if (static_cast<int>(best) == eosId())
            break;
        generated.push_back(static_cast<int>(best));
        target.push_back(static_cast<int>(best));
    }
    return generated;
}

Matrix attendSeq2Seq(const Matrix& x, const Matrix& source, const Seq2SeqProjections& w, const Seq2SeqStep& step,
                     const Seq2SeqOptions& options, Seq2SeqResult& result)
{
    const auto s = static_cast<std::size_t>(step.stack);
    LayerAttentionOptions o;
    o.layer = step.layer;
    o.mask = &options.masks[s];
    o.scale = options.scale;
    o.scaleFactor = step.scaleFactor;
    o.scoreBias = step.scoreBias;
    o.ablated = &options.ablatedHeads[s];
    o.maps = options.captureAttention ? &result.attention[s] : nullptr;
    const bool capture = result.pipeline && options.pipelineStack == step.stack && result.pipeline->layer == step.layer;
    if (capture) {
        o.captureHead = result.pipeline->head;
        o.capture = &result.pipeline->capture;
    }
    const Matrix concat = attendHeads(applyLinear(x, w.q), applyLinear(source, w.k), applyLinear(source, w.v),
                                      step.heads, step.heads, o);
    Matrix out = applyLinear(concat, w.o); // (T, d)
    if (capture) {
        PipelineCapture& p = *result.pipeline;
        const Index dk = w.q.outputs() / step.heads;
        p.x = x;
        p.source = source;
        p.wq = w.q.weightColumns(p.head * dk, dk);
        p.wk = w.k.weightColumns(p.head * dk, dk);
        p.wv = w.v.weightColumns(p.head * dk, dk);
        p.capture.name = std::string(stackName(step.stack)) + " layer " + std::to_string(step.layer) + " head " +
                         std::to_string(p.head);
        p.concat = concat;
        p.wo = w.o.weights();
        p.output = out;
        p.note = step.note;
    }
    return out;
}

Seq2SeqBlockTrace::Seq2SeqBlockTrace(Seq2SeqResult& result, bool decoderLayer, int layer, bool postNorm)
{
    if (!result.pipeline || result.pipeline->layer != layer)
        return;
    m_stack = static_cast<Seq2SeqStack>(result.pipeline->stack);
    if ((m_stack != Seq2SeqStack::Encoder) == decoderLayer) {
        m_capture = &*result.pipeline;
        m_capture->normAfterAdd = postNorm;
    }
}

void Seq2SeqBlockTrace::beforeAttention(Seq2SeqStack sublayer, const Matrix& x)
{
    if (m_capture && sublayer == m_stack)
        m_capture->residual = x;
}

void Seq2SeqBlockTrace::afterAttention(Seq2SeqStack sublayer, const Matrix& x)
{
    if (m_capture && sublayer == m_stack)
        m_capture->afterAttention = x;
}

void Seq2SeqBlockTrace::mlp(const Matrix& added)
{
    if (m_capture && m_stack != Seq2SeqStack::Decoder)
        m_capture->mlpOutput = added;
}

void Seq2SeqBlockTrace::end(const Matrix& x)
{
    if (!m_capture)
        return;
    m_capture->blockOutput = x;
    if (m_stack == Seq2SeqStack::Decoder) {
        m_capture->mlpOutput = x - m_capture->afterAttention;
        m_capture->restLabel = "cross-attention + MLP";
    }
}

} // namespace attnviz
