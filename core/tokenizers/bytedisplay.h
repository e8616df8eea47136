#pragma once
// Display strings for tokens that carry raw bytes (byte-level BPE, SentencePiece byte fallback),
// where one character may be split across tokens. Never produces invalid UTF-8.

#include <string>
#include <vector>

namespace attnviz {

// One display string per token. A character whose bytes span several tokens is shown on the
// token where it starts; a token left with nothing to show (only the tail bytes of such a
// character) shows its bytes as "\xNN". Bytes that never form a valid character show as "\xNN".
std::vector<std::string> displayStringsForBytes(const std::vector<std::string>& tokenBytes);

} // namespace attnviz
