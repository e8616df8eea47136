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

// A {"piece": id, ...} object (vocab.json, or model.vocab of tokenizer.json).
std::vector<std::pair<std::string, int>> vocabFromJson(const json::Value& object);

// Throws TokenizerError for unsupported model types or components.
std::unique_ptr<Tokenizer> tokenizerFromJson(const json::Value& root);

} // namespace attnviz
