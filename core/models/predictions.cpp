#include "models/predictions.h"

#include "tokenizers/tokenizer.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace attnviz {

Token tokenForId(const Tokenizer* tokenizer, int id)
{
    if (tokenizer != nullptr) {
        try {
            return tokenizer->tokenForId(id);
        } catch (const TokenizerError&) {
            // fall through to the placeholder
        }
    }
    Token token;
    token.id = id;
    token.piece = token.display = "#" + std::to_string(id);
    return token;
}

namespace {

// Σ_i exp(logit_i − max) of one row, and the max: the softmax's denominator without overflow.
std::pair<float, double> softmaxDenominator(const Matrix& logits, Index row)
{
    const float maxLogit = logits.row(row).maxCoeff();
    double sum = 0.0;
    for (Index i = 0; i < logits.cols(); ++i)
        sum += std::exp(static_cast<double>(logits(row, i) - maxLogit));
    return {maxLogit, sum};
}

} // namespace

float logProbabilityOf(const Matrix& logits, Index row, int id)
{
    const auto [maxLogit, sum] = softmaxDenominator(logits, row);
    return static_cast<float>(static_cast<double>(logits(row, id) - maxLogit) - std::log(sum));
}

std::vector<Prediction> topPredictions(const Matrix& logits, Index row, int k, const Tokenizer* tokenizer)
{
    const Index n = logits.cols();
    const auto [maxLogit, sum] = softmaxDenominator(logits, row);
    std::vector<int> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    const auto count = static_cast<std::ptrdiff_t>(std::clamp<Index>(k, 0, n));
    std::partial_sort(order.begin(), order.begin() + count, order.end(), [&](int a, int b) {
        return logits(row, a) > logits(row, b) || (logits(row, a) == logits(row, b) && a < b);
    });
    std::vector<Prediction> out;
    for (std::ptrdiff_t i = 0; i < count; ++i) {
        Prediction p;
        p.id = order[static_cast<std::size_t>(i)];
        p.display = tokenForId(tokenizer, p.id).display;
        p.probability = static_cast<float>(std::exp(static_cast<double>(logits(row, p.id) - maxLogit)) / sum);
        p.logit = logits(row, p.id);
        out.push_back(std::move(p));
    }
    return out;
}

} // namespace attnviz
