// The part of llama.cpp's C API (commit 0ad4a86, as packaged by @node-llama-cpp/linux-x64 3.22.1)
// that the reference tool calls, loaded with dlopen. Test tool only: nothing in AttnViz uses it.
//
// The structs passed by value mirror include/llama.h of that commit. No header of exactly that
// commit was at hand, so the layouts were read off the library itself (the stores of its
// *_default_params functions) and match the field lists of llama.h around it; LlamaApi::load()
// verifies them again at run time before any field is written (sizes and default values), and
// refuses to run when the library disagrees.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace llamacpp {

struct llama_model;
struct llama_context;
struct llama_vocab;
struct ggml_tensor;
struct ggml_context;
struct llama_memory;
struct gguf_context;

using llama_token = int32_t;

// enum llama_load_mode, enum ggml_type and enum llama_flash_attn_type: only the values used here
constexpr int32_t kLoadModeAuto = -1;
constexpr int32_t kGgmlTypeF32 = 0;
constexpr int32_t kGgmlTypeF16 = 1;
constexpr int32_t kFlashAttnAuto = -1;
constexpr int32_t kFlashAttnDisabled = 0;

// struct llama_model_params (80 bytes)
struct ModelParams {
    void* devices;
    const void* tensor_buft_overrides;
    int32_t n_gpu_layers;
    int32_t split_mode;
    int32_t load_mode; // replaced use_mmap / use_mlock / use_direct_io
    int32_t lazy_mode;
    int32_t main_gpu;
    const float* tensor_split;
    void* progress_callback;
    void* progress_callback_user_data;
    const void* kv_overrides;
    bool vocab_only;
    bool check_tensors;
    bool use_extra_bufts;
    bool no_host;
    bool no_alloc;
    bool load_mtp;
};

// ggml_backend_sched_eval_callback
using EvalCallback = bool (*)(ggml_tensor* tensor, bool ask, void* user_data);

// struct llama_context_params (160 bytes)
struct ContextParams {
    uint32_t n_ctx;
    uint32_t n_batch;
    uint32_t n_ubatch;
    uint32_t n_seq_max;
    uint32_t n_rs_seq;
    uint32_t n_outputs_max;
    uint32_t n_outputs_max_per_seq;
    int32_t n_threads;
    int32_t n_threads_batch;
    int32_t ctx_type;
    int32_t rope_scaling_type;
    int32_t pooling_type;
    int32_t attention_type;
    int32_t flash_attn_type;
    float rope_freq_base;
    float rope_freq_scale;
    float yarn_ext_factor;
    float yarn_attn_factor;
    float yarn_beta_fast;
    float yarn_beta_slow;
    uint32_t yarn_orig_ctx;
    float defrag_thold;
    EvalCallback cb_eval;
    void* cb_eval_user_data;
    int32_t type_k;
    int32_t type_v;
    void* abort_callback;
    void* abort_callback_data;
    bool embeddings;
    bool offload_kqv;
    bool no_perf;
    bool op_offload;
    bool swa_full;
    bool kv_unified;
    void* samplers;
    size_t n_samplers;
    llama_context* ctx_other;
};

// struct llama_model_quantize_params (64 bytes). The last 8 bytes hold fields newer than every
// header found (two 32-bit values, 0 and 2 by default); they are passed through untouched.
struct QuantizeParams {
    int32_t nthread;
    int32_t ftype;
    int32_t output_tensor_type;
    int32_t token_embedding_type;
    bool allow_requantize;
    bool quantize_output_tensor;
    bool only_copy;
    bool pure;
    bool keep_split;
    bool dry_run;
    const void* imatrix;
    const void* kv_overrides;
    const void* tt_overrides;
    const int32_t* prune_layers;
    int32_t tail[2];
};

// struct llama_batch (56 bytes)
struct Batch {
    int32_t n_tokens;
    llama_token* token;
    float* embd;
    int32_t* pos;
    int32_t* n_seq_id;
    int32_t** seq_id;
    int8_t* logits;
};

// struct ggml_init_params
struct GgmlInitParams {
    size_t mem_size;
    void* mem_buffer;
    bool no_alloc;
};

// struct gguf_init_params
struct GgufInitParams {
    bool no_alloc;
    ggml_context** ctx;
};

static_assert(sizeof(void*) == 8, "the layouts below are those of a 64-bit build");
static_assert(sizeof(ModelParams) == 80 && offsetof(ModelParams, tensor_split) == 40 &&
              offsetof(ModelParams, vocab_only) == 72);
static_assert(sizeof(ContextParams) == 160 && offsetof(ContextParams, cb_eval) == 88 &&
              offsetof(ContextParams, type_k) == 104 && offsetof(ContextParams, embeddings) == 128 &&
              offsetof(ContextParams, samplers) == 136);
static_assert(sizeof(QuantizeParams) == 64 && offsetof(QuantizeParams, allow_requantize) == 16 &&
              offsetof(QuantizeParams, imatrix) == 24 && offsetof(QuantizeParams, tail) == 56);
static_assert(sizeof(Batch) == 56 && offsetof(Batch, logits) == 48);

// ggml_tensor's ne[4] (int64) follows `enum ggml_type type` and a buffer pointer; verified in load()
constexpr size_t kTensorNeOffset = 16;

// The functions used, resolved by name from the libraries.
struct LlamaApi {
    // libggml-base / libggml
    const char* (*ggml_commit)();
    const char* (*ggml_version)();
    void (*ggml_backend_load_all_from_path)(const char* dir);
    ggml_context* (*ggml_init)(GgmlInitParams params);
    void (*ggml_free)(ggml_context* ctx);
    ggml_tensor* (*ggml_new_tensor_4d)(ggml_context* ctx, int32_t type, int64_t ne0, int64_t ne1, int64_t ne2,
                                       int64_t ne3);
    ggml_tensor* (*ggml_set_name)(ggml_tensor* tensor, const char* name);
    const char* (*ggml_get_name)(const ggml_tensor* tensor);
    int64_t (*ggml_nelements)(const ggml_tensor* tensor);
    size_t (*ggml_nbytes)(const ggml_tensor* tensor);
    bool (*ggml_is_contiguous)(const ggml_tensor* tensor);
    void (*ggml_backend_tensor_get)(const ggml_tensor* tensor, void* data, size_t offset, size_t size);
    const char* (*ggml_type_name)(int32_t type);
    ggml_tensor* (*ggml_get_tensor)(ggml_context* ctx, const char* name);
    gguf_context* (*gguf_init_from_file)(const char* path, GgufInitParams params);
    void (*gguf_free)(gguf_context* ctx);
    int64_t (*gguf_get_n_tensors)(const gguf_context* ctx);
    const char* (*gguf_get_tensor_name)(const gguf_context* ctx, int64_t id);
    int32_t (*gguf_get_tensor_type)(const gguf_context* ctx, int64_t id);
    void (*llama_log_set)(void (*callback)(int32_t level, const char* text, void* user_data), void* user_data);

    // libllama
    const char* (*llama_version)();
    void (*llama_backend_init)();
    void (*llama_backend_free)();
    ModelParams (*llama_model_default_params)();
    ContextParams (*llama_context_default_params)();
    QuantizeParams (*llama_model_quantize_default_params)();
    llama_model* (*llama_model_load_from_file)(const char* path, ModelParams params);
    void (*llama_model_free)(llama_model* model);
    const llama_vocab* (*llama_model_get_vocab)(const llama_model* model);
    int32_t (*llama_vocab_n_tokens)(const llama_vocab* vocab);
    int32_t (*llama_model_n_layer)(const llama_model* model);
    int32_t (*llama_model_n_head)(const llama_model* model);
    int32_t (*llama_model_n_embd)(const llama_model* model);
    int32_t (*llama_model_ftype)(const llama_model* model);
    const char* (*llama_ftype_name)(int32_t ftype);
    int32_t (*llama_tokenize)(const llama_vocab* vocab, const char* text, int32_t text_len, llama_token* tokens,
                              int32_t n_tokens_max, bool add_special, bool parse_special);
    llama_context* (*llama_init_from_model)(llama_model* model, ContextParams params);
    void (*llama_free)(llama_context* ctx);
    Batch (*llama_batch_get_one)(llama_token* tokens, int32_t n_tokens);
    int32_t (*llama_decode)(llama_context* ctx, Batch batch);
    float* (*llama_get_logits_ith)(llama_context* ctx, int32_t i);
    llama_memory* (*llama_get_memory)(const llama_context* ctx);
    void (*llama_memory_clear)(llama_memory* memory, bool data);
    uint32_t (*llama_model_quantize)(const char* in, const char* out, const QuantizeParams* params);

    // Loads the libraries from `dir`, resolves the functions, loads ggml's CPU backend and checks the
    // struct layouts. Throws std::runtime_error with a message saying what disagreed.
    // llama.cpp's informational log lines are hidden unless `verbose` (warnings and errors stay).
    static LlamaApi load(const std::string& dir, bool verbose);

    // The checks load() ran, one line each (for `info`).
    std::string report;
};

// The library folder: $ATTNVIZ_LLAMACPP_LIBS, else the one configured at build time.
std::string libraryDirectory();

} // namespace llamacpp
