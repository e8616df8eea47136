#pragma once
// The normalizer steps of tokenizer.json files (and of the .model files that are turned into the
// same steps), run in order on aligned text: the four Unicode normalisation forms (NFD, NFC, NFKD,
// NFKC), Precompiled charsmaps, Replace, Strip, Lowercase, StripAccents, Prepend. A step that
// composes characters maps the composite to the span of everything it was made from.

#include "tokenizers/alignedtext.h"
#include "tokenizers/precompiledcharsmap.h"
#include "tokenizers/unicodenormalization.h"

#include <memory>
#include <string>
#include <vector>

namespace attnviz {

class TextNormalizer
{
public:
    void addPrecompiled(std::shared_ptr<const PrecompiledCharsmap> charsmap);
    void addReplace(std::string pattern, std::string content);             // every occurrence of pattern
    void addReplaceRepeats(char32_t c, int minCount, std::string content); // regex "c{minCount,}"
    void addStrip(bool left, bool right);                                  // whitespace at the ends
    void addLowercase();
    void addUnicodeForm(unicode::NormalForm form); // NFD, NFC, NFKD or NFKC
    void addStripAccents();              // removes combining marks (general category M)
    void addPrepend(std::string prefix); // before non-empty text
    void addCollapseWhitespace();        // trims and joins whitespace runs with one space (remove_space)

    bool empty() const { return m_steps.empty(); }
    AlignedText apply(AlignedText text) const;

private:
    struct Step;
    std::vector<std::shared_ptr<const Step>> m_steps;
};

} // namespace attnviz
