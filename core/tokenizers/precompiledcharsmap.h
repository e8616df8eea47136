#pragma once
// SentencePiece's precompiled normalisation rules (normalizer_spec.precompiled_charsmap of a .model
// file, the "Precompiled" normalizer of tokenizer.json): a little-endian uint32 byte size of a
// double-array trie (darts-clone units of 4 bytes), the trie, then NUL-terminated replacement
// strings. The trie maps byte strings to offsets of their replacement; normalising replaces the
// longest matching prefix at each position and copies one character where nothing matches.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace attnviz {

class PrecompiledCharsmap
{
public:
    // Throws TokenizerError for a blob that is truncated or whose parts do not fit. An empty blob
    // normalises nothing.
    explicit PrecompiledCharsmap(std::string_view blob);

    bool empty() const { return m_units.empty(); }

    // The replacement for the longest rule matching a prefix of `text`: its length in `text` (0
    // when no rule matches) and the replacement. Throws TokenizerError when a rule points outside
    // the replacement strings.
    struct Match
    {
        std::size_t length = 0;
        std::string_view replacement;
    };
    Match longestPrefix(std::string_view text) const;

private:
    std::vector<std::uint32_t> m_units;
    std::string m_strings; // replacement strings, each ends in NUL
};

} // namespace attnviz
