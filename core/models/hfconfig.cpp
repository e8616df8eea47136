#include "models/hfconfig.h"

#include "engine/attentionmodel.h"

#include <cmath>

namespace attnviz {

HfConfig::HfConfig(json::Value root, std::string path) : m_root(std::move(root)), m_path(std::move(path)) {}

HfConfig HfConfig::load(const std::string& path)
{
    try {
        json::Value root = json::parseFile(path);
        if (!root.isObject())
            throw ModelLoadError(path + ": not a JSON object");
        return HfConfig(std::move(root), path);
    } catch (const ModelLoadError&) {
        throw;
    } catch (const std::exception& e) {
        throw ModelLoadError(path + ": " + e.what());
    }
}

bool HfConfig::has(const std::string& key) const
{
    const json::Value* v = m_root.find(key);
    return v != nullptr && !v->isNull();
}

int HfConfig::requiredInt(const std::string& key) const
{
    const json::Value* v = m_root.find(key);
    if (v == nullptr || v->isNull())
        throw ModelLoadError(m_path + ": missing \"" + key + "\"");
    if (!v->isNumber() || std::floor(v->asNumber()) != v->asNumber() || v->asNumber() < 0 || v->asNumber() > 1e9) {
        throw ModelLoadError(m_path + ": \"" + key + "\" must be a non-negative integer");
    }
    return static_cast<int>(v->asNumber());
}

int HfConfig::intOr(const std::string& key, int fallback) const
{
    return has(key) ? requiredInt(key) : fallback;
}

double HfConfig::numberOr(const std::string& key, double fallback) const
{
    const json::Value* v = m_root.find(key);
    if (v == nullptr || v->isNull())
        return fallback;
    if (!v->isNumber())
        throw ModelLoadError(m_path + ": \"" + key + "\" must be a number");
    return v->asNumber();
}

bool HfConfig::boolOr(const std::string& key, bool fallback) const
{
    const json::Value* v = m_root.find(key);
    if (v == nullptr || v->isNull())
        return fallback;
    if (!v->isBool())
        throw ModelLoadError(m_path + ": \"" + key + "\" must be true or false");
    return v->asBool();
}

std::string HfConfig::stringOr(const std::string& key, const std::string& fallback) const
{
    const json::Value* v = m_root.find(key);
    if (v == nullptr || v->isNull())
        return fallback;
    if (!v->isString())
        throw ModelLoadError(m_path + ": \"" + key + "\" must be a string");
    return v->asString();
}

} // namespace attnviz
