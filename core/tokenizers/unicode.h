#pragma once
// The Unicode knowledge the tokenizers need (character classes, lower-casing, accent stripping,
// the pieces of normalisation: decomposition, combining classes, composition), without ICU; UTF-8
// coding comes from util/utf8.h. Data comes from the generated unicodetables.cpp; the forms
// themselves are in unicodenormalization.h.

#include "util/utf8.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace attnviz::unicode {

// General categories collapsed to what tokenizers ask about.
enum class CharClass : unsigned char {
    Other,          // C*: controls, format, private use, surrogates, unassigned
    Letter,         // L*
    Number,         // N*
    Punctuation,    // P*
    NonspacingMark, // Mn
    OtherMark,      // Mc, Me
    Symbol,         // S*
    Separator,      // Z*
};

CharClass charClass(char32_t cp);

// The 30 general categories, in the order of tools/unicode/make_tables.py's CATEGORIES; the
// regex engine's \p{Lu}, \p{Nd}, ... (Cn: unassigned, also for values above U+10FFFF).
enum class GeneralCategory : unsigned char {
    Cn, Cc, Cf, Cs, Co, Lu, Ll, Lt, Lm, Lo, Mn, Mc, Me, Nd, Nl, No,
    Pc, Pd, Ps, Pe, Pi, Pf, Po, Sm, Sc, Sk, So, Zs, Zl, Zp,
};
constexpr int generalCategoryCount = 30;
GeneralCategory generalCategory(char32_t cp);
inline bool isLetter(char32_t cp) { return charClass(cp) == CharClass::Letter; }
inline bool isNumber(char32_t cp) { return charClass(cp) == CharClass::Number; }
inline bool isPunctuation(char32_t cp) { return charClass(cp) == CharClass::Punctuation; }
// The White_Space property (what regex \s and Rust's char::is_whitespace use).
bool isWhitespace(char32_t cp);
// The CJK ideograph blocks BERT puts spaces around.
bool isCjkIdeograph(char32_t cp);

// Full lowercase mapping (context-free) appended to `out`; İ (U+0130) lowers to two code points.
void appendLower(char32_t cp, std::u32string& out);
// NFD decomposition with nonspacing marks removed ("é" -> "e", a lone U+0301 -> nothing).
void appendStripped(char32_t cp, std::u32string& out);

// Canonical combining class (0 for starters); canonical ordering sorts runs of non-zero classes.
int combiningClass(char32_t cp);
// The full decomposition of cp appended to `out` (cp itself when it has none): canonical (NFD) or,
// with `compatibility`, compatibility (NFKD). Hangul syllables split into jamo algorithmically.
// Marks come in canonical order within one character; ordering across characters is the caller's.
void appendDecomposition(char32_t cp, bool compatibility, std::u32string& out);
// The primary composite of `first` followed by `second`, or 0 when there is none (composition
// exclusions have none; Hangul L+V and LV+T compose algorithmically).
char32_t composePair(char32_t first, char32_t second);
// Whether cp is a mark (general category M*), what StripAccents removes.
inline bool isMark(char32_t cp)
{
    const CharClass c = charClass(cp);
    return c == CharClass::NonspacingMark || c == CharClass::OtherMark;
}

} // namespace attnviz::unicode
