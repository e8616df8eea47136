#include "tokenizers/unicodenormalization.h"

#include "tokenizers/unicode.h"

#include <algorithm>

namespace attnviz::unicode {

namespace {

bool composes(NormalForm form) { return form == NormalForm::Nfc || form == NormalForm::Nfkc; }
bool compatible(NormalForm form) { return form == NormalForm::Nfkd || form == NormalForm::Nfkc; }

struct Item
{
    NormalizedChar c;
    int ccc;
};

// Canonical ordering: every run of non-starters sorted by combining class, stably (equal classes
// keep their order, which is what makes them canonically distinct). Marks of a run that changed
// order all take the run's whole source, so sources never go backwards.
void reorder(std::vector<Item>& items)
{
    const auto byClass = [](const Item& a, const Item& b) { return a.ccc < b.ccc; };
    for (auto it = items.begin(); it != items.end();) {
        if (it->ccc == 0) {
            ++it;
            continue;
        }
        const auto runEnd = std::find_if(it, items.end(), [](const Item& i) { return i.ccc == 0; });
        if (!std::is_sorted(it, runEnd, byClass)) {
            std::stable_sort(it, runEnd, byClass);
            std::size_t first = it->c.first;
            std::size_t last = it->c.last;
            for (auto m = it; m != runEnd; ++m) {
                first = std::min(first, m->c.first);
                last = std::max(last, m->c.last);
            }
            for (auto m = it; m != runEnd; ++m) {
                m->c.first = first;
                m->c.last = last;
            }
        }
        it = runEnd;
    }
}

// Canonical composition: each character joins the last starter when nothing between them blocks
// it (a character in between blocks when its class is 0 or not lower than this one's).
std::vector<Item> compose(const std::vector<Item>& items)
{
    std::vector<Item> out;
    out.reserve(items.size());
    std::size_t starter = 0;
    bool haveStarter = false;
    for (const Item& item : items) {
        if (haveStarter) {
            const bool adjacent = out.size() == starter + 1;
            const int lastCcc = out.back().ccc;
            if (adjacent || (lastCcc != 0 && lastCcc < item.ccc)) {
                if (const char32_t composite = composePair(out[starter].c.cp, item.c.cp)) {
                    NormalizedChar& s = out[starter].c;
                    s.cp = composite;
                    s.first = std::min(s.first, item.c.first);
                    s.last = std::max(s.last, item.c.last);
                    continue;
                }
            }
        }
        if (item.ccc == 0) {
            starter = out.size();
            haveStarter = true;
        }
        out.push_back(item);
    }
    return out;
}

} // namespace

std::optional<NormalForm> normalFormNamed(std::string_view name)
{
    if (name == "NFD")
        return NormalForm::Nfd;
    if (name == "NFC")
        return NormalForm::Nfc;
    if (name == "NFKD")
        return NormalForm::Nfkd;
    if (name == "NFKC")
        return NormalForm::Nfkc;
    return std::nullopt;
}

std::vector<NormalizedChar> normalizeTracked(std::u32string_view text, NormalForm form)
{
    std::vector<Item> items;
    items.reserve(text.size());
    std::u32string parts;
    for (std::size_t i = 0; i < text.size(); ++i) {
        parts.clear();
        appendDecomposition(text[i], compatible(form), parts);
        for (const char32_t p : parts)
            items.push_back({{p, i, i}, combiningClass(p)});
    }
    reorder(items);
    if (composes(form))
        items = compose(items);
    std::vector<NormalizedChar> out;
    out.reserve(items.size());
    for (const Item& item : items)
        out.push_back(item.c);
    return out;
}

std::u32string normalize(std::u32string_view text, NormalForm form)
{
    std::u32string out;
    for (const NormalizedChar& c : normalizeTracked(text, form))
        out.push_back(c.cp);
    return out;
}

} // namespace attnviz::unicode
