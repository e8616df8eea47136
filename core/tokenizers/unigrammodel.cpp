#include "tokenizers/unigrammodel.h"

#include "tokenizers/tokenizer.h"
#include "util/messagetext.h"
#include "util/utf8.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace attnviz {

namespace {

constexpr double kUnkPenalty = 10.0; // Hugging Face's K_UNK_PENALTY

} // namespace

UnigramModel::UnigramModel(std::vector<std::pair<std::string, double>> vocab, std::optional<int> unkId,
                           bool byteFallback)
    : m_unkId(unkId), m_byteFallback(byteFallback)
{
    if (vocab.empty())
        throw TokenizerError("the Unigram vocabulary is empty");
    if (unkId && (*unkId < 0 || *unkId >= static_cast<int>(vocab.size())))
        throw TokenizerError("unk_id " + std::to_string(*unkId) + " is outside the vocabulary of " +
                             std::to_string(vocab.size()) + " pieces");
    double minScore = vocab.front().second;
    m_pieces.reserve(vocab.size());
    m_scores.reserve(vocab.size());
    for (auto& [piece, score] : vocab) {
        if (!std::isfinite(score))
            throw TokenizerError("the score of piece " + quotedForMessage(piece) + " is not a finite number");
        minScore = std::min(minScore, score);
        const int id = static_cast<int>(m_pieces.size());
        if (!piece.empty())
            m_ids[piece] = id; // later duplicates win, as in Hugging Face's piece -> id map
        m_pieces.push_back(std::move(piece));
        m_scores.push_back(score);
    }
    m_unkScore = minScore - kUnkPenalty;
    m_sorted.reserve(m_ids.size());
    for (const auto& [piece, id] : m_ids)
        m_sorted.push_back(id);
    std::sort(m_sorted.begin(), m_sorted.end(), [&](int a, int b) { return piece(a) < piece(b); });
    for (int b = 0; b < 256; ++b) {
        char name[8];
        std::snprintf(name, sizeof name, "<0x%02X>", b);
        const std::optional<int> id = byteFallback ? find(name) : std::nullopt;
        m_byteIds[static_cast<std::size_t>(b)] = id.value_or(-1);
    }
}

std::optional<int> UnigramModel::find(std::string_view piece) const
{
    const auto it = m_ids.find(piece);
    return it != m_ids.end() ? std::optional<int>(it->second) : std::nullopt;
}

template <typename F> void UnigramModel::forEachPrefix(std::string_view text, F&& f) const
{
    // [lo, hi): the sorted pieces that start with text[0, depth). The one equal to it, if any,
    // sorts first; the others all have a byte at `depth`.
    auto lo = m_sorted.begin();
    auto hi = m_sorted.end();
    for (std::size_t depth = 0; depth < text.size() && lo != hi; ++depth) {
        if (piece(*lo).size() == depth)
            ++lo;
        const auto c = static_cast<unsigned char>(text[depth]);
        const auto byteAt = [&](int id) { return static_cast<unsigned char>(piece(id)[depth]); };
        lo = std::lower_bound(lo, hi, c, [&](int id, unsigned char v) { return byteAt(id) < v; });
        hi = std::upper_bound(lo, hi, c, [&](unsigned char v, int id) { return v < byteAt(id); });
        if (lo != hi && piece(*lo).size() == depth + 1)
            f(*lo, depth + 1);
    }
}

std::vector<UnigramModel::Piece> UnigramModel::encode(std::string_view text) const
{
    // best[i]: the best segmentation of text[0, i) ends with piece `id` starting at `start`.
    struct Best
    {
        double score = 0;
        int id = -1;
        std::size_t start = 0;
        bool reached = false;
    };
    const std::size_t n = text.size();
    std::vector<Best> best(n + 1);
    best[0].reached = true;
    const auto offer = [&](std::size_t end, std::size_t start, int id, double score) {
        Best& b = best[end];
        if (!b.reached || score > b.score) // the first of equal scores wins, as in Hugging Face
            b = {score, id, start, true};
    };
    for (std::size_t start = 0; start < n;) {
        const std::size_t charLen = static_cast<std::size_t>(unicode::decodeUtf8(text, start).length);
        const double here = best[start].score;
        bool singleChar = false;
        forEachPrefix(text.substr(start), [&](int id, std::size_t len) {
            offer(start + len, start, id, here + m_scores[static_cast<std::size_t>(id)]);
            singleChar = singleChar || len == charLen;
        });
        if (!singleChar)
            offer(start + charLen, start, m_unkId.value_or(-1), here + m_unkScore);
        start += charLen;
    }

    // Back from the end; unknown runs fused into one piece.
    std::vector<Piece> out;
    for (std::size_t end = n; end > 0;) {
        const Best& b = best[end];
        if (b.id < 0 && !m_unkId)
            throw TokenizerError("text " + quotedForMessage(text.substr(b.start, end - b.start)) +
                                 " is not covered by the vocabulary and there is no unknown piece");
        const bool unk = m_unkId && b.id == *m_unkId;
        if (unk && !out.empty() && m_unkId && out.back().id == *m_unkId && out.back().begin == end)
            out.back().begin = b.start;
        else
            out.push_back({b.id, b.start, end});
        end = b.start;
    }
    std::reverse(out.begin(), out.end());
    if (!m_byteFallback || !m_unkId)
        return out;

    // Byte fallback: an unknown run whose every byte has a "<0xNN>" piece becomes those pieces.
    std::vector<Piece> withBytes;
    for (const Piece& p : out) {
        bool bytesKnown = p.id == *m_unkId;
        for (std::size_t i = p.begin; i < p.end && bytesKnown; ++i)
            bytesKnown = m_byteIds[static_cast<unsigned char>(text[i])] >= 0;
        if (!bytesKnown) {
            withBytes.push_back(p);
            continue;
        }
        for (std::size_t i = p.begin; i < p.end; ++i)
            withBytes.push_back({m_byteIds[static_cast<unsigned char>(text[i])], i, i + 1});
    }
    return withBytes;
}

} // namespace attnviz
