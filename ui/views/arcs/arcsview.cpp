#include "views/arcs/arcsview.h"

#include "views/arcs/arcspalette.h"
#include "views/arcs/arcsselection.h"

#include <QFontMetricsF>
#include <QActionGroup>
#include <QContextMenuEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <functional>

namespace attnviz {

namespace {

const AttentionStack* currentStack(const AttentionResult* result, const SelectionState* selection)
{
    if (result == nullptr || result->stacks.empty()) return nullptr;
    const int s = selection != nullptr ? selection->stack() : 0;
    return &result->stacks[static_cast<std::size_t>(std::clamp(s, 0, int(result->stacks.size()) - 1))];
}

const std::vector<Token>& keyTokens(const AttentionResult& result, const AttentionStack& stack)
{
    return keyTokensOf(result, stack);
}

QString label(const std::vector<Token>& tokens, int i)
{
    if (i < 0 || i >= int(tokens.size())) return QStringLiteral("#%1").arg(i);
    const QString text = QString::fromStdString(tokens[static_cast<std::size_t>(i)].display).trimmed();
    return text.isEmpty() ? QStringLiteral("␣") : text;
}

constexpr int kMinLabelPixels = 8;
constexpr qreal kLabelPadding = 12.0; // 6 px on each side of a label's text

// The first token of sentence B, or -1 when the tokens are not a sentence pair.
int firstOfSentenceB(const std::vector<Token>& tokens)
{
    const auto b = std::find_if(tokens.begin(), tokens.end(), [](const Token& t) { return t.segment == 1; });
    return b == tokens.end() || b == tokens.begin() ? -1 : static_cast<int>(b - tokens.begin());
}

int segmentOf(const std::vector<Token>& tokens, int i)
{
    return i >= 0 && i < int(tokens.size()) ? tokens[static_cast<std::size_t>(i)].segment : 0;
}

QFont labelFont(int pixelSize)
{
    QFont font;
    font.setPixelSize(pixelSize);
    return font;
}

} // namespace

ArcsView::ArcsView(SelectionState* selection, QWidget* parent) : AttentionView(selection, parent)
{
    setMouseTracking(true);
    // Each change of the selection only needs a repaint; paintEvent() notices what changed.
    connect(selection, &SelectionState::stackChanged, this, qOverload<>(&QWidget::update));
    connect(selection, &SelectionState::layerChanged, this, qOverload<>(&QWidget::update));
    connect(selection, &SelectionState::queryTokenChanged, this, qOverload<>(&QWidget::update));
    connect(selection, &SelectionState::hoveredTokenChanged, this, qOverload<>(&QWidget::update));
    connect(selection, &SelectionState::enabledHeadsChanged, this, qOverload<>(&QWidget::update));
    connect(selection, &SelectionState::headChanged, this, qOverload<>(&QWidget::update));
    connect(selection, &SelectionState::displayOptionsChanged, this, qOverload<>(&QWidget::update));
}

QList<int> ArcsView::drawnHeads() const
{
    const AttentionStack* stack = currentStack(result().get(), selection());
    const SelectionState* sel = selection();
    QList<int> heads;
    if (stack == nullptr)
        return heads;
    const int count = stack->attention.heads;
    if (sel == nullptr) {
        for (int h = 0; h < count; ++h)
            heads.append(h);
        return heads;
    }
    if (!sel->meanOfHeads())
        return {std::clamp(sel->head(), 0, count - 1)};
    heads = sel->enabledHeads();
    heads.removeIf([count](int h) { return h >= count; }); // the selection's shape may lag a new stack
    return heads;
}

ArcsLayout ArcsView::layoutFor(const QRectF& target) const
{
    const AttentionStack* stack = currentStack(result().get(), selection());
    const qreal scale = textScale();
    if (stack == nullptr) return ArcsLayout::compute(target, 0, 0, 0, scale);
    const int queries = stack->attention.queries;
    const int keys = stack->attention.keys;
    // The widest label in each size: both columns use it, so the picture stays symmetric.
    // Measuring every label is O(T) text shaping: kept per (stack, size) until the result changes.
    const auto widestLabel = [&](int pixelSize) {
        const std::pair<const AttentionStack*, int> key(stack, pixelSize);
        if (const auto known = m_labelWidths.find(key); known != m_labelWidths.end())
            return known->second;
        const QFontMetricsF metrics(labelFont(pixelSize));
        qreal width = 24.0;
        for (int i = 0; i < queries; ++i)
            width = std::max(width, metrics.horizontalAdvance(label(queryTokensOf(*result(), *stack), i)));
        for (int j = 0; j < keys; ++j)
            width = std::max(width, metrics.horizontalAdvance(label(keyTokens(*result(), *stack), j)));
        m_labelWidths[key] = width;
        return width;
    };
    const ArcsLayout roomiest = ArcsLayout::compute(target, queries, keys, target.width(), scale);
    int pixelSize = std::clamp(int(roomiest.rowHeight * 0.62), 7, int(14 * scale));
    qreal width = widestLabel(pixelSize);
    const qreal room = roomiest.labelWidth - kLabelPadding;
    if (width > room && pixelSize > kMinLabelPixels) {
        // A narrow area (the side dock): a smaller font before cutting any label.
        pixelSize = std::max(kMinLabelPixels, int(std::floor(pixelSize * room / width)));
        width = widestLabel(pixelSize);
    }
    ArcsLayout layout = ArcsLayout::compute(target, queries, keys, width + kLabelPadding, scale);
    layout.labelPixelSize = pixelSize;
    return layout;
}

ArcsLayout::Hit ArcsView::focus() const
{
    if (m_hover.side != ArcsLayout::Side::None) return m_hover;
    const SelectionState* sel = selection();
    if (sel == nullptr) return {};
    if (sel->hoveredToken() >= 0) return {ArcsLayout::Side::Left, sel->hoveredToken()};
    if (sel->queryToken() >= 0) return {ArcsLayout::Side::Left, sel->queryToken()};
    return {};
}

void ArcsView::paint(QPainter& painter, const QRectF& target) const
{
    painter.save();
    painter.fillRect(target, palette().base());
    const AttentionStack* stack = currentStack(result().get(), selection());
    if (stack == nullptr || stack->attention.queries == 0) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(target, Qt::AlignCenter, tr("No attention to show yet."));
        painter.restore();
        return;
    }
    const ArcsLayout layout = layoutFor(target);
    const ArcsLayout::Hit f = focus();
    painter.setRenderHint(QPainter::Antialiasing);
    paintHeader(painter, target, layout);
    // A long input's picture is painted a visible part at a time: only the lines crossing it.
    const QRectF visible = painter.hasClipping() ? painter.clipBoundingRect() : QRectF();
    linesFor(layout, f, visible).paint(painter);
    paintLabels(painter, layout, f);
    painter.restore();
}

ArcsView::PictureKey ArcsView::pictureKey() const
{
    PictureKey key;
    if (const SelectionState* sel = selection()) {
        key.stack = sel->stack();
        key.layer = sel->layer();
        key.heads = drawnHeads();
    }
    key.focus = focus();
    key.size = size();
    key.area = visibleRegion().boundingRect();
    if (key.area.isEmpty())
        key.area = rect();
    key.topK = selection() != nullptr ? selection()->arcsTopK() : 0;
    key.devicePixelRatio = devicePixelRatioF();
    key.palette = palette().cacheKey();
    key.font = font(); // paint() scales its pixel sizes by textScale()
    return key;
}

void ArcsView::resultChanged()
{
    m_picture = QImage(); // a new result: the keys cannot tell, since they hold no result
    m_chosenKey.reset();
    m_labelWidths.clear();
    updateMinimumHeight();
    AttentionView::resultChanged();
}

void ArcsView::updateMinimumHeight()
{
    const AttentionStack* stack = currentStack(result().get(), selection());
    const qreal s = textScale();
    setMinimumHeight(stack == nullptr ? 0
                                      : int(std::ceil(ArcsLayout::preferredHeight(
                                            stack->attention.queries, stack->attention.keys,
                                            ArcsLayout::minRowHeight * s, s))));
}

void ArcsView::changeEvent(QEvent* event)
{
    AttentionView::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::ApplicationFontChange)
        m_labelWidths.clear(); // labels are measured in the application's font
    if (event->type() == QEvent::FontChange) // presentation mode's large type: larger rows
        updateMinimumHeight();
}

void ArcsView::contextMenuEvent(QContextMenuEvent* event)
{
    SelectionState* sel = selection();
    if (sel == nullptr)
        return;
    QMenu menu(this);
    QMenu* perQuery = menu.addMenu(tr("Lines per Query"));
    auto* group = new QActionGroup(&menu);
    for (int k : {1, 3, 5, 10, 20, 50, 0}) {
        QAction* action = perQuery->addAction(k == 0 ? tr("All") : tr("%1 strongest").arg(k));
        action->setCheckable(true);
        action->setChecked(sel->arcsTopK() == k);
        group->addAction(action);
        connect(action, &QAction::triggered, sel, [sel, k]() { sel->setArcsTopK(k); });
    }
    menu.exec(event->globalPos());
}

void ArcsView::paintEvent(QPaintEvent* event)
{
    Q_UNUSED(event);
    const PictureKey key = pictureKey();
    if (m_picture.isNull() || key != m_pictureKey) {
        // The visible part only: a few thousand tokens make the widget tens of thousands of pixels tall.
        m_picture = QImage(key.area.size() * key.devicePixelRatio, QImage::Format_ARGB32_Premultiplied);
        m_picture.setDevicePixelRatio(key.devicePixelRatio);
        m_picture.fill(palette().color(QPalette::Base));
        QPainter picture(&m_picture);
        picture.translate(-key.area.topLeft());
        picture.setClipRect(key.area);
        paint(picture, QRectF(rect()));
        m_pictureKey = key;
    }
    QPainter painter(this);
    painter.drawImage(key.area.topLeft(), m_picture);
}

QString ArcsView::title() const
{
    const SelectionState* sel = selection();
    const QList<int> drawn = drawnHeads();
    const bool single = sel != nullptr && !sel->meanOfHeads();
    const QString heads = single              ? tr("head %1").arg(drawn.value(0))
                          : drawn.size() == 1 ? tr("1 switched-on head")
                                              : tr("%1 switched-on heads").arg(drawn.size());
    // What the drawn maps hold, when not the weights alone (ALTI and flow exist per layer only).
    const AttentionStack* stack = currentStack(result().get(), sel);
    const QString caption = QString::fromStdString(headMapsCaption(stack != nullptr ? stack->measure : Measure::Raw));
    // How many keys each query draws, once that leaves some out.
    const int k = sel != nullptr ? sel->arcsTopK() : 0;
    const bool cut = stack != nullptr && k > 0 && stack->attention.keys > k;
    const QString lines = !cut ? QString()
                          : k == 1 ? tr(" · the strongest key per query")
                                   : tr(" · the %1 strongest keys per query").arg(k);
    return tr("Layer %1 · %2").arg(sel ? sel->layer() : 0).arg(heads) + lines +
           (caption.isEmpty() ? QString() : QStringLiteral(" · ") + caption);
}

void ArcsView::paintHeader(QPainter& painter, const QRectF& target, const ArcsLayout& layout) const
{
    const AttentionStack* stack = currentStack(result().get(), selection());
    const qreal s = layout.scale;
    QFont titleFont = labelFont(int(13 * s));
    titleFont.setBold(true);
    painter.setFont(titleFont);
    painter.setPen(palette().color(QPalette::Text));
    const QRectF titleRect(target.left() + ArcsLayout::margin, target.top() + 6 * s,
                           target.width() - 2 * ArcsLayout::margin, 18 * s);
    const QList<int> drawn = drawnHeads();
    const QString titleText = QFontMetricsF(titleFont).elidedText(title(), Qt::ElideRight, titleRect.width());
    if (showsTitle())
        painter.drawText(titleRect, Qt::AlignLeft | Qt::AlignVCenter, titleText);

    // Legend: one chip per head, hollow when its lines are not drawn, never over the title (a
    // narrow side dock keeps only the title, which names the heads).
    const QFont small = labelFont(int(11 * s));
    painter.setFont(small);
    const QFontMetricsF metrics(small);
    const qreal titleRight =
        showsTitle() ? titleRect.left() + QFontMetricsF(titleFont).horizontalAdvance(titleText) + 12 : titleRect.left();
    qreal x = target.right() - ArcsLayout::margin;
    for (int h = stack->attention.heads - 1; h >= 0; --h) {
        const QString text = tr("H%1").arg(h);
        const qreal w = metrics.horizontalAdvance(text) + 16 * s;
        if (x - w < titleRight)
            break; // too many heads for the line: the rest are implied
        x -= w;
        const QRectF chip(x, target.top() + 8 * s, w - 4 * s, 14 * s);
        const QColor color = ArcsPalette::headColor(h);
        const bool on = drawn.contains(h);
        painter.setPen(QPen(color, 1.5));
        painter.setBrush(on ? color : Qt::NoBrush);
        painter.drawRoundedRect(QRectF(chip.left(), chip.top() + 3 * s, 8 * s, 8 * s), 2, 2);
        painter.setPen(palette().color(on ? QPalette::Text : QPalette::PlaceholderText));
        painter.drawText(chip.adjusted(11 * s, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, text);
    }

    painter.setPen(palette().color(QPalette::PlaceholderText));
    const qreal captionY = target.top() + (ArcsLayout::headerHeight - 20) * s;
    const bool cross = stack->keysFromSource != stack->queriesFromSource;
    painter.drawText(QRectF(layout.leftColumn.left(), captionY, layout.leftColumn.width(), 16 * s),
                     Qt::AlignRight | Qt::AlignVCenter, cross ? tr("target (queries)") : tr("queries"));
    painter.drawText(QRectF(layout.rightColumn.left(), captionY, layout.rightColumn.width(), 16 * s),
                     Qt::AlignLeft | Qt::AlignVCenter, cross ? tr("source (keys)") : tr("keys"));
}

const ArcsSelection& ArcsView::chosenArcs(ArcsLayout::Hit focus) const
{
    const AttentionStack* stack = currentStack(result().get(), selection());
    const SelectionState* sel = selection();
    const AttentionTensor& a = stack->attention;
    ChoiceKey key;
    key.stack = sel ? sel->stack() : 0;
    key.layer = std::clamp(sel ? sel->layer() : 0, 0, a.layers - 1);
    key.heads = drawnHeads();
    key.topK = sel != nullptr ? sel->arcsTopK() : 0;
    key.focus = focus;
    // A sentence pair's A → B or B → A choice keeps only the lines from one sentence to the other.
    const std::vector<Token>& queryTok = queryTokensOf(*result(), *stack);
    const std::vector<Token>& keyTok = keyTokens(*result(), *stack);
    const bool pair = !stack->keysFromSource && !stack->queriesFromSource && firstOfSentenceB(queryTok) >= 0;
    key.block = pair && sel != nullptr ? sel->sentenceBlock() : SentenceBlock::All;
    if (m_chosenKey == key)
        return m_chosen;
    const auto shown = [&](int i, int j) {
        if (key.block != SentenceBlock::All &&
            (segmentOf(queryTok, i) != (key.block == SentenceBlock::AToB ? 0 : 1) ||
             segmentOf(keyTok, j) == segmentOf(queryTok, i)))
            return false;
        return !(focus.side == ArcsLayout::Side::Left && focus.index != i) &&
               !(focus.side == ArcsLayout::Side::Right && focus.index != j);
    };
    m_chosen = ArcsSelection::choose(a, key.layer, key.heads, std::size_t(key.topK), shown);
    m_chosenKey = key;
    return m_chosen;
}

ArcsLines ArcsView::linesFor(const ArcsLayout& layout, ArcsLayout::Hit focus, const QRectF& visible) const
{
    const qreal width = std::clamp(layout.rowHeight / 8.0, 1.0, 3.0);
    const QList<int> heads = drawnHeads();
    // Heads' lines would coincide and blend into grey; fanning their ends out a little within
    // the row keeps every head's colour visible.
    const qreal step = heads.size() > 1 ? std::min(width + 0.5, layout.rowHeight * 0.6 / heads.size()) : 0.0;
    // A line is drawn where its span of rows meets what is visible (a long input scrolls).
    auto crossesVisible = [&](int i, int j) {
        if (visible.isEmpty())
            return true;
        const qreal y0 = layout.leftAnchor(i).y(), y1 = layout.rightAnchor(j).y();
        return std::max(y0, y1) >= visible.top() - width && std::min(y0, y1) <= visible.bottom() + width;
    };
    constexpr int Levels = 32; // lines are grouped by opacity per head: one pen per group
    ArcsLines lines;
    for (int n = 0; n < heads.size(); ++n) {
        for (int level = 0; level < Levels; ++level) {
            QColor color = ArcsPalette::headColor(heads[n]);
            color.setAlphaF(std::max(1, level) / double(Levels - 1));
            lines.groups.push_back({color, {}});
        }
    }
    std::size_t count = 0;
    for (const ChosenArc& arc : chosenArcs(focus).arcs) {
        if (!crossesVisible(arc.query, arc.key))
            continue;
        const QPointF offset(0.0, (arc.headIndex - (heads.size() - 1) / 2.0) * step);
        const int level = std::min(Levels - 1, static_cast<int>(std::lround(std::min(1.0f, arc.weight) * (Levels - 1))));
        lines.groups[std::size_t(arc.headIndex) * Levels + std::size_t(level)].lines.append(
            QLineF(layout.leftAnchor(arc.query) + offset, layout.rightAnchor(arc.key) + offset));
        ++count;
    }
    // Thousands of overlapping lines read as density, not as single strokes: thin lines drawn
    // without antialiasing there cost a fraction of wide smooth ones.
    lines.antialiased = count <= 2000;
    lines.width = lines.antialiased ? width : 1.0;
    return lines;
}

void ArcsView::paintLabels(QPainter& painter, const ArcsLayout& layout, ArcsLayout::Hit focus) const
{
    const AttentionStack* stack = currentStack(result().get(), selection());
    const auto& keyTok = keyTokens(*result(), *stack);
    const QFont font = labelFont(layout.labelPixelSize);
    const QFontMetricsF metrics(font);
    painter.setFont(font);
    const QColor text = palette().color(QPalette::Text);
    const QColor dim = palette().color(QPalette::PlaceholderText);
    const QColor highlight = palette().color(QPalette::Highlight);
    auto drawLabel = [&](const QRectF& rect, const QString& s, Qt::Alignment align, bool focused, bool faded) {
        if (focused) {
            QColor fill = highlight;
            fill.setAlpha(60);
            painter.setPen(Qt::NoPen);
            painter.setBrush(fill);
            painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), 4, 4);
        }
        painter.setPen(faded ? dim : text);
        // Too narrow even for the smallest font: an ellipsis says the label goes on.
        const QRectF box = rect.adjusted(kLabelPadding / 2, 0, -kLabelPadding / 2, 0);
        painter.drawText(box, align | Qt::AlignVCenter, metrics.elidedText(s, Qt::ElideRight, box.width()));
    };
    const bool anyFocus = focus.side != ArcsLayout::Side::None;
    // A sentence pair: a rule above sentence B's first token in both columns.
    const int b = stack->keysFromSource || stack->queriesFromSource ? -1 : firstOfSentenceB(keyTok);
    if (b > 0 && b < layout.leftCount && b < layout.rightCount) {
        painter.setPen(QPen(text, 1.5));
        for (const QRectF& r : {layout.leftLabelRect(b), layout.rightLabelRect(b)})
            painter.drawLine(QPointF(r.left() + 4, r.top()), QPointF(r.right() - 4, r.top()));
    }
    const QRectF clip = painter.hasClipping() ? painter.clipBoundingRect() : QRectF();
    const auto offScreen = [&](const QRectF& r) { return !clip.isEmpty() && !r.intersects(clip); };
    for (int i = 0; i < layout.leftCount; ++i) {
        if (offScreen(layout.leftLabelRect(i)))
            continue;
        const bool focused = focus.side == ArcsLayout::Side::Left && focus.index == i;
        drawLabel(layout.leftLabelRect(i), label(queryTokensOf(*result(), *stack), i), Qt::AlignRight, focused,
                  anyFocus && focus.side == ArcsLayout::Side::Left && !focused);
    }
    for (int j = 0; j < layout.rightCount; ++j) {
        if (offScreen(layout.rightLabelRect(j)))
            continue;
        const bool focused = focus.side == ArcsLayout::Side::Right && focus.index == j;
        drawLabel(layout.rightLabelRect(j), label(keyTok, j), Qt::AlignLeft, focused,
                  anyFocus && focus.side == ArcsLayout::Side::Right && !focused);
    }
}

QSizeF ArcsView::preferredExportSize() const
{
    const AttentionStack* stack = currentStack(result().get(), selection());
    if (stack == nullptr) return {560.0, 400.0};
    const qreal s = textScale();
    return {560.0 * s, std::max(240.0, ArcsLayout::preferredHeight(stack->attention.queries, stack->attention.keys,
                                                                    ArcsLayout::maxRowHeight * s, s))};
}

void ArcsView::setHover(ArcsLayout::Hit hit)
{
    if (hit == m_hover) return;
    m_hover = hit;
    // A hovered query is shared, so the heatmap and token strip can echo it.
    if (selection() != nullptr) selection()->setHoveredToken(hit.side == ArcsLayout::Side::Left ? hit.index : -1);
    update();
}

void ArcsView::mouseMoveEvent(QMouseEvent* event)
{
    setHover(layoutFor(QRectF(rect())).hitTest(event->position()));
}

void ArcsView::mousePressEvent(QMouseEvent* event)
{
    const ArcsLayout::Hit hit = layoutFor(QRectF(rect())).hitTest(event->position());
    if (hit.side != ArcsLayout::Side::Left || selection() == nullptr) return;
    // Clicking the selected query again clears it, so all lines come back.
    selection()->setQueryToken(selection()->queryToken() == hit.index ? -1 : hit.index);
}

void ArcsView::leaveEvent(QEvent* event)
{
    Q_UNUSED(event);
    setHover({});
}

} // namespace attnviz
