#pragma once
// llama2.c checkpoints (karpathy/llama2.c run.c format): a header of 7 int32 (dim, hidden_dim,
// n_layers, n_heads, n_kv_heads, vocab_size, seq_len; vocab_size < 0 = unshared classifier), then
// float32 tensors: token embedding, rms_att, wq, wk, wv, wo, rms_ffn, w1, w2, w3, rms_final, two
// legacy RoPE tables (seq_len * head_size / 2 each, skipped), and the classifier if unshared.

#include "engine/attentionmodel.h"
#include "models/generictransformer.h"

#include <memory>
#include <string>

namespace attnviz {

// The network alone. Throws ModelLoadError (bad header, truncated file).
std::unique_ptr<GenericTransformer> loadLlama2cNetwork(const std::string& binPath);

// The network plus the tokenizer found next to it (tokenizer.bin, else tok<N>.bin with N the
// vocabulary size, else any tok*.bin). Throws ModelLoadError.
std::unique_ptr<AttentionModel> openLlama2c(const std::string& binPath);

} // namespace attnviz
