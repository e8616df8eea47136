#pragma once
// The tokenizer a GGUF file carries in its tokenizer.ggml.* metadata (llama.cpp's keys, from
// gguf-py's constants.py), built from the same classes as the tokenizer.json path:
// - "gpt2": byte-level BPE (tokenizer.ggml.tokens, tokenizer.ggml.merges), words cut by the
//   pre-tokenizer that tokenizer.ggml.pre names, as llama.cpp's llm_tokenizer_bpe does;
// - "llama": SentencePiece BPE (tokens, tokenizer.ggml.scores; merges made from the scores),
//   "▁" for spaces and prepended after every special token (tokenizer.ggml.add_space_prefix),
//   byte fallback to the <0xNN> tokens.
// tokenizer.ggml.token_type marks control (3), user-defined (4) and unknown (2) tokens, which are
// matched literally in the text (as llama_tokenize with parse_special); bos/eos ids and
// add_bos_token / add_eos_token give the special tokens around a text, with llama.cpp's defaults.

#include <memory>
#include <string>

namespace attnviz {

class GgufFile;
class Tokenizer;

// Throws ModelLoadError naming the file and the key: a missing or malformed tokenizer key, or a
// tokenizer.ggml.model / tokenizer.ggml.pre this reader does not know.
std::unique_ptr<Tokenizer> tokenizerFromGguf(const GgufFile& file);

} // namespace attnviz
