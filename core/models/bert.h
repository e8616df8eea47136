#pragma once
// BERT (Devlin et al. 2019) encoders as Hugging Face stores them: word + position + token-type
// embeddings, post-LayerNorm blocks, exact (erf) GELU, and the masked-LM head (cls.predictions)
// when the checkpoint has one. Attention is bidirectional; padding keys are masked by default.
// DistilBERT (model_type distilbert) is the same computation without token types, under other names.

#include "models/transformer.h"

#include <memory>

namespace attnviz {

class HfConfig;
class SafetensorsArchive;

struct BertLayer
{
    Linear wq, wk, wv;          // (d, d) each
    Linear wo;                  // (d, d) attention.output.dense
    RowVector ln1Gain, ln1Bias; // (d) attention.output.LayerNorm
    Linear intermediate;        // (d, inner)
    Linear output;              // (inner, d)
    RowVector ln2Gain, ln2Bias; // (d) output.LayerNorm
};

class Bert : public Transformer
{
public:
    // Accepts "bert."-prefixed (BertForMaskedLM, BertForPreTraining) and bare (BertModel) names,
    // and DistilBERT's ("distilbert."-prefixed or bare, vocab_transform/vocab_projector head).
    static std::unique_ptr<Bert> load(const HfConfig& config, const SafetensorsArchive& weights);

    const TransformerInfo& info() const override { return m_info; }
    // segments (T): token types, 0 for sentence A and 1 for B; empty means all 0.
    ForwardResult forward(const std::vector<int>& ids, const std::vector<int>& segments,
                          const ForwardOptions& options) const override;

private:
    TransformerInfo m_info;
    float m_eps = 1e-12f;
    bool m_tanhGelu = false;
    Matrix m_word;                  // (vocab, d)
    Matrix m_position;              // (positions, d)
    Matrix m_type;                  // (types, d); one zero row for DistilBERT
    RowVector m_embGain, m_embBias; // (d)
    std::vector<BertLayer> m_layers;
    // Masked-LM head (empty when absent): transform, LayerNorm, decoder tied to m_word unless stored.
    Linear m_transform;                         // (d, d)
    RowVector m_transformGain, m_transformBias; // (d)
    Matrix m_decoder;                           // (vocab, d); empty = tied to m_word
    RowVector m_decoderBias;                    // (vocab)
};

} // namespace attnviz
