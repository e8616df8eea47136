#include "tokenizers/unigramtokenizer.h"

#include "tokenizers/metaspace.h"
#include "tokenizers/bytedisplay.h"
#include "tokenizers/unicode.h"

#include <algorithm>
#include <cctype>

namespace attnviz {


UnigramTokenizer::UnigramTokenizer(UnigramModel model, TextNormalizer normalizer, Options options, AddedTokens added,
                                   PostProcessor post)
    : m_model(std::move(model)), m_normalizer(std::move(normalizer)), m_options(options), m_added(std::move(added)),
      m_post(std::move(post))
{
}

std::vector<AlignedText> UnigramTokenizer::words(const AlignedText& normalized, bool atStart) const
{
    // WhitespaceSplit: the runs between whitespace.
    std::vector<AlignedText> parts;
    if (m_options.whitespaceSplit) {
        for (std::size_t pos = 0; pos < normalized.text.size();) {
            std::size_t len = 0;
            const auto space = [&](std::size_t at) {
                const unicode::Decoded d = unicode::decodeUtf8(normalized.text, at);
                len = static_cast<std::size_t>(d.length);
                return unicode::isWhitespace(d.cp);
            };
            if (space(pos)) {
                pos += len;
                continue;
            }
            const std::size_t begin = pos;
            while (pos < normalized.text.size() && !space(pos))
                pos += len;
            AlignedText word;
            word.appendFrom(normalized, begin, pos);
            parts.push_back(std::move(word));
        }
    } else if (!normalized.text.empty()) {
        parts.push_back(normalized);
    }
    if (!m_options.metaspace)
        return parts;

    // Metaspace: spaces become ▁, a ▁ goes in front, and each word starts at a ▁.
    std::vector<AlignedText> out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const AlignedText& part = parts[i];
        AlignedText replaced;
        for (std::size_t pos = 0; pos < part.text.size(); ++pos)
            if (part.text[pos] == ' ')
                replaced.append(kMetaspace, part.spans[pos]);
            else
                replaced.appendFrom(part, pos, pos + 1);
        const bool prepend =
            m_options.prepend == Prepend::Always || (m_options.prepend == Prepend::First && atStart && i == 0);
        if (prepend && !replaced.text.starts_with(kMetaspace)) {
            AlignedText p;
            p.append(kMetaspace, {replaced.spans.front().first, replaced.spans.front().first});
            p.appendFrom(replaced, 0, replaced.text.size());
            replaced = std::move(p);
        }
        if (!m_options.splitOnMetaspace) {
            out.push_back(std::move(replaced));
            continue;
        }
        for (std::size_t begin = 0; begin < replaced.text.size();) {
            std::size_t end = replaced.text.find(kMetaspace, begin + 1);
            end = end == std::string::npos ? replaced.text.size() : end;
            AlignedText word;
            word.appendFrom(replaced, begin, end);
            out.push_back(std::move(word));
            begin = end;
        }
    }
    return out;
}

void UnigramTokenizer::encodePlain(std::string_view text, std::size_t offset, int segment, std::vector<Token>& out,
                                   std::vector<std::string>& bytes) const
{
    const AlignedText normalized = m_normalizer.apply(AlignedText::from(text, static_cast<int>(offset)));
    for (const AlignedText& word : words(normalized, offset == 0)) {
        for (const UnigramModel::Piece& p : m_model.encode(word.text)) {
            Token t;
            t.id = p.id;
            t.piece = m_model.piece(p.id);
            const AlignedText::Span span = word.spanOf(p.begin, p.end);
            t.begin = span.first;
            t.end = span.second;
            t.segment = segment;
            bytes.push_back(m_model.unkId() && p.id == *m_model.unkId() ? t.piece : bytesOf(p.id));
            out.push_back(std::move(t));
        }
    }
}

std::vector<Token> UnigramTokenizer::encode(std::string_view text, int segment) const
{
    return m_added.encodeShown(text, segment,
                               [&](std::string_view plain, std::size_t offset, std::vector<Token>& out,
                                   std::vector<std::string>& bytes) { encodePlain(plain, offset, segment, out, bytes); });
}

std::vector<Token> UnigramTokenizer::encodeForModel(std::string_view text, std::optional<std::string_view> second) const
{
    return m_post.encodePair([this](std::string_view t, int segment) { return encode(t, segment); }, text, second);
}

const std::string& UnigramTokenizer::pieceOf(int id) const
{
    if (const AddedToken* added = m_added.findId(id))
        return added->content;
    if (!m_model.hasId(id))
        throw TokenizerError("unknown token id " + std::to_string(id));
    return m_model.piece(id);
}

bool UnigramTokenizer::isBytePiece(int id) const
{
    if (m_added.findId(id))
        return false;
    const std::string& p = pieceOf(id);
    if (p.size() != 6 || !p.starts_with("<0x") || p.back() != '>' || !std::isxdigit(static_cast<unsigned char>(p[3])) ||
        !std::isxdigit(static_cast<unsigned char>(p[4])))
        return false;
    return m_model.byteId(static_cast<unsigned char>(std::stoi(p.substr(3, 2), nullptr, 16))) == id;
}

std::string UnigramTokenizer::bytesOf(int id) const
{
    const std::string& p = pieceOf(id);
    if (isBytePiece(id))
        return std::string(1, static_cast<char>(std::stoi(p.substr(3, 2), nullptr, 16)));
    return m_added.findId(id) ? p : metaspaceToSpaces(p);
}

std::string UnigramTokenizer::decode(const std::vector<int>& ids) const
{
    // The Metaspace decoder: "▁" -> " ", and the first token loses one leading space. Runs of
    // byte pieces (byte fallback) become their text, or one U+FFFD per piece when they are not
    // valid UTF-8 (the ByteFallback decoder's rule).
    std::string out;
    std::string run;
    std::size_t runPieces = 0;
    const auto flush = [&] {
        bool valid = true;
        for (std::size_t pos = 0; pos < run.size() && valid;
             pos += static_cast<std::size_t>(unicode::validUtf8Length(run, pos)))
            valid = unicode::validUtf8Length(run, pos) > 0;
        if (valid)
            out += run;
        else
            for (std::size_t i = 0; i < runPieces; ++i)
                out += "\xEF\xBF\xBD";
        run.clear();
        runPieces = 0;
    };
    for (std::size_t i = 0; i < ids.size(); ++i) {
        std::string s = bytesOf(ids[i]);
        if (isBytePiece(ids[i])) {
            run += s;
            ++runPieces;
            continue;
        }
        flush();
        if (i == 0 && m_options.decodeStripLeading && s.starts_with(' '))
            s.erase(0, 1);
        out += s;
    }
    flush();
    return out;
}

Token UnigramTokenizer::tokenForId(int id) const
{
    Token t = m_added.tokenForId(id, pieceOf(id));
    t.display = displayForBytes(bytesOf(id));
    return t;
}

int UnigramTokenizer::vocabSize() const
{
    int size = m_model.size();
    for (const AddedToken& t : m_added.tokens())
        size = std::max(size, t.id + 1);
    return size;
}

std::optional<int> UnigramTokenizer::idOf(std::string_view piece) const
{
    if (const AddedToken* t = m_added.findContent(piece))
        return t->id;
    return m_model.find(piece);
}

} // namespace attnviz
