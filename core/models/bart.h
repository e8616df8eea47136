#pragma once
// The BART family of encoder-decoders as Hugging Face stores them: BART (Lewis et al. 2020),
// mBART and Marian (the opus-mt translation models). One shared token embedding, biases
// everywhere, decoder layers with self- and cross-attention, the head tied to the embedding plus
// final_logits_bias. What differs is data (BartVariant): where the LayerNorms sit, whether the
// embeddings are normalised, and the positions (learned with an offset of 2, or sinusoids).

#include "models/encoderdecoder.h"

#include <memory>

namespace attnviz {

class HfConfig;
class WeightArchive;

struct BartVariant
{
    bool preNorm = false;        // mBART: LayerNorm before each sub-block, and at the end of each stack
    bool embeddingNorm = true;   // layernorm_embedding after the embeddings (not Marian)
    int positionOffset = 2;      // learned tables reserve two rows; Marian's sinusoids none
    bool sinusoidal = false;     // Marian: a fixed sin | cos table (computed when not stored)
    bool sourceStartsWithBos = true; // BART wraps the source in <s> … </s>; mBART and Marian end it with </s> only
    const char* name = "BART";
};

struct BartAttention
{
    Linear q, k, v, o;            // (d, d) each, with biases
    RowVector normGain, normBias; // (d) the LayerNorm of this sub-block (after it, or before with preNorm)
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
    Matrix positions;               // (maxPositions + offset, d); row = position + offset
    RowVector embGain, embBias;     // (d) layernorm_embedding, or empty
    RowVector finalGain, finalBias; // (d) the stack's closing layer_norm (preNorm only), or empty
    std::vector<BartLayer> layers;
};

class Bart : public EncoderDecoder
{
public:
    static std::unique_ptr<Bart> load(const HfConfig& config, const WeightArchive& weights);

    const TransformerInfo& info() const override { return m_info; }
    int encoderLayers() const override { return static_cast<int>(m_encoder.layers.size()); }
    int encoderHeads() const override { return m_encoderHeads; }
    std::optional<int> sourceStartId() const override
    {
        return m_variant.sourceStartsWithBos ? std::optional<int>(m_bos) : std::nullopt;
    }
    int eosId() const override { return m_eos; }
    int decoderStartId() const override { return m_decoderStart; }

    Seq2SeqResult forward(const std::vector<int>& source, const std::vector<int>& target,
                          const Seq2SeqOptions& options) const override;

private:
    Matrix embed(const BartStack& stack, const std::vector<int>& ids) const;
    Matrix attend(const Matrix& x, const Matrix& source, const BartAttention& w, int heads, Seq2SeqStack stack,
                  int layer, const Seq2SeqOptions& options, Seq2SeqResult& result) const;
    Matrix mlp(const Matrix& x, const BartLayer& layer) const;
    Matrix tracedMlp(const Matrix& x, const BartLayer& layer, Seq2SeqBlockTrace& trace) const; // mlp, noted for the pipeline
    // x + f(x) with the sub-block's LayerNorm before f (preNorm) or after the sum.
    template <typename F>
    Matrix residual(const Matrix& x, const RowVector& gain, const RowVector& bias, F&& f) const;
    Matrix closeStack(Matrix x, const BartStack& stack) const;

    BartVariant m_variant;
    TransformerInfo m_info;
    int m_encoderHeads = 0;
    int m_bos = 0, m_eos = 2, m_decoderStart = 2;
    float m_eps = 1e-5f;
    float m_embedScale = 1.0f;
    Activation m_activation = Activation::GeluErf;
    Matrix m_shared;        // (vocab, d) token embedding of both stacks and the LM head
    RowVector m_logitsBias; // (vocab) final_logits_bias
    BartStack m_encoder, m_decoder;
};

// Marian's sinusoidal positions: column j < d/2 holds sin(p / 10000^(2j/d)), column d/2 + j the cos.
Matrix marianSinusoids(Index positions, Index width);

} // namespace attnviz
