#include "util/messagetext.h"

#include "util/utf8.h"

namespace attnviz {

namespace {

// Length of the valid UTF-8 character at `pos`, or 0. U+0080..U+009F (C1 controls, e.g. CSI
// 0x9b) act on some terminals, so they count as invalid here and are escaped too.
std::size_t printableUtf8Length(std::string_view s, std::size_t pos)
{
    const int n = unicode::validUtf8Length(s, pos);
    const bool c1Control = n == 2 && static_cast<unsigned char>(s[pos]) == 0xc2
                           && static_cast<unsigned char>(s[pos + 1]) <= 0x9f;
    return c1Control ? 0 : static_cast<std::size_t>(n);
}

void appendHex(std::string& out, unsigned char c)
{
    static constexpr char digits[] = "0123456789abcdef";
    out += "\\x";
    out += digits[c >> 4];
    out += digits[c & 0xf];
}

} // namespace

std::string escapedForMessage(std::string_view text, std::size_t maxBytes)
{
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        const std::size_t n = c < 0x80 ? 1 : printableUtf8Length(text, i);
        if (i + (n == 0 ? 1 : n) > maxBytes)
            break;
        if (c >= 0x80 && n > 0) {
            out.append(text.substr(i, n));
            i += n;
            continue;
        }
        switch (c) {
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        default:
            if (c < 0x20 || c >= 0x7f) {
                appendHex(out, c);
            } else {
                out += static_cast<char>(c);
            }
        }
        ++i;
    }
    if (i < text.size())
        out += "…";
    return out;
}

std::string quotedForMessage(std::string_view text, std::size_t maxBytes)
{
    return '"' + escapedForMessage(text, maxBytes) + '"';
}

} // namespace attnviz
