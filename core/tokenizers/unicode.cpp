#include "tokenizers/unicode.h"

#include "tokenizers/unicodetables.h"

#include <algorithm>
#include <cstdio>
#include <utility>

namespace attnviz::unicode {

using namespace tables;

namespace {

// The value of the last run starting at or before cp, in a table of runs packed as
// (first code point << bits) | value.
std::uint32_t runValue(const std::uint32_t* runs, std::size_t count, char32_t cp, unsigned bits)
{
    const std::uint32_t mask = (1u << bits) - 1;
    const std::uint32_t key = (static_cast<std::uint32_t>(cp) << bits) | mask;
    return *(std::upper_bound(runs, runs + count, key) - 1) & mask;
}

} // namespace

CharClass charClass(char32_t cp)
{
    return cp > 0x10FFFF ? CharClass::Other : static_cast<CharClass>(runValue(classRuns, classRunCount, cp, 3));
}

GeneralCategory generalCategory(char32_t cp)
{
    return cp > 0x10FFFF ? GeneralCategory::Cn
                         : static_cast<GeneralCategory>(runValue(categoryRuns, categoryRunCount, cp, 5));
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

// Hangul syllables are LV or LVT blocks of jamo, laid out by arithmetic (UAX #15, 3.12 of the
// standard): S = SBase + (L * VCount + V) * TCount + T.
constexpr char32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr char32_t kLCount = 19, kVCount = 21, kTCount = 28, kSCount = kLCount * kVCount * kTCount;

bool appendHangul(char32_t cp, std::u32string& out)
{
    if (cp < kSBase || cp >= kSBase + kSCount)
        return false;
    const char32_t s = cp - kSBase;
    out.push_back(kLBase + s / (kVCount * kTCount));
    out.push_back(kVBase + (s % (kVCount * kTCount)) / kTCount);
    if (s % kTCount != 0)
        out.push_back(kTBase + s % kTCount);
    return true;
}

char32_t composeHangul(char32_t first, char32_t second)
{
    if (first >= kLBase && first < kLBase + kLCount && second >= kVBase && second < kVBase + kVCount)
        return kSBase + ((first - kLBase) * kVCount + (second - kVBase)) * kTCount;
    if (first >= kSBase && first < kSBase + kSCount && (first - kSBase) % kTCount == 0 && second > kTBase &&
        second < kTBase + kTCount)
        return first + (second - kTBase);
    return 0;
}

// The table entry for cp, if any.
const Decomposition* findDecomposition(const Decomposition* table, std::size_t count, char32_t cp)
{
    const Decomposition* end = table + count;
    const Decomposition* it =
        std::lower_bound(table, end, cp, [](const Decomposition& d, char32_t c) { return d.cp < c; });
    return it != end && it->cp == cp ? it : nullptr;
}

} // namespace

int combiningClass(char32_t cp)
{
    if (cp < 0x300 || cp > 0x10FFFF) // nothing below the combining diacritics block is a non-starter
        return 0;
    const std::uint32_t key = (static_cast<std::uint32_t>(cp) << 8) | 0xFFu;
    const std::uint32_t* end = combiningClassRuns + combiningClassRunCount;
    const std::uint32_t* it = std::upper_bound(combiningClassRuns, end, key);
    return static_cast<int>(*(it - 1) & 0xFFu);
}

void appendDecomposition(char32_t cp, bool compatibility, std::u32string& out)
{
    if (cp < 0xA0) { // nothing below U+00A0 decomposes
        out.push_back(cp);
        return;
    }
    if (appendHangul(cp, out))
        return;
    const Decomposition* d =
        compatibility ? findDecomposition(compatDecompositions, compatDecompositionCount, cp) : nullptr;
    if (!d)
        d = findDecomposition(canonicalDecompositions, canonicalDecompositionCount, cp);
    if (d)
        out.append(decompositionPool + d->offset, d->length);
    else
        out.push_back(cp);
}

char32_t composePair(char32_t first, char32_t second)
{
    if (const char32_t hangul = composeHangul(first, second))
        return hangul;
    const Composition* end = compositions + compositionCount;
    const Composition* it = std::lower_bound(compositions, end, std::pair(first, second),
                                             [](const Composition& c, const std::pair<char32_t, char32_t>& key) {
                                                 return std::pair(c.first, c.second) < key;
                                             });
    return it != end && it->first == first && it->second == second ? it->composite : 0;
}

void appendStripped(char32_t cp, std::u32string& out)
{
    if (cp < 0xC0) { // nothing below À decomposes or is a mark
        out.push_back(cp);
        return;
    }
    const std::size_t begin = out.size();
    appendDecomposition(cp, false, out);
    out.erase(std::remove_if(out.begin() + static_cast<std::ptrdiff_t>(begin), out.end(),
                             [](char32_t c) { return charClass(c) == CharClass::NonspacingMark; }),
              out.end());
}

} // namespace attnviz::unicode
