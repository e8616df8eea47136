#include "views/pipeline/pipelinepaint.h"

#include "views/numberformat.h"

#include <QColor>
#include <QPainter>
#include <QPainterPath>

#include <cmath>

namespace attnviz {

QFont pipelineFont(int pixels, bool bold)
{
    QFont font;
    font.setPixelSize(pixels);
    font.setBold(bold);
    return font;
}

QString pipelineNumber(float value)
{
    const float a = std::abs(value);
    return formatNumber(double(value), a < 10.0f ? 2 : (a < 100.0f ? 1 : 0));
}

void paintArrow(QPainter& painter, const QPointF& from, const QPointF& to, const QColor& colour)
{
    painter.save();
    painter.setPen(QPen(colour, 1.5));
    painter.drawLine(from, to);
    QPainterPath head;
    head.moveTo(to.x() + 6, to.y());
    head.lineTo(to.x() - 2, to.y() - 4.5);
    head.lineTo(to.x() - 2, to.y() + 4.5);
    head.closeSubpath();
    painter.fillPath(head, colour);
    painter.restore();
}

namespace {

const AttentionStack* capturedStack(const AttentionResult& result)
{
    const int stack = result.pipeline ? result.pipeline->stack : 0;
    return stack >= 0 && stack < int(result.stacks.size()) ? &result.stacks[std::size_t(stack)] : nullptr;
}

} // namespace

bool pipelineAttendsToSource(const AttentionResult& result)
{
    const AttentionStack* stack = capturedStack(result);
    return stack && stack->keysFromSource && !stack->queriesFromSource; // an encoder's keys are its own queries
}

QString pipelineTokenLabel(const AttentionResult& result, int index, PipelineTokens side)
{
    const AttentionStack* stack = capturedStack(result);
    const auto& tokens = !stack                           ? result.tokens
                         : side == PipelineTokens::Queries ? queryTokensOf(result, *stack)
                                                           : keyTokensOf(result, *stack);
    if (index < 0 || index >= int(tokens.size())) return QString::number(index);
    return QString::fromStdString(tokens[static_cast<std::size_t>(index)].display).trimmed();
}

} // namespace attnviz
