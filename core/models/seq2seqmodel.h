#pragma once
// An encoder-decoder checkpoint (BART, T5) as an AttentionModel. The source sentence is
// RunRequest::secondText (or the text when there is no second text, or the ids); the decoder
// reads the text as the target so far, or, without a second text, the model's own greedy
// translation. Mask overrides and ablations apply to the stack RunRequest::pipelineStack names
// (0 encoder, 1 decoder, 2 cross).

#include "engine/attentionmodel.h"
#include "models/encoderdecoder.h"
#include "tokenizers/tokenizer.h"

#include <memory>
#include <string>

namespace attnviz {

// The longest source and target whose attention (all three stacks) is kept: about 1 GB at most.
int seq2seqCaptureLimit(const EncoderDecoder& net);

class Seq2SeqModel : public AttentionModel
{
public:
    Seq2SeqModel(std::unique_ptr<EncoderDecoder> net, std::unique_ptr<Tokenizer> tokenizer, std::string name,
                 std::vector<std::string> loadNotices = {});

    ModelInfo info() const override;
    std::shared_ptr<AttentionResult> run(const RunRequest& request) const override;
    const Tokenizer* tokenizer() const override { return m_tokenizer.get(); }
    // promptIds are the source ids; returns the greedy translation (without start and end tokens).
    std::vector<int> generateGreedy(const std::vector<int>& promptIds, int steps,
                                    const std::atomic<bool>* cancel = nullptr) const override;

    const EncoderDecoder& network() const { return *m_net; }

private:
    std::vector<Token> plainTokens(const std::string& text, int segment) const;

    std::unique_ptr<EncoderDecoder> m_net;
    std::unique_ptr<Tokenizer> m_tokenizer;
    std::string m_name;
    std::vector<std::string> m_loadNotices;
};

} // namespace attnviz
