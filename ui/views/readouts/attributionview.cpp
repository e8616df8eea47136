#include "views/readouts/attributionview.h"

#include "views/numberformat.h"
#include "widgets/tokenlabel.h"


#include <algorithm>
#include <cmath>

namespace attnviz {

namespace {

// Columns: the heads, then W_O's bias, then the MLP.
float partAt(const LogitAttribution& a, int layer, int col)
{
    if (col < a.heads)
        return a.headAt(layer, col);
    return col == a.heads ? a.attentionBias[std::size_t(layer)] : a.mlp[std::size_t(layer)];
}

float largestPart(const LogitAttribution& a)
{
    float m = 1e-6f;
    for (int l = 0; l < a.layers; ++l)
        for (int c = 0; c < a.heads + 2; ++c)
            m = std::max(m, std::abs(partAt(a, l, c)));
    return m;
}

} // namespace

AttributionView::AttributionView(SelectionState* selection, QWidget* parent) : ReadoutView(selection, parent)
{
    setToolTip(tr("How much each head writes into the logit of the predicted token (final norm frozen); click a "
                  "head to focus it"));
}

QString AttributionView::emptyMessage() const
{
    if (!result())
        return tr("Type a sentence to see which heads drive the next-token prediction.");
    for (const std::string& n : result()->notices) {
        if (n.rfind("direct logit attribution", 0) == 0)
            return QString::fromStdString(n) + QLatin1Char('.');
    }
    return tr("No logit attribution for this model.");
}

std::optional<LabelledGrid> AttributionView::grid() const
{
    if (!result() || !result()->attribution)
        return std::nullopt;
    const LogitAttribution a = *result()->attribution;
    const auto& tokens = result()->tokens;
    const float peak = largestPart(a);
    LabelledGrid g;
    g.map = ColorMap{ColorMapKind::Diverging};
    const QString after = a.position >= 0 && a.position < int(tokens.size())
                              ? TokenLabel::text(tokens[std::size_t(a.position)])
                              : QString::number(a.position);
    g.title = tr("Logit attribution · “%1” after “%2”: logit %3 = embedding %4 + the parts below + final bias %5")
                  .arg(TokenLabel::text(a.targetDisplay), after, formatNumber(a.logit, 2), formatNumber(a.embedding, 2),
                       formatNumber(a.finalBias, 2));
    for (int l = 0; l < a.layers; ++l)
        g.rowLabels << tr("layer %1").arg(l);
    for (int h = 0; h < a.heads; ++h)
        g.colLabels << tr("H%1").arg(h);
    g.colLabels << tr("W_O bias") << tr("MLP");
    g.text = [a](int r, int c) { return formatNumber(partAt(a, r, c), 2); };
    g.shade = [a, peak](int r, int c) { return 0.5 + 0.5 * double(partAt(a, r, c)) / peak; };
    g.caption = tr("Red raises the logit, blue lowers it (scale ±%1). The final norm's scale is frozen at its value "
                   "for this token, so the parts add up to the logit (sum %2).")
                    .arg(formatNumber(peak, 2), formatNumber(a.total(), 2));
    return g;
}

QString AttributionView::cellToolTip(int row, int col) const
{
    if (!result() || !result()->attribution)
        return {};
    const LogitAttribution& a = *result()->attribution;
    const QString part = col < a.heads ? tr("head %1").arg(col) : col == a.heads ? tr("W_O's bias") : tr("the MLP");
    return tr("<b>layer %1, %2</b><br>adds %3 to the logit of %4")
        .arg(row)
        .arg(part)
        .arg(formatNumber(partAt(a, row, col), 4))
        .arg(TokenLabel::text(a.targetDisplay).toHtmlEscaped());
}

void AttributionView::cellClicked(int row, int col)
{
    if (selection() != nullptr && result() && result()->attribution && col < result()->attribution->heads) {
        selection()->setLayer(row);
        selection()->setHead(col);
    }
}

} // namespace attnviz
