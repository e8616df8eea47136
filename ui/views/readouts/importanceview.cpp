#include "views/readouts/importanceview.h"

#include "views/numberformat.h"
#include "widgets/tokenlabel.h"


#include <algorithm>
#include <cmath>

namespace attnviz {

ImportanceView::ImportanceView(SelectionState* selection, QWidget* parent) : ReadoutView(selection, parent)
{
    setToolTip(tr("The change in log P(next token) when each head is zeroed; click a head to focus it"));
}

void ImportanceView::setImportance(std::optional<HeadImportance> importance)
{
    m_importance = std::move(importance);
    resultChanged();
}

QString ImportanceView::emptyMessage() const
{
    return tr("Analysis → Head Importance by Ablation runs the model once per head.");
}

std::optional<LabelledGrid> ImportanceView::grid() const
{
    if (!m_importance)
        return std::nullopt;
    const HeadImportance imp = *m_importance;
    float peak = 1e-6f;
    for (float c : imp.change)
        if (!std::isnan(c)) peak = std::max(peak, std::abs(c));
    LabelledGrid g;
    g.map = ColorMap{ColorMapKind::Diverging};
    g.title = tr("Head importance · log P(“%1”) = %2; the change when each head is zeroed")
                  .arg(TokenLabel::text(imp.targetDisplay), formatNumber(imp.baseLogProbability, 3));
    for (int l = 0; l < imp.layers; ++l)
        g.rowLabels << tr("layer %1").arg(l);
    for (int h = 0; h < imp.heads; ++h)
        g.colLabels << tr("H%1").arg(h);
    g.text = [imp](int r, int c) {
        const float v = imp.at(r, c);
        return std::isnan(v) ? tr("ablated") : formatNumber(v, 2);
    };
    g.shade = [imp, peak](int r, int c) {
        const float v = imp.at(r, c);
        return std::isnan(v) ? std::nan("") : 0.5 + 0.5 * double(v) / peak;
    };
    g.caption = tr("Blue: zeroing the head lowers the probability (the head helps); red: it raises it (scale ±%1). "
                   "One run of the model per head, with the mask, scaling and ablations of the run on screen.")
                    .arg(formatNumber(peak, 2));
    return g;
}

QString ImportanceView::cellToolTip(int row, int col) const
{
    if (!m_importance)
        return {};
    const float v = m_importance->at(row, col);
    if (std::isnan(v))
        return tr("<b>layer %1, head %2</b><br>already ablated in the run on screen").arg(row).arg(col);
    return tr("<b>layer %1, head %2</b><br>log P changes by %3 (P × %4) when it is zeroed")
        .arg(row)
        .arg(col)
        .arg(formatNumber(v, 4))
        .arg(formatNumber(std::exp(double(v)), 3));
}

void ImportanceView::cellClicked(int row, int col)
{
    if (selection() != nullptr && m_importance) {
        selection()->setLayer(row);
        selection()->setHead(col);
    }
}

} // namespace attnviz
