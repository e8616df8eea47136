#include "views/charts/chartsbuilder.h"

#include "views/arcs/arcspalette.h"
#include "state/selectionstate.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QCoreApplication>
#include <QValueAxis>

#include <vector>

#include <algorithm>
#include <cmath>

namespace attnviz {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("ChartsBuilder", text);
}

const AttentionStack* currentStack(const AttentionResult& result, const SelectionState& selection)
{
    if (result.stacks.empty()) return nullptr;
    return &result.stacks[std::size_t(std::clamp(selection.stack(), 0, int(result.stacks.size()) - 1))];
}

// Qt Charts renders titles and axis labels as rich text: "<|endoftext|>" would vanish.
QString plain(const QString& text)
{
    return text.toHtmlEscaped();
}

// A font of `pixels` at the chart's text scale (large type in presentation mode).
QFont scaledFont(QFont font, int pixels, qreal textScale)
{
    font.setPixelSize(std::max(1, int(std::lround(pixels * textScale))));
    return font;
}

// The theme's own font (legend, value axis) grown by the text scale; untouched at 1.
QFont grown(QFont font, qreal textScale)
{
    if (font.pixelSize() > 0)
        return scaledFont(font, font.pixelSize(), textScale);
    font.setPointSizeF(font.pointSizeF() * textScale);
    return font;
}

QChart* newChart(const QString& title, const QPalette& palette, qreal textScale)
{
    auto* chart = new QChart;
    chart->setTitle(plain(title));
    chart->setBackgroundBrush(palette.color(QPalette::Base));
    chart->setTitleBrush(palette.color(QPalette::Text));
    chart->legend()->setLabelColor(palette.color(QPalette::Text));
    chart->setAnimationOptions(QChart::NoAnimation); // exports must show the final state
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    QFont font = scaledFont(chart->titleFont(), 13, textScale);
    font.setBold(true);
    chart->setTitleFont(font);
    chart->legend()->setFont(grown(chart->legend()->font(), textScale));
    return chart;
}

void styleAxis(QAbstractAxis* axis, const QPalette& palette, qreal textScale)
{
    axis->setTitleFont(grown(axis->titleFont(), textScale));
    axis->setLabelsColor(palette.color(QPalette::Text));
    axis->setTitleBrush(palette.color(QPalette::Text));
    axis->setLinePenColor(palette.color(QPalette::Mid));
    axis->setGridLineColor(palette.color(QPalette::Midlight));
}

void attachAxes(QChart* chart, QBarSeries* series, const QStringList& categories, double peak, const QString& yTitle,
                const QPalette& palette, qreal textScale)
{
    chart->addSeries(series);
    auto* x = new QBarCategoryAxis;
    QStringList escaped;
    for (const QString& c : categories)
        escaped << plain(c);
    x->append(escaped);
    // Long inputs, or fewer in large type: vertical labels still fit where level ones would be cut.
    if (categories.size() * textScale > 24) x->setLabelsAngle(-90);
    x->setLabelsFont(scaledFont(x->labelsFont(), categories.size() > 40 ? 8 : 11, textScale));
    styleAxis(x, palette, textScale);
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(x);
    auto* y = new QValueAxis;
    const ChartsBuilder::Axis nice = ChartsBuilder::niceAxis(peak);
    y->setRange(0.0, nice.max);
    y->setTickType(QValueAxis::TicksDynamic); // ticks at 0, 0.1, 0.2, ... not at max / 4
    y->setTickAnchor(0.0);
    y->setTickInterval(nice.interval);
    y->setTitleText(yTitle);
    y->setLabelFormat(QStringLiteral("%.1f"));
    y->setLabelsFont(grown(y->labelsFont(), textScale));
    styleAxis(y, palette, textScale);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(y);
}

} // namespace

ChartsBuilder::Axis ChartsBuilder::niceAxis(double peak)
{
    Axis axis;
    axis.interval = peak > 0.5 ? 0.2 : 0.1;
    const double steps = std::max(1.0, std::ceil(peak / axis.interval - 1e-9));
    axis.max = steps * axis.interval;
    return axis;
}

std::vector<int> ChartsBuilder::shownKeys(const AttentionResult& result, const SelectionState& selection, int query)
{
    const AttentionStack* stack = currentStack(result, selection);
    std::vector<int> keys;
    if (stack == nullptr || query < 0)
        return keys;
    const AttentionTensor& a = stack->attention;
    const int layer = std::clamp(selection.layer(), 0, a.layers - 1);
    keys.resize(static_cast<std::size_t>(a.keys));
    for (int k = 0; k < a.keys; ++k)
        keys[static_cast<std::size_t>(k)] = k;
    if (a.keys <= kMaxKeyBars)
        return keys;
    std::vector<float> strongest(static_cast<std::size_t>(a.keys), 0.0f);
    for (int h = 0; h < a.heads; ++h) {
        if (!selection.isHeadEnabled(h))
            continue;
        for (int k = 0; k < a.keys; ++k)
            strongest[std::size_t(k)] = std::max(strongest[std::size_t(k)], a.at(layer, h, query, k));
    }
    // Stable: among equal weights the earlier key wins, so the choice never flickers.
    std::stable_sort(keys.begin(), keys.end(),
                     [&](int x, int y) { return strongest[std::size_t(x)] > strongest[std::size_t(y)]; });
    keys.resize(kMaxKeyBars);
    std::sort(keys.begin(), keys.end());
    return keys;
}

int ChartsBuilder::effectiveQuery(const AttentionResult& result, const SelectionState& selection)
{
    const AttentionStack* stack = currentStack(result, selection);
    if (stack == nullptr || stack->attention.queries == 0) return -1;
    const int q = selection.queryToken();
    return q >= 0 && q < stack->attention.queries ? q : stack->attention.queries - 1;
}

QChart* ChartsBuilder::distributionChart(const AttentionResult& result, const SelectionState& selection,
                                        const QPalette& palette, qreal textScale)
{
    const AttentionStack* stack = currentStack(result, selection);
    const int query = effectiveQuery(result, selection);
    if (stack == nullptr || query < 0) return newChart(tr("No attention to show yet"), palette, textScale);
    const AttentionTensor& a = stack->attention;
    const int layer = std::clamp(selection.layer(), 0, a.layers - 1);
    const auto& keyTokens = keyTokensOf(result, *stack);
    const auto& queryTokens = queryTokensOf(result, *stack);
    const QString queryText = query < int(queryTokens.size())
                                  ? QString::fromStdString(queryTokens[std::size_t(query)].display).trimmed()
                                  : QString::number(query);
    const std::vector<int> keys = shownKeys(result, selection, query);
    const int hidden = a.keys - static_cast<int>(keys.size());
    // What the bars hold when not the weights alone (ALTI and flow exist per layer only).
    const QString caption = QString::fromStdString(headMapsCaption(stack->measure));
    QChart* chart = newChart((hidden > 0 ? tr("Where “%1” (#%2) looks · layer %3 · the %4 strongest of %5 keys")
                                               .arg(queryText)
                                               .arg(query)
                                               .arg(layer)
                                               .arg(keys.size())
                                               .arg(a.keys)
                                         : tr("Where “%1” (#%2) looks · layer %3").arg(queryText).arg(query).arg(layer)) +
                                 (caption.isEmpty() ? QString() : QStringLiteral(" · ") + caption),
                             palette, textScale);

    QStringList categories;
    for (int k : keys) {
        const QString t = k < int(keyTokens.size()) ? QString::fromStdString(keyTokens[std::size_t(k)].display).trimmed()
                                                    : QString::number(k);
        // Repeated tokens would merge into one category; the position keeps them apart.
        categories << QStringLiteral("%1 %2").arg(t).arg(k);
    }
    if (hidden > 0)
        categories << (hidden == 1 ? tr("other key") : tr("other %1 keys").arg(hidden));
    auto* series = new QBarSeries;
    double peak = 0.0;
    for (int h = 0; h < a.heads; ++h) {
        if (!selection.isHeadEnabled(h) || !a.holds(layer, h)) continue; // no bars for a head the file lacks
        auto* set = new QBarSet(tr("head %1").arg(h));
        set->setColor(ArcsPalette::headColor(h));
        set->setBorderColor(ArcsPalette::headColor(h));
        set->setLabelColor(palette.color(QPalette::Text));
        double total = 0.0;
        for (int k = 0; k < a.keys; ++k)
            total += double(a.at(layer, h, query, k));
        double shown = 0.0;
        for (int k : keys) {
            const double w = a.at(layer, h, query, k);
            *set << w;
            shown += w;
            peak = std::max(peak, w);
        }
        if (hidden > 0) {
            const double rest = std::max(0.0, total - shown);
            *set << rest;
            peak = std::max(peak, rest);
        }
        series->append(set);
    }
    attachAxes(chart, series, categories, peak, tr("weight"), palette, textScale);
    chart->legend()->setVisible(series->count() > 1);
    return chart;
}

QChart* ChartsBuilder::headStatsChart(const AttentionResult& result, const SelectionState& selection,
                                     const QPalette& palette, qreal textScale)
{
    const AttentionStack* stack = currentStack(result, selection);
    if (stack == nullptr || stack->attention.queries == 0)
        return newChart(tr("No attention to show yet"), palette, textScale);
    const AttentionTensor& a = stack->attention;
    const int layer = std::clamp(selection.layer(), 0, a.layers - 1);
    QChart* chart = newChart(tr("Head statistics · layer %1").arg(layer), palette, textScale);
    const bool self = stack->keysFromSource == stack->queriesFromSource && a.queries == a.keys;
    auto* previous = new QBarSet(tr("previous-token"));
    auto* first = new QBarSet(tr("attention sink (first token)"));
    auto* entropy = new QBarSet(tr("entropy ÷ ln(keys)"));
    // Neutrals from the palette's text colour, so they stand out on light and dark backgrounds
    // alike; head colours stay reserved for heads.
    const QColor ink = palette.color(QPalette::Text);
    const QColor paper = palette.color(QPalette::Base);
    auto mix = [&](double t) {
        return QColor::fromRgbF(float(ink.redF() * t + paper.redF() * (1 - t)),
                                float(ink.greenF() * t + paper.greenF() * (1 - t)),
                                float(ink.blueF() * t + paper.blueF() * (1 - t)));
    };
    previous->setColor(mix(0.85));
    first->setColor(mix(0.55));
    entropy->setColor(mix(0.3));
    QStringList categories;
    const double maxEntropy = a.keys > 1 ? std::log(double(a.keys)) : 1.0;
    auto orZero = [](float v) { return std::isnan(v) ? 0.0 : double(v); };
    for (int h = 0; h < a.heads; ++h) {
        const HeadSummary s = stack->summary(layer, h) != nullptr ? *stack->summary(layer, h) : HeadSummary{};
        *previous << orZero(s.previousToken);
        *first << orZero(s.firstToken);
        // Normalised so all three bars share the 0..1 axis: 1 = spread evenly over every key.
        *entropy << orZero(s.entropy) / maxEntropy;
        categories << tr("H%1").arg(h);
    }
    auto* series = new QBarSeries;
    if (self) series->append(previous);
    else delete previous;
    series->append(first);
    series->append(entropy);
    attachAxes(chart, series, categories, 1.0, tr("score"), palette, textScale);
    return chart;
}

} // namespace attnviz
