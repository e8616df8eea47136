#include "attention/dimensionreduction.h"

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace attnviz {

namespace {

using MatrixD = Eigen::MatrixXd;

DimensionReduction principalDirections(const Matrix& x, Index d)
{
    // Through the (T x T) Gram matrix X·Xᵀ: a handful of tokens of a wide model is cheap this way.
    // An eigenvector u with eigenvalue λ gives the direction v = Xᵀu / √λ.
    const MatrixD xd = x.cast<double>();
    const Eigen::SelfAdjointEigenSolver<MatrixD> solver(xd * xd.transpose());
    const Eigen::VectorXd& values = solver.eigenvalues(); // ascending
    const double largest = values.size() > 0 ? std::max(values(values.size() - 1), 0.0) : 0.0;
    DimensionReduction r;
    r.basis = Matrix::Zero(x.cols(), d);
    for (Index c = 0; c < d; ++c) {
        const Index k = values.size() - 1 - c;
        const double lambda = k >= 0 ? values(k) : 0.0;
        r.strength.push_back(std::max(lambda, 0.0));
        if (k < 0 || lambda <= largest * 1e-12 || lambda <= 0.0)
            continue; // no direction left: a zero column
        Eigen::VectorXd v = xd.transpose() * solver.eigenvectors().col(k) / std::sqrt(lambda);
        // A fixed sign (largest entry positive), so the same input always gives the same lesson.
        Index at = 0;
        v.cwiseAbs().maxCoeff(&at);
        if (v(at) < 0)
            v = -v;
        r.basis.col(c) = v.cast<float>();
    }
    return r;
}

DimensionReduction largestVariance(const Matrix& x, Index d)
{
    const MatrixD xd = x.cast<double>();
    const Eigen::RowVectorXd mean = xd.colwise().mean();
    const Eigen::RowVectorXd variance = (xd.rowwise() - mean).array().square().colwise().mean();
    std::vector<Index> order(static_cast<std::size_t>(x.cols()));
    std::iota(order.begin(), order.end(), Index(0));
    // Ties keep the lower coordinate, so the choice is stable.
    std::stable_sort(order.begin(), order.end(), [&](Index a, Index b) { return variance(a) > variance(b); });
    DimensionReduction r;
    r.dimensions.assign(order.begin(), order.begin() + d);
    std::sort(r.dimensions.begin(), r.dimensions.end());
    r.basis = Matrix::Zero(x.cols(), d);
    for (Index c = 0; c < d; ++c) {
        r.basis(r.dimensions[static_cast<std::size_t>(c)], c) = 1.0f;
        r.strength.push_back(variance(r.dimensions[static_cast<std::size_t>(c)]));
    }
    return r;
}

} // namespace

DimensionReduction reduceDimensions(const Matrix& x, Index d, ReductionMethod method)
{
    if (x.rows() < 1 || d < 1 || d > x.cols())
        throw std::invalid_argument("reduce to between 1 and " + std::to_string(x.cols()) + " dimensions");
    return method == ReductionMethod::Pca ? principalDirections(x, d) : largestVariance(x, d);
}

std::string reductionMethodName(ReductionMethod method)
{
    return method == ReductionMethod::Pca ? "PCA" : "largest-variance dimensions";
}

} // namespace attnviz
