// llamacpp_reference: drives llama.cpp's prebuilt libraries as the independent reference for
// AttnViz's GGUF support (test tool only; see tools/llamacpp/README.md for the commands and the
// output format).
#include "llamacpp_api.h"
#include "npy.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

using namespace llamacpp;

namespace {

const char* const kUsage = R"(usage: llamacpp_reference COMMAND ...
  info                                   library commit and the struct layout checks
  tokenize MODEL.gguf (TEXT | --text TEXT | --text-file PATH) [--no-add-special] [--parse-special]
                                         token ids (vocab_only load), space-separated on one line
  quantize IN.gguf OUT.gguf TYPE [--pure | --mix] [--allow-requantize] [--threads N]
                                         llama_model_quantize; TYPE: F16 BF16 Q8_0 Q4_0 Q4_1 Q5_0 Q5_1
                                         Q2_K Q3_K Q4_K Q5_K Q6_K IQ4_NL IQ4_XS (all tensors one type
                                         unless --mix) or a mixture Q3_K_S Q3_K_M Q3_K_L Q4_K_S
                                         Q4_K_M Q5_K_S Q5_K_M (llama.cpp's rules unless --pure)
  tensors MODEL.gguf                     one line per tensor: name, ggml type, ne (read by ggml's gguf)
  eval MODEL.gguf (--ids 1,2,3 | --text TEXT [--no-add-special] [--parse-special]) --out DIR
       [--threads 2]                     attention maps per layer and logits of one forward pass
  bench MODEL.gguf [--tokens 512] [--threads 2] [--reps 3] [--flash-attn] [--kv-f32]
                                         prompt evaluation time
"--" ends the options (for a TEXT that starts with "--").
Set ATTNVIZ_LLAMACPP_LIBS to use another library folder, ATTNVIZ_LLAMACPP_VERBOSE=1 for llama.cpp's logs.
)";

struct Args {
    std::vector<std::string> positional;
    std::map<std::string, std::string> options; // "--name" -> value ("" for a switch)

    Args(int argc, char** argv, const std::set<std::string>& withValue) {
        bool optionsEnded = false; // after "--" everything is positional (a TEXT may start with "--")
        for (int i = 2; i < argc; ++i) {
            const std::string arg = argv[i];
            if (arg == "--" && !optionsEnded) {
                optionsEnded = true;
            } else if (optionsEnded || arg.rfind("--", 0) != 0) {
                positional.push_back(arg);
            } else if (withValue.count(arg)) {
                if (i + 1 >= argc) throw std::runtime_error(arg + " needs a value");
                options[arg] = argv[++i];
            } else {
                options[arg] = "";
            }
        }
    }
    bool has(const std::string& name) const { return options.count(name) != 0; }
    std::string value(const std::string& name, const std::string& fallback) const {
        auto it = options.find(name);
        return it == options.end() ? fallback : it->second;
    }
    int number(const std::string& name, int fallback) const { return std::stoi(value(name, std::to_string(fallback))); }
    const std::string& at(size_t i, const char* what) const {
        if (i >= positional.size()) throw std::runtime_error(std::string("missing ") + what);
        return positional[i];
    }
};

using ModelPtr = std::unique_ptr<llama_model, void (*)(llama_model*)>;

ModelPtr loadModel(const LlamaApi& api, const std::string& path, bool vocabOnly) {
    ModelParams params = api.llama_model_default_params();
    params.n_gpu_layers = 0;
    params.vocab_only = vocabOnly;
    llama_model* model = api.llama_model_load_from_file(path.c_str(), params);
    if (!model) throw std::runtime_error("llama.cpp cannot load " + path);
    return ModelPtr(model, api.llama_model_free);
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<llama_token> tokenize(const LlamaApi& api, const llama_model* model, const std::string& text,
                                  bool addSpecial, bool parseSpecial) {
    const llama_vocab* vocab = api.llama_model_get_vocab(model);
    std::vector<llama_token> ids(text.size() + 16);
    int32_t n = api.llama_tokenize(vocab, text.data(), static_cast<int32_t>(text.size()), ids.data(),
                                   static_cast<int32_t>(ids.size()), addSpecial, parseSpecial);
    if (n < 0) { // too small: -n is the count needed
        ids.resize(static_cast<size_t>(-n));
        n = api.llama_tokenize(vocab, text.data(), static_cast<int32_t>(text.size()), ids.data(),
                               static_cast<int32_t>(ids.size()), addSpecial, parseSpecial);
    }
    if (n < 0) throw std::runtime_error("llama_tokenize failed");
    ids.resize(static_cast<size_t>(n));
    return ids;
}

// The text of --text or --text-file (byte-exact), tokenised per --no-add-special / --parse-special.
std::vector<llama_token> tokensOfText(const LlamaApi& api, const llama_model* model, const std::string& text,
                                      const Args& args) {
    return tokenize(api, model, text, !args.has("--no-add-special"), args.has("--parse-special"));
}

std::vector<llama_token> parseIds(const std::string& list) {
    std::vector<llama_token> ids;
    std::stringstream in(list);
    std::string item;
    while (std::getline(in, item, ',')) ids.push_back(std::stoi(item));
    return ids;
}

int commandInfo(const LlamaApi& api) {
    std::printf("ggml_commit %s\nggml_version %s\nllama_version %s\nlibraries %s\n%s", api.ggml_commit(),
                api.ggml_version(), api.llama_version(), libraryDirectory().c_str(), api.report.c_str());
    return 0;
}

int commandTokenize(const LlamaApi& api, const Args& args) {
    ModelPtr model = loadModel(api, args.at(0, "MODEL"), true);
    const std::string text = args.has("--text-file") ? readFile(args.value("--text-file", ""))
                             : args.has("--text")    ? args.value("--text", "")
                                                     : args.at(1, "TEXT");
    const std::vector<llama_token> ids = tokensOfText(api, model.get(), text, args);
    for (size_t i = 0; i < ids.size(); ++i) std::printf(i ? " %d" : "%d", ids[i]);
    std::printf("\n");
    return 0;
}

// --- quantize ------------------------------------------------------------------------------------

struct QuantType {
    const char* name;
    int32_t ftype;  // enum llama_ftype
    bool mixture;   // a llama.cpp mixture (per-tensor rules) rather than one tensor type
};

// enum llama_ftype values (stable since they were introduced; checked against llama_ftype_name)
const QuantType kQuantTypes[] = {
    {"F32", 0, false},     {"F16", 1, false},     {"BF16", 32, false},   {"Q4_0", 2, false},
    {"Q4_1", 3, false},    {"Q8_0", 7, false},    {"Q5_0", 8, false},    {"Q5_1", 9, false},
    {"Q2_K", 10, false},   {"Q3_K", 12, false},   {"Q4_K", 15, false},   {"Q5_K", 17, false},
    {"Q6_K", 18, false},   {"IQ4_NL", 25, false}, {"IQ4_XS", 30, false}, {"Q3_K_S", 11, true},
    {"Q3_K_M", 12, true},  {"Q3_K_L", 13, true},  {"Q4_K_S", 14, true},   {"Q4_K_M", 15, true},
    {"Q5_K_S", 16, true},  {"Q5_K_M", 17, true},
}; // Q2_K_S and the IQ1/IQ2/IQ3 types need an importance matrix

const QuantType& quantType(const std::string& name) {
    for (const QuantType& type : kQuantTypes) {
        if (name == type.name) return type;
    }
    throw std::runtime_error("unknown quantisation type " + name);
}

int commandQuantize(const LlamaApi& api, const Args& args) {
    const std::string in = args.at(0, "IN.gguf"), out = args.at(1, "OUT.gguf");
    const QuantType& type = quantType(args.at(2, "TYPE"));
    QuantizeParams params = api.llama_model_quantize_default_params();
    params.ftype = type.ftype;
    params.nthread = args.number("--threads", 2);
    params.pure = args.has("--pure") || (!type.mixture && !args.has("--mix"));
    // F32 from a quantised file: ggml's own dequantised weights, the reference for AttnViz's F32 maths
    params.allow_requantize = args.has("--allow-requantize");
    // the ftype's name from the library itself: a wrong enum value shows here
    std::fprintf(stderr, "quantize %s -> %s as %s (llama_ftype %d \"%s\", %s)\n", in.c_str(), out.c_str(), type.name,
                 type.ftype, api.llama_ftype_name(type.ftype), params.pure ? "pure" : "mixture");
    if (api.llama_model_quantize(in.c_str(), out.c_str(), &params) != 0) {
        throw std::runtime_error("llama_model_quantize failed for " + in);
    }
    ModelPtr model = loadModel(api, out, false);
    std::printf("%s ftype %d (%s)\n", out.c_str(), api.llama_model_ftype(model.get()),
                api.llama_ftype_name(api.llama_model_ftype(model.get())));
    return 0;
}

int commandTensors(const LlamaApi& api, const Args& args) {
    const std::string path = args.at(0, "MODEL");
    ggml_context* tensors = nullptr;
    gguf_context* gguf = api.gguf_init_from_file(path.c_str(), {true, &tensors});
    if (!gguf || !tensors) throw std::runtime_error("ggml cannot read " + path);
    for (int64_t i = 0; i < api.gguf_get_n_tensors(gguf); ++i) {
        const char* name = api.gguf_get_tensor_name(gguf, i);
        const ggml_tensor* tensor = api.ggml_get_tensor(tensors, name);
        if (!tensor) throw std::runtime_error(std::string("no tensor ") + name); // layout of gguf_init_params
        int64_t ne[4];
        std::memcpy(ne, reinterpret_cast<const char*>(tensor) + kTensorNeOffset, sizeof ne);
        std::printf("%s %s %lld,%lld,%lld,%lld\n", name, api.ggml_type_name(api.gguf_get_tensor_type(gguf, i)),
                    static_cast<long long>(ne[0]), static_cast<long long>(ne[1]), static_cast<long long>(ne[2]),
                    static_cast<long long>(ne[3]));
    }
    api.gguf_free(gguf);
    api.ggml_free(tensors);
    return 0;
}

// --- eval ----------------------------------------------------------------------------------------

// One captured softmax(QK^T) tensor: ne = [n_kv, n_tokens, n_head, n_stream].
struct AttentionCapture {
    const LlamaApi* api = nullptr;
    std::map<int, std::vector<float>> maps; // layer -> data
    std::map<int, std::vector<int64_t>> shapes;
    std::map<int, std::string> names;
    std::string error;
};

constexpr const char* kSoftmaxName = "kq_soft_max"; // build_attn_mha names it "kq_soft_max-<layer>"

bool captureSoftmax(ggml_tensor* tensor, bool ask, void* userData) {
    auto& capture = *static_cast<AttentionCapture*>(userData);
    const LlamaApi& api = *capture.api;
    const char* name = api.ggml_get_name(tensor);
    const bool wanted = std::strncmp(name, kSoftmaxName, std::strlen(kSoftmaxName)) == 0;
    if (ask) return wanted;
    if (!wanted) return true;
    const char* dash = std::strrchr(name, '-');
    int64_t ne[4];
    std::memcpy(ne, reinterpret_cast<const char*>(tensor) + kTensorNeOffset, sizeof ne);
    const int64_t count = api.ggml_nelements(tensor);
    if (!dash || !api.ggml_is_contiguous(tensor) || api.ggml_nbytes(tensor) != static_cast<size_t>(count) * 4 ||
        ne[0] * ne[1] * ne[2] * ne[3] != count) {
        capture.error = std::string("unexpected tensor ") + name;
        return false;
    }
    const int layer = std::atoi(dash + 1);
    if (capture.maps.count(layer)) {
        capture.error = std::string("two tensors for ") + name + " (more than one micro-batch?)";
        return false;
    }
    std::vector<float>& data = capture.maps[layer];
    data.resize(static_cast<size_t>(count));
    api.ggml_backend_tensor_get(tensor, data.data(), 0, data.size() * sizeof(float));
    capture.shapes[layer] = {ne[0], ne[1], ne[2], ne[3]};
    capture.names[layer] = name;
    return true;
}

using ContextPtr = std::unique_ptr<llama_context, void (*)(llama_context*)>;

ContextPtr makeContext(const LlamaApi& api, llama_model* model, uint32_t tokens, int threads,
                       const ContextParams& settings) {
    ContextParams params = settings;
    const uint32_t size = std::max<uint32_t>(256, (tokens + 255) / 256 * 256);
    params.n_ctx = size;
    params.n_batch = size; // the whole prompt in one micro-batch
    params.n_ubatch = size;
    params.n_seq_max = 1;
    params.n_threads = threads;
    params.n_threads_batch = threads;
    llama_context* ctx = api.llama_init_from_model(model, params);
    if (!ctx) throw std::runtime_error("llama_init_from_model failed");
    return ContextPtr(ctx, api.llama_free);
}

// A batch of one sequence at positions 0..n-1 with an output for every position.
struct FullBatch {
    std::vector<llama_token> tokens;
    std::vector<int32_t> positions, seqCounts;
    int32_t seq = 0;
    std::vector<int32_t*> seqIds;
    std::vector<int8_t> outputs;

    explicit FullBatch(std::vector<llama_token> ids) : tokens(std::move(ids)) {
        const size_t n = tokens.size();
        for (size_t i = 0; i < n; ++i) positions.push_back(static_cast<int32_t>(i));
        seqCounts.assign(n, 1);
        seqIds.assign(n, &seq);
        outputs.assign(n, 1);
    }
    Batch batch() {
        return {static_cast<int32_t>(tokens.size()), tokens.data(), nullptr, positions.data(), seqCounts.data(),
                seqIds.data(), outputs.data()};
    }
};

// Writes layer maps cut to the T real key positions (heads x T x T), after checking that the
// padding cells of the KV cache beyond them got no weight.
void writeAttention(const AttentionCapture& capture, int64_t tokens, const std::string& dir) {
    for (const auto& [layer, data] : capture.maps) {
        const std::vector<int64_t>& ne = capture.shapes.at(layer);
        const int64_t kv = ne[0], heads = ne[2] * ne[3];
        if (ne[1] != tokens || kv < tokens) {
            throw std::runtime_error("layer " + std::to_string(layer) + ": softmax of shape [" +
                                     std::to_string(kv) + ", " + std::to_string(ne[1]) + ", ...] for " +
                                     std::to_string(tokens) + " tokens");
        }
        std::vector<float> map(static_cast<size_t>(heads * tokens * tokens));
        for (int64_t row = 0; row < heads * tokens; ++row) {
            const float* source = data.data() + row * kv;
            for (int64_t k = tokens; k < kv; ++k) {
                if (source[k] != 0.0f) throw std::runtime_error("weight on an empty KV cell in layer " + std::to_string(layer));
            }
            std::copy(source, source + tokens, map.begin() + row * tokens);
        }
        writeNpy(dir + "/attn_" + std::to_string(layer) + ".npy", {heads, tokens, tokens}, map.data());
    }
}

int commandEval(const LlamaApi& api, const Args& args) {
    ModelPtr model = loadModel(api, args.at(0, "MODEL"), false);
    const std::string dir = args.value("--out", "");
    if (dir.empty()) throw std::runtime_error("eval needs --out DIR");
    std::vector<llama_token> ids;
    if (args.has("--ids")) {
        ids = parseIds(args.value("--ids", ""));
    } else if (args.has("--text") || args.has("--text-file")) {
        const std::string text = args.has("--text-file") ? readFile(args.value("--text-file", "")) : args.value("--text", "");
        ids = tokensOfText(api, model.get(), text, args);
    }
    if (ids.empty()) throw std::runtime_error("eval needs --ids or --text giving at least one token");

    AttentionCapture capture;
    capture.api = &api;
    ContextParams settings = api.llama_context_default_params();
    settings.flash_attn_type = kFlashAttnDisabled; // the softmax is only a graph node without flash attention
    settings.type_k = kGgmlTypeF32;
    settings.type_v = kGgmlTypeF32;
    settings.cb_eval = captureSoftmax;
    settings.cb_eval_user_data = &capture;
    const auto tokens = static_cast<int64_t>(ids.size());
    ContextPtr ctx = makeContext(api, model.get(), static_cast<uint32_t>(tokens), args.number("--threads", 2), settings);
    FullBatch batch(ids);
    const int32_t status = api.llama_decode(ctx.get(), batch.batch());
    if (!capture.error.empty()) throw std::runtime_error(capture.error);
    if (status != 0) throw std::runtime_error("llama_decode returned " + std::to_string(status));

    const int layers = api.llama_model_n_layer(model.get());
    if (static_cast<int>(capture.maps.size()) != layers) {
        throw std::runtime_error("captured " + std::to_string(capture.maps.size()) + " attention maps for " +
                                 std::to_string(layers) + " layers");
    }
    std::filesystem::create_directories(dir);
    writeAttention(capture, tokens, dir);
    const int64_t vocab = api.llama_vocab_n_tokens(api.llama_model_get_vocab(model.get()));
    std::vector<float> logits(static_cast<size_t>(tokens * vocab));
    for (int64_t t = 0; t < tokens; ++t) {
        const float* row = api.llama_get_logits_ith(ctx.get(), static_cast<int32_t>(t));
        if (!row) throw std::runtime_error("no logits for position " + std::to_string(t));
        std::copy(row, row + vocab, logits.begin() + t * vocab);
    }
    writeNpy(dir + "/logits.npy", {tokens, vocab}, logits.data());
    writeNpy(dir + "/tokens.npy", {tokens}, ids.data());
    const std::vector<int64_t>& ne = capture.shapes.begin()->second;
    std::printf("%s: %d layers, %lld heads, %lld tokens, vocab %lld; captured %s .. %s, ne [%lld, %lld, %lld, %lld] -> %s\n",
                args.at(0, "MODEL").c_str(), layers, static_cast<long long>(ne[2]), static_cast<long long>(tokens),
                static_cast<long long>(vocab), capture.names.begin()->second.c_str(),
                capture.names.rbegin()->second.c_str(), static_cast<long long>(ne[0]), static_cast<long long>(ne[1]),
                static_cast<long long>(ne[2]), static_cast<long long>(ne[3]), dir.c_str());
    return 0;
}

// --- bench ---------------------------------------------------------------------------------------

int commandBench(const LlamaApi& api, const Args& args) {
    const std::string path = args.at(0, "MODEL");
    const int tokens = args.number("--tokens", 512), threads = args.number("--threads", 2);
    const int reps = args.number("--reps", 3);
    ModelPtr model = loadModel(api, path, false);
    const int32_t vocab = api.llama_vocab_n_tokens(api.llama_model_get_vocab(model.get()));
    std::vector<llama_token> ids(static_cast<size_t>(tokens));
    uint32_t state = 12345; // fixed pseudo-random prompt
    for (llama_token& id : ids) {
        state = state * 1664525u + 1013904223u;
        id = static_cast<llama_token>((state >> 8) % static_cast<uint32_t>(vocab));
    }
    ContextParams settings = api.llama_context_default_params();
    settings.flash_attn_type = args.has("--flash-attn") ? 1 : kFlashAttnDisabled;
    settings.type_k = settings.type_v = args.has("--kv-f32") ? kGgmlTypeF32 : kGgmlTypeF16;
    ContextPtr ctx = makeContext(api, model.get(), static_cast<uint32_t>(tokens), threads, settings);
    std::vector<double> times;
    for (int rep = 0; rep <= reps; ++rep) { // rep 0 warms up
        api.llama_memory_clear(api.llama_get_memory(ctx.get()), true);
        const auto start = std::chrono::steady_clock::now();
        if (api.llama_decode(ctx.get(), api.llama_batch_get_one(ids.data(), tokens)) != 0) {
            throw std::runtime_error("llama_decode failed");
        }
        const std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - start;
        if (rep > 0) times.push_back(elapsed.count());
    }
    std::vector<double> sorted = times;
    std::sort(sorted.begin(), sorted.end());
    std::printf("{\"model\": \"%s\", \"tokens\": %d, \"threads\": %d, \"flash_attn\": %s, \"ms\": [", path.c_str(),
                tokens, threads, args.has("--flash-attn") ? "true" : "false");
    for (size_t i = 0; i < times.size(); ++i) std::printf(i ? ", %.2f" : "%.2f", times[i]);
    std::printf("], \"min_ms\": %.2f, \"median_ms\": %.2f, \"tokens_per_s\": %.1f}\n", sorted.front(),
                sorted[sorted.size() / 2], tokens / sorted.front() * 1000.0);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2 || std::strcmp(argv[1], "--help") == 0) {
        std::fputs(kUsage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    try {
        const std::string command = argv[1];
        const Args args(argc, argv, {"--text-file", "--threads", "--ids", "--text", "--out", "--tokens", "--reps"});
        const char* verbose = std::getenv("ATTNVIZ_LLAMACPP_VERBOSE");
        const LlamaApi api = LlamaApi::load(libraryDirectory(), verbose && *verbose == '1');
        if (command == "info") return commandInfo(api);
        if (command == "tokenize") return commandTokenize(api, args);
        if (command == "quantize") return commandQuantize(api, args);
        if (command == "tensors") return commandTensors(api, args);
        if (command == "eval") return commandEval(api, args);
        if (command == "bench") return commandBench(api, args);
        std::fputs(kUsage, stderr);
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "llamacpp_reference: %s\n", e.what());
        return 1;
    }
}
