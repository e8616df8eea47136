#pragma once
// Head importance by ablation as a layer × head grid: how much log P(next token) falls (blue) or
// rises (red) when each head is zeroed. It shows a HeadImportance computed on demand
// (state/headimportancejob.h), not a field of the run; clicking a head focuses it.

#include "stats/headimportance.h"
#include "views/readouts/readoutview.h"

#include <optional>

namespace attnviz {

class ImportanceView : public ReadoutView
{
    Q_OBJECT
public:
    explicit ImportanceView(SelectionState* selection, QWidget* parent = nullptr);
    QString viewName() const override { return QStringLiteral("importance"); }
    void setImportance(std::optional<HeadImportance> importance);
    const std::optional<HeadImportance>& importance() const { return m_importance; }
    std::optional<LabelledGrid> grid() const override;
    QString emptyMessage() const override;

protected:
    QString cellToolTip(int row, int col) const override;
    void cellClicked(int row, int col) override;

private:
    std::optional<HeadImportance> m_importance;
};

} // namespace attnviz
