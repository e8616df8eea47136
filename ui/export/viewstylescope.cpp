#include "export/viewstylescope.h"

#include "views/attentionview.h"

namespace attnviz {

ViewStyleScope::ViewStyleScope(AttentionView& view, const ExportOptions& options)
    : m_view(view), m_palette(view.palette()), m_font(view.font()), m_hadPalette(view.testAttribute(Qt::WA_SetPalette)),
      m_hadFont(view.testAttribute(Qt::WA_SetFont)), m_showedTitle(view.showsTitle())
{
    m_view.setPalette(palette(options.theme, options.transparent));
    m_view.setFont(font(m_font, options));
    m_view.setShowsTitle(options.title.isEmpty());
}

ViewStyleScope::~ViewStyleScope()
{
    // An inherited palette/font goes back to being inherited, so later theme switches still reach it.
    m_view.setPalette(m_hadPalette ? m_palette : QPalette());
    m_view.setFont(m_hadFont ? m_font : QFont());
    if (!m_hadPalette)
        m_view.setAttribute(Qt::WA_SetPalette, false);
    if (!m_hadFont)
        m_view.setAttribute(Qt::WA_SetFont, false);
    m_view.setShowsTitle(m_showedTitle);
}

QPalette ViewStyleScope::palette(ExportTheme theme, bool transparent)
{
    QPalette p;
    const bool dark = theme == ExportTheme::Dark;
    const QColor base = dark ? QColor(0x1e, 0x1f, 0x22) : QColor(Qt::white);
    const QColor window = dark ? QColor(0x2b, 0x2d, 0x31) : QColor(0xf2, 0xf2, 0xf2);
    const QColor text = dark ? QColor(0xe8, 0xe8, 0xea) : QColor(0x14, 0x14, 0x14);
    const QColor dim = dark ? QColor(0x9a, 0x9c, 0xa3) : QColor(0x6b, 0x6b, 0x6b);
    const QColor mid = dark ? QColor(0x5c, 0x5f, 0x66) : QColor(0xa0, 0xa0, 0xa0);
    const QColor highlight = dark ? QColor(0x4e, 0x9c, 0xff) : QColor(0x1f, 0x6f, 0xd1);
    for (const auto group : {QPalette::Active, QPalette::Inactive, QPalette::Disabled}) {
        p.setColor(group, QPalette::Base, transparent ? QColor(Qt::transparent) : base);
        p.setColor(group, QPalette::AlternateBase, window);
        p.setColor(group, QPalette::Window, window);
        p.setColor(group, QPalette::Button, window);
        p.setColor(group, QPalette::Text, text);
        p.setColor(group, QPalette::WindowText, text);
        p.setColor(group, QPalette::ButtonText, text);
        p.setColor(group, QPalette::BrightText, dark ? QColor(Qt::white) : QColor(Qt::black));
        p.setColor(group, QPalette::PlaceholderText, dim);
        p.setColor(group, QPalette::Mid, mid);
        // Grid lines (Qt Charts): a quiet step from the dark background, not the default light grey.
        if (dark)
            p.setColor(group, QPalette::Midlight, QColor(0x3a, 0x3c, 0x42));
        p.setColor(group, QPalette::Dark, mid.darker(130));
        p.setColor(group, QPalette::Light, window.lighter(120));
        p.setColor(group, QPalette::Highlight, highlight);
        p.setColor(group, QPalette::HighlightedText, Qt::white);
        p.setColor(group, QPalette::ToolTipBase, window);
        p.setColor(group, QPalette::ToolTipText, text);
    }
    return p;
}

QFont ViewStyleScope::font(const QFont& base, const ExportOptions& options)
{
    QFont f = base;
    if (options.fontSize > 0)
        f.setPointSizeF(options.fontSize);
    return f;
}

} // namespace attnviz
