#pragma once
// T5 (Raffel et al. 2020) and the checkpoints built on it (T5 v1.1, Flan-T5, mT5) as Hugging Face
// stores them: one shared token embedding, an RMS "T5 LayerNorm" before each sub-block, scores left
// unscaled and given a learned relative-position bias (log-spaced distance buckets, one table per
// stack in its first block, reused by every layer), a ReLU or gated-GELU MLP, no biases anywhere;
// a tied head scales the decoder output by d_model^-½ first. Its own builder: none of the
// decoder-only families has this block.

#include "models/encoderdecoder.h"

#include <memory>

namespace attnviz {

class HfConfig;
class WeightArchive;

struct T5Attention
{
    Linear q, k, v, o;  // (d, heads·d_kv) and (heads·d_kv, d), no biases
    RowVector normGain; // (d) the RMSNorm before this sub-block
};

struct T5Block
{
    T5Attention self;
    T5Attention cross; // decoder blocks only
    Linear wi;         // (d, ff), or (d, 2·ff) gate | up when gated
    Linear wo;         // (ff, d)
    RowVector ffNormGain;
};

struct T5Stack
{
    std::vector<T5Block> blocks;
    Matrix relativeBias; // (buckets, heads)
    RowVector finalNormGain;
};

// The bucket of a key `relative` positions after its query (negative: before), as T5 computes it:
// exact up to half the buckets, log-spaced up to maxDistance, one bucket beyond; bidirectional
// stacks give each direction half the buckets.
int t5RelativeBucket(int relative, bool bidirectional, int buckets, int maxDistance);

class T5 : public EncoderDecoder
{
public:
    static std::unique_ptr<T5> load(const HfConfig& config, const WeightArchive& weights);

    const TransformerInfo& info() const override { return m_info; }
    int encoderLayers() const override { return static_cast<int>(m_encoder.blocks.size()); }
    int encoderHeads() const override { return m_info.heads; }
    std::optional<int> sourceStartId() const override { return std::nullopt; }
    int eosId() const override { return m_eos; }
    int decoderStartId() const override { return m_decoderStart; }

    Seq2SeqResult forward(const std::vector<int>& source, const std::vector<int>& target,
                          const Seq2SeqOptions& options) const override;

private:
    // (heads, T, S) biases of queries 0..T-1 against keys 0..S-1 from the stack's table.
    std::vector<float> positionBias(const T5Stack& stack, Index T, Index S, bool bidirectional) const;
    Matrix feedForward(const Matrix& x, const T5Block& block) const;
    Matrix embed(const std::vector<int>& ids) const;

    TransformerInfo m_info;
    int m_eos = 1, m_decoderStart = 0;
    int m_buckets = 32, m_maxDistance = 128;
    float m_eps = 1e-6f;
    bool m_gated = false;
    Activation m_activation = Activation::Relu;
    Matrix m_shared; // (vocab, d)
    Matrix m_lmHead; // (vocab, d); empty when tied (then the output is scaled by d^-½)
    T5Stack m_encoder, m_decoder;
};

} // namespace attnviz
