#pragma once
// Shared helpers of the tokenizer tests: expected-id fixtures (made by an independent reference,
// see tools/tokenizers/make_expected.mjs) and span checks.

#include "tokenizers/tokenizer.h"
#include "tokenizers/unicode.h"
#include "util/json.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>

#include <string>
#include <vector>

namespace attnviz::testutil {

inline std::string sharedFixture(const std::string& rel) { return std::string(ATTNVIZ_SHARED_FIXTURES) + "/" + rel; }
inline std::string testData(const std::string& rel) { return std::string(ATTNVIZ_TEST_DATA) + "/" + rel; }

inline std::vector<int> intsOf(const json::Value& array)
{
    std::vector<int> out;
    for (const json::Value& v : array.asArray())
        out.push_back(static_cast<int>(v.asNumber()));
    return out;
}

inline QByteArray printable(const std::vector<int>& ids)
{
    QByteArray s = "[";
    for (std::size_t i = 0; i < ids.size(); ++i)
        s += (i ? ", " : "") + QByteArray::number(ids[i]);
    return s + "]";
}

inline bool isValidUtf8(const std::string& s)
{
    for (std::size_t pos = 0; pos < s.size();) {
        const int len = unicode::validUtf8Length(s, pos);
        if (len == 0)
            return false;
        pos += static_cast<std::size_t>(len);
    }
    return true;
}

// Every token has a span inside the text, spans never go backwards, and display strings are
// valid UTF-8.
inline void checkSpans(const std::string& text, const std::vector<Token>& tokens)
{
    int last = 0;
    for (const Token& t : tokens) {
        QVERIFY2(isValidUtf8(t.display), t.piece.c_str());
        if (t.begin < 0) {
            QVERIFY(t.special);
            QCOMPARE(t.end, -1);
            continue;
        }
        QVERIFY2(t.begin <= t.end && t.end <= static_cast<int>(text.size()), t.piece.c_str());
        QVERIFY2(t.begin >= last || t.end >= last, t.piece.c_str()); // monotone (overlap allowed inside a character)
        last = t.begin;
    }
}

// GPT-2's real vocabulary and merges as a tokenizer.json with `preTokenizer`; returns its path.
inline std::string writeGpt2TokenizerJson(const QTemporaryDir& dir, const json::Value& preTokenizer)
{
    json::Writer w;
    w.beginObject().key("added_tokens").beginArray().beginObject();
    w.key("id").value(50256).key("content").value("<|endoftext|>").key("special").value(true);
    w.endObject().endArray();
    w.key("pre_tokenizer").value(preTokenizer);
    w.key("model").beginObject().key("type").value("BPE");
    w.key("vocab").value(json::parseFile(sharedFixture("tokenizers/gpt2/encoder.json")));
    w.key("merges").beginArray();
    const std::string merges = json::readTextFile(sharedFixture("tokenizers/gpt2/vocab.bpe"));
    for (std::size_t pos = merges.find('\n') + 1; pos < merges.size();) { // skip the #version line
        const std::size_t end = std::min(merges.find('\n', pos), merges.size());
        if (end > pos)
            w.value(std::string_view(merges).substr(pos, end - pos));
        pos = end + 1;
    }
    w.endArray().endObject().endObject();
    const std::string path = dir.filePath("tokenizer.json").toStdString();
    std::ofstream(path, std::ios::binary) << w.str();
    return path;
}

// Every case of an expected-ids fixture of pre-tokenizer Sequences ({"sequences": {NAME:
// {"pre_tokenizer", "cases": [{"text", "ids"}]}}}), encoded with GPT-2's vocabulary under that
// pre-tokenizer: ids compared, spans checked; `count` gets the number of cases checked.
inline void checkPreTokenizerSequences(const std::string& fixture, int* count)
{
    const json::Value expected = json::parseFile(testData(fixture));
    *count = 0;
    for (const auto& [name, sequence] : expected.find("sequences")->asObject()) {
        QTemporaryDir dir;
        const auto tok = loadTokenizerJson(writeGpt2TokenizerJson(dir, *sequence.find("pre_tokenizer")));
        for (const json::Value& c : sequence.find("cases")->asArray()) {
            const std::string& text = c.find("text")->asString();
            const std::vector<Token> tokens = tok->encode(text);
            const QByteArray got = printable(idsOf(tokens)), want = printable(intsOf(*c.find("ids")));
            QVERIFY2(got == want, (name + ": " + text + "\n   got " + got.toStdString() + "\nexpected " + want.toStdString()).c_str());
            checkSpans(text, tokens);
            ++*count;
        }
    }
}

} // namespace attnviz::testutil
