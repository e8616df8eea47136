#include "models/readoutlimits.h"

#include <cmath>

namespace attnviz {

// 2^25 floats: 128 MB, well under a second of unembedding on a laptop.
std::vector<Index> lensRows(const TransformerInfo& t, Index tokens, Index readout, std::vector<std::string>& notices)
{
    constexpr double maxLensLogits = 33554432.0;
    std::vector<Index> rows;
    if (static_cast<double>(t.layers) * static_cast<double>(tokens) * t.vocab <= maxLensLogits) {
        for (Index i = 0; i < tokens; ++i)
            rows.push_back(i);
        return rows;
    }
    notices.push_back("logit lens read at position " + std::to_string(readout) + " only: every position of " +
                      std::to_string(tokens) + " tokens through " + std::to_string(t.vocab) +
                      " vocabulary entries would cost too much");
    return {readout};
}

// ALTI reads every head's write for every (query, key) pair: a second or so at 4·10^9 on a laptop.
bool altiAffordable(const TransformerInfo& t, Index tokens, std::vector<std::string>& notices)
{
    constexpr double maxAltiWork = 4e9;
    const double work = static_cast<double>(t.layers) * static_cast<double>(tokens) * tokens * t.heads * t.dModel;
    if (work <= maxAltiWork)
        return true;
    const double fits = std::floor(std::sqrt(maxAltiWork / (static_cast<double>(t.layers) * t.heads * t.dModel)));
    notices.push_back("ALTI is computed for inputs of up to " + std::to_string(static_cast<long long>(fits)) +
                      " tokens on this model (it compares every query with every key in every layer); the raw "
                      "attention weights are shown");
    return false;
}

bool valueWeightingAffordable(const TransformerInfo& t, Index tokens, std::vector<std::string>& notices)
{
    constexpr double maxFloats = 134217728.0; // 2^27
    const double writes = static_cast<double>(t.heads) * static_cast<double>(tokens) * t.dModel;
    const double gram = static_cast<double>(t.layers) * static_cast<double>(tokens) * t.heads * t.heads;
    if (writes <= maxFloats && gram <= maxFloats)
        return true;
    const double perToken = std::max(static_cast<double>(t.heads) * t.dModel, static_cast<double>(t.layers) * t.heads * t.heads);
    notices.push_back("value-weighted attention is computed for inputs of up to " +
                      std::to_string(static_cast<long long>(std::floor(maxFloats / perToken))) +
                      " tokens on this model (it keeps what every head writes for every token); the raw attention "
                      "weights are shown");
    return false;
}

} // namespace attnviz
