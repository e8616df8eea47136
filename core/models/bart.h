#pragma once
// BART (Lewis et al. 2020) encoder-decoder as Hugging Face stores it: shared token embedding,
// learned positions with an offset of 2, layernorm_embedding, post-LayerNorm blocks, exact GELU,
// decoder layers with self- and cross-attention, LM head tied to the shared embedding plus
// final_logits_bias.

#include "models/encoderdecoder.h"

#include <memory>

namespace attnviz {

class HfConfig;
class SafetensorsArchive;

struct BartAttention
{
    Linear q, k, v, o;            // (d, d) each, with biases
    RowVector normGain, normBias; // (d) the LayerNorm after the residual add
};

struct BartLayer
{
    BartAttention self;
    BartAttention cross;          // decoder layers only
    Linear fc1;                   // (d, ffn)
    Linear fc2;                   // (ffn, d)
    RowVector normGain, normBias; // (d) final_layer_norm
};

struct BartStack
{
    Matrix positions;           // (maxPositions + 2, d); row = position + 2
    RowVector embGain, embBias; // (d) layernorm_embedding
    std::vector<BartLayer> layers;
};

class Bart : public EncoderDecoder
{
public:
    static std::unique_ptr<Bart> load(const HfConfig& config, const SafetensorsArchive& weights);

    const TransformerInfo& info() const override { return m_info; }
    int encoderLayers() const override { return static_cast<int>(m_encoder.layers.size()); }
    int encoderHeads() const override { return m_encoderHeads; }
    std::optional<int> sourceStartId() const override { return m_bos; }
    int eosId() const override { return m_eos; }
    int decoderStartId() const override { return m_decoderStart; }

    Seq2SeqResult forward(const std::vector<int>& source, const std::vector<int>& target,
                          const Seq2SeqOptions& options) const override;

private:
    Matrix embed(const BartStack& stack, const std::vector<int>& ids) const;
    Matrix attend(const Matrix& x, const Matrix& source, const BartAttention& w, int heads, Seq2SeqStack stack,
                  int layer, const Seq2SeqOptions& options, Seq2SeqResult& result) const;
    Matrix feedForward(const Matrix& x, const BartLayer& layer) const;

    TransformerInfo m_info;
    int m_encoderHeads = 0;
    int m_bos = 0, m_eos = 2, m_decoderStart = 2;
    float m_eps = 1e-5f;
    float m_embedScale = 1.0f;
    Matrix m_shared;        // (vocab, d) token embedding of both stacks and the LM head
    RowVector m_logitsBias; // (vocab) final_logits_bias
    BartStack m_encoder, m_decoder;
};

} // namespace attnviz
