// What config.json alone decides (core/models/configchecks.h) and the keys newer tools write:
// an unknown family fails before any weight file is read, quantised checkpoints are refused, task
// heads get a notice, rope_parameters replaces rope_theta / rope_scaling, and a RoPE scaling that
// is not understood is an error rather than silently unscaled positions.
#include "engine/attentionmodel.h"
#include "modelfixture.h"
#include "registry/modelregistry.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

#include <filesystem>
#include <fstream>

using namespace attnviz;
using namespace attnviz::testing;

namespace {

std::string errorOf(const std::string& folder)
{
    try {
        openModel(folder);
    } catch (const ModelLoadError& e) {
        return e.what();
    }
    return {};
}

} // namespace

class TestConfigChecks : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string root() const { return m_dir.path().toStdString(); }

private slots:
    void unknownFamilyFailsBeforeTheWeights()
    {
        // No weight file at all: the message is about model_type, not about missing tensors.
        const std::string dir = root() + "/reformeronly";
        std::filesystem::create_directories(dir);
        std::ofstream(dir + "/config.json") << R"({"model_type": "reformer", "d_model": 8})";
        const std::string error = errorOf(dir);
        QVERIFY2(error.find("model_type \"reformer\" is not supported") != std::string::npos, error.c_str());
        QVERIFY2(error.find("gpt_neox") != std::string::npos, error.c_str()); // the families that are read
    }

    void quantisedCheckpointsAreRefused()
    {
        const std::string dir = copyModel(root(), "llama", "gptq",
                                          patchedConfig("llama", "quantization_config",
                                                        R"({"quant_method": "gptq", "bits": 4})"));
        const std::string error = errorOf(dir);
        QVERIFY2(error.find("\"quantization_config\"") != std::string::npos, error.c_str());
        QVERIFY2(error.find("gptq") != std::string::npos, error.c_str());
    }

    void taskHeadsGetANotice()
    {
        const std::string dir = copyModel(root(), "bert", "classifier",
                                          patchedConfig("bert", "architectures", R"(["BertForSequenceClassification"])"));
        RunRequest request;
        request.ids = std::vector<int>{2, 7, 3};
        const auto result = openModel(dir)->run(request);
        const bool noticed = std::any_of(result->notices.begin(), result->notices.end(), [](const std::string& n) {
            return n.find("BertForSequenceClassification") != std::string::npos && n.find("ignored") != std::string::npos;
        });
        QVERIFY(noticed);
    }

    void ropeParametersHoldThetaAndScaling()
    {
        // The llama fixture's rope_theta (500000) moved into rope_parameters, as newer transformers
        // write it: the same attention as the reference. With the default theta it would differ.
        const Reference ref = loadReference("llama");
        const std::string moved = copyModel(root(), "llama", "ropeparams",
                                            patchedConfig("llama", {{"rope_theta", "null"},
                                                                    {"rope_scaling", "null"},
                                                                    {"rope_parameters",
                                                                     R"({"rope_type": "default", "rope_theta": 500000.0})"}}));
        RunRequest request;
        request.ids = ref.ids;
        QVERIFY(maxAbsDiff(openModel(moved)->run(request)->stacks[0].attention.data, ref.attention) < 1e-4f);
        const std::string dropped = copyModel(root(), "llama", "notheta", patchedConfig("llama", "rope_theta", "null"));
        QVERIFY(maxAbsDiff(openModel(dropped)->run(request)->stacks[0].attention.data, ref.attention) > 1e-3f);
    }

    void unknownRopeScalingIsAnError()
    {
        for (const char* key : {"rope_scaling", "rope_parameters"}) {
            const std::string dir = copyModel(root(), "llama", std::string("yarn_") + key,
                                              patchedConfig("llama", key, R"({"rope_type": "yarn", "factor": 4.0})"));
            const std::string error = errorOf(dir);
            QVERIFY2(error.find("\"yarn\"") != std::string::npos && error.find(key) != std::string::npos, error.c_str());
        }
    }

    // Gemma 3's multimodal wrapper: the text model's settings must be there, and the user is told
    // that only the text model runs.
    void multimodalGemmaNeedsItsTextConfig()
    {
        const std::string ok = copyModel(root(), "gemma3_multimodal", "mm_ok");
        RunRequest request;
        request.ids = std::vector<int>{2, 5, 7};
        const auto notices = openModel(ok)->run(request)->notices;
        QVERIFY(std::any_of(notices.begin(), notices.end(),
                            [](const std::string& n) { return n.find("only the text model") != std::string::npos; }));
        const std::string dir =
            copyModel(root(), "gemma3_multimodal", "mm_no_text", patchedConfig("gemma3_multimodal", "text_config", "null"));
        const std::string error = errorOf(dir);
        QVERIFY2(error.find("\"text_config\" must be an object") != std::string::npos, error.c_str());
    }

    // Sliding and global layers are told apart by layer_types; an unknown type is an error, not a guess.
    void unknownLayerTypeIsAnError()
    {
        const std::string dir = copyModel(root(), "gemma3_rope_parameters", "chunked",
                                          patchedConfig("gemma3_rope_parameters", "layer_types",
                                                        R"(["sliding_attention", "chunked_attention", "full_attention"])"));
        const std::string error = errorOf(dir);
        QVERIFY2(error.find("chunked_attention") != std::string::npos && error.find("layer_types") != std::string::npos,
                 error.c_str());
    }
};

QTEST_GUILESS_MAIN(TestConfigChecks)
#include "test_configchecks.moc"
