#include "views/modelgrid/headbadge.h"

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

} // namespace attnviz
