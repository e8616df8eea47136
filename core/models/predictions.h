#pragma once
// Helpers shared by the checkpoint AttentionModels: tokens for ids and top-k predictions.

#include "base/tensor.h"
#include "engine/attentionresult.h"

#include <vector>

namespace attnviz {

class Tokenizer;

// The tokenizer's token for `id`, or a "#id" placeholder when there is no tokenizer or the id lies
// beyond its vocabulary (padded embedding rows).
Token tokenForId(const Tokenizer* tokenizer, int id);

// The k most likely ids of one logits row with softmax probabilities (ties: lower id first).
std::vector<Prediction> topPredictions(const Matrix& logits, Index row, int k, const Tokenizer* tokenizer);

// log softmax(logits.row(row))[id], in double (a logsumexp over the whole vocabulary).
float logProbabilityOf(const Matrix& logits, Index row, int id);

} // namespace attnviz
