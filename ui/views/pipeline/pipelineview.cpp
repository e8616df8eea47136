#include "views/pipeline/pipelineview.h"

#include "views/pipeline/pipelinepaint.h"

#include <QButtonGroup>
#include <QFontMetricsF>
#include <QHBoxLayout>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QSettings>
#include <QToolButton>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace attnviz {

namespace {

constexpr qreal zoomStep = 1.2;
constexpr int maxZoomSteps = 8;
constexpr qreal smallestShrink = 0.5;    // below half size the picture is cut off rather than unreadable
constexpr qreal largestGrowth = 1.5;     // a short follow picture grows to use a large window, this far
constexpr int minFollowedKeys = 5;
constexpr int maxFollowedKeys = 30;
constexpr qreal keysShrink = 0.85;       // how far the follow picture may shrink to show more keys

} // namespace

PipelineView::PipelineView(SelectionState* selection, QWidget* parent) : AttentionView(selection, parent)
{
    setFocusPolicy(Qt::StrongFocus); // "." / "," and the zoom keys work once the view is clicked
    connect(selection, &SelectionState::queryTokenChanged, this, qOverload<>(&QWidget::update));
    connect(selection, &SelectionState::displayOptionsChanged, this, qOverload<>(&QWidget::update));
    buildControls();
}

void PipelineView::buildControls()
{
    auto button = [this](const QString& text, const QString& tip) {
        auto* b = new QToolButton(this);
        b->setText(text);
        b->setToolTip(tip);
        b->setAutoRaise(false);
        b->setFocusPolicy(Qt::NoFocus); // keys stay with the view
        return b;
    };
    m_matricesButton = button(tr("Matrices"), tr("Every stage as its whole matrix"));
    m_followButton = button(tr("Follow query"), tr("The numbers of one query token's path through the head"));
    for (QToolButton* b : {m_matricesButton, m_followButton}) b->setCheckable(true);
    auto* group = new QButtonGroup(this);
    group->addButton(m_matricesButton);
    group->addButton(m_followButton);
    m_previousButton = button(tr("◀ Previous"), tr("Show one stage less (,)"));
    m_nextButton = button(tr("Next ▶"), tr("Reveal the next stage with its explanation (.)"));
    m_allButton = button(tr("All stages"), tr("Show every stage at once"));
    connect(m_matricesButton, &QToolButton::clicked, this, [this]() { setMode(Mode::Matrices); });
    connect(m_followButton, &QToolButton::clicked, this, [this]() { setMode(Mode::FollowQuery); });
    connect(m_previousButton, &QToolButton::clicked, this, &PipelineView::previousStage);
    connect(m_nextButton, &QToolButton::clicked, this, &PipelineView::nextStage);
    connect(m_allButton, &QToolButton::clicked, this, &PipelineView::showAllStages);

    auto* row = new QHBoxLayout;
    row->setSpacing(2);
    row->addStretch(1);
    row->addWidget(m_matricesButton);
    row->addWidget(m_followButton);
    row->addSpacing(12);
    row->addWidget(m_previousButton);
    row->addWidget(m_nextButton);
    row->addWidget(m_allButton);
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(6, 6, 6, 6);
    column->addLayout(row);
    column->addStretch(1);
    syncControls();
}

void PipelineView::syncControls()
{
    const bool any = result() && result()->pipeline;
    m_matricesButton->setChecked(m_mode == Mode::Matrices);
    m_followButton->setChecked(m_mode == Mode::FollowQuery);
    for (QToolButton* b : {m_matricesButton, m_followButton, m_previousButton, m_nextButton, m_allButton})
        b->setVisible(any);
    m_previousButton->setEnabled(m_stepper.current() != 0);
    m_nextButton->setEnabled(m_stepper.current() < m_stepper.stageCount() - 1);
    m_allButton->setEnabled(!m_stepper.showsAll());
}

bool PipelineView::showsSmallInput() const
{
    if (!result() || !result()->pipeline) return true;
    const PipelineCapture& p = *result()->pipeline;
    return result()->model.family == "lesson" ||
           (std::max(p.capture.weights.rows(), p.capture.weights.cols()) <= 8 && MatricesPicture::printsNumbers(p));
}

QString PipelineView::modeSettingsKey(bool smallInput)
{
    return smallInput ? QStringLiteral("views/pipeline/modeForSmallInputs")
                      : QStringLiteral("views/pipeline/modeForModels");
}

void PipelineView::resultChanged()
{
    const bool small = showsSmallInput();
    const QString saved = QSettings().value(modeSettingsKey(small)).toString();
    const Mode fallback = small ? Mode::Matrices : Mode::FollowQuery;
    m_mode = saved == QLatin1String("follow") ? Mode::FollowQuery
             : saved == QLatin1String("matrices") ? Mode::Matrices
                                                  : fallback;
    m_stepper.setStageCount(stageCount());
    syncControls();
    AttentionView::resultChanged();
}

void PipelineView::setMode(Mode mode)
{
    QSettings().setValue(modeSettingsKey(showsSmallInput()),
                         mode == Mode::FollowQuery ? QStringLiteral("follow") : QStringLiteral("matrices"));
    if (mode == m_mode) return syncControls();
    m_mode = mode;
    m_stepper.showAll(); // the stages differ between the modes
    m_stepper.setStageCount(stageCount());
    syncControls();
    update();
}

qreal PipelineView::zoom() const
{
    return std::pow(zoomStep, m_zoomSteps);
}

void PipelineView::zoomBy(int steps)
{
    m_zoomSteps = std::clamp(m_zoomSteps + steps, -maxZoomSteps, maxZoomSteps);
    update();
}

void PipelineView::resetZoom()
{
    m_zoomSteps = 0;
    update();
}

int PipelineView::stageCount() const
{
    if (!result() || !result()->pipeline) return 0;
    if (m_mode == Mode::Matrices) return int(buildPipelineColumns(*result()->pipeline, pipelineAttendsToSource(*result())).size());
    const FollowQueryPicture picture = followPicture(600.0);
    return int(picture.stages().size());
}

void PipelineView::nextStage()
{
    m_stepper.setStageCount(stageCount());
    m_stepper.next();
    stepperChanged();
}

void PipelineView::previousStage()
{
    m_stepper.setStageCount(stageCount());
    m_stepper.previous();
    stepperChanged();
}

void PipelineView::showAllStages()
{
    m_stepper.showAll();
    stepperChanged();
}

void PipelineView::stepperChanged()
{
    syncControls();
    update();
}

QString PipelineView::stageExplanation() const
{
    if (!result() || !result()->pipeline) return {};
    const int stage = m_stepper.current();
    const QString prefix = stage < 0 ? QString() : tr("Stage %1 of %2: ").arg(stage + 1).arg(m_stepper.stageCount());
    if (stage < 0)
        return m_mode == Mode::FollowQuery
                   ? tr("One query's path through the head, with its numbers. Next (.) reveals it one stage at a time; "
                        "hover a cell for every value.")
                   : tr("Every stage as its matrix. Next (.) reveals them one at a time; hover a stage to see what it does.");
    if (m_mode == Mode::FollowQuery) {
        const std::vector<FollowQueryPicture::Stage> stages = followPicture(600.0).stages();
        return stage < int(stages.size())
                   ? prefix + FollowQueryPicture::stageExplanation(stages[std::size_t(stage)],
                                                                   result()->pipeline->capture.scaledByRootDk)
                   : QString();
    }
    const auto columns = buildPipelineColumns(*result()->pipeline, pipelineAttendsToSource(*result()));
    return stage < int(columns.size()) ? prefix + columns[std::size_t(stage)].stages.front().explanation : QString();
}

QPointF PipelineView::followOrigin()
{
    return {PipelineLayout::margin, PipelineLayout::margin + PipelineLayout::headerHeight};
}

MatricesPicture PipelineView::matricesPicture() const
{
    return MatricesPicture(*result(), selection() != nullptr ? selection()->queryToken() : -1,
                           selection() != nullptr ? selection()->colorMap() : ColorMapKind::Viridis, palette());
}

FollowQueryPicture PipelineView::followPicture(qreal height) const
{
    const AttentionResult& r = *result();
    const PipelineCapture& p = *r.pipeline;
    const bool translator = !r.sourceTokens.empty(); // its predictions are not per layer: not shown here
    const int query = selection() != nullptr ? selection()->queryToken() : -1;
    // As many keys as fit the height (the picture may shrink a little), so a long input stays one screen.
    const qreal rows = (height / keysShrink - followOrigin().y() - PipelineLayout::margin -
                        FollowQueryPicture::heightWithoutKeys(true, p.blockOutput.size() > 0)) /
                       FollowQueryPicture::rowHeight;
    FollowQueryPicture::Inputs in;
    in.followed = followQuery(p, query, std::clamp(int(rows), minFollowedKeys, maxFollowedKeys));
    in.queryLabel = pipelineTokenLabel(*result(), in.followed.query, PipelineTokens::Queries);
    for (int j = 0; j < in.followed.keyCount(); ++j) in.keyLabels << pipelineTokenLabel(*result(), j, PipelineTokens::Keys);
    in.scaledByRootDk = p.capture.scaledByRootDk;
    in.scales.probabilities = ColorMap{selection() != nullptr ? selection()->colorMap() : ColorMapKind::Viridis};
    in.revealedUpTo = m_stepper.current();
    // What the model predicts from the followed token, when it says anything about it.
    const int last = int(r.tokens.size()) - 1;
    if (!r.nextToken.empty() && !translator) {
        if (in.followed.query == last) {
            in.predictions = &r.nextToken;
            in.predictionTitle = tr("Next token after “%1”, after every layer (the model's top %2):")
                                     .arg(in.queryLabel)
                                     .arg(std::min<std::size_t>(5, r.nextToken.size()));
        } else {
            in.predictionNote = tr("The next token is predicted from the last token: follow “%1” (#%2) to see it.")
                                    .arg(pipelineTokenLabel(*result(), last, PipelineTokens::Queries))
                                    .arg(last);
        }
    } else if (!r.maskedPredictions.empty() && !translator) {
        in.predictionNote = tr("Follow a [MASK] token to see what the model fills in.");
        for (const auto& masked : r.maskedPredictions) {
            if (masked.first != in.followed.query) continue;
            in.predictions = &masked.second;
            in.predictionTitle = tr("[MASK] at #%1, after every layer (the model's top %2):")
                                     .arg(masked.first)
                                     .arg(std::min<std::size_t>(5, masked.second.size()));
        }
    }
    // Fewer keys when the rows the list leaves out between them take the room.
    const qreal room = height / keysShrink - followOrigin().y() - PipelineLayout::margin;
    for (int keys = int(in.followed.shownKeys.size()) - 1;; --keys) {
        FollowQueryPicture picture(in, palette());
        if (picture.size().height() <= room || keys < minFollowedKeys) return picture;
        in.followed = followQuery(p, query, keys);
    }
}

PipelineView::Fitted PipelineView::fit(const QRectF& target) const
{
    Fitted f;
    if (!result() || !result()->pipeline) return f;
    const qreal text = textScale();
    if (m_mode == Mode::FollowQuery) {
        // One picture: fitted to the target (shrunk to a point, grown a little), then zoomed.
        f.follow.emplace(followPicture(target.height() / text));
        const QSizeF content = f.follow->size() + QSizeF(2 * PipelineLayout::margin, followOrigin().y() + PipelineLayout::margin);
        const qreal fits = std::min(target.width() / content.width(), target.height() / content.height());
        f.scale = std::clamp(fits, text * smallestShrink, text * largestGrowth) * zoom();
        f.layout.contentSize = content;
        return f;
    }
    // Matrices wrap into bands: zoomed pictures keep their size (and may be cut off), unzoomed
    // ones shrink until they fit, to a point.
    const qreal unit = text * zoom();
    const qreal smallest = m_zoomSteps == 0 ? unit * smallestShrink : unit;
    f.matrices.emplace(matricesPicture());
    // Shrink until the wrapped picture fits the target's height.
    for (f.scale = unit; f.scale >= smallest; f.scale -= 0.05 * unit) {
        f.layout = f.matrices->layoutFor(target.width() / f.scale);
        if (f.layout.contentSize.height() * f.scale <= target.height()) break;
    }
    if (f.scale < smallest) {
        f.scale = smallest;
        f.layout = f.matrices->layoutFor(target.width() / f.scale);
    }
    return f;
}

void PipelineView::paint(QPainter& painter, const QRectF& target) const
{
    painter.save();
    painter.fillRect(target, palette().base());
    const Fitted f = fit(target);
    if (f.empty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.setFont(pipelineFont(int(std::lround(13 * textScale()))));
        const bool recorded = result() && result()->model.recorded;
        painter.drawText(target.adjusted(20, 20, -20, -20), Qt::AlignCenter | Qt::TextWordWrap,
                         recorded ? tr("An attention file holds only the attention maps: the Q/K/V pipeline needs "
                                       "the model itself (open its checkpoint to see Q, K, V and the scores).")
                                  : tr("No Q/K/V capture for this result.\nSelect a layer and head; the pipeline is "
                                       "computed for the focused head when the model can provide it."));
        painter.restore();
        return;
    }
    painter.translate(target.topLeft());
    painter.scale(f.scale, f.scale);
    painter.setRenderHint(QPainter::Antialiasing);
    paintHeader(painter, f, target.width() / f.scale);
    if (f.follow) {
        painter.translate(followOrigin());
        f.follow->paint(painter);
    } else {
        f.matrices->paint(painter, f.layout, m_stepper);
    }
    painter.restore();
}

void PipelineView::paintHeader(QPainter& painter, const Fitted& f, qreal width) const
{
    const PipelineCapture& p = *result()->pipeline;
    const int query = selection() != nullptr ? selection()->queryToken() : -1;
    const qreal left = PipelineLayout::margin;
    const qreal lineWidth = width - 2 * left;
    QString queryText;
    if (f.follow) {
        const FollowedQuery& followed = f.follow->followed();
        queryText = followed.lastByDefault
                        ? tr("following the last token “%1” (#%2): click a token to follow another")
                              .arg(pipelineTokenLabel(*result(), followed.query, PipelineTokens::Queries))
                              .arg(followed.query)
                        : tr("following query “%1” (#%2)").arg(pipelineTokenLabel(*result(), followed.query, PipelineTokens::Queries)).arg(followed.query);
    } else {
        queryText = query >= 0 ? tr("query “%1” (#%2)").arg(pipelineTokenLabel(*result(), query, PipelineTokens::Queries)).arg(query)
                               : tr("select a token to follow its row");
    }
    painter.setPen(palette().color(QPalette::Text));
    if (showsTitle()) {
        painter.setFont(pipelineFont(14, true));
        painter.drawText(QRectF(left, left, lineWidth, 20), Qt::AlignLeft | Qt::AlignVCenter,
                         tr("Layer %1 · head %2 · %3").arg(p.layer).arg(p.head).arg(queryText));
    }
    painter.setFont(pipelineFont(11));
    painter.setPen(palette().color(QPalette::PlaceholderText));
    QString sub = tr("d_k = %1").arg(p.capture.q.cols());
    if (!showsTitle()) sub = queryText + QStringLiteral(" · ") + sub;
    if (!p.note.empty()) sub += QStringLiteral(" · ") + QString::fromStdString(p.note);
    painter.drawText(QRectF(left, left + 20, lineWidth, 16), Qt::AlignLeft | Qt::AlignVCenter, sub);
    // The stepper's sentence, in the picture so exports carry it too.
    painter.setFont(pipelineFont(12, !m_stepper.showsAll()));
    painter.setPen(palette().color(QPalette::Text));
    painter.drawText(QRectF(left, left + 40, lineWidth, 18), Qt::AlignLeft | Qt::AlignVCenter, stageExplanation());
    // One legend per kind of stage.
    const PipelineScales& scales = f.follow ? f.follow->scales() : f.matrices->scales();
    const std::vector<ScaleKind> kinds =
        f.follow ? f.follow->legendKinds()
                 : std::vector<ScaleKind>{ScaleKind::Vectors, ScaleKind::Parameters, ScaleKind::Scores, ScaleKind::Probabilities};
    qreal x = left;
    for (ScaleKind kind : kinds) {
        x += paintLegend(painter, palette(), QRectF(x, left + 64, legendWidth(kind), 24), scales, kind) + 16.0;
    }
}

QSizeF PipelineView::preferredExportSize() const
{
    const Fitted f = fit(QRectF(0, 0, 1400, m_mode == Mode::FollowQuery ? 900 : 1e6));
    if (f.empty()) return {800.0, 300.0};
    return f.layout.contentSize * f.scale;
}

bool PipelineView::event(QEvent* event)
{
    if (event->type() == QEvent::ShortcutOverride) {
        // The window's Ctrl+= / Ctrl+- / Ctrl+0 zoom the heatmap; with the pipeline focused they zoom it.
        auto* key = static_cast<QKeyEvent*>(event);
        if (key->modifiers() & Qt::ControlModifier &&
            (key->key() == Qt::Key_Equal || key->key() == Qt::Key_Plus || key->key() == Qt::Key_Minus ||
             key->key() == Qt::Key_0)) {
            event->accept();
            return true;
        }
        return AttentionView::event(event);
    }
    if (event->type() != QEvent::ToolTip) return AttentionView::event(event);
    auto* help = static_cast<QHelpEvent*>(event);
    const Fitted f = fit(QRectF(rect()));
    const QPointF at = QPointF(help->pos()) / f.scale;
    QString text;
    if (f.follow) {
        text = f.follow->tooltipAt(at - followOrigin());
    } else if (!f.empty()) {
        const auto hit = f.layout.stageAt(at);
        if (hit.column >= 0 && m_stepper.revealed(hit.column)) {
            const PipelineStage& s = f.matrices->columns()[std::size_t(hit.column)].stages[std::size_t(hit.stage)];
            text = QStringLiteral("<b>%1</b> %2<br>%3").arg(s.title, s.shapeText(), s.explanation);
        }
    }
    if (text.isEmpty()) QToolTip::hideText();
    else QToolTip::showText(help->globalPos(), text, this);
    return true;
}

namespace {

// One table drives both the keys and their help, so the two cannot disagree.
struct PipelineKey
{
    Qt::Key key;
    bool control;
    const char* help;
    void (*act)(PipelineView&);
};

const PipelineKey kPipelineKeys[] = {
    {Qt::Key_Period, false, QT_TRANSLATE_NOOP("PipelineView", "next stage"), [](PipelineView& v) { v.nextStage(); }},
    {Qt::Key_Comma, false, QT_TRANSLATE_NOOP("PipelineView", "previous stage"),
     [](PipelineView& v) { v.previousStage(); }},
    {Qt::Key_Equal, true, QT_TRANSLATE_NOOP("PipelineView", "zoom in"), [](PipelineView& v) { v.zoomBy(1); }},
    {Qt::Key_Plus, true, nullptr, [](PipelineView& v) { v.zoomBy(1); }}, // Ctrl++ on keypads and some layouts
    {Qt::Key_Minus, true, QT_TRANSLATE_NOOP("PipelineView", "zoom out"), [](PipelineView& v) { v.zoomBy(-1); }},
    {Qt::Key_0, true, QT_TRANSLATE_NOOP("PipelineView", "reset the zoom"), [](PipelineView& v) { v.resetZoom(); }},
};

} // namespace

QStringList PipelineView::keyHelp()
{
    QStringList lines;
    for (const PipelineKey& k : kPipelineKeys) {
        if (!k.help) continue;
        const QKeySequence key(k.control ? QKeyCombination(Qt::ControlModifier, k.key) : QKeyCombination(k.key));
        lines << tr("In the pipeline view, %1: %2").arg(key.toString(QKeySequence::NativeText), tr(k.help));
    }
    lines << tr("In the pipeline view, Ctrl+wheel: zoom; click a key's row: follow that token");
    return lines;
}

void PipelineView::keyPressEvent(QKeyEvent* event)
{
    const bool control = event->modifiers() & Qt::ControlModifier;
    for (const PipelineKey& k : kPipelineKeys) {
        if (k.key == event->key() && k.control == control) {
            k.act(*this);
            event->accept();
            return;
        }
    }
    AttentionView::keyPressEvent(event);
}

void PipelineView::mousePressEvent(QMouseEvent* event)
{
    // Clicking a key's row follows that token (self-attention: keys are the same tokens).
    const Fitted f = fit(QRectF(rect()));
    if (event->button() == Qt::LeftButton && f.follow && result()->sourceTokens.empty() && selection() != nullptr) {
        const int key = f.follow->keyAt(event->position() / f.scale - followOrigin());
        if (key >= 0 && key < int(result()->tokens.size())) selection()->setQueryToken(key);
    }
    AttentionView::mousePressEvent(event);
}

void PipelineView::wheelEvent(QWheelEvent* event)
{
    if (!(event->modifiers() & Qt::ControlModifier)) {
        event->ignore();
        return;
    }
    const int steps = event->angleDelta().y() / 120;
    if (steps != 0) zoomBy(steps);
    event->accept();
}

} // namespace attnviz
