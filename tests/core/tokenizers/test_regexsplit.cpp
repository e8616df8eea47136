// Split pre-tokenizers through the regex engine. (1) GPT-2's real vocabulary behind patterns of
// real files (BLOOM, DeepSeek-style Sequences, o200k, cl100k with possessives) and one pattern
// under every behavior, inverted or not: ids from @huggingface/transformers
// (tests/data/tokenizers/regexsplit_expected.json, tools/tokenizers/make_regexsplit_expected.mjs).
// (2) The engine on the GPT-2, Llama 3 and Qwen2 patterns gives the same pieces as the
// hand-written splitters of bytelevelsplit.cpp, an independent implementation, on every text of
// the tokenizer fixtures and on generated Unicode mixes; and the speed of both.
#include "tokenizertestutil.h"
#include "tokenizers/bytelevelsplit.h"
#include "tokenizers/regexsplit.h"

#include <QDir>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <functional>

using namespace attnviz;
using namespace attnviz::testutil;

namespace {

const char* const kGpt2 = R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";
const char* const kLlama3 = R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3})"
                            R"(| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
const char* const kQwen2 = R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N})"
                           R"(| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

void collectTexts(const json::Value& v, std::vector<std::string>& out)
{
    if (v.isObject()) {
        for (const auto& [key, child] : v.asObject()) {
            if ((key == "text" || key == "pair") && child.isString())
                out.push_back(child.asString());
            else
                collectTexts(child, out);
        }
    } else if (v.isArray()) {
        for (const json::Value& child : v.asArray())
            collectTexts(child, out);
    }
}

// Seeded mixes of the characters the patterns care about: letters of several scripts and cases,
// digits of several kinds, contractions in both cases, every kind of whitespace and line break,
// punctuation, symbols, marks, emoji, controls.
std::vector<std::string> generatedMixes(int count)
{
    static const char* const pieces[] = {
        "a", "Z", "hello", "World", "'s", "'S", "'t", "'re", "'VE", "'m", "'ll", "'LL", "'d", "'x", "'", "0", "42",
        "12345", "\xD9\xA3\xD9\xA4", "\xC2\xBD", "\xE2\x85\xA7", " ", "  ", "\t", "\n", "\r\n", "\r", "\n\n",
        "\xC2\xA0", "\xE3\x80\x80", "\xE2\x80\xA8", "\x0B", "\x0C", ",", ".", "...", "!?", "-", "_", "(", ")", "[",
        "$", "+", "=", "\xE2\x80\x94", "\xC2\xAB", "\xE2\x80\xA6", "\xE4\xBD\xA0\xE5\xA5\xBD", "\xE3\x80\x82",
        "\xED\x95\x9C", "\xD0\xBF\xD1\x80\xD0\xB8", "\xCE\x95\xCE\xBB", "\xD9\x85\xD8\xB1", "\xE0\xA4\xA8\xE0\xA4\xAE",
        "e\xCC\x81", "\xCC\x81", "\xC3\xA9", "\xC3\x89", "\xF0\x9F\x99\x82", "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD",
        "\x01", "\x7F", "\xE2\x80\x8B", "\xEF\xBB\xBF", "\xC2\x85", "\xE1\x9A\x80", "\xF0\x9D\x90\x80",
    };
    constexpr std::size_t kinds = sizeof(pieces) / sizeof(pieces[0]);
    std::uint64_t x = 1;
    const auto next = [&x] {
        x = (1103515245 * x + 12345) % 2147483648ULL;
        return static_cast<std::size_t>(x >> 8);
    };
    std::vector<std::string> out;
    for (int i = 0; i < count; ++i) {
        std::string text;
        const std::size_t length = 1 + next() % 24;
        for (std::size_t k = 0; k < length; ++k)
            text += pieces[next() % kinds];
        out.push_back(std::move(text));
    }
    return out;
}

std::string piecesOf(const std::string& text, const std::vector<ByteRange>& ranges)
{
    std::string out;
    for (const ByteRange& r : ranges)
        out += "[" + text.substr(r.begin, r.end - r.begin) + "]";
    return out;
}

} // namespace

class TestRegexSplit : public QObject
{
    Q_OBJECT

private slots:
    void idsAgainstTransformers()
    {
        int count = 0;
        checkPreTokenizerSequences("tokenizers/regexsplit_expected.json", &count);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(count, 18 * 21);
    }

    // The general engine against the hand-written splitters, piece for piece.
    void engineEqualsHandWritten_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<int>("which");
        QTest::newRow("GPT-2") << QString::fromUtf8(kGpt2) << 0;
        QTest::newRow("Llama 3") << QString::fromUtf8(kLlama3) << 1;
        QTest::newRow("Qwen2") << QString::fromUtf8(kQwen2) << 2;
    }

    void engineEqualsHandWritten()
    {
        QFETCH(QString, pattern);
        QFETCH(int, which);
        const std::function<std::vector<ByteRange>(std::string_view)> handWritten[] = {splitGpt2, splitLlama3, splitQwen2};
        const RegexSplit engine = RegexSplit::fromRegex(pattern.toStdString(), SplitBehavior::Isolated, false);

        std::vector<std::string> texts;
        for (const QString& file : QDir(QString::fromUtf8(ATTNVIZ_TEST_DATA) + "/tokenizers").entryList({"*_expected.json"}))
            collectTexts(json::parseFile(testData("tokenizers/" + file.toStdString())), texts);
        const std::size_t fixtureTexts = texts.size();
        for (std::string& t : generatedMixes(5000))
            texts.push_back(std::move(t));
        QVERIFY(fixtureTexts > 300);

        std::size_t pieces = 0, bytes = 0;
        for (const std::string& text : texts) {
            const std::vector<ByteRange> expected = handWritten[which](text);
            const std::vector<ByteRange> got = engine.split(text);
            QVERIFY2(piecesOf(text, got) == piecesOf(text, expected),
                     ("text " + text + "\n   got " + piecesOf(text, got) + "\nexpected " + piecesOf(text, expected)).c_str());
            pieces += expected.size();
            bytes += text.size();
        }
        qInfo("%s: %zu texts (%zu from the fixtures, the rest generated), %zu bytes, %zu pieces equal",
              QTest::currentDataTag(), texts.size(), fixtureTexts, bytes, pieces);
    }

    // Not a pass/fail check: how much slower the general engine is than the hand-written splitters.
    void speedAgainstHandWritten()
    {
        std::string text;
        for (int i = 0; i < 400; ++i)
            text += "The quick brown fox (number " + std::to_string(i) + ") jumps over the lazy dog's back; caf\xC3\xA9 "
                    "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E \xF0\x9F\x99\x82!\n";
        const char* const names[] = {"GPT-2", "Llama 3", "Qwen2"};
        const char* const patterns[] = {kGpt2, kLlama3, kQwen2};
        const std::function<std::vector<ByteRange>(std::string_view)> handWritten[] = {splitGpt2, splitLlama3, splitQwen2};
        for (int k = 0; k < 3; ++k) {
            const RegexSplit engine = RegexSplit::fromRegex(patterns[k], SplitBehavior::Isolated, false);
            // The fastest of 15 rounds of each, interleaved, so that load from other processes counts least.
            double handMs = 1e9, engineMs = 1e9;
            std::size_t a = 0, b = 0;
            for (int round = 0; round < 15; ++round) {
                QElapsedTimer timer;
                timer.start();
                a = handWritten[k](text).size();
                handMs = std::min(handMs, static_cast<double>(timer.nsecsElapsed()) / 1e6);
                timer.restart();
                b = engine.split(text).size();
                engineMs = std::min(engineMs, static_cast<double>(timer.nsecsElapsed()) / 1e6);
            }
            QCOMPARE(a, b);
            const double mb = static_cast<double>(text.size()) / 1e6;
            qInfo("%s on %.0f KB: hand-written %.2f ms (%.0f MB/s), regex engine %.2f ms (%.1f MB/s), %.1fx",
                  names[k], mb * 1000, handMs, mb / handMs * 1000, engineMs, mb / engineMs * 1000, engineMs / handMs);
        }
    }

    // One step budget serves every stage and piece of an encode: a hostile second stage on many
    // lines is refused within the budget of the whole text, not granted one budget per line.
    void budgetIsSharedByStagesAndPieces()
    {
        QTemporaryDir dir;
        const json::Value pre = json::parse(
            R"({"type":"Sequence","pretokenizers":[{"type":"Split","pattern":{"String":"\n"},"behavior":"Isolated"},)"
            R"({"type":"Split","pattern":{"Regex":".*b|a"},"behavior":"Isolated"},{"type":"ByteLevel","use_regex":false}]})");
        const auto tok = loadTokenizerJson(writeGpt2TokenizerJson(dir, pre));
        std::string text;
        for (int line = 0; line < 100; ++line)
            text += std::string(2000, 'a') + "\n"; // each line alone fits a budget of its own
        QElapsedTimer timer;
        timer.start();
        try {
            (void)tok->encode(text);
            QFAIL("encoded");
        } catch (const TokenizerError& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains("steps on a text of 200100 bytes"), e.what());
        }
        QVERIFY2(timer.elapsed() < 15000, qPrintable(QString::number(timer.elapsed()) + " ms"));
        QCOMPARE(tok->decode(idsOf(tok->encode("ab\naab"))), std::string("ab\naab")); // a short text is fine
    }

    // Loading refuses what the engine cannot do, naming it, and what is wrong with the Split itself.
    void loadRefusals_data()
    {
        QTest::addColumn<QString>("split");
        QTest::addColumn<QString>("named");
        QTest::newRow("lookbehind") << R"({"type":"Split","pattern":{"Regex":"(?<=a)b"},"behavior":"Isolated"})" << "lookbehind";
        QTest::newRow("backreference") << R"({"type":"Split","pattern":{"Regex":"(a)\\1"},"behavior":"Isolated"})"
                                       << "backreference";
        QTest::newRow("behavior") << R"({"type":"Split","pattern":{"Regex":"a"},"behavior":"Sideways"})" << "Sideways";
        QTest::newRow("no pattern") << R"({"type":"Split","behavior":"Isolated"})" << "without a pattern";
        QTest::newRow("after ByteLevel")
            << R"({"type":"Sequence","pretokenizers":[{"type":"ByteLevel","use_regex":false},)"
               R"({"type":"Split","pattern":{"Regex":"a"},"behavior":"Isolated"}]})"
            << "after ByteLevel";
        QTest::newRow("without ByteLevel")
            << R"({"type":"Sequence","pretokenizers":[{"type":"Split","pattern":{"Regex":"a"},"behavior":"Isolated"},)"
               R"({"type":"Metaspace"}]})"
            << "supported with ByteLevel only";
    }

    void loadRefusals()
    {
        QFETCH(QString, split);
        QFETCH(QString, named);
        QTemporaryDir dir;
        const json::Value pre = json::parse(split.toStdString());
        const bool sequence = pre.find("pretokenizers") != nullptr;
        const std::string wrapped = sequence ? split.toStdString()
                                             : R"({"type":"Sequence","pretokenizers":[)" + split.toStdString() +
                                                   R"(,{"type":"ByteLevel","use_regex":false}]})";
        try {
            (void)loadTokenizerJson(writeGpt2TokenizerJson(dir, json::parse(wrapped)));
            QFAIL("loaded");
        } catch (const TokenizerError& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(named), e.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestRegexSplit)
#include "test_regexsplit.moc"
