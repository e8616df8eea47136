#include "models/ropescaling.h"

#include "base/modelloaderror.h"
#include "models/hfconfig.h"
#include "util/messagetext.h"

namespace attnviz {

void applyRopeScaling(const HfConfig& config, std::vector<float>& inverse, std::vector<std::string>& notes)
{
    const json::Value* scaling = config.root().find("rope_scaling");
    if (scaling == nullptr || scaling->isNull())
        return;
    if (!scaling->isObject())
        throw ModelLoadError(config.path() + ": rope_scaling must be an object");
    const HfConfig s(*scaling, config.path() + " (rope_scaling)");
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
        notes.push_back("rope_scaling type " + quotedForMessage(type) + " is not supported; positions use unscaled RoPE");
    }
}

} // namespace attnviz
