#pragma once
// JSON forms of results, shared by attnviz-cli and the app's data export so they cannot drift.

#include "attention/attention.h"
#include "engine/attentionresult.h"
#include "util/json.h"

#include <iosfwd>
#include <optional>
#include <string>

namespace attnviz {

// {"heads": [{"name","q","k","v","scores","scaled","weights","output"}], "concat", "output"}
// Matrices are arrays of rows. Masked scores are written as null (they are −∞ for softmax).
std::string multiHeadJson(const MultiHeadResult& result, bool pretty = false);
// The same document streamed to `out` in chunks: a large result is never held whole as text.
void writeMultiHeadJson(std::ostream& out, const MultiHeadResult& result, bool pretty = false);

// {"model": {"family","name","layers","heads","d_model"}, "stack", "tokens", "token_ids",
//  ["source_tokens", "source_token_ids",] "attention", ["next_token": [{"id","token","logit",
//  "probability"}] for decoders,] ["notices"]} where attention[layer][head][query][key].
// layer/head restrict the output to one layer/head, still nested four deep.
std::string attentionJson(const AttentionResult& result, int stack = 0, std::optional<int> layer = std::nullopt,
                          std::optional<int> head = std::nullopt, bool pretty = false);
void writeAttentionJson(std::ostream& out, const AttentionResult& result, int stack = 0,
                        std::optional<int> layer = std::nullopt, std::optional<int> head = std::nullopt,
                        bool pretty = false);
// Throws std::out_of_range, as attentionJson() does, when the stack, layer or head does not exist.
void checkAttentionSelection(const AttentionResult& result, int stack, std::optional<int> layer,
                             std::optional<int> head);

// {"positions": [...], "layers": [layer][position][rank] predictions} and
// {"position","target_id","target","logit","sum_of_parts","embedding","heads": [layer][head],
//  "attention_bias","mlp","final_bias"}; attentionJson includes them as "logit_lens" / "attribution".
void writeLogitLens(json::Writer& w, const LogitLens& lens);
void writeAttribution(json::Writer& w, const LogitAttribution& a);

// A human-readable rendering of a lesson run: every stage of every head as aligned tables.
std::string multiHeadTable(const MultiHeadResult& result, const std::vector<std::string>& queryTokens,
                           const std::vector<std::string>& keyTokens);

} // namespace attnviz
