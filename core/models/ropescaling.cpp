#include "models/ropescaling.h"

#include "base/modelloaderror.h"
#include "models/hfconfig.h"
#include "util/messagetext.h"

namespace attnviz {

namespace {

// Newer transformers' rope_parameters, or for models with two kinds of layers (Gemma 3) its
// "full_attention" member: the settings of the global layers. Null when absent.
const json::Value* ropeParameters(const HfConfig& config)
{
    const json::Value* v = config.root().find("rope_parameters");
    if (v == nullptr || !v->isObject())
        return v;
    const json::Value* full = v->find("full_attention");
    return full != nullptr ? full : v;
}

// rope_scaling, or rope_parameters (which also holds rope_theta); null if neither.
const json::Value* scalingOf(const HfConfig& config, const char** key)
{
    const json::Value* v = config.root().find("rope_scaling");
    if (v != nullptr && !v->isNull()) {
        *key = "rope_scaling";
        return v;
    }
    v = ropeParameters(config);
    if (v != nullptr && !v->isNull()) {
        *key = "rope_parameters";
        return v;
    }
    return nullptr;
}

} // namespace

float ropeTheta(const HfConfig& config, const std::string& key, float fallback)
{
    const json::Value* parameters = ropeParameters(config);
    if (parameters != nullptr && parameters->isObject() && parameters->find("rope_theta") != nullptr)
        return HfConfig(*parameters, config.path() + " (rope_parameters)").floatOr("rope_theta", fallback);
    return config.floatOr(key, fallback);
}

void applyRopeScaling(const HfConfig& config, std::vector<float>& inverse)
{
    const char* key = "rope_scaling";
    const json::Value* scaling = scalingOf(config, &key);
    if (scaling == nullptr)
        return;
    if (!scaling->isObject())
        throw ModelLoadError(config.path() + ": " + key + " must be an object");
    const HfConfig s(*scaling, config.path() + " (" + key + ")");
    const std::string type = s.stringOr("rope_type", s.stringOr("type", "default"));
    const float factor = s.floatOr("factor", 1.0f);
    if (type == "default")
        return;
    if (!(factor > 0.0f))
        throw ModelLoadError(config.path() + ": rope_scaling factor must be positive");
    if (type == "linear") {
        for (float& f : inverse)
            f /= factor;
    } else if (type == "llama3") {
        const float low = s.floatOr("low_freq_factor", 1.0f);
        const float high = s.floatOr("high_freq_factor", 4.0f);
        const float original = s.floatOr("original_max_position_embeddings", 8192.0f);
        if (!(low > 0.0f) || !(high > 0.0f) || !(original > 0.0f))
            throw ModelLoadError(config.path() + ": rope_scaling llama3 factors must be positive");
        const float lowWavelength = original / low;
        const float highWavelength = original / high;
        for (float& f : inverse) {
            const float wavelength = 2.0f * 3.14159265358979323846f / f;
            if (wavelength > lowWavelength) {
                f /= factor;
            } else if (wavelength >= highWavelength && high != low) {
                const float smooth = (original / wavelength - low) / (high - low);
                f = (1.0f - smooth) * f / factor + smooth * f;
            }
        }
    } else {
        // Unscaled positions would give attention that looks plausible and is wrong.
        throw ModelLoadError(config.path() + ": " + key + " rope_type " + quotedForMessage(type) +
                             " is not supported (default, linear and llama3 are)");
    }
}

} // namespace attnviz
