#pragma once
// Added tokens (<|endoftext|>, [MASK], <s>, ...): matched literally in the raw text before any
// normalisation, as Hugging Face tokenizers do, so typing "[MASK]" gives the mask token.

#include "base/token.h"
#include "tokenizers/bytedisplay.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace attnviz {

struct AddedToken
{
    int id = -1;
    std::string content;
    bool special = false;
    bool lstrip = false; // swallows whitespace on its left
    bool rstrip = false; // swallows whitespace on its right
};

class AddedTokens
{
public:
    // A piece of text: plain text (token == nullptr) to tokenize, or one added token.
    struct Segment
    {
        std::size_t begin;
        std::size_t end;
        const AddedToken* token;
        // The token for an added-token match (id, piece, span, special); display is left empty.
        Token toToken(int segment) const;
    };

    void add(AddedToken token);
    bool empty() const { return m_tokens.empty(); }
    const AddedToken* findId(int id) const;
    // The token of vocabulary id `id` whose vocabulary string is `piece`: special when it is a
    // special added token. No span (it comes from an id, not from text); display left empty.
    Token tokenForId(int id, const std::string& piece) const;
    const AddedToken* findContent(std::string_view content) const;
    const std::vector<AddedToken>& tokens() const { return m_tokens; }

    // Leftmost, then longest, matches. Plain segments may be empty only when the text is.
    std::vector<Segment> split(std::string_view text) const;

    // Tokenizes `text`: each added-token match becomes its token (its content as its bytes), and
    // each plain stretch goes to plain(stretch, offset of the stretch in text).
    template <typename Plain>
    void encode(std::string_view text, int segment, std::vector<Token>& out, std::vector<std::string>& bytes,
                Plain&& plain) const
    {
        for (const Segment& seg : split(text)) {
            if (seg.token) {
                bytes.push_back(seg.token->content);
                out.push_back(seg.toToken(segment));
            } else {
                plain(text.substr(seg.begin, seg.end - seg.begin), seg.begin);
            }
        }
    }

    // encode() for byte-level and SentencePiece tokenizers, every token's display made from its
    // bytes: plain(stretch, offset, out, bytes) appends the tokens of each plain stretch.
    template <typename Plain>
    std::vector<Token> encodeShown(std::string_view text, int segment, Plain&& plain) const
    {
        std::vector<Token> out;
        std::vector<std::string> bytes;
        encode(text, segment, out, bytes,
               [&](std::string_view stretch, std::size_t offset) { plain(stretch, offset, out, bytes); });
        for (std::size_t i = 0; i < out.size(); ++i)
            out[i].display = displayForBytes(bytes[i]);
        return out;
    }

private:
    std::vector<AddedToken> m_tokens;
};

} // namespace attnviz
