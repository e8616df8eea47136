#pragma once
// Typed access to a Hugging Face config.json, with errors that name the file and the key.

#include "util/json.h"
#include "util/sizelimits.h"

#include <string>
#include <vector>

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
    // Every number goes through checked:: (no out-of-range cast); the error names the key.
    int requiredInt(const std::string& key) const; // a non-negative int
    int intOr(const std::string& key, int fallback) const;
    // A model size within the bounds of `kind` (util/sizelimits.h).
    int requiredSize(const std::string& key, SizeKind kind) const;
    int sizeOr(const std::string& key, SizeKind kind, int fallback) const;
    // A token id in [0, maxTokenId], or `fallback` when absent.
    int tokenIdOr(const std::string& key, int fallback) const;
    // Token ids from a number or a list of numbers (eos_token_id); empty when absent.
    std::vector<int> tokenIds(const std::string& key) const;
    double numberOr(const std::string& key, double fallback) const;
    float floatOr(const std::string& key, float fallback) const; // finite and within float range
    bool boolOr(const std::string& key, bool fallback) const;
    std::string stringOr(const std::string& key, const std::string& fallback) const;

private:
    double requiredNumber(const std::string& key) const;
    std::string keyText(const std::string& key) const; // "path: \"key\"" for messages

    json::Value m_root;
    std::string m_path;
};

} // namespace attnviz
