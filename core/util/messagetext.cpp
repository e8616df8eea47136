#include "util/messagetext.h"

namespace attnviz {

namespace {

// Length of the valid UTF-8 sequence at the start of `s`, or 0 (overlong forms, surrogates and
// code points above U+10FFFF are invalid, as in RFC 3629).
std::size_t validUtf8Length(std::string_view s)
{
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    const unsigned char lead = byte(0);
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xbf; // allowed range of the second byte
    if (lead >= 0xc2 && lead <= 0xdf) {
        n = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        n = 3;
        lo = lead == 0xe0 ? 0xa0 : 0x80;
        hi = lead == 0xed ? 0x9f : 0xbf;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        n = 4;
        lo = lead == 0xf0 ? 0x90 : 0x80;
        hi = lead == 0xf4 ? 0x8f : 0xbf;
    } else {
        return 0;
    }
    if (s.size() < n || byte(1) < lo || byte(1) > hi)
        return 0;
    for (std::size_t i = 2; i < n; ++i) {
        if (byte(i) < 0x80 || byte(i) > 0xbf)
            return 0;
    }
    // U+0080..U+009F (C1 controls, e.g. CSI 0x9b) act on some terminals: escape them too.
    if (n == 2 && lead == 0xc2 && byte(1) <= 0x9f)
        return 0;
    return n;
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
        const std::size_t n = c < 0x80 ? 1 : validUtf8Length(text.substr(i));
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
