#pragma once
// What a run can say beyond the attention weights: what the cells of a map mean (the measure), what
// the residual stream predicts after every layer (logit lens) and how much each head writes into
// one logit (direct logit attribution).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace attnviz {

struct Prediction
{
    int id = -1;
    std::string display;
    float probability = 0.0f;
    float logit = 0.0f; // the model's raw score (before softmax)
};

// What the cells of a stack's maps mean.
enum class Measure {
    Raw,           // attention weights a_ij
    ValueWeighted, // ‖a_ij · f(x_j)‖ (Kobayashi et al. 2020), as each query row's shares
    Alti,          // token contributions of a whole layer (Ferrando et al. 2022); the heads' maps stay raw
    Flow,          // attention flow from the inputs to a layer (Abnar & Zuidema 2020), AttentionResult::flow
};
// Whether the measure has a value per head (else only per layer: the heads' maps keep raw weights).
inline bool measureIsPerHead(Measure measure) { return measure == Measure::Raw || measure == Measure::ValueWeighted; }
// The measure a stack's per-head maps hold.
inline Measure headMapMeasure(Measure measure) { return measureIsPerHead(measure) ? measure : Measure::Raw; }
const char* measureName(Measure measure);                     // "raw", "value-weighted", "alti", "flow" (CLI, files)
std::optional<Measure> measureNamed(std::string_view name);   // the inverse; nullopt for others
std::string measureLegend(Measure measure);                   // one line for legends and exports
// What a view of the heads' own maps (arcs, charts, model grid) says they hold: "" for raw
// weights, "value-weighted", or, for a measure that exists per layer only, that the maps stay raw
// weights and where the measure is shown.
std::string headMapsCaption(Measure measure);

// The top tokens the residual stream predicts after every layer, through the model's own final
// norm and output head (nostalgebraist's logit lens).
struct LogitLens
{
    int layers = 0;
    int top = 0;
    std::vector<int> positions;          // token positions read out
    std::vector<Prediction> predictions; // (layers, positions, top), layer-major
    const Prediction& at(int layer, int positionIndex, int rank) const
    {
        return predictions[(static_cast<std::size_t>(layer) * positions.size() + positionIndex) * top + rank];
    }
};

// How each part of the residual stream at one position adds up to one logit, with the final norm's
// scale frozen at its value for that position: the parts sum to the logit exactly.
struct LogitAttribution
{
    int stack = 0;            // the result's stack whose heads are split (the one writing the logits)
    int position = -1;
    int target = -1;          // token id whose logit is split
    std::string targetDisplay;
    float logit = 0.0f;       // the model's logit for target at position
    int layers = 0;
    int heads = 0;
    float embedding = 0.0f;   // token and position embeddings
    std::vector<float> head;  // (layers × heads), layer-major: each head's write through W_O
    std::vector<float> attentionBias; // (layers) W_O's bias
    std::vector<float> mlp;   // (layers)
    float finalBias = 0.0f;   // the final norm's bias (and the output head's, if any)
    float headAt(int layer, int h) const { return head[static_cast<std::size_t>(layer) * heads + h]; }
    float total() const;      // the sum of every part (equals logit up to rounding)
};

} // namespace attnviz
