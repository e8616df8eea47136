#include "tokenizers/postprocessor.h"

#include "tokenizers/tokenizer.h"
#include "tokenizers/tokenizerjson.h"
#include "util/messagetext.h"
#include "util/sizelimits.h"

namespace attnviz {

namespace {

const json::Value& member(const json::Value& object, const char* key)
{
    const json::Value* v = object.find(key);
    if (!v)
        throw TokenizerError(std::string("post_processor: missing \"") + key + "\"");
    return *v;
}

int typeIdOf(const json::Value& item)
{
    const json::Value* t = item.find("type_id");
    return t && t->isNumber() ? intFromJson(*t, "post_processor: type_id", 0, sizeLimit(SizeKind::TokenTypes).max - 1)
                              : 0;
}

// A BertProcessing/RobertaProcessing "cls"/"sep" entry: ["[CLS]", 101].
PostProcessor::Item specialPair(const json::Value& object, const char* key, int typeId)
{
    const json::Value& v = member(object, key);
    if (!v.isArray() || v.asArray().size() != 2 || !v.asArray()[0].isString() || !v.asArray()[1].isNumber())
        throw TokenizerError(std::string("post_processor: \"") + key + "\" is not [piece, id]");
    return {false, 0, tokenIdFromJson(v.asArray()[1], std::string("post_processor: \"") + key + "\" id"),
            v.asArray()[0].asString(), typeId};
}

std::vector<PostProcessor::Item> parseTemplate(const json::Value& list, const json::Value* specials)
{
    std::vector<PostProcessor::Item> out;
    if (!list.isArray())
        throw TokenizerError("post_processor: template is not an array");
    for (const json::Value& entry : list.asArray()) {
        if (const json::Value* seq = entry.find("Sequence")) {
            const json::Value& id = member(*seq, "id");
            const bool isB = id.isString() && id.asString() == "B";
            out.push_back({true, isB ? 1 : 0, -1, {}, typeIdOf(*seq)});
        } else if (const json::Value* sp = entry.find("SpecialToken")) {
            const json::Value& name = member(*sp, "id");
            const json::Value* def = specials && name.isString() ? specials->find(name.asString()) : nullptr;
            if (!def)
                throw TokenizerError("post_processor: special token not defined in special_tokens");
            const json::Value& ids = member(*def, "ids");
            const json::Value& tokens = member(*def, "tokens");
            if (!ids.isArray() || !tokens.isArray() || ids.asArray().size() != tokens.asArray().size())
                throw TokenizerError("post_processor: special token ids and tokens differ in length");
            for (std::size_t i = 0; i < ids.asArray().size(); ++i) {
                const int id = tokenIdFromJson(ids.asArray()[i], "post_processor: special token ids entry");
                const json::Value& piece = tokens.asArray()[i];
                if (!piece.isString())
                    throw TokenizerError("post_processor: special token tokens must be strings");
                out.push_back({false, 0, id, piece.asString(), typeIdOf(*sp)});
            }
        } else {
            throw TokenizerError("post_processor: template item is neither Sequence nor SpecialToken");
        }
    }
    return out;
}

} // namespace

PostProcessor::PostProcessor(std::vector<Item> single, std::vector<Item> pair)
    : m_single(std::move(single)), m_pair(std::move(pair))
{
}

PostProcessor PostProcessor::bert(int clsId, const std::string& cls, int sepId, const std::string& sep)
{
    const Item a{true, 0, -1, {}, 0};
    const Item b{true, 1, -1, {}, 1};
    const Item c{false, 0, clsId, cls, 0};
    const Item s0{false, 0, sepId, sep, 0};
    const Item s1{false, 0, sepId, sep, 1};
    return PostProcessor({c, a, s0}, {c, a, s0, b, s1});
}

PostProcessor PostProcessor::fromJson(const json::Value* value)
{
    if (!value || value->isNull())
        return {};
    const json::Value* typeValue = value->find("type");
    const std::string type = typeValue && typeValue->isString() ? typeValue->asString() : "";
    if (type == "ByteLevel")
        return {}; // only trims offsets
    if (type == "TemplateProcessing") {
        const json::Value* specials = value->find("special_tokens");
        return PostProcessor(parseTemplate(member(*value, "single"), specials),
                             parseTemplate(member(*value, "pair"), specials));
    }
    if (type == "BertProcessing") {
        const Item cls = specialPair(*value, "cls", 0);
        const Item sep = specialPair(*value, "sep", 0);
        return bert(cls.id, cls.piece, sep.id, sep.piece);
    }
    if (type == "RobertaProcessing") { // <s> A </s> </s> B </s>, all type 0
        const Item cls = specialPair(*value, "cls", 0);
        const Item sep = specialPair(*value, "sep", 0);
        const Item a{true, 0, -1, {}, 0};
        const Item b{true, 1, -1, {}, 0};
        return PostProcessor({cls, a, sep}, {cls, a, sep, sep, b, sep});
    }
    if (type == "Sequence") { // e.g. ByteLevel + TemplateProcessing: the last one that adds tokens wins
        PostProcessor result;
        if (const json::Value* list = value->find("processors"); list && list->isArray())
            for (const json::Value& p : list->asArray()) {
                PostProcessor one = fromJson(&p);
                if (!one.m_single.empty() || !one.m_pair.empty())
                    result = std::move(one);
            }
        return result;
    }
    throw TokenizerError("unsupported post_processor type " + quotedForMessage(type));
}

std::vector<Token> PostProcessor::apply(std::vector<Token> a, std::optional<std::vector<Token>> b) const
{
    const std::vector<Item>& items = b ? m_pair : m_single;
    std::vector<Token> out;
    if (items.empty()) { // no template: A then B
        out = std::move(a);
        if (b)
            for (Token& t : *b) {
                t.segment = 1;
                out.push_back(std::move(t));
            }
        return out;
    }
    for (const Item& item : items) {
        if (item.isSequence) {
            std::vector<Token>& source = item.sequence == 1 && b ? *b : a;
            for (Token t : source) {
                t.segment = item.typeId;
                out.push_back(std::move(t));
            }
        } else {
            Token t;
            t.id = item.id;
            t.piece = item.piece;
            t.display = item.piece;
            t.segment = item.typeId;
            t.special = true;
            out.push_back(std::move(t));
        }
    }
    return out;
}

} // namespace attnviz
