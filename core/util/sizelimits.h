#pragma once
// The bound rules for every size a model file claims (config.json, the llama2.c header), in one
// table for all families. The bounds are far above any published model yet small enough that
// products of them (heads × head size, 4 × width, positions + offsets) stay well inside int and
// that nothing is allocated for an absurd claim before the tensors are compared.

#include "util/checkednumbers.h"

#include <string>

namespace attnviz {

enum class SizeKind {
    Width,        // d_model / hidden size: 1 .. 65536
    HeadSize,     // per-head width: 1 .. 16384
    Layers,       // 1 .. 1024
    Heads,        // query or key/value heads: 1 .. 1024
    Vocabulary,   // 1 .. 2^22 (token ids are below it)
    Positions,    // context length: 1 .. 2^24
    Intermediate, // MLP inner width: 1 .. 2^20
    TokenTypes,   // BERT segment types: 1 .. 1024
};

struct SizeLimit
{
    int min;
    int max;
};

SizeLimit sizeLimit(SizeKind kind);

// Largest token id any file may name (ids of a vocabulary within SizeKind::Vocabulary).
constexpr int maxTokenId = (1 << 22) - 1;

// `value` checked against the bounds of `kind`; `what` names the key (or header field).
template <class Error>
int checkedSize(SizeKind kind, double value, const std::string& what)
{
    const SizeLimit limit = sizeLimit(kind);
    return checked::toInt<Error>(value, what, limit.min, limit.max);
}

} // namespace attnviz
