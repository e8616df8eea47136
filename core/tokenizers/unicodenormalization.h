#pragma once
// The four Unicode normalisation forms of UAX #15 (NFD, NFC, NFKD, NFKC): full decomposition,
// canonical ordering of combining marks, and for NFC / NFKC canonical composition. One routine
// serves all four and records where each output character came from, so normalised text can
// still point at what the user typed (see TextNormalizer::addUnicodeForm).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace attnviz::unicode {

enum class NormalForm { Nfd, Nfc, Nfkd, Nfkc };

// "NFD", "NFC", "NFKD" or "NFKC" (tokenizer.json's normalizer types); empty otherwise.
std::optional<NormalForm> normalFormNamed(std::string_view name);

// One output character and the input characters [first, last] (indices, inclusive) it came from:
// a decomposed character's parts all name their source, a composite spans everything composed into
// it, and marks that canonical ordering moved take their whole run (so sources never go backwards).
struct NormalizedChar
{
    char32_t cp;
    std::size_t first;
    std::size_t last;
};

std::vector<NormalizedChar> normalizeTracked(std::u32string_view text, NormalForm form);
std::u32string normalize(std::u32string_view text, NormalForm form);

} // namespace attnviz::unicode
