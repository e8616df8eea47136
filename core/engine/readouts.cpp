#include "engine/readouts.h"

#include <numeric>

namespace attnviz {

const char* measureName(Measure measure)
{
    switch (measure) {
    case Measure::Raw: return "raw";
    case Measure::ValueWeighted: return "value-weighted";
    }
    return "";
}

std::optional<Measure> measureNamed(std::string_view name)
{
    for (Measure m : {Measure::Raw, Measure::ValueWeighted}) {
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
