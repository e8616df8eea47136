#pragma once
// Reads the reference outputs that tools/fixtures/make_model_fixtures.py stored next to each tiny
// checkpoint (tests/data/models/<case>/expected.json) and compares them with our results.

#include "base/tensor.h"
#include "util/json.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <cmath>
#include <span>
#include <string>
#include <vector>

namespace attnviz::testing {

inline std::string modelCase(const std::string& name)
{
    return std::string(ATTNVIZ_TEST_DATA) + "/models/" + name;
}

struct Reference
{
    std::vector<int> ids;
    std::vector<int> tokenTypes;
    std::vector<int> attentionShape; // (layers, heads, T, T)
    std::vector<float> attention;
    Matrix hidden; // (T, d)
    Matrix logits; // (T, vocab)
    int pipelineLayer = -1, pipelineHead = -1;
    Matrix q, k, v; // (T, d_k) of the pipeline head
};

inline std::vector<float> floatsOf(const json::Value& v)
{
    std::vector<float> out;
    for (const auto& x : v.asArray())
        out.push_back(static_cast<float>(x.asNumber()));
    return out;
}

inline std::vector<int> intsOf(const json::Value& v)
{
    std::vector<int> out;
    for (const auto& x : v.asArray())
        out.push_back(static_cast<int>(x.asNumber()));
    return out;
}

inline Matrix matrixOf(const json::Value& data, Index rows)
{
    const std::vector<float> f = floatsOf(data);
    const Index cols = rows == 0 ? 0 : static_cast<Index>(f.size()) / rows;
    return Eigen::Map<const Matrix>(f.data(), rows, cols);
}

inline Reference loadReference(const std::string& name)
{
    const json::Value root = json::parseFile(modelCase(name) + "/expected.json");
    Reference r;
    r.ids = intsOf(*root.find("ids"));
    if (const json::Value* types = root.find("token_type_ids"))
        r.tokenTypes = intsOf(*types);
    r.attentionShape = intsOf(*root.find("attention_shape"));
    r.attention = floatsOf(*root.find("attention"));
    const Index T = static_cast<Index>(r.ids.size());
    r.hidden = matrixOf(*root.find("hidden"), T);
    r.logits = matrixOf(*root.find("logits"), T);
    const json::Value& p = *root.find("pipeline");
    r.pipelineLayer = static_cast<int>(p.find("layer")->asNumber());
    r.pipelineHead = static_cast<int>(p.find("head")->asNumber());
    r.q = matrixOf(*p.find("q"), T);
    r.k = matrixOf(*p.find("k"), T);
    r.v = matrixOf(*p.find("v"), T);
    return r;
}

inline float maxAbsDiff(std::span<const float> a, std::span<const float> b)
{
    if (a.size() != b.size())
        return INFINITY;
    float m = 0.0f;
    for (std::size_t i = 0; i < a.size(); ++i)
        m = std::max(m, std::abs(a[i] - b[i]));
    return m;
}

inline float maxAbsDiff(const Matrix& a, const Matrix& b)
{
    if (a.rows() != b.rows() || a.cols() != b.cols())
        return INFINITY;
    return (a - b).cwiseAbs().maxCoeff();
}

// config.json of tests/data/models/<base> with each key set to its raw JSON text (added when absent).
inline std::string patchedConfig(const std::string& base, const std::vector<std::pair<std::string, std::string>>& changes)
{
    const json::Value root = json::parseFile(modelCase(base) + "/config.json");
    std::string out = "{";
    std::vector<bool> used(changes.size(), false);
    for (const auto& [k, v] : root.asObject()) {
        out += (out.size() > 1 ? "," : "") + json::quote(k) + ":";
        const auto it = std::find_if(changes.begin(), changes.end(), [&](const auto& c) { return c.first == k; });
        if (it != changes.end()) {
            out += it->second;
            used[static_cast<std::size_t>(it - changes.begin())] = true;
        } else {
            out += json::Writer().value(v).str();
        }
    }
    for (std::size_t i = 0; i < changes.size(); ++i) {
        if (!used[i])
            out += "," + json::quote(changes[i].first) + ":" + changes[i].second;
    }
    return out + "}";
}

inline std::string patchedConfig(const std::string& base, const std::string& key, const std::string& value)
{
    return patchedConfig(base, {{key, value}});
}

// A copy of tests/data/models/<base> in root/name (config.json replaced by `config` when given).
inline std::string copyModel(const std::string& root, const std::string& base, const std::string& name,
                             const std::string& config = {})
{
    const std::string dir = root + "/" + name;
    namespace fs = std::filesystem;
    fs::remove_all(dir);
    fs::create_directories(dir);
    for (const auto& entry : fs::directory_iterator(modelCase(base)))
        fs::copy_file(entry.path(), dir + "/" + entry.path().filename().string());
    if (!config.empty())
        std::ofstream(dir + "/config.json", std::ios::trunc) << config;
    return dir;
}

} // namespace attnviz::testing
