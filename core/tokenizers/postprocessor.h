#pragma once
// The special tokens a model expects around its input ([CLS] A [SEP] B [SEP], <s> A, ...), read
// from tokenizer.json's post_processor (TemplateProcessing, BertProcessing, RobertaProcessing).

#include "base/token.h"
#include "util/json.h"

#include <optional>
#include <string_view>
#include <string>
#include <vector>

namespace attnviz {

class PostProcessor
{
public:
    struct Item
    {
        bool isSequence = false; // true: the tokens of A (sequence 0) or B (sequence 1)
        int sequence = 0;
        int id = -1;             // special token id and piece when !isSequence
        std::string piece;
        int typeId = 0;          // segment / token type id
    };

    PostProcessor() = default; // adds nothing (GPT-2)
    PostProcessor(std::vector<Item> single, std::vector<Item> pair);

    // BERT's [CLS] A [SEP] (B [SEP]) with type ids 0 / 1.
    static PostProcessor bert(int clsId, const std::string& cls, int sepId, const std::string& sep);
    // Parses a post_processor object; a null or absent one, or ByteLevel, adds nothing. Throws
    // TokenizerError for types it does not know.
    static PostProcessor fromJson(const json::Value* value);

    // Wraps the plain tokens of A (and B) with the template's special tokens.
    std::vector<Token> apply(std::vector<Token> a, std::optional<std::vector<Token>> b) const;
    // Every tokenizer's encodeForModel: `encode(text, segment)` of the text (segment 0) and the
    // optional second text (segment 1), then apply().
    template <typename Encode>
    std::vector<Token> encodePair(Encode&& encode, std::string_view text, std::optional<std::string_view> second) const
    {
        std::optional<std::vector<Token>> b;
        if (second)
            b = encode(*second, 1);
        return apply(encode(text, 0), std::move(b));
    }

private:
    std::vector<Item> m_single;
    std::vector<Item> m_pair;
};

} // namespace attnviz
