#pragma once
// Lends a view the export's theme (palette) and font size for as long as the scope lives, then
// gives the view its own back; a view under an export header with a title leaves out its own. Views read palette() and font() inside paint(), so this is how a
// dark-theme or large-font export reaches their pictures without a second drawing path.

#include "export/exportoptions.h"

#include <QFont>
#include <QPalette>

namespace attnviz {

class AttentionView;

class ViewStyleScope
{
public:
    ViewStyleScope(AttentionView& view, const ExportOptions& options);
    ~ViewStyleScope();
    ViewStyleScope(const ViewStyleScope&) = delete;
    ViewStyleScope& operator=(const ViewStyleScope&) = delete;

    // The palette of a theme; Base is transparent for transparent exports so views that fill
    // their background with it leave the page see-through.
    static QPalette palette(ExportTheme theme, bool transparent = false);
    // `base` at the export's font size (unchanged when the size is 0).
    static QFont font(const QFont& base, const ExportOptions& options);

private:
    AttentionView& m_view;
    QPalette m_palette;
    QFont m_font;
    bool m_hadPalette = false;
    bool m_hadFont = false;
    bool m_showedTitle = true;
};

} // namespace attnviz
