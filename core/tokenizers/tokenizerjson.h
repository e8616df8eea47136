#pragma once
// Building tokenizers from a parsed Hugging Face tokenizer.json (the loaders in
// tokenizerloader.cpp add file handling and error context).

#include "tokenizers/tokenizer.h"
#include "util/json.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace attnviz {

// A JSON number that must be a token id in [0, maxTokenId] (util/sizelimits.h); `what` names
// the entry in the TokenizerError. Numbers of tokenizer files go through this or checked::.
int tokenIdFromJson(const json::Value& value, const std::string& what);
// A JSON number that must be an integer in [lo, hi].
int intFromJson(const json::Value& value, const std::string& what, int lo, int hi);

// A {"piece": id, ...} object (vocab.json, or model.vocab of tokenizer.json).
std::vector<std::pair<std::string, int>> vocabFromJson(const json::Value& object);

// Throws TokenizerError for unsupported model types or components.
std::unique_ptr<Tokenizer> tokenizerFromJson(const json::Value& root);

} // namespace attnviz
