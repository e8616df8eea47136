#include "models/hfconfig.h"

#include "base/modelloaderror.h"

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

double HfConfig::requiredNumber(const std::string& key) const
{
    const json::Value* v = m_root.find(key);
    if (v == nullptr || v->isNull())
        throw ModelLoadError(m_path + ": missing \"" + key + "\"");
    if (!v->isNumber())
        throw ModelLoadError(m_path + ": \"" + key + "\" must be a number");
    return v->asNumber();
}

std::string HfConfig::keyText(const std::string& key) const
{
    return m_path + ": \"" + key + "\"";
}

int HfConfig::requiredInt(const std::string& key) const
{
    return checked::toInt<ModelLoadError>(requiredNumber(key), keyText(key), 0);
}

int HfConfig::intOr(const std::string& key, int fallback) const
{
    return has(key) ? requiredInt(key) : fallback;
}

int HfConfig::requiredSize(const std::string& key, SizeKind kind) const
{
    return checkedSize<ModelLoadError>(kind, requiredNumber(key), keyText(key));
}

int HfConfig::sizeOr(const std::string& key, SizeKind kind, int fallback) const
{
    return has(key) ? requiredSize(key, kind) : fallback;
}

int HfConfig::tokenIdOr(const std::string& key, int fallback) const
{
    return has(key) ? checked::toInt<ModelLoadError>(requiredNumber(key), keyText(key), 0, maxTokenId) : fallback;
}

std::vector<int> HfConfig::tokenIds(const std::string& key) const
{
    const json::Value* v = m_root.find(key);
    if (v == nullptr || v->isNull())
        return {};
    if (v->isNumber())
        return {tokenIdOr(key, 0)};
    if (!v->isArray())
        throw ModelLoadError(keyText(key) + " must be a token id or a list of token ids");
    std::vector<int> ids;
    for (const json::Value& e : v->asArray()) {
        if (!e.isNumber())
            throw ModelLoadError(keyText(key) + " must be a token id or a list of token ids");
        ids.push_back(checked::toInt<ModelLoadError>(e, keyText(key) + " entry", 0, maxTokenId));
    }
    return ids;
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

float HfConfig::floatOr(const std::string& key, float fallback) const
{
    return has(key) ? checked::toFloat<ModelLoadError>(requiredNumber(key), keyText(key)) : fallback;
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
