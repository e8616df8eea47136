#include "tokenizers/bytedisplay.h"

#include "tokenizers/unicode.h"

#include <cstdio>

namespace attnviz {

namespace {

void appendByteEscape(std::string& out, unsigned char byte)
{
    switch (byte) {
    case '\n':
        out += "\\n";
        return;
    case '\t':
        out += "\\t";
        return;
    case '\r':
        out += "\\r";
        return;
    default:
        break;
    }
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\x%02X", byte);
    out += buf;
}

} // namespace

std::string displayForBytes(std::string_view bytes)
{
    std::string out;
    std::size_t pos = 0;
    while (pos < bytes.size()) {
        const auto byte = static_cast<unsigned char>(bytes[pos]);
        const int len = unicode::validUtf8Length(bytes, pos);
        if (len == 1 && (byte < 0x20 || byte == 0x7F)) {
            appendByteEscape(out, byte);
            ++pos;
        } else if (len > 0) {
            out.append(bytes.substr(pos, static_cast<std::size_t>(len)));
            pos += static_cast<std::size_t>(len);
        } else {
            appendByteEscape(out, byte);
            ++pos;
        }
    }
    return out;
}

} // namespace attnviz
