#pragma once
// Shared helpers of the tokenizer tests: expected-id fixtures (made by an independent reference,
// see tools/tokenizers/make_expected.mjs) and span checks.

#include "tokenizers/tokenizer.h"
#include "tokenizers/unicode.h"
#include "util/json.h"

#include <QTest>

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

} // namespace attnviz::testutil
