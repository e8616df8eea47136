#include "views/heatmap/heatmapdata.h"

#include "state/selectionstate.h"
#include "state/stacktokens.h"
#include "state/subwordmerge.h"
#include "stats/derive.h"
#include "views/heldheads.h"
#include "widgets/tokenlabel.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>

namespace attnviz {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("HeatmapData", text);
}

QStringList labels(const std::vector<std::string>& displays)
{
    QStringList out;
    for (const auto& d : displays)
        out << TokenLabel::text(d);
    return out;
}

bool captureCovers(const AttentionResult& r, int stack, Index t, Index s)
{
    return r.pipeline && r.pipeline->stack == stack && r.pipeline->capture.mask.rows() == t &&
           r.pipeline->capture.mask.cols() == s;
}

// The sentence (token segment) of each displayed row or column: that of its first token.
std::vector<int> displayedSegments(const std::vector<int>& groups, const std::vector<Token>& tokens, int count)
{
    std::vector<int> segments(static_cast<std::size_t>(count), -1);
    for (std::size_t t = 0; t < groups.size() && t < tokens.size(); ++t) {
        int& s = segments[static_cast<std::size_t>(groups[t])];
        if (s < 0)
            s = tokens[t].segment;
    }
    return segments;
}

int firstOfSegment(const std::vector<int>& segments, int segment)
{
    const auto it = std::find(segments.begin(), segments.end(), segment);
    return it == segments.end() ? -1 : static_cast<int>(it - segments.begin());
}

std::vector<int> indicesOfSegment(const std::vector<int>& segments, int segment)
{
    std::vector<int> out;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        if (segments[i] == segment)
            out.push_back(static_cast<int>(i));
    }
    return out;
}

template <typename M> M pick(const M& m, const std::vector<int>& rows, const std::vector<int>& cols)
{
    M out(static_cast<Index>(rows.size()), static_cast<Index>(cols.size()));
    for (std::size_t i = 0; i < rows.size(); ++i) {
        for (std::size_t j = 0; j < cols.size(); ++j)
            out(Index(i), Index(j)) = m(rows[i], cols[j]);
    }
    return out;
}

QStringList pick(const QStringList& labels, const std::vector<int>& kept)
{
    QStringList out;
    for (int k : kept)
        out << labels.value(k);
    return out;
}

// Token -> displayed index after only `kept` stay (-1 for the others).
void renumber(std::vector<int>& groups, const std::vector<int>& kept)
{
    for (int& g : groups) {
        const auto it = std::find(kept.begin(), kept.end(), g);
        g = it == kept.end() ? -1 : static_cast<int>(it - kept.begin());
    }
}

// Marks where sentence B starts, or keeps only the A → B or B → A block of a sentence pair.
void applySentencePair(HeatmapData& d, const std::vector<Token>& rowTokens, const std::vector<Token>& colTokens,
                       SentenceBlock block)
{
    const std::vector<int> rowSegments = displayedSegments(d.rowGroups, rowTokens, d.rows());
    const std::vector<int> colSegments = displayedSegments(d.colGroups, colTokens, d.cols());
    if (firstOfSegment(rowSegments, 1) < 0 || firstOfSegment(rowSegments, 0) < 0)
        return; // one sentence
    if (block == SentenceBlock::All) {
        d.rowBoundary = firstOfSegment(rowSegments, 1);
        d.colBoundary = firstOfSegment(colSegments, 1);
        return;
    }
    const int querySentence = block == SentenceBlock::AToB ? 0 : 1;
    const std::vector<int> rows = indicesOfSegment(rowSegments, querySentence);
    const std::vector<int> cols = indicesOfSegment(colSegments, 1 - querySentence);
    d.block = block;
    d.values = pick(d.values, rows, cols);
    if (d.mask.size() != 0)
        d.mask = pick(d.mask, rows, cols);
    d.rowLabels = pick(d.rowLabels, rows);
    d.colLabels = pick(d.colLabels, cols);
    renumber(d.rowGroups, rows);
    renumber(d.colGroups, cols);
}

} // namespace

MaskMatrix effectiveMask(const AttentionResult& result, const SelectionState& selection, int stack)
{
    const AttentionTensor& a = result.stacks[static_cast<std::size_t>(stack)].attention;
    if (captureCovers(result, stack, a.queries, a.keys))
        return result.pipeline->capture.mask;
    const std::string& name = result.stacks[static_cast<std::size_t>(stack)].name;
    switch (selection.maskMode()) {
    case MaskOverride::Causal:
        return buildMask(MaskSpec::causal(), a.queries, a.keys);
    case MaskOverride::Custom:
        if (result.customMaskStack == stack && result.customMask.rows() == a.queries &&
            result.customMask.cols() == a.keys) {
            return result.customMask; // what the run applied
        }
        if (selection.customMask().rows() == a.queries && selection.customMask().cols() == a.keys) {
            return selection.customMask();
        }
        return {};
    case MaskOverride::ModelDefault:
        if (name == "decoder" || (result.model.causal && name != "encoder" && name != "cross")) {
            return buildMask(MaskSpec::causal(), a.queries, a.keys);
        }
        return {};
    case MaskOverride::None:
    case MaskOverride::Padding:
        return {};
    }
    return {};
}

int HeatmapData::tokenForRow(int row) const
{
    const auto it = std::find(rowGroups.begin(), rowGroups.end(), row);
    return it == rowGroups.end() ? -1 : static_cast<int>(it - rowGroups.begin());
}

int HeatmapData::rowForToken(int token) const
{
    return token >= 0 && token < static_cast<int>(rowGroups.size()) ? rowGroups[static_cast<std::size_t>(token)] : -1;
}

const HeadCapture* HeatmapData::capture() const
{
    if (!result || !result->pipeline || merged || meanOfHeads || block != SentenceBlock::All)
        return nullptr; // rows and columns are not the capture's
    const HeadCapture& c = result->pipeline->capture;
    return c.weights.rows() == values.rows() && c.weights.cols() == values.cols() ? &c : nullptr;
}

QString HeatmapData::valueCaption() const
{
    if (showsScores)
        return tr("score");
    if (difference)
        return tr("A − B");
    if (measure == Measure::Flow)
        return tr("flow");
    return measure == Measure::Raw ? tr("weight") : tr("share");
}

double HeatmapData::normalized(float value) const
{
    if (maxValue <= minValue)
        return 0.0;
    return std::clamp((static_cast<double>(value) - minValue) / (maxValue - minValue), 0.0, 1.0);
}

HeatmapData HeatmapData::build(std::shared_ptr<const AttentionResult> result, const SelectionState& selection)
{
    HeatmapData d;
    d.result = std::move(result);
    if (!d.result || d.result->stacks.empty()) {
        d.emptyMessage = tr("Type a sentence to see where each token looks.");
        return d;
    }
    const AttentionResult& r = *d.result;
    const int stack = std::clamp(selection.stack(), 0, static_cast<int>(r.stacks.size()) - 1);
    const AttentionStack& st = r.stacks[static_cast<std::size_t>(stack)];
    const AttentionTensor& a = st.attention;
    if (a.queries == 0 || a.keys == 0 || a.layers == 0 || a.heads == 0) {
        d.emptyMessage = tr("No tokens: type a sentence to see attention.");
        return d;
    }
    const int layer = std::clamp(selection.layer(), 0, a.layers - 1);
    const int head = std::clamp(selection.head(), 0, a.heads - 1);
    d.cross = st.keysFromSource != st.queriesFromSource;
    const std::vector<Token>& rowTokens = StackTokens::queries(r, stack);
    const std::vector<Token>& colTokens = StackTokens::keys(r, stack);

    Matrix weights;
    const bool flow = selection.measure() == Measure::Flow && a.queries == a.keys && !d.cross;
    d.rollout = !flow && selection.rollout() && a.queries == a.keys && !d.cross;
    d.meanOfHeads = selection.meanOfHeads() || d.rollout;
    if (flow) {
        const std::vector<bool> chosen = selection.enabledHeadFlags();
        if (!r.flow || !r.flow->covers(stack, chosen, layer)) {
            const auto said = std::find_if(r.notices.begin(), r.notices.end(),
                                           [](const std::string& n) { return n.rfind("attention flow", 0) == 0; });
            d.emptyMessage = said != r.notices.end() ? QString::fromStdString(*said) + QLatin1Char('.')
                             : rolloutDefined(st, chosen) ? tr("Computing the attention flow…")
                                                          : tr("The attention flow needs every switched-on head in "
                                                               "every layer up to this one.");
            return d;
        }
        weights = r.flow->flow;
        d.wholeLayer = true;
        d.meanOfHeads = true;
    } else if (d.rollout) {
        std::vector<bool> chosen(static_cast<std::size_t>(a.heads));
        for (int h : selection.enabledHeads())
            if (h >= 0 && h < a.heads)
                chosen[static_cast<std::size_t>(h)] = true;
        if (std::none_of(chosen.begin(), chosen.end(), [](bool c) { return c; })) {
            d.emptyMessage = tr("Every head is switched off: turn a head chip back on to see the rollout.");
            return d;
        }
        if (!rolloutDefined(st, chosen)) {
            d.emptyMessage = (r.model.recorded ? tr("The rollout needs every chosen head in every layer, and this "
                                                    "attention file holds only %1 of the %2 maps: choose heads it "
                                                    "holds in every layer.")
                                               : tr("The rollout needs every chosen head in every layer, and with "
                                                    "this many tokens the attention budget keeps %1 of the %2 maps "
                                                    "(View → Attention Memory Budget)."))
                                 .arg(a.heldHeads())
                                 .arg(a.layers * a.heads);
            return d;
        }
        // Computed with the run (stats/derive.h), off the UI thread; a newer run is on its way.
        if (!r.rollout || !r.rollout->covers(stack, chosen) ||
            layer >= static_cast<int>(r.rollout->layers.size())) {
            d.emptyMessage = tr("Computing the attention rollout…");
            return d;
        }
        weights = r.rollout->layers[static_cast<std::size_t>(layer)];
    } else if (st.layerMeasure.holds(layer, 0) &&
               (!measureIsPerHead(st.measure) ||
                (d.meanOfHeads && st.measure != Measure::Raw && selection.enabledHeads().size() == a.heads))) {
        // The layer's own measure: ALTI exists per layer only; value weighting with every head on
        // is the norm of the heads' summed writes, not a mean.
        weights = Eigen::Map<const Matrix>(st.layerMeasure.head(layer, 0), a.queries, a.keys);
        d.wholeLayer = true;
    } else if (d.meanOfHeads) {
        QList<int> heads = selection.enabledHeads();
        heads.erase(std::remove_if(heads.begin(), heads.end(), [&](int h) { return h >= a.heads; }), heads.end());
        if (heads.isEmpty()) {
            d.emptyMessage = tr("Every head is switched off: turn a head chip back on to see the mean.");
            return d;
        }
        heads.erase(std::remove_if(heads.begin(), heads.end(), [&](int h) { return !a.holds(layer, h); }), heads.end());
        if (heads.isEmpty()) {
            d.emptyMessage = notHeldMessage(a, layer, -1, r.model.recorded);
            return d;
        }
        weights = Matrix::Zero(a.queries, a.keys);
        for (int h : heads)
            weights += Eigen::Map<const Matrix>(a.head(layer, h), a.queries, a.keys);
        weights /= static_cast<float>(heads.size());
    } else if (!a.holds(layer, head)) {
        d.emptyMessage = notHeldMessage(a, layer, head, r.model.recorded);
        return d;
    } else {
        weights = Eigen::Map<const Matrix>(a.head(layer, head), a.queries, a.keys);
    }
    d.mask = effectiveMask(r, selection, stack);
    d.measure = flow ? Measure::Flow : d.wholeLayer || d.rollout ? st.measure : headMapMeasure(st.measure);

    // Raw scores only for the focused head, unmerged, when the capture has them.
    const bool wantScores =
        selection.colorMap() == ColorMapKind::Diverging && !d.meanOfHeads && !selection.mergeSubwords() && r.pipeline &&
        r.pipeline->stack == stack && r.pipeline->layer == layer && r.pipeline->head == head &&
        r.pipeline->capture.scaled.rows() == a.queries && r.pipeline->capture.scaled.cols() == a.keys;
    if (wantScores) {
        weights = r.pipeline->capture.scaled;
        d.showsScores = true;
    }

    const bool tokensMatch =
        static_cast<int>(rowTokens.size()) == a.queries && static_cast<int>(colTokens.size()) == a.keys;
    d.merged = selection.mergeSubwords() && tokensMatch && !d.showsScores;
    if (d.merged) {
        d.rowGroups = SubwordMerge::wordGroups(rowTokens);
        d.colGroups = SubwordMerge::wordGroups(colTokens);
        d.values = SubwordMerge::merge(weights, d.rowGroups, d.colGroups);
        if (d.mask.size() != 0)
            d.mask = SubwordMerge::mergeMask(d.mask, d.rowGroups, d.colGroups);
        d.rowLabels = labels(SubwordMerge::wordDisplays(rowTokens, d.rowGroups));
        d.colLabels = labels(SubwordMerge::wordDisplays(colTokens, d.colGroups));
    } else {
        d.rowGroups = SubwordMerge::identity(a.queries);
        d.colGroups = SubwordMerge::identity(a.keys);
        d.values = std::move(weights);
        for (int i = 0; i < a.queries; ++i) {
            d.rowLabels << (i < static_cast<int>(rowTokens.size())
                                ? TokenLabel::text(rowTokens[static_cast<std::size_t>(i)])
                                : QString::number(i));
        }
        for (int j = 0; j < a.keys; ++j) {
            d.colLabels << (j < static_cast<int>(colTokens.size())
                                ? TokenLabel::text(colTokens[static_cast<std::size_t>(j)])
                                : QString::number(j));
        }
    }

    if (!d.cross && tokensMatch)
        applySentencePair(d, rowTokens, colTokens, selection.sentenceBlock());

    if (d.showsScores) {
        // Symmetric around 0 over the allowed cells, so white means "no preference".
        float m = 0.0f;
        for (Index i = 0; i < d.values.rows(); ++i) {
            for (Index j = 0; j < d.values.cols(); ++j) {
                if (d.mask.size() == 0 || d.mask(i, j) != 0)
                    m = std::max(m, std::abs(d.values(i, j)));
            }
        }
        d.minValue = -std::max(m, 1e-6f);
        d.maxValue = std::max(m, 1e-6f);
    }

    const QString what = flow ? QCoreApplication::translate("HeatmapData", "%n switched-on head(s)", nullptr,
                                                            static_cast<int>(selection.enabledHeads().size()))
                         : d.wholeLayer ? tr("all heads together")
                         : d.meanOfHeads ? QCoreApplication::translate("HeatmapData", "mean of %n head(s)", nullptr,
                                                                     static_cast<int>(selection.enabledHeads().size()))
                                       : tr("head %1").arg(head);
    if (flow)
        d.title = tr("Attention flow · inputs → after layer %1 · %2").arg(layer).arg(what);
    else if (d.rollout && st.measure == Measure::Alti)
        d.title = tr("ALTI rollout · layers 0–%1").arg(layer);
    else if (d.rollout)
        d.title = tr("Attention rollout · layers 0–%1 · %2").arg(layer).arg(what);
    else
        d.title = tr("Layer %1 · %2").arg(layer).arg(what);
    if (r.stacks.size() > 1)
        d.title += QStringLiteral(" · ") + QString::fromStdString(st.name);
    if (d.showsScores)
        d.title += tr(" · scaled scores before softmax");
    else if (d.measure != Measure::Raw && d.measure != Measure::Flow &&
             (d.wholeLayer || d.rollout || measureIsPerHead(d.measure)))
        d.title += tr(" · %1").arg(QString::fromUtf8(measureName(d.measure)));
    if (d.merged)
        d.title += tr(" · sub-words merged into words");
    if (d.block != SentenceBlock::All)
        d.title += d.block == SentenceBlock::AToB ? tr(" · sentence A → B") : tr(" · sentence B → A");
    return d;
}

} // namespace attnviz
