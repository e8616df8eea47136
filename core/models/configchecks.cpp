#include "models/configchecks.h"

#include "base/modelloaderror.h"
#include "models/family.h"
#include "models/hfconfig.h"
#include "util/messagetext.h"

namespace attnviz {

void checkConfigBeforeWeights(const HfConfig& config)
{
    const std::string type = config.stringOr("model_type", "");
    const bool encoderDecoder = type == "bart" || type == "t5" || type == "mt5";
    if (!encoderDecoder && findFamily(type) == nullptr) {
        std::string known;
        for (const std::string& t : describedModelTypes())
            known += t + ", ";
        throw ModelLoadError(config.path() + ": model_type " + quotedForMessage(type) + " is not supported (" + known +
                             "bart, t5 and mt5 are)");
    }
    if (const json::Value* q = config.root().find("quantization_config"); q != nullptr && !q->isNull()) {
        const json::Value* method = q->isObject() ? q->find("quant_method") : nullptr;
        const std::string name = method != nullptr && method->isString() ? method->asString() : "unknown";
        throw ModelLoadError(config.path() + ": \"quantization_config\" (quant_method " + quotedForMessage(name) +
                             ") is not supported: AttnViz computes unquantised F32, F16 and BF16 weights; open the "
                             "original checkpoint instead");
    }
}

std::vector<std::string> configNotices(const HfConfig& config)
{
    std::vector<std::string> notices;
    const json::Value* archs = config.root().find("architectures");
    if (archs == nullptr || !archs->isArray())
        return notices;
    for (const json::Value& a : archs->asArray()) {
        if (!a.isString())
            continue;
        const std::string& name = a.asString();
        for (const char* task : {"ForSequenceClassification", "ForTokenClassification", "ForQuestionAnswering",
                                 "ForMultipleChoice"}) {
            if (name.find(task) != std::string::npos) {
                notices.push_back("the checkpoint's task head (" + escapedForMessage(name) +
                                  ") is ignored: attention and hidden states are those of the base model");
            }
        }
    }
    return notices;
}

} // namespace attnviz
