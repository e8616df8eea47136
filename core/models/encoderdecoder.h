#pragma once
// What every encoder-decoder network (BART, T5) offers Seq2SeqModel: a forward pass over a source
// and a target that fills the encoder, decoder and cross stacks, and the ids that frame a source
// and start a translation. Greedy translation and the attention step with its pipeline capture
// are written once here for all of them.

#include "models/transformer.h"

#include <array>
#include <optional>

namespace attnviz {

enum class Seq2SeqStack { Encoder = 0, Decoder = 1, Cross = 2 };

struct Seq2SeqOptions
{
    std::array<MaskMatrix, 3> masks; // encoder (S, S), decoder (T, T), cross (T, S); indexed by Seq2SeqStack
    bool scale = true;
    std::array<std::set<std::pair<int, int>>, 3> ablatedHeads; // per stack, (layer, head)
    std::optional<std::pair<int, int>> pipelineHead;           // (layer, head) of pipelineStack
    Seq2SeqStack pipelineStack = Seq2SeqStack::Encoder;
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

class EncoderDecoder
{
public:
    virtual ~EncoderDecoder() = default;

    virtual const TransformerInfo& info() const = 0; // layers/heads of the decoder
    virtual int encoderLayers() const = 0;
    virtual int encoderHeads() const = 0;
    virtual std::optional<int> sourceStartId() const = 0; // BART's <s> before the source; T5 has none
    virtual int eosId() const = 0;
    virtual int decoderStartId() const = 0;

    // source (S) and target (T) ids, both within maxPositions. Throws Cancelled between layers.
    virtual Seq2SeqResult forward(const std::vector<int>& source, const std::vector<int>& target,
                                  const Seq2SeqOptions& options) const = 0;

    // Greedy translation of `source`: the generated ids after the decoder start token, without EOS.
    std::vector<int> translate(const std::vector<int>& source, int maxTokens, const std::atomic<bool>* cancel) const;

protected:
    // Sizes the result's attention tensors and its pipeline capture from `options`.
    Seq2SeqResult beginForward(Index sourceLength, Index targetLength, const Seq2SeqOptions& options) const;
};

// One attention step of an encoder-decoder: heads of Q = x·W_Q against K, V from `source` (x itself
// for self-attention), W_O applied, the pipeline capture filled when it is this stack and layer.
struct Seq2SeqProjections
{
    const Linear& q;
    const Linear& k;
    const Linear& v;
    const Linear& o;
};
struct Seq2SeqStep
{
    Seq2SeqStack stack;
    int layer = 0;
    int heads = 0;
    float scaleFactor = 0;             // LayerAttentionOptions::scaleFactor (T5: 1, scores unscaled)
    const float* scoreBias = nullptr;  // LayerAttentionOptions::scoreBias (T5's relative positions)
    std::string note;                  // the pipeline view's note
};
Matrix attendSeq2Seq(const Matrix& x, const Matrix& source, const Seq2SeqProjections& w, const Seq2SeqStep& step,
                     const Seq2SeqOptions& options, Seq2SeqResult& result);

// The pipeline's block row for one layer of an encoder-decoder's loop: the residual stream entering
// the captured attention sublayer, after its add, what the rest of the layer adds, and the layer's
// output. Does nothing unless the captured head is in this layer. After a decoder self-attention head
// come cross-attention and the MLP, so what they add is the difference, labelled so.
class Seq2SeqBlockTrace
{
public:
    // postNorm: each sublayer's sum is normalised (BART, Marian), which the row says.
    Seq2SeqBlockTrace(Seq2SeqResult& result, bool decoderLayer, int layer, bool postNorm = false);
    void beforeAttention(Seq2SeqStack sublayer, const Matrix& x);
    void afterAttention(Seq2SeqStack sublayer, const Matrix& x);
    void mlp(const Matrix& added);
    void end(const Matrix& x);

private:
    PipelineCapture* m_capture = nullptr; // null when the captured head is in another layer or stack
    Seq2SeqStack m_stack = Seq2SeqStack::Encoder;
};

} // namespace attnviz
