#pragma once
// "Save Image…" of the analysis windows: asks for a PNG, SVG or PDF file (in the export folder
// the app remembers) and writes the view there as it looks.

#include <QString>

class QWidget;

namespace attnviz {

class AttentionView;

// Returns the file written, or an empty string when the user cancelled or writing failed (then
// a message said why).
QString saveViewImage(AttentionView& view, QWidget* parent, const QString& caption, const QString& fileName);

} // namespace attnviz
