#pragma once
// Typed access to a Hugging Face config.json, with errors that name the file and the key.

#include "util/json.h"

#include <string>

namespace attnviz {

class HfConfig
{
public:
    HfConfig(json::Value root, std::string path);
    static HfConfig load(const std::string& path); // throws ModelLoadError

    const json::Value& root() const { return m_root; }
    const std::string& path() const { return m_path; }
    bool has(const std::string& key) const; // present and not null

    // Required keys throw ModelLoadError when absent or of the wrong type; the others fall back.
    int requiredInt(const std::string& key) const;
    int intOr(const std::string& key, int fallback) const;
    double numberOr(const std::string& key, double fallback) const;
    bool boolOr(const std::string& key, bool fallback) const;
    std::string stringOr(const std::string& key, const std::string& fallback) const;

private:
    json::Value m_root;
    std::string m_path;
};

} // namespace attnviz
