#pragma once
// The Unigram language model of SentencePiece as Hugging Face tokenizers runs it: every piece has
// a log-probability score and a word is cut where the sum of scores is highest (Viterbi). A
// character no piece starts with becomes the unknown piece, scored min score - 10; runs of unknowns
// are fused, and with byte_fallback they become "<0xNN>" pieces when all their bytes have one.

#include <array>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace attnviz {

class UnigramModel
{
public:
    // A run of the input: vocabulary id and the byte range [begin, end) it covers.
    struct Piece
    {
        int id;
        std::size_t begin;
        std::size_t end;
    };

    // `vocab` is (piece, score) by id. `unkId` may be absent: then text no piece covers throws
    // TokenizerError when encoded. Throws TokenizerError for an empty vocabulary, a non-finite
    // score or an unkId outside it.
    UnigramModel(std::vector<std::pair<std::string, double>> vocab, std::optional<int> unkId, bool byteFallback);

    int size() const { return static_cast<int>(m_pieces.size()); }
    bool hasId(int id) const { return id >= 0 && id < size(); }
    const std::string& piece(int id) const { return m_pieces[static_cast<std::size_t>(id)]; }
    double score(int id) const { return m_scores[static_cast<std::size_t>(id)]; }
    std::optional<int> unkId() const { return m_unkId; }
    std::optional<int> find(std::string_view piece) const;
    int byteId(unsigned char b) const { return m_byteIds[b]; } // "<0xNN>" with byte fallback, else -1

    // The best segmentation of `text` (normalised, one pre-tokenised word).
    std::vector<Piece> encode(std::string_view text) const;

private:
    struct Hash
    {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };

    // Calls f(id, length) for every piece that is a prefix of `text`, shortest first.
    template <typename F> void forEachPrefix(std::string_view text, F&& f) const;

    std::vector<std::string> m_pieces;
    std::vector<double> m_scores;
    std::unordered_map<std::string, int, Hash, std::equal_to<>> m_ids; // piece -> id (the last of duplicates)
    // Ids of the distinct pieces in byte order: the pieces starting with a given prefix form one
    // run, narrowed byte by byte (memory linear in the vocabulary, whatever the piece lengths).
    std::vector<int> m_sorted;
    std::optional<int> m_unkId;
    double m_unkScore = 0;
    bool m_byteFallback = false;
    std::array<int, 256> m_byteIds{};
};

} // namespace attnviz
