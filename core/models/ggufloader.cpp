#include "models/ggufloader.h"

#include "base/modelloaderror.h"
#include "models/checkpointmodel.h"
#include "models/familyloader.h"
#include "models/ggufdescriptions.h"
#include "models/gguffile.h"
#include "models/ggufshards.h"
#include "models/gguftokenizer.h"
#include "models/hfconfig.h"
#include "models/weightarchive.h"
#include "util/messagetext.h"

#include <algorithm>
#include <filesystem>
#include <map>

namespace attnviz {

namespace {

// Arrays longer than this (vocabularies, merges) are not settings and stay out of the config.
constexpr std::size_t maxSettingArray = 4096;

json::Value scalarJson(const GgufValue& v)
{
    if (v.kind() == GgufKind::Bool)
        return json::Value(v.asBool());
    if (v.kind() == GgufKind::String)
        return json::Value(std::string(v.asString()));
    if (v.isFloat())
        return json::Value(v.asDouble());
    if (v.isNegative())
        return json::Value(v.asSigned());
    return json::Value(v.asUnsigned());
}

// The metadata as the config the family loader reads: scalars and short arrays under their own
// GGUF names (so messages name real keys).
json::Object metadataObject(const GgufFile& file)
{
    json::Object out;
    for (const std::string& key : file.keys()) {
        const GgufValue& v = *file.value(key);
        if (!v.isArray()) {
            out.emplace_back(key, scalarJson(v));
        } else if (v.size() <= maxSettingArray && v.elementKind() != GgufKind::Array &&
                   v.elementKind() != GgufKind::String) {
            json::Array elements;
            for (std::size_t i = 0; i < v.size(); ++i)
                elements.push_back(scalarJson(v.element(i)));
            out.emplace_back(key, json::Value(std::move(elements)));
        }
    }
    return out;
}

class GgufConfigBuilder
{
public:
    GgufConfigBuilder(const GgufFile& file, const GgufArchitecture& arch)
        : m_file(file), m_arch(arch), m_prefix(arch.name + "."), m_object(metadataObject(file))
    {
    }

    HfConfig build()
    {
        refuseWhatIsNotCovered();
        set("model_type", m_arch.modelType);
        // No output.weight: the head is the token embedding.
        set("tie_word_embeddings", m_file.find("output.weight") == nullptr);
        if (!has(m_prefix + "vocab_size")) {
            if (const TensorInfo* e = m_file.find("token_embd.weight"); e != nullptr && e->shape.size() == 2)
                set(m_prefix + "vocab_size", static_cast<std::int64_t>(e->shape[0]));
        }
        addStopIds();
        addQueryScale();
        addRopeScaling();
        return HfConfig(json::Value(std::move(m_object)), m_file.path());
    }

private:
    bool has(const std::string& key) const
    {
        return std::any_of(m_object.begin(), m_object.end(), [&key](const auto& kv) { return kv.first == key; });
    }
    void set(const std::string& key, json::Value value)
    {
        for (auto& kv : m_object) {
            if (kv.first == key) {
                kv.second = std::move(value);
                return;
            }
        }
        m_object.emplace_back(key, std::move(value));
    }
    [[noreturn]] void refuse(const std::string& what) const { throw ModelLoadError(m_file.path() + ": " + what); }

    // Settings the descriptions do not compute are refused by name, never silently ignored.
    void refuseWhatIsNotCovered() const
    {
        if (const auto experts = m_file.unsignedInteger(m_prefix + "expert_count"); experts && *experts > 0)
            refuse(quotedForMessage(m_prefix + "expert_count") + " " + std::to_string(*experts) +
                   ": mixture-of-experts models are not supported");
        for (const char* perLayer : {"attention.head_count", "attention.head_count_kv", "feed_forward_length"}) {
            const std::string key = m_prefix + perLayer;
            if (const GgufValue* v = m_file.value(key); v != nullptr && v->isArray())
                refuse(quotedForMessage(key) + " differs per layer; AttnViz reads models whose layers share one size");
        }
        const std::optional<std::uint64_t> ropeDims = m_file.unsignedInteger(m_prefix + "rope.dimension_count");
        const std::optional<std::uint64_t> keyLength = m_file.unsignedInteger(m_prefix + "attention.key_length");
        const std::optional<std::uint64_t> width = m_file.unsignedInteger(m_prefix + "embedding_length");
        const std::optional<std::uint64_t> heads = m_file.unsignedInteger(m_prefix + "attention.head_count");
        const std::uint64_t headSize = keyLength ? *keyLength : (width && heads && *heads > 0 ? *width / *heads : 0);
        if (ropeDims && headSize > 0 && *ropeDims != headSize && m_arch.name != "gpt2")
            refuse(quotedForMessage(m_prefix + "rope.dimension_count") + " " + std::to_string(*ropeDims) +
                   " rotates part of each head; AttnViz reads GGUF models whose RoPE turns the whole head (" +
                   std::to_string(headSize) + ")");
        if (const auto valueLength = m_file.unsignedInteger(m_prefix + "attention.value_length");
            valueLength && headSize > 0 && *valueLength != headSize)
            refuse(quotedForMessage(m_prefix + "attention.value_length") + " differs from the key length");
        for (const char* tensor : {"rope_factors_long.weight", "rope_factors_short.weight"}) {
            if (m_file.find(tensor) != nullptr)
                refuse("tensor " + quotedForMessage(tensor) + ": LongRoPE scaling is not supported");
        }
    }

    void addStopIds()
    {
        json::Array ids;
        for (const char* key : {"tokenizer.ggml.eos_token_id", "tokenizer.ggml.eot_token_id", "tokenizer.ggml.eom_token_id"}) {
            if (const auto id = m_file.unsignedInteger(key))
                ids.push_back(json::Value(*id));
        }
        if (!ids.empty())
            set("eos_token_id", json::Value(std::move(ids)));
    }

    // Gemma 2/3 scale scores by query_pre_attn_scalar^-½, which GGUF does not store: llama.cpp
    // takes the head size, except for the 27B models (46 and 62 layers), whose scalar is width / heads.
    void addQueryScale()
    {
        if (m_arch.family.keys.queryScale.names.empty())
            return;
        const std::string key = m_arch.family.keys.queryScale.primary();
        if (has(key))
            return;
        const auto layers = m_file.unsignedInteger(m_prefix + "block_count");
        const bool is27b = layers && ((m_arch.name == "gemma2" && *layers == 46) || (m_arch.name == "gemma3" && *layers == 62));
        const auto width = m_file.unsignedInteger(m_prefix + "embedding_length");
        const auto heads = m_file.unsignedInteger(m_prefix + "attention.head_count");
        const auto keyLength = m_file.unsignedInteger(m_prefix + "attention.key_length");
        if (is27b && width && heads && *heads > 0)
            set(key, json::Value(static_cast<std::uint64_t>(*width / *heads)));
        else if (keyLength)
            set(key, json::Value(*keyLength));
        else if (width && heads && *heads > 0)
            set(key, json::Value(static_cast<std::uint64_t>(*width / *heads)));
    }

    // rope.scaling.* as config.json's rope_scaling; Llama 3's scaling comes as the rope_freqs tensor.
    void addRopeScaling()
    {
        const std::string typeKey = m_prefix + "rope.scaling.type";
        const std::string type = m_file.string(typeKey).value_or("none");
        if (type == "none")
            return;
        if (type != "linear")
            refuse(quotedForMessage(typeKey) + " " + quotedForMessage(type) + " is not supported (none and linear are)");
        const std::string factorKey = m_prefix + "rope.scaling.factor";
        const std::optional<double> factor = m_file.number(factorKey);
        if (!factor || !(*factor > 0))
            refuse(quotedForMessage(factorKey) + " must be a positive number for linear RoPE scaling");
        json::Object scaling;
        scaling.emplace_back("rope_type", json::Value("linear"));
        scaling.emplace_back("factor", json::Value(*factor));
        set("rope_scaling", json::Value(std::move(scaling)));
    }

    const GgufFile& m_file;
    const GgufArchitecture& m_arch;
    std::string m_prefix;
    json::Object m_object;
};

const GgufArchitecture& architectureOf(const GgufFile& file)
{
    const std::optional<std::string> arch = file.string("general.architecture");
    if (!arch)
        throw ModelLoadError(file.path() + ": no \"general.architecture\"; not a model file");
    const GgufArchitecture* found = findGgufArchitecture(*arch);
    if (found == nullptr) {
        throw ModelLoadError(file.path() + ": GGUF architecture " + quotedForMessage(*arch) +
                             " is not supported (AttnViz reads " + ggufArchitectureNames() + ")");
    }
    return *found;
}

// Tensors per ggml type among the matrices (2-D tensors).
std::map<std::string, int> matrixTypes(const GgufShards& shards)
{
    std::map<std::string, int> count;
    for (const auto& shard : shards) {
        for (const auto& [name, info] : shard->tensors()) {
            if (info.shape.size() == 2)
                ++count[info.dtype];
        }
    }
    return count;
}

std::string quantisationNotice(const GgufShards& shards)
{
    std::string types;
    bool quantised = false;
    for (const auto& [type, n] : matrixTypes(shards)) {
        types += (types.empty() ? "" : ", ") + type + " (" + std::to_string(n) + (n == 1 ? " tensor)" : " tensors)");
        quantised = quantised || (type != "F32" && type != "F16" && type != "BF16");
    }
    if (!quantised)
        return "weights as stored in the GGUF file: " + types;
    return "the weights are quantised: " + types +
           "; the attention shown is that of the quantised model (its weights dequantised exactly, "
           "computed in F32)";
}

// llama.cpp's llama_ftype numbers (general.file_type), for what pickers show.
std::string fileTypeName(std::uint64_t type)
{
    static const std::map<std::uint64_t, const char*> names = {
        {0, "F32"},     {1, "F16"},     {2, "Q4_0"},    {3, "Q4_1"},    {7, "Q8_0"},     {8, "Q5_0"},
        {9, "Q5_1"},    {10, "Q2_K"},   {11, "Q3_K_S"}, {12, "Q3_K_M"}, {13, "Q3_K_L"},  {14, "Q4_K_S"},
        {15, "Q4_K_M"}, {16, "Q5_K_S"}, {17, "Q5_K_M"}, {18, "Q6_K"},   {19, "IQ2_XXS"}, {20, "IQ2_XS"},
        {21, "Q2_K_S"}, {22, "IQ3_XS"}, {23, "IQ3_XXS"}, {24, "IQ1_S"}, {25, "IQ4_NL"},  {26, "IQ3_S"},
        {27, "IQ3_M"},  {28, "IQ2_S"},  {29, "IQ2_M"},  {30, "IQ4_XS"}, {31, "IQ1_M"},   {32, "BF16"},
        {36, "TQ1_0"},  {37, "TQ2_0"},  {38, "MXFP4_MOE"}};
    const auto it = names.find(type);
    return it == names.end() ? std::string() : it->second;
}

std::string displayName(const GgufFile& file, const std::string& path)
{
    if (const auto name = file.string("general.name"); name && !name->empty())
        return *name;
    return std::filesystem::path(path).stem().string();
}

} // namespace

std::unique_ptr<AttentionModel> openGgufFile(const std::string& path)
{
    const GgufShards shards = openGgufShards(path);
    const GgufFile& file = *shards.front(); // the first shard holds the metadata
    const GgufArchitecture& arch = architectureOf(file);
    const HfConfig config = GgufConfigBuilder(file, arch).build();
    WeightArchive weights = WeightArchive::fromFiles({shards.begin(), shards.end()});
    weights.refuseNonFinite(); // floats after conversion; 16-bit values and block scales as stored
    std::unique_ptr<Transformer> net = loadDescribedFamily(config, weights, arch.family);

    std::vector<std::string> notices{quantisationNotice(shards)};
    if (shards.size() > 1)
        notices.push_back("read from " + std::to_string(shards.size()) + " split files");
    std::unique_ptr<Tokenizer> tokenizer;
    try {
        tokenizer = tokenizerFromGguf(file);
    } catch (const std::exception& e) {
        notices.push_back(std::string("the tokenizer could not be loaded (") + e.what() +
                          "); the model takes token ids only");
    }
    return std::make_unique<CheckpointModel>(std::move(net), std::move(tokenizer), displayName(file, path),
                                             std::move(notices));
}

GgufSummary summarizeGguf(const std::string& path)
{
    const GgufShards shards = openGgufShards(path);
    const GgufFile& file = *shards.front();
    GgufSummary s;
    s.name = displayName(file, path);
    s.architecture = file.string("general.architecture").value_or("");
    s.supported = findGgufArchitecture(s.architecture) != nullptr;
    for (const auto& shard : shards) {
        std::error_code error;
        s.bytes += std::filesystem::file_size(shard->path(), error);
    }
    if (const auto type = file.unsignedInteger("general.file_type"))
        s.quantisation = fileTypeName(*type);
    if (s.quantisation.empty()) { // no file type: the type most matrices have
        int most = 0;
        for (const auto& [type, n] : matrixTypes(shards)) {
            if (n > most) {
                most = n;
                s.quantisation = type;
            }
        }
    }
    for (const auto& shard : shards) {
        for (const auto& [name, info] : shard->tensors())
            s.parameters += info.elements();
    }
    return s;
}

} // namespace attnviz
