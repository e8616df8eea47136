#include "chartsbuilder.h"

#include "arcspalette.h"
#include "modelgridstats.h"
#include "selectionstate.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QCoreApplication>
#include <QValueAxis>

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

QChart* newChart(const QString& title)
{
    auto* chart = new QChart;
    chart->setTitle(title);
    chart->setAnimationOptions(QChart::NoAnimation); // exports must show the final state
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    QFont font = chart->titleFont();
    font.setPixelSize(13);
    font.setBold(true);
    chart->setTitleFont(font);
    return chart;
}

void attachAxes(QChart* chart, QBarSeries* series, const QStringList& categories, double maxY, const QString& yTitle)
{
    chart->addSeries(series);
    auto* x = new QBarCategoryAxis;
    x->append(categories);
    if (categories.size() > 24) x->setLabelsAngle(-90); // long inputs: vertical labels still fit
    QFont labels = x->labelsFont();
    labels.setPixelSize(categories.size() > 40 ? 8 : 11);
    x->setLabelsFont(labels);
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(x);
    auto* y = new QValueAxis;
    y->setRange(0.0, maxY);
    y->setTitleText(yTitle);
    y->setLabelFormat(QStringLiteral("%.2f"));
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(y);
}

} // namespace

int ChartsBuilder::effectiveQuery(const AttentionResult& result, const SelectionState& selection)
{
    const AttentionStack* stack = currentStack(result, selection);
    if (stack == nullptr || stack->attention.queries == 0) return -1;
    const int q = selection.queryToken();
    return q >= 0 && q < stack->attention.queries ? q : stack->attention.queries - 1;
}

QChart* ChartsBuilder::distributionChart(const AttentionResult& result, const SelectionState& selection)
{
    const AttentionStack* stack = currentStack(result, selection);
    const int query = effectiveQuery(result, selection);
    if (stack == nullptr || query < 0) return newChart(tr("No attention to show yet"));
    const AttentionTensor& a = stack->attention;
    const int layer = std::clamp(selection.layer(), 0, a.layers - 1);
    const auto& keyTokens = keyTokensOf(result, *stack);
    const auto& queryTokens = queryTokensOf(result, *stack);
    const QString queryText = query < int(queryTokens.size())
                                  ? QString::fromStdString(queryTokens[std::size_t(query)].display).trimmed()
                                  : QString::number(query);
    QChart* chart = newChart(tr("Where “%1” (#%2) looks · layer %3").arg(queryText).arg(query).arg(layer));

    QStringList categories;
    for (int k = 0; k < a.keys; ++k) {
        const QString t = k < int(keyTokens.size()) ? QString::fromStdString(keyTokens[std::size_t(k)].display).trimmed()
                                                    : QString::number(k);
        // Repeated tokens would merge into one category; the position keeps them apart.
        categories << QStringLiteral("%1 %2").arg(t).arg(k);
    }
    auto* series = new QBarSeries;
    double peak = 0.0;
    for (int h = 0; h < a.heads; ++h) {
        if (!selection.isHeadEnabled(h)) continue;
        auto* set = new QBarSet(tr("head %1").arg(h));
        set->setColor(ArcsPalette::headColor(h));
        set->setBorderColor(ArcsPalette::headColor(h));
        for (int k = 0; k < a.keys; ++k) {
            const float w = a.at(layer, h, query, k);
            *set << double(w);
            peak = std::max(peak, double(w));
        }
        series->append(set);
    }
    // Round the axis up to a tenth so bars of different queries compare at a glance.
    attachAxes(chart, series, categories, std::max(0.1, std::ceil(peak * 10.0) / 10.0), tr("weight"));
    chart->legend()->setVisible(series->count() > 1);
    return chart;
}

QChart* ChartsBuilder::headStatsChart(const AttentionResult& result, const SelectionState& selection)
{
    const AttentionStack* stack = currentStack(result, selection);
    if (stack == nullptr || stack->attention.queries == 0) return newChart(tr("No attention to show yet"));
    const AttentionTensor& a = stack->attention;
    const int layer = std::clamp(selection.layer(), 0, a.layers - 1);
    QChart* chart = newChart(tr("Head statistics · layer %1").arg(layer));
    const bool self = stack->keysFromSource == stack->queriesFromSource && a.queries == a.keys;
    auto* previous = new QBarSet(tr("previous-token"));
    auto* first = new QBarSet(tr("first-token"));
    auto* entropy = new QBarSet(tr("entropy ÷ ln(keys)"));
    previous->setColor(QColor(0x2f, 0x3e, 0x4e)); // dark neutrals: head colours stay reserved for heads
    first->setColor(QColor(0x7a, 0x86, 0x94));
    entropy->setColor(QColor(0xc8, 0xcd, 0xd3));
    QStringList categories;
    const double maxEntropy = a.keys > 1 ? std::log(double(a.keys)) : 1.0;
    auto orZero = [](double v) { return std::isnan(v) ? 0.0 : v; };
    for (int h = 0; h < a.heads; ++h) {
        const ModelGridStats s = ModelGridStats::compute(a.head(layer, h), a.queries, a.keys, self);
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
    attachAxes(chart, series, categories, 1.0, tr("score"));
    return chart;
}

} // namespace attnviz
