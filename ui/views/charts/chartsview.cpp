#include "views/charts/chartsview.h"

#include "views/charts/chartsbuilder.h"

#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QGraphicsScene>
#include <QPainter>
#include <QVBoxLayout>

#include <algorithm>

namespace attnviz {

namespace {

QChartView* makeChartView(QWidget* parent)
{
    auto* view = new QChartView(parent);
    view->setRenderHint(QPainter::Antialiasing);
    view->setFrameShape(QFrame::NoFrame);
    return view;
}

// Renders a chart into `rect` at that size, through a throwaway scene.
void renderChart(QPainter& painter, QChart* chart, const QRectF& rect)
{
    QGraphicsScene scene;
    scene.addItem(chart); // the scene owns and deletes the chart
    chart->setGeometry(QRectF(QPointF(0, 0), rect.size()));
    scene.setSceneRect(QRectF(QPointF(0, 0), rect.size()));
    scene.render(&painter, rect, scene.sceneRect());
}

} // namespace

ChartsView::ChartsView(SelectionState* selection, QWidget* parent)
    : AttentionView(selection, parent), m_distribution(makeChartView(this)), m_stats(makeChartView(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_distribution, 3);
    layout->addWidget(m_stats, 2);
    connect(selection, &SelectionState::stackChanged, this, &ChartsView::rebuild);
    connect(selection, &SelectionState::layerChanged, this, &ChartsView::rebuild);
    connect(selection, &SelectionState::queryTokenChanged, this, &ChartsView::rebuild);
    connect(selection, &SelectionState::enabledHeadsChanged, this, &ChartsView::rebuild);
    rebuild();
}

void ChartsView::resultChanged()
{
    rebuild();
}

void ChartsView::paintEvent(QPaintEvent* event)
{
    // The chart views draw themselves; nothing to paint underneath.
    Q_UNUSED(event);
}

void ChartsView::changeEvent(QEvent* event)
{
    AttentionView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange)
        rebuild();
}


void ChartsView::rebuild()
{
    const bool ready = result() && selection() != nullptr;
    // setChart() takes the new chart but only releases the old one, so it is deleted here.
    auto replace = [](QChartView* view, QChart* chart) {
        QChart* old = view->chart();
        view->setChart(chart);
        delete old;
    };
    auto blank = [this]() {
        auto* chart = new QChart;
        chart->setBackgroundBrush(palette().color(QPalette::Base));
        return chart;
    };
    const qreal scale = textScale();
    replace(m_distribution,
            ready ? ChartsBuilder::distributionChart(*result(), *selection(), palette(), scale) : blank());
    replace(m_stats, ready ? ChartsBuilder::headStatsChart(*result(), *selection(), palette(), scale) : blank());
    for (QChartView* view : {m_distribution, m_stats})
        view->setBackgroundBrush(palette().color(QPalette::Base));
}

void ChartsView::paint(QPainter& painter, const QRectF& target) const
{
    painter.save();
    painter.fillRect(target, palette().color(QPalette::Base));
    if (!result() || selection() == nullptr) {
        painter.drawText(target, Qt::AlignCenter, tr("No attention to show yet."));
        painter.restore();
        return;
    }
    // The same 3:2 split as on screen.
    const QRectF top(target.topLeft(), QSizeF(target.width(), target.height() * 0.6));
    const QRectF bottom(top.bottomLeft(), QSizeF(target.width(), target.height() - top.height()));
    renderChart(painter, ChartsBuilder::distributionChart(*result(), *selection(), palette(), textScale()), top);
    renderChart(painter, ChartsBuilder::headStatsChart(*result(), *selection(), palette(), textScale()), bottom);
    painter.restore();
}

QSizeF ChartsView::preferredExportSize() const
{
    const int keys = result() && !result()->stacks.empty() ? result()->stacks.front().attention.keys : 8;
    return {std::clamp(160.0 + keys * 40.0, 640.0, 1600.0), 720.0};
}

} // namespace attnviz
