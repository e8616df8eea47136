#include "tokenizers/llama2ctokenizer.h"

#include "tokenizers/bytedisplay.h"
#include "util/regularfile.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <queue>

namespace attnviz {

namespace {

// <0xNN> -> the byte value, or -1.
int byteOfPiece(const std::string& piece)
{
    unsigned value = 0;
    if (piece.size() == 6 && piece.compare(0, 3, "<0x") == 0 && piece[5] == '>' &&
        std::sscanf(piece.c_str() + 3, "%2x", &value) == 1) {
        return static_cast<int>(value);
    }
    return -1;
}

std::size_t utf8Length(unsigned char lead)
{
    if (lead >= 0xf0 && lead < 0xf8)
        return 4;
    if (lead >= 0xe0)
        return lead < 0xf0 ? 3 : 1;
    if (lead >= 0xc0)
        return 2;
    return 1;
}

} // namespace

Llama2cTokenizer::Llama2cTokenizer(const std::string& path, int vocabSize, int maxTokens) : m_maxTokens(maxTokens)
{
    std::string data;
    try {
        data = RegularFile(path).readAll(fileLimits::tokenizer);
    } catch (const FileError& e) {
        throw TokenizerError(e.what());
    }
    std::size_t pos = 0;
    auto readBytes = [&](void* dst, std::size_t n) {
        if (data.size() - pos < n)
            throw TokenizerError(path + ": file truncated");
        std::memcpy(dst, data.data() + pos, n);
        pos += n;
    };
    std::int32_t maxLength = 0;
    readBytes(&maxLength, 4);
    if (vocabSize <= 0)
        throw TokenizerError(path + ": invalid vocabulary size");
    for (int i = 0; i < vocabSize; ++i) {
        float score = 0.0f;
        std::int32_t length = 0;
        readBytes(&score, 4);
        readBytes(&length, 4);
        if (length < 0 || length > maxLength || static_cast<std::size_t>(length) > data.size() - pos) {
            throw TokenizerError(path + ": token " + std::to_string(i) + " has an invalid length");
        }
        m_pieces.emplace_back(data.data() + pos, static_cast<std::size_t>(length));
        pos += static_cast<std::size_t>(length);
        m_scores.push_back(score);
        m_ids.emplace(m_pieces.back(), i);
        m_maxSpan = std::max(m_maxSpan, m_pieces.back().size());
    }
    // Byte fallback. llama2.c takes byte b as id b + 3, which assumes the 256 <0xNN> pieces of a
    // 32000-entry Llama vocabulary; a smaller vocabulary would be read out of bounds. As in
    // SentencePiece without byte fallback, a byte with no <0xNN> piece becomes <unk> (id 0).
    // b + 3 is kept when that piece really is <0xNN>, so real files give llama2.c's ids.
    for (int b = 0; b < 256; ++b) {
        char name[8];
        std::snprintf(name, sizeof name, "<0x%02X>", b);
        if (b + 3 < vocabSize && byteOfPiece(m_pieces[static_cast<std::size_t>(b) + 3]) == b) {
            m_byteIds[static_cast<std::size_t>(b)] = b + 3;
        } else if (const auto id = idOf(name)) {
            m_byteIds[static_cast<std::size_t>(b)] = *id;
        }
    }
}

std::optional<int> Llama2cTokenizer::idOf(std::string_view piece) const
{
    auto it = m_ids.find(std::string(piece));
    if (it == m_ids.end())
        return std::nullopt;
    return it->second;
}

Token Llama2cTokenizer::tokenForId(int id) const
{
    if (id < 0 || id >= vocabSize())
        throw TokenizerError("token id " + std::to_string(id) + " is not in the vocabulary");
    Token t;
    t.id = id;
    t.piece = m_pieces[static_cast<std::size_t>(id)];
    if (id <= eosId) {
        t.special = true;
        t.display = id == bosId ? "<s>" : (id == eosId ? "</s>" : "<unk>");
    } else if (const int byte = byteOfPiece(t.piece); byte >= 0) {
        t.display = displayForBytes(std::string(1, static_cast<char>(byte))); // as other byte-level vocabularies
    } else {
        t.display = displayForBytes(t.piece);
    }
    return t;
}

std::vector<Token> Llama2cTokenizer::encode(std::string_view text, int segment) const
{
    // Symbols form a doubly linked list in text order; candidate merges of adjacent symbols wait
    // in a max-heap. Each merge only creates the two pairs around the merged symbol, so the work
    // is O(n log n) instead of a full rescan per merge. Entries whose symbols changed since they
    // were pushed are skipped when popped (each symbol carries a version).
    struct Symbol
    {
        int id;
        int begin, end; // byte span in text
        int prev, next; // neighbours in the list, -1 at the ends
        unsigned version = 0;
        bool mergeable = true; // <unk> stands for unknown text and never merges
    };
    struct Candidate
    {
        float score;
        int left, right;
        unsigned leftVersion, rightVersion;
        int id;
        // The highest score first; ties go to the leftmost pair, as in llama2.c's scan, where
        // only a strictly higher score replaces the best pair found so far.
        bool operator<(const Candidate& o) const { return score != o.score ? score < o.score : left > o.left; }
    };
    if (text.empty())
        return {};
    std::vector<Symbol> symbols;
    const auto add = [&](int id, std::size_t begin, std::size_t end) {
        const int index = static_cast<int>(symbols.size());
        symbols.push_back({id, static_cast<int>(begin), static_cast<int>(end), index - 1, -1, 0, id != unkId});
        if (index > 0)
            symbols[static_cast<std::size_t>(index) - 1].next = index;
    };
    if (const auto space = idOf(" "))
        add(*space, 0, 0); // the dummy prefix of SentencePiece
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t n = std::min(utf8Length(static_cast<unsigned char>(text[i])), text.size() - i);
        if (const auto id = idOf(text.substr(i, n))) {
            add(*id, i, i + n);
        } else if (std::all_of(text.begin() + static_cast<std::ptrdiff_t>(i),
                               text.begin() + static_cast<std::ptrdiff_t>(i + n),
                               [&](char c) { return m_byteIds[static_cast<unsigned char>(c)] != unkId; })) {
            for (std::size_t b = i; b < i + n; ++b)
                add(m_byteIds[static_cast<unsigned char>(text[b])], b, b + 1);
        } else {
            add(unkId, i, i + n);
        }
        i += n;
    }

    std::priority_queue<Candidate> heap;
    std::string joined;
    const auto consider = [&](int left, int right) {
        if (left < 0 || right < 0)
            return;
        const Symbol& a = symbols[static_cast<std::size_t>(left)];
        const Symbol& b = symbols[static_cast<std::size_t>(right)];
        if (!a.mergeable || !b.mergeable)
            return;
        joined.assign(m_pieces[static_cast<std::size_t>(a.id)]);
        joined += m_pieces[static_cast<std::size_t>(b.id)];
        const auto it = m_ids.find(joined);
        // llama2.c starts its search at -1e10: pairs scoring no higher (or NaN) never merge.
        if (it != m_ids.end() && m_scores[static_cast<std::size_t>(it->second)] > -1e10f)
            heap.push({m_scores[static_cast<std::size_t>(it->second)], left, right, a.version, b.version, it->second});
    };
    for (std::size_t i = 0; i + 1 < symbols.size(); ++i)
        consider(static_cast<int>(i), static_cast<int>(i) + 1);
    while (!heap.empty()) {
        const Candidate c = heap.top();
        heap.pop();
        Symbol& a = symbols[static_cast<std::size_t>(c.left)];
        Symbol& b = symbols[static_cast<std::size_t>(c.right)];
        if (a.version != c.leftVersion || b.version != c.rightVersion || a.next != c.right)
            continue; // stale: one of the two has merged since
        a.id = c.id;
        a.end = b.end;
        a.next = b.next;
        ++a.version;
        ++b.version; // b is gone
        if (b.next >= 0)
            symbols[static_cast<std::size_t>(b.next)].prev = c.left;
        consider(a.prev, c.left);
        consider(c.left, a.next);
    }

    std::vector<Token> tokens;
    for (int i = symbols.empty() ? -1 : 0; i >= 0; i = symbols[static_cast<std::size_t>(i)].next) {
        const Symbol& sym = symbols[static_cast<std::size_t>(i)];
        Token t = tokenForId(sym.id);
        t.begin = sym.begin;
        t.end = sym.end;
        t.segment = segment;
        tokens.push_back(std::move(t));
    }
    return tokens;
}

std::vector<Token> Llama2cTokenizer::encodeForModel(std::string_view text, std::optional<std::string_view>) const
{
    // The model sees at most m_maxTokens tokens, each covering at most m_maxSpan bytes of text,
    // so text beyond twice that many bytes cannot change what it sees (a merge decision near the
    // cut would have to ripple back over m_maxTokens tokens). Tokenising only that prefix bounds
    // the work, whatever was pasted, to about a millisecond: no cancellation point is needed.
    // The caller still gets more than m_maxTokens tokens, so it truncates and says so.
    if (m_maxTokens > 0) {
        std::size_t cut = 2 * static_cast<std::size_t>(m_maxTokens) * m_maxSpan;
        if (text.size() > cut) {
            while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80)
                --cut; // never split a UTF-8 character
            text = text.substr(0, cut);
        }
    }
    std::vector<Token> tokens{tokenForId(bosId)};
    for (Token& t : encode(text))
        tokens.push_back(std::move(t));
    return tokens;
}

std::string Llama2cTokenizer::decode(const std::vector<int>& ids) const
{
    std::string out;
    int previous = -1;
    for (int id : ids) {
        if (id < 0 || id >= vocabSize())
            throw TokenizerError("token id " + std::to_string(id) + " is not in the vocabulary");
        if (id > eosId) {
            std::string_view piece = m_pieces[static_cast<std::size_t>(id)];
            if (previous == bosId && !piece.empty() && piece.front() == ' ')
                piece.remove_prefix(1);
            if (const int byte = byteOfPiece(std::string(piece)); byte >= 0) {
                out.push_back(static_cast<char>(byte));
            } else {
                out += piece;
            }
        }
        previous = id;
    }
    return out;
}

} // namespace attnviz
