#include "tokenizers/sentencepiecebpetokenizer.h"

#include "tokenizers/metaspace.h"
#include "tokenizers/bytedisplay.h"
#include "tokenizers/unicode.h"
#include "util/messagetext.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace attnviz {


SentencePieceBpeTokenizer::SentencePieceBpeTokenizer(BpeModel model, Options options, AddedTokens added,
                                                     PostProcessor post)
    : m_model(std::move(model)), m_options(std::move(options)), m_added(std::move(added)), m_post(std::move(post))
{
    for (const AddedToken& t : m_added.tokens())
        m_model.addPiece(t.content, t.id);
    for (int b = 0; b < 256; ++b) {
        char name[8];
        std::snprintf(name, sizeof name, "<0x%02X>", b);
        m_byteIds[static_cast<std::size_t>(b)] = m_model.idOf(name);
    }
    if (!m_options.unkToken.empty()) {
        m_unkId = m_model.idOf(m_options.unkToken);
        if (m_unkId < 0)
            throw TokenizerError("unknown token " + quotedForMessage(m_options.unkToken) + " is not in the vocabulary");
    }
}

int SentencePieceBpeTokenizer::byteOf(int id) const
{
    const std::string& p = m_model.piece(id);
    if (p.size() != 6 || !p.starts_with("<0x") || p.back() != '>' || !std::isxdigit(static_cast<unsigned char>(p[3]))
        || !std::isxdigit(static_cast<unsigned char>(p[4])))
        return -1;
    const int b = std::stoi(p.substr(3, 2), nullptr, 16);
    return m_byteIds[static_cast<std::size_t>(b)] == id ? b : -1;
}

std::string SentencePieceBpeTokenizer::bytesOf(int id) const
{
    if (const AddedToken* added = m_added.findId(id))
        return added->content;
    const int b = byteOf(id);
    return b >= 0 ? std::string(1, static_cast<char>(b)) : metaspaceToSpaces(m_model.piece(id));
}

WordCache::Symbols SentencePieceBpeTokenizer::wordSymbols(std::string_view word) const
{
    if (std::optional<WordCache::Symbols> cached = m_cache.find(word))
        return *cached;
    WordCache::Symbols symbols;
    const int whole = m_options.ignoreMerges ? m_model.idOf(word) : -1;
    if (whole >= 0) {
        symbols.push_back({whole, 0, word.size()});
    } else {
        for (std::size_t pos = 0; pos < word.size();) {
            const auto len = static_cast<std::size_t>(unicode::decodeUtf8(word, pos).length);
            const int id = m_model.idOf(word.substr(pos, len));
            bool bytesKnown = m_options.byteFallback;
            for (std::size_t i = 0; i < len && bytesKnown; ++i)
                bytesKnown = m_byteIds[static_cast<unsigned char>(word[pos + i])] >= 0;
            if (id >= 0) {
                symbols.push_back({id, pos, pos + len});
            } else if (bytesKnown) {
                for (std::size_t i = 0; i < len; ++i)
                    symbols.push_back({m_byteIds[static_cast<unsigned char>(word[pos + i])], pos + i, pos + i + 1});
            } else if (m_unkId >= 0) {
                if (m_options.fuseUnk && !symbols.empty() && symbols.back().id == m_unkId)
                    symbols.back().end = pos + len;
                else
                    symbols.push_back({m_unkId, pos, pos + len});
            } else {
                throw TokenizerError("character " + quotedForMessage(word.substr(pos, len)) +
                                     " is not in the vocabulary and there is no unknown token");
            }
            pos += len;
        }
        symbols = m_model.merge(std::move(symbols));
    }
    m_cache.insert(word, symbols);
    return symbols;
}

void SentencePieceBpeTokenizer::encodePlain(std::string_view text, std::size_t offset, bool atStart, int segment,
                                            std::vector<Token>& out, std::vector<std::string>& bytes) const
{
    // Normalise (spaces -> ▁, a ▁ in front), remembering the original span of every byte.
    std::string norm;
    std::vector<std::pair<int, int>> spans;
    const auto emit = [&](std::string_view s, int begin, int end) {
        norm += s;
        spans.insert(spans.end(), s.size(), {begin, end});
    };
    AlignedText in = AlignedText::from(text, static_cast<int>(offset));
    if (!m_options.normalizer.empty())
        in = m_options.normalizer.apply(std::move(in));
    text = in.text;
    const bool prepend = m_options.prepend == Prepend::Always || (m_options.prepend == Prepend::First && atStart);
    const bool startsWithMetaspace = text.starts_with(' ') || text.starts_with(kMetaspace);
    if (prepend && !text.empty() && !(m_options.prependUnlessMetaspace && startsWithMetaspace))
        emit(kMetaspace, in.spans.front().first, in.spans.front().first);
    for (std::size_t pos = 0; pos < text.size();) {
        const auto len = static_cast<std::size_t>(unicode::decodeUtf8(text, pos).length);
        const AlignedText::Span span = in.spanOf(pos, pos + len);
        emit(text[pos] == ' ' ? kMetaspace : text.substr(pos, len), span.first, span.second);
        pos += len;
    }
    // Words: the whole text, or (Metaspace split) runs each starting at a ▁.
    std::size_t wordBegin = 0;
    while (wordBegin < norm.size()) {
        std::size_t wordEnd = norm.size();
        if (m_options.splitOnMetaspace) {
            wordEnd = norm.find(kMetaspace, wordBegin + 1);
            if (wordEnd == std::string::npos)
                wordEnd = norm.size();
        }
        const std::string_view word = std::string_view(norm).substr(wordBegin, wordEnd - wordBegin);
        for (const BpeModel::Symbol& s : wordSymbols(word)) {
            Token t;
            t.id = s.id;
            t.piece = m_model.piece(s.id);
            // The widest span of its bytes: a composite may reach past the marks after it.
            t.begin = spans[wordBegin + s.begin].first;
            t.end = spans[wordBegin + s.end - 1].second;
            for (std::size_t i = wordBegin + s.begin; i < wordBegin + s.end; ++i) {
                t.begin = std::min(t.begin, spans[i].first);
                t.end = std::max(t.end, spans[i].second);
            }
            t.segment = segment;
            bytes.push_back(s.id == m_unkId ? t.piece : bytesOf(s.id));
            out.push_back(std::move(t));
        }
        wordBegin = wordEnd;
    }
}

std::vector<Token> SentencePieceBpeTokenizer::encode(std::string_view text, int segment) const
{
    return m_added.encodeShown(text, segment,
                               [&](std::string_view plain, std::size_t offset, std::vector<Token>& out,
                                   std::vector<std::string>& bytes) { encodePlain(plain, offset, offset == 0, segment, out, bytes); });
}

std::vector<Token> SentencePieceBpeTokenizer::encodeForModel(std::string_view text,
                                                             std::optional<std::string_view> second) const
{
    return m_post.encodePair([this](std::string_view t, int segment) { return encode(t, segment); }, text, second);
}

std::string SentencePieceBpeTokenizer::decode(const std::vector<int>& ids) const
{
    // Replace ▁ by spaces, turn runs of byte tokens into text (U+FFFD per byte token when the
    // run is not valid UTF-8, like the ByteFallback decoder), then strip leading spaces.
    std::string out;
    std::string run; // pending bytes of consecutive byte tokens
    std::size_t runTokens = 0;
    const auto flushRun = [&] {
        bool valid = true;
        for (std::size_t pos = 0; pos < run.size() && valid;) {
            const int len = unicode::validUtf8Length(run, pos);
            valid = len > 0;
            pos += static_cast<std::size_t>(len);
        }
        if (valid)
            out += run;
        else
            for (std::size_t i = 0; i < runTokens; ++i)
                out += "\xEF\xBF\xBD";
        run.clear();
        runTokens = 0;
    };
    for (int id : ids) {
        if (!m_model.hasId(id))
            throw TokenizerError("unknown token id " + std::to_string(id));
        const int b = m_added.findId(id) ? -1 : byteOf(id);
        if (b >= 0) {
            run += static_cast<char>(b);
            ++runTokens;
            continue;
        }
        flushRun();
        out += bytesOf(id);
    }
    flushRun();
    for (int i = 0; i < m_options.decodeStripLeading && !out.empty() && out.front() == ' '; ++i)
        out.erase(0, 1);
    return out;
}

Token SentencePieceBpeTokenizer::tokenForId(int id) const
{
    if (!m_model.hasId(id))
        throw TokenizerError("unknown token id " + std::to_string(id));
    Token t = m_added.tokenForId(id, m_model.piece(id));
    t.display = displayForBytes(bytesOf(id));
    return t;
}

std::optional<int> SentencePieceBpeTokenizer::idOf(std::string_view piece) const
{
    return m_model.find(piece);
}

} // namespace attnviz
