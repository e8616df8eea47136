#include "views/arcs/arcspalette.h"

#include <array>
#include <cmath>

namespace attnviz {

QColor ArcsPalette::headColor(int head)
{
    static constexpr std::array<QRgb, fixedColorCount> tableau = {
        0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f, 0xedc948, 0xb07aa1, 0xff9da7, 0x9c755f, 0xbab0ac};
    if (head < 0) return QColor(0x80, 0x80, 0x80);
    if (head < fixedColorCount) return QColor::fromRgb(tableau[static_cast<std::size_t>(head)]);
    // Golden-angle hue steps never repeat and keep neighbouring heads far apart on the wheel.
    const double hue = std::fmod(0.07 + (head - fixedColorCount) * 0.381966, 1.0);
    const double value = (head % 2 == 0) ? 0.78 : 0.62;
    return QColor::fromHsvF(static_cast<float>(hue), 0.62f, static_cast<float>(value));
}

} // namespace attnviz
