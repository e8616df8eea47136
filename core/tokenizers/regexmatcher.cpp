// The Pike VM behind regex.h. Threads advance through the text together, one code point at a
// time; their order in the list is their priority (the order a backtracking engine would try
// them), so the first thread to reach Match among those still alive gives Perl's leftmost-first
// answer, and lower-priority threads are dropped at that point. A thread is at most once per
// instruction and position, which is what bounds the work.
#include "tokenizers/regex.h"

#include "tokenizers/regexsyntax.h"
#include "tokenizers/tokenizer.h"
#include "tokenizers/unicode.h"

#include <algorithm>
#include <deque>
#include <unordered_set>

namespace attnviz::regex {

namespace {

constexpr std::size_t npos = static_cast<std::size_t>(-1);
constexpr std::int32_t unknown = -2; // memo entry not computed yet
constexpr std::int32_t noMatch = -1;

struct Thread
{
    std::int32_t pc;
    std::size_t start;
    std::size_t resume; // npos, or where an atomic group's match ends: the thread waits until then
};

// Identifies a waiting thread: its continuation (below maxInstructions < 2^24) and where it resumes.
std::uint64_t waitingKey(std::int32_t pc, std::size_t resume)
{
    return (static_cast<std::uint64_t>(resume) << 24) | static_cast<std::uint64_t>(pc);
}

// The thread lists and scratch of one run; runs nest (a lookahead inside a run), one state per depth.
struct RunState
{
    std::vector<Thread> current, next;
    std::vector<std::uint32_t> seen; // generation at which each instruction joined the list being built
    std::uint32_t generation = 0;
    std::vector<std::int32_t> stack;
    std::unordered_set<std::uint64_t> waiting; // (pc, resume) of waiting threads in the list being built
};

} // namespace

Regex::Regex(std::string_view pattern) : m_pattern(pattern)
{
    const std::unique_ptr<Node> root = parsePattern(pattern, m_program);
    compileTree(*root, m_program);
}

class Matcher::Impl
{
public:
    Impl(const Regex& regex, std::string_view text, StepBudget* budget)
        : m_program(regex.program())
        , m_text(text)
        , m_ownBudget(text.size())
        , m_budget(budget ? *budget : m_ownBudget)
        , m_memo(m_program.subEntries.size())
        , m_maxThreads(m_program.code.size() + 100000) // one per instruction, plus atomic groups' waiting ones
    {
    }

    std::optional<Span> find(std::size_t from)
    {
        Span found{};
        if (run(m_program.entry, from, false, false, found))
            return found;
        return std::nullopt;
    }

    std::uint64_t steps() const { return m_steps; }

private:
    void step()
    {
        ++m_steps;
        m_budget.spend();
    }

    void checkThreadCount(const std::vector<Thread>& list) const
    {
        if (list.size() > m_maxThreads)
            throw TokenizerError("regex Split pattern keeps more than " + std::to_string(m_maxThreads) +
                                 " threads alive (refused, so that a hostile pattern cannot exhaust memory)");
    }

    char32_t previousChar(std::size_t pos) const
    {
        if (pos == 0)
            return 0;
        std::size_t p = pos - 1;
        while (p > 0 && pos - p < 4 && (static_cast<unsigned char>(m_text[p]) & 0xC0) == 0x80)
            --p;
        return unicode::decodeUtf8(m_text, p).cp;
    }

    bool holds(Assertion a, std::size_t pos) const
    {
        const std::size_t n = m_text.size();
        switch (a) {
        case Assertion::LineStart: return pos == 0 || m_text[pos - 1] == '\n';
        case Assertion::LineEnd: return pos == n || m_text[pos] == '\n';
        case Assertion::TextStart: return pos == 0;
        case Assertion::TextEnd: return pos == n;
        case Assertion::TextEndBeforeNewline: return pos == n || (pos + 1 == n && m_text[pos] == '\n');
        case Assertion::WordBoundary:
        case Assertion::NotWordBoundary: {
            const bool before = pos > 0 && isWordChar(previousChar(pos));
            const bool after = pos < n && isWordChar(unicode::decodeUtf8(m_text, pos).cp);
            return (before != after) == (a == Assertion::WordBoundary);
        }
        }
        return false;
    }

    // Sub-program `sub` run anchored at pos: for a lookahead whether it matches, for an atomic
    // group where its first-choice match ends (noMatch when none). Remembered per position.
    std::int32_t subResult(std::int32_t sub, std::size_t pos, bool firstMatchOnly)
    {
        std::vector<std::int32_t>& memo = m_memo[static_cast<std::size_t>(sub)];
        if (memo.empty())
            memo.assign(m_text.size() + 1, unknown);
        const SimpleRun& simple = m_program.subRuns[static_cast<std::size_t>(sub)];
        if (memo[pos] == unknown && simple.valid && !firstMatchOnly)
            scanRun(simple, pos, memo);
        if (memo[pos] == unknown) {
            Span found{};
            const bool matched =
                run(m_program.subEntries[static_cast<std::size_t>(sub)], pos, true, firstMatchOnly, found);
            memo[pos] = matched ? static_cast<std::int32_t>(found.end) : noMatch;
        }
        return memo[pos];
    }

    bool inRun(const SimpleRun& run, char32_t cp) const
    {
        return run.set ? m_program.sets[static_cast<std::size_t>(run.item)].contains(cp)
                       : cp == static_cast<char32_t>(run.item);
    }

    // The end of a greedy run from pos, written to the memo for every position of an unbounded
    // run (they all end where it ends), so a run is scanned once, not once per start.
    void scanRun(const SimpleRun& run, std::size_t pos, std::vector<std::int32_t>& memo)
    {
        std::vector<std::size_t> starts;
        std::size_t p = pos;
        int count = 0;
        while (p < m_text.size() && (run.max < 0 || count < run.max)) {
            if (run.max < 0 && memo[p] != unknown && memo[p] != noMatch) {
                p = static_cast<std::size_t>(memo[p]); // the rest of this run is known
                break;
            }
            const unicode::Decoded d = unicode::decodeUtf8(m_text, p);
            if (!inRun(run, d.cp))
                break;
            step();
            starts.push_back(p);
            p += static_cast<std::size_t>(d.length);
            ++count;
        }
        if (run.max >= 0 || starts.empty()) {
            memo[pos] = count >= run.min ? static_cast<std::int32_t>(p) : noMatch;
            return;
        }
        for (const std::size_t s : starts)
            memo[s] = static_cast<std::int32_t>(p);
    }

    // Adds the thread at pc, and everything it reaches without consuming text, in priority order.
    void add(RunState& s, std::vector<Thread>& list, std::int32_t pc0, std::size_t start, std::size_t pos)
    {
        // The precomputed leaves, when the walk does not depend on pos. Skipping the leaves already
        // listed gives what the walk gives: a node it would skip was walked before, leaves and all.
        if (const std::vector<std::int32_t>& leaves = m_program.closures[static_cast<std::size_t>(pc0)]; !leaves.empty()) {
            for (const std::int32_t leaf : leaves) {
                std::uint32_t& seen = s.seen[static_cast<std::size_t>(leaf)];
                if (seen == s.generation)
                    continue;
                seen = s.generation;
                step();
                list.push_back({leaf, start, npos});
            }
            checkThreadCount(list);
            return;
        }
        s.stack.clear();
        s.stack.push_back(pc0);
        while (!s.stack.empty()) {
            const std::int32_t pc = s.stack.back();
            s.stack.pop_back();
            std::uint32_t& seen = s.seen[static_cast<std::size_t>(pc)];
            if (seen == s.generation)
                continue;
            seen = s.generation;
            step();
            const Instruction& in = m_program.code[static_cast<std::size_t>(pc)];
            switch (in.op) {
            case Instruction::Op::Jump: s.stack.push_back(in.x); break;
            case Instruction::Op::Split:
                s.stack.push_back(in.y);
                s.stack.push_back(in.x); // explored first
                break;
            case Instruction::Op::Assert:
                if (holds(static_cast<Assertion>(in.x), pos))
                    s.stack.push_back(pc + 1);
                break;
            case Instruction::Op::Look: {
                const bool matched = subResult(in.x, pos, true) != noMatch; // a deeper RunState
                if (matched != (in.y != 0))
                    s.stack.push_back(pc + 1);
                break;
            }
            case Instruction::Op::Atomic: {
                const std::int32_t end = subResult(in.x, pos, false);
                if (end == noMatch)
                    break;
                if (static_cast<std::size_t>(end) == pos) {
                    s.stack.push_back(pc + 1);
                } else {
                    if (s.waiting.insert(waitingKey(pc + 1, static_cast<std::size_t>(end))).second)
                        list.push_back({pc + 1, start, static_cast<std::size_t>(end)});
                }
                break;
            }
            case Instruction::Op::Literal:
            case Instruction::Op::Set:
            case Instruction::Op::Match: list.push_back({pc, start, npos}); break;
            }
            checkThreadCount(list);
        }
    }

    RunState& stateAt(std::size_t depth)
    {
        while (m_states.size() <= depth) {
            m_states.emplace_back();
            m_states.back().seen.assign(m_program.code.size(), 0);
        }
        return m_states[depth];
    }

    void beginList(RunState& s)
    {
        if (++s.generation == 0) { // wrapped: forget every mark
            std::fill(s.seen.begin(), s.seen.end(), 0);
            s.generation = 1;
        }
        if (!s.waiting.empty())
            s.waiting.clear();
    }

    // One search from `from` (only there when anchored). With firstMatchOnly it stops at the first
    // match any thread reaches (enough for a lookahead); otherwise it runs until no thread of
    // higher priority than the best match is left.
    bool run(std::int32_t entry, std::size_t from, bool anchored, bool firstMatchOnly, Span& found)
    {
        if (m_depth > static_cast<std::size_t>(maxNesting) + 2)
            throw TokenizerError("regex lookaheads nest too deeply");
        RunState& s = stateAt(m_depth++);
        struct Leave { std::size_t& depth; ~Leave() { --depth; } } leave{m_depth};
        const std::size_t n = m_text.size();
        bool matched = false;
        s.current.clear();
        beginList(s);
        for (std::size_t pos = from;;) {
            if (!matched && (!anchored || pos == from))
                add(s, s.current, entry, pos, pos); // lowest priority: a match starting here
            if (s.current.empty()) { // nothing alive: a later start may still match
                if (matched || anchored || pos >= n)
                    break;
                pos += static_cast<std::size_t>(unicode::decodeUtf8(m_text, pos).length);
                beginList(s);
                continue;
            }
            const unicode::Decoded d = pos < n ? unicode::decodeUtf8(m_text, pos) : unicode::Decoded{0, 0};
            const std::size_t after = pos + static_cast<std::size_t>(d.length);
            s.next.clear();
            beginList(s);
            for (const Thread& t : s.current) {
                step();
                if (t.resume != npos) { // waiting for its atomic group's end
                    if (pos >= n)
                        continue;
                    if (after == t.resume)
                        add(s, s.next, t.pc, t.start, after);
                    else if (s.waiting.insert(waitingKey(t.pc, t.resume)).second)
                        s.next.push_back(t);
                    continue;
                }
                const Instruction& in = m_program.code[static_cast<std::size_t>(t.pc)];
                if (in.op == Instruction::Op::Match) {
                    matched = true;
                    found = {t.start, pos};
                    if (firstMatchOnly)
                        return true;
                    break; // the threads after this one have lower priority
                }
                if (pos >= n)
                    continue;
                const bool consumes = in.op == Instruction::Op::Literal
                    ? d.cp == static_cast<char32_t>(in.x)
                    : m_program.sets[static_cast<std::size_t>(in.x)].contains(d.cp);
                if (consumes)
                    add(s, s.next, t.pc + 1, t.start, after);
            }
            std::swap(s.current, s.next);
            if (pos >= n)
                break;
            pos = after;
        }
        return matched;
    }

    const Program& m_program;
    std::string_view m_text;
    StepBudget m_ownBudget;
    StepBudget& m_budget;
    std::uint64_t m_steps = 0;
    std::vector<std::vector<std::int32_t>> m_memo; // per sub-program, per byte position
    std::size_t m_maxThreads;
    std::deque<RunState> m_states; // a deque: growing it keeps the outer runs' references valid
    std::size_t m_depth = 0;
};

StepBudget::StepBudget(std::size_t textBytes)
    : m_limit(20'000'000 + 2'000 * static_cast<std::uint64_t>(textBytes + 1)), m_bytes(textBytes)
{
}

void StepBudget::exhausted() const
{
    throw TokenizerError("regex Split patterns need more than " + std::to_string(m_limit) + " steps on a text of " +
                         std::to_string(m_bytes) + " bytes (refused, so that a hostile pattern cannot hang)");
}

Matcher::Matcher(const Regex& regex, std::string_view text) : m_impl(std::make_unique<Impl>(regex, text, nullptr)) {}
Matcher::Matcher(const Regex& regex, std::string_view text, StepBudget& budget)
    : m_impl(std::make_unique<Impl>(regex, text, &budget))
{
}
Matcher::~Matcher() = default;

std::optional<Span> Matcher::find(std::size_t from) { return m_impl->find(from); }
std::uint64_t Matcher::steps() const { return m_impl->steps(); }

std::vector<Span> findAll(const Regex& regex, std::string_view text)
{
    StepBudget budget(text.size());
    return findAll(regex, text, budget);
}

std::vector<Span> findAll(const Regex& regex, std::string_view text, StepBudget& budget)
{
    Matcher matcher(regex, text, budget);
    std::vector<Span> out;
    std::size_t lastEnd = npos;
    for (std::size_t from = 0; from <= text.size();) {
        const std::optional<Span> m = matcher.find(from);
        if (!m)
            break;
        if (m->begin == m->end) {
            if (m->begin != lastEnd)
                out.push_back(*m);
            if (m->end >= text.size())
                break;
            from = m->end + static_cast<std::size_t>(unicode::decodeUtf8(text, m->end).length);
        } else {
            out.push_back(*m);
            from = m->end;
        }
        lastEnd = m->end;
    }
    return out;
}

} // namespace attnviz::regex
