#pragma once
// Building tokenizers from a parsed Hugging Face tokenizer.json (the loaders in
// tokenizerloader.cpp add file handling and error context).

#include "tokenizers/addedtokens.h"
#include "tokenizers/textnormalizer.h"
#include "tokenizers/tokenizer.h"
#include "util/json.h"

#include <functional>
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

// Helpers of the tokenizer.json readers: a component's "type" ("" when absent), a key's bool or
// string with a fallback, each part of a (possibly nested) "Sequence" component.
std::string jsonType(const json::Value* component);
bool jsonBool(const json::Value* object, const char* key, bool fallback);
std::string jsonString(const json::Value* object, const char* key, const std::string& fallback);
void forEachJsonComponent(const json::Value* v, const char* listKey, const std::function<void(const json::Value&)>& f);
AddedTokens addedTokensFromJson(const json::Value& root);

// A tokenizer.json "normalizer" (null, one step or a Sequence) as TextNormalizer steps; throws
// TokenizerError naming `model` (the kind of tokenizer) for a step that is not implemented.
TextNormalizer textNormalizerFromJson(const json::Value* normalizer, const std::string& model);

// A "Unigram" model with its normalizer, pre-tokenizer, decoder and post-processor
// (unigramjson.cpp).
std::unique_ptr<Tokenizer> unigramFromJson(const json::Value& root, const json::Value& model);

// Throws TokenizerError for unsupported model types or components.
std::unique_ptr<Tokenizer> tokenizerFromJson(const json::Value& root);

} // namespace attnviz
