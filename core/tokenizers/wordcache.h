#pragma once
// Thread-safe memo of BPE results per word: text repeats words, and encode() may run on
// several worker threads at once. Bounded so a long session cannot grow it without limit.

#include "tokenizers/bpemodel.h"

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace attnviz {

class WordCache
{
public:
    using Symbols = std::vector<BpeModel::Symbol>;

    std::optional<Symbols> find(std::string_view word) const
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_map.find(std::string(word));
        if (it == m_map.end())
            return std::nullopt;
        return it->second;
    }

    void insert(std::string_view word, const Symbols& symbols) const
    {
        std::lock_guard lock(m_mutex);
        if (m_map.size() >= kMaxEntries)
            m_map.clear();
        m_map.emplace(std::string(word), symbols);
    }

private:
    static constexpr std::size_t kMaxEntries = 100'000;
    mutable std::mutex m_mutex;
    mutable std::unordered_map<std::string, Symbols> m_map;
};

} // namespace attnviz
