#include "views/compare/compareview.h"

#include "stats/tokenalignment.h"
#include "views/heatmap/heatmappainter.h"
#include "widgets/tokenlabel.h"

#include <QPainter>

#include <algorithm>

namespace attnviz {

namespace {

// Over the aligned tokens: a cell either input lets attend is drawn, one both mask is hatched (its
// difference is zero by construction, not a finding). Empty when neither masks anything.
MaskMatrix maskedInBoth(const MaskMatrix& a, const MaskMatrix& b, const TokenAlignment& alignment)
{
    const auto n = static_cast<Index>(alignment.pairs.size());
    if (a.size() == 0 || b.size() == 0)
        return {};
    MaskMatrix both = MaskMatrix::Ones(n, n);
    for (Index p = 0; p < n; ++p) {
        const auto [qa, qb] = alignment.pairs[std::size_t(p)];
        for (Index k = 0; k < n; ++k) {
            const auto ka = alignment.pairs[std::size_t(k)].first;
            const auto kb = alignment.pairs[std::size_t(k)].second;
            const bool inA = qa < a.rows() && ka < a.cols(), inB = qb < b.rows() && kb < b.cols();
            if (inA && inB && a(qa, ka) == 0 && b(qb, kb) == 0)
                both(p, k) = 0;
        }
    }
    return both;
}

} // namespace

CompareView::CompareView(SelectionState* selection, QWidget* parent) : AttentionView(selection, parent)
{
    for (auto signal : {&SelectionState::layerChanged, &SelectionState::headChanged, &SelectionState::stackChanged})
        connect(selection, signal, this, qOverload<>(&QWidget::update));
    connect(selection, &SelectionState::displayOptionsChanged, this, qOverload<>(&QWidget::update));
    connect(selection, &SelectionState::enabledHeadsChanged, this, qOverload<>(&QWidget::update));
}

void CompareView::setComparison(std::shared_ptr<const AttentionResult> b, QString labelA, QString labelB)
{
    m_b = std::move(b);
    m_labelA = std::move(labelA);
    m_labelB = std::move(labelB);
    update();
}

HeatmapData CompareView::panelA() const
{
    HeatmapData d = HeatmapData::build(result(), *selection());
    d.title = m_labelA + QStringLiteral(" · ") + d.title;
    return d;
}

HeatmapData CompareView::panelB() const
{
    HeatmapData d = HeatmapData::build(m_b, *selection());
    d.title = m_labelB + QStringLiteral(" · ") + d.title;
    return d;
}

HeatmapData CompareView::difference() const
{
    HeatmapData d;
    d.difference = true;
    if (!result() || !m_b || result()->stacks.empty() || m_b->stacks.empty()) {
        d.emptyMessage = tr("Give a second input and press Compare.");
        return d;
    }
    const SelectionState& sel = *selection();
    const int stack = std::clamp(sel.stack(), 0, int(std::min(result()->stacks.size(), m_b->stacks.size())) - 1);
    const AttentionStack& sa = result()->stacks[std::size_t(stack)];
    const AttentionStack& sb = m_b->stacks[std::size_t(stack)];
    if (sa.queriesFromSource != sa.keysFromSource) {
        d.emptyMessage = tr("The difference is drawn for self-attention stacks.");
        return d;
    }
    const std::vector<Token>& ta = queryTokensOf(*result(), sa);
    const std::vector<Token>& tb = queryTokensOf(*m_b, sb);
    const auto alignment = alignTokens(idsOf(ta), idsOf(tb));
    if (!alignment) {
        d.emptyMessage = tr("Inputs longer than %1 tokens are not aligned.").arg(maxAlignedTokens);
        return d;
    }
    const int head = sel.meanOfHeads() ? -1 : sel.head();
    const auto diff = mapDifference(sa, sb, sel.layer(), head, *alignment);
    if (!diff || diff->size() == 0) {
        d.emptyMessage = alignment->pairs.empty() ? tr("The two inputs share no tokens to compare.")
                                                  : tr("A and B differ in shape (layers, heads) or a map is not kept.");
        return d;
    }
    for (std::size_t p = 0; p < alignment->pairs.size(); ++p) {
        const auto [ia, ib] = alignment->pairs[p];
        QString label = TokenLabel::text(ta[std::size_t(ia)]);
        if (!alignment->same[p])
            label += QStringLiteral(" / ") + TokenLabel::text(tb[std::size_t(ib)]);
        d.rowLabels << label;
        d.colLabels << label;
        d.rowGroups.push_back(int(p));
        d.colGroups.push_back(int(p));
    }
    d.values = *diff;
    d.mask = maskedInBoth(effectiveMask(*result(), sel, stack), effectiveMask(*m_b, sel, stack), *alignment);
    const float m = std::max(1e-6f, diff->cwiseAbs().maxCoeff());
    d.minValue = -m;
    d.maxValue = m;
    d.result = result();
    d.title = tr("%1 − %2 · layer %3 · %4")
                  .arg(m_labelA, m_labelB)
                  .arg(sel.layer())
                  .arg(head < 0 ? tr("mean of every head") : tr("head %1").arg(head));
    return d;
}

void CompareView::paint(QPainter& painter, const QRectF& target) const
{
    painter.fillRect(target, palette().base());
    const ColorMap own{selection() != nullptr ? selection()->colorMap() : ColorMapKind::Viridis};
    const HeatmapData a = panelA(), b = panelB(), diff = difference();
    const double w = target.width() / 3.0;
    const HeatmapData* panels[] = {&a, &b, &diff};
    for (int i = 0; i < 3; ++i) {
        const ColorMap map = i == 2 ? ColorMap{ColorMapKind::Diverging} : own;
        HeatmapPainter p(*panels[i], map, font(), palette());
        p.paint(painter, QRectF(target.left() + i * w, target.top(), w, target.height()));
    }
}

QSizeF CompareView::preferredExportSize() const
{
    const HeatmapData a = panelA();
    const HeatmapPainter p(a, ColorMap{}, font(), palette());
    const QSizeF one = p.requiredSize(HeatmapPainter::kMinCell * 1.6);
    return {std::max(900.0, one.width() * 3), std::max(320.0, one.height())};
}

} // namespace attnviz
