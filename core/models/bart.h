#pragma once
// BART (Lewis et al. 2020) encoder-decoder as Hugging Face stores it: shared token embedding,
// learned positions with an offset of 2, layernorm_embedding, post-LayerNorm blocks, exact GELU,
// decoder layers with self- and cross-attention, LM head tied to the shared embedding plus
// final_logits_bias.

#include "models/transformer.h"

#include <array>
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

enum class BartStackId { Encoder = 0, Decoder = 1, Cross = 2 };

struct Seq2SeqOptions
{
    std::array<MaskMatrix, 3> masks; // encoder (S, S), decoder (T, T), cross (T, S); indexed by BartStackId
    bool scale = true;
    std::array<std::set<std::pair<int, int>>, 3> ablatedHeads; // per stack, (layer, head)
    std::optional<std::pair<int, int>> pipelineHead;           // (layer, head) of pipelineStack
    BartStackId pipelineStack = BartStackId::Encoder;
    const std::atomic<bool>* cancel = nullptr;
    bool captureAttention = true;
    LogitRows logits = LogitRows::All;
};

struct Seq2SeqResult
{
    std::array<AttentionTensor, 3> attention; // encoder (Le, H, S, S), decoder (Ld, H, T, T), cross (Ld, H, T, S)
    Matrix encoderHidden;                     // (S, d)
    Matrix hidden;                            // (T, d) decoder output
    Matrix logits;                            // (T, vocab), (1, vocab) or empty
    std::optional<PipelineCapture> pipeline;
};

class Bart
{
public:
    static std::unique_ptr<Bart> load(const HfConfig& config, const SafetensorsArchive& weights);

    const TransformerInfo& info() const { return m_info; } // layers/heads of the decoder
    int encoderLayers() const { return static_cast<int>(m_encoder.layers.size()); }
    int encoderHeads() const { return m_encoderHeads; }
    int bosId() const { return m_bos; }
    int eosId() const { return m_eos; }
    int decoderStartId() const { return m_decoderStart; }

    // source (S) and target (T) ids, both within maxPositions. Throws Cancelled between layers.
    Seq2SeqResult forward(const std::vector<int>& source, const std::vector<int>& target,
                          const Seq2SeqOptions& options) const;
    // Greedy translation of `source`: the generated ids after the decoder start token, without EOS.
    std::vector<int> translate(const std::vector<int>& source, int maxTokens, const std::atomic<bool>* cancel) const;

private:
    Matrix embed(const BartStack& stack, const std::vector<int>& ids) const;
    Matrix attend(const Matrix& x, const Matrix& source, const BartAttention& w, int heads, BartStackId stack,
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
