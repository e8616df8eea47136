// The core's JSON reader: any bytes either parse or throw ParseError; a parsed document written
// back parses again to the same text (the writer and reader agree).
#include "fuzzutil.h"
#include "util/json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace attnviz;
    json::Value v;
    try {
        v = json::parse(fuzz::asText(data, size));
    } catch (const json::ParseError&) {
        return 0;
    }
    json::Writer once;
    once.value(v);
    json::Writer twice;
    twice.value(json::parse(once.str()));
    if (once.str() != twice.str()) std::abort();
    return 0;
}
