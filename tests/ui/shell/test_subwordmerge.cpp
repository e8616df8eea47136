// Merging sub-word tokens into words: grouping rules and the sum/mean arithmetic.
#include "state/subwordmerge.h"
#include "widgets/tokenlabel.h"

#include <QTest>

using namespace attnviz;

namespace {

Token tok(const std::string& piece, const std::string& display, int begin, int end, bool special = false)
{
    Token t;
    t.piece = piece;
    t.display = display;
    t.begin = begin;
    t.end = end;
    t.special = special;
    return t;
}

} // namespace

class TestSubwordMerge : public QObject
{
    Q_OBJECT
private slots:
    void byteLevelGroups()
    {
        // "The animal didn't go." as GPT-2 pieces: " didn" + "'t" is one word, "." stands alone.
        const std::vector<Token> t = {
            tok("The", "The", 0, 3), tok("Ġanim", " anim", 3, 8), tok("al", "al", 8, 10), tok("Ġdidn", " didn", 10, 15),
            tok("'t", "'t", 15, 17), tok("Ġgo", " go", 17, 20),   tok(".", ".", 20, 21)};
        QCOMPARE(SubwordMerge::wordGroups(t), (std::vector<int>{0, 1, 1, 2, 2, 3, 4}));
        const auto words = SubwordMerge::wordDisplays(t, SubwordMerge::wordGroups(t));
        QCOMPARE(words[1], std::string(" animal"));
        QCOMPARE(words[2], std::string(" didn't"));
    }

    void wordPieceGroups()
    {
        const std::vector<Token> t = {tok("[CLS]", "[CLS]", -1, -1, true), tok("play", "play", 0, 4),
                                      tok("##ing", "##ing", 4, 7), tok("[SEP]", "[SEP]", -1, -1, true)};
        const auto groups = SubwordMerge::wordGroups(t);
        QCOMPARE(groups, (std::vector<int>{0, 1, 1, 2}));
        QCOMPARE(SubwordMerge::wordDisplays(t, groups)[1], std::string("playing"));
    }

    void lessonTokensStandAlone()
    {
        const std::vector<Token> t = {tok("the", "the", -1, -1), tok("cat", "cat", -1, -1)};
        QCOMPARE(SubwordMerge::wordGroups(t), (std::vector<int>{0, 1}));
        QCOMPARE(SubwordMerge::wordGroups({}), std::vector<int>{});
    }

    void sumsKeysAndAveragesQueries()
    {
        Matrix w(3, 3);
        w << 1.0f, 0.0f, 0.0f, //
            0.5f, 0.5f, 0.0f,  //
            0.2f, 0.3f, 0.5f;
        const std::vector<int> groups = {0, 1, 1}; // tokens 1 and 2 are one word
        const Matrix m = SubwordMerge::merge(w, groups, groups);
        QCOMPARE(m.rows(), Index(2));
        QCOMPARE(m(0, 0), 1.0f);
        QCOMPARE(m(0, 1), 0.0f);
        QCOMPARE(m(1, 0), (0.5f + 0.2f) / 2);               // mean over the word's query pieces
        QCOMPARE(m(1, 1), (0.5f + 0.0f + 0.3f + 0.5f) / 2); // summed over key pieces, then averaged
        for (Index r = 0; r < m.rows(); ++r)
            QVERIFY(std::abs(m.row(r).sum() - 1.0f) < 1e-6f); // rows still sum to 1
    }

    void maskAllowsWhenAnyPieceDoes()
    {
        MaskMatrix mask(2, 3);
        mask << 1, 0, 0, //
            1, 1, 0;
        const MaskMatrix m = SubwordMerge::mergeMask(mask, {0, 1}, {0, 1, 1});
        QCOMPARE(int(m(0, 1)), 0);
        QCOMPARE(int(m(1, 1)), 1);
        QCOMPARE(int(m(0, 0)), 1);
    }

    void labelsAreVisible()
    {
        QCOMPARE(TokenLabel::text(std::string(" the")), QStringLiteral("the"));
        QCOMPARE(TokenLabel::text(std::string("\n")), QStringLiteral("↵"));
        QCOMPARE(TokenLabel::text(std::string("  ")), QStringLiteral("␣␣"));
        QCOMPARE(TokenLabel::text(std::string("\x01")), QString(QChar(0x2401)));
        QCOMPARE(TokenLabel::text(std::string("")), QStringLiteral("∅"));
        QCOMPARE(TokenLabel::text(std::string("abcdefghij"), 5), QStringLiteral("abcd…"));
        QCOMPARE(TokenLabel::text(std::string("a😀b"), 3), QStringLiteral("a…")); // never half an emoji
        QCOMPARE(TokenLabel::text(std::string("שלום")), QStringLiteral("שלום"));
    }
};

QTEST_GUILESS_MAIN(TestSubwordMerge)
#include "test_subwordmerge.moc"
