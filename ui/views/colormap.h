#pragma once
// Perceptually uniform colour maps (matplotlib's viridis, magma and cividis) and a diverging
// cool-warm map for signed values such as raw scores. Plain maths, unit tested directly.

#include <QColor>
#include <QList>
#include <QObject>
#include <QString>

namespace attnviz {

enum class ColorMapKind { Viridis, Magma, Cividis, Diverging };

struct ColorMap
{
    ColorMapKind kind = ColorMapKind::Viridis;

    // Colour for t in [0, 1] (clamped; NaN maps to 0), linearly interpolated between the
    // published control points.
    QRgb rgb(double t) const;
    QColor color(double t) const { return QColor::fromRgb(rgb(t)); }
    // The t whose colour is nearest to `c` (for image checks and picking); -1 if none is close.
    double valueOf(QRgb c, int tolerance = 12) const;
    // Black or white, whichever reads better on `background`.
    static QColor textColorOn(QRgb background);

    static QString name(ColorMapKind kind); // "viridis", ...
    static QString displayName(ColorMapKind kind);
    static ColorMapKind fromName(const QString& name, ColorMapKind fallback = ColorMapKind::Viridis);
    static QList<ColorMapKind> all();
};

} // namespace attnviz
