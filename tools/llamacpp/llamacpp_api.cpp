#include "llamacpp_api.h"

#include <dlfcn.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <stdexcept>
#include <vector>

#ifndef ATTNVIZ_LLAMACPP_LIBS
#define ATTNVIZ_LLAMACPP_LIBS ""
#endif

namespace llamacpp {
namespace {

struct Libraries {
    std::vector<void*> handles;

    void* symbol(const char* name) const {
        for (void* handle : handles) {
            if (void* address = dlsym(handle, name)) return address;
        }
        throw std::runtime_error(std::string("llama.cpp libraries lack the function ") + name);
    }
};

template <typename Function>
void resolve(const Libraries& libs, Function& slot, const char* name) {
    slot = reinterpret_cast<Function>(libs.symbol(name));
}

// Collects the layout checks; the first failure throws with all that came before.
class Checks {
public:
    void expect(bool ok, const std::string& what) {
        lines_ << (ok ? "ok   " : "FAIL ") << what << '\n';
        if (!ok) {
            throw std::runtime_error("llama.cpp's structs are not laid out as this tool declares them (built "
                                     "for commit 0ad4a86), so it refuses to run:\n" + lines_.str());
        }
    }
    std::string text() const { return lines_.str(); }

private:
    std::ostringstream lines_;
};

#if defined(__x86_64__)
// A function returning a struct this large gets the caller's buffer as a hidden first argument
// (System V x86-64), so calling it as `void* f(void* out)` shows how many bytes it writes: fill
// the buffer with a pattern, call, find the last byte that changed. Two patterns rule out a
// stored byte that happens to equal one of them.
size_t bytesWritten(void* function) {
    using Raw = void* (*)(void* out);
    auto raw = reinterpret_cast<Raw>(function);
    size_t last = 0;
    for (unsigned char pattern : {0xA5, 0x5A}) {
        alignas(16) unsigned char buffer[512];
        std::memset(buffer, pattern, sizeof buffer);
        raw(buffer);
        for (size_t i = 0; i < sizeof buffer; ++i) {
            if (buffer[i] != pattern && i + 1 > last) last = i + 1;
        }
    }
    return (last + 7) / 8 * 8; // the struct's alignment is 8: its tail padding is never stored
}

void checkReturnedSize(Checks& checks, void* function, const char* name, size_t expected) {
    const size_t size = bytesWritten(function);
    checks.expect(size == expected, std::string(name) + " returns " + std::to_string(size) + " bytes (expected " +
                                        std::to_string(expected) + ")");
}
#endif

void checkModelDefaults(Checks& checks, const ModelParams& p) {
    checks.expect(p.devices == nullptr && p.tensor_buft_overrides == nullptr && p.tensor_split == nullptr &&
                      p.progress_callback == nullptr && p.kv_overrides == nullptr,
                  "llama_model_params pointers default to NULL");
    checks.expect(p.n_gpu_layers == -1 && p.split_mode == 1 && p.main_gpu == 0,
                  "llama_model_params n_gpu_layers -1, split_mode LAYER, main_gpu 0");
    checks.expect(p.load_mode == kLoadModeAuto, "llama_model_params load_mode AUTO");
    checks.expect(!p.vocab_only && !p.check_tensors && p.use_extra_bufts && !p.no_host && !p.no_alloc && !p.load_mtp,
                  "llama_model_params booleans: only use_extra_bufts set");
}

void checkContextDefaults(Checks& checks, const ContextParams& p) {
    checks.expect(p.n_ctx == 512 && p.n_batch == 2048 && p.n_ubatch == 512 && p.n_seq_max == 1,
                  "llama_context_params n_ctx 512, n_batch 2048, n_ubatch 512, n_seq_max 1");
    checks.expect(p.n_threads == 4 && p.n_threads_batch == 4, "llama_context_params n_threads 4 (GGML_DEFAULT_N_THREADS)");
    checks.expect(p.rope_scaling_type == -1 && p.pooling_type == -1 && p.attention_type == -1 &&
                      p.flash_attn_type == kFlashAttnAuto,
                  "llama_context_params rope scaling, pooling, attention type unspecified, flash attention AUTO");
    checks.expect(p.rope_freq_base == 0.0f && p.rope_freq_scale == 0.0f && p.yarn_ext_factor == -1.0f &&
                      p.yarn_orig_ctx == 0,
                  "llama_context_params RoPE from the model (0, 0, yarn_ext_factor -1)");
    checks.expect(p.cb_eval == nullptr && p.cb_eval_user_data == nullptr && p.abort_callback == nullptr,
                  "llama_context_params callbacks default to NULL");
    checks.expect(p.type_k == kGgmlTypeF16 && p.type_v == kGgmlTypeF16, "llama_context_params KV cache F16");
    checks.expect(!p.embeddings && p.offload_kqv && p.no_perf && p.op_offload && p.swa_full && !p.kv_unified,
                  "llama_context_params booleans: offload_kqv, no_perf, op_offload, swa_full");
    checks.expect(p.samplers == nullptr && p.n_samplers == 0 && p.ctx_other == nullptr,
                  "llama_context_params samplers none, ctx_other NULL");
}

void checkQuantizeDefaults(Checks& checks, const QuantizeParams& p) {
    checks.expect(p.nthread == 0, "llama_model_quantize_params nthread 0");
    checks.expect(p.ftype == 7, "llama_model_quantize_params ftype Q8_0 (7)");
    checks.expect(p.output_tensor_type == p.token_embedding_type && p.output_tensor_type > 30,
                  "llama_model_quantize_params output / embedding type GGML_TYPE_COUNT (" +
                      std::to_string(p.output_tensor_type) + ")");
    checks.expect(!p.allow_requantize && p.quantize_output_tensor && !p.only_copy && !p.pure && !p.keep_split &&
                      !p.dry_run,
                  "llama_model_quantize_params booleans: only quantize_output_tensor set");
    checks.expect(p.imatrix == nullptr && p.kv_overrides == nullptr && p.tt_overrides == nullptr &&
                      p.prune_layers == nullptr,
                  "llama_model_quantize_params pointers default to NULL");
}

// llama_batch_get_one fills only n_tokens and token: where they land shows the layout.
void checkBatchLayout(Checks& checks, const LlamaApi& api) {
    llama_token tokens[3] = {1, 2, 3};
    const Batch batch = api.llama_batch_get_one(tokens, 3);
    checks.expect(batch.n_tokens == 3 && batch.token == tokens && batch.embd == nullptr && batch.pos == nullptr &&
                      batch.n_seq_id == nullptr && batch.seq_id == nullptr && batch.logits == nullptr,
                  "llama_batch_get_one: n_tokens and token where declared, the rest NULL");
}

// A tensor made by ggml itself shows where ne[] sits in struct ggml_tensor.
void checkTensorLayout(Checks& checks, const LlamaApi& api) {
    ggml_context* ctx = api.ggml_init({1 << 16, nullptr, true});
    checks.expect(ctx != nullptr, "ggml_init");
    ggml_tensor* tensor = api.ggml_new_tensor_4d(ctx, kGgmlTypeF32, 3, 5, 7, 11);
    api.ggml_set_name(tensor, "layout-probe");
    int64_t ne[4];
    std::memcpy(ne, reinterpret_cast<const char*>(tensor) + kTensorNeOffset, sizeof ne);
    const bool ok = ne[0] == 3 && ne[1] == 5 && ne[2] == 7 && ne[3] == 11 && api.ggml_nelements(tensor) == 1155 &&
                    std::strcmp(api.ggml_get_name(tensor), "layout-probe") == 0;
    api.ggml_free(ctx);
    checks.expect(ok, "ggml_tensor ne[4] at byte 16");
}

bool g_verbose = false;
int32_t g_lastLevel = 0;

void filterLog(int32_t level, const char* text, void*) {
    constexpr int32_t kWarn = 3, kContinue = 5; // enum ggml_log_level
    if (level != kContinue) g_lastLevel = level;
    if (g_verbose || g_lastLevel >= kWarn) std::fputs(text, stderr);
}


} // namespace

std::string libraryDirectory() {
    const char* fromEnvironment = std::getenv("ATTNVIZ_LLAMACPP_LIBS");
    return fromEnvironment && *fromEnvironment ? fromEnvironment : ATTNVIZ_LLAMACPP_LIBS;
}

LlamaApi LlamaApi::load(const std::string& dir, bool verbose) {
    Libraries libs;
    // libllama finds its libggml dependencies through its own RUNPATH ($ORIGIN)
    for (const char* name : {"libggml-base.so", "libggml.v0.5.0.so", "libllama.v0.5.0.so"}) {
        const std::string path = dir + "/" + name;
        void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_GLOBAL);
        if (!handle) throw std::runtime_error("cannot load " + path + ": " + dlerror());
        libs.handles.push_back(handle);
    }
    LlamaApi api{};
#define ATTNVIZ_RESOLVE(name) resolve(libs, api.name, #name)
    ATTNVIZ_RESOLVE(ggml_commit);
    ATTNVIZ_RESOLVE(ggml_version);
    ATTNVIZ_RESOLVE(ggml_backend_load_all_from_path);
    ATTNVIZ_RESOLVE(ggml_init);
    ATTNVIZ_RESOLVE(ggml_free);
    ATTNVIZ_RESOLVE(ggml_new_tensor_4d);
    ATTNVIZ_RESOLVE(ggml_set_name);
    ATTNVIZ_RESOLVE(ggml_get_name);
    ATTNVIZ_RESOLVE(ggml_nelements);
    ATTNVIZ_RESOLVE(ggml_nbytes);
    ATTNVIZ_RESOLVE(ggml_is_contiguous);
    ATTNVIZ_RESOLVE(ggml_backend_tensor_get);
    ATTNVIZ_RESOLVE(ggml_type_name);
    ATTNVIZ_RESOLVE(ggml_get_tensor);
    ATTNVIZ_RESOLVE(gguf_init_from_file);
    ATTNVIZ_RESOLVE(gguf_free);
    ATTNVIZ_RESOLVE(gguf_get_n_tensors);
    ATTNVIZ_RESOLVE(gguf_get_tensor_name);
    ATTNVIZ_RESOLVE(gguf_get_tensor_type);
    ATTNVIZ_RESOLVE(llama_log_set);
    ATTNVIZ_RESOLVE(llama_version);
    ATTNVIZ_RESOLVE(llama_backend_init);
    ATTNVIZ_RESOLVE(llama_backend_free);
    ATTNVIZ_RESOLVE(llama_model_default_params);
    ATTNVIZ_RESOLVE(llama_context_default_params);
    ATTNVIZ_RESOLVE(llama_model_quantize_default_params);
    ATTNVIZ_RESOLVE(llama_model_load_from_file);
    ATTNVIZ_RESOLVE(llama_model_free);
    ATTNVIZ_RESOLVE(llama_model_get_vocab);
    ATTNVIZ_RESOLVE(llama_vocab_n_tokens);
    ATTNVIZ_RESOLVE(llama_model_n_layer);
    ATTNVIZ_RESOLVE(llama_model_n_head);
    ATTNVIZ_RESOLVE(llama_model_n_embd);
    ATTNVIZ_RESOLVE(llama_model_ftype);
    ATTNVIZ_RESOLVE(llama_ftype_name);
    ATTNVIZ_RESOLVE(llama_tokenize);
    ATTNVIZ_RESOLVE(llama_init_from_model);
    ATTNVIZ_RESOLVE(llama_free);
    ATTNVIZ_RESOLVE(llama_batch_get_one);
    ATTNVIZ_RESOLVE(llama_decode);
    ATTNVIZ_RESOLVE(llama_get_logits_ith);
    ATTNVIZ_RESOLVE(llama_get_memory);
    ATTNVIZ_RESOLVE(llama_memory_clear);
    ATTNVIZ_RESOLVE(llama_model_quantize);
#undef ATTNVIZ_RESOLVE

    g_verbose = verbose;
    api.llama_log_set(filterLog, nullptr);

    Checks checks;
    const std::string commit = api.ggml_commit();
    checks.expect(commit.rfind("0ad4a86", 0) == 0, "ggml_commit() is 0ad4a86 (reports " + commit + ")");
#if defined(__x86_64__)
    checkReturnedSize(checks, libs.symbol("llama_model_default_params"), "llama_model_default_params", 80);
    checkReturnedSize(checks, libs.symbol("llama_context_default_params"), "llama_context_default_params", 160);
    checkReturnedSize(checks, libs.symbol("llama_model_quantize_default_params"),
                      "llama_model_quantize_default_params", 64);
#endif
    checkModelDefaults(checks, api.llama_model_default_params());
    checkContextDefaults(checks, api.llama_context_default_params());
    checkQuantizeDefaults(checks, api.llama_model_quantize_default_params());
    checkBatchLayout(checks, api);
    checkTensorLayout(checks, api);
    checks.expect(std::string(api.llama_ftype_name(15)).find("Q4_K") != std::string::npos,
                  std::string("llama_ftype_name(15) is Q4_K_M (") + api.llama_ftype_name(15) + ")");
    api.report = checks.text();

    // the CPU backend is a separate library per instruction set, picked by ggml's registry
    api.ggml_backend_load_all_from_path(dir.c_str());
    api.llama_backend_init();
    return api;
}

} // namespace llamacpp
