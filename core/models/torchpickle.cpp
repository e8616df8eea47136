#include "models/torchpickle.h"

#include "base/modelloaderror.h"
#include "util/messagetext.h"

#include <cstring>
#include <map>
#include <optional>
#include <unordered_map>

namespace attnviz {

namespace {

enum class Kind { None, Bool, Int, Float, String, Tuple, List, Dict, Global, Storage, Tensor };

// Every value lives in one arena and refers to others by index: no ownership cycles, no deep
// recursive destruction, whatever the memo links.
struct Node
{
    Kind kind = Kind::None;
    std::int64_t i = 0;               // Int, Bool, Storage and Tensor index
    std::string s;                    // String, Global ("module.name")
    std::vector<std::uint32_t> items; // Tuple, List; Dict as key, value, key, value, ...
};

Node leaf(Kind kind, std::int64_t i = 0)
{
    Node n;
    n.kind = kind;
    n.i = i;
    return n;
}
Node text(Kind kind, std::string s)
{
    Node n = leaf(kind);
    n.s = std::move(s);
    return n;
}
Node seq(Kind kind, std::vector<std::uint32_t> items)
{
    Node n = leaf(kind);
    n.items = std::move(items);
    return n;
}

const std::map<std::string, const char*>& storageTypes()
{
    static const std::map<std::string, const char*> types = {
        {"torch.FloatStorage", "F32"},  {"torch.HalfStorage", "F16"}, {"torch.BFloat16Storage", "BF16"},
        {"torch.DoubleStorage", "F64"}, {"torch.LongStorage", "I64"}, {"torch.IntStorage", "I32"},
        {"torch.ShortStorage", "I16"},  {"torch.CharStorage", "I8"},  {"torch.ByteStorage", "U8"},
        {"torch.BoolStorage", "BOOL"}};
    return types;
}

constexpr const char* orderedDict = "collections.OrderedDict";
constexpr const char* rebuildTensor = "torch._utils._rebuild_tensor_v2";
constexpr const char* rebuildParameter = "torch._utils._rebuild_parameter";

bool allowedGlobal(const std::string& name)
{
    return name == orderedDict || name == rebuildTensor || name == rebuildParameter || storageTypes().count(name) != 0;
}

// Bounds that keep a hostile pickle's memory small: a state dict needs about 15 objects and a
// few nested MARKs per tensor, so these allow some 100000 tensors.
constexpr std::size_t maxNodes = std::size_t(1) << 21;
constexpr std::size_t maxMarks = 64;
constexpr std::size_t maxTensors = std::size_t(1) << 18;
constexpr std::size_t maxDims = 16;

class Machine
{
public:
    Machine(std::span<const std::uint8_t> in, const std::string& label) : m_in(in), m_label(label) {}

    PickledState run()
    {
        while (true) {
            if (m_pos >= m_in.size())
                fail("the pickle ends without STOP (truncated?)");
            m_op = m_pos;
            const std::uint8_t op = m_in[m_pos++];
            if (op == '.')
                break;
            if (m_stack.size() >= maxNodes) // DUP and memo gets push without making objects
                fail("the pickle's stack grows implausibly deep");
            step(op);
        }
        if (m_stack.size() != 1 || !m_marks.empty())
            fail("the pickle does not leave exactly one object");
        return collect(m_stack.back());
    }

private:
    std::span<const std::uint8_t> m_in;
    const std::string& m_label;
    std::size_t m_pos = 0, m_op = 0;
    std::vector<Node> m_nodes;
    std::vector<std::uint32_t> m_stack;
    std::vector<std::size_t> m_marks; // stack heights at each MARK
    std::unordered_map<std::uint32_t, std::uint32_t> m_memo;
    PickledState m_state;
    std::map<std::string, std::size_t> m_storageByKey;

    [[noreturn]] void fail(const std::string& why) const
    {
        throw ModelLoadError(m_label + ": " + why + " (byte " + std::to_string(m_op) + " of the pickle)");
    }

    // Little-endian unsigned argument of `n` bytes, checked against the end.
    std::uint64_t arg(std::size_t n)
    {
        if (n > m_in.size() - m_pos)
            fail("an opcode argument runs past the end of the pickle (truncated?)");
        std::uint64_t v = 0;
        for (std::size_t k = n; k-- > 0;)
            v = (v << 8) | m_in[m_pos + k];
        m_pos += n;
        return v;
    }
    std::string bytesArg(std::uint64_t n)
    {
        if (n > m_in.size() - m_pos)
            fail("a string runs past the end of the pickle (truncated?)");
        std::string s(reinterpret_cast<const char*>(m_in.data()) + m_pos, static_cast<std::size_t>(n));
        m_pos += static_cast<std::size_t>(n);
        return s;
    }
    std::string line()
    {
        const std::size_t limit = std::min<std::size_t>(m_in.size(), m_pos + 256);
        for (std::size_t k = m_pos; k < limit; ++k) {
            if (m_in[k] == '\n') {
                std::string s(reinterpret_cast<const char*>(m_in.data()) + m_pos, k - m_pos);
                m_pos = k + 1;
                return s;
            }
        }
        fail("a GLOBAL name is unterminated or longer than 256 bytes");
    }

    std::uint32_t make(Node n)
    {
        if (m_nodes.size() >= maxNodes)
            fail("the pickle holds implausibly many objects for a state dict");
        m_nodes.push_back(std::move(n));
        return static_cast<std::uint32_t>(m_nodes.size() - 1);
    }
    void push(Node n) { m_stack.push_back(make(std::move(n))); }
    std::uint32_t pop()
    {
        if (m_stack.size() <= (m_marks.empty() ? 0 : m_marks.back()))
            fail("an opcode pops from an empty stack");
        const std::uint32_t v = m_stack.back();
        m_stack.pop_back();
        return v;
    }
    std::uint32_t top() const
    {
        if (m_stack.size() <= (m_marks.empty() ? 0 : m_marks.back()))
            fail("an opcode needs a value on an empty stack");
        return m_stack.back();
    }
    // The values above the topmost MARK, which is removed.
    std::vector<std::uint32_t> popToMark()
    {
        if (m_marks.empty())
            fail("an opcode needs a MARK that is not there");
        std::vector<std::uint32_t> items(m_stack.begin() + static_cast<std::ptrdiff_t>(m_marks.back()), m_stack.end());
        m_stack.resize(m_marks.back());
        m_marks.pop_back();
        return items;
    }
    Node& node(std::uint32_t i) { return m_nodes[i]; }
    void memoPut(std::uint64_t index)
    {
        if (m_memo.size() >= maxNodes)
            fail("the pickle stores implausibly many memo entries");
        m_memo[static_cast<std::uint32_t>(index)] = top();
    }
    void memoGet(std::uint64_t index)
    {
        const auto it = m_memo.find(static_cast<std::uint32_t>(index));
        if (it == m_memo.end())
            fail("a memo lookup names an entry never stored");
        m_stack.push_back(it->second);
    }
    void addItems(std::uint32_t target, const std::vector<std::uint32_t>& items, Kind want, const char* op)
    {
        if (node(target).kind != want)
            fail(std::string(op) + " on something that is not a " + (want == Kind::Dict ? "dict" : "list"));
        if (want == Kind::Dict && items.size() % 2 != 0)
            fail(std::string(op) + " with an odd number of keys and values");
        auto& dst = node(target).items;
        dst.insert(dst.end(), items.begin(), items.end());
    }
    void global(std::string name)
    {
        if (!allowedGlobal(name))
            fail("global " + quotedForMessage(name) + " is not allowed in a state dict (no code is ever run)");
        push(text(Kind::Global, std::move(name)));
    }

    void step(std::uint8_t op);
    void reduce();
    void persistentId();
    PickledState collect(std::uint32_t root);
};

void Machine::step(std::uint8_t op)
{
    switch (op) {
    case 0x80: // PROTO
        if (arg(1) > 5)
            fail("unknown pickle protocol");
        return;
    case 0x95: // FRAME: a length hint only
        (void)arg(8);
        return;
    case 'c': { // GLOBAL
        std::string module = line();
        global(module + "." + line());
        return;
    }
    case 0x93: { // STACK_GLOBAL
        const std::uint32_t name = pop(), module = pop();
        if (node(name).kind != Kind::String || node(module).kind != Kind::String)
            fail("STACK_GLOBAL without two strings");
        global(node(module).s + "." + node(name).s);
        return;
    }
    case 'q': // BINPUT
        return memoPut(arg(1));
    case 'r': // LONG_BINPUT
        return memoPut(arg(4));
    case 0x94: // MEMOIZE
        return memoPut(m_memo.size());
    case 'h': // BINGET
        return memoGet(arg(1));
    case 'j': // LONG_BINGET
        return memoGet(arg(4));
    case '(': // MARK
        if (m_marks.size() >= maxMarks)
            fail("MARKs nested implausibly deep");
        m_marks.push_back(m_stack.size());
        return;
    case '0': // POP
        (void)pop();
        return;
    case '1': // POP_MARK
        (void)popToMark();
        return;
    case '2': // DUP
        m_stack.push_back(top());
        return;
    case 'N': // NONE
        push(leaf(Kind::None));
        return;
    case 0x88: // NEWTRUE
        push(leaf(Kind::Bool, 1));
        return;
    case 0x89: // NEWFALSE
        push(leaf(Kind::Bool, 0));
        return;
    case 'J': // BININT
        push(leaf(Kind::Int, static_cast<std::int32_t>(static_cast<std::uint32_t>(arg(4)))));
        return;
    case 'K': // BININT1
        push(leaf(Kind::Int, static_cast<std::int64_t>(arg(1))));
        return;
    case 'M': // BININT2
        push(leaf(Kind::Int, static_cast<std::int64_t>(arg(2))));
        return;
    case 0x8a: { // LONG1: n-byte two's complement
        const std::uint64_t n = arg(1);
        if (n > 8)
            fail("an integer wider than 64 bits");
        std::uint64_t v = n == 0 ? 0 : arg(static_cast<std::size_t>(n));
        if (n > 0 && n < 8 && (v >> (8 * n - 1)) != 0)
            v |= ~std::uint64_t(0) << (8 * n); // sign-extend
        push(leaf(Kind::Int, static_cast<std::int64_t>(v)));
        return;
    }
    case 'G': { // BINFLOAT, big-endian
        std::uint64_t bits = 0;
        for (int k = 0; k < 8; ++k)
            bits = (bits << 8) | arg(1);
        Node n = leaf(Kind::Float);
        std::memcpy(&n.i, &bits, sizeof bits); // kept as bits: no float is ever used
        push(std::move(n));
        return;
    }
    case 'X': // BINUNICODE
        push(text(Kind::String, bytesArg(arg(4))));
        return;
    case 0x8c: // SHORT_BINUNICODE
        push(text(Kind::String, bytesArg(arg(1))));
        return;
    case 0x8d: // BINUNICODE8
        push(text(Kind::String, bytesArg(arg(8))));
        return;
    case 'U': // SHORT_BINSTRING
        push(text(Kind::String, bytesArg(arg(1))));
        return;
    case 'T': // BINSTRING
        push(text(Kind::String, bytesArg(arg(4))));
        return;
    case ')': // EMPTY_TUPLE
        push(leaf(Kind::Tuple));
        return;
    case ']': // EMPTY_LIST
        push(leaf(Kind::List));
        return;
    case '}': // EMPTY_DICT
        push(leaf(Kind::Dict));
        return;
    case 't': // TUPLE
        push(seq(Kind::Tuple, popToMark()));
        return;
    case 'l': // LIST
        push(seq(Kind::List, popToMark()));
        return;
    case 'd': { // DICT
        std::vector<std::uint32_t> items = popToMark();
        if (items.size() % 2 != 0)
            fail("DICT with an odd number of keys and values");
        push(seq(Kind::Dict, std::move(items)));
        return;
    }
    case 0x85:
    case 0x86:
    case 0x87: { // TUPLE1..3
        std::vector<std::uint32_t> items(static_cast<std::size_t>(op - 0x84));
        for (std::size_t k = items.size(); k-- > 0;)
            items[k] = pop();
        push(seq(Kind::Tuple, std::move(items)));
        return;
    }
    case 'a': { // APPEND
        const std::uint32_t v = pop();
        addItems(top(), {v}, Kind::List, "APPEND");
        return;
    }
    case 'e': { // APPENDS
        const std::vector<std::uint32_t> items = popToMark();
        addItems(top(), items, Kind::List, "APPENDS");
        return;
    }
    case 's': { // SETITEM
        const std::uint32_t v = pop(), k = pop();
        addItems(top(), {k, v}, Kind::Dict, "SETITEM");
        return;
    }
    case 'u': { // SETITEMS
        const std::vector<std::uint32_t> items = popToMark();
        addItems(top(), items, Kind::Dict, "SETITEMS");
        return;
    }
    case 'b': { // BUILD: only a dict's attributes (torch's _metadata), which are ignored
        const std::uint32_t state = pop();
        if (node(top()).kind != Kind::Dict || (node(state).kind != Kind::Dict && node(state).kind != Kind::None))
            fail("BUILD is only allowed to set a dict's attributes");
        return;
    }
    case 'Q': // BINPERSID
        persistentId();
        return;
    case 'R': // REDUCE
        reduce();
        return;
    default: {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02x", op);
        fail(std::string("pickle opcode ") + hex + " is not allowed in a state dict");
    }
    }
}

void Machine::reduce()
{
    const std::uint32_t args = pop(), callable = pop();
    if (node(callable).kind != Kind::Global)
        fail("REDUCE on something that is not an allowed global");
    const std::string f = node(callable).s; // a copy: push() may move the arena
    if (node(args).kind != Kind::Tuple)
        fail("REDUCE of " + f + " without an argument tuple");
    if (node(args).items.size() > 7) // no whitelisted callable takes more; bounds the copy below
        fail("REDUCE of " + f + " with " + std::to_string(node(args).items.size()) + " arguments");
    const std::vector<std::uint32_t> a = node(args).items;
    if (f == orderedDict) {
        if (!a.empty())
            fail("collections.OrderedDict is only allowed with no arguments");
        push(leaf(Kind::Dict));
    } else if (f == rebuildParameter) {
        if (a.size() != 3 || node(a[0]).kind != Kind::Tensor)
            fail("torch._utils._rebuild_parameter without (tensor, requires_grad, hooks)");
        m_stack.push_back(a[0]);
    } else if (f == rebuildTensor) {
        // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
        if ((a.size() != 6 && a.size() != 7) || node(a[0]).kind != Kind::Storage || node(a[1]).kind != Kind::Int ||
            node(a[2]).kind != Kind::Tuple || node(a[3]).kind != Kind::Tuple)
            fail("torch._utils._rebuild_tensor_v2 without (storage, offset, sizes, strides, ...)");
        if (node(a[2]).items.size() > maxDims || m_state.tensors.size() >= maxTensors)
            fail("implausibly many tensors or dimensions for a state dict");
        PickledTensor t;
        t.storage = static_cast<std::size_t>(node(a[0]).i);
        t.offset = node(a[1]).i;
        for (const auto& [from, to] : {std::pair{a[2], &t.sizes}, std::pair{a[3], &t.strides}}) {
            for (std::uint32_t d : node(from).items) {
                if (node(d).kind != Kind::Int)
                    fail("a tensor size or stride is not an integer");
                to->push_back(node(d).i);
            }
        }
        if (t.sizes.size() != t.strides.size())
            fail("a tensor has " + std::to_string(t.sizes.size()) + " sizes but " + std::to_string(t.strides.size()) +
                 " strides");
        m_state.tensors.push_back(std::move(t));
        push(leaf(Kind::Tensor, static_cast<std::int64_t>(m_state.tensors.size() - 1)));
    } else {
        fail("REDUCE of " + quotedForMessage(f) + " is not allowed");
    }
}

void Machine::persistentId()
{
    const Node& pid = node(pop());
    // ('storage', torch.<Type>Storage, key, location, numel)
    if (pid.kind != Kind::Tuple || pid.items.size() != 5 || node(pid.items[0]).kind != Kind::String ||
        node(pid.items[0]).s != "storage" || node(pid.items[1]).kind != Kind::Global ||
        storageTypes().count(node(pid.items[1]).s) == 0 || node(pid.items[2]).kind != Kind::String ||
        node(pid.items[4]).kind != Kind::Int)
        fail("a persistent id that is not ('storage', torch.<Type>Storage, key, location, numel)");
    PickledStorage s{node(pid.items[2]).s, storageTypes().at(node(pid.items[1]).s), node(pid.items[4]).i};
    auto [it, inserted] = m_storageByKey.emplace(s.key, m_state.storages.size());
    if (inserted) {
        m_state.storages.push_back(s);
    } else if (m_state.storages[it->second].dtype != s.dtype || m_state.storages[it->second].numel != s.numel) {
        fail("storage " + quotedForMessage(s.key) + " is described twice with different types or sizes");
    }
    push(leaf(Kind::Storage, static_cast<std::int64_t>(it->second)));
}

PickledState Machine::collect(std::uint32_t root)
{
    m_op = m_pos - 1;
    if (node(root).kind != Kind::Dict)
        fail("the pickle holds no state dict (a dict of tensors); whole pickled models are not supported");
    const std::vector<std::uint32_t>& items = node(root).items;
    PickledState out;
    out.storages = m_state.storages;
    std::map<std::string, bool> seen;
    for (std::size_t k = 0; k + 1 < items.size(); k += 2) {
        const Node& key = node(items[k]);
        const Node& value = node(items[k + 1]);
        if (key.kind != Kind::String)
            fail("a state dict key is not a string");
        if (value.kind != Kind::Tensor)
            fail("state dict entry " + quotedForMessage(key.s) + " is not a tensor");
        if (!seen.emplace(key.s, true).second)
            fail("state dict entry " + quotedForMessage(key.s) + " is listed twice");
        PickledTensor t = m_state.tensors[static_cast<std::size_t>(value.i)];
        t.name = key.s;
        out.tensors.push_back(std::move(t));
    }
    return out;
}

} // namespace

PickledState readStateDictPickle(std::span<const std::uint8_t> pickle, const std::string& label)
{
    return Machine(pickle, label).run();
}

} // namespace attnviz
