#include "widgets/tokenlabel.h"

namespace attnviz {

QString TokenLabel::text(const std::string& display, int maxLength)
{
    const QString raw = QString::fromUtf8(display.data(), static_cast<qsizetype>(display.size()));
    const QString trimmed = raw.trimmed();
    const QString& source = trimmed.isEmpty() ? raw : trimmed;
    if (source.isEmpty())
        return QStringLiteral("∅");
    QString out;
    out.reserve(source.size());
    for (const QChar c : source) {
        const char16_t u = c.unicode();
        if (u == u'\n') {
            out += QChar(0x21B5); // ↵
        } else if (u == u'\t') {
            out += QChar(0x21E5); // ⇥
        } else if (u == u' ') {
            out += trimmed.isEmpty() ? QChar(0x2423) : QChar(u' '); // ␣ when the token is only spaces
        } else if (u < 0x20) {
            out += QChar(0x2400 + u); // control picture
        } else if (u == 0x7f) {
            out += QChar(0x2421);
        } else if (c.category() == QChar::Other_Format && u != 0x200D) {
            out += QChar(0x2423); // bidi marks and other invisible format characters
        } else {
            out += c;
        }
    }
    if (maxLength > 1 && out.size() > maxLength) {
        qsizetype cut = maxLength - 1;
        if (out.at(cut - 1).isHighSurrogate())
            --cut; // never split an emoji
        out = out.left(cut) + QChar(0x2026);
    }
    return out;
}

} // namespace attnviz
