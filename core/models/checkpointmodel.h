#pragma once
// A real checkpoint (any Transformer family plus its tokenizer) as an AttentionModel: turns a
// RunRequest into token ids, a mask and forward options, and the forward result into an
// AttentionResult (tokens, the "self" stack, predictions, notices).

#include "engine/attentionmodel.h"
#include "models/transformer.h"
#include "tokenizers/tokenizer.h"

#include <memory>
#include <string>

namespace attnviz {

// Longest input whose (layers, heads, T, T) attention stays within the capture budget (1 GB);
// at least 1 for any layers and heads, zero and negative included.
int attentionCaptureLimit(int layers, int heads);

class CheckpointModel : public AttentionModel
{
public:
    // tokenizer may be null: the model then only takes RunRequest::ids.
    CheckpointModel(std::unique_ptr<Transformer> net, std::unique_ptr<Tokenizer> tokenizer, std::string name,
                    std::vector<std::string> loadNotices = {});

    ModelInfo info() const override;
    std::shared_ptr<AttentionResult> run(const RunRequest& request) const override;
    const Tokenizer* tokenizer() const override { return m_tokenizer.get(); }
    std::vector<int> generateGreedy(const std::vector<int>& promptIds, int steps,
                                    const std::atomic<bool>* cancel = nullptr) const override;

    const Transformer& transformer() const { return *m_net; }

private:
    std::vector<Token> tokensOf(const RunRequest& request, std::vector<std::string>& notices) const;
    // The lens and attribution readings of `forward` as the result shows them (tokens named).
    void addReadouts(ForwardResult& forward, const ForwardOptions& options, AttentionResult& result) const;

    std::unique_ptr<Transformer> m_net;
    std::unique_ptr<Tokenizer> m_tokenizer;
    std::string m_name;
    std::vector<std::string> m_loadNotices;
};

} // namespace attnviz
