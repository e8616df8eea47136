#include "engine/readouts.h"

#include <numeric>

namespace attnviz {

const char* measureName(Measure measure)
{
    switch (measure) {
    case Measure::Raw: return "raw";
    case Measure::ValueWeighted: return "value-weighted";
    case Measure::Alti: return "alti";
    case Measure::Flow: return "flow";
    }
    return "";
}

std::optional<Measure> measureNamed(std::string_view name)
{
    for (Measure m : {Measure::Raw, Measure::ValueWeighted, Measure::Alti, Measure::Flow}) {
        if (name == measureName(m))
            return m;
    }
    return std::nullopt;
}

std::string measureLegend(Measure measure)
{
    switch (measure) {
    case Measure::Raw: return "attention weights";
    case Measure::ValueWeighted:
        return "value-weighted attention: share of each query's sum of ‖a·f(x)‖ (Kobayashi et al. 2020)";
    case Measure::Alti:
        return "ALTI: each token's share of a query's attention-block output, residual and norm included "
               "(Ferrando et al. 2022)";
    case Measure::Flow:
        return "attention flow: the maximum flow from each input token (column) to each token after the layer "
               "(Abnar & Zuidema 2020)";
    }
    return "";
}

std::string headMapsCaption(Measure measure)
{
    switch (measure) {
    case Measure::Raw: return "";
    case Measure::ValueWeighted: return measureName(measure);
    case Measure::Alti: return "raw weights (ALTI is per layer: see the heatmap)";
    case Measure::Flow: return "raw weights (attention flow is per layer: see the heatmap)";
    }
    return "";
}

float LogitAttribution::total() const
{
    double sum = static_cast<double>(embedding) + finalBias;
    sum = std::accumulate(head.begin(), head.end(), sum);
    sum = std::accumulate(attentionBias.begin(), attentionBias.end(), sum);
    sum = std::accumulate(mlp.begin(), mlp.end(), sum);
    return static_cast<float>(sum);
}

} // namespace attnviz
