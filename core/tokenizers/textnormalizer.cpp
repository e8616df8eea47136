#include "tokenizers/textnormalizer.h"

#include "tokenizers/unicode.h"

#include <algorithm>
#include <functional>

namespace attnviz {

struct TextNormalizer::Step
{
    std::function<AlignedText(const AlignedText&)> run;
};

namespace {

using CharMap = std::function<void(char32_t, std::u32string&)>;

// Rewrites every character through `map`; the output keeps the character's span.
AlignedText mapChars(const AlignedText& in, const CharMap& map)
{
    AlignedText out;
    out.text.reserve(in.text.size());
    std::u32string mapped;
    std::string bytes;
    for (std::size_t pos = 0; pos < in.text.size();) {
        const unicode::Decoded d = unicode::decodeUtf8(in.text, pos);
        const auto len = static_cast<std::size_t>(d.length);
        mapped.clear();
        map(d.cp, mapped);
        if (mapped.size() == 1 && mapped[0] == d.cp) {
            out.appendFrom(in, pos, pos + len); // unchanged (also keeps invalid bytes as they were)
        } else {
            bytes = unicode::toUtf8(mapped);
            out.append(bytes, in.spanOf(pos, pos + len));
        }
        pos += len;
    }
    return out;
}

// The text in `form`. Each run of valid UTF-8 is normalised as a whole (marks may move or join a
// character before them); invalid bytes stay as they were and end a run. An output character
// takes the span of the input characters it came from; one left as it was keeps its own spans.
AlignedText normalizeForm(const AlignedText& in, unicode::NormalForm form)
{
    if (std::all_of(in.text.begin(), in.text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }))
        return in; // ASCII is the same in every form
    AlignedText out;
    out.text.reserve(in.text.size());
    std::u32string chars;
    std::vector<std::size_t> starts; // byte offset of each of `chars` in `in`, then the run's end
    std::string bytes;
    const auto flush = [&](std::size_t end) {
        starts.push_back(end);
        for (const unicode::NormalizedChar& c : unicode::normalizeTracked(chars, form)) {
            if (c.first == c.last && c.cp == chars[c.first]) {
                out.appendFrom(in, starts[c.first], starts[c.first + 1]);
                continue;
            }
            bytes.clear();
            unicode::appendUtf8(c.cp, bytes);
            out.append(bytes, in.spanOf(starts[c.first], starts[c.last + 1]));
        }
        chars.clear();
        starts.clear();
    };
    for (std::size_t pos = 0; pos < in.text.size();) {
        if (unicode::validUtf8Length(in.text, pos) == 0) {
            flush(pos);
            out.appendFrom(in, pos, pos + 1);
            ++pos;
            continue;
        }
        const unicode::Decoded d = unicode::decodeUtf8(in.text, pos);
        chars.push_back(d.cp);
        starts.push_back(pos);
        pos += static_cast<std::size_t>(d.length);
    }
    flush(in.text.size());
    return out;
}

bool isSpaceAt(const AlignedText& t, std::size_t pos, std::size_t& len)
{
    const unicode::Decoded d = unicode::decodeUtf8(t.text, pos);
    len = static_cast<std::size_t>(d.length);
    return unicode::isWhitespace(d.cp);
}

} // namespace

void TextNormalizer::addPrecompiled(std::shared_ptr<const PrecompiledCharsmap> charsmap)
{
    m_steps.push_back(std::make_shared<Step>(Step{[charsmap](const AlignedText& in) {
        AlignedText out;
        for (std::size_t pos = 0; pos < in.text.size();) {
            const PrecompiledCharsmap::Match m = charsmap->longestPrefix(std::string_view(in.text).substr(pos));
            if (m.length > 0) {
                out.append(m.replacement, in.spanOf(pos, pos + m.length));
                pos += m.length;
            } else {
                const auto len = static_cast<std::size_t>(unicode::decodeUtf8(in.text, pos).length);
                out.appendFrom(in, pos, pos + len);
                pos += len;
            }
        }
        return out;
    }}));
}

void TextNormalizer::addReplace(std::string pattern, std::string content)
{
    if (pattern.empty())
        return;
    m_steps.push_back(std::make_shared<Step>(Step{[pattern, content](const AlignedText& in) {
        AlignedText out;
        std::size_t pos = 0;
        for (std::size_t hit; (hit = in.text.find(pattern, pos)) != std::string::npos; pos = hit + pattern.size()) {
            out.appendFrom(in, pos, hit);
            out.append(content, in.spanOf(hit, hit + pattern.size()));
        }
        out.appendFrom(in, pos, in.text.size());
        return out;
    }}));
}

void TextNormalizer::addReplaceRepeats(char32_t c, int minCount, std::string content)
{
    std::string one;
    unicode::appendUtf8(c, one);
    m_steps.push_back(std::make_shared<Step>(Step{[one, minCount, content](const AlignedText& in) {
        AlignedText out;
        for (std::size_t pos = 0; pos < in.text.size();) {
            std::size_t end = pos;
            int count = 0;
            while (in.text.compare(end, one.size(), one) == 0) {
                end += one.size();
                ++count;
            }
            if (count >= minCount && count > 0) {
                out.append(content, in.spanOf(pos, end));
                pos = end;
            } else if (count > 0) {
                out.appendFrom(in, pos, end);
                pos = end;
            } else {
                const auto len = static_cast<std::size_t>(unicode::decodeUtf8(in.text, pos).length);
                out.appendFrom(in, pos, pos + len);
                pos += len;
            }
        }
        return out;
    }}));
}

void TextNormalizer::addStrip(bool left, bool right)
{
    m_steps.push_back(std::make_shared<Step>(Step{[left, right](const AlignedText& in) {
        std::size_t begin = 0;
        std::size_t end = in.text.size();
        std::size_t len = 0;
        while (left && begin < end && isSpaceAt(in, begin, len))
            begin += len;
        if (right) { // the last character that is not whitespace ends the text
            std::size_t lastEnd = begin;
            for (std::size_t pos = begin; pos < end; pos += len)
                if (!isSpaceAt(in, pos, len))
                    lastEnd = pos + len;
            end = lastEnd;
        }
        AlignedText out;
        out.appendFrom(in, begin, end);
        return out;
    }}));
}

void TextNormalizer::addLowercase()
{
    m_steps.push_back(std::make_shared<Step>(Step{[](const AlignedText& in) {
        return mapChars(in, [](char32_t cp, std::u32string& out) { unicode::appendLower(cp, out); });
    }}));
}

void TextNormalizer::addUnicodeForm(unicode::NormalForm form)
{
    m_steps.push_back(std::make_shared<Step>(Step{[form](const AlignedText& in) { return normalizeForm(in, form); }}));
}

void TextNormalizer::addStripAccents()
{
    m_steps.push_back(std::make_shared<Step>(Step{[](const AlignedText& in) {
        return mapChars(in, [](char32_t cp, std::u32string& out) {
            if (!unicode::isMark(cp))
                out.push_back(cp);
        });
    }}));
}

void TextNormalizer::addPrepend(std::string prefix)
{
    m_steps.push_back(std::make_shared<Step>(Step{[prefix](const AlignedText& in) {
        if (in.text.empty())
            return in;
        AlignedText out;
        out.append(prefix, {in.spans.front().first, in.spans.front().first});
        out.appendFrom(in, 0, in.text.size());
        return out;
    }}));
}

void TextNormalizer::addCollapseWhitespace()
{
    m_steps.push_back(std::make_shared<Step>(Step{[](const AlignedText& in) {
        AlignedText out;
        std::size_t len = 0;
        for (std::size_t pos = 0; pos < in.text.size();) {
            if (!isSpaceAt(in, pos, len)) {
                out.appendFrom(in, pos, pos + len);
                pos += len;
                continue;
            }
            const std::size_t begin = pos;
            while (pos < in.text.size() && isSpaceAt(in, pos, len))
                pos += len;
            if (begin > 0 && pos < in.text.size())
                out.append(" ", in.spanOf(begin, pos));
        }
        return out;
    }}));
}

AlignedText TextNormalizer::apply(AlignedText text) const
{
    for (const auto& step : m_steps)
        text = step->run(text);
    return text;
}

} // namespace attnviz
