#pragma once
// SentencePiece's word-boundary mark "▁" (U+2581), which the Metaspace pre-tokenizer puts in place
// of spaces; shared by the SentencePiece BPE and Unigram tokenizers and their readers.

#include <string>
#include <string_view>

namespace attnviz {

inline constexpr std::string_view kMetaspace = "\xE2\x96\x81"; // ▁ U+2581

// A piece as text: every ▁ back to a space.
inline std::string metaspaceToSpaces(std::string_view piece)
{
    std::string out;
    for (std::size_t pos = 0; pos < piece.size();) {
        if (piece.compare(pos, kMetaspace.size(), kMetaspace) == 0) {
            out += ' ';
            pos += kMetaspace.size();
        } else {
            out += piece[pos++];
        }
    }
    return out;
}

} // namespace attnviz
