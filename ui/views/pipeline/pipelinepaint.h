#pragma once
// Small drawing helpers both pipeline pictures share: their fonts, how they print a number, the
// arrow between stages and a token's label.

#include "engine/attentionresult.h"

#include <QFont>
#include <QPointF>
#include <QString>

class QColor;
class QPainter;

namespace attnviz {

QFont pipelineFont(int pixels, bool bold = false);
// Two decimals below 10, one below 100, none above: fits a cell.
QString pipelineNumber(float value);
// A line from `from` to `to` (horizontal) ending in a filled head.
void paintArrow(QPainter& painter, const QPointF& from, const QPointF& to, const QColor& colour);
// Whether the captured head is cross-attention: its keys and values come from the source sentence.
bool pipelineAttendsToSource(const AttentionResult& result);
// The token's label as the views print it, from the captured stack's queries or keys; the index
// itself when out of range.
enum class PipelineTokens { Queries, Keys };
QString pipelineTokenLabel(const AttentionResult& result, int index, PipelineTokens side);

} // namespace attnviz
