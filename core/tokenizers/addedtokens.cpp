#include "tokenizers/addedtokens.h"

namespace attnviz {

namespace {

bool isAsciiSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

} // namespace

void AddedTokens::add(AddedToken token)
{
    if (token.content.empty()) // would match everywhere and never advance the split
        return;
    for (AddedToken& t : m_tokens) {
        if (t.id == token.id) {
            t = std::move(token);
            return;
        }
    }
    m_tokens.push_back(std::move(token));
}

const AddedToken* AddedTokens::findId(int id) const
{
    for (const AddedToken& t : m_tokens)
        if (t.id == id)
            return &t;
    return nullptr;
}

const AddedToken* AddedTokens::findContent(std::string_view content) const
{
    for (const AddedToken& t : m_tokens)
        if (t.content == content)
            return &t;
    return nullptr;
}

std::vector<AddedTokens::Segment> AddedTokens::split(std::string_view text) const
{
    std::vector<Segment> out;
    std::size_t plainBegin = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const AddedToken* best = nullptr;
        for (const AddedToken& t : m_tokens) {
            if (text.compare(pos, t.content.size(), t.content) == 0 && (!best || t.content.size() > best->content.size()))
                best = &t;
        }
        if (!best) {
            ++pos;
            continue;
        }
        std::size_t begin = pos;
        std::size_t end = pos + best->content.size();
        std::size_t plainEnd = begin;
        if (best->lstrip)
            while (plainEnd > plainBegin && isAsciiSpace(text[plainEnd - 1]))
                --plainEnd;
        if (plainEnd > plainBegin)
            out.push_back({plainBegin, plainEnd, nullptr});
        out.push_back({begin, end, best});
        if (best->rstrip)
            while (end < text.size() && isAsciiSpace(text[end]))
                ++end;
        plainBegin = pos = end;
    }
    if (plainBegin < text.size() || out.empty())
        out.push_back({plainBegin, text.size(), nullptr});
    return out;
}

Token AddedTokens::tokenForId(int id, const std::string& piece) const
{
    Token t;
    t.id = id;
    t.piece = piece;
    const AddedToken* added = findId(id);
    t.special = added != nullptr && added->special;
    return t;
}

Token AddedTokens::Segment::toToken(int segment) const
{
    Token t;
    t.id = token->id;
    t.piece = token->content;
    t.begin = static_cast<int>(begin);
    t.end = static_cast<int>(end);
    t.segment = segment;
    t.special = token->special;
    return t;
}

} // namespace attnviz
