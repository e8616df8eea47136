#pragma once
// One forward pass for every decoder and encoder family: the residual loop, KV cache, capture,
// ablation, mask and logits live here once. A family is its Architecture (what the loop does)
// and its StackWeights (what it multiplies by), built from a FamilyDescription by
// models/familyloader.h or by hand (llama2.c).

#include "models/disentangled.h"
#include "models/family.h"
#include "models/tokentable.h"
#include "models/transformer.h"

#include <memory>
#include <optional>
#include <string>

namespace attnviz {

struct Architecture
{
    NormKind norm = NormKind::RmsNorm; // RmsNormPlusOne gains already hold the 1
    float normEps = 1e-6f;
    NormPlacement placement = NormPlacement::Pre;
    bool embeddingNorm = false;
    float embeddingScale = 1.0f;
    bool projectBeforePositions = false; // the embedding projection comes before positions are added (OPT)
    bool projectBeforeNorm = false;      // the projection comes after positions, before the embedding norm (DeBERTa)
    PositionKind positions = PositionKind::RotaryHalf;
    int positionOffset = 0; // LearnedFromPadding: padding_idx (RoBERTa); Learned: first row used
    int padId = -1;         // LearnedFromPadding counts the tokens that are not this id
    int headDim = 0;
    int rotaryDim = 0; // dimensions of each head that rotate (≤ headDim)
    std::vector<float> ropeInverseFrequencies; // (rotaryDim / 2)
    bool ropeInterleaved = false;              // llama2.c / Meta pairs (2i, 2i+1)
    MlpKind mlp = MlpKind::Gated;
    Activation activation = Activation::Silu;
    Activation mlmActivation = Activation::GeluErf; // the masked-LM head's transform
    HeadKind head = HeadKind::CausalLm;
    std::optional<int> slidingWindow; // a query sees at most this many keys (itself included)
    bool windowBothSides = false;     // instead: keys within slidingWindow positions either side (ModernBERT)
    // Per layer, whether it is a sliding (local) layer: the window and localRopeInverseFrequencies
    // apply to these only. Empty: every layer is.
    std::vector<bool> slidingLayer;
    std::vector<float> alibiSlopes; // (heads) PositionKind::Alibi
    std::vector<float> localRopeInverseFrequencies; // sliding layers' RoPE (Gemma 3); empty: the global one
    float scoreScale = 0;   // > 0: scores × this instead of 1/√d_k (Gemma's query_pre_attn_scalar, DeBERTa)
    std::optional<DisentangledAttention> disentangled; // DeBERTa-v2/v3: c2p / p2c terms added to the scores
    float attnSoftcap = 0;  // > 0: scores become c·tanh(scores / c) before the mask (Gemma 2)
    float finalSoftcap = 0; // > 0: likewise for the logits
    std::string pipelineNote;
};

struct BlockWeights
{
    RowVector attnNormGain, attnNormBias; // bias empty for RMSNorm
    Linear qkv;                           // (d, q | k | v) widths heads·hd, kvHeads·hd, kvHeads·hd
    Linear o;                             // (heads·hd, d)
    RowVector qNorm, kNorm;               // (hd) per-head RMSNorm gains, or empty
    RowVector mlpNormGain, mlpNormBias;
    RowVector postAttnNormGain, postMlpNormGain; // norms of each sub-block's output (Gemma 2/3), or empty
    Linear up;   // Plain: (d, inner); Gated: (d, 2·inner) gate | up
    Linear down; // (inner, d)
    // DeBERTa: the relative-position table through this layer's key and query projections
    // (2·span, heads·hd), fixed by the weights alone; empty when its term (c2p, p2c) is off.
    Matrix posKey, posQuery;
};

struct StackWeights
{
    TokenTable embedding; // (vocab, d)
    Matrix positions;  // (rows, d) learned positions, or empty
    Matrix tokenTypes; // (types, d), or empty
    RowVector embNormGain, embNormBias;
    Linear embeddingProjection; // (embedding width, d), or empty
    Linear outputProjection;    // (d, embedding width) after the final norm, or empty
    std::vector<BlockWeights> blocks;
    std::vector<int> blockOfLayer; // layer → blocks index; empty = one block per layer
    RowVector finalNormGain, finalNormBias; // empty: no final norm (post-norm encoders)
    TokenTable lmHead;                      // (vocab, d); empty = tied to the embedding
    // Masked-LM head: transform, norm, decoder (tied to the embedding unless stored), bias.
    Linear mlmTransform;
    RowVector mlmNormGain, mlmNormBias;
    TokenTable mlmDecoder;
    RowVector mlmBias;
    std::optional<DebertaConv> conv; // DeBERTa-v2's convolution after layer 0 (conv_kernel_size > 0)
};

// How a model holds its weight matrices (layers' and token tables): widened to floats, or kept
// as the file encodes them (16-bit, quantised).
struct WeightStorage
{
    int floatMatrices = 0;
    int encodedMatrices = 0;
};

class GenericTransformer : public Transformer
{
public:
    GenericTransformer(TransformerInfo info, Architecture arch, StackWeights weights);

    const TransformerInfo& info() const override { return m_info; }
    const Architecture& architecture() const { return m_arch; }
    WeightStorage weightStorage() const;
    // segments (T): token types (sentence A = 0, B = 1), or empty.
    ForwardResult forward(const std::vector<int>& ids, const std::vector<int>& segments,
                          const ForwardOptions& options) const override;
    // Decoders keep a key/value cache: each new token costs one row through every layer.
    std::vector<int> generateGreedy(const std::vector<int>& promptIds, int steps,
                                    const std::atomic<bool>* cancel) const override;

private:
    // ids at positions firstPosition..; with a cache, earlier K/V come from it (options.mask is
    // then (T, firstPosition + T)) and the new rows are stored into it.
    ForwardResult forwardFrom(const std::vector<int>& ids, const std::vector<int>& segments, int firstPosition,
                              KvCache* cache, const ForwardOptions& options) const;
    Matrix embed(const std::vector<int>& ids, const std::vector<int>& segments, int firstPosition) const;
    // Learned positions and token types added to x in place.
    void addPositions(Matrix& x, const std::vector<int>& ids, const std::vector<int>& segments, int firstPosition) const;
    Matrix norm(const Matrix& x, const RowVector& gain, const RowVector& bias) const;
    // (heads, S) ALiBi biases over S keys, shared by every query; empty for other position kinds.
    std::vector<float> alibiBias(Index S) const;
    Matrix mlp(const Matrix& x, const BlockWeights& block) const;
    // A sub-block's output through its post norm (Gemma 2/3), unchanged when there is none.
    Matrix outputNorm(Matrix x, const RowVector& gain) const;
    void activate(Matrix& x) const;
    Matrix logits(const Matrix& hidden) const;
    // The final norm (and output projection, if any) over residual rows: the hidden states.
    Matrix finalStage(const Matrix& residual) const;
    // Why ALTI is not defined for this family; empty when it is.
    std::string altiUnavailable() const;
    // Appends layer's ALTI contributions (residualreadings.h) to result.alti: writes are the heads'
    // writes of each key, x the layer's residual input, attnOut the attention block's output.
    void readLayerAlti(int layer, const BlockWeights& block, const std::vector<Matrix>& writes, const Matrix& x,
                       const Matrix& attnOut, ForwardResult& result) const;
    // Why direct logit attribution is not defined for this family; empty when it is.
    std::string attributionUnavailable() const;
    // Splits the logit of `target` at one row into the parts (residualreadings.h's layout) whose
    // sum is the row's final residual, the final norm's scale frozen at its value for that row.
    LogitAttribution attribute(const Matrix& parts, const RowVector& finalResidual, int target) const;
    bool isSliding(int layer) const
    {
        return m_arch.slidingLayer.empty() || m_arch.slidingLayer[static_cast<std::size_t>(layer)];
    }
    Index kvWidth() const { return static_cast<Index>(m_info.kvHeads) * m_arch.headDim; }

    TransformerInfo m_info;
    Architecture m_arch;
    StackWeights m_w;
};

} // namespace attnviz
