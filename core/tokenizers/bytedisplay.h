#pragma once
// Display strings for tokens that carry raw bytes (byte-level BPE, SentencePiece byte fallback),
// where one character may be split across tokens. Never produces invalid UTF-8.

#include <string>
#include <string_view>

namespace attnviz {

// What people read for one token's bytes, from those bytes alone, so one id always gets one label
// wherever it stands: whole characters as themselves; bytes that are only part of a character (its
// other bytes sit in a neighbouring token) or never form one as "\xNN"; control characters, which
// fonts draw as boxes or line breaks, as "\n", "\t", "\r" or "\xNN".
std::string displayForBytes(std::string_view bytes);

} // namespace attnviz
