#pragma once
// A content hash of a model's files, so reopening a session can tell whether the model changed.
//
// Every byte is read: a hash of the size, mtime or the first and last MiB would miss a re-export
// that changes weights in the middle of the file (or keeps the size), and would fire on a mere copy.
// What is hashed (modelFiles): a single file spec (GGUF, llama2.c .bin, lesson .json, attention
// file) is that file; a Hugging Face folder is its config.json and weights (every top-level
// .safetensors file, or without any, every pytorch_model*.bin), each with its name and size.
// Tokenizer files and model cards are left out: they do not change what a model computes per token id.
//
// The hash (modelContentHash, "lanes64:" + 16 hex digits) is not cryptographic; it only has to
// notice changes. Four independent 64-bit lanes take 8 bytes each per step (xor, rotate, multiply
// by an odd constant), so the multiplies overlap and hashing runs at memory speed; a gigabyte
// takes about as long as reading it from disk. Call it off the UI thread.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace attnviz {

// The hash of `size` bytes, without any prefix.
std::uint64_t hashBytes(const void* data, std::size_t size);

// The files of a model spec (resolved builtin:/lesson: names), in the order they are hashed.
// Throws std::runtime_error when the spec names nothing that exists.
std::vector<std::string> modelFiles(const std::string& spec);

// "lanes64:0123456789abcdef" over modelFiles(spec). Throws std::runtime_error (missing or
// unreadable file); returns an empty string when `cancel` is raised.
std::string modelContentHash(const std::string& spec, const std::atomic<bool>* cancel = nullptr);

} // namespace attnviz
