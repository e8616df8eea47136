#pragma once
// Vocabulary and merge ranks of a BPE model, and the merge loop itself. Shared by the byte-level
// (GPT-2) and the SentencePiece-style (Llama) tokenizers, which differ in how they make the
// initial symbols of a word.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace attnviz {

class BpeModel
{
public:
    // A run of a word: vocabulary id and the byte range [begin, end) of the word it covers.
    struct Symbol
    {
        int id;
        std::size_t begin;
        std::size_t end;
    };

    // `vocab` maps pieces to ids (ids need not be dense). Merges are "left right" pairs in rank
    // order; a merge whose parts or result are not in the vocabulary is ignored, as it could
    // never produce a known token. Throws TokenizerError on a duplicate id.
    BpeModel(std::vector<std::pair<std::string, int>> vocab,
             const std::vector<std::pair<std::string, std::string>>& merges);

    // Adds a piece outside the merge table (added tokens); replaces any piece with that id.
    void addPiece(const std::string& piece, int id);

    int size() const { return static_cast<int>(m_pieces.size()); }
    int pieceCount() const { return static_cast<int>(m_vocab.size()); }
    bool hasId(int id) const { return id >= 0 && id < size() && m_present[static_cast<std::size_t>(id)]; }
    const std::string& piece(int id) const { return m_pieces[static_cast<std::size_t>(id)]; }
    int idOf(std::string_view piece) const; // -1 when absent
    std::optional<int> find(std::string_view piece) const
    {
        const int id = idOf(piece);
        return id >= 0 ? std::optional<int>(id) : std::nullopt;
    }
    std::size_t mergeCount() const { return m_merges.size(); }

    // Applies merges by rank (ties: leftmost first) until none applies.
    std::vector<Symbol> merge(std::vector<Symbol> symbols) const;

private:
    static std::uint64_t pairKey(int a, int b)
    {
        return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(a)) << 32) | static_cast<std::uint32_t>(b);
    }

    struct Merge
    {
        int rank;
        int result;
    };

    std::unordered_map<std::string, int> m_vocab;
    std::vector<std::string> m_pieces; // by id; empty where no piece has that id
    std::vector<bool> m_present;
    std::unordered_map<std::uint64_t, Merge> m_merges;
};

} // namespace attnviz
