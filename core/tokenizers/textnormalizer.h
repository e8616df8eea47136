#pragma once
// The normalizer steps of SentencePiece-style tokenizer.json files (and of the .model files that
// are turned into the same steps), run in order on aligned text. Unicode normalisation forms
// other than NFKD are not implemented: loaders refuse them rather than tokenise differently.

#include "tokenizers/alignedtext.h"
#include "tokenizers/precompiledcharsmap.h"

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
    void addNfkd();
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
