#include "nlohmannjson.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace attnviz::bench::nlohmannjson {

using json::Array;
using json::Object;
using json::Value;

namespace {

// Builds Values straight from SAX events, with no nlohmann DOM in between (an ordered_json DOM
// took about 2 s for roberta's tokenizer.json: its ordered_map looks keys up linearly).
class Builder
{
public:
    using Json = nlohmann::json;

    bool null() { return add(Value(nullptr)); }
    bool boolean(bool b) { return add(Value(b)); }
    // Only literals with a leading '-' arrive here, so 0 was written "-0": keep its sign.
    bool number_integer(std::int64_t i) { return add(i == 0 ? Value(-0.0) : Value(i)); }
    bool number_unsigned(std::uint64_t u) { return add(Value(u)); }
    bool number_float(double d, const std::string&) { return add(Value(d)); }
    bool string(std::string& s) { return add(Value(s)); }
    bool binary(Json::binary_t&) { return false; } // the JSON parser never produces it
    bool start_object(std::size_t) { return open(true); }
    bool key(std::string& k)
    {
        m_stack.back().key = k;
        return true;
    }
    bool end_object() { return close(); }
    bool start_array(std::size_t) { return open(false); }
    bool end_array() { return close(); }
    bool parse_error(std::size_t, const std::string&, const Json::exception& e) { throw std::runtime_error(e.what()); }

    Value takeRoot() { return std::move(m_root); }

private:
    struct Frame
    {
        bool isObject;
        std::string key;
        Array items;
        Object members;
    };

    bool add(Value v)
    {
        if (m_stack.empty()) {
            m_root = std::move(v);
        } else if (Frame& top = m_stack.back(); top.isObject) {
            top.members.emplace_back(std::move(top.key), std::move(v)); // duplicates kept, as json::parse does
        } else {
            top.items.push_back(std::move(v));
        }
        return true;
    }

    bool open(bool isObject)
    {
        m_stack.push_back(Frame{isObject, {}, {}, {}});
        return true;
    }

    bool close()
    {
        Frame f = std::move(m_stack.back());
        m_stack.pop_back();
        return add(f.isObject ? Value(std::move(f.members)) : Value(std::move(f.items)));
    }

    std::vector<Frame> m_stack;
    Value m_root;
};

} // namespace

Value parse(std::string_view text)
{
    Builder b;
    nlohmann::json::sax_parse(text.data(), text.data() + text.size(), &b);
    return b.takeRoot();
}

} // namespace attnviz::bench::nlohmannjson
