// attnviz-bench: prints one JSON object of measurements; bench/run_bench.sh combines it with the
// PyTorch reference measured in the same run and writes bench/results.json.
//   attnviz-bench core MODEL_DIR T1,T2,... RUNS      forward pass, every attention map captured
//   attnviz-bench rss MODEL_DIR T                     peak resident memory of one forward pass
//   attnviz-bench full MODEL_DIR T1,T2,... RUNS      the same plus last layer's MLP and prediction
//   attnviz-bench gemm N RUNS                         SGEMM GFLOP/s (Eigen, AttnViz's packed kernel)
//   attnviz-bench dense T RUNS                        GPT-2-small dense layers alone, GFLOP/s
//   attnviz-bench latency MODEL TEXT RUNS             tokenise + forward + capture
//   attnviz-bench open MODEL TEXT RUNS                open the model, then tokenise + forward + capture
//   attnviz-bench open-ids MODEL T RUNS               open the model, then a forward of T random ids + capture
//   attnviz-bench compact MODEL_DIR T                 open time, first forward, resident memory, weight storage
//   attnviz-bench dense-model MODEL_DIR LAYERS T RUNS  the checkpoint's dense layers: 16-bit rows vs packed floats
//   attnviz-bench views RUNS                          rendering times
#include "benchcompact.h"
#include "benchcore.h"
#include "benchviews.h"

#include "util/json.h"
#include "util/memorypolicy.h"

#include <QApplication>

#include <omp.h>

#include <iostream>
#include <sstream>

using namespace attnviz;
using namespace attnviz::bench;

namespace {

std::vector<int> parseList(const std::string& text)
{
    std::vector<int> out;
    std::stringstream in(text);
    std::string part;
    while (std::getline(in, part, ',')) out.push_back(std::stoi(part));
    return out;
}

void writeTiming(json::Writer& w, const std::string& key, const Timing& t)
{
    w.key(key).beginObject().key("median_ms").value(t.medianMs).key("runs_ms").beginArray();
    for (double r : t.runsMs) w.value(r);
    w.endArray().endObject();
}

int usage()
{
    std::cerr << "usage: attnviz-bench core|full DIR T1,T2 RUNS | rss DIR T | gemm N RUNS | dense T RUNS | "
                 "latency MODEL TEXT RUNS | open MODEL TEXT RUNS | open-ids MODEL T RUNS | compact DIR T | "
                 "dense-model DIR LAYERS T RUNS | "
                 "views RUNS\n";
    return 2;
}

} // namespace

int main(int argc, char* argv[])
{
    keepFreedMemoryForReuse(); // as the app and the CLI do at start
    if (argc < 2) return usage();
    const std::string mode = argv[1];
    json::Writer w(false);
    w.beginObject().key("threads").value(omp_get_max_threads());
    try {
        if ((mode == "core" || mode == "full") && argc == 5) {
            for (int t : parseList(argv[3]))
                writeTiming(w, std::to_string(t), timeForward(argv[2], t, std::stoi(argv[4]), mode == "full"));
        } else if (mode == "rss" && argc == 4) {
            (void)timeForward(argv[2], std::stoi(argv[3]), 1);
            w.key("peak_rss_mb").value(peakRssMb());
        } else if (mode == "gemm" && argc == 4) {
            w.key("eigen_gflops").value(eigenGemmGflops(std::stoi(argv[2]), std::stoi(argv[3])));
            w.key("attnviz_gflops").value(packedGemmGflops(std::stoi(argv[2]), std::stoi(argv[3])));
        } else if (mode == "dense" && argc == 4) {
            w.key("gflops").value(denseLayersGflops(std::stoi(argv[2]), std::stoi(argv[3])));
        } else if (mode == "latency" && argc == 5) {
            writeTiming(w, "latency", timeTextToAttention(argv[2], argv[3], std::stoi(argv[4])));
        } else if (mode == "open" && argc == 5) {
            writeTiming(w, "open_to_attention", timeOpenToAttention(argv[2], argv[3], std::stoi(argv[4])));
        } else if (mode == "open-ids" && argc == 5) {
            writeTiming(w, "open_to_attention", timeOpenToAttentionIds(argv[2], std::stoi(argv[3]), std::stoi(argv[4])));
        } else if (mode == "compact" && argc == 4) {
            const OpenAndForward r = openThenForward(argv[2], std::stoi(argv[3]));
            w.key("open_ms").value(r.openMs).key("first_forward_ms").value(r.firstForwardMs);
            w.key("rss_before_open_mb").value(r.rssBeforeMb).key("rss_after_open_mb").value(r.rssAfterOpenMb);
            w.key("anon_after_open_mb").value(r.anonAfterOpenMb);
            w.key("peak_rss_mb").value(r.peakRssMb).key("captured_maps_mb").value(r.capturedMb);
            w.key("float_matrices").value(r.floatMatrices).key("encoded_matrices").value(r.encodedMatrices);
        } else if (mode == "dense-model" && argc == 6) {
            const DenseComparison d =
                compareDenseLayers(argv[2], std::stoi(argv[3]), std::stoi(argv[4]), std::stoi(argv[5]));
            w.key("flops_per_pass").value(d.flopsPerPass);
            writeTiming(w, "encoded", d.encoded);
            writeTiming(w, "packed_f32", d.packed);
        } else if (mode == "views" && argc == 3) {
            qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? "offscreen" : qgetenv("QT_QPA_PLATFORM"));
            QApplication app(argc, argv);
            const int runs = std::stoi(argv[2]);
            for (int t : {64, 512, 1024}) writeTiming(w, "heatmap_paint_" + std::to_string(t), timeHeatmapPaint(t, runs));
            writeTiming(w, "heatmap_repaint_512", timeHeatmapRepaint(512, runs));
            // A long input fitted as an overview: every cell pooled into the picture, then a repaint.
            writeTiming(w, "heatmap_paint_8192", timeHeatmapPaint(8192, std::min(runs, 3)));
            writeTiming(w, "heatmap_repaint_8192", timeHeatmapRepaint(8192, runs));
            writeTiming(w, "model_grid_144_heads_128", timeModelGridPaint(12, 12, 128, runs));
            writeTiming(w, "arcs_12_heads_128", timeArcsPaint(12, 128, runs));
            writeTiming(w, "arcs_scroll_4096_cold", timeArcsScroll(4096, std::min(runs, 5), true));
            writeTiming(w, "arcs_scroll_4096", timeArcsScroll(4096, runs, false));
        } else {
            return usage();
        }
    } catch (const std::exception& e) {
        std::cerr << "attnviz-bench: " << e.what() << "\n";
        return 2;
    }
    w.endObject();
    std::cout << w.str() << "\n";
    return 0;
}
