#pragma once
// A compiled regex: instructions for the Pike VM of regexmatcher.h. Lookaheads and atomic groups
// (possessive quantifiers) are sub-programs, run anchored at a position and memoised there.

#include "tokenizers/regexcharset.h"

#include <cstdint>
#include <vector>

namespace attnviz::regex {

enum class Assertion : unsigned char {
    LineStart,            // ^
    LineEnd,              // $
    TextStart,            // \A
    TextEnd,              // \z
    TextEndBeforeNewline, // \Z
    WordBoundary,         // \b
    NotWordBoundary,      // \B
};

struct Instruction
{
    enum class Op : unsigned char {
        Literal, // consume code point x
        Set,     // consume a code point of sets[x]
        Split,   // go on at x, and at y with lower priority
        Jump,    // go on at x
        Assert,  // zero-width test Assertion(x)
        Look,    // zero-width: sub-program x matches here (y = 1: must not match)
        Atomic,  // sub-program x's first-choice match, then on at the next instruction
        Match,
    };
    Op op;
    std::int32_t x = 0;
    std::int32_t y = 0;
};

// An atomic group that is a greedy run of one literal or set (x*+, [..]++, x?+): the matcher
// finds its end by scanning, and remembers the end for the whole run, so long runs stay linear.
struct SimpleRun
{
    bool valid = false;
    bool set = false; // sets[item] rather than the code point item
    std::int32_t item = 0;
    int min = 0; // 0 or 1
    int max = -1; // -1: unbounded
};

struct Program
{
    std::vector<Instruction> code;
    std::vector<CharSet> sets;
    std::vector<std::int32_t> subEntries; // entry instruction of each sub-program
    std::vector<SimpleRun> subRuns;       // per sub-program: its shortcut, when it has one
    // Per instruction: the Literal, Set and Match instructions it leads to without consuming, in
    // priority order, when the way there does not depend on the position (no Assert, Look or
    // Atomic) and they are few; empty otherwise. The matcher takes these instead of walking.
    std::vector<std::vector<std::int32_t>> closures;
    std::int32_t entry = 0;               // of the whole pattern
};

// Limits on untrusted patterns (tokenizer.json): each refusal names the limit.
constexpr std::size_t maxPatternBytes = 16 * 1024;
constexpr int maxNesting = 64;          // groups and classes inside each other
constexpr std::size_t maxInstructions = 20000;
constexpr int maxRepeat = 1000;         // m and n of {m,n}
constexpr std::size_t maxSubPrograms = 32; // lookaheads and atomic groups

} // namespace attnviz::regex
