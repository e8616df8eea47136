#pragma once
// The qualitative head palette: one fixed, distinguishable colour per head. Shared by the arcs
// view, the charts and the shell's head chips so a head has the same colour everywhere.

#include <QColor>

namespace attnviz {

struct ArcsPalette
{
    // Tableau 10 for the first ten heads (designed to stay distinguishable, also for most
    // colour-vision deficiencies); further heads step the hue by the golden angle.
    static QColor headColor(int head);
    static constexpr int fixedColorCount = 10;
};

} // namespace attnviz
