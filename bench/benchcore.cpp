#include "benchcore.h"

#include "engine/attentionmodel.h"

#include <Eigen/Core>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <random>
#include <sstream>

namespace attnviz::bench {

Timing timeForward(const std::string& modelSpec, int tokens, int runs)
{
    const auto model = openModel(modelSpec);
    std::mt19937 rng(0);
    std::uniform_int_distribution<int> id(0, 50000);
    RunRequest request;
    request.ids = std::vector<int>(static_cast<std::size_t>(tokens));
    for (int& v : *request.ids) v = id(rng);
    request.topK = 0; // attention only: no prediction is shown, so the LM head may be skipped
    return measure(runs, [&] { (void)model->run(request); });
}

Timing timeTextToAttention(const std::string& modelSpec, const std::string& text, int runs)
{
    const auto model = openModel(modelSpec);
    RunRequest request;
    request.text = text;
    return measure(runs, [&] { (void)model->run(request); });
}

double gemmPeakGflops(int n, int runs)
{
    using M = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const M a = M::Random(n, n);
    const M b = M::Random(n, n);
    M c(n, n);
    const Timing t = measure(runs, [&] { c.noalias() = a * b; });
    const double best = *std::min_element(t.runsMs.begin(), t.runsMs.end());
    return 2.0 * n * n * double(n) / (best * 1e6);
}

double denseLayerFlops(int layers, int dModel, int tokens)
{
    // Per layer: QKV (d x 3d), output projection (d x d), MLP (d x 4d and 4d x d) = 12 d² per token.
    return 2.0 * layers * tokens * 12.0 * double(dModel) * dModel;
}

double peakRssMb()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0) {
            std::istringstream in(line.substr(6));
            double kb = 0;
            in >> kb;
            return kb / 1024.0;
        }
    }
    return 0;
}

} // namespace attnviz::bench
