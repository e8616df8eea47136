#include "views/colormap.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <span>

namespace attnviz {

namespace {

// Ten evenly spaced samples (t = 0, 1/9, ..., 1) of matplotlib's maps as published by
// matplotlib/Plotly; linear interpolation between them stays within a few units of the 256-entry tables.
constexpr std::array<QRgb, 10> kViridis = {0x440154, 0x482878, 0x3e4989, 0x31688e, 0x26828e,
                                           0x1f9e89, 0x35b779, 0x6ece58, 0xb5de2b, 0xfde725};
constexpr std::array<QRgb, 10> kMagma = {0x000004, 0x180f3d, 0x440f76, 0x721f81, 0x9e2f7f,
                                         0xcd4071, 0xf1605d, 0xfd9668, 0xfeca8d, 0xfcfdbf};
constexpr std::array<QRgb, 10> kCividis = {0x00224e, 0x123570, 0x3b496c, 0x575d6d, 0x707173,
                                           0x8a8678, 0xa59c74, 0xc3b369, 0xe1cc55, 0xfee838};
// Moreland's cool-warm diverging map (2009) at t = 0, 0.25, 0.5, 0.75, 1.
constexpr std::array<QRgb, 5> kCoolWarm = {0x3b4cc0, 0x8db0fe, 0xdddddd, 0xf49a7b, 0xb40426};

std::span<const QRgb> stops(ColorMapKind kind)
{
    switch (kind) {
    case ColorMapKind::Viridis:
        return kViridis;
    case ColorMapKind::Magma:
        return kMagma;
    case ColorMapKind::Cividis:
        return kCividis;
    case ColorMapKind::Diverging:
        return kCoolWarm;
    }
    return kViridis;
}

int lerp(int a, int b, double f)
{
    return static_cast<int>(std::lround(a + (b - a) * f));
}

} // namespace

QRgb ColorMap::rgb(double t) const
{
    const auto s = stops(kind);
    if (std::isnan(t))
        t = 0.0;
    t = std::clamp(t, 0.0, 1.0);
    const double pos = t * static_cast<double>(s.size() - 1);
    const auto i = std::min(static_cast<std::size_t>(pos), s.size() - 2);
    const double f = pos - static_cast<double>(i);
    const QRgb a = s[i];
    const QRgb b = s[i + 1];
    return qRgb(lerp(qRed(a), qRed(b), f), lerp(qGreen(a), qGreen(b), f), lerp(qBlue(a), qBlue(b), f));
}

double ColorMap::valueOf(QRgb c, int tolerance) const
{
    // A dense search is plenty: the maps are monotone in lightness, so the nearest sample is unique.
    constexpr int samples = 1024;
    double best = -1.0;
    int bestDistance = tolerance * tolerance * 3 + 1;
    for (int i = 0; i <= samples; ++i) {
        const double t = static_cast<double>(i) / samples;
        const QRgb m = rgb(t);
        const int dr = qRed(m) - qRed(c), dg = qGreen(m) - qGreen(c), db = qBlue(m) - qBlue(c);
        const int d = dr * dr + dg * dg + db * db;
        if (d < bestDistance) {
            bestDistance = d;
            best = t;
        }
    }
    return best;
}

QColor ColorMap::textColorOn(QRgb background)
{
    // Relative luminance (sRGB weights) decides; 0.45 keeps mid-greens of viridis on black text.
    const double l = (0.2126 * qRed(background) + 0.7152 * qGreen(background) + 0.0722 * qBlue(background)) / 255.0;
    return l > 0.45 ? QColor(Qt::black) : QColor(Qt::white);
}

QString ColorMap::name(ColorMapKind kind)
{
    switch (kind) {
    case ColorMapKind::Viridis:
        return QStringLiteral("viridis");
    case ColorMapKind::Magma:
        return QStringLiteral("magma");
    case ColorMapKind::Cividis:
        return QStringLiteral("cividis");
    case ColorMapKind::Diverging:
        return QStringLiteral("diverging");
    }
    return QStringLiteral("viridis");
}

QString ColorMap::displayName(ColorMapKind kind)
{
    switch (kind) {
    case ColorMapKind::Viridis:
        return QObject::tr("Viridis");
    case ColorMapKind::Magma:
        return QObject::tr("Magma");
    case ColorMapKind::Cividis:
        return QObject::tr("Cividis (colour-blind safe)");
    case ColorMapKind::Diverging:
        return QObject::tr("Cool–warm (diverging)");
    }
    return {};
}

ColorMapKind ColorMap::fromName(const QString& name, ColorMapKind fallback)
{
    for (ColorMapKind k : all()) {
        if (ColorMap::name(k) == name)
            return k;
    }
    return fallback;
}

QList<ColorMapKind> ColorMap::all()
{
    return {ColorMapKind::Viridis, ColorMapKind::Magma, ColorMapKind::Cividis, ColorMapKind::Diverging};
}

} // namespace attnviz
