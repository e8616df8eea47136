#pragma once
// Plain tensor aliases shared by the whole core. Row-major, so a row is one token, matching the
// row-vector convention Q = X·W_Q used in the lessons and the pipeline view.

#include <Eigen/Core>

#include <atomic>
#include <cstdint>
#include <stdexcept>

namespace attnviz {

using Index = Eigen::Index;
using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowVector = Eigen::Matrix<float, 1, Eigen::Dynamic>;
using MaskMatrix = Eigen::Matrix<std::uint8_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>; // 1 = may attend

// Thrown when a job's cancellation flag was raised; checked between heads and between layers.
class Cancelled : public std::runtime_error
{
public:
    Cancelled() : std::runtime_error("computation cancelled") {}
};

inline void throwIfCancelled(const std::atomic<bool>* cancel)
{
    if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) {
        throw Cancelled();
    }
}

} // namespace attnviz
