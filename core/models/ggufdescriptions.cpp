#include "models/ggufdescriptions.h"

#include <vector>

namespace attnviz {

namespace {

// GGUF's name for a tensor role the Hugging Face description fills (empty stays empty).
void rename(std::string& role, const char* ggufName)
{
    if (!role.empty())
        role = ggufName;
}

FamilyTensors ggufTensors(FamilyTensors t)
{
    t.prefixes = {""};
    rename(t.embedding, "token_embd");
    rename(t.positions, "position_embd");
    t.layer = "blk.{L}.";
    rename(t.q, "attn_q");
    rename(t.k, "attn_k");
    rename(t.v, "attn_v");
    rename(t.qkv, "attn_qkv");
    rename(t.o, "attn_output");
    rename(t.qNorm, "attn_q_norm");
    rename(t.kNorm, "attn_k_norm");
    rename(t.attnNorm, "attn_norm");
    rename(t.mlpNorm, "ffn_norm");
    rename(t.postAttnNorm, "post_attention_norm");
    rename(t.postMlpNorm, "post_ffw_norm");
    rename(t.gate, "ffn_gate");
    rename(t.up, "ffn_up");
    rename(t.gateUp, "ffn_up"); // Phi-3: gate | up in one tensor
    rename(t.down, "ffn_down");
    rename(t.finalNorm, "output_norm");
    t.lmHead = "output";
    t.ropeFactors = "rope_freqs";
    return t;
}

// Keys "<arch>.embedding_length", ...; the description's defaults stay.
FamilyKeys ggufKeys(FamilyKeys k, const std::string& arch, const std::string& activation)
{
    const std::string p = arch + ".";
    const auto keyIfUsed = [&p](const ConfigKey& hf, const char* suffix) {
        return hf.names.empty() ? ConfigKey{} : ConfigKey{{p + suffix}};
    };
    k.width = {{p + "embedding_length"}};
    k.layers = {{p + "block_count"}};
    k.heads = {{p + "attention.head_count"}};
    k.kvHeads = {{p + "attention.head_count_kv"}};
    k.vocab = {{p + "vocab_size"}}; // the loader adds it from token_embd when the file lacks it
    k.positions = {{p + "context_length"}};
    k.positionTableOffset = 0;
    k.inner = {{p + "feed_forward_length"}};
    k.eps = {{p + "attention.layer_norm_rms_epsilon", p + "attention.layer_norm_epsilon"}};
    k.headDim = {{p + "attention.key_length"}};
    k.activation = {};
    k.defaultActivation = activation;
    k.ropeTheta = {{p + "rope.freq_base"}};
    k.rotaryFraction = {};
    k.queryScale = keyIfUsed(k.queryScale, "attention.query_pre_attn_scalar"); // the loader derives it
    k.attnSoftcap = keyIfUsed(k.attnSoftcap, "attn_logit_softcapping");
    k.finalSoftcap = keyIfUsed(k.finalSoftcap, "final_logit_softcapping");
    k.localRopeTheta = keyIfUsed(k.localRopeTheta, "rope.freq_base_swa");
    k.slidingWindowKey = {{p + "attention.sliding_window"}};
    k.slidingPatternKey = {{p + "attention.sliding_window_pattern"}};
    return k;
}

GgufArchitecture describe(const std::string& arch, const std::string& modelType, const std::string& activation)
{
    GgufArchitecture a{arch, modelType, activation, *findFamily(modelType)};
    FamilyDescription& f = a.family;
    f.modelTypes = {modelType};
    f.keys = ggufKeys(f.keys, arch, activation);
    f.tensors = ggufTensors(f.tensors);
    if (f.norm == NormKind::RmsNormPlusOne)
        f.norm = NormKind::RmsNorm; // the converter stored 1 + w
    f.weightsInOut = false;         // every GGUF matrix is (out, in)
    f.alwaysTied = false;           // an output.weight is the head (quantised apart from token_embd)
    f.qkRowsInterleaved = arch == "llama";
    f.attentionBiasKey = {};        // stored biases are read whatever a flag says
    f.parallelResidualKey = {};
    f.preNormKey = {};
    f.refused = {};
    f.configDefaults.clear();
    f.textConfig.clear();
    return a;
}

// llama.cpp reads Phi-3's sliding_window but computes full attention (its converters wrote
// windows the models were not trained with), so the maps shown are the ones llama.cpp computes.
GgufArchitecture phi3()
{
    GgufArchitecture a = describe("phi3", "phi3", "silu");
    a.family.slidingWindow = false;
    return a;
}

const std::vector<GgufArchitecture>& architectures()
{
    // llama.cpp computes the MLP of Gemma and GPT-2 with the tanh GELU, the others with SiLU.
    static const std::vector<GgufArchitecture> all = {
        describe("llama", "llama", "silu"),
        describe("qwen2", "qwen2", "silu"),
        describe("qwen3", "qwen3", "silu"),
        describe("gemma", "gemma", "gelu_pytorch_tanh"),
        describe("gemma2", "gemma2", "gelu_pytorch_tanh"),
        describe("gemma3", "gemma3_text", "gelu_pytorch_tanh"),
        phi3(),
        describe("gpt2", "gpt2", "gelu_new"),
    };
    return all;
}

} // namespace

const GgufArchitecture* findGgufArchitecture(const std::string& name)
{
    for (const GgufArchitecture& a : architectures()) {
        if (a.name == name)
            return &a;
    }
    return nullptr;
}

std::string ggufArchitectureNames()
{
    std::string text;
    for (const GgufArchitecture& a : architectures())
        text += (text.empty() ? "" : ", ") + a.name;
    return text;
}

} // namespace attnviz
