#include "models/hfloader.h"

#include "models/bart.h"
#include "models/checkpointmodel.h"
#include "models/configchecks.h"
#include "models/familyloader.h"
#include "models/hfconfig.h"
#include "models/weightarchive.h"
#include "models/seq2seqmodel.h"
#include "models/t5.h"
#include "util/regularfile.h"

#include <filesystem>

namespace fs = std::filesystem;

namespace attnviz {

namespace {

bool hasTokenizerFiles(const fs::path& dir)
{
    for (const char* name :
         {"tokenizer.json", "vocab.json", "vocab.txt", "spiece.model", "sentencepiece.bpe.model", "tokenizer.model"}) {
        if (isPresent((dir / name).string())) // a broken one is then reported by the loader
            return true;
    }
    return false;
}

std::unique_ptr<Transformer> loadFamily(const HfConfig& config, const WeightArchive& weights)
{
    return loadDescribedFamily(config, weights, *findFamily(config.stringOr("model_type", "")));
}

// The encoder-decoder families, each with its own builder; null for any other model_type.
std::unique_ptr<EncoderDecoder> loadEncoderDecoder(const HfConfig& config, const WeightArchive& weights)
{
    const std::string type = config.stringOr("model_type", "");
    if (type == "bart" || type == "mbart" || type == "marian")
        return Bart::load(config, weights);
    if (type == "t5" || type == "mt5")
        return T5::load(config, weights);
    return nullptr;
}

} // namespace

std::unique_ptr<AttentionModel> openHuggingFaceFolder(const std::string& folder)
{
    const fs::path dir(folder);
    const HfConfig config = HfConfig::load((dir / "config.json").string());
    checkConfigBeforeWeights(config); // a folder of another family fails before its weights are opened
    WeightArchive weights = WeightArchive::openFolder(folder);
    weights.refuseNonFinite(); // see WeightArchive::floats

    std::unique_ptr<EncoderDecoder> seq2seq = loadEncoderDecoder(config, weights);
    std::unique_ptr<Transformer> net = seq2seq ? nullptr : loadFamily(config, weights);

    std::vector<std::string> notices = configNotices(config);
    std::unique_ptr<Tokenizer> tokenizer;
    if (hasTokenizerFiles(dir)) {
        try {
            tokenizer = loadTokenizerFromFolder(folder);
        } catch (const std::exception& e) {
            notices.push_back(std::string("the tokenizer could not be loaded (") + e.what() +
                              "); the model takes token ids only");
        }
    } else {
        notices.push_back("no tokenizer files in the folder; the model takes token ids only");
    }
    std::string name = dir.filename().string();
    if (name.empty())
        name = dir.parent_path().filename().string();
    if (seq2seq)
        return std::make_unique<Seq2SeqModel>(std::move(seq2seq), std::move(tokenizer), name, std::move(notices));
    return std::make_unique<CheckpointModel>(std::move(net), std::move(tokenizer), name, std::move(notices));
}

} // namespace attnviz
