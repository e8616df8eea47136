#pragma once
// The one interface the CLI and the UI use to run any model: lessons, Hugging Face checkpoints,
// llama2.c files and the built-in models all implement it.

#include "base/modelloaderror.h"
#include "engine/attentionresult.h"

#include <atomic>
#include <cstddef>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace attnviz {

class Tokenizer;

enum class MaskOverride {
    ModelDefault, // the model's own mask (causal for decoders, padding for BERT, the lesson's)
    None,
    Causal,
    Padding,
    Custom, // RunRequest::customMask, (T, S) of the stack being shown
};

struct RunRequest
{
    std::string text;                   // ignored by models whose info().takesText is false
    std::string secondText;             // BERT sentence B / translator source; optional
    std::optional<std::vector<int>> ids; // run these token ids instead of tokenising text
    MaskOverride mask = MaskOverride::ModelDefault;
    MaskMatrix customMask;              // used with MaskOverride::Custom; empty = start from the model's mask
    // The token ids customMask's rows and columns were made for: after the text changes, the cells
    // between tokens the edit kept carry over (customMaskFor). Empty = the mask must fit as is.
    std::vector<int> customMaskRowIds, customMaskColIds;
    std::optional<bool> scale;          // divide by √d_k; unset = the model's own choice (lessons may say no)
    std::set<std::pair<int, int>> ablatedHeads; // (layer, head) whose output is zeroed before W_O
    std::optional<std::pair<int, int>> pipelineHead; // (layer, head) to capture for the pipeline view
    int pipelineStack = 0;
    int topK = 10;                      // predictions to return
    // Bytes of attention maps a run may keep (0 = engine/captureplan.h's default): beyond it the
    // maps around pipelineHead's layer are kept and the others computed when asked for.
    std::size_t attentionBudgetBytes = 0;
    // Attention rollout of this stack through every layer, averaging the heads flagged true; computed
    // with the derived statistics (stats/derive.h), not by the model.
    struct Rollout
    {
        int stack = 0;
        std::vector<bool> heads;
    };
    std::optional<Rollout> rollout;
    // Attention flow of this stack from the inputs to the tokens after `layer`, over the heads
    // flagged true (stats/attentionflow.h); computed with the derived statistics, like the rollout.
    struct Flow
    {
        int stack = 0;
        std::vector<bool> heads;
        int layer = 0;
    };
    std::optional<Flow> flow;
    Measure measure = Measure::Raw; // what the maps' cells mean (engine/readouts.h)
    bool logitLens = false;         // read the residual stream out after every layer
    bool attribution = false;       // split one logit into the parts of the residual stream
    std::optional<int> attributionTarget; // token id whose logit is split; unset = the predicted one
    // Decoders: report log P(this token) after the last token (AttentionResult::scoredLogProbability).
    std::optional<int> scoredToken;
    // Position read out by the lens (when every position would cost too much) and attributed; −1 = the last.
    int readoutPosition = -1;
    const std::atomic<bool>* cancel = nullptr; // raised by the caller to stop a stale job early
};

// Thrown for input a model cannot take (unknown token id, text when the model takes none, ...).
// The message is shown to people as is.
class InputError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

// Puts the two text fields as people type them into a request. A translator's main field is the
// source and its optional second field the target the decoder reads, while the request takes the
// target as text and the source as secondText; an empty target leaves the model to translate.
void fillTypedText(RunRequest& request, const ModelInfo& info, std::string main, std::string second);

// The mask a Custom request runs with on rows × cols tokens (their ids), given the model's own
// mask for them: the request's cells carried over from the ids they were made for, or the model's
// mask when the request has none yet. A mask without ids must fit as is; throws InputError if not.
MaskMatrix customMaskFor(const RunRequest& request, const std::vector<int>& rowIds, const std::vector<int>& colIds,
                         const MaskMatrix& modelMask);

// "none", "causal", "padding", "custom" or "the model's own", for notices.
const char* maskOverrideName(MaskOverride mask);

// The mask one stack runs with (rows × cols tokens, their ids): the model's own (modelSpec) or the
// request's override; keyValid marks the non-padding keys for MaskOverride::Padding. For a Custom
// request, `custom` receives the mask used. One planner for decoders, encoders and every stack of
// an encoder-decoder. Throws InputError when a custom mask does not fit.
MaskMatrix plannedMask(const RunRequest& request, const MaskSpec& modelSpec, const std::vector<std::uint8_t>& keyValid,
                       const std::vector<int>& rowIds, const std::vector<int>& colIds, MaskMatrix& custom);

class AttentionModel
{
public:
    virtual ~AttentionModel() = default;
    virtual ModelInfo info() const = 0;
    // Tokenises (or takes ids), runs the forward pass and captures attention. Safe to call from
    // one worker thread at a time per model; throws InputError, Cancelled or std::runtime_error.
    // The result is not shared yet: the caller adds derived statistics (stats/derive.h) first.
    virtual std::shared_ptr<AttentionResult> run(const RunRequest& request) const = 0;
    // The model's tokenizer, or nullptr for models without one (lessons).
    virtual const Tokenizer* tokenizer() const { return nullptr; }
    // Greedy (argmax) continuation of promptIds: returns only the generated ids, at most `steps`,
    // stopping before the model's end token. Decoders override; throws Cancelled when raised.
    virtual std::vector<int> generateGreedy(const std::vector<int>& promptIds, int steps,
                                            const std::atomic<bool>* cancel = nullptr) const
    {
        (void)promptIds;
        (void)steps;
        (void)cancel;
        throw InputError("this model does not generate text");
    }
};

} // namespace attnviz
