// The checkpoint families AttnViz reads, as data (models/family.h). Names and keys follow the
// Hugging Face transformers modelling code of each family, which is their specification.
#include "models/family.h"

namespace attnviz {

namespace {

FamilyDescription gpt2()
{
    FamilyDescription f;
    f.modelTypes = {"gpt2"};
    f.keys.width = {{"n_embd"}};
    f.keys.layers = {{"n_layer"}};
    f.keys.heads = {{"n_head"}};
    f.keys.kvHeads = {};
    f.keys.positions = {{"n_positions", "n_ctx"}};
    f.keys.defaultPositions = 1024;
    f.keys.inner = {{"n_inner"}};
    f.keys.innerTimesWidth = 4;
    f.keys.eps = {{"layer_norm_epsilon"}};
    f.keys.defaultEps = 1e-5f;
    f.keys.headDim = {};
    f.keys.activation = {{"activation_function"}};
    f.keys.defaultActivation = "gelu_new";
    f.tensors.prefixes = {"transformer.", ""};
    f.tensors.embedding = "wte";
    f.tensors.positions = "wpe";
    f.tensors.layer = "h.{L}.";
    f.tensors.qkv = "attn.c_attn";
    f.tensors.o = "attn.c_proj";
    f.tensors.attnNorm = "ln_1";
    f.tensors.mlpNorm = "ln_2";
    f.tensors.up = "mlp.c_fc";
    f.tensors.down = "mlp.c_proj";
    f.tensors.finalNorm = "ln_f";
    f.norm = NormKind::LayerNorm;
    f.normHasBias = true;
    f.positions = PositionKind::Learned;
    f.qkv = QkvLayout::Fused;
    f.weightsInOut = true; // Conv1D
    f.qkvBias = f.outputBias = f.mlpBias = true;
    f.mlp = MlpKind::Plain;
    f.alwaysTied = true;
    f.refused = {{"scale_attn_by_inverse_layer_idx", "false"}};
    f.pipelineNote = "GPT-2 adds biases: Q = X·W_Q + b_Q (likewise K, V and the output)";
    return f;
}

// Llama and the families that share its layout: RMSNorm, RoPE, grouped-query attention, SwiGLU.
FamilyDescription llamaLike(std::vector<std::string> types)
{
    FamilyDescription f;
    f.modelTypes = std::move(types);
    f.tensors.embedding = "model.embed_tokens";
    f.tensors.layer = "model.layers.{L}.";
    f.tensors.q = "self_attn.q_proj";
    f.tensors.k = "self_attn.k_proj";
    f.tensors.v = "self_attn.v_proj";
    f.tensors.o = "self_attn.o_proj";
    f.tensors.attnNorm = "input_layernorm";
    f.tensors.mlpNorm = "post_attention_layernorm";
    f.tensors.gate = "mlp.gate_proj";
    f.tensors.up = "mlp.up_proj";
    f.tensors.down = "mlp.down_proj";
    f.tensors.finalNorm = "model.norm";
    f.tensors.lmHead = "lm_head";
    f.attentionBiasKey = {{"attention_bias"}};
    return f;
}

FamilyDescription llama()
{
    return llamaLike({"llama"});
}

FamilyDescription mistral()
{
    FamilyDescription f = llamaLike({"mistral"});
    f.slidingWindow = true;
    return f;
}

FamilyDescription qwen2()
{
    FamilyDescription f = llamaLike({"qwen2"});
    f.qkvBias = true; // q/k/v biases, no output bias
    f.refused = {{"use_sliding_window", "false"}};
    f.pipelineNote = "Q = X·W_Q + b_Q (this model has q/k/v biases)";
    return f;
}

FamilyDescription qwen3()
{
    FamilyDescription f = llamaLike({"qwen3"});
    f.tensors.qNorm = "self_attn.q_norm";
    f.tensors.kNorm = "self_attn.k_norm";
    f.refused = {{"use_sliding_window", "false"}};
    return f;
}

FamilyDescription gemma()
{
    FamilyDescription f = llamaLike({"gemma"});
    f.norm = NormKind::RmsNormPlusOne;
    f.scaleEmbeddingBySqrtWidth = true;
    // hidden_activation; Gemma's code takes the tanh GELU when it is absent, whatever hidden_act says.
    f.keys.activation = {{"hidden_activation"}};
    f.keys.defaultActivation = "gelu_pytorch_tanh";
    f.tiedByDefault = true;
    f.pipelineNote = "X is the RMSNorm of the residual stream, whose embeddings are scaled by √d_model";
    return f;
}

// Gemma 2: Gemma's block with a norm after attention and after the MLP too, scores scaled by
// query_pre_attn_scalar and soft-capped, every other layer (0, 2, …) a sliding-window one.
FamilyDescription gemma2()
{
    FamilyDescription f = gemma();
    f.modelTypes = {"gemma2"};
    f.tensors.mlpNorm = "pre_feedforward_layernorm";
    f.tensors.postAttnNorm = "post_attention_layernorm";
    f.tensors.postMlpNorm = "post_feedforward_layernorm";
    // Defaults of transformers' Gemma2Config, for configs that leave a key out.
    f.keys.queryScale = {{"query_pre_attn_scalar"}};
    f.keys.defaultQueryScale = 256;
    f.keys.attnSoftcap = {{"attn_logit_softcapping"}};
    f.keys.defaultAttnSoftcap = 50;
    f.keys.finalSoftcap = {{"final_logit_softcapping"}};
    f.keys.defaultFinalSoftcap = 30;
    f.keys.defaultSlidingWindow = 4096;
    f.keys.defaultSlidingPattern = 2;
    f.slidingWindow = true;
    f.slidingLayers = SlidingLayers::LayerTypes;
    return f;
}

// Gemma 3 (text): Gemma 2's block without soft-capping, with (1 + w) RMSNorms of each head's q and
// k, five sliding layers to one global, and a RoPE base of its own for the sliding layers.
FamilyDescription gemma3()
{
    FamilyDescription f = gemma2();
    f.modelTypes = {"gemma3_text"};
    f.tensors.qNorm = "self_attn.q_norm";
    f.tensors.kNorm = "self_attn.k_norm";
    f.keys.defaultAttnSoftcap = 0;
    f.keys.defaultFinalSoftcap = 0;
    f.keys.defaultRopeTheta = 1000000.0f;
    f.keys.localRopeTheta = {{"rope_local_base_freq"}};
    f.keys.defaultLocalRopeTheta = 10000.0f;
    f.keys.defaultSlidingPattern = 6;
    f.refused = {{"use_bidirectional_attention", "false"}};
    // Gemma3TextConfig's defaults (the sizes are Gemma 3 4B's).
    f.configDefaults = R"({"vocab_size": 262208, "hidden_size": 2304, "intermediate_size": 9216,
        "num_hidden_layers": 26, "num_attention_heads": 8, "num_key_value_heads": 4, "head_dim": 256,
        "hidden_activation": "gelu_pytorch_tanh", "max_position_embeddings": 131072, "rms_norm_eps": 1e-6,
        "pad_token_id": 0, "eos_token_id": 1, "bos_token_id": 2, "tie_word_embeddings": true,
        "rope_theta": 1000000.0, "attention_bias": false, "query_pre_attn_scalar": 256, "sliding_window": 4096,
        "final_logit_softcapping": null, "attn_logit_softcapping": null, "rope_local_base_freq": 10000.0})";
    return f;
}

// Gemma 3's multimodal checkpoints (Gemma3ForConditionalGeneration): the text model's settings are
// under text_config and its tensors under language_model.model. (transformers < 4.52) or
// model.language_model.; the vision tower is not read.
FamilyDescription gemma3Multimodal()
{
    FamilyDescription f = gemma3();
    f.modelTypes = {"gemma3"};
    f.textConfig = "text_config";
    f.tensors.prefixes = {"language_model.model.", "model.language_model."};
    f.tensors.embedding = "embed_tokens";
    f.tensors.layer = "layers.{L}.";
    f.tensors.finalNorm = "norm";
    return f;
}

FamilyDescription phi3()
{
    FamilyDescription f = llamaLike({"phi3"});
    f.tensors.q = f.tensors.k = f.tensors.v = "";
    f.tensors.qkv = "self_attn.qkv_proj";
    f.tensors.gate = f.tensors.up = "";
    f.tensors.gateUp = "mlp.gate_up_proj";
    f.qkv = QkvLayout::Fused;
    f.keys.rotaryFraction = {{"partial_rotary_factor"}};
    f.slidingWindow = true;
    return f;
}

// OPT: GPT-2's pre-LayerNorm block with nn.Linear weights, ReLU, positions from a table whose
// first two rows are reserved; OPT-350m normalises after each block instead
// (do_layer_norm_before false) and projects between word_embed_proj_dim and the width.
FamilyDescription opt()
{
    FamilyDescription f;
    f.modelTypes = {"opt"};
    f.keys.kvHeads = {};
    f.keys.inner = {{"ffn_dim"}};
    f.keys.eps = {};
    f.keys.defaultEps = 1e-5f;
    f.keys.headDim = {};
    f.keys.activation = {{"activation_function"}};
    f.keys.defaultActivation = "relu";
    f.keys.positionTableOffset = 2;
    f.keys.embeddingWidth = {{"word_embed_proj_dim"}};
    f.tensors.prefixes = {"model.", ""};
    f.tensors.embedding = "decoder.embed_tokens";
    f.tensors.positions = "decoder.embed_positions";
    f.tensors.embeddingProjection = "decoder.project_in";
    f.tensors.outputProjection = "decoder.project_out";
    f.tensors.layer = "decoder.layers.{L}.";
    f.tensors.q = "self_attn.q_proj";
    f.tensors.k = "self_attn.k_proj";
    f.tensors.v = "self_attn.v_proj";
    f.tensors.o = "self_attn.out_proj";
    f.tensors.attnNorm = "self_attn_layer_norm";
    f.tensors.up = "fc1";
    f.tensors.down = "fc2";
    f.tensors.mlpNorm = "final_layer_norm";
    f.tensors.finalNorm = "decoder.final_layer_norm";
    f.tensors.lmHead = "lm_head";
    f.norm = NormKind::LayerNorm;
    f.normHasBias = true;
    f.preNormKey = {{"do_layer_norm_before"}};
    f.projectBeforePositions = true;
    f.positions = PositionKind::Learned;
    f.qkvBias = f.outputBias = f.mlpBias = true;
    f.mlp = MlpKind::Plain;
    f.tiedByDefault = true;
    f.refused = {{"enable_bias", "true"}, {"layer_norm_elementwise_affine", "true"}, {"_remove_final_layer_norm", "false"}};
    f.pipelineNote = "OPT adds biases: Q = X·W_Q + b_Q (likewise K, V and the output)";
    return f;
}

// BLOOM: ALiBi instead of position embeddings, a LayerNorm over the word embeddings, per-head
// fused query_key_value, tanh GELU, tied head.
FamilyDescription bloom()
{
    FamilyDescription f;
    f.modelTypes = {"bloom"};
    f.keys.width = {{"hidden_size", "n_embed"}};
    f.keys.layers = {{"n_layer", "num_hidden_layers"}};
    f.keys.heads = {{"n_head", "num_attention_heads"}};
    f.keys.kvHeads = {};
    f.keys.positions = {{"seq_length"}};
    f.keys.inner = {};
    f.keys.innerTimesWidth = 4;
    f.keys.eps = {{"layer_norm_epsilon"}};
    f.keys.defaultEps = 1e-5f;
    f.keys.headDim = {};
    f.keys.activation = {};
    f.keys.defaultActivation = "gelu_new"; // BloomGelu: the tanh approximation, fixed
    f.tensors.prefixes = {"transformer.", ""};
    f.tensors.embedding = "word_embeddings";
    f.tensors.embeddingNorm = "word_embeddings_layernorm";
    f.tensors.layer = "h.{L}.";
    f.tensors.qkv = "self_attention.query_key_value";
    f.tensors.o = "self_attention.dense";
    f.tensors.attnNorm = "input_layernorm";
    f.tensors.mlpNorm = "post_attention_layernorm";
    f.tensors.up = "mlp.dense_h_to_4h";
    f.tensors.down = "mlp.dense_4h_to_h";
    f.tensors.finalNorm = "ln_f";
    f.tensors.lmHead = "lm_head";
    f.norm = NormKind::LayerNorm;
    f.normHasBias = true;
    f.embeddingNorm = true;
    f.positions = PositionKind::Alibi;
    f.qkv = QkvLayout::FusedPerHead;
    f.qkvBias = f.outputBias = f.mlpBias = true;
    f.mlp = MlpKind::Plain;
    f.tiedByDefault = true;
    f.refused = {{"apply_residual_connection_post_layernorm", "false"}};
    f.pipelineNote = "BLOOM adds biases: Q = X·W_Q + b_Q (likewise K, V and the output)";
    return f;
}

FamilyDescription gptNeox()
{
    FamilyDescription f;
    f.modelTypes = {"gpt_neox"};
    f.keys.eps = {{"layer_norm_eps"}};
    f.keys.defaultEps = 1e-5f;
    f.keys.headDim = {};
    f.keys.activation = {{"hidden_act"}};
    f.keys.defaultActivation = "gelu";
    f.keys.ropeTheta = {{"rotary_emb_base", "rope_theta"}};
    f.keys.rotaryFraction = {{"rotary_pct", "partial_rotary_factor"}};
    f.keys.defaultRotaryFraction = 0.25f;
    f.tensors.prefixes = {"gpt_neox.", ""};
    f.tensors.embedding = "embed_in";
    f.tensors.layer = "layers.{L}.";
    f.tensors.qkv = "attention.query_key_value";
    f.tensors.o = "attention.dense";
    f.tensors.attnNorm = "input_layernorm";
    f.tensors.mlpNorm = "post_attention_layernorm";
    f.tensors.up = "mlp.dense_h_to_4h";
    f.tensors.down = "mlp.dense_4h_to_h";
    f.tensors.finalNorm = "final_layer_norm";
    f.tensors.lmHead = "embed_out";
    f.norm = NormKind::LayerNorm;
    f.normHasBias = true;
    f.placement = NormPlacement::Parallel;
    f.parallelResidualKey = {{"use_parallel_residual"}};
    f.qkv = QkvLayout::FusedPerHead;
    f.qkvBias = f.outputBias = f.mlpBias = true;
    f.attentionBiasKey = {};
    f.mlp = MlpKind::Plain;
    f.pipelineNote = "GPT-NeoX adds biases: Q = X·W_Q + b_Q; attention and MLP read the same layer input (parallel residual)";
    return f;
}

// BERT and the encoders that share its post-LayerNorm layout.
FamilyDescription bertLike(std::vector<std::string> types)
{
    FamilyDescription f;
    f.modelTypes = std::move(types);
    f.keys.positions = {{"max_position_embeddings"}};
    f.keys.defaultPositions = 512;
    f.keys.eps = {{"layer_norm_eps"}};
    f.keys.defaultEps = 1e-12f;
    f.keys.headDim = {};
    f.keys.kvHeads = {};
    f.keys.activation = {{"hidden_act"}};
    f.keys.defaultActivation = "gelu";
    f.keys.tokenTypes = {{"type_vocab_size"}};
    f.tensors.prefixes = {"bert.", ""};
    f.tensors.embedding = "embeddings.word_embeddings";
    f.tensors.positions = "embeddings.position_embeddings";
    f.tensors.tokenTypes = "embeddings.token_type_embeddings";
    f.tensors.embeddingNorm = "embeddings.LayerNorm";
    f.tensors.layer = "encoder.layer.{L}.";
    f.tensors.q = "attention.self.query";
    f.tensors.k = "attention.self.key";
    f.tensors.v = "attention.self.value";
    f.tensors.o = "attention.output.dense";
    f.tensors.attnNorm = "attention.output.LayerNorm";
    f.tensors.up = "intermediate.dense";
    f.tensors.down = "output.dense";
    f.tensors.mlpNorm = "output.LayerNorm";
    f.tensors.mlmTransform = "cls.predictions.transform.dense";
    f.tensors.mlmNorm = "cls.predictions.transform.LayerNorm";
    f.tensors.mlmDecoder = "cls.predictions.decoder.weight";
    f.tensors.mlmBias = "cls.predictions.bias";
    f.tensors.mlmBiasAlt = "cls.predictions.decoder.bias";
    f.norm = NormKind::LayerNorm;
    f.normHasBias = true;
    f.placement = NormPlacement::Post;
    f.embeddingNorm = true;
    f.positions = PositionKind::Learned;
    f.qkvBias = f.outputBias = f.mlpBias = true;
    f.mlp = MlpKind::Plain;
    f.head = HeadKind::MaskedLm;
    f.causal = false;
    f.refused = {{"position_embedding_type", "\"absolute\""}};
    f.pipelineNote = "BERT adds biases: Q = X·W_Q + b_Q (likewise K, V and the output); X is the layer input "
                     "(BERT normalises after each block, not before)";
    return f;
}

FamilyDescription bert()
{
    return bertLike({"bert"});
}

// RoBERTa, XLM-RoBERTa and CamemBERT: BERT's blocks; positions counted from padding_idx + 1;
// the masked-LM head is lm_head.
FamilyDescription roberta()
{
    FamilyDescription f = bertLike({"roberta", "xlm-roberta", "camembert"});
    f.tensors.prefixes = {"roberta.", ""};
    f.keys.defaultTokenTypes = 1;
    f.positions = PositionKind::LearnedFromPadding;
    f.tensors.mlmTransform = "lm_head.dense";
    f.tensors.mlmNorm = "lm_head.layer_norm";
    f.tensors.mlmDecoder = "lm_head.decoder.weight";
    f.tensors.mlmBias = "lm_head.bias";
    f.tensors.mlmBiasAlt = "lm_head.decoder.bias";
    f.pipelineNote = "RoBERTa adds biases: Q = X·W_Q + b_Q (likewise K, V and the output); X is the layer input "
                     "(it normalises after each block, not before)";
    return f;
}

// ALBERT: BERT's post-norm blocks with one block shared by every layer, and embeddings of
// embedding_size projected up to the hidden size.
FamilyDescription albert()
{
    FamilyDescription f = bertLike({"albert"});
    f.keys.embeddingWidth = {{"embedding_size"}};
    f.keys.defaultActivation = "gelu_new";
    f.tensors.prefixes = {"albert.", ""};
    f.tensors.embeddingProjection = "encoder.embedding_hidden_mapping_in";
    f.tensors.layer = "encoder.albert_layer_groups.0.albert_layers.0.";
    f.tensors.q = "attention.query";
    f.tensors.k = "attention.key";
    f.tensors.v = "attention.value";
    f.tensors.o = "attention.dense";
    f.tensors.attnNorm = "attention.LayerNorm";
    f.tensors.up = "ffn";
    f.tensors.down = "ffn_output";
    f.tensors.mlpNorm = "full_layer_layer_norm";
    f.tensors.mlmTransform = "predictions.dense";
    f.tensors.mlmNorm = "predictions.LayerNorm";
    f.tensors.mlmDecoder = "predictions.decoder.weight";
    f.tensors.mlmBias = "predictions.bias";
    f.tensors.mlmBiasAlt = "predictions.decoder.bias";
    f.refused.push_back({"num_hidden_groups", "1"});
    f.refused.push_back({"inner_group_num", "1"});
    f.pipelineNote = "ALBERT adds biases: Q = X·W_Q + b_Q; every layer uses the same weights (shared layers); X is "
                     "the layer input (it normalises after each block)";
    return f;
}

// ELECTRA: BERT's blocks, embeddings of embedding_size projected up (embeddings_project); the
// generator's masked-LM head maps back to the embedding width with its own (erf) GELU. A
// discriminator checkpoint has no such head and shows attention only.
FamilyDescription electra()
{
    FamilyDescription f = bertLike({"electra"});
    f.keys.embeddingWidth = {{"embedding_size"}};
    f.tensors.prefixes = {"electra.", ""};
    f.tensors.embeddingProjection = "embeddings_project";
    f.tensors.mlmTransform = "generator_predictions.dense";
    f.tensors.mlmNorm = "generator_predictions.LayerNorm";
    f.tensors.mlmDecoder = "generator_lm_head.weight";
    f.tensors.mlmBias = "generator_lm_head.bias";
    f.tensors.mlmBiasAlt = "";
    f.mlmActivation = "gelu";
    f.pipelineNote = "ELECTRA adds biases: Q = X·W_Q + b_Q (likewise K, V and the output); X is the layer input "
                     "(it normalises after each block, not before)";
    return f;
}

// ModernBERT: a pre-LayerNorm encoder without biases, RoPE, fused Wqkv and gated Wi, local
// attention (local_attention keys around each query) on all layers but every
// global_attn_every_n_layers-th from the first, each kind with its own RoPE base; layer 0 has no
// norm before attention.
FamilyDescription modernBert()
{
    FamilyDescription f;
    f.modelTypes = {"modernbert"};
    f.keys.kvHeads = {};
    f.keys.headDim = {};
    f.keys.positions = {{"max_position_embeddings"}};
    f.keys.defaultPositions = 8192;
    f.keys.eps = {{"norm_eps"}};
    f.keys.defaultEps = 1e-5f;
    f.keys.activation = {{"hidden_activation"}};
    f.keys.defaultActivation = "gelu";
    f.keys.mlmActivation = {{"classifier_activation"}};
    f.mlmActivation = "gelu";
    f.keys.ropeTheta = {{"global_rope_theta", "rope_theta"}};
    f.keys.defaultRopeTheta = 160000.0f;
    f.keys.localRopeTheta = {{"local_rope_theta"}};
    f.keys.defaultLocalRopeTheta = 10000.0f;
    f.keys.slidingWindowKey = {{"local_attention"}};
    f.keys.defaultSlidingWindow = 128;
    f.keys.slidingPatternKey = {{"global_attn_every_n_layers"}};
    f.keys.defaultSlidingPattern = 3;
    f.tensors.prefixes = {"model.", ""};
    f.tensors.embedding = "embeddings.tok_embeddings";
    f.tensors.embeddingNorm = "embeddings.norm";
    f.tensors.layer = "layers.{L}.";
    f.tensors.qkv = "attn.Wqkv";
    f.tensors.o = "attn.Wo";
    f.tensors.attnNorm = "attn_norm";
    f.tensors.mlpNorm = "mlp_norm";
    f.tensors.gateUp = "mlp.Wi"; // act(first half) ⊙ second half
    f.tensors.down = "mlp.Wo";
    f.tensors.finalNorm = "final_norm";
    f.tensors.mlmTransform = "head.dense";
    f.tensors.mlmNorm = "head.norm";
    f.tensors.mlmDecoder = "decoder.weight";
    f.tensors.mlmBias = "decoder.bias";
    f.norm = NormKind::LayerNorm;
    f.normHasBias = false;
    f.embeddingNorm = true;
    f.positions = PositionKind::RotaryHalf;
    f.qkv = QkvLayout::Fused;
    f.mlp = MlpKind::Gated;
    f.head = HeadKind::MaskedLm;
    f.causal = false;
    f.slidingWindow = true;
    f.windowBothSides = true;
    f.slidingLayers = SlidingLayers::GlobalFromFirst;
    f.firstLayerAttnNorm = false;
    f.mlmTransformBias = false;
    f.refused = {{"norm_bias", "false"}, {"attention_bias", "false"}, {"mlp_bias", "false"},
                 {"classifier_bias", "false"}, {"decoder_bias", "true"}};
    f.pipelineNote = "ModernBERT: X is the LayerNorm of the residual stream (layer 0 uses the embeddings as they are)";
    return f;
}

// DeBERTa-v2 and v3 (model_type deberta-v2): BERT's post-LayerNorm blocks with disentangled
// attention (content→position and position→content terms over log-bucketed relative positions,
// models/disentangled.h); absolute positions only with position_biased_input (v3: false),
// embed_proj between embedding_size and the width before the embedding LayerNorm, and the
// masked-LM head as lm_predictions.lm_head (tied to the word embeddings) or, in legacy
// checkpoints, cls.predictions.
FamilyDescription debertaV2()
{
    FamilyDescription f = bertLike({"deberta-v2"});
    f.keys.defaultEps = 1e-7f; // DebertaV2Config's layer_norm_eps
    f.keys.defaultTokenTypes = 0;
    f.keys.headDim = {{"attention_head_size"}};
    f.keys.embeddingWidth = {{"embedding_size"}};
    f.tensors.prefixes = {"deberta.", ""};
    f.tensors.embeddingProjection = "embeddings.embed_proj";
    f.tensors.q = "attention.self.query_proj";
    f.tensors.k = "attention.self.key_proj";
    f.tensors.v = "attention.self.value_proj";
    f.tensors.posKey = "attention.self.pos_key_proj";
    f.tensors.posQuery = "attention.self.pos_query_proj";
    f.tensors.relEmbeddings = "encoder.rel_embeddings";
    f.tensors.relNorm = "encoder.LayerNorm";
    f.tensors.conv = "encoder.conv.conv";
    f.tensors.convNorm = "encoder.conv.LayerNorm";
    f.tensors.mlmTransform = "lm_predictions.lm_head.dense";
    f.tensors.mlmNorm = "lm_predictions.lm_head.LayerNorm";
    f.tensors.mlmDecoder = ""; // always the word embeddings
    f.tensors.mlmBias = "lm_predictions.lm_head.bias";
    f.tensors.mlmBiasAlt = "";
    f.tensors.mlmAlternatives = {{"cls.predictions.transform.dense", "cls.predictions.transform.LayerNorm",
                                  "cls.predictions.decoder.weight", "cls.predictions.bias", "cls.predictions.decoder.bias"}};
    f.projectBeforeNorm = true;
    f.absolutePositionsKey = {{"position_biased_input"}};
    f.disentangled = true;
    f.refused = {};
    f.pipelineNote = "DeBERTa adds biases: Q = X·W_Q + b_Q (likewise K, V and the output); X is the layer input "
                     "(it normalises after each block, not before)";
    return f;
}

FamilyDescription distilbert()
{
    FamilyDescription f = bertLike({"distilbert"});
    f.keys.width = {{"dim"}};
    f.keys.layers = {{"n_layers"}};
    f.keys.heads = {{"n_heads"}};
    f.keys.inner = {{"hidden_dim"}};
    f.keys.eps = {};
    f.keys.activation = {{"activation"}};
    f.keys.tokenTypes = {};
    f.tensors.prefixes = {"distilbert.", ""};
    f.tensors.tokenTypes = "";
    f.tensors.layer = "transformer.layer.{L}.";
    f.tensors.q = "attention.q_lin";
    f.tensors.k = "attention.k_lin";
    f.tensors.v = "attention.v_lin";
    f.tensors.o = "attention.out_lin";
    f.tensors.attnNorm = "sa_layer_norm";
    f.tensors.up = "ffn.lin1";
    f.tensors.down = "ffn.lin2";
    f.tensors.mlpNorm = "output_layer_norm";
    f.tensors.mlmTransform = "vocab_transform";
    f.tensors.mlmNorm = "vocab_layer_norm";
    f.tensors.mlmDecoder = "vocab_projector.weight";
    f.tensors.mlmBias = "vocab_projector.bias";
    f.tensors.mlmBiasAlt = "";
    f.refused = {{"sinusoidal_pos_embds", "false"}};
    return f;
}

const std::vector<FamilyDescription>& allFamilies()
{
    static const std::vector<FamilyDescription> all = {gpt2(),   llama(),      mistral(), qwen2(),
                                                       qwen3(),  gemma(),      gemma2(),  gemma3(),  gemma3Multimodal(),  phi3(),    opt(),    bloom(),    gptNeox(),
                                                       bert(),   distilbert(), roberta(),   albert(),   electra(),   modernBert(),
                                                       debertaV2()};
    return all;
}

} // namespace

const FamilyDescription* findFamily(const std::string& modelType)
{
    for (const FamilyDescription& f : allFamilies()) {
        for (const std::string& type : f.modelTypes) {
            if (type == modelType)
                return &f;
        }
    }
    return nullptr;
}

std::vector<std::string> describedModelTypes()
{
    std::vector<std::string> types;
    for (const FamilyDescription& f : allFamilies())
        types.insert(types.end(), f.modelTypes.begin(), f.modelTypes.end());
    return types;
}

} // namespace attnviz
