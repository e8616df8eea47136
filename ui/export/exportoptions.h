#pragma once
// What an export should look like: file format, resolution, background, the header band (title and
// sentence), legend, theme and font size. One plain struct shared by the GUI dialog, the batch
// exporter and attnviz-cli, so every path produces the same picture for the same options.

#include <QSizeF>
#include <QString>

#include <optional>

namespace attnviz {

class SelectionState;
struct AttentionResult;

enum class ExportFormat { Png, Svg, Pdf };
enum class ExportTheme { Light, Dark };

struct ExportOptions
{
    ExportFormat format = ExportFormat::Png;
    double scale = 2.0;       // PNG: device pixels per logical pixel (1–4)
    int dpi = 0;              // PNG: when > 0, overrides scale (dpi / 96) and is stored in the file
    bool transparent = false; // no background fill (PNG alpha; SVG/PDF without a background rectangle)
    QString title;            // first header line; empty = none
    QString sentence;         // second header line; empty = none
    bool legend = true;       // colour bar under the picture (views that draw their own skip it)
    ExportTheme theme = ExportTheme::Light;
    double fontSize = 10.0; // points; 0 keeps the view's own font
    QSizeF size;            // whole picture in logical pixels; empty = the view's preferred size + bands
    bool overwrite = false; // replace an existing file (otherwise writing it is refused)

    // Device pixels per logical pixel for PNG output.
    double pixelRatio() const;

    // The largest PNG any export path draws: 16384 x 16384 pixels (1 GiB as 32-bit pixels).
    static constexpr qint64 maxPixels = qint64(16384) * 16384;
    // Device pixels of a picture of `logical` size in this format (logical size for SVG/PDF).
    QSize pixelSize(const QSizeF& logical) const;
    // Empty when a picture of `logical` size fits maxPixels (always for SVG/PDF), else a one-line
    // message. The CLI, the export dialog, batches and the clipboard all go through this rule.
    QString pixelLimitError(const QSizeF& logical) const;

    static QString suffix(ExportFormat format); // "png", "svg", "pdf"
    static std::optional<ExportFormat> formatFromName(const QString& nameOrSuffix);
    // The format a path asks for by its suffix, if any.
    static std::optional<ExportFormat> formatForPath(const QString& path);
    static std::optional<ExportTheme> themeFromName(const QString& name);
    static QString themeName(ExportTheme theme);

    // "model · layer 0 · head 2 · causal mask" for the current selection (counted from 0, as the views do).
    // `viewName` ("heatmap", ...): the heatmap's title says when it shows the attention rollout.
    static QString defaultTitle(const AttentionResult& result, const SelectionState& selection,
                                const QString& viewName = QString());
    // The input as people typed it, rebuilt from the tokens (specials left out).
    static QString defaultSentence(const AttentionResult& result);
};

} // namespace attnviz
