#include "views/pipeline/followquerypicture.h"

#include "views/numberformat.h"
#include "views/pipeline/pipelinepaint.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace attnviz {

namespace {

using P = FollowQueryPicture;

constexpr qreal gapWidth = 16.0;    // the "…" between entries that are not neighbours
constexpr qreal columnGap = 14.0;
constexpr qreal operatorGap = 74.0; // x_i ─·W_Q→ q_i
constexpr qreal titleHeight = 16.0;
constexpr qreal indexHeight = 12.0; // the entry numbers above a vector's cells
constexpr qreal queryRowHeight = titleHeight + indexHeight + P::cellHeight;
constexpr qreal queryTableGap = 24.0;
constexpr qreal tableHeaderHeight = titleHeight + indexHeight + 2.0;
constexpr qreal sumGap = 10.0;
constexpr qreal blockGap = 16.0;
constexpr qreal blockOperatorGap = 60.0; // "+", "=", "+ MLP" between the block's vectors
constexpr int blockFirstEntries = 2, blockLargestEntries = 2;
constexpr int predictionRows = 5;
constexpr qreal predictionRowHeight = 18.0;
constexpr qreal predictionHeight = titleHeight + 2.0 + predictionRows * predictionRowHeight;
constexpr qreal predictionBarWidth = 160.0;
constexpr qreal scalarWidth = 48.0;
constexpr qreal maxLabelWidth = 120.0;
constexpr int queryFirstEntries = 4, queryLargestEntries = 8; // x_i and q_i: one vector each, room for more
constexpr int keyFirstEntries = 2, keyLargestEntries = 3;     // k_j, v_j, a_ij·v_j: a column of vectors

QString tr(const char* text)
{
    return QCoreApplication::translate("FollowQueryPicture", text);
}

qreal vectorWidth(const std::vector<int>& entries, int length)
{
    qreal w = 0.0;
    int previous = -1;
    for (int e : entries) {
        if (e != previous + 1) w += gapWidth;
        w += P::cellWidth;
        previous = e;
    }
    return previous < length - 1 ? w + gapWidth : w;
}

const float* rowData(const Matrix& m, Index row)
{
    return m.data() + row * m.cols();
}

} // namespace

FollowQueryPicture::FollowQueryPicture(Inputs inputs, const QPalette& palette)
    : m_in(std::move(inputs)), m_palette(palette)
{
    layOut();
}

QString FollowQueryPicture::stageTitle(int stage)
{
    switch (Stage(stage)) {
    case Input: return tr("x_i");
    case Query: return tr("q_i = x_i·W_Q");
    case Keys: return tr("K → Q·Kᵀ: k_j");
    case Scores: return tr("q_i·k_jᵀ");
    case Scaled: return tr("÷ √d_k");
    case Mask: return tr("mask");
    case Softmax: return tr("softmax a_ij");
    case Values: return tr("V → ·V: v_j");
    case Sum: return tr("a_ij·v_j");
    case Residual: return tr("residual add");
    case Mlp: return tr("MLP");
    case Predictions: return tr("prediction");
    case StageCount: break;
    }
    return {};
}

QString FollowQueryPicture::stageExplanation(int stage, bool scaledByRootDk)
{
    switch (Stage(stage)) {
    case Input: return tr("x_i is the followed token's input to this layer's attention: one row of X.");
    case Query: return tr("Multiplying by W_Q turns x_i into its query q_i: what this token looks for.");
    case Keys: return tr("Every token j offers a key k_j = x_j·W_K: the rows of K that enter Q·Kᵀ.");
    case Scores: return tr("The dot product q_i·k_jᵀ scores how well each key matches the query.");
    case Scaled:
        return scaledByRootDk ? tr("Dividing by √d_k shrinks the scores so the softmax does not saturate.")
                              : tr("Scaling is off here: the scores go to the softmax unchanged.");
    case Mask: return tr("The mask adds −∞ to keys this query may not see, so they get no weight.");
    case Softmax: return tr("The softmax turns the row into weights a_ij ≥ 0 that sum to 1.");
    case Values: return tr("Each key's value v_j = x_j·W_V is scaled by its weight: the rows of V that enter ·V.");
    case Sum: return tr("The head's output o_i is the sum of the weighted values; the share says how much each brings.");
    case Residual: return tr("The attention block's output (every head through W_O) is added to the token's residual stream.");
    case Mlp:
        return tr("The MLP then works on each token alone and adds its output: the next layer's input "
                  "(in a translator's decoder, cross-attention comes first).");
    case Predictions: return tr("After all layers, the model turns the last token's vector into next-token probabilities.");
    case StageCount: break;
    }
    return {};
}

qreal FollowQueryPicture::heightWithoutKeys(bool withPrediction, bool withBlock)
{
    // Below the keys, in reading order: the sum, the block's row, the prediction.
    const qreal fixed = queryRowHeight + queryTableGap + tableHeaderHeight + 2 * gapRowHeight + sumGap + queryRowHeight;
    return fixed + (withBlock ? blockGap + queryRowHeight : 0.0) + (withPrediction ? blockGap + predictionHeight : 0.0);
}

std::vector<FollowQueryPicture::Stage> FollowQueryPicture::stages() const
{
    std::vector<Stage> out = {Input, Query, Keys, Scores, Scaled, Mask, Softmax, Values, Sum};
    if (m_in.followed.hasBlock()) {
        out.push_back(Residual);
        out.push_back(Mlp);
    }
    if (hasPrediction()) out.push_back(Predictions);
    return out;
}

bool FollowQueryPicture::revealed(Stage s) const
{
    if (m_in.revealedUpTo < 0) return true;
    const std::vector<Stage> all = stages();
    const auto at = std::find(all.begin(), all.end(), s);
    return at != all.end() && int(at - all.begin()) <= m_in.revealedUpTo;
}

std::vector<ScaleKind> FollowQueryPicture::legendKinds() const
{
    std::vector<ScaleKind> kinds = {ScaleKind::Vectors, ScaleKind::Scores, ScaleKind::Probabilities};
    if (m_in.followed.hasBlock()) kinds.push_back(ScaleKind::Stream);
    return kinds;
}

const float* FollowQueryPicture::keyRow(Stage stage, int key) const
{
    const HeadCapture& h = m_in.followed.capture->capture;
    if (stage == Keys) return rowData(h.k, key);
    if (stage == Values) return rowData(h.v, key);
    const auto& shown = m_in.followed.shownKeys;
    const auto at = std::find(shown.begin(), shown.end(), key) - shown.begin();
    return rowData(m_terms, Index(at));
}

void FollowQueryPicture::layOut()
{
    const FollowedQuery& f = m_in.followed;
    const HeadCapture& h = f.capture->capture;
    const int dModel = int(f.x.cols()), dk = int(f.q.cols()), dv = int(h.v.cols());
    m_terms.resize(Index(f.shownKeys.size()), dv);
    for (std::size_t s = 0; s < f.shownKeys.size(); ++s) m_terms.row(Index(s)) = f.term(f.shownKeys[s]);

    // Scales: every vector drawn, and the scores of the keys the query may see.
    for (const Matrix* m : {&f.x, &f.q, &f.output, static_cast<const Matrix*>(&m_terms)})
        for (Index i = 0; i < m->size(); ++i) m_in.scales.cover(ScaleKind::Vectors, m->data()[i]);
    std::vector<const float*> ks, vs, terms;
    for (std::size_t s = 0; s < f.shownKeys.size(); ++s) {
        const int j = f.shownKeys[s];
        ks.push_back(rowData(h.k, j));
        vs.push_back(rowData(h.v, j));
        terms.push_back(rowData(m_terms, Index(s)));
        for (int d = 0; d < dk; ++d) m_in.scales.cover(ScaleKind::Vectors, ks.back()[d]);
        for (int d = 0; d < dv; ++d) m_in.scales.cover(ScaleKind::Vectors, vs.back()[d]);
    }
    for (int j = 0; j < f.keyCount(); ++j) {
        if (!f.allowed[std::size_t(j)]) continue;
        m_in.scales.cover(ScaleKind::Scores, f.scores[std::size_t(j)]);
        m_in.scales.cover(ScaleKind::Scores, f.scaled[std::size_t(j)]);
    }
    if (f.hasBlock()) {
        for (const Matrix* m : {&f.residual, &f.attention, &f.afterAttention, &f.mlp, &f.blockOutput})
            for (Index i = 0; i < m->size(); ++i) m_in.scales.cover(ScaleKind::Stream, m->data()[i]);
        m_blockEntries = entriesToShow({f.residual.data(), f.attention.data(), f.afterAttention.data(), f.mlp.data(),
                                        f.blockOutput.data()},
                                       int(f.blockOutput.cols()), blockFirstEntries, blockLargestEntries);
    }
    m_queryEntries = entriesToShow({f.x.data()}, dModel, queryFirstEntries, queryLargestEntries);
    m_qEntries = entriesToShow({f.q.data()}, dk, queryFirstEntries, queryLargestEntries);
    m_kEntries = entriesToShow(ks, dk, keyFirstEntries, keyLargestEntries);
    m_vEntries = entriesToShow(vs, dv, keyFirstEntries, keyLargestEntries);

    const QFontMetricsF labels(pipelineFont(11));
    m_labelWidth = 0.0;
    for (int j : f.shownKeys)
        m_labelWidth = std::max(m_labelWidth, labels.horizontalAdvance(m_in.keyLabels.value(j)) + 10.0);
    m_labelWidth = std::min(m_labelWidth, maxLabelWidth);

    const QFontMetricsF titles(pipelineFont(11, true));
    m_columns.clear();
    qreal x = m_labelWidth;
    auto addColumn = [&](Stage stage, qreal width) {
        width = std::max(width, titles.horizontalAdvance(stageTitle(stage)) + 4.0);
        m_columns.push_back({stage, stageTitle(stage), x, width});
        x += width + columnGap;
    };
    addColumn(Keys, vectorWidth(m_kEntries, dk));
    addColumn(Scores, scalarWidth);
    addColumn(Scaled, scalarWidth);
    addColumn(Mask, scalarWidth);
    addColumn(Softmax, scalarWidth);
    addColumn(Values, vectorWidth(m_vEntries, dv));
    addColumn(Sum, vectorWidth(m_vEntries, dv));
    m_columns.push_back({StageCount, tr("share"), x, scalarWidth});
    const qreal tableRight = x + scalarWidth;

    m_qLeft = vectorWidth(m_queryEntries, dModel) + operatorGap;
    m_tableTop = queryRowHeight + queryTableGap;
    m_rowTops.clear();
    qreal y = m_tableTop + tableHeaderHeight;
    int previous = -1;
    for (int j : f.shownKeys) {
        if (j != previous + 1) y += gapRowHeight;
        m_rowTops.push_back(y);
        y += rowHeight;
        previous = j;
    }
    if (previous < f.keyCount() - 1) y += gapRowHeight;
    m_sumTop = y + sumGap;
    m_blockTop = m_sumTop + queryRowHeight + blockGap;
    m_predictionTop = f.hasBlock() ? m_blockTop + queryRowHeight + blockGap : m_blockTop;
    const qreal bottom = hasPrediction() ? m_predictionTop + predictionHeight
                                         : (f.hasBlock() ? m_blockTop + queryRowHeight : m_sumTop + queryRowHeight);
    const qreal blockWidth = f.hasBlock() ? 5 * vectorWidth(m_blockEntries, int(f.blockOutput.cols())) + 4 * blockOperatorGap : 0.0;
    const qreal right = std::max({tableRight, m_qLeft + vectorWidth(m_qEntries, dk),
                                  titles.horizontalAdvance(m_in.predictionTitle) + 10.0,
                                  m_columns[6].x + titles.horizontalAdvance(sumTitle()) + 4.0, blockWidth});
    m_size = QSizeF(right, bottom);

    // What the tooltips answer for.
    m_hot.clear();
    m_hot.push_back({QRectF(0, titleHeight, vectorWidth(m_queryEntries, dModel), queryRowHeight - titleHeight), Input, -1});
    m_hot.push_back({QRectF(m_qLeft, titleHeight, vectorWidth(m_qEntries, dk), queryRowHeight - titleHeight), Query, -1});
    for (std::size_t s = 0; s < f.shownKeys.size(); ++s) {
        for (const Column& c : m_columns)
            m_hot.push_back({QRectF(c.x, m_rowTops[s], c.width, cellHeight), c.stage, f.shownKeys[s]});
    }
    const Column& sum = m_columns[6];
    m_hot.push_back({QRectF(sum.x, m_sumTop + titleHeight + indexHeight, sum.width, cellHeight), Sum, -1});
}

QRectF FollowQueryPicture::cellRect(Stage column, int shownIndex) const
{
    for (const Column& c : m_columns) {
        if (c.stage == column) return {c.x, m_rowTops[std::size_t(shownIndex)], c.width, cellHeight};
    }
    return {};
}

void FollowQueryPicture::paint(QPainter& painter) const
{
    painter.save();
    paintQueryRow(painter);
    paintTable(painter);
    if (revealed(Sum)) paintSum(painter);
    if (revealed(Predictions)) paintPrediction(painter);
    if (m_in.followed.hasBlock() && revealed(Residual)) paintBlock(painter);
    painter.restore();
}

void FollowQueryPicture::paintVector(QPainter& painter, const QPointF& topLeft, const float* values, int length,
                                     const std::vector<int>& entries, bool indices, ScaleKind kind) const
{
    const QColor faint = m_palette.color(QPalette::PlaceholderText);
    qreal x = topLeft.x();
    const qreal cellsTop = topLeft.y() + (indices ? indexHeight : 0.0);
    auto ellipsis = [&]() {
        painter.setPen(m_palette.color(QPalette::Text));
        painter.setFont(pipelineFont(12, true));
        painter.drawText(QRectF(x, cellsTop, gapWidth, cellHeight), Qt::AlignCenter, QStringLiteral("…"));
        x += gapWidth;
    };
    int previous = -1;
    for (int e : entries) {
        if (e != previous + 1) ellipsis();
        if (indices) {
            painter.setFont(pipelineFont(9));
            painter.setPen(faint);
            painter.drawText(QRectF(x, topLeft.y(), cellWidth, indexHeight), Qt::AlignCenter, QString::number(e));
        }
        const QRectF cell(x, cellsTop, cellWidth - 1.0, cellHeight);
        const QRgb colour = m_in.scales.rgb(kind, values[e]);
        painter.fillRect(cell, QColor::fromRgb(colour));
        painter.setFont(pipelineFont(10));
        painter.setPen(ColorMap::textColorOn(colour));
        painter.drawText(cell, Qt::AlignCenter, pipelineNumber(values[e]));
        x += cellWidth;
        previous = e;
    }
    if (previous < length - 1) ellipsis();
}

void FollowQueryPicture::paintScalar(QPainter& painter, const QRectF& cell, ScaleKind kind, float value,
                                     const QString& text) const
{
    const QRgb colour = m_in.scales.rgb(kind, value);
    painter.fillRect(cell, QColor::fromRgb(colour));
    painter.setFont(pipelineFont(10));
    painter.setPen(ColorMap::textColorOn(colour));
    painter.drawText(cell, Qt::AlignCenter, text);
}

void FollowQueryPicture::paintQueryRow(QPainter& painter) const
{
    const FollowedQuery& f = m_in.followed;
    const QColor ink = m_palette.color(QPalette::Text);
    painter.setPen(ink);
    painter.setFont(pipelineFont(11, true));
    if (revealed(Input)) {
        painter.drawText(QRectF(0, 0, m_qLeft + 200, titleHeight), Qt::AlignLeft | Qt::AlignVCenter,
                         tr("x_i: “%1” (#%2), %3 entries").arg(m_in.queryLabel).arg(f.query).arg(f.x.cols()));
        paintVector(painter, QPointF(0, titleHeight), f.x.data(), int(f.x.cols()), m_queryEntries, true);
    }
    if (!revealed(Query)) return;
    const qreal y = titleHeight + indexHeight + cellHeight / 2;
    const qreal left = m_qLeft - operatorGap + 8, right = m_qLeft - 12;
    paintArrow(painter, QPointF(left, y), QPointF(right, y), m_palette.color(QPalette::PlaceholderText));
    painter.setPen(ink);
    painter.setFont(pipelineFont(11, true));
    painter.drawText(QRectF(left, y - 20, right - left, 16), Qt::AlignCenter, QStringLiteral("·W_Q"));
    painter.drawText(QRectF(m_qLeft, 0, 400, titleHeight), Qt::AlignLeft | Qt::AlignVCenter,
                     tr("q_i, d_k = %1").arg(f.q.cols()));
    paintVector(painter, QPointF(m_qLeft, titleHeight), f.q.data(), int(f.q.cols()), m_qEntries, true);
}

void FollowQueryPicture::paintTable(QPainter& painter) const
{
    const FollowedQuery& f = m_in.followed;
    const HeadCapture& h = f.capture->capture;
    const QColor ink = m_palette.color(QPalette::Text), faint = m_palette.color(QPalette::PlaceholderText);
    const Stage lastColumnStage = Sum; // the share column appears with the sum
    for (const Column& c : m_columns) {
        const Stage stage = c.stage == StageCount ? lastColumnStage : c.stage;
        if (!revealed(stage)) continue;
        if (m_in.revealedUpTo == int(stage) && !m_rowTops.empty()) {
            // The stage just revealed is outlined, so a lecture's eye finds it.
            painter.setPen(QPen(m_palette.color(QPalette::Highlight), 2.0));
            painter.setBrush(Qt::NoBrush);
            painter.drawRoundedRect(QRectF(c.x - 4, m_tableTop - 2, c.width + 8, m_rowTops.back() + cellHeight + 6 - m_tableTop), 4, 4);
        }
        painter.setPen(ink);
        painter.setFont(pipelineFont(11, true));
        painter.drawText(QRectF(c.x, m_tableTop, c.width + columnGap, titleHeight), Qt::AlignLeft | Qt::AlignVCenter,
                         c.title);
        for (std::size_t s = 0; s < f.shownKeys.size(); ++s) {
            const int j = f.shownKeys[s];
            const auto js = std::size_t(j);
            const QRectF cell(c.x, m_rowTops[s], c.width, cellHeight);
            switch (c.stage) {
            case Keys:
                paintVector(painter, QPointF(c.x, m_rowTops[s] - (s == 0 ? indexHeight : 0.0)), keyRow(Keys, j),
                            int(h.k.cols()), m_kEntries, s == 0);
                break;
            case Values:
            case Sum:
                paintVector(painter, QPointF(c.x, m_rowTops[s] - (s == 0 ? indexHeight : 0.0)), keyRow(c.stage, j),
                            int(h.v.cols()), m_vEntries, s == 0);
                break;
            case Scores: paintScalar(painter, cell, ScaleKind::Scores, f.scores[js], pipelineNumber(f.scores[js])); break;
            case Scaled: paintScalar(painter, cell, ScaleKind::Scores, f.scaled[js], pipelineNumber(f.scaled[js])); break;
            case Mask:
                if (f.allowed[js]) {
                    paintScalar(painter, cell, ScaleKind::Scores, 0.0f, QStringLiteral("0"));
                } else {
                    painter.fillRect(cell, QColor(0x3a, 0x3a, 0x3a));
                    painter.setPen(Qt::white);
                    painter.drawText(cell, Qt::AlignCenter, QStringLiteral("−∞"));
                }
                break;
            case Softmax:
                paintScalar(painter, cell, ScaleKind::Probabilities, f.weights[js], pipelineNumber(f.weights[js]));
                break;
            default:
                paintScalar(painter, cell, ScaleKind::Probabilities, f.shares[js],
                            formatNumber(100.0 * double(f.shares[js]), 1) + QStringLiteral("%"));
                break;
            }
        }
    }
    // Key labels and the rows the list leaves out.
    painter.setFont(pipelineFont(11));
    int previous = -1;
    qreal hiddenWeight = 0.0;
    auto hiddenRow = [&](qreal top, int from, int to) {
        if (to <= from) return;
        painter.setPen(faint);
        painter.setFont(pipelineFont(10));
        painter.drawText(QRectF(0, top, m_size.width(), gapRowHeight), Qt::AlignLeft | Qt::AlignVCenter,
                         to - from == 1 ? tr("   …  1 key hidden (#%1)").arg(from)
                                        : tr("   …  %1 keys hidden (#%2–#%3)").arg(to - from).arg(from).arg(to - 1));
    };
    for (std::size_t s = 0; s < f.shownKeys.size(); ++s) {
        const int j = f.shownKeys[s];
        if (j != previous + 1) hiddenRow(m_rowTops[s] - gapRowHeight, previous + 1, j);
        painter.setPen(ink);
        painter.setFont(pipelineFont(11, j == f.query));
        painter.drawText(QRectF(0, m_rowTops[s], m_labelWidth - 8, cellHeight), Qt::AlignRight | Qt::AlignVCenter,
                         QFontMetricsF(painter.font()).elidedText(m_in.keyLabels.value(j), Qt::ElideRight,
                                                                  m_labelWidth - 8));
        previous = j;
    }
    for (int j = 0; j < f.keyCount(); ++j) {
        if (std::find(f.shownKeys.begin(), f.shownKeys.end(), j) == f.shownKeys.end()) hiddenWeight += f.weights[std::size_t(j)];
    }
    if (!m_rowTops.empty()) hiddenRow(m_rowTops.back() + rowHeight, previous + 1, f.keyCount());
    if (f.hiddenKeys > 0 && revealed(Softmax)) {
        painter.setPen(faint);
        painter.setFont(pipelineFont(10));
        painter.drawText(QRectF(0, m_tableTop - queryTableGap + 4, m_size.width(), queryTableGap - 8),
                         Qt::AlignLeft | Qt::AlignVCenter,
                         tr("%1 of %2 keys: the strongest, the first and the last; the %3 hidden hold %4 of the weight")
                             .arg(f.shownKeys.size())
                             .arg(f.keyCount())
                             .arg(f.hiddenKeys)
                             .arg(formatNumber(hiddenWeight, 3)));
    }
}

QString FollowQueryPicture::sumTitle() const
{
    return m_in.followed.hiddenKeys > 0 ? tr("o_i = Σ_j a_ij·v_j over all keys") : tr("o_i = Σ_j a_ij·v_j");
}

void FollowQueryPicture::paintSum(QPainter& painter) const
{
    const FollowedQuery& f = m_in.followed;
    const Column& sum = m_columns[6];
    painter.setPen(m_palette.color(QPalette::Text));
    painter.setFont(pipelineFont(11, true));
    painter.drawText(QRectF(sum.x, m_sumTop, m_size.width() - sum.x, titleHeight), Qt::AlignLeft | Qt::AlignVCenter,
                     sumTitle());
    paintVector(painter, QPointF(sum.x, m_sumTop + titleHeight), f.output.data(), int(f.output.cols()), m_vEntries,
                true);
}

void FollowQueryPicture::paintPrediction(QPainter& painter) const
{
    const QColor ink = m_palette.color(QPalette::Text);
    painter.setPen(ink);
    painter.setFont(pipelineFont(11, true));
    const QString title = m_in.predictions != nullptr ? m_in.predictionTitle : m_in.predictionNote;
    painter.drawText(QRectF(0, m_predictionTop, m_size.width(), titleHeight), Qt::AlignLeft | Qt::AlignVCenter, title);
    if (m_in.predictions == nullptr) return;
    const QFontMetricsF metrics(pipelineFont(11));
    qreal y = m_predictionTop + titleHeight + 2;
    for (std::size_t k = 0; k < m_in.predictions->size() && k < std::size_t(predictionRows); ++k) {
        const Prediction& p = (*m_in.predictions)[k];
        painter.setFont(pipelineFont(11));
        painter.setPen(ink);
        painter.drawText(QRectF(0, y, m_labelWidth - 8, predictionRowHeight - 2), Qt::AlignRight | Qt::AlignVCenter,
                         metrics.elidedText(QString::fromStdString(p.display), Qt::ElideRight, m_labelWidth - 8));
        const QRectF bar(m_labelWidth, y + 2, predictionBarWidth * double(p.probability), predictionRowHeight - 6);
        painter.fillRect(bar, QColor::fromRgb(m_in.scales.rgb(ScaleKind::Probabilities, p.probability)));
        painter.drawText(QRectF(m_labelWidth + predictionBarWidth + 6, y, 80, predictionRowHeight - 2),
                         Qt::AlignLeft | Qt::AlignVCenter, formatNumber(100.0 * double(p.probability), 1) + QStringLiteral("%"));
        y += predictionRowHeight;
    }
}

std::vector<FollowQueryPicture::BlockPart> FollowQueryPicture::blockParts() const
{
    const FollowedQuery& f = m_in.followed;
    std::vector<BlockPart> parts = {{&f.residual, tr("residual stream in"), QString(), Residual, {}},
                                    {&f.attention, tr("attention (all heads ·W_O)"), QStringLiteral("+"), Residual, {}},
                                    {&f.afterAttention, f.normAfterAdd ? tr("LayerNorm of the sum") : tr("after the add"),
                                     QStringLiteral("="), Residual, {}},
                                    {&f.mlp, f.restLabel.isEmpty() ? tr("MLP output") : f.restLabel,
                                     f.restLabel.isEmpty() ? QStringLiteral("+ MLP") : QStringLiteral("+"), Mlp, {}},
                                    {&f.blockOutput,
                                     f.normAfterAdd && f.restLabel.isEmpty() ? tr("out: LayerNorm of the sum")
                                                                             : tr("out: next layer's input"),
                                     QStringLiteral("="), Mlp, {}}};
    const qreal width = vectorWidth(m_blockEntries, int(f.blockOutput.cols()));
    qreal x = 0.0;
    for (BlockPart& part : parts) {
        if (!part.operatorBefore.isEmpty()) x += blockOperatorGap;
        part.area = QRectF(x, m_blockTop, width, queryRowHeight);
        x += width;
    }
    return parts;
}

void FollowQueryPicture::paintBlock(QPainter& painter) const
{
    const int length = int(m_in.followed.blockOutput.cols());
    for (const BlockPart& part : blockParts()) {
        if (!revealed(part.stage)) break;
        painter.setPen(m_palette.color(QPalette::Text));
        if (!part.operatorBefore.isEmpty()) {
            painter.setFont(pipelineFont(12, true));
            painter.drawText(QRectF(part.area.left() - blockOperatorGap, m_blockTop + titleHeight + indexHeight,
                                    blockOperatorGap, cellHeight),
                             Qt::AlignCenter, part.operatorBefore);
        }
        painter.setFont(pipelineFont(11, true));
        painter.drawText(QRectF(part.area.left(), m_blockTop, part.area.width() + blockOperatorGap, titleHeight),
                         Qt::AlignLeft | Qt::AlignVCenter, part.title);
        paintVector(painter, QPointF(part.area.left(), m_blockTop + titleHeight), part.values->data(), length,
                    m_blockEntries, true, ScaleKind::Stream);
    }
}

QString FollowQueryPicture::vectorTooltip(const QString& name, const float* values, int length) const
{
    QString text = QStringLiteral("<b>%1</b> (%2 entries)<br><span style='font-family:monospace'>").arg(name).arg(length);
    for (int d = 0; d < length; ++d) {
        if (d > 0) text += d % 12 == 0 ? QStringLiteral("<br>") : QStringLiteral(" ");
        text += QStringLiteral("%1:%2").arg(d).arg(pipelineNumber(values[d]));
    }
    return text + QStringLiteral("</span>");
}

int FollowQueryPicture::keyAt(const QPointF& point) const
{
    for (std::size_t s = 0; s < m_rowTops.size(); ++s) {
        if (point.y() >= m_rowTops[s] && point.y() < m_rowTops[s] + cellHeight && point.x() >= 0 && point.x() < m_size.width())
            return m_in.followed.shownKeys[s];
    }
    return -1;
}

QString FollowQueryPicture::tooltipAt(const QPointF& point) const
{
    const FollowedQuery& f = m_in.followed;
    const HeadCapture& h = f.capture->capture;
    if (f.hasBlock()) {
        for (const BlockPart& part : blockParts()) {
            if (part.area.contains(point) && revealed(part.stage))
                return vectorTooltip(part.title, part.values->data(), int(part.values->cols()));
        }
    }
    for (const Hot& hot : m_hot) {
        if (!hot.rect.contains(point) || !revealed(hot.stage == StageCount ? Sum : hot.stage)) continue;
        const auto j = std::size_t(std::max(hot.key, 0));
        const QString key = tr("key “%1” (#%2)").arg(m_in.keyLabels.value(hot.key)).arg(hot.key);
        switch (hot.stage) {
        case Input: return vectorTooltip(tr("x_i of “%1”").arg(m_in.queryLabel), f.x.data(), int(f.x.cols()));
        case Query: return vectorTooltip(tr("q_i = x_i·W_Q"), f.q.data(), int(f.q.cols()));
        case Keys: return vectorTooltip(tr("k_j of %1").arg(key), keyRow(Keys, hot.key), int(h.k.cols()));
        case Values: return vectorTooltip(tr("v_j of %1").arg(key), keyRow(Values, hot.key), int(h.v.cols()));
        case Sum:
            return hot.key < 0 ? vectorTooltip(tr("o_i = Σ_j a_ij·v_j"), f.output.data(), int(f.output.cols()))
                               : vectorTooltip(tr("a_ij·v_j of %1").arg(key), keyRow(Sum, hot.key), int(h.v.cols()));
        case Scores: return tr("%1<br>q_i·k_jᵀ = %2").arg(key, QString::number(double(f.scores[j]), 'g', 6));
        case Scaled:
            return tr("%1<br>q_i·k_jᵀ ÷ √d_k = %2 ÷ %3 = %4")
                .arg(key, QString::number(double(f.scores[j]), 'g', 6),
                     QString::number(std::sqrt(double(f.q.cols())), 'g', 4), QString::number(double(f.scaled[j]), 'g', 6));
        case Mask: return tr("%1<br>%2").arg(key, f.allowed[j] ? tr("allowed: + 0") : tr("blocked: + −∞, weight 0"));
        case Softmax: return tr("%1<br>a_ij = %2").arg(key, QString::number(double(f.weights[j]), 'g', 6));
        default:
            return tr("%1<br>share = ‖a_ij·v_j‖ ÷ Σ_k ‖a_ik·v_k‖ = %2").arg(key, QString::number(double(f.shares[j]), 'g', 4));
        }
    }
    return {};
}

} // namespace attnviz
