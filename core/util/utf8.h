#pragma once
// UTF-8 coding (RFC 3629), shared by the tokenizers and by the messages that quote file content.
// In namespace unicode with the rest of the Unicode helpers (tokenizers/unicode.h).

#include <cstddef>
#include <string>
#include <string_view>

namespace attnviz::unicode {

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
