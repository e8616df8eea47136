#include "views/modelgrid/modelgridview.h"

#include "views/vectorimage.h"

#include "views/colormap.h"
#include "views/numberformat.h"
#include "widgets/tokenlabel.h"

#include <QActionGroup>
#include <QContextMenuEvent>
#include <QFontMetricsF>
#include <QHelpEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <array>
#include <cmath>

namespace attnviz {

ModelGridView::ModelGridView(SelectionState* selection, QWidget* parent) : AttentionView(selection, parent)
{
    setMouseTracking(true);
    connect(selection, &SelectionState::stackChanged, this, &ModelGridView::invalidate);
    connect(selection, &SelectionState::displayOptionsChanged, this, &ModelGridView::invalidate);
    connect(selection, &SelectionState::layerChanged, this, qOverload<>(&QWidget::update));
    connect(selection, &SelectionState::headChanged, this, qOverload<>(&QWidget::update));
    connect(selection, &SelectionState::enabledHeadsChanged, this, qOverload<>(&QWidget::update));
    connect(selection, &SelectionState::computeInputsChanged, this, qOverload<>(&QWidget::update));
}

const AttentionStack* ModelGridView::stack() const
{
    if (!result() || result()->stacks.empty()) return nullptr;
    const int s = selection() != nullptr ? selection()->stack() : 0;
    return &result()->stacks[static_cast<std::size_t>(std::clamp(s, 0, int(result()->stacks.size()) - 1))];
}

void ModelGridView::resultChanged()
{
    invalidate();
}

void ModelGridView::invalidate()
{
    m_cacheValid = false;
    update();
}

void ModelGridView::ensureCache() const
{
    if (m_cacheValid) return;
    m_cacheValid = true;
    m_atlas = QImage();
    const AttentionStack* s = stack();
    if (s == nullptr || s->attention.layers == 0 || s->attention.heads == 0) return;
    const AttentionTensor& a = s->attention;
    m_cellsY = std::min(a.queries, maxThumbnailCells);
    m_cellsX = std::min(a.keys, maxThumbnailCells);
    if (m_cellsX == 0 || m_cellsY == 0) return;

    const ColorMap map{selection() != nullptr ? selection()->colorMap() : ColorMapKind::Viridis};
    std::array<QRgb, 256> lut{};
    for (std::size_t i = 0; i < lut.size(); ++i) lut[i] = map.rgb(double(i) / 255.0);

    m_atlas = QImage(a.heads * m_cellsX, a.layers * m_cellsY, QImage::Format_RGB32);
    std::vector<float> pooled(static_cast<std::size_t>(m_cellsX) * m_cellsY);
    // Source row/column → thumbnail cell, computed once instead of a division per weight.
    std::vector<int> rowCell(static_cast<std::size_t>(a.queries)), colCell(static_cast<std::size_t>(a.keys));
    for (int q = 0; q < a.queries; ++q) rowCell[std::size_t(q)] = q * m_cellsY / a.queries;
    for (int k = 0; k < a.keys; ++k) colCell[std::size_t(k)] = k * m_cellsX / a.keys;
    for (int l = 0; l < a.layers; ++l) {
        for (int h = 0; h < a.heads; ++h) {
            const float* w = a.head(l, h);
            if (w == nullptr) { // not in the attention file: a grey thumbnail, not a blank map
                for (int y = 0; y < m_cellsY; ++y) {
                    auto* line = reinterpret_cast<QRgb*>(m_atlas.scanLine(l * m_cellsY + y)) + h * m_cellsX;
                    std::fill(line, line + m_cellsX, qRgb(128, 128, 128));
                }
                continue;
            }
            // Max-pooling keeps thin patterns (a diagonal) visible when a long input is shrunk.
            std::fill(pooled.begin(), pooled.end(), 0.0f);
            for (int q = 0; q < a.queries; ++q) {
                float* row = pooled.data() + static_cast<std::size_t>(rowCell[std::size_t(q)]) * m_cellsX;
                const float* src = w + static_cast<std::size_t>(q) * a.keys;
                for (int k = 0; k < a.keys; ++k) {
                    float& cell = row[colCell[std::size_t(k)]];
                    cell = std::max(cell, src[k]);
                }
            }
            // Each thumbnail is scaled to its own maximum so diffuse heads still show structure.
            const float peak = *std::max_element(pooled.begin(), pooled.end());
            const float scale = peak > 0.0f ? 255.0f / peak : 0.0f;
            for (int y = 0; y < m_cellsY; ++y) {
                auto* line = reinterpret_cast<QRgb*>(m_atlas.scanLine(l * m_cellsY + y)) + h * m_cellsX;
                const float* p = pooled.data() + static_cast<std::size_t>(y) * m_cellsX;
                for (int x = 0; x < m_cellsX; ++x) line[x] = lut[static_cast<std::size_t>(p[x] * scale + 0.5f)];
            }
        }
    }
}

const std::vector<HeadSummary>& ModelGridView::headStats() const
{
    static const std::vector<HeadSummary> none;
    const AttentionStack* s = stack();
    return s != nullptr ? s->summaries : none;
}

const LogitAttribution* ModelGridView::shownAttribution() const
{
    const SelectionState* sel = selection();
    const AttentionStack* s = stack();
    if (sel == nullptr || sel->gridBadges() != GridBadges::LogitAttribution || s == nullptr || !result()->attribution)
        return nullptr;
    const LogitAttribution& a = *result()->attribution;
    const bool thisStack = a.stack == std::clamp(sel->stack(), 0, int(result()->stacks.size()) - 1);
    return thisStack && a.layers == s->attention.layers && a.heads == s->attention.heads ? &a : nullptr;
}

QString ModelGridView::title() const
{
    const AttentionStack* s = stack();
    if (s == nullptr)
        return {};
    const QString caption = QString::fromStdString(headMapsCaption(s->measure));
    return tr("%1 stack: %2 layers × %3 heads").arg(QString::fromStdString(s->name)).arg(s->attention.layers).arg(s->attention.heads) +
           (caption.isEmpty() ? QString() : QStringLiteral(" · ") + caption);
}

QString ModelGridView::badgeNote() const
{
    const SelectionState* sel = selection();
    if (sel == nullptr || sel->gridBadges() != GridBadges::LogitAttribution)
        return tr("each thumbnail scaled to its own maximum");
    if (const LogitAttribution* a = shownAttribution())
        return tr("badges: each head's write into the logit of \u201c%1\u201d (red raises it, blue lowers it)")
            .arg(TokenLabel::text(a->targetDisplay));
    if (result()) {
        for (const std::string& n : result()->notices) {
            if (n.rfind("direct logit attribution", 0) == 0)
                return tr("badges: head statistics (%1)").arg(QString::fromStdString(n));
        }
        if (result()->attribution)
            return tr("badges: head statistics (the logit attribution splits the %1 stack's heads)")
                .arg(QString::fromStdString(result()->stacks[std::size_t(result()->attribution->stack)].name));
    }
    return tr("badges: head statistics until the logit attribution is computed");
}

ModelGridLayout ModelGridView::layoutFor(const QRectF& target) const
{
    const AttentionStack* s = stack();
    return ModelGridLayout::compute(target, s ? s->attention.layers : 0, s ? s->attention.heads : 0, textScale());
}

void ModelGridView::paint(QPainter& painter, const QRectF& target) const
{
    painter.save();
    painter.fillRect(target, palette().base());
    ensureCache();
    const AttentionStack* s = stack();
    if (s == nullptr || m_atlas.isNull()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(target, Qt::AlignCenter, tr("No attention to show yet."));
        painter.restore();
        return;
    }
    const ModelGridLayout g = layoutFor(target);
    const SelectionState* sel = selection();
    const QColor text = palette().color(QPalette::Text);
    const QColor dim = palette().color(QPalette::PlaceholderText);
    const QColor highlight = palette().color(QPalette::Highlight);

    auto pixelFont = [&g](qreal pixels) {
        QFont font;
        font.setPixelSize(int(std::lround(pixels * g.scale)));
        return font;
    };
    QFont titleFont = pixelFont(13);
    titleFont.setBold(true);
    painter.setFont(titleFont);
    painter.setPen(text);
    const QRectF titleRect(target.left() + ModelGridLayout::margin, target.top() + ModelGridLayout::margin,
                           target.width() - 2 * ModelGridLayout::margin, g.titleLine() - 6);
    const QString titleText = QFontMetricsF(titleFont).elidedText(title(), Qt::ElideRight, titleRect.width());
    painter.drawText(titleRect, Qt::AlignLeft | Qt::AlignVCenter, titleText);
    // The note takes what the title leaves, elided; it wraps to nothing rather than overlap.
    const QFont noteFont = pixelFont(g.thumb < 30 ? 9 : 11);
    const qreal noteWidth = titleRect.width() - QFontMetricsF(titleFont).horizontalAdvance(titleText) - 16.0;
    painter.setFont(noteFont);
    painter.setPen(dim);
    painter.drawText(titleRect, Qt::AlignRight | Qt::AlignVCenter,
                     QFontMetricsF(noteFont).elidedText(badgeNote(), Qt::ElideRight, std::max(0.0, noteWidth)));

    for (int h = 0; h < g.heads; ++h) {
        painter.setPen(sel == nullptr || sel->isHeadEnabled(h) ? text : dim);
        painter.drawText(g.columnLabelRect(h), Qt::AlignCenter, tr("H%1").arg(h));
    }
    for (int l = 0; l < g.layers; ++l) {
        painter.setPen(text);
        painter.drawText(g.rowLabelRect(l), Qt::AlignRight | Qt::AlignVCenter, tr("L%1").arg(l));
    }

    // Upscaled thumbnails stay crisp (each cell a block); shrunk ones are smoothed.
    painter.setRenderHint(QPainter::SmoothPixmapTransform, g.thumb < std::max(m_cellsX, m_cellsY));
    const QFont badgeFont = pixelFont(10);
    QFont strongBadgeFont = badgeFont;
    strongBadgeFont.setBold(true);
    const LogitAttribution* attribution = shownAttribution();
    float largestPart = 0.0f;
    if (attribution != nullptr) {
        for (float v : attribution->head)
            largestPart = std::max(largestPart, std::abs(v));
    }
    for (int l = 0; l < g.layers; ++l) {
        for (int h = 0; h < g.heads; ++h) {
            const QRectF r = g.thumbRect(l, h);
            drawCells(painter, r, m_atlas, QRect(h * m_cellsX, l * m_cellsY, m_cellsX, m_cellsY));
            if (sel != nullptr && sel->isHeadAblated(l, h)) {
                // Ablated: dimmed and crossed out, since its output no longer reaches W_O.
                painter.fillRect(r, QColor(255, 255, 255, 150));
                painter.setPen(QPen(QColor(0xd6, 0x27, 0x28), std::max(1.5, g.thumb / 24.0)));
                painter.drawLine(r.topLeft(), r.bottomRight());
                painter.drawLine(r.topRight(), r.bottomLeft());
            }
            if (g.badges && attribution != nullptr) {
                // The heads that move the logit most stand out in bold.
                const float part = attribution->headAt(l, h);
                painter.setFont(std::abs(part) >= 0.5f * largestPart && part != 0.0f ? strongBadgeFont : badgeFont);
                painter.setPen(attributionBadgeColor(part, dim));
                painter.drawText(g.badgeRect(l, h), Qt::AlignCenter, attributionBadge(part));
            } else if (g.badges) {
                painter.setFont(badgeFont);
                painter.setPen(dim);
                if (const HeadSummary* summary = s->summary(l, h))
                    painter.drawText(g.badgeRect(l, h), Qt::AlignCenter, headBadge(*summary));
            }
        }
    }
    if (sel != nullptr && sel->layer() < g.layers && sel->head() < g.heads) {
        const qreal w = g.thumb < 20 ? 2.0 : 3.0;
        painter.setPen(QPen(highlight, w));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(g.thumbRect(sel->layer(), sel->head()).adjusted(-w / 2 - 1, -w / 2 - 1, w / 2 + 1, w / 2 + 1));
    }
    painter.restore();
}

QSizeF ModelGridView::preferredExportSize() const
{
    const AttentionStack* s = stack();
    if (s == nullptr) return {640.0, 480.0};
    const int heads = s->attention.heads;
    const qreal thumb = std::clamp(960.0 / std::max(1, heads), 40.0, 120.0);
    return ModelGridLayout::preferredSize(s->attention.layers, heads, thumb, textScale());
}

void ModelGridView::mousePressEvent(QMouseEvent* event)
{
    const QPoint hit = layoutFor(QRectF(rect())).hitTest(event->position());
    if (hit.x() < 0 || selection() == nullptr) return;
    selection()->setLayer(hit.x());
    selection()->setHead(hit.y());
}

void ModelGridView::mouseMoveEvent(QMouseEvent* event)
{
    const QPoint hit = layoutFor(QRectF(rect())).hitTest(event->position());
    setCursor(hit.x() >= 0 ? Qt::PointingHandCursor : Qt::ArrowCursor);
}

bool ModelGridView::event(QEvent* event)
{
    if (event->type() != QEvent::ToolTip) return AttentionView::event(event);
    auto* help = static_cast<QHelpEvent*>(event);
    const QPoint hit = layoutFor(QRectF(rect())).hitTest(help->pos());
    const auto& stats = headStats();
    const int heads = stack() ? stack()->attention.heads : 0;
    if (hit.x() < 0 || stats.empty()) {
        QToolTip::hideText();
        return true;
    }
    const std::size_t index = static_cast<std::size_t>(hit.x()) * heads + hit.y();
    if (index >= stats.size()) {
        QToolTip::hideText();
        return true;
    }
    const HeadSummary& st = stats[index];
    auto fmt = [](float v) { return std::isnan(v) ? QStringLiteral("–") : QString::number(double(v), 'f', 2); };
    QString tip = tr("Layer %1, head %2\nprevious-token %3 · attention sink (first token) %4 · entropy %5 nats")
                      .arg(hit.x()).arg(hit.y()).arg(fmt(st.previousToken), fmt(st.firstToken), fmt(st.entropy));
    if (const LogitAttribution* a = shownAttribution())
        tip += tr("\nwrites %1 into the logit of \u201c%2\u201d (of %3)")
                   .arg(attributionBadge(a->headAt(hit.x(), hit.y())), TokenLabel::text(a->targetDisplay),
                        formatNumber(a->logit, 2));
    QToolTip::showText(help->globalPos(), tip + tr("\nClick to focus; right-click to choose the badges."), this);
    return true;
}

void ModelGridView::contextMenuEvent(QContextMenuEvent* event)
{
    SelectionState* sel = selection();
    if (sel == nullptr)
        return;
    QMenu menu(this);
    auto* group = new QActionGroup(&menu);
    const std::pair<GridBadges, QString> choices[] = {
        {GridBadges::Statistics, tr("Badges: Head Statistics")},
        {GridBadges::LogitAttribution, tr("Badges: Logit Attribution")},
    };
    for (const auto& choice : choices) {
        QAction* action = menu.addAction(choice.second);
        action->setCheckable(true);
        action->setChecked(sel->gridBadges() == choice.first);
        group->addAction(action);
        const GridBadges badges = choice.first;
        connect(action, &QAction::triggered, sel, [sel, badges]() { sel->setGridBadges(badges); });
    }
    menu.exec(event->globalPos());
}

} // namespace attnviz
