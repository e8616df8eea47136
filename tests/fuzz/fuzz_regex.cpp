// The Split regex engine on untrusted patterns and texts: a behavior byte (behavior and invert),
// the pattern, the separator, a text of at most 4 KB. A pattern compiles or throws TokenizerError;
// a compiled one splits the text (or refuses it when the step budget runs out) into pieces that lie
// inside the text, in order, never overlapping.
#include "fuzzutil.h"
#include "tokenizers/regexsplit.h"
#include "tokenizers/tokenizer.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace attnviz;
    if (size < 1)
        return 0;
    const auto behavior = static_cast<SplitBehavior>(data[0] % 5);
    const bool invert = (data[0] & 0x80) != 0;
    const std::vector<std::string_view> parts = fuzz::splitParts(fuzz::asText(data + 1, size - 1), 2);
    const std::string_view text = parts.size() > 1 ? parts[1].substr(0, 4096) : std::string_view("Hello, wörld! 猫 12");
    try {
        const RegexSplit split = RegexSplit::fromRegex(parts[0], behavior, invert);
        std::size_t last = 0;
        for (const ByteRange& r : split.split(text)) {
            if (r.begin < last || r.end <= r.begin || r.end > text.size())
                std::abort();
            last = r.end;
        }
    } catch (const TokenizerError&) {
    }
    return 0;
}
