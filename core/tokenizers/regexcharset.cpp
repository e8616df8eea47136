#include "tokenizers/regexcharset.h"

#include "tokenizers/unicode.h"

#include <algorithm>
#include <string>

namespace attnviz::regex {

namespace {

std::uint32_t bit(unicode::GeneralCategory c) { return 1u << static_cast<unsigned>(c); }

bool inNamed(CharSet::Named named, char32_t cp)
{
    switch (named) {
    case CharSet::Named::Whitespace: return unicode::isWhitespace(cp);
    case CharSet::Named::Digit: return unicode::generalCategory(cp) == unicode::GeneralCategory::Nd;
    case CharSet::Named::Word: return isWordChar(cp);
    case CharSet::Named::HexDigit:
        return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'f') || (cp >= 'A' && cp <= 'F');
    }
    return false;
}

char32_t simpleLower(char32_t cp)
{
    std::u32string lower;
    unicode::appendLower(cp, lower);
    return lower.size() == 1 ? lower[0] : cp;
}

} // namespace

bool isWordChar(char32_t cp)
{
    using unicode::GeneralCategory;
    constexpr std::uint32_t word = (1u << static_cast<unsigned>(GeneralCategory::Lu)) |
        (1u << static_cast<unsigned>(GeneralCategory::Ll)) | (1u << static_cast<unsigned>(GeneralCategory::Lt)) |
        (1u << static_cast<unsigned>(GeneralCategory::Lm)) | (1u << static_cast<unsigned>(GeneralCategory::Lo)) |
        (1u << static_cast<unsigned>(GeneralCategory::Mn)) | (1u << static_cast<unsigned>(GeneralCategory::Mc)) |
        (1u << static_cast<unsigned>(GeneralCategory::Me)) | (1u << static_cast<unsigned>(GeneralCategory::Nd)) |
        (1u << static_cast<unsigned>(GeneralCategory::Nl)) | (1u << static_cast<unsigned>(GeneralCategory::Pc));
    if (cp < 128)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '_';
    // Other_Alphabetic symbols (circled and squared Latin letters) and the joiners are word characters too.
    if ((cp >= 0x24B6 && cp <= 0x24E9) || (cp >= 0x1F130 && cp <= 0x1F149) || (cp >= 0x1F150 && cp <= 0x1F169) ||
        (cp >= 0x1F170 && cp <= 0x1F189) || cp == 0x200C || cp == 0x200D)
        return true;
    return (word & bit(unicode::generalCategory(cp))) != 0;
}

void CharSet::addRange(char32_t first, char32_t last)
{
    Item item{Item::Kind::Range};
    item.first = first;
    item.last = last;
    m_items.push_back(item);
}

void CharSet::addCategories(std::uint32_t mask, bool negated)
{
    Item item{Item::Kind::Categories};
    item.mask = mask;
    item.negated = negated;
    m_items.push_back(item);
}

void CharSet::addNamed(Named named, bool negated)
{
    Item item{Item::Kind::Named};
    item.named = named;
    item.negated = negated;
    m_items.push_back(item);
}

void CharSet::addSet(CharSet nested)
{
    nested.finish();
    m_nested.push_back(std::move(nested));
}

void CharSet::finish()
{
    m_finished = false;
    m_lowerMembers.clear();
    if (m_caseInsensitive) {
        for (const Item& item : m_items) {
            if (item.kind != Item::Kind::Range || item.last - item.first >= 4096)
                continue;
            for (char32_t cp = item.first; cp <= item.last; ++cp)
                if (const char32_t lower = simpleLower(cp); lower != cp)
                    m_lowerMembers.push_back(lower);
        }
        std::sort(m_lowerMembers.begin(), m_lowerMembers.end());
        m_lowerMembers.erase(std::unique(m_lowerMembers.begin(), m_lowerMembers.end()), m_lowerMembers.end());
    }
    for (char32_t cp = 0; cp < 128; ++cp)
        m_ascii[cp] = containsSlow(cp);
    m_finished = true;
}

bool CharSet::containsExact(char32_t cp) const
{
    for (const Item& item : m_items) {
        bool in = false;
        switch (item.kind) {
        case Item::Kind::Range: in = cp >= item.first && cp <= item.last; break;
        case Item::Kind::Categories: in = (item.mask & bit(unicode::generalCategory(cp))) != 0; break;
        case Item::Kind::Named: in = inNamed(item.named, cp); break;
        }
        if (in != item.negated)
            return true;
    }
    for (const CharSet& nested : m_nested)
        if (nested.contains(cp))
            return true;
    return false;
}

bool CharSet::containsSlow(char32_t cp) const
{
    bool in = containsExact(cp);
    if (!in && m_caseInsensitive) {
        const char32_t lower = simpleLower(cp);
        in = (lower != cp && containsExact(lower)) ||
             std::binary_search(m_lowerMembers.begin(), m_lowerMembers.end(), lower);
    }
    return in != m_negated;
}

} // namespace attnviz::regex
