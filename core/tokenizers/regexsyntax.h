#pragma once
// The syntax tree of a regex pattern, between the parser (regexparser.cpp) and the compiler
// (regexcompiler.cpp). Character sets live in the program being built and are referred to by index.

#include "tokenizers/regexprogram.h"

#include <memory>
#include <string_view>
#include <vector>

namespace attnviz::regex {

struct Node
{
    enum class Kind : unsigned char {
        Empty,
        Literal,   // code point `value`
        Set,       // sets[value]
        Concat,    // children in order
        Alternate, // children, first has priority
        Repeat,    // children[0] between min and max (-1: unbounded) times
        Assert,    // Assertion(value)
        Look,      // lookahead of children[0]; negated for (?!...)
        Atomic,    // children[0] matched once, its first choice kept
    };
    Kind kind = Kind::Empty;
    std::int32_t value = 0;
    int min = 0;
    int max = 0;
    bool greedy = true;
    bool negated = false;
    std::vector<std::unique_ptr<Node>> children;
};

// Parses `pattern` (Oniguruma syntax as Hugging Face tokenizers use it), adding its character
// sets to `program.sets`. Throws TokenizerError naming the unsupported construct or the limit.
std::unique_ptr<Node> parsePattern(std::string_view pattern, Program& program);

// The whole program for a parsed pattern.
void compileTree(const Node& root, Program& program);

} // namespace attnviz::regex
