#include "state/selectionstate.h"

#include <algorithm>

namespace attnviz {

namespace {

int clampIndex(int value, int count)
{
    return count <= 0 ? 0 : std::clamp(value, 0, count - 1);
}

} // namespace

SelectionState::SelectionState(QObject* parent) : QObject(parent) {}

void SelectionState::setShape(int stacks, int layers, int heads, int queries, int keys)
{
    m_stacks = std::max(0, stacks);
    m_layers = std::max(0, layers);
    const bool headsChanged = m_heads != std::max(0, heads);
    m_heads = std::max(0, heads);
    m_queries = std::max(0, queries);
    m_keys = keys < 0 ? m_queries : keys;
    // Re-apply the current choices so they are clamped and the signals fire only on real changes.
    setStack(m_stack);
    setLayer(m_layer);
    setHead(m_head);
    if (m_query >= m_queries)
        setQueryToken(m_queries - 1);
    if (m_hovered >= m_queries)
        setHoveredToken(-1);
    if (headsChanged)
        emit enabledHeadsChanged();
}

QList<int> SelectionState::enabledHeads() const
{
    QList<int> heads;
    for (int h = 0; h < m_heads; ++h) {
        if (isHeadEnabled(h))
            heads.append(h);
    }
    return heads;
}

std::vector<bool> SelectionState::enabledHeadFlags() const
{
    std::vector<bool> flags(static_cast<std::size_t>(std::max(0, m_heads)));
    for (int h = 0; h < m_heads; ++h)
        flags[static_cast<std::size_t>(h)] = isHeadEnabled(h);
    return flags;
}

std::set<std::pair<int, int>> SelectionState::ablatedHeads() const
{
    std::set<std::pair<int, int>> heads;
    for (const auto& lh : m_ablated)
        heads.insert({lh.first, lh.second});
    return heads;
}

void SelectionState::setStack(int stack)
{
    stack = clampIndex(stack, m_stacks);
    if (stack == m_stack)
        return;
    m_stack = stack;
    emit stackChanged(stack);
}

void SelectionState::setLayer(int layer)
{
    layer = clampIndex(layer, m_layers);
    if (layer == m_layer)
        return;
    m_layer = layer;
    emit layerChanged(layer);
}

void SelectionState::setHead(int head)
{
    head = clampIndex(head, m_heads);
    if (head == m_head)
        return;
    m_head = head;
    emit headChanged(head);
}

void SelectionState::setQueryToken(int token)
{
    token = token < 0 || m_queries <= 0 ? -1 : std::min(token, m_queries - 1);
    if (token == m_query)
        return;
    m_query = token;
    emit queryTokenChanged(token);
}

void SelectionState::setHoveredToken(int token)
{
    token = token < 0 || token >= std::max(m_queries, m_keys) ? -1 : token;
    if (token == m_hovered)
        return;
    m_hovered = token;
    emit hoveredTokenChanged(token);
}

void SelectionState::setHeadEnabled(int head, bool enabled)
{
    if (isHeadEnabled(head) == enabled)
        return;
    if (enabled) {
        m_disabledHeads.remove(head);
    } else {
        m_disabledHeads.insert(head);
    }
    emit enabledHeadsChanged();
}

void SelectionState::setMeanOfHeads(bool on)
{
    if (on == m_meanOfHeads)
        return;
    m_meanOfHeads = on;
    emit displayOptionsChanged();
}

void SelectionState::setMeasure(Measure measure)
{
    if (measure == m_measure)
        return;
    m_measure = measure;
    emit computeInputsChanged();
}

void SelectionState::setRollout(bool on)
{
    if (on == m_rollout)
        return;
    m_rollout = on;
    emit displayOptionsChanged();
}

void SelectionState::setMergeSubwords(bool on)
{
    if (on == m_mergeSubwords)
        return;
    m_mergeSubwords = on;
    emit displayOptionsChanged();
}

void SelectionState::setSentenceBlock(SentenceBlock block)
{
    if (block == m_sentenceBlock)
        return;
    m_sentenceBlock = block;
    emit displayOptionsChanged();
}

void SelectionState::setColorMap(ColorMapKind map)
{
    if (map == m_colorMap)
        return;
    m_colorMap = map;
    emit displayOptionsChanged();
}

void SelectionState::setGridBadges(GridBadges badges)
{
    if (badges == m_gridBadges)
        return;
    m_gridBadges = badges;
    emit displayOptionsChanged();
}

void SelectionState::setArcsTopK(int k)
{
    k = std::max(0, k);
    if (k == m_arcsTopK)
        return;
    m_arcsTopK = k;
    emit displayOptionsChanged();
}

void SelectionState::setMaskMode(MaskOverride mode)
{
    if (mode == m_mask)
        return;
    m_mask = mode;
    emit computeInputsChanged();
}

void SelectionState::setCustomMask(const MaskMatrix& mask)
{
    if (mask.rows() == m_customMask.rows() && mask.cols() == m_customMask.cols() && mask == m_customMask)
        return;
    m_customMask = mask;
    m_customMaskRowIds.clear();
    m_customMaskColIds.clear();
    m_customMaskStack = -1;
    if (m_mask == MaskOverride::Custom)
        emit computeInputsChanged();
}

void SelectionState::adoptCustomMask(const MaskMatrix& mask, std::vector<int> rowIds, std::vector<int> colIds, int stack)
{
    m_customMask = mask;
    m_customMaskRowIds = std::move(rowIds);
    m_customMaskColIds = std::move(colIds);
    m_customMaskStack = stack;
}

void SelectionState::toggleCustomMaskCell(int query, int key)
{
    if (query < 0 || key < 0)
        return;
    // A mask of the wrong shape (a click before the first custom run is back) restarts from
    // "everything allowed", made for the tokens on screen.
    if (m_customMask.rows() != m_queries || m_customMask.cols() != m_keys) {
        m_customMask = MaskMatrix::Ones(m_queries, m_keys);
        m_customMaskRowIds.clear();
        m_customMaskColIds.clear();
        m_customMaskStack = -1;
    }
    if (query >= m_customMask.rows() || key >= m_customMask.cols())
        return;
    m_customMask(query, key) = m_customMask(query, key) != 0 ? 0 : 1;
    if (m_mask == MaskOverride::Custom)
        emit computeInputsChanged();
}

void SelectionState::setScaling(bool on)
{
    if (on == m_scaling && m_scalingOverridden)
        return;
    m_scaling = on;
    m_scalingOverridden = true;
    emit computeInputsChanged();
}

void SelectionState::setModelScaling(bool on)
{
    if (m_scalingOverridden || on == m_scaling)
        return;
    m_scaling = on;
    emit displayOptionsChanged();
}

void SelectionState::resetOverrides()
{
    m_scalingOverridden = false;
    m_customMask = MaskMatrix();
    m_customMaskRowIds.clear();
    m_customMaskColIds.clear();
    m_customMaskStack = -1;
    m_ablated.clear();
    m_disabledHeads.clear();
    emit enabledHeadsChanged();
}

void SelectionState::setHeadAblated(int layer, int head, bool ablated)
{
    if (isHeadAblated(layer, head) == ablated)
        return;
    if (ablated) {
        m_ablated.insert(qMakePair(layer, head));
    } else {
        m_ablated.remove(qMakePair(layer, head));
    }
    emit computeInputsChanged();
}

void SelectionState::setAblatedHeads(const std::set<std::pair<int, int>>& heads)
{
    if (heads == ablatedHeads())
        return;
    m_ablated.clear();
    for (const auto& lh : heads)
        m_ablated.insert(qMakePair(lh.first, lh.second));
    emit computeInputsChanged();
}

} // namespace attnviz
