#pragma once
// One token of a tokenised input, as tokenizers produce it and every result carries it.

#include <string>
#include <vector>

namespace attnviz {

struct Token
{
    int id = -1;          // vocabulary id; -1 for lesson tokens
    std::string piece;    // vocabulary string as stored (e.g. "Ġthe", "##ing", "▁the")
    std::string display;  // what people read (" the", "ing", " the"); UTF-8
    int begin = -1;       // byte span [begin, end) in the input text it came from; -1 for specials
    int end = -1;
    int segment = 0;      // 0 = text / sentence A, 1 = sentence B
    bool special = false; // [CLS], [SEP], <s>, BOS, ...
    int word = -1;        // index of its word when the source says (attention files); −1 = found from the text
};

// The vocabulary ids of `tokens`, in order.
inline std::vector<int> idsOf(const std::vector<Token>& tokens)
{
    std::vector<int> ids;
    ids.reserve(tokens.size());
    for (const Token& t : tokens)
        ids.push_back(t.id);
    return ids;
}

} // namespace attnviz
