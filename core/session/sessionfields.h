#pragma once
// The session reader's strict view of a JSON object: each member read at most once, duplicates and
// members nobody asked for refused, every message naming the member ("mask.cells[3]: ...").

#include "session/session.h"
#include "util/checkednumbers.h"
#include "util/json.h"

#include <limits>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace attnviz::sessionjson {

// Reads one object's members, each at most once, and refuses members nobody asked for: a typo in
// a hand-edited file is an error, not a silently ignored setting.
class Fields
{
public:
    Fields(const json::Value& value, std::string where) : m_where(std::move(where))
    {
        if (!value.isObject())
            throw SessionError(label() + "must be an object");
        m_object = &value.asObject();
        std::unordered_set<std::string_view> seen; // a set, not pairs: a hostile file may hold millions
        for (const auto& member : *m_object) {
            if (!seen.insert(member.first).second)
                throw SessionError(label() + "\"" + member.first + "\" is given twice");
        }
        m_used.assign(m_object->size(), false);
    }

    const json::Value* optional(std::string_view key)
    {
        for (std::size_t i = 0; i < m_object->size(); ++i) {
            if ((*m_object)[i].first == key) {
                m_used[i] = true;
                return &(*m_object)[i].second;
            }
        }
        return nullptr;
    }
    const json::Value& required(std::string_view key)
    {
        const json::Value* v = optional(key);
        if (v == nullptr)
            throw SessionError(label() + "\"" + std::string(key) + "\" is missing");
        return *v;
    }
    std::string name(std::string_view key) const
    {
        return m_where.empty() ? std::string(key) : m_where + "." + std::string(key);
    }

    std::string string(std::string_view key, std::size_t maxBytes, const std::string& fallback)
    {
        const json::Value* v = optional(key);
        if (v == nullptr)
            return fallback;
        if (!v->isString())
            throw SessionError(name(key) + " must be a string");
        if (v->asString().size() > maxBytes)
            throw SessionError(name(key) + " is longer than " + std::to_string(maxBytes) + " bytes");
        return v->asString();
    }
    int integer(std::string_view key, int lo, int hi, int fallback)
    {
        const json::Value* v = optional(key);
        return v == nullptr ? fallback : checked::toInt<SessionError>(*v, name(key), lo, hi);
    }
    bool boolean(std::string_view key, bool fallback)
    {
        const json::Value* v = optional(key);
        if (v != nullptr && !v->isBool())
            throw SessionError(name(key) + " must be true or false");
        return v == nullptr ? fallback : v->asBool();
    }
    void finish() const
    {
        for (std::size_t i = 0; i < m_object->size(); ++i) {
            if (!m_used[i])
                throw SessionError(label() + "unknown member \"" + (*m_object)[i].first + "\"");
        }
    }

private:
    std::string label() const { return m_where.empty() ? std::string() : m_where + ": "; }
    const json::Object* m_object = nullptr;
    std::vector<bool> m_used;
    std::string m_where;
};

inline const json::Array& arrayOf(const json::Value& v, const std::string& what)
{
    if (!v.isArray())
        throw SessionError(what + " must be an array");
    return v.asArray();
}

inline std::vector<int> idsOf(const json::Value* v, const std::string& what, int hi = std::numeric_limits<int>::max())
{
    std::vector<int> ids;
    if (v == nullptr)
        return ids;
    const json::Array& items = arrayOf(*v, what);
    ids.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i)
        ids.push_back(checked::toInt<SessionError>(items[i], what + "[" + std::to_string(i) + "]", 0, hi));
    return ids;
}

} // namespace attnviz::sessionjson
