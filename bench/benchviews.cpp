#include "benchviews.h"

#include "views/arcs/arcsview.h"
#include "views/heatmap/heatmapview.h"
#include "views/modelgrid/modelgridview.h"
#include "state/selectionstate.h"

#include <QImage>
#include <QPainter>

#include <algorithm>
#include <chrono>
#include <random>

namespace attnviz::bench {

namespace {

// A causal result with random softmax rows: the same amount of drawing as a real model.
std::shared_ptr<const AttentionResult> syntheticResult(int layers, int heads, int tokens)
{
    auto r = std::make_shared<AttentionResult>();
    r->model.family = "synthetic";
    r->model.name = "bench";
    r->model.layers = layers;
    r->model.heads = heads;
    for (int i = 0; i < tokens; ++i) {
        Token t;
        t.id = i;
        t.piece = t.display = "tok" + std::to_string(i);
        r->tokens.push_back(t);
    }
    AttentionStack stack;
    stack.name = "self";
    stack.attention.resize(layers, heads, tokens, tokens);
    std::mt19937 rng(3);
    std::exponential_distribution<float> dist(1.0f);
    for (int l = 0; l < layers; ++l)
        for (int h = 0; h < heads; ++h) {
            float* a = stack.attention.head(l, h);
            for (int q = 0; q < tokens; ++q) {
                float sum = 0;
                for (int k = 0; k <= q; ++k) sum += (a[q * tokens + k] = dist(rng));
                for (int k = 0; k <= q; ++k) a[q * tokens + k] /= sum;
            }
        }
    r->stacks.push_back(std::move(stack));
    return r;
}


// Renders a view's full picture through paint() into a 1600 x 1200 image.
template <typename View> Timing timePaint(int layers, int heads, int tokens, int runs)
{
    SelectionState selection;
    View view(&selection);
    view.resize(1600, 1200);
    const auto result = syntheticResult(layers, heads, tokens);
    selection.setShape(1, layers, heads, tokens);
    view.setResult(result);
    QImage image(1600, 1200, QImage::Format_ARGB32_Premultiplied);
    return measure(runs, [&] {
        image.fill(Qt::white);
        QPainter p(&image);
        view.paint(p, QRectF(0, 0, 1600, 1200));
    });
}

} // namespace

Timing timeHeatmapPaint(int tokens, int runs)
{
    return timePaint<HeatmapView>(1, 1, tokens, runs);
}

Timing timeHeatmapRepaint(int tokens, int runs)
{
    // What scrolling and hovering cost: the widget repaints from its cached picture.
    SelectionState selection;
    HeatmapView view(&selection);
    view.resize(1600, 1200);
    selection.setShape(1, 1, 1, tokens);
    view.setResult(syntheticResult(1, 1, tokens));
    QImage image(1600, 1200, QImage::Format_ARGB32_Premultiplied);
    return measure(runs, [&] { view.render(&image); });
}

Timing timeModelGridPaint(int layers, int heads, int tokens, int runs)
{
    return timePaint<ModelGridView>(layers, heads, tokens, runs);
}

Timing timeArcsPaint(int heads, int tokens, int runs)
{
    return timePaint<ArcsView>(1, heads, tokens, runs);
}

Timing timeArcsScroll(int tokens, int runs, bool cold)
{
    // One scroll step of a long input: paint() of the next visible strip of the tall widget, as
    // paintEvent does it. Cold: the result is set again first, as if nothing were cached.
    SelectionState selection;
    ArcsView view(&selection);
    const auto result = syntheticResult(1, 1, tokens);
    selection.setShape(1, 1, 1, tokens);
    view.setResult(result);
    view.resize(1600, std::max(1200, view.minimumHeight()));
    QImage image(1600, 1200, QImage::Format_ARGB32_Premultiplied);
    int step = 0;
    return measure(runs, [&] {
        if (cold) view.setResult(result);
        const int y = (step++ * 360) % std::max(1, view.height() - 1200);
        image.fill(Qt::white);
        QPainter p(&image);
        p.translate(0, -y);
        p.setClipRect(QRect(0, y, 1600, 1200));
        view.paint(p, QRectF(view.rect()));
    });
}

} // namespace attnviz::bench
