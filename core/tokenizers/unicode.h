#pragma once
// The Unicode knowledge the tokenizers need (character classes, lower-casing, accent stripping,
// UTF-8 coding), without ICU. Data comes from the generated unicodetables.cpp.

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

// One code point decoded from UTF-8. Invalid or truncated input decodes to U+FFFD of length 1,
// so every byte belongs to exactly one decoded character.
struct Decoded
{
    char32_t cp;
    int length;
};
Decoded decodeUtf8(std::string_view text, std::size_t pos);
void appendUtf8(char32_t cp, std::string& out);
std::string toUtf8(std::u32string_view text);

// Length of the valid UTF-8 character starting at `pos`, or 0 when the bytes there are not one.
int validUtf8Length(std::string_view bytes, std::size_t pos);
// Text with valid characters kept and every byte outside a valid character written as "\xNN".
std::string escapeInvalidUtf8(std::string_view bytes);

} // namespace attnviz::unicode
