#include "tokenizers/bytedisplay.h"

#include "tokenizers/unicode.h"

namespace attnviz {

std::vector<std::string> displayStringsForBytes(const std::vector<std::string>& tokenBytes)
{
    std::string all;
    std::vector<std::size_t> owner; // token index of every byte of `all`
    for (std::size_t t = 0; t < tokenBytes.size(); ++t) {
        all += tokenBytes[t];
        owner.insert(owner.end(), tokenBytes[t].size(), t);
    }
    std::vector<std::string> out(tokenBytes.size());
    std::size_t pos = 0;
    while (pos < all.size()) {
        const int len = unicode::validUtf8Length(all, pos);
        if (len > 0) {
            out[owner[pos]].append(all, pos, static_cast<std::size_t>(len));
            pos += static_cast<std::size_t>(len);
        } else {
            out[owner[pos]] += unicode::escapeInvalidUtf8(std::string_view(all).substr(pos, 1));
            ++pos;
        }
    }
    for (std::size_t t = 0; t < out.size(); ++t)
        if (out[t].empty() && !tokenBytes[t].empty())
            out[t] = unicode::escapeInvalidUtf8(tokenBytes[t]);
    return out;
}

} // namespace attnviz
