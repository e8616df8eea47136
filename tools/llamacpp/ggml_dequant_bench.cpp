// ggml_dequant_bench: AttnViz's dequantizeRow against ggml's own dequantize_row_* (the pinned
// llama.cpp libraries), per type, single-threaded, in interleaved rounds of the same run.
//   ggml_dequant_bench [VALUES [ROUNDS]]   (default 65536 values: 256 KiB of floats, an L2-sized
//                                           tile as the matrix kernel decodes; 9 rounds)
// Prints, per type, the median speed of each in GB/s of output floats and their ratio, and the
// speed of dequantizePanel decoding the same values as 32-row panels (the matrix kernel's layout).
#include "compute/ggmldequant.h"
#include "compute/ggmltypes.h"
#include "compute/microkernel.h"
#include "ggmllibrary.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

using namespace attnviz::compute;
using attnviz::llamacpp::GgmlLibrary;

namespace {

using Clock = std::chrono::steady_clock;

// Seconds per call of `decode`, timed over enough calls to take about 20 ms.
template <class Decode>
double secondsPerCall(Decode decode)
{
    int calls = 1;
    for (;;) {
        const auto start = Clock::now();
        for (int i = 0; i < calls; ++i)
            decode();
        const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
        if (seconds > 0.02)
            return seconds / calls;
        calls *= 2;
    }
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

int main(int argc, char* argv[])
{
    const std::int64_t values = argc > 1 ? std::stoll(argv[1]) : 65536;
    const int rounds = argc > 2 ? std::stoi(argv[2]) : 9;
    if (values <= 0 || values % 8192 != 0 || rounds <= 0) { // 32 panel rows of whole super-blocks
        std::fprintf(stderr, "usage: ggml_dequant_bench [VALUES (a multiple of 8192) [ROUNDS]]\n");
        return 2;
    }
    const GgmlLibrary ggml(ATTNVIZ_LLAMACPP_LIBS);
    std::mt19937 rng(7);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<float> input(static_cast<std::size_t>(values));
    for (float& x : input)
        x = normal(rng);
    Eigen::VectorXf out(values); // aligned, as panels must be
    volatile float sink = 0; // keeps the decoding from being optimised away

    std::printf("ggml commit %s, %lld values per call, %d rounds\n", ggml.commit().c_str(),
                static_cast<long long>(values), rounds);
    std::printf("%-8s %12s %12s %8s %12s\n", "type", "ggml GB/s", "AttnViz GB/s", "ratio", "panel GB/s");
    for (std::uint32_t id = 0; id < 64; ++id) {
        const GgmlTypeInfo* info = ggmlTypeInfo(id);
        if (info == nullptr || !info->dequantizable || info->type == GgmlType::F32)
            continue; // F32 is a copy for both
        const int type = static_cast<int>(id);
        std::vector<std::uint8_t> blocks(static_cast<std::size_t>(values / info->blockElements) * info->blockBytes);
        ggml.quantize(type, input.data(), blocks.data(), 1, values);
        const auto reference = ggml.toFloat(type);
        const double gigabytes = static_cast<double>(values) * sizeof(float) / 1e9;
        // The same values as panels: 32 rows of values / 32 each.
        const std::int64_t panelDepth = values / panelWidth;
        std::vector<const std::uint8_t*> rows(panelWidth);
        for (int r = 0; r < panelWidth; ++r)
            rows[r] = blocks.data() + r * (panelDepth / info->blockElements) * info->blockBytes;
        std::vector<double> ggmlSpeed, oursSpeed, panelSpeed;
        for (int r = 0; r < rounds; ++r) {
            ggmlSpeed.push_back(gigabytes / secondsPerCall([&] {
                reference(blocks.data(), out.data(), values);
                sink = sink + out[static_cast<std::size_t>(r)];
            }));
            oursSpeed.push_back(gigabytes / secondsPerCall([&] {
                dequantizeRow(info->type, blocks.data(), out.data(), values);
                sink = sink + out[static_cast<std::size_t>(r)];
            }));
            panelSpeed.push_back(gigabytes / secondsPerCall([&] {
                dequantizePanel(info->type, rows.data(), panelWidth, panelDepth, out.data());
                sink = sink + out[static_cast<std::size_t>(r)];
            }));
        }
        const double g = median(ggmlSpeed), o = median(oursSpeed);
        std::printf("%-8s %12.2f %12.2f %8.2f %12.2f\n", info->name, g, o, o / g, median(panelSpeed));
    }
    return 0;
}
