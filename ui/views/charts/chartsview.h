#pragma once
// Charts of the current selection (Qt Charts): the selected query's attention over the keys for
// the enabled heads, and per-head statistics of the current layer. The charts are rebuilt when the
// result or selection changes; paint() renders freshly built charts at the target's size, so
// exports do not depend on the widget's size.

#include "views/attentionview.h"
#include "state/selectionstate.h"

class QChartView;

namespace attnviz {

class ChartsView : public AttentionView
{
    Q_OBJECT
public:
    explicit ChartsView(SelectionState* selection, QWidget* parent = nullptr);

    void paint(QPainter& painter, const QRectF& target) const override;
    QSizeF preferredExportSize() const override;
    QString viewName() const override { return QStringLiteral("chart"); }

    QChartView* distributionView() const { return m_distribution; }
    QChartView* statsView() const { return m_stats; }

protected:
    void resultChanged() override;
    void paintEvent(QPaintEvent* event) override;
    void changeEvent(QEvent* event) override; // a new palette (dark mode) or font rebuilds the charts

private:
    void rebuild();

    QChartView* m_distribution = nullptr;
    QChartView* m_stats = nullptr;
};

} // namespace attnviz
