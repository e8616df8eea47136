#include "tokenizers/unicode.h"

#include "tokenizers/unicodetables.h"

#include <algorithm>
#include <cstdio>

namespace attnviz::unicode {

using namespace tables;

CharClass charClass(char32_t cp)
{
    if (cp > 0x10FFFF)
        return CharClass::Other;
    // Last run starting at or before cp.
    const std::uint32_t key = (static_cast<std::uint32_t>(cp) << 3) | 7u;
    const std::uint32_t* end = classRuns + classRunCount;
    const std::uint32_t* it = std::upper_bound(classRuns, end, key);
    return static_cast<CharClass>(*(it - 1) & 7u);
}

bool isWhitespace(char32_t cp)
{
    switch (cp) {
    case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D: case 0x20: case 0x85: case 0xA0:
    case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
        return true;
    default:
        return cp >= 0x2000 && cp <= 0x200A;
    }
}

bool isCjkIdeograph(char32_t cp)
{
    // The blocks of BERT's _is_chinese_char (CJK Unified Ideographs and extensions, compatibility).
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
        || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF)
        || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
}

void appendLower(char32_t cp, std::u32string& out)
{
    if (cp < 0x80) {
        out.push_back(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
        return;
    }
    if (cp == 0x130) { // İ: the only unconditional one-to-many lowercase mapping
        out.push_back(U'i');
        out.push_back(0x307);
        return;
    }
    const LowerRange* end = lowerRanges + lowerRangeCount;
    const LowerRange* it = std::upper_bound(lowerRanges, end, cp,
                                            [](char32_t c, const LowerRange& r) { return c < r.first; });
    if (it != lowerRanges) {
        const LowerRange& r = *(it - 1);
        if (cp <= r.last && (cp - r.first) % static_cast<char32_t>(r.stride) == 0) {
            out.push_back(static_cast<char32_t>(static_cast<std::int64_t>(cp) + r.delta));
            return;
        }
    }
    out.push_back(cp);
}

void appendStripped(char32_t cp, std::u32string& out)
{
    if (cp < 0xC0) { // nothing below À decomposes or is a mark
        out.push_back(cp);
        return;
    }
    if (cp >= 0xAC00 && cp <= 0xD7A3) { // Hangul syllables decompose algorithmically into jamo
        const char32_t s = cp - 0xAC00;
        out.push_back(0x1100 + s / (21 * 28));
        out.push_back(0x1161 + (s % (21 * 28)) / 28);
        if (s % 28 != 0)
            out.push_back(0x11A7 + s % 28);
        return;
    }
    const StripRange* end = stripRanges + stripRangeCount;
    const StripRange* it = std::upper_bound(stripRanges, end, cp,
                                            [](char32_t c, const StripRange& r) { return c < r.first; });
    if (it != stripRanges && cp <= (it - 1)->last) {
        const StripRange& r = *(it - 1);
        out.append(stripPool + r.offset, r.length);
        return;
    }
    if (charClass(cp) != CharClass::NonspacingMark)
        out.push_back(cp);
}

int validUtf8Length(std::string_view bytes, std::size_t pos)
{
    const auto b = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
    const unsigned char c = b(pos);
    int len = 0;
    char32_t min = 0;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    if (pos + len > bytes.size())
        return 0;
    char32_t cp = c & (0x7F >> len);
    for (int i = 1; i < len; ++i) {
        const unsigned char cc = b(pos + i);
        if ((cc & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

Decoded decodeUtf8(std::string_view text, std::size_t pos)
{
    const int len = validUtf8Length(text, pos);
    if (len == 0)
        return {0xFFFD, 1};
    const auto c = static_cast<unsigned char>(text[pos]);
    char32_t cp = len == 1 ? c : (c & (0x7F >> len));
    for (int i = 1; i < len; ++i)
        cp = (cp << 6) | (static_cast<unsigned char>(text[pos + i]) & 0x3F);
    return {cp, len};
}

void appendUtf8(char32_t cp, std::string& out)
{
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

std::string toUtf8(std::u32string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (char32_t cp : text)
        appendUtf8(cp, out);
    return out;
}

std::string escapeInvalidUtf8(std::string_view bytes)
{
    std::string out;
    std::size_t pos = 0;
    while (pos < bytes.size()) {
        const int len = validUtf8Length(bytes, pos);
        if (len > 0) {
            out.append(bytes.substr(pos, len));
            pos += len;
        } else {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned char>(bytes[pos]));
            out += buf;
            ++pos;
        }
    }
    return out;
}

} // namespace attnviz::unicode
