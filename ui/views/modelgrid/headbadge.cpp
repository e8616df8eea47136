#include "views/modelgrid/headbadge.h"

#include "views/numberformat.h"

#include <cmath>

namespace attnviz {

QString headBadge(const HeadSummary& s)
{
    if (!std::isnan(s.previousToken) && s.previousToken >= 0.5f && !(s.firstToken > s.previousToken))
        return QStringLiteral("prev %1").arg(double(s.previousToken), 0, 'f', 2);
    if (!std::isnan(s.firstToken) && s.firstToken >= 0.5f)
        return QStringLiteral("sink %1").arg(double(s.firstToken), 0, 'f', 2); // mass on the first token: an attention sink
    if (!std::isnan(s.entropy))
        return QStringLiteral("entropy %1").arg(double(s.entropy), 0, 'f', 2); // not "H": it reads as a head
    return {};
}

QString attributionBadge(float logitPart)
{
    const QString number = formatNumber(std::abs(logitPart), 2);
    if (number == formatNumber(0.0f, 2))
        return number; // no sign on a part that rounds to nothing
    return (logitPart > 0 ? QStringLiteral("+") : QStringLiteral("\u2212")) + number;
}

QColor attributionBadgeColor(float logitPart, const QColor& neutral)
{
    if (std::isnan(logitPart) || attributionBadge(logitPart).front().isDigit())
        return neutral; // unsigned like its text: a part that rounds to nothing
    return logitPart > 0 ? QColor(0xd6, 0x27, 0x28) : QColor(0x1f, 0x77, 0xb4);
}

} // namespace attnviz
