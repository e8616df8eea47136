#pragma once
// The pre-tokenisation regexes of byte-level BPE models, written out by hand instead of with a
// regex engine. Byte-level BPE then runs on each piece separately.

#include <cstddef>
#include <string_view>
#include <vector>

namespace attnviz {

struct ByteRange
{
    std::size_t begin;
    std::size_t end;
};

// Both return consecutive, non-empty ranges covering all of `text`.

// GPT-2 (also RoBERTa, GPT-J, ...):
//   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
std::vector<ByteRange> splitGpt2(std::string_view text);

// Llama 3 (the cl100k-style pattern):
//   (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|
//   \s+(?!\S)|\s+
std::vector<ByteRange> splitLlama3(std::string_view text);

// Qwen2 (also Qwen2.5, Qwen3): Llama 3's pattern with digits one by one (\p{N} for \p{N}{1,3}).
std::vector<ByteRange> splitQwen2(std::string_view text);

// The pattern of both, with digit runs of at most maxDigits.
std::vector<ByteRange> splitCl100k(std::string_view text, std::size_t maxDigits);

// Hugging Face's Digits pre-tokenizer: numbers (\p{N}) isolated, one by one or as runs.
std::vector<ByteRange> splitDigits(std::string_view text, bool individual);

// Hugging Face's Punctuation pre-tokenizer (behavior isolated): every ASCII punctuation character
// and every \p{P} character a piece of its own.
std::vector<ByteRange> splitPunctuation(std::string_view text);

} // namespace attnviz
