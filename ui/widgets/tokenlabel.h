#pragma once
// Turns a token's display string into a short, always visible label: whitespace and control
// characters become visible symbols, so a token is never an invisible or layout-breaking string.

#include "engine/attentionresult.h"

#include <QString>

namespace attnviz {

struct TokenLabel
{
    // Leading/trailing spaces are dropped (a word-start space is implied); a token that is only
    // whitespace shows "␣", newlines "↵", tabs "⇥", other control characters their U+2400 picture.
    static QString text(const std::string& display, int maxLength = 18);
    static QString text(const Token& token, int maxLength = 18) { return text(token.display, maxLength); }
};

} // namespace attnviz
