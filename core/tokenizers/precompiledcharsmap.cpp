#include "tokenizers/precompiledcharsmap.h"

#include "tokenizers/tokenizer.h"

namespace attnviz {

namespace {

// darts-clone unit layout: bits 0-7 label (bit 31 set on value units), bit 8 "has a leaf",
// bit 9 offset scale (x256), bits 10-31 offset; a value unit holds the value in bits 0-30.
std::uint32_t label(std::uint32_t unit)
{
    return unit & (0x80000000u | 0xFFu);
}
bool hasLeaf(std::uint32_t unit)
{
    return ((unit >> 8) & 1u) != 0;
}
std::uint32_t value(std::uint32_t unit)
{
    return unit & 0x7FFFFFFFu;
}
std::uint32_t offset(std::uint32_t unit)
{
    return (unit >> 10) << ((unit & (1u << 9)) >> 6);
}

} // namespace

PrecompiledCharsmap::PrecompiledCharsmap(std::string_view blob)
{
    if (blob.empty())
        return;
    if (blob.size() < 4)
        throw TokenizerError("precompiled_charsmap is shorter than its 4-byte header");
    const auto byte = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(blob[i])); };
    const std::uint32_t trieBytes = byte(0) | byte(1) << 8 | byte(2) << 16 | byte(3) << 24;
    if (trieBytes % 4 != 0 || trieBytes == 0 || trieBytes > blob.size() - 4)
        throw TokenizerError("precompiled_charsmap: trie size " + std::to_string(trieBytes) + " does not fit the " +
                             std::to_string(blob.size()) + "-byte blob");
    m_units.resize(trieBytes / 4);
    for (std::size_t i = 0; i < m_units.size(); ++i) {
        const std::size_t at = 4 + 4 * i;
        m_units[i] = byte(at) | byte(at + 1) << 8 | byte(at + 2) << 16 | byte(at + 3) << 24;
    }
    m_strings.assign(blob.substr(4 + trieBytes));
    // Every offset inside m_strings then names a terminated string.
    if (m_strings.empty() || m_strings.back() != '\0')
        m_strings.push_back('\0');
}

PrecompiledCharsmap::Match PrecompiledCharsmap::longestPrefix(std::string_view text) const
{
    Match best;
    if (m_units.empty())
        return best;
    std::size_t pos = offset(m_units[0]);
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == 0)
            break;
        pos ^= c;
        if (pos >= m_units.size() || label(m_units[pos]) != c)
            break;
        const std::uint32_t unit = m_units[pos];
        pos ^= offset(unit);
        if (!hasLeaf(unit))
            continue;
        if (pos >= m_units.size())
            break;
        const std::uint32_t at = value(m_units[pos]);
        if (at >= m_strings.size())
            throw TokenizerError("precompiled_charsmap: a rule points outside its replacement strings");
        best.length = i + 1;
        best.replacement = std::string_view(m_strings.data() + at);
    }
    return best;
}

} // namespace attnviz
