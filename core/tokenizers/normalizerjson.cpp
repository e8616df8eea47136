// The normalizer of a tokenizer.json as TextNormalizer steps, shared by the Unigram and
// byte-level BPE readers.
#include "tokenizers/tokenizerjson.h"

#include "tokenizers/metaspace.h"
#include "util/base64.h"
#include "util/messagetext.h"
#include "util/utf8.h"

#include <cstdlib>
#include <optional>

namespace attnviz {

namespace {

// The one regex Replace seen in SentencePiece conversions: a character repeated, "X{n,}".
bool parseRepeatRegex(const std::string& regex, char32_t& c, int& minCount)
{
    if (regex.empty())
        return false;
    const unicode::Decoded d = unicode::decodeUtf8(regex, 0);
    const std::string_view rest = std::string_view(regex).substr(static_cast<std::size_t>(d.length));
    if (d.cp == U'\\' || d.cp == U'.' || d.cp == U'[' || d.cp == U'(' || rest.size() < 4 || rest.front() != '{' ||
        !rest.ends_with(",}"))
        return false;
    const std::string_view digits = rest.substr(1, rest.size() - 3);
    if (digits.empty() || digits.size() > 4 || digits.find_first_not_of("0123456789") != std::string_view::npos)
        return false;
    c = d.cp;
    minCount = std::atoi(std::string(digits).c_str());
    return true;
}

} // namespace

TextNormalizer textNormalizerFromJson(const json::Value* normalizer, const std::string& model)
{
    TextNormalizer out;
    forEachJsonComponent(normalizer, "normalizers", [&](const json::Value& n) {
        const std::string type = jsonType(&n);
        if (type == "Precompiled") {
            const json::Value* map = n.find("precompiled_charsmap");
            if (!map || map->isNull())
                return;
            std::optional<std::string> blob = map->isString() ? decodeBase64(map->asString()) : std::nullopt;
            if (!blob)
                throw TokenizerError("Precompiled normalizer: precompiled_charsmap is not a base64 string");
            out.addPrecompiled(std::make_shared<const PrecompiledCharsmap>(*blob));
        } else if (type == "Replace") {
            const json::Value* pattern = n.find("pattern");
            const std::string content = jsonString(&n, "content", "");
            char32_t c = 0;
            int minCount = 0;
            if (pattern && pattern->find("String")) {
                out.addReplace(jsonString(pattern, "String", ""), content);
            } else if (parseRepeatRegex(jsonString(pattern, "Regex", ""), c, minCount)) {
                out.addReplaceRepeats(c, minCount, content);
            } else {
                throw TokenizerError("unsupported Replace normalizer pattern (only strings and \"X{n,}\" regexes)");
            }
        } else if (type == "Strip") {
            out.addStrip(jsonBool(&n, "strip_left", true), jsonBool(&n, "strip_right", true));
        } else if (type == "Lowercase") {
            out.addLowercase();
        } else if (type == "StripAccents") {
            out.addStripAccents();
        } else if (const std::optional<unicode::NormalForm> form = unicode::normalFormNamed(type)) {
            out.addUnicodeForm(*form);
        } else if (type == "Prepend") {
            out.addPrepend(jsonString(&n, "prepend", std::string(kMetaspace)));
        } else {
            throw TokenizerError("normalizer " + quotedForMessage(type) + " is not implemented for " + model +
                                 " tokenizers; refusing rather than tokenising differently from the reference");
        }
    });
    return out;
}

} // namespace attnviz
