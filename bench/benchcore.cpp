#include "benchcore.h"
#include "registry/modelregistry.h"

#include "engine/attentionmodel.h"
#include "models/kernels.h"

#include <Eigen/Core>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <random>
#include <sstream>

namespace attnviz::bench {

std::vector<int> randomIds(int tokens)
{
    std::mt19937 rng(0);
    std::uniform_int_distribution<int> id(0, 50000);
    std::vector<int> ids(static_cast<std::size_t>(tokens));
    for (int& v : ids) v = id(rng);
    return ids;
}

Timing timeForward(const std::string& modelSpec, int tokens, int runs, bool predict)
{
    const auto model = openModel(modelSpec);
    RunRequest request;
    request.ids = randomIds(tokens);
    // Attention only: no prediction is shown, so the LM head and the last layer's tail are skipped.
    request.topK = predict ? 5 : 0;
    return measure(runs, [&] { (void)model->run(request); });
}

namespace {

Timing timeOpenAndRun(const std::string& modelSpec, const RunRequest& request, int runs)
{
    return measure(runs, [&] { (void)openModel(modelSpec)->run(request); }, false);
}

double procStatusMb(const std::string& key)
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind(key, 0) == 0) {
            std::istringstream in(line.substr(key.size()));
            double kb = 0;
            in >> kb;
            return kb / 1024.0;
        }
    }
    return 0;
}

} // namespace

Timing timeOpenToAttention(const std::string& modelSpec, const std::string& text, int runs)
{
    RunRequest request;
    request.text = text;
    return timeOpenAndRun(modelSpec, request, runs);
}

Timing timeOpenToAttentionIds(const std::string& modelSpec, int tokens, int runs)
{
    RunRequest request;
    request.ids = randomIds(tokens);
    request.topK = 0; // the first heatmap needs no prediction
    return timeOpenAndRun(modelSpec, request, runs);
}

Timing timeTextToAttention(const std::string& modelSpec, const std::string& text, int runs)
{
    const auto model = openModel(modelSpec);
    RunRequest request;
    request.text = text;
    return measure(runs, [&] { (void)model->run(request); });
}

double eigenGemmGflops(int n, int runs)
{
    using M = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const M a = M::Random(n, n);
    const M b = M::Random(n, n);
    M c(n, n);
    const Timing t = measure(runs, [&] { c.noalias() = a * b; });
    const double best = *std::min_element(t.runsMs.begin(), t.runsMs.end());
    return 2.0 * n * n * double(n) / (best * 1e6);
}

double packedGemmGflops(int n, int runs)
{
    const Matrix a = Matrix::Random(n, n);
    const Linear b(Matrix::Random(n, n));
    Matrix c;
    const Timing t = measure(runs, [&] { c = applyLinear(a, b); });
    const double best = *std::min_element(t.runsMs.begin(), t.runsMs.end());
    return 2.0 * n * n * double(n) / (best * 1e6);
}

double denseLayersGflops(int tokens, int runs)
{
    constexpr int layers = 12;
    constexpr int d = 768;
    std::vector<Linear> weights; // per layer: c_attn, c_proj, c_fc, mlp c_proj, as GPT-2 small
    for (int l = 0; l < layers; ++l) {
        weights.emplace_back(Matrix::Random(d, 3 * d), RowVector::Random(3 * d));
        weights.emplace_back(Matrix::Random(d, d), RowVector::Random(d));
        weights.emplace_back(Matrix::Random(d, 4 * d), RowVector::Random(4 * d));
        weights.emplace_back(Matrix::Random(4 * d, d), RowVector::Random(d));
    }
    const Matrix x = Matrix::Random(tokens, d);
    const Matrix wide = Matrix::Random(tokens, 4 * d);
    Matrix out;
    const Timing t = measure(runs, [&] {
        for (int l = 0; l < layers; ++l) {
            out = applyLinear(x, weights[4 * l]);
            out = applyLinear(x, weights[4 * l + 1]);
            out = applyLinear(x, weights[4 * l + 2]);
            out = applyLinear(wide, weights[4 * l + 3]);
        }
    });
    const double flops = 2.0 * layers * tokens * 12.0 * double(d) * d;
    return flops / (t.medianMs * 1e6);
}

double peakRssMb()
{
    return procStatusMb("VmHWM:");
}

double residentMb()
{
    return procStatusMb("VmRSS:");
}

double residentAnonymousMb()
{
    return procStatusMb("RssAnon:");
}

} // namespace attnviz::bench
