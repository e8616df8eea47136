#pragma once
// Standard base64 (RFC 4648, "+/" alphabet, "=" padding), as tokenizer.json stores the
// precompiled_charsmap blob.

#include <optional>
#include <string>
#include <string_view>

namespace attnviz {

// The decoded bytes, or nullopt when `text` is not base64 (a bad character, or a length or
// padding that does not fit). Whitespace is not allowed.
std::optional<std::string> decodeBase64(std::string_view text);

} // namespace attnviz
