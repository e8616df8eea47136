// core/stats/chrf (the translator card's chrF, as tools/train/chrf.py) on hand-computed cases and
// on the two values the Hugging Face chrF metric card prints from sacrebleu's CHRF().
#include "stats/chrf.h"

#include <QTest>

using namespace attnviz;

class TestChrf : public QObject
{
    Q_OBJECT
private slots:
    void identicalIs100() { QCOMPARE(corpusChrf({"El coche rojo."}, {"El coche rojo."}), 100.0); }

    void noSharedCharacterIs0() { QVERIFY(corpusChrf({"xyz"}, {"abc"}) < 1e-9); }

    void whitespaceIsNotACharacter()
    {
        QVERIFY(std::abs(corpusChrf({"el coche rojo"}, {"elcoche\t rojo"}) - 100.0) < 1e-9);
    }

    void charactersAreCodePoints()
    {
        // "rá" is 2 characters (3 bytes): one bigram, matched.
        const ChrfCounts c = chrfCounts("rá", "rá");
        QCOMPARE(c.hypothesis[0], 2LL);
        QCOMPARE(c.matched[1], 1LL);
        QCOMPARE(c.hypothesis[2], 0LL);
    }

    void handComputedPrefix()
    {
        // hyp "ab", ref "abc": n=1 P 2/2 R 2/3; n=2 P 1/1 R 1/2; n=3 P 0 R 0; n=4..6 nothing.
        // mean P = 1/3, mean R = 7/36; F2 = 5 P R / (4 P + R) = 7/33.
        QVERIFY(std::abs(corpusChrf({"ab"}, {"abc"}) - 700.0 / 33.0) < 1e-9);
    }

    void matchesAreClipped()
    {
        // "aa" against "a": one unigram match; mean P = 1/12, mean R = 1/6; F2 = 5/36.
        QVERIFY(std::abs(corpusChrf({"aa"}, {"a"}) - 500.0 / 36.0) < 1e-9);
    }

    void corpusSumsCounts()
    {
        // ("ab","abc") + ("abc","abc"): mean P = 1/2, mean R = 25/72; F2 = 125/338.
        QVERIFY(std::abs(corpusChrf({"ab", "abc"}, {"abc", "abc"}) - 12500.0 / 338.0) < 1e-9);
    }

    void sacrebleuDocumentedValues()
    {
        QVERIFY(std::abs(corpusChrf({"The relationship between Obama and Netanyahu is not exactly friendly."},
                                    {"The ties between Obama and Netanyahu are not particularly friendly."}) -
                         61.576379378113785) < 1e-9);
        QVERIFY(std::abs(corpusChrf({"The relationship between cats and dogs is not exactly friendly.",
                                     "a good bookshop is just a genteel black hole that knows how to read."},
                                    {"The relationship between dogs and cats is not exactly friendly.",
                                     "A good bookshop is just a genteel Black Hole that knows how to read."}) -
                         84.64214891738334) < 1e-9);
    }

    void mismatchedListsAreRefused() { QVERIFY_THROWS_EXCEPTION(std::invalid_argument, corpusChrf({"a"}, {})); }
};

QTEST_APPLESS_MAIN(TestChrf)
#include "test_chrf.moc"
