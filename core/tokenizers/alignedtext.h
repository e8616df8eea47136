#pragma once
// Text being normalised, with the span of the original input every byte came from, so tokens of
// normalised text still point at what the user typed.

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace attnviz {

struct AlignedText
{
    using Span = std::pair<int, int>; // [begin, end) byte offsets into the original input

    std::string text;
    std::vector<Span> spans; // one per byte of text

    // `original` as is, its bytes at offset + i.
    static AlignedText from(std::string_view original, int offset)
    {
        AlignedText t;
        t.text.assign(original);
        t.spans.reserve(original.size());
        for (int i = 0; i < static_cast<int>(original.size()); ++i)
            t.spans.emplace_back(offset + i, offset + i + 1);
        return t;
    }

    void append(std::string_view s, Span span)
    {
        text += s;
        spans.insert(spans.end(), s.size(), span);
    }
    // Bytes [begin, end) of `other`, spans kept.
    void appendFrom(const AlignedText& other, std::size_t begin, std::size_t end)
    {
        text.append(other.text, begin, end - begin);
        spans.insert(spans.end(), other.spans.begin() + static_cast<std::ptrdiff_t>(begin),
                     other.spans.begin() + static_cast<std::ptrdiff_t>(end));
    }
    // The original span covered by bytes [begin, end) (empty at the first byte's start when the
    // bytes were inserted, such as a prepended "▁").
    Span spanOf(std::size_t begin, std::size_t end) const
    {
        Span s = spans[begin];
        for (std::size_t i = begin + 1; i < end; ++i) {
            s.first = std::min(s.first, spans[i].first);
            s.second = std::max(s.second, spans[i].second);
        }
        return s;
    }
};

} // namespace attnviz
