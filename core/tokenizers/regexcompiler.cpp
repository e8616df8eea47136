// Compiles a regex syntax tree into Pike VM instructions (Thompson's construction, with the
// preferred branch of every Split first so that thread order gives leftmost-first priority).
#include "tokenizers/regexsyntax.h"

#include "tokenizers/tokenizer.h"

#include <string>
#include <unordered_map>

namespace attnviz::regex {

namespace {

using Op = Instruction::Op;

class Compiler
{
public:
    explicit Compiler(Program& program) : m_program(program) {}

    void compileAll(const Node& root)
    {
        m_program.entry = here();
        emit(root);
        add(Op::Match);
        // Sub-programs, appended after the main one; compiling one may queue more.
        for (std::size_t i = 0; i < m_subs.size(); ++i) {
            m_program.subEntries[i] = here();
            emit(*m_subs[i]);
            add(Op::Match);
        }
        computeClosures();
    }

private:
    // Program::closures, by a depth-first walk from each instruction (Split's preferred branch
    // first), given up past 256 instructions or 64 leaves.
    void computeClosures()
    {
        const std::vector<Instruction>& code = m_program.code;
        m_program.closures.assign(code.size(), {});
        std::vector<std::int32_t> mark(code.size(), -1);
        std::vector<std::int32_t> stack;
        for (std::size_t start = 0; start < code.size(); ++start) {
            std::vector<std::int32_t> leaves;
            bool positionFree = true;
            int visits = 0;
            stack.assign(1, static_cast<std::int32_t>(start));
            while (!stack.empty() && positionFree) {
                const std::int32_t pc = stack.back();
                stack.pop_back();
                if (mark[static_cast<std::size_t>(pc)] == static_cast<std::int32_t>(start))
                    continue;
                mark[static_cast<std::size_t>(pc)] = static_cast<std::int32_t>(start);
                const Instruction& in = code[static_cast<std::size_t>(pc)];
                switch (in.op) {
                case Op::Jump: stack.push_back(in.x); break;
                case Op::Split:
                    stack.push_back(in.y);
                    stack.push_back(in.x);
                    break;
                case Op::Literal:
                case Op::Set:
                case Op::Match: leaves.push_back(pc); break;
                case Op::Assert:
                case Op::Look:
                case Op::Atomic: positionFree = false; break;
                }
                positionFree = positionFree && ++visits <= 256 && leaves.size() <= 64;
            }
            if (positionFree)
                m_program.closures[start] = std::move(leaves);
        }
    }

    std::int32_t here() const { return static_cast<std::int32_t>(m_program.code.size()); }

    std::int32_t add(Op op, std::int32_t x = 0, std::int32_t y = 0)
    {
        if (m_program.code.size() >= maxInstructions)
            throw TokenizerError("regex is too large once compiled (more than " + std::to_string(maxInstructions) +
                                 " instructions; large repeat counts multiply their group)");
        m_program.code.push_back({op, x, y});
        return here() - 1;
    }

    // The sub-program of a lookahead or atomic group: one per syntax node, however often it is emitted.
    std::int32_t subProgram(const Node& body)
    {
        const auto found = m_subIds.find(&body);
        if (found != m_subIds.end())
            return found->second;
        if (m_subs.size() >= maxSubPrograms)
            throw TokenizerError("regex has more than " + std::to_string(maxSubPrograms) +
                                 " lookaheads and possessive or atomic groups");
        const auto id = static_cast<std::int32_t>(m_subs.size());
        m_subs.push_back(&body);
        m_program.subEntries.push_back(-1);
        m_program.subRuns.push_back(simpleRun(body));
        m_subIds.emplace(&body, id);
        return id;
    }

    static SimpleRun simpleRun(const Node& n)
    {
        SimpleRun run;
        if (n.kind != Node::Kind::Repeat || !n.greedy || n.min > 1)
            return run;
        const Node& item = *n.children[0];
        if (item.kind != Node::Kind::Literal && item.kind != Node::Kind::Set)
            return run;
        run.valid = true;
        run.set = item.kind == Node::Kind::Set;
        run.item = item.value;
        run.min = n.min;
        run.max = n.max;
        return run;
    }

    void emitRepeat(const Node& n)
    {
        const Node& body = *n.children[0];
        for (int i = 0; i < n.min; ++i)
            emit(body);
        if (n.max < 0) { // L: Split(body, exit); body; Jump L
            const std::int32_t split = add(Op::Split);
            emit(body);
            add(Op::Jump, split);
            setSplit(split, split + 1, here(), n.greedy);
            return;
        }
        // (body (body (...)?)?)? for the optional max - min copies; every Split exits to the end.
        std::vector<std::int32_t> splits;
        for (int i = n.min; i < n.max; ++i) {
            splits.push_back(add(Op::Split));
            emit(body);
        }
        for (const std::int32_t split : splits)
            setSplit(split, split + 1, here(), n.greedy);
    }

    void setSplit(std::int32_t at, std::int32_t body, std::int32_t exit, bool greedy)
    {
        m_program.code[static_cast<std::size_t>(at)].x = greedy ? body : exit;
        m_program.code[static_cast<std::size_t>(at)].y = greedy ? exit : body;
    }

    void emit(const Node& n)
    {
        switch (n.kind) {
        case Node::Kind::Empty: return;
        case Node::Kind::Literal: add(Op::Literal, n.value); return;
        case Node::Kind::Set: add(Op::Set, n.value); return;
        case Node::Kind::Assert: add(Op::Assert, n.value); return;
        case Node::Kind::Concat:
            for (const auto& child : n.children)
                emit(*child);
            return;
        case Node::Kind::Alternate: {
            // Split(a, next); a; Jump end; next: Split(b, next2); b; Jump end; ... last
            std::vector<std::int32_t> jumps;
            for (std::size_t i = 0; i + 1 < n.children.size(); ++i) {
                const std::int32_t split = add(Op::Split);
                emit(*n.children[i]);
                jumps.push_back(add(Op::Jump));
                setSplit(split, split + 1, here(), true);
            }
            emit(*n.children.back());
            for (const std::int32_t jump : jumps)
                m_program.code[static_cast<std::size_t>(jump)].x = here();
            return;
        }
        case Node::Kind::Repeat: emitRepeat(n); return;
        case Node::Kind::Look: add(Op::Look, subProgram(*n.children[0]), n.negated ? 1 : 0); return;
        case Node::Kind::Atomic: add(Op::Atomic, subProgram(*n.children[0])); return;
        }
    }

    Program& m_program;
    std::vector<const Node*> m_subs;
    std::unordered_map<const Node*, std::int32_t> m_subIds;
};

} // namespace

void compileTree(const Node& root, Program& program)
{
    Compiler(program).compileAll(root);
}

} // namespace attnviz::regex
