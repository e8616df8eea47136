#pragma once
// Strings read from files (a model_type, a dtype, a tensor name, a JSON key, a tokenizer piece)
// end up in error messages on a terminal and in the one-line status bar. Quoting them raw lets
// an ESC sequence drive the terminal and a newline break the line, so they go through here.

#include <cstddef>
#include <string>
#include <string_view>

namespace attnviz {

// `text` as it may appear inside a message: printable ASCII and valid UTF-8 kept; newline, CR, tab,
// quote and backslash as C escapes (\n ...); other control characters, DEL, C1 controls and invalid
// UTF-8 bytes as \xNN. At most `maxBytes` input bytes are shown (cut at a character boundary);
// longer input ends in "…".
std::string escapedForMessage(std::string_view text, std::size_t maxBytes = 200);

// The same between double quotes: "gpt2", "\x1b[31m", "abc…".
std::string quotedForMessage(std::string_view text, std::size_t maxBytes = 80);

} // namespace attnviz
