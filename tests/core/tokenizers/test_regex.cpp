// The regex engine of the Split pre-tokenizers (core/tokenizers/regex.h): matches worked out by
// hand under Oniguruma's (Perl's) leftmost-first rules, refusals of unsupported syntax naming the
// construct, and hostile patterns and texts that must end, matched or refused, within a bound;
// and 400 seeded random patterns against V8's backtracking engine behind @huggingface/transformers'
// pattern rewrite (tests/data/tokenizers/regex_random_expected.json,
// tools/tokenizers/make_regex_random_expected.mjs).
#include "tokenizers/regex.h"
#include "tokenizers/tokenizer.h"
#include "util/json.h"

#include <QElapsedTimer>
#include <QTest>

#include <string>

using namespace attnviz;

namespace {

// The matched substrings of every match, joined by '|'.
std::string matches(const std::string& pattern, const std::string& text)
{
    const regex::Regex re(pattern);
    std::string out;
    bool first = true;
    for (const regex::Span& m : regex::findAll(re, text)) {
        out += (first ? "" : "|") + text.substr(m.begin, m.end - m.begin);
        first = false;
    }
    return out;
}

} // namespace

class TestRegex : public QObject
{
    Q_OBJECT

private slots:
    void handChecked_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        const auto row = [](const char* name, const char* p, const char* t, const char* e) {
            QTest::newRow(name) << QString::fromUtf8(p) << QString::fromUtf8(t) << QString::fromUtf8(e);
        };
        row("literal", "abc", "xabcabcab", "abc|abc");
        row("alternation order a|ab", "a|ab", "ab", "a");
        row("alternation order ab|a", "ab|a", "ab", "ab");
        row("leftmost beats longer later", "bc|abcd", "abcd", "abcd");
        row("greedy star", "<.*>", "<a><b>", "<a><b>");
        row("lazy star", "<.*?>", "<a><b>", "<a>|<b>");
        row("lazy plus", "a+?", "aaa", "a|a|a");
        row("greedy interval", "a{2,3}", "aaaaa", "aaa|aa");
        row("lazy interval", "a{2,3}?", "aaaaa", "aa|aa");
        row("exact interval of a group", "(?:ab){2}", "ababab", "abab");
        row("open interval", "a{2,}", "a aa aaaa", "aa|aaaa");
        row("interval up to", "a{,2}", "aaa", "aa|a");
        row("interval then plus is a repeat", "(?:ab){1}+", "ababx", "abab");
        row("literal brace", "a{x", "a{x", "a{x");
        row("possessive star keeps all", "a*+a", "aaa", "");
        row("greedy star gives back", "a*a", "aaa", "aaa");
        row("possessive optional", "'?+s", "'s s", "'s|s");
        row("atomic group", "(?>ab|a)c", "abc ac", "abc|ac");
        row("atomic group first choice only", "(?>a|ab)c", "abc ac", "ac");
        row("lookahead", "a(?=b)", "ab ac", "a");
        row("negative lookahead", "a(?!b)", "ab ac", "a");
        row("whitespace before a word", "\\s+(?!\\S)|\\s+", "a   b  ", "  | |  ");
        row("lookahead at the end", "x(?!.)", "xx\nx", "x|x");
        row("BLOOM nested class", "[^(\\s|[.,])]+", "a(b)c|d e.f,g", "a|b|c|d|e|f|g");
        row("BLOOM pattern", " ?[^(\\s|[.,!?…。，、।۔،])]+", "Hi, you… 你好。ok", "Hi| you| 你好|ok");
        row("range and trailing dash", "[a-c-]+", "a-cd", "a-c");
        row("leading bracket literal", "[]a]+", "]a]b", "]a]");
        row("class escapes", "[\\d\\p{Lu}]+", "12ABcD", "12AB|D");
        row("Nd is not No", "\\p{Nd}+", "٣٤5x½", "٣٤5");
        row("N holds No", "\\p{N}+", "٣٤5x½", "٣٤5|½");
        row("negated property", "\\P{L}+", "ab12!c", "12!");
        row("caret property", "\\p{^L}+", "ab12!c", "12!");
        row("subcategories", "\\p{Ll}+|\\p{Lu}", "abCDe", "ab|C|D|e");
        row("symbols and marks", "[\\p{S}\\p{M}]+", "a+\xCC\x81=b", "+\xCC\x81=");
        row("separators and other", "\\p{Z}|\\p{Cc}", "a b\tc", " |\t");
        row("negated class with categories", "[^\\s\\p{L}\\p{N}]+", "ab, c!? 1", ",|!?");
        row("dot skips newline", ".+", "ab\ncd", "ab|cd");
        row("dot takes a whole character", ".", "\xC3\xA9\xF0\x9F\x99\x82", "\xC3\xA9|\xF0\x9F\x99\x82");
        row("hex escape", "\\x{1F642}|\\x41", "A\xF0\x9F\x99\x82", "A|\xF0\x9F\x99\x82");
        row("escaped symbols", "\\.\\+\\(\\[", "a.+([b", ".+([");
        row("case-insensitive group", "(?i:'s|ll)", "'S LL 's Ll", "'S|LL|'s|Ll");
        row("isolated option takes the rest of the group", "a(?i)b|c", "aB C ac aC", "aB|ac|aC");
        row("isolated option ends with its group", "(?:a(?i)b)c", "aBc aBC", "aBc");
        row("case-insensitive scope ends", "a(?i:b)c", "aBc ABC aBC", "aBc");
        row("case-insensitive class", "(?i:[a-c]+)", "xAbCd", "AbC");
        row("case-insensitive uppercase class", "(?i:[A-C]+)", "xaBcd", "aBc");
        row("case-insensitive non-ASCII", "(?i:É)", "é É e", "é|É");
        row("case-insensitive non-ASCII range", "(?i:[À-Ö]+)", "àéÖx", "àéÖ");
        row("case-insensitive negated class", "(?i:[^a]+)", "AbA", "b");
        row("line anchors", "^a|a$", "a\nba\nc", "a|a");
        row("text anchors", "\\Aa|a\\z", "aba", "a|a");
        row("end before final newline", "a\\Z", "a\na\n", "a");
        row("trailing whitespace", "\\s+$", "ab  \ncd  ", "  |  ");
        row("word boundary", "\\ba\\w*", "a ba ab", "a|ab");
        row("not a word boundary", "\\Ba", "a ba", "a");
        row("word class is Unicode", "\\w+", "héllo wörld_1", "héllo|wörld_1");
        row("digit class is Unicode", "\\d+", "12 ٣٤", "12|٣٤");
        row("empty matches", "a*", "baa", "|aa");
        row("comment", "a(?#note)b", "ab", "ab");
        row("named group", "(?<word>a)b", "ab", "ab");
        row("CJK range", "[一-龥]+", "abc你好def", "你好");
        row("nested quantifiers", "(?:a|b)*c", "ababc abd c", "ababc|c");
        row("empty loop body", "(?:a*)*b", "aab b", "aab|b");
    }

    void handChecked()
    {
        QFETCH(QString, pattern);
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QCOMPARE(QString::fromStdString(matches(pattern.toStdString(), text.toStdString())), expected);
    }

    void randomPatternsAgainstV8()
    {
        const json::Value expected =
            json::parseFile(std::string(ATTNVIZ_TEST_DATA) + "/tokenizers/regex_random_expected.json");
        int texts = 0, found = 0;
        for (const json::Value& c : expected.find("cases")->asArray()) {
            const std::string& pattern = c.find("pattern")->asString();
            const regex::Regex re(pattern);
            for (const json::Value& t : c.find("texts")->asArray()) {
                const std::string& text = t.find("text")->asString();
                std::string got, want;
                for (const regex::Span& m : regex::findAll(re, text))
                    if (m.end > m.begin) // empty matches are left out of the fixture (see the script)
                        got += "[" + text.substr(m.begin, m.end - m.begin) + "]";
                for (const json::Value& m : t.find("matches")->asArray()) {
                    want += "[" + m.asString() + "]";
                    ++found;
                }
                QVERIFY2(got == want, ("pattern " + pattern + "\ntext " + text + "\n   got " + got + "\nexpected " + want).c_str());
                ++texts;
            }
        }
        QCOMPARE(texts, 2400);
        QVERIFY(found > 2000);
    }

    void refusals_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("named");
        const auto row = [](const char* name, const std::string& p, const char* n) {
            QTest::newRow(name) << QString::fromStdString(p) << QString::fromUtf8(n);
        };
        row("backreference", "(a)\\1", "backreference");
        row("named backreference", "(?<x>a)\\k<x>", "named backreference");
        row("subroutine", "(a)\\g<1>", "subroutine call");
        row("lookbehind", "(?<=a)b", "lookbehind");
        row("negative lookbehind", "(?<!a)b", "lookbehind");
        row("absent operator", "(?~a)", "absent operator");
        row("conditional", "(?(1)a|b)", "conditional");
        row("POSIX bracket", "[[:alpha:]]", "POSIX bracket");
        row("class intersection", "[a-z&&[^b]]", "class intersection");
        row("inline option m", "(?m:a.b)", "inline option (?m)");
        row("inline option x", "(?x)a b", "inline option (?x)");
        row("script property", "\\p{Han}", "Unicode property \\p{Han}");
        row("keep", "a\\Kb", "\\K");
        row("search start", "\\Ga", "\\G");
        row("grapheme", "\\X", "grapheme cluster");
        row("unknown escape", "\\q", "unknown escape \\q");
        row("unmatched open", "(a", "unmatched '('");
        row("unmatched close", "a)", "unmatched ')'");
        row("nothing to repeat", "*a", "nothing to repeat");
        row("unterminated class", "[a", "unterminated character class");
        row("reversed range", "[z-a]", "end comes before its start");
        row("lone backslash", "a\\", "lone backslash");
        row("huge repeat", "a{1001}", "more than 1000 times");
        row("reversed repeat", "a{3,2}", "n < m");
        row("too large once compiled", "(?:(?:a{1000}){1000}){1000}", "too large once compiled");
        row("too deep", std::string(100, '(') + "a" + std::string(100, ')'), "deeper than 64");
        row("too long", std::string(20000, 'a'), "longer than 16384 bytes");
        std::string looks;
        for (int i = 0; i < 40; ++i)
            looks += "(?=a" + std::to_string(i) + ")";
        row("too many lookaheads", looks, "more than 32 lookaheads");
    }

    void refusals()
    {
        QFETCH(QString, pattern);
        QFETCH(QString, named);
        QElapsedTimer timer;
        timer.start();
        try {
            const regex::Regex re(pattern.toStdString());
            QFAIL("accepted");
        } catch (const TokenizerError& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(named), e.what());
        }
        QVERIFY(timer.elapsed() < 1000);
    }

    // Catastrophic for a backtracking engine; each must end, with its matches or with the step
    // budget's refusal, within seconds on a 100,000-character text.
    void hostilePatternsEnd_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("mayRefuse");
        const std::string as(100000, 'a');
        QTest::newRow("(a*)*b") << "(a*)*b" << QString::fromStdString(as) << false;
        QTest::newRow("(a|a)*b") << "(a|a)*b" << QString::fromStdString(as) << false;
        QTest::newRow("(a+)+$ then !") << "(a+)+$" << QString::fromStdString(as + "!") << false;
        QTest::newRow("(?:a|aa)+c") << "(?:a|aa)+c" << QString::fromStdString(as) << false;
        QTest::newRow("(.*)*x") << "(.*)*x" << QString::fromStdString(as) << false;
        QTest::newRow("nested possessive") << "(?:a*+)*b" << QString::fromStdString(as) << true; // an atomic run per start
        // Quadratic for every engine (each search scans to the end): the budget refuses these.
        QTest::newRow(".*b|a") << ".*b|a" << QString::fromStdString(as) << true;
        QTest::newRow("lookahead to the end") << "(?=.*x)a|a" << QString::fromStdString(as) << true;
        QTest::newRow("deep repeats") << "(?:(?:a?){30}a{30}){5}" << QString::fromStdString(std::string(2000, 'a')) << true;
    }

    void hostilePatternsEnd()
    {
        QFETCH(QString, pattern);
        QFETCH(QString, text);
        QFETCH(bool, mayRefuse);
        const std::string t = text.toStdString();
        QElapsedTimer timer;
        timer.start();
        const regex::Regex re(pattern.toStdString());
        try {
            (void)regex::findAll(re, t);
        } catch (const TokenizerError& e) {
            QVERIFY2(mayRefuse, e.what());
            QVERIFY2(QString::fromUtf8(e.what()).contains("steps"), e.what());
        }
        QVERIFY2(timer.elapsed() < 15000, qPrintable(QString::number(timer.elapsed()) + " ms"));
    }

    // The most expensive patterns to compile within the size limit still compile quickly.
    void expensiveCompilesAreBounded()
    {
        std::string folded, repeats;
        while (folded.size() < 16000)
            folded += "(?i:[\\x{0}-\\x{FFF}])";
        while (repeats.size() < 16000)
            repeats += "(?:[ab]{1000})";
        QElapsedTimer timer;
        timer.start();
        const regex::Regex re(folded);
        QVERIFY_THROWS_EXCEPTION(TokenizerError, regex::Regex{repeats}); // too large once compiled
        QVERIFY2(timer.elapsed() < 3000, qPrintable(QString::number(timer.elapsed()) + " ms"));
    }

    // Real patterns on long texts, runs of one kind included, stay well inside the budget: linear.
    void realPatternsOnLongTextsFit_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("unit");
        const char* const patterns[][2] = {
            {"GPT-2", R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)"},
            {"cl100k possessive", R"('(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]++[\r\n]*)"
                                  R"(|\s*[\r\n]|\s+(?!\S)|\s+)"},
            {"BLOOM", " ?[^(\\s|[.,!?\xE2\x80\xA6\xE3\x80\x82])]+"},
            {"trailing space", "\\s+$"},
        };
        const char* const units[][2] = {{"mixed", "Hello, world!   It's 2024\n\n\xE4\xBD\xA0\xE5\xA5\xBD  "},
                                        {"punctuation", "!"}, {"spaces", " "}, {"letters", "a"}, {"digits", "7"}};
        for (const auto& [pname, pattern] : patterns)
            for (const auto& [uname, unit] : units)
                QTest::newRow((std::string(pname) + " on " + uname).c_str())
                    << QString::fromUtf8(pattern) << QString::fromUtf8(unit);
    }

    void realPatternsOnLongTextsFit()
    {
        QFETCH(QString, pattern);
        QFETCH(QString, unit);
        const regex::Regex re(pattern.toStdString());
        std::string text;
        while (text.size() < 100000)
            text += unit.toStdString();
        regex::Matcher matcher(re, text);
        std::size_t from = 0;
        while (const std::optional<regex::Span> m = matcher.find(from))
            from = m->end > m->begin ? m->end : m->end + 1;
        QVERIFY2(matcher.steps() < 100 * text.size(), qPrintable(QString::number(matcher.steps())));
    }
};

QTEST_APPLESS_MAIN(TestRegex)
#include "test_regex.moc"
