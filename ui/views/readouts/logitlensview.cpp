#include "views/readouts/logitlensview.h"

#include "views/numberformat.h"
#include "widgets/tokenlabel.h"

namespace attnviz {

namespace {

QString shownToken(const Prediction& p)
{
    return TokenLabel::text(p.display);
}

} // namespace

LogitLensView::LogitLensView(SelectionState* selection, QWidget* parent) : ReadoutView(selection, parent)
{
    setToolTip(tr("Logit lens: the token the model would predict if it stopped after each layer (final norm and "
                  "output head applied); colour = its probability"));
}

QString LogitLensView::emptyMessage() const
{
    if (!result())
        return tr("Type a sentence to see what the model predicts after every layer.");
    return tr("No logit lens for this model: it needs an output head (decoders, or encoders with their "
              "masked-LM head).");
}

std::optional<LabelledGrid> LogitLensView::grid() const
{
    if (!result() || !result()->logitLens)
        return std::nullopt;
    const LogitLens lens = *result()->logitLens;
    const auto& tokens = result()->tokens;
    const bool byRank = lens.positions.size() == 1;
    LabelledGrid g;
    g.map = ColorMap{selection() != nullptr ? selection()->colorMap() : ColorMapKind::Viridis};
    if (g.map.kind == ColorMapKind::Diverging)
        g.map.kind = ColorMapKind::Viridis; // probabilities are not signed
    for (int l = 0; l < lens.layers; ++l)
        g.rowLabels << tr("after layer %1").arg(l);
    if (byRank) {
        const int p = lens.positions.front();
        g.title = tr("Logit lens · the top %1 predictions after each layer, at token %2 “%3”")
                      .arg(lens.top)
                      .arg(p)
                      .arg(p < int(tokens.size()) ? TokenLabel::text(tokens[std::size_t(p)]) : QString());
        for (int k = 0; k < lens.top; ++k)
            g.colLabels << tr("#%1").arg(k + 1);
        g.text = [lens](int r, int c) { return shownToken(lens.at(r, 0, c)); };
        g.shade = [lens](int r, int c) { return double(lens.at(r, 0, c).probability); };
    } else {
        g.title = tr("Logit lens · the top prediction after each layer, at every position");
        for (int p : lens.positions)
            g.colLabels << (p < int(tokens.size()) ? TokenLabel::text(tokens[std::size_t(p)]) : QString::number(p));
        g.text = [lens](int r, int c) { return shownToken(lens.at(r, c, 0)); };
        g.shade = [lens](int r, int c) { return double(lens.at(r, c, 0).probability); };
        if (selection() != nullptr)
            g.highlightedColumn = selection()->queryToken();
    }
    g.caption = tr("Colour: probability (0 to 1). Each column reads the residual stream at that token through the "
                   "final norm and output head; the last row is the model's own prediction.");
    return g;
}

QString LogitLensView::cellToolTip(int row, int col) const
{
    if (!result() || !result()->logitLens)
        return {};
    const LogitLens& lens = *result()->logitLens;
    const bool byRank = lens.positions.size() == 1;
    const int position = byRank ? 0 : col;
    QString text = tr("<b>after layer %1</b>, token %2").arg(row).arg(lens.positions[std::size_t(position)]);
    for (int k = 0; k < lens.top; ++k) {
        const Prediction& p = lens.at(row, position, k);
        text += tr("<br>%1. %2 — %3 (logit %4)")
                    .arg(k + 1)
                    .arg(shownToken(p).toHtmlEscaped())
                    .arg(formatNumber(p.probability, 3))
                    .arg(formatNumber(p.logit, 2));
    }
    return text;
}

} // namespace attnviz
