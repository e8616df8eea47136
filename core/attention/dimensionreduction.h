#pragma once
// Fewer dimensions for a handful of vectors (the rows of X), so a real head can be shown at a
// readable size. The result is a basis P (D x d, orthonormal columns): the reduced vectors are
// X·P, and a matrix W that X multiplies becomes Pᵀ·W, so (X·P)(Pᵀ·W) = (X·P·Pᵀ)·W is exactly the
// product for X projected onto the d directions.

#include "base/tensor.h"

#include <string>
#include <vector>

namespace attnviz {

enum class ReductionMethod {
    Pca,             // the d principal directions of the rows, not centred (the mean is kept):
                     // the top right singular vectors of X, the best rank-d fit of X itself
    LargestVariance, // the d coordinates whose values vary most across the rows, kept as they are
};

struct DimensionReduction
{
    Matrix basis;                  // (D, d) orthonormal columns
    std::vector<Index> dimensions; // LargestVariance: the kept coordinates, ascending; empty for Pca
    std::vector<double> strength;  // (d) per column: squared singular value (Pca) or variance
};

// d between 1 and X.cols(); throws std::invalid_argument otherwise. Pca directions whose singular
// value is zero (fewer independent rows than d) are zero columns: they add nothing to X·P.
DimensionReduction reduceDimensions(const Matrix& x, Index d, ReductionMethod method);

std::string reductionMethodName(ReductionMethod method); // "PCA", "largest-variance dimensions"

} // namespace attnviz
