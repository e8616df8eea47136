#pragma once
// Llama-style decoders (Touvron et al. 2023): RMSNorm, rotary position embedding, grouped-query
// attention, SwiGLU MLP; tied or untied LM head. Also Mistral and Qwen2 (q/k/v biases), and
// llama2.c checkpoints, which rotate interleaved pairs instead of halves.

#include "models/transformer.h"

#include <memory>

namespace attnviz {

class HfConfig;
class SafetensorsArchive;

struct LlamaLayer
{
    RowVector attnNorm; // (d) input_layernorm
    Linear wq;          // (d, heads*hd), bias only for Qwen2
    Linear wk;          // (d, kvHeads*hd)
    Linear wv;          // (d, kvHeads*hd)
    Linear wo;          // (heads*hd, d), no bias
    RowVector mlpNorm;  // (d) post_attention_layernorm
    Linear gate;        // (d, inner)
    Linear up;          // (d, inner)
    Linear down;        // (inner, d)
};

struct LlamaWeights
{
    Matrix embedding; // (vocab, d)
    std::vector<LlamaLayer> layers;
    RowVector finalNorm; // (d)
    Matrix lmHead;       // (vocab, d); empty when tied to the embedding
};

struct LlamaHyper
{
    int headDim = 0;
    float normEps = 1e-5f;
    std::vector<float> ropeInverseFrequencies; // (headDim/2) after any rope_scaling
    bool ropeInterleaved = false; // llama2.c / Meta layout
};

class Llama : public Transformer
{
public:
    Llama(TransformerInfo info, LlamaHyper hyper, LlamaWeights weights);
    // model_type llama, mistral or qwen2. Throws ModelLoadError.
    static std::unique_ptr<Llama> load(const HfConfig& config, const SafetensorsArchive& weights);

    const TransformerInfo& info() const override { return m_info; }
    ForwardResult forward(const std::vector<int>& ids, const std::vector<int>& segments,
                          const ForwardOptions& options) const override;
    // With a key/value cache: each new token costs one row through every layer.
    std::vector<int> generateGreedy(const std::vector<int>& promptIds, int steps,
                                    const std::atomic<bool>* cancel) const override;

private:
    // ids are tokens at positions firstPosition.. ; with a cache, K/V of earlier positions come
    // from it (options.mask is then (T, firstPosition + T)) and the new rows are stored into it.
    ForwardResult forwardFrom(const std::vector<int>& ids, int firstPosition, KvCache* cache,
                              const ForwardOptions& options) const;

    TransformerInfo m_info;
    LlamaHyper m_hyper;
    LlamaWeights m_w;
};

} // namespace attnviz
