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

namespace {

// Hangul syllables decompose algorithmically into jamo (the same under NFD and NFKD).
bool appendHangul(char32_t cp, std::u32string& out)
{
    if (cp < 0xAC00 || cp > 0xD7A3)
        return false;
    const char32_t s = cp - 0xAC00;
    out.push_back(0x1100 + s / (21 * 28));
    out.push_back(0x1161 + (s % (21 * 28)) / 28);
    if (s % 28 != 0)
        out.push_back(0x11A7 + s % 28);
    return true;
}

// The pool entry of the range holding cp, if any.
bool appendFromRanges(const StripRange* ranges, std::size_t count, const char32_t* pool, char32_t cp,
                      std::u32string& out)
{
    const StripRange* end = ranges + count;
    const StripRange* it = std::upper_bound(ranges, end, cp, [](char32_t c, const StripRange& r) { return c < r.first; });
    if (it == ranges || cp > (it - 1)->last)
        return false;
    out.append(pool + (it - 1)->offset, (it - 1)->length);
    return true;
}

} // namespace

void appendStripped(char32_t cp, std::u32string& out)
{
    if (cp < 0xC0) { // nothing below À decomposes or is a mark
        out.push_back(cp);
        return;
    }
    if (appendHangul(cp, out) || appendFromRanges(stripRanges, stripRangeCount, stripPool, cp, out))
        return;
    if (charClass(cp) != CharClass::NonspacingMark)
        out.push_back(cp);
}

void appendCompatStripped(char32_t cp, std::u32string& out)
{
    if (cp < 0xA0) { // nothing below U+00A0 decomposes or is a mark
        out.push_back(cp);
        return;
    }
    if (appendHangul(cp, out) || appendFromRanges(compatStripRanges, compatStripRangeCount, compatStripPool, cp, out))
        return;
    if (!isMark(cp))
        out.push_back(cp);
}

} // namespace attnviz::unicode
