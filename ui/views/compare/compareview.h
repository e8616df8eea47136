#pragma once
// Compare mode: the focused head (or the mean of the heads) for two runs side by side, A and B,
// and their difference A − B over the tokens the two inputs share (stats/tokenalignment.h) on a
// signed, diverging scale. A is the main window's result; B comes from setComparison().

#include "views/attentionview.h"
#include "views/heatmap/heatmapdata.h"

#include <memory>

namespace attnviz {

class CompareView : public AttentionView
{
    Q_OBJECT
public:
    explicit CompareView(SelectionState* selection, QWidget* parent = nullptr);

    void setComparison(std::shared_ptr<const AttentionResult> b, QString labelA, QString labelB);
    const std::shared_ptr<const AttentionResult>& comparison() const { return m_b; }
    void paint(QPainter& painter, const QRectF& target) const override;
    QSizeF preferredExportSize() const override;
    QString viewName() const override { return QStringLiteral("compare"); }

    // What each panel shows (built from the results and the selection).
    HeatmapData panelA() const;
    HeatmapData panelB() const;
    HeatmapData difference() const;

private:
    std::shared_ptr<const AttentionResult> m_b;
    QString m_labelA = QStringLiteral("A"), m_labelB = QStringLiteral("B");
};

} // namespace attnviz
