#include "models/llama2ctokenizer.h"

#include "util/regularfile.h"

#include <cstdio>
#include <cstring>

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

Llama2cTokenizer::Llama2cTokenizer(const std::string& path, int vocabSize)
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
    t.display = t.piece;
    if (id <= eosId) {
        t.special = true;
        t.display = id == bosId ? "<s>" : (id == eosId ? "</s>" : "<unk>");
    } else if (const int byte = byteOfPiece(t.piece); byte >= 0 && byte < 0x80) {
        t.display = std::string(1, static_cast<char>(byte)); // ASCII byte tokens read as the character
    }
    return t;
}

std::vector<Token> Llama2cTokenizer::encode(std::string_view text, int segment) const
{
    struct Part
    {
        int id;
        int begin, end; // byte span in text
    };
    std::vector<Part> parts;
    if (text.empty())
        return {};
    if (const auto space = idOf(" "))
        parts.push_back({*space, 0, 0}); // the dummy prefix of SentencePiece
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t n = std::min(utf8Length(static_cast<unsigned char>(text[i])), text.size() - i);
        if (const auto id = idOf(text.substr(i, n))) {
            parts.push_back({*id, static_cast<int>(i), static_cast<int>(i + n)});
        } else {
            for (std::size_t b = 0; b < n; ++b) { // byte fallback: <0xNN> is id byte + 3
                parts.push_back({static_cast<unsigned char>(text[i + b]) + 3, static_cast<int>(i + b),
                                 static_cast<int>(i + b + 1)});
            }
        }
        i += n;
    }
    while (true) { // merge the best-scoring adjacent pair until none is in the vocabulary
        float bestScore = -1e10f;
        std::size_t best = parts.size();
        int bestId = -1;
        for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
            const auto id = idOf(m_pieces[static_cast<std::size_t>(parts[i].id)] +
                                 m_pieces[static_cast<std::size_t>(parts[i + 1].id)]);
            if (id && m_scores[static_cast<std::size_t>(*id)] > bestScore) {
                bestScore = m_scores[static_cast<std::size_t>(*id)];
                best = i;
                bestId = *id;
            }
        }
        if (best == parts.size())
            break;
        parts[best] = {bestId, parts[best].begin, parts[best + 1].end};
        parts.erase(parts.begin() + static_cast<std::ptrdiff_t>(best) + 1);
    }
    std::vector<Token> tokens;
    for (const Part& p : parts) {
        Token t = tokenForId(p.id);
        t.begin = p.begin;
        t.end = p.end;
        t.segment = segment;
        tokens.push_back(std::move(t));
    }
    return tokens;
}

std::vector<Token> Llama2cTokenizer::encodeForModel(std::string_view text, std::optional<std::string_view>) const
{
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
