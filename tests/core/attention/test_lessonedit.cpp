// Shape edits of a lesson (attention/lessonedit.h): every edit gives a lesson that checkLesson
// accepts and that loads back from its JSON exactly; rows, columns and W_O blocks move with the
// tokens, dimensions and heads; edits beyond the loader's limits are refused with its reason.
#include "attention/lessonedit.h"
#include "attention/lessonwriter.h"

#include <QTest>

using namespace attnviz;

namespace {

Matrix numbered(Index rows, Index cols, float start)
{
    Matrix m(rows, cols);
    for (Index i = 0; i < m.size(); ++i)
        m.data()[i] = start + float(i);
    return m;
}

// A lesson whose every cell differs, so a moved row or block shows.
Lesson twoHeads()
{
    Lesson l = blankLesson();
    l.embeddings = numbered(3, 3, 1);
    l.sourceEmbeddings = l.embeddings;
    l.heads[0].wq = numbered(3, 2, 10);
    l.heads[0].wk = numbered(3, 2, 20);
    l.heads[0].wv = numbered(3, 2, 30);
    addHead(l);
    l.heads[1].wv = numbered(3, 2, 40);
    setOutputProjection(l, true);
    *l.wo = numbered(4, 3, 100);
    return l;
}

void verifyLoadsBack(const Lesson& l)
{
    checkLesson(l);
    const std::string text = lessonToJson(l);
    const Lesson back = parseLesson(text);
    QCOMPARE(lessonToJson(back), text);
    QCOMPARE(back.embeddings, l.embeddings);
    QCOMPARE(back.heads.size(), l.heads.size());
}

QString reasonOf(const std::function<void()>& edit)
{
    try {
        edit();
    } catch (const LessonError& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

} // namespace

class TestLessonEdit : public QObject
{
    Q_OBJECT
private slots:
    void blankLessonIsTheSmallExample()
    {
        const Lesson l = blankLesson();
        QCOMPARE(l.tokens.size(), std::size_t(3));
        QCOMPARE(l.embeddings.cols(), Index(3));
        QCOMPARE(l.heads.size(), std::size_t(1));
        QCOMPARE(l.heads[0].wq.cols(), Index(2));
        QCOMPARE(l.heads[0].wv.cols(), Index(2));
        QVERIFY(l.scale);
        verifyLoadsBack(l);
    }

    void tokensMoveTheirRows()
    {
        Lesson l = twoHeads();
        setMaskCell(l, 0, 2, false);
        insertToken(l, LessonSide::Queries, 1, "new");
        QCOMPARE(l.tokens, (std::vector<std::string>{"one", "new", "two", "three"}));
        QCOMPARE(l.embeddings.rows(), Index(4));
        QCOMPARE(l.embeddings.row(1), RowVector::Zero(3));
        QCOMPARE(l.embeddings(2, 0), 4.0f); // "two" moved down
        QCOMPARE(l.sourceTokens, l.tokens);
        QCOMPARE(l.mask.custom.rows(), Index(4));
        QCOMPARE(l.mask.custom.cols(), Index(4));
        QCOMPARE(l.mask.custom(0, 3), std::uint8_t(0)); // the forbidden cell moved with "three"
        QCOMPARE(l.mask.custom(1, 1), std::uint8_t(1));
        verifyLoadsBack(l);
        removeToken(l, LessonSide::Queries, 0);
        QCOMPARE(l.tokens.front(), std::string("new"));
        QCOMPARE(l.mask.custom.rows(), Index(3));
        renameToken(l, LessonSide::Queries, 0, "cat");
        QCOMPARE(l.sourceTokens.front(), std::string("cat"));
        verifyLoadsBack(l);
        removeToken(l, LessonSide::Queries, 0);
        removeToken(l, LessonSide::Queries, 0);
        QVERIFY(reasonOf([&]() { removeToken(l, LessonSide::Queries, 0); }).contains("at least one token"));
        QVERIFY(reasonOf([&]() { renameToken(l, LessonSide::Queries, 5, "x"); }).contains("no item 5"));
    }

    void dimensionsGrowAndShrinkColumns()
    {
        Lesson l = twoHeads();
        setModelDimension(l, 4);
        QCOMPARE(l.embeddings.cols(), Index(4));
        QCOMPARE(l.embeddings.col(3), Matrix::Zero(3, 1));
        QCOMPARE(l.heads[1].wq.rows(), Index(4));
        QCOMPARE(l.heads[0].wq.row(3), RowVector::Zero(2));
        verifyLoadsBack(l);
        setKeyDimension(l, 0, 1); // per head; W_Q and W_K together
        QCOMPARE(l.heads[0].wq.cols(), Index(1));
        QCOMPARE(l.heads[0].wk.cols(), Index(1));
        QCOMPARE(l.heads[0].wk(2, 0), 24.0f);
        QCOMPARE(l.heads[1].wq.cols(), Index(2));
        verifyLoadsBack(l);
        setModelDimension(l, 2);
        QCOMPARE(l.embeddings, numbered(3, 3, 1).leftCols(2).eval());
        verifyLoadsBack(l);
    }

    void valueDimensionMovesTheBlocksOfWo()
    {
        Lesson l = twoHeads(); // W_O rows: head 0 = rows 0-1, head 1 = rows 2-3
        setValueDimension(l, 3);
        QCOMPARE(l.wo->rows(), Index(6));
        QCOMPARE(l.wo->row(0), numbered(4, 3, 100).row(0));
        QCOMPARE(l.wo->row(2), RowVector::Zero(3)); // head 0's new row
        QCOMPARE(l.wo->row(3), numbered(4, 3, 100).row(2)); // head 1's first row moved down
        QCOMPARE(l.heads[1].wv.col(2), Matrix::Zero(3, 1));
        verifyLoadsBack(l);
        setValueDimension(l, 1);
        QCOMPARE(l.wo->rows(), Index(2));
        QCOMPARE(l.wo->row(1), numbered(4, 3, 100).row(2));
        verifyLoadsBack(l);
        setOutputDimension(l, 5);
        QCOMPARE(l.wo->cols(), Index(5));
        verifyLoadsBack(l);
    }

    void headsComeAndGoWithTheirRowsOfWo()
    {
        Lesson l = twoHeads();
        addHead(l);
        QCOMPARE(l.heads.size(), std::size_t(3));
        QCOMPARE(l.heads[2].wq, Matrix::Zero(3, 2));
        QCOMPARE(l.wo->rows(), Index(6));
        verifyLoadsBack(l);
        removeHead(l, 0);
        QCOMPARE(l.heads[0].wv, numbered(3, 2, 40));
        QCOMPARE(l.wo->row(0), numbered(4, 3, 100).row(2));
        verifyLoadsBack(l);
        setOutputProjection(l, false);
        QVERIFY(!l.wo);
        removeHead(l, 0);
        QVERIFY(reasonOf([&]() { removeHead(l, 0); }).contains("at least one head"));
        verifyLoadsBack(l);
    }

    void crossAttentionHasItsOwnSource()
    {
        Lesson l = blankLesson();
        setCrossAttention(l, true);
        QVERIFY(l.crossAttention);
        insertToken(l, LessonSide::Source, 3, "extra");
        renameToken(l, LessonSide::Source, 0, "src");
        QCOMPARE(l.sourceTokens.size(), std::size_t(4));
        QCOMPARE(l.tokens.size(), std::size_t(3));
        QCOMPARE(l.tokens.front(), std::string("one"));
        setMaskCell(l, 2, 3, false);
        QCOMPARE(l.mask.custom.cols(), Index(4));
        verifyLoadsBack(l);
        const Lesson back = parseLesson(lessonToJson(l));
        QVERIFY(back.crossAttention);
        QCOMPARE(back.sourceTokens, l.sourceTokens);
        QCOMPARE(back.mask.custom, l.mask.custom);
        setCrossAttention(l, false);
        QCOMPARE(l.sourceTokens, l.tokens);
        QCOMPARE(l.mask.custom.cols(), Index(3));
        verifyLoadsBack(l);
        QVERIFY(reasonOf([&]() { insertToken(l, LessonSide::Source, 0, "x"); }).contains("no source"));
    }

    void maskKindsAndCells()
    {
        Lesson l = blankLesson();
        setMaskKind(l, MaskKind::Causal);
        setMaskCell(l, 0, 0, false); // starts from the causal cells
        QCOMPARE(l.mask.kind, MaskKind::Custom);
        QCOMPARE(l.mask.custom(0, 1), std::uint8_t(0));
        QCOMPARE(l.mask.custom(1, 0), std::uint8_t(1));
        QCOMPARE(l.mask.custom(0, 0), std::uint8_t(0));
        verifyLoadsBack(l);
        setMaskKind(l, MaskKind::None);
        QCOMPARE(l.mask.kind, MaskKind::None);
    }

    // The editor refuses what the loader would refuse, with the loader's words.
    void limitsAreTheLoaders()
    {
        Lesson l = blankLesson();
        QVERIFY(reasonOf([&]() { setModelDimension(l, LessonLimits::maxDimension + 1); })
                    .contains("d_model 1025, at most 1024"));
        QVERIFY(reasonOf([&]() { setModelDimension(l, 0); }).contains("at least 1"));
        QVERIFY(reasonOf([&]() { setKeyDimension(l, 0, -3); }).contains("d_k -3"));
        QCOMPARE(l.embeddings.cols(), Index(3));
        // 64 heads x 1024 tokens² is past maxCells: checkLesson says so, as parseLesson would.
        for (int h = 1; h < LessonLimits::maxHeads; ++h) addHead(l);
        QVERIFY(reasonOf([&]() { addHead(l); }).contains("at most 64"));
        for (int t = 3; t < 600; ++t) insertToken(l, LessonSide::Queries, 0, "t");
        const QString reason = reasonOf([&]() { checkLesson(l); });
        QVERIFY2(reason.contains("at most 4194304"), qPrintable(reason));
        QString loaderReason;
        try {
            (void)parseLesson(lessonToJson(l));
        } catch (const LessonError& e) {
            loaderReason = QString::fromUtf8(e.what());
        }
        QCOMPARE(loaderReason, reason);
    }
};

QTEST_APPLESS_MAIN(TestLessonEdit)
#include "test_lessonedit.moc"
