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
// The token's label as the views print it; the index itself when out of range.
QString pipelineTokenLabel(const AttentionResult& result, int index, bool source);

} // namespace attnviz
