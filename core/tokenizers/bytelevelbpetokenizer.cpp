#include "tokenizers/bytelevelbpetokenizer.h"

#include "tokenizers/bytedisplay.h"
#include "tokenizers/bytelevelsplit.h"
#include "tokenizers/unicode.h"

#include <unordered_map>

namespace attnviz {

char32_t ByteLevelBpeTokenizer::byteToUnicode(unsigned char byte)
{
    // Printable Latin-1 bytes stand for themselves; the other 68 are moved, in order, to U+0100..
    const auto printable = [](unsigned b) { return (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE; };
    if (printable(byte))
        return byte;
    char32_t n = 0;
    for (unsigned b = 0; b < byte; ++b)
        if (!printable(b))
            ++n;
    return 0x100 + n;
}

ByteLevelBpeTokenizer::ByteLevelBpeTokenizer(BpeModel model, AddedTokens added, PostProcessor post, bool addPrefixSpace,
                                             Split split)
    : m_model(std::move(model))
    , m_added(std::move(added))
    , m_post(std::move(post))
    , m_addPrefixSpace(addPrefixSpace)
    , m_split(split)
{
    std::unordered_map<char32_t, unsigned char> toByte;
    for (unsigned b = 0; b < 256; ++b) {
        const char32_t cp = byteToUnicode(static_cast<unsigned char>(b));
        toByte[cp] = static_cast<unsigned char>(b);
        std::string symbol;
        unicode::appendUtf8(cp, symbol);
        m_byteIds[b] = m_model.idOf(symbol); // -1 when the vocabulary lacks it
    }
    for (const AddedToken& t : m_added.tokens())
        m_model.addPiece(t.content, t.id);
    // Raw bytes of every piece; a piece with characters outside the table keeps its UTF-8.
    m_bytes.resize(static_cast<std::size_t>(m_model.size()));
    for (int id = 0; id < m_model.size(); ++id) {
        if (!m_model.hasId(id))
            continue;
        const std::string& piece = m_model.piece(id);
        std::string& bytes = m_bytes[static_cast<std::size_t>(id)];
        if (m_added.findId(id)) {
            bytes = piece;
            continue;
        }
        for (std::size_t pos = 0; pos < piece.size();) {
            const unicode::Decoded d = unicode::decodeUtf8(piece, pos);
            const auto it = toByte.find(d.cp);
            if (it != toByte.end())
                bytes.push_back(static_cast<char>(it->second));
            else
                bytes.append(piece, pos, static_cast<std::size_t>(d.length));
            pos += static_cast<std::size_t>(d.length);
        }
    }
}

void ByteLevelBpeTokenizer::encodePlain(std::string_view text, std::size_t offset, int segment,
                                        std::vector<Token>& out, std::vector<std::string>& bytes) const
{
    // Normalise, then the prefix space (added, so it spans nothing of the input).
    AlignedText normalized = AlignedText::from(text, static_cast<int>(offset));
    if (!m_normalizer.empty())
        normalized = m_normalizer.apply(std::move(normalized));
    if (m_addPrefixSpace && !normalized.text.empty() && normalized.text.front() != ' ') {
        AlignedText prefixed;
        prefixed.append(" ", {normalized.spans.front().first, normalized.spans.front().first});
        prefixed.appendFrom(normalized, 0, normalized.text.size());
        normalized = std::move(prefixed);
    }
    text = normalized.text;
    const std::vector<ByteRange> words = preSplit(text);
    for (const ByteRange& word : words) {
        if (word.begin == word.end)
            continue;
        const std::string_view w = text.substr(word.begin, word.end - word.begin);
        std::optional<WordCache::Symbols> symbols = m_cache.find(w);
        if (!symbols) {
            WordCache::Symbols initial;
            initial.reserve(w.size());
            std::string mapped; // the word in stand-in characters, as vocabulary pieces spell it
            bool complete = true;
            for (std::size_t i = 0; i < w.size(); ++i) {
                const int id = m_byteIds[static_cast<unsigned char>(w[i])];
                if (id < 0) { // a byte the vocabulary lacks: unknown, or dropped without one
                    complete = false;
                    if (m_unknownId < 0)
                        continue;
                    if (m_fuseUnknown && !initial.empty() && initial.back().id == m_unknownId && initial.back().end == i)
                        initial.back().end = i + 1; // fuse_unk: one unknown for a run of them
                    else
                        initial.push_back({m_unknownId, i, i + 1});
                    continue;
                }
                initial.push_back({id, i, i + 1});
                mapped += m_model.piece(id);
            }
            const int whole = m_ignoreMerges && complete ? m_model.idOf(mapped) : -1;
            symbols = whole >= 0 ? WordCache::Symbols{{whole, 0, w.size()}} : m_model.merge(std::move(initial));
            m_cache.insert(w, *symbols);
        }
        for (const BpeModel::Symbol& s : *symbols) {
            Token t;
            t.id = s.id;
            t.piece = m_model.piece(s.id);
            const AlignedText::Span span = normalized.spanOf(word.begin + s.begin, word.begin + s.end);
            t.begin = span.first;
            t.end = span.second;
            t.segment = segment;
            bytes.push_back(std::string(w.substr(s.begin, s.end - s.begin)));
            out.push_back(std::move(t));
        }
    }
}

std::vector<ByteRange> ByteLevelBpeTokenizer::preSplit(std::string_view text) const
{
    if (m_stages.empty()) {
        switch (m_split) {
        case Split::Gpt2: return splitGpt2(text);
        case Split::Llama3: return splitLlama3(text);
        case Split::Qwen2: return splitQwen2(text);
        case Split::None: break;
        }
        return {{0, text.size()}};
    }
    std::vector<ByteRange> pieces{{0, text.size()}};
    regex::StepBudget budget(text.size()); // one for all stages and pieces of this text
    for (const PreSplitStage& stage : m_stages) {
        std::vector<ByteRange> next;
        for (const ByteRange& piece : pieces) {
            const std::string_view part = text.substr(piece.begin, piece.end - piece.begin);
            std::vector<ByteRange> parts;
            switch (stage.kind) {
            case PreSplit::Gpt2: parts = splitGpt2(part); break;
            case PreSplit::Llama3: parts = splitLlama3(part); break;
            case PreSplit::Qwen2: parts = splitQwen2(part); break;
            case PreSplit::Digits: parts = splitDigits(part, true); break;
            case PreSplit::DigitRuns: parts = splitDigits(part, false); break;
            case PreSplit::Punctuation: parts = splitPunctuation(part); break;
            case PreSplit::Regex: parts = stage.regex->split(part, budget); break;
            }
            for (const ByteRange& r : parts)
                next.push_back({piece.begin + r.begin, piece.begin + r.end});
        }
        pieces = std::move(next);
    }
    return pieces;
}

std::vector<Token> ByteLevelBpeTokenizer::encode(std::string_view text, int segment) const
{
    return m_added.encodeShown(text, segment,
                               [&](std::string_view plain, std::size_t offset, std::vector<Token>& out,
                                   std::vector<std::string>& bytes) { encodePlain(plain, offset, segment, out, bytes); });
}

std::vector<Token> ByteLevelBpeTokenizer::encodeForModel(std::string_view text, std::optional<std::string_view> second) const
{
    return m_post.encodePair([this](std::string_view t, int segment) { return encode(t, segment); }, text, second);
}

std::string ByteLevelBpeTokenizer::decode(const std::vector<int>& ids) const
{
    std::string bytes;
    for (int id : ids) {
        if (!m_model.hasId(id))
            throw TokenizerError("unknown token id " + std::to_string(id));
        bytes += bytesOf(id);
    }
    // Like Python's errors="replace": invalid bytes become U+FFFD, valid text stays.
    std::string out;
    for (std::size_t pos = 0; pos < bytes.size();) {
        const int len = unicode::validUtf8Length(bytes, pos);
        if (len > 0) {
            out.append(bytes, pos, static_cast<std::size_t>(len));
            pos += static_cast<std::size_t>(len);
        } else {
            // One U+FFFD per broken character: a lead byte swallows the continuation bytes it announced.
            const auto lead = static_cast<unsigned char>(bytes[pos]);
            std::size_t expected = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
            out += "\xEF\xBF\xBD";
            ++pos;
            while (expected-- > 0 && pos < bytes.size() && (static_cast<unsigned char>(bytes[pos]) & 0xC0) == 0x80)
                ++pos;
        }
    }
    return out;
}

Token ByteLevelBpeTokenizer::tokenForId(int id) const
{
    if (!m_model.hasId(id))
        throw TokenizerError("unknown token id " + std::to_string(id));
    Token t = m_added.tokenForId(id, m_model.piece(id));
    const AddedToken* added = m_added.findId(id);
    t.display = added ? added->content : displayForBytes(bytesOf(id));
    return t;
}

std::optional<int> ByteLevelBpeTokenizer::idOf(std::string_view piece) const
{
    return m_model.find(piece);
}

} // namespace attnviz
