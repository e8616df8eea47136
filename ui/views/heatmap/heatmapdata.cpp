#include "views/heatmap/heatmapdata.h"

#include "state/selectionstate.h"
#include "state/stacktokens.h"
#include "state/subwordmerge.h"
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
    if (!result || !result->pipeline || merged || meanOfHeads)
        return nullptr;
    const HeadCapture& c = result->pipeline->capture;
    return c.weights.rows() == values.rows() && c.weights.cols() == values.cols() ? &c : nullptr;
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
    d.rollout = selection.rollout() && a.queries == a.keys && !d.cross;
    d.meanOfHeads = selection.meanOfHeads() || d.rollout;
    if (d.rollout) {
        std::vector<bool> chosen(static_cast<std::size_t>(a.heads));
        for (int h : selection.enabledHeads())
            if (h >= 0 && h < a.heads)
                chosen[static_cast<std::size_t>(h)] = true;
        if (std::none_of(chosen.begin(), chosen.end(), [](bool c) { return c; })) {
            d.emptyMessage = tr("Every head is switched off: turn a head chip back on to see the rollout.");
            return d;
        }
        // Computed with the run (stats/derive.h), off the UI thread; a newer run is on its way.
        if (!r.rollout || !r.rollout->covers(stack, chosen) ||
            layer >= static_cast<int>(r.rollout->layers.size())) {
            d.emptyMessage = tr("Computing the attention rollout…");
            return d;
        }
        weights = r.rollout->layers[static_cast<std::size_t>(layer)];
    } else if (d.meanOfHeads) {
        QList<int> heads = selection.enabledHeads();
        heads.erase(std::remove_if(heads.begin(), heads.end(), [&](int h) { return h >= a.heads; }), heads.end());
        if (heads.isEmpty()) {
            d.emptyMessage = tr("Every head is switched off: turn a head chip back on to see the mean.");
            return d;
        }
        weights = Matrix::Zero(a.queries, a.keys);
        for (int h : heads)
            weights += Eigen::Map<const Matrix>(a.head(layer, h), a.queries, a.keys);
        weights /= static_cast<float>(heads.size());
    } else {
        weights = Eigen::Map<const Matrix>(a.head(layer, head), a.queries, a.keys);
    }
    d.mask = effectiveMask(r, selection, stack);

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

    const QString what = d.meanOfHeads ? QCoreApplication::translate("HeatmapData", "mean of %n head(s)", nullptr,
                                                                     static_cast<int>(selection.enabledHeads().size()))
                                       : tr("head %1").arg(head);
    d.title = d.rollout ? tr("Attention rollout · layers 0–%1 · %2").arg(layer).arg(what)
                        : tr("Layer %1 · %2").arg(layer).arg(what);
    if (r.stacks.size() > 1)
        d.title += QStringLiteral(" · ") + QString::fromStdString(st.name);
    if (d.showsScores)
        d.title += tr(" · scaled scores before softmax");
    if (d.merged)
        d.title += tr(" · sub-words merged into words");
    return d;
}

} // namespace attnviz
