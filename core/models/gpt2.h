#pragma once
// GPT-2 (Radford et al. 2019) as Hugging Face stores it: learned positions, pre-LayerNorm blocks,
// fused c_attn in Conv1D layout (weight (in, out)), GELU tanh, LM head tied to the token embedding.

#include "models/transformer.h"

#include <memory>

namespace attnviz {

class HfConfig;
class SafetensorsArchive;

struct Gpt2Layer
{
    RowVector ln1Gain, ln1Bias; // (d)
    Linear attn;                // (d, 3d) fused Q | K | V, heads side by side in each
    Linear attnProj;            // (d, d) W_O
    RowVector ln2Gain, ln2Bias; // (d)
    Linear fc;                  // (d, inner)
    Linear fcProj;              // (inner, d)
};

class Gpt2 : public Transformer
{
public:
    // Accepts "transformer."-prefixed and bare tensor names. Throws ModelLoadError.
    static std::unique_ptr<Gpt2> load(const HfConfig& config, const SafetensorsArchive& weights);

    const TransformerInfo& info() const override { return m_info; }
    ForwardResult forward(const std::vector<int>& ids, const std::vector<int>& segments,
                          const ForwardOptions& options) const override;
    // With a key/value cache: each new token costs one row through every layer.
    std::vector<int> generateGreedy(const std::vector<int>& promptIds, int steps,
                                    const std::atomic<bool>* cancel) const override;

private:
    // ids at positions firstPosition..; with a cache, earlier K/V come from it (options.mask is
    // then (T, firstPosition + T)) and the new rows are stored into it.
    ForwardResult forwardFrom(const std::vector<int>& ids, int firstPosition, KvCache* cache,
                              const ForwardOptions& options) const;

    TransformerInfo m_info;
    float m_eps = 1e-5f;
    Matrix m_wte; // (vocab, d) token embedding, also the LM head
    Matrix m_wpe; // (positions, d)
    std::vector<Gpt2Layer> m_layers;
    RowVector m_lnfGain, m_lnfBias; // (d)
};

} // namespace attnviz
