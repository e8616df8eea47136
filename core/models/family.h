#pragma once
// A checkpoint family as data (in the spirit of llama.cpp's architecture and tensor-name tables):
// which config.json keys give its sizes, the names of its tensors, and the flags that choose its
// block (norm kind and placement, positions, MLP, residual, biases, head). One generic loader
// (models/familyloader.h) and one forward pass (models/generictransformer.h) serve every family
// described here; families.cpp holds the table.

#include <string>
#include <vector>

namespace attnviz {

enum class NormKind {
    LayerNorm,    // (x − mean) / √(var + ε) · g + b
    RmsNorm,      // x / √(mean x² + ε) · g
    RmsNormPlusOne, // Gemma: x / √(mean x² + ε) · (1 + g); the 1 is added at load
};

enum class NormPlacement {
    Pre,      // x += attn(norm(x)); x += mlp(norm(x)) (GPT-2, Llama)
    Post,     // x = norm(x + attn(x)); x = norm(x + mlp(x)) (BERT)
    Parallel, // x += attn(norm₁(x)) + mlp(norm₂(x)) (GPT-NeoX use_parallel_residual)
};

enum class PositionKind {
    Learned,           // a stored table added to the token embedding
    LearnedFromPadding, // RoBERTa: position ids count non-padding tokens from padding_idx + 1
    RotaryHalf,        // RoPE, Hugging Face rotate_half pairs (i, i + d/2)
    Alibi,             // no position embedding: each head adds slope × key position to its scores (BLOOM)
    None,              // no position embedding: positions enter through relative attention only (DeBERTa-v3)
};

// Which layers a sliding_window limits (and, with a local RoPE base, which use it).
enum class SlidingLayers {
    All,        // every layer (Mistral, Phi-3)
    LayerTypes, // config.json "layer_types" ("sliding_attention" / "full_attention"), else every
                // sliding_window_pattern-th layer is global (Gemma 2: every 2nd, Gemma 3: every 6th)
    GlobalFromFirst, // "layer_types", else layers 0, n, 2n, … are global, n = global_attn_every_n_layers (ModernBERT)
};

enum class MlpKind {
    Plain, // down(act(up(x)))
    Gated, // down(act(gate(x)) ⊙ up(x)) (SwiGLU, GeGLU)
};

enum class QkvLayout {
    Separate,     // q, k, v tensors
    Fused,        // one tensor Q | K | V (GPT-2 c_attn, Phi-3 qkv_proj)
    FusedPerHead, // one tensor, per head [q k v] (GPT-NeoX query_key_value)
};

enum class HeadKind {
    CausalLm, // logits = hidden · Wᵀ (tied to the embedding unless stored)
    MaskedLm, // logits = norm(act(hidden · W_t + b_t)) · Eᵀ + b (BERT's cls.predictions)
};

// Alternatives for one config value: the first present key wins.
struct ConfigKey
{
    std::vector<std::string> names;
    std::string primary() const { return names.empty() ? std::string() : names.front(); }
};

struct FamilyKeys
{
    ConfigKey width{{"hidden_size"}};
    ConfigKey layers{{"num_hidden_layers"}};
    ConfigKey heads{{"num_attention_heads"}};
    ConfigKey kvHeads{{"num_key_value_heads"}}; // absent: as many as heads
    ConfigKey vocab{{"vocab_size"}};
    ConfigKey positions{{"max_position_embeddings"}};
    int defaultPositions = 2048;
    int positionTableOffset = 0; // rows of the learned table before position 0 (OPT: 2)
    ConfigKey inner{{"intermediate_size"}};
    int innerTimesWidth = 0; // > 0: the inner size defaults to this × width when the key is absent
    ConfigKey eps{{"rms_norm_eps"}};
    float defaultEps = 1e-6f;
    ConfigKey headDim{{"head_dim"}}; // absent: width / heads
    ConfigKey activation{{"hidden_act"}};
    std::string defaultActivation = "silu";
    ConfigKey ropeTheta{{"rope_theta"}};
    float defaultRopeTheta = 10000.0f;
    ConfigKey rotaryFraction{};   // e.g. rotary_pct: the share of each head's dimensions that rotate
    float defaultRotaryFraction = 1.0f;
    ConfigKey tokenTypes{};       // e.g. type_vocab_size; empty: no token-type embedding
    int defaultTokenTypes = 2;
    ConfigKey embeddingWidth{};   // ALBERT's embedding_size: embeddings this wide, projected to the width
    // Gemma 2/3. Absent keys take the family's default; a null value turns the feature off.
    ConfigKey queryScale{};       // query_pre_attn_scalar s: scores are multiplied by s^-½, not d_k^-½
    float defaultQueryScale = 0;  // 0: d_k
    ConfigKey attnSoftcap{};      // attn_logit_softcapping c: scores become c·tanh(scores / c)
    float defaultAttnSoftcap = 0; // 0: none
    ConfigKey finalSoftcap{};     // final_logit_softcapping, likewise for the logits
    float defaultFinalSoftcap = 0;
    ConfigKey localRopeTheta{};   // rope_local_base_freq: the RoPE base of sliding layers (Gemma 3)
    ConfigKey slidingWindowKey{{"sliding_window"}}; // ModernBERT: local_attention
    ConfigKey slidingPatternKey{{"sliding_window_pattern"}}; // ModernBERT: global_attn_every_n_layers
    ConfigKey mlmActivation{};    // the masked-LM head's activation key (ModernBERT: classifier_activation)
    float defaultLocalRopeTheta = 10000.0f;
    int defaultSlidingWindow = 0; // sliding_window when config.json lacks it; 0: no window
    int defaultSlidingPattern = 6; // sliding_window_pattern when config.json lacks it (LayerTypes)
};

// Tensor names. "{L}" stands for the layer number; every name is tried with each prefix in
// `prefixes` (the first under which the embedding exists is used). An empty name: not stored.
struct FamilyTensors
{
    std::vector<std::string> prefixes{""};
    std::string embedding, positions, tokenTypes, embeddingNorm;
    std::string layer; // e.g. "model.layers.{L}."; without {L}, every layer shares one block (ALBERT)
    std::string embeddingProjection; // (embedding width → width) after the embedding norm (ALBERT)
    std::string outputProjection;    // (width → embedding width) after the final norm, before the head (OPT)
    std::string q, k, v, qkv, o;  // relative to the layer
    std::string qNorm, kNorm;     // per-head RMSNorm of q and k before RoPE (Qwen3)
    std::string attnNorm, mlpNorm; // before (Pre/Parallel) or after (Post) each sub-block
    std::string postAttnNorm, postMlpNorm; // Pre placement: also norm each sub-block's output (Gemma 2/3)
    std::string gate, up, gateUp, down; // gateUp: one tensor gate | up (Phi-3)
    std::string finalNorm, lmHead;
    std::string ropeFactors; // a tensor of per-frequency RoPE divisors, used when stored (GGUF rope_freqs)
    // Masked-LM head (HeadKind::MaskedLm); stored outside the prefix.
    std::string mlmTransform, mlmNorm, mlmDecoder, mlmBias, mlmBiasAlt;
    struct MaskedLmNames
    {
        std::string transform, norm, decoder, bias, biasAlt;
    };
    // Other names of the masked-LM head, tried in order when mlmTransform is not stored
    // (DeBERTa-v2: lm_predictions.lm_head.* in newer checkpoints, cls.predictions.* in legacy ones).
    std::vector<MaskedLmNames> mlmAlternatives;
    // DeBERTa-v2's disentangled attention (models/disentangled.h): the relative-position table and
    // its LayerNorm (relative to the prefix), and each layer's own position projections.
    std::string relEmbeddings, relNorm, posKey, posQuery;
    std::string conv, convNorm; // DeBERTa-v2's ConvLayer after layer 0 (conv_kernel_size > 0), relative to the prefix
};

// A config key that changes the maths in a way this description does not cover: refused unless
// absent or equal to `allowed`.
struct RefusedKey
{
    std::string key;
    std::string allowed; // the value (as JSON text: true, false, "absolute") that is fine
};

struct FamilyDescription
{
    std::vector<std::string> modelTypes; // config.json model_type values
    FamilyKeys keys;
    FamilyTensors tensors;
    NormKind norm = NormKind::RmsNorm;
    bool normHasBias = false;
    NormPlacement placement = NormPlacement::Pre;
    ConfigKey parallelResidualKey{}; // a boolean that turns Parallel off (GPT-NeoX use_parallel_residual)
    ConfigKey preNormKey{};          // a boolean that, false, turns Pre into Post, without a final norm (OPT)
    bool embeddingNorm = false;
    bool projectBeforePositions = false; // OPT: project_in, then positions of the full width
    bool projectBeforeNorm = false;      // DeBERTa: positions and token types, then embed_proj, then the norm (model width)
    ConfigKey absolutePositionsKey{};    // a boolean that, false, drops the learned positions (DeBERTa position_biased_input)
    bool disentangled = false;           // DeBERTa-v2/v3's disentangled attention (models/disentangled.h)
    bool scaleEmbeddingBySqrtWidth = false; // Gemma
    PositionKind positions = PositionKind::RotaryHalf;
    QkvLayout qkv = QkvLayout::Separate;
    bool weightsInOut = false; // GPT-2 Conv1D stores (in, out); nn.Linear stores (out, in)
    bool qkRowsInterleaved = false; // Q and K rows stored as llama.cpp's converter permutes them (GGUF llama)
    bool qkvBias = false;
    bool outputBias = false;
    ConfigKey attentionBiasKey{}; // a boolean that turns q/k/v and output biases on (attention_bias)
    bool mlpBias = false;
    MlpKind mlp = MlpKind::Gated;
    HeadKind head = HeadKind::CausalLm;
    bool causal = true;
    bool tiedByDefault = false; // tie_word_embeddings when absent
    bool alwaysTied = false;    // the head is the embedding whatever the config says (GPT-2)
    std::vector<RefusedKey> refused;
    bool slidingWindow = false; // sliding_window (with use_sliding_window) limits each query's keys
    bool windowBothSides = false; // an encoder's local attention: the window spans both sides, its key the full width
    bool firstLayerAttnNorm = true; // false: layer 0 has no norm before attention (ModernBERT)
    bool mlmTransformBias = true;   // the masked-LM head's transform has a bias (not ModernBERT's)
    SlidingLayers slidingLayers = SlidingLayers::All;
    std::string pipelineNote;   // shown with the pipeline view
    std::string mlmActivation;  // the masked-LM head's own activation (ELECTRA: "gelu"); empty: the blocks'
    // The defaults of the family's transformers config class, as a JSON object: real configs
    // (multimodal ones especially) leave out keys whose value is the default.
    std::string configDefaults;
    // Multimodal wrappers: the text model's settings are this member of config.json (its other keys
    // still apply where the member lacks them), and only the text model is loaded.
    std::string textConfig;
};

// The description serving `modelType`, or nullptr.
const FamilyDescription* findFamily(const std::string& modelType);
// Every described model_type, for messages ("gpt2, bert, ...").
std::vector<std::string> describedModelTypes();

} // namespace attnviz
