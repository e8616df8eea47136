#include "stats/chrf.h"

#include "util/utf8.h"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string>

namespace attnviz {

namespace {

// Python's str.isspace(): sacrebleu removes whitespace with "".join(text.split()).
bool isSpace(char32_t c)
{
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

// Code points of `text` without whitespace.
std::u32string characters(std::string_view text)
{
    std::u32string out;
    for (std::size_t pos = 0; pos < text.size();) {
        const unicode::Decoded d = unicode::decodeUtf8(text, pos);
        pos += static_cast<std::size_t>(d.length);
        if (!isSpace(d.cp))
            out.push_back(d.cp);
    }
    return out;
}

std::map<std::u32string, long long> ngrams(const std::u32string& chars, std::size_t n)
{
    std::map<std::u32string, long long> out;
    for (std::size_t i = 0; i + n <= chars.size(); ++i)
        ++out[chars.substr(i, n)];
    return out;
}

} // namespace

ChrfCounts chrfCounts(std::string_view hypothesis, std::string_view reference)
{
    const std::u32string h = characters(hypothesis);
    const std::u32string r = characters(reference);
    ChrfCounts c;
    for (int n = 1; n <= ChrfOrder; ++n) {
        const auto hn = ngrams(h, static_cast<std::size_t>(n));
        const auto rn = ngrams(r, static_cast<std::size_t>(n));
        const auto i = static_cast<std::size_t>(n - 1);
        for (const auto& [gram, count] : hn) {
            c.hypothesis[i] += count;
            if (const auto it = rn.find(gram); it != rn.end())
                c.matched[i] += std::min(count, it->second);
        }
        for (const auto& entry : rn)
            c.reference[i] += entry.second;
    }
    return c;
}

double chrfScore(const ChrfCounts& counts, double beta)
{
    constexpr double eps = 1e-16; // sacrebleu's value for an undefined precision or recall
    double precision = 0.0;
    double recall = 0.0;
    for (std::size_t i = 0; i < ChrfOrder; ++i) {
        const auto m = static_cast<double>(counts.matched[i]);
        precision += counts.hypothesis[i] > 0 ? m / static_cast<double>(counts.hypothesis[i]) : eps;
        recall += counts.reference[i] > 0 ? m / static_cast<double>(counts.reference[i]) : eps;
    }
    precision /= ChrfOrder;
    recall /= ChrfOrder;
    if (precision + recall == 0.0)
        return 0.0;
    const double factor = beta * beta;
    return 100.0 * (1.0 + factor) * precision * recall / (factor * precision + recall);
}

double corpusChrf(const std::vector<std::string_view>& hypotheses, const std::vector<std::string_view>& references)
{
    if (hypotheses.size() != references.size())
        throw std::invalid_argument("chrF needs one reference per hypothesis");
    ChrfCounts total;
    for (std::size_t k = 0; k < hypotheses.size(); ++k) {
        const ChrfCounts c = chrfCounts(hypotheses[k], references[k]);
        for (std::size_t i = 0; i < ChrfOrder; ++i) {
            total.hypothesis[i] += c.hypothesis[i];
            total.reference[i] += c.reference[i];
            total.matched[i] += c.matched[i];
        }
    }
    return chrfScore(total);
}

} // namespace attnviz
