#include "tokenizers/wordpiecetokenizer.h"

#include "tokenizers/unicode.h"
#include "util/messagetext.h"

#include <algorithm>

namespace attnviz {

namespace {

// BERT counts \t \n \r as whitespace, not as control characters.
bool isBertWhitespace(char32_t cp) { return unicode::isWhitespace(cp); }

bool isBertControl(char32_t cp)
{
    return cp != U'\t' && cp != U'\n' && cp != U'\r' && unicode::charClass(cp) == unicode::CharClass::Other;
}

// Unicode P* plus all ASCII non-alphanumeric symbols ($, +, ^, ...), which BERT also splits off.
bool isBertPunctuation(char32_t cp)
{
    if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126))
        return true;
    return unicode::isPunctuation(cp);
}

void replaceAll(std::string& s, std::string_view from, std::string_view to)
{
    for (std::size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
        s.replace(pos, from.size(), to);
}

} // namespace

WordPieceTokenizer::WordPieceTokenizer(const std::vector<std::pair<std::string, int>>& vocab, Options options,
                                       AddedTokens added, PostProcessor post)
    : m_options(std::move(options)), m_added(std::move(added)), m_post(std::move(post))
{
    m_vocab.reserve(vocab.size());
    for (const auto& [piece, id] : vocab) {
        if (id < 0 || id > 10'000'000)
            throw TokenizerError("token id " + std::to_string(id) + " of " + quotedForMessage(piece) + " is out of range");
        if (static_cast<std::size_t>(id) >= m_pieces.size())
            m_pieces.resize(static_cast<std::size_t>(id) + 1);
        m_pieces[static_cast<std::size_t>(id)] = piece;
        m_vocab[piece] = id;
    }
    for (const AddedToken& t : m_added.tokens()) {
        if (static_cast<std::size_t>(t.id) >= m_pieces.size())
            m_pieces.resize(static_cast<std::size_t>(t.id) + 1);
        m_pieces[static_cast<std::size_t>(t.id)] = t.content;
        m_vocab[t.content] = t.id;
    }
    m_unkId = lookup(m_options.unkToken);
    if (m_unkId < 0)
        throw TokenizerError("unknown token " + quotedForMessage(m_options.unkToken) + " is not in the vocabulary");
}

int WordPieceTokenizer::lookup(const std::string& piece) const
{
    const auto it = m_vocab.find(piece);
    return it == m_vocab.end() ? -1 : it->second;
}

std::vector<WordPieceTokenizer::Word> WordPieceTokenizer::preTokenize(const AlignedText& input) const
{
    std::vector<Word> words;
    Word current;
    const auto flush = [&] {
        if (!current.chars.empty())
            words.push_back(std::move(current));
        current = Word();
    };
    std::u32string normalized;
    const std::string& text = input.text;
    for (std::size_t pos = 0; pos < text.size();) {
        const unicode::Decoded d = unicode::decodeUtf8(text, pos);
        const std::pair<int, int> span = input.spanOf(pos, pos + static_cast<std::size_t>(d.length));
        pos += static_cast<std::size_t>(d.length);
        const char32_t cp = d.cp;
        if (m_options.cleanText && (cp == 0 || cp == 0xFFFD || isBertControl(cp)))
            continue;
        if (isBertWhitespace(cp)) {
            flush();
            continue;
        }
        normalized.clear();
        if (m_options.stripAccents)
            unicode::appendStripped(cp, normalized);
        else
            normalized.push_back(cp);
        if (m_options.lowercase) {
            std::u32string lowered;
            for (char32_t c : normalized)
                unicode::appendLower(c, lowered);
            normalized.swap(lowered);
        }
        const bool alone = m_options.handleChineseChars && unicode::isCjkIdeograph(cp);
        for (char32_t c : normalized) {
            if (alone || isBertPunctuation(c)) {
                flush();
                current.chars.push_back(c);
                current.spans.push_back(span);
                flush();
            } else {
                current.chars.push_back(c);
                current.spans.push_back(span);
            }
        }
    }
    flush();
    return words;
}

void WordPieceTokenizer::wordPieces(const Word& word, int segment, std::vector<Token>& out) const
{
    const std::size_t n = word.chars.size();
    const auto token = [&](int id, std::size_t from, std::size_t to, bool continuation) {
        Token t;
        t.id = id;
        t.piece = m_pieces[static_cast<std::size_t>(id)];
        t.display = continuation ? t.piece.substr(m_options.prefix.size()) : t.piece;
        // The widest span of its characters: a composite may reach past the marks after it.
        t.begin = word.spans[from].first;
        t.end = word.spans[to - 1].second;
        for (std::size_t i = from; i < to; ++i) {
            t.begin = std::min(t.begin, word.spans[i].first);
            t.end = std::max(t.end, word.spans[i].second);
        }
        t.segment = segment;
        return t;
    };
    if (n > static_cast<std::size_t>(m_options.maxCharsPerWord)) {
        out.push_back(token(m_unkId, 0, n, false));
        return;
    }
    std::vector<Token> pieces;
    std::size_t start = 0;
    while (start < n) {
        int found = -1;
        std::size_t end = n;
        for (; end > start; --end) {
            std::string piece = start > 0 ? m_options.prefix : std::string();
            piece += unicode::toUtf8(std::u32string_view(word.chars).substr(start, end - start));
            found = lookup(piece);
            if (found >= 0)
                break;
        }
        if (found < 0) { // one unknown stretch makes the whole word [UNK]
            out.push_back(token(m_unkId, 0, n, false));
            return;
        }
        pieces.push_back(token(found, start, end, start > 0));
        start = end;
    }
    out.insert(out.end(), pieces.begin(), pieces.end());
}

std::vector<Token> WordPieceTokenizer::encode(std::string_view text, int segment) const
{
    std::vector<Token> out;
    for (const AddedTokens::Segment& seg : m_added.split(text)) {
        if (seg.token) {
            Token t = seg.toToken(segment);
            t.display = t.piece;
            out.push_back(std::move(t));
            continue;
        }
        const AlignedText plain = m_options.normalizer.apply(
            AlignedText::from(text.substr(seg.begin, seg.end - seg.begin), static_cast<int>(seg.begin)));
        for (const Word& word : preTokenize(plain))
            wordPieces(word, segment, out);
    }
    return out;
}

std::vector<Token> WordPieceTokenizer::encodeForModel(std::string_view text, std::optional<std::string_view> second) const
{
    return m_post.encodePair([this](std::string_view t, int segment) { return encode(t, segment); }, text, second);
}

std::string WordPieceTokenizer::decode(const std::vector<int>& ids) const
{
    // Hugging Face's WordPiece decoder joins with spaces and glues "##" pieces; transformers'
    // clean_up_tokenization then removes the spaces before punctuation and contractions.
    std::string out;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const Token token = tokenForId(ids[i]);
        if (i > 0 && token.piece.starts_with(m_options.prefix)) {
            out.append(token.piece, m_options.prefix.size());
        } else {
            if (i > 0)
                out += ' ';
            out += token.piece;
        }
    }
    for (const auto& [from, to] : {std::pair{" .", "."}, {" ?", "?"}, {" !", "!"}, {" ,", ","}, {" ' ", "'"},
                                   {" n't", "n't"}, {" 'm", "'m"}, {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"}})
        replaceAll(out, from, to);
    return out;
}

Token WordPieceTokenizer::tokenForId(int id) const
{
    if (id < 0 || static_cast<std::size_t>(id) >= m_pieces.size() || m_pieces[static_cast<std::size_t>(id)].empty())
        throw TokenizerError("unknown token id " + std::to_string(id));
    Token t = m_added.tokenForId(id, m_pieces[static_cast<std::size_t>(id)]);
    const bool continuation = t.piece.size() > m_options.prefix.size() && t.piece.starts_with(m_options.prefix);
    t.display = continuation ? t.piece.substr(m_options.prefix.size()) : t.piece;
    return t;
}

std::optional<int> WordPieceTokenizer::idOf(std::string_view piece) const
{
    const int id = lookup(std::string(piece));
    return id >= 0 ? std::optional<int>(id) : std::nullopt;
}

} // namespace attnviz
