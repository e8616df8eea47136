#include "tokenizers/bpemodel.h"

#include "tokenizers/tokenizer.h"
#include "util/messagetext.h"

#include <queue>

namespace attnviz {

BpeModel::BpeModel(std::vector<std::pair<std::string, int>> vocab,
                   const std::vector<std::pair<std::string, std::string>>& merges)
{
    m_vocab.reserve(vocab.size());
    for (auto& [piece, id] : vocab)
        addPiece(piece, id);
    m_merges.reserve(merges.size());
    int rank = 0;
    for (const auto& [left, right] : merges) {
        const int a = idOf(left);
        const int b = idOf(right);
        const int result = idOf(left + right);
        if (a >= 0 && b >= 0 && result >= 0)
            m_merges.try_emplace(pairKey(a, b), Merge{rank, result}); // keep the first (best) rank
        ++rank;
    }
}

void BpeModel::addPiece(const std::string& piece, int id)
{
    if (id < 0 || id > 10'000'000)
        throw TokenizerError("token id " + std::to_string(id) + " of " + quotedForMessage(piece) + " is out of range");
    const auto index = static_cast<std::size_t>(id);
    if (index >= m_pieces.size()) {
        m_pieces.resize(index + 1);
        m_present.resize(index + 1, false);
    }
    if (m_present[index] && m_pieces[index] != piece)
        m_vocab.erase(m_pieces[index]);
    m_pieces[index] = piece;
    m_present[index] = true;
    m_vocab[piece] = id;
}

int BpeModel::idOf(std::string_view piece) const
{
    const auto it = m_vocab.find(std::string(piece));
    return it == m_vocab.end() ? -1 : it->second;
}

std::vector<BpeModel::Symbol> BpeModel::merge(std::vector<Symbol> symbols) const
{
    const int n = static_cast<int>(symbols.size());
    if (n < 2 || m_merges.empty())
        return symbols;

    // Doubly linked list over the symbols, and a queue of candidate merges ordered by
    // (rank, position). Entries go stale when a neighbour changes; they are checked on pop.
    std::vector<int> prev(n), next(n);
    std::vector<bool> alive(n, true);
    for (int i = 0; i < n; ++i) {
        prev[i] = i - 1;
        next[i] = i + 1 < n ? i + 1 : -1;
    }
    struct Candidate
    {
        int rank;
        int left;
        int leftId;
        int rightId;
        bool operator>(const Candidate& o) const { return rank != o.rank ? rank > o.rank : left > o.left; }
    };
    std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> queue;
    const auto consider = [&](int left) {
        if (left < 0 || next[left] < 0)
            return;
        const int right = next[left];
        const auto it = m_merges.find(pairKey(symbols[left].id, symbols[right].id));
        if (it != m_merges.end())
            queue.push({it->second.rank, left, symbols[left].id, symbols[right].id});
    };
    for (int i = 0; i + 1 < n; ++i)
        consider(i);

    while (!queue.empty()) {
        const Candidate c = queue.top();
        queue.pop();
        const int right = next[c.left];
        if (!alive[c.left] || right < 0 || symbols[c.left].id != c.leftId || symbols[right].id != c.rightId)
            continue; // stale
        symbols[c.left].id = m_merges.at(pairKey(c.leftId, c.rightId)).result;
        symbols[c.left].end = symbols[right].end;
        alive[right] = false;
        next[c.left] = next[right];
        if (next[right] >= 0)
            prev[next[right]] = c.left;
        consider(prev[c.left]);
        consider(c.left);
    }

    std::vector<Symbol> out;
    for (int i = 0; i >= 0; i = next[i])
        out.push_back(symbols[i]);
    return out;
}

} // namespace attnviz
