#pragma once
// What a rendered picture holds, for tests that must fail on a blank, uniform or unchanged image.

#include <QHash>
#include <QImage>

namespace attnviz::testdata {

struct ImageContent
{
    int colours = 0;      // distinct colours (counting stops at 4096)
    double drawn = 0.0;   // share of pixels that differ from the most common (background) colour
};

inline ImageContent imageContent(const QImage& picture)
{
    const QImage image = picture.convertToFormat(QImage::Format_ARGB32);
    QHash<QRgb, qint64> counts;
    for (int y = 0; y < image.height(); ++y) {
        const auto* row = reinterpret_cast<const QRgb*>(image.constScanLine(y));
        for (int x = 0; x < image.width(); ++x) {
            if (counts.size() < 4096 || counts.contains(row[x]))
                ++counts[row[x]];
        }
    }
    qint64 background = 0;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        background = std::max(background, it.value());
    const double pixels = double(image.width()) * image.height();
    return {int(counts.size()), pixels > 0 ? 1.0 - double(background) / pixels : 0.0};
}

} // namespace attnviz::testdata
