#include "export/exportoptions.h"

#include "engine/attentionresult.h"
#include "state/selectionstate.h"

#include <QFileInfo>
#include <QObject>

#include <algorithm>
#include <cmath>

namespace attnviz {

double ExportOptions::pixelRatio() const
{
    if (format != ExportFormat::Png)
        return 1.0;
    const double ratio = dpi > 0 ? dpi / 96.0 : scale;
    return std::clamp(ratio, 0.25, 8.0);
}

QSize ExportOptions::pixelSize(const QSizeF& logical) const
{
    // As ViewExporter::renderImage: whole logical pixels, then the ratio. Clamped so a wild size
    // cannot overflow int; anything that large is refused anyway.
    const double ratio = pixelRatio();
    const auto side = [ratio](double v) { return int(std::min(std::round(std::round(v) * ratio), 1e9)); };
    return {side(logical.width()), side(logical.height())};
}

QString ExportOptions::pixelLimitError(const QSizeF& logical) const
{
    const QSize pixels = pixelSize(logical);
    const qint64 count = qint64(pixels.width()) * pixels.height();
    if (format != ExportFormat::Png || count <= maxPixels)
        return {};
    return QObject::tr("A %1 x %2 pixel image (%3 megapixels) is too large: at most %4 megapixels, "
                       "e.g. 16384 x 16384; use a smaller size, scale or DPI")
        .arg(pixels.width())
        .arg(pixels.height())
        .arg(count / 1000000)
        .arg(maxPixels / 1000000);
}

QString ExportOptions::suffix(ExportFormat format)
{
    switch (format) {
    case ExportFormat::Png:
        return QStringLiteral("png");
    case ExportFormat::Svg:
        return QStringLiteral("svg");
    case ExportFormat::Pdf:
        return QStringLiteral("pdf");
    }
    return {};
}

std::optional<ExportFormat> ExportOptions::formatFromName(const QString& nameOrSuffix)
{
    const QString n = nameOrSuffix.toLower();
    if (n == QLatin1String("png"))
        return ExportFormat::Png;
    if (n == QLatin1String("svg"))
        return ExportFormat::Svg;
    if (n == QLatin1String("pdf"))
        return ExportFormat::Pdf;
    return std::nullopt;
}

std::optional<ExportFormat> ExportOptions::formatForPath(const QString& path)
{
    return formatFromName(QFileInfo(path).suffix());
}

std::optional<ExportTheme> ExportOptions::themeFromName(const QString& name)
{
    if (name.compare(QLatin1String("light"), Qt::CaseInsensitive) == 0)
        return ExportTheme::Light;
    if (name.compare(QLatin1String("dark"), Qt::CaseInsensitive) == 0)
        return ExportTheme::Dark;
    return std::nullopt;
}

QString ExportOptions::themeName(ExportTheme theme)
{
    return theme == ExportTheme::Dark ? QStringLiteral("dark") : QStringLiteral("light");
}

namespace {
QString maskName(const AttentionResult& result, const SelectionState& selection)
{
    switch (selection.maskMode()) {
    case MaskOverride::None:
        return QObject::tr("no mask");
    case MaskOverride::Causal:
        return QObject::tr("causal mask");
    case MaskOverride::Padding:
        return QObject::tr("padding mask");
    case MaskOverride::Custom:
        return QObject::tr("custom mask");
    case MaskOverride::ModelDefault:
        break;
    }
    if (result.pipeline && result.pipeline->capture.mask.size() != 0) {
        const MaskMatrix& m = result.pipeline->capture.mask;
        if (m.minCoeff() != 0)
            return QObject::tr("no mask");
        bool causal = true;
        for (Index i = 0; i < m.rows(); ++i) {
            for (Index j = 0; j < m.cols(); ++j)
                causal = causal && (m(i, j) != 0) == (j <= i);
        }
        return causal ? QObject::tr("causal mask") : QObject::tr("masked");
    }
    return result.model.causal ? QObject::tr("causal mask") : QObject::tr("no mask");
}
} // namespace

QString ExportOptions::defaultTitle(const AttentionResult& result, const SelectionState& selection,
                                    const QString& viewName)
{
    QStringList parts;
    parts << QString::fromStdString(result.model.name.empty() ? result.model.family : result.model.name);
    if (result.stacks.size() > 1) {
        const auto s = static_cast<std::size_t>(std::clamp(selection.stack(), 0, int(result.stacks.size()) - 1));
        parts << QString::fromStdString(result.stacks[s].name);
    }
    // Counted from 0, as the views' own titles and attnviz-cli's --layer/--head count them.
    if (selection.rollout() && viewName == QLatin1String("heatmap")) {
        parts << QObject::tr("attention rollout through layer %1").arg(selection.layer());
    } else {
        parts << QObject::tr("layer %1").arg(selection.layer());
        // The arcs draw every switched-on head in its colour where the heatmap averages them.
        const QString many =
            viewName == QLatin1String("arcs") ? QObject::tr("switched-on heads") : QObject::tr("mean of heads");
        parts << (selection.meanOfHeads() ? many : QObject::tr("head %1").arg(selection.head()));
    }
    parts << maskName(result, selection);
    const auto shown = static_cast<std::size_t>(std::clamp(selection.stack(), 0, std::max(0, int(result.stacks.size()) - 1)));
    // The heatmap shows a per-layer measure (ALTI); the other views the heads' maps, and say so.
    const Measure measure = shown >= result.stacks.size() ? Measure::Raw : result.stacks[shown].measure;
    const QString caption = viewName == QLatin1String("heatmap") ? QString::fromUtf8(measureName(measure))
                                                                  : QString::fromStdString(headMapsCaption(measure));
    if (measure != Measure::Raw && !caption.isEmpty())
        parts << caption;
    // The heatmap's block of a sentence pair (its own title says so, but exports leave that out).
    const bool pair = std::any_of(result.tokens.begin(), result.tokens.end(), [](const Token& t) { return t.segment == 1; });
    if (pair && viewName == QLatin1String("heatmap") && selection.sentenceBlock() != SentenceBlock::All)
        parts << (selection.sentenceBlock() == SentenceBlock::AToB ? QObject::tr("sentence A → B")
                                                                    : QObject::tr("sentence B → A"));
    return parts.join(QStringLiteral(" · "));
}

QString ExportOptions::defaultSentence(const AttentionResult& result)
{
    // Byte-level and SentencePiece displays carry their own spaces; word-level tokens (lessons,
    // WordPiece) do not, so they are joined with one.
    bool ownSpaces = false;
    for (const Token& t : result.tokens)
        ownSpaces = ownSpaces || (!t.display.empty() && t.display.front() == ' ');
    // A sentence pair's two sentences are kept apart by " / ".
    QString text;
    int segment = -1;
    for (const Token& t : result.tokens) {
        if (t.special)
            continue;
        QString piece = QString::fromStdString(t.display);
        if (segment >= 0 && t.segment != segment) {
            text = text.trimmed() + QStringLiteral(" / ");
            piece = piece.trimmed();
        } else if (!ownSpaces && !text.isEmpty() && !piece.startsWith(QLatin1String("##"))) {
            text += QLatin1Char(' ');
        }
        segment = t.segment;
        text += ownSpaces ? piece : piece.remove(QLatin1String("##"));
    }
    return text.trimmed();
}

} // namespace attnviz
