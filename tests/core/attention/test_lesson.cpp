// Lesson files: the shipped lessons load and run; schema violations name the field and shape.
#include "attention/lesson.h"
#include "registry/modelregistry.h"
#include "engine/attentionmodel.h"
#include "registry/resourcepaths.h"

#include <QElapsedTimer>
#include <QTest>

using namespace attnviz;

// Declared first: moc cannot scan past the raw string literals below.
class TestLesson : public QObject
{
    Q_OBJECT
private slots:
    void shippedLessonsRun();
    void tutorialLessonReproducesTheWorkedExample();
    void crossAttentionLessonAligns();
    void minimalLessonDefaults();
    void rejectsBadLessons_data();
    void rejectsBadLessons();
    void missingFileIsALessonError();
    void boundsLessonSizes_data();
    void boundsLessonSizes();
    void acceptsLessonsAtTheLimits();
};


namespace {

const char* Minimal = R"({"tokens": ["a", "b"], "embeddings": [[1, 0], [0, 1]],
  "heads": [{"wq": [[1], [0]], "wk": [[1], [0]], "wv": [[1], [2]]}]})";

// A lesson of `tokens` tokens, d_model `dModel`, `heads` heads of d_k = d_v = `dk` (all ones).
std::string generatedLesson(int tokens, int dModel, int heads, int dk)
{
    const auto row = [](int n) {
        std::string r = "[";
        for (int i = 0; i < n; ++i) r += i ? ",1" : "1";
        return r + "]";
    };
    const auto matrix = [&](int rows, int cols) {
        const std::string one = row(cols);
        std::string m = "[";
        for (int i = 0; i < rows; ++i) m += (i ? "," : "") + one;
        return m + "]";
    };
    std::string text = R"({"tokens": [)";
    for (int i = 0; i < tokens; ++i) text += (i ? ",\"t" : "\"t") + std::to_string(i) + "\"";
    text += R"(], "embeddings": )" + matrix(tokens, dModel) + R"(, "heads": [)";
    const std::string w = matrix(dModel, dk);
    for (int h = 0; h < heads; ++h) {
        text += (h ? "," : "") + std::string(R"({"wq": )") + w + R"(, "wk": )" + w + R"(, "wv": )" + w + "}";
    }
    return text + "]}";
}

} // namespace

void TestLesson::shippedLessonsRun()
{
    const auto names = builtinLessonNames();
    QVERIFY(names.size() >= 3);
    for (const auto& name : names) {
        const auto model = openModel("lesson:" + name);
        const auto result = model->run({});
        QVERIFY(!result->stacks.empty());
        QVERIFY(result->pipeline.has_value());
        const AttentionTensor& a = result->stacks.front().attention;
        for (int h = 0; h < a.heads; ++h)
            for (int q = 0; q < a.queries; ++q) {
                float sum = 0;
                for (int k = 0; k < a.keys; ++k) sum += a.at(0, h, q, k);
                QVERIFY2(std::abs(sum - 1.0f) < 1e-5f, name.c_str());
            }
    }
}

void TestLesson::tutorialLessonReproducesTheWorkedExample()
{
    // "Illustrated: Self-Attention": output 1 ≈ [1.94, 6.68, 1.60], output 2 ≈ [2.00, 7.96, 0.05]
    // (hand-computed in test_attention.cpp to seven digits).
    const Lesson lesson = loadLesson(ATTNVIZ_RESOURCES "/lessons/illustrated-self-attention.json");
    QVERIFY(!lesson.scale);
    const MultiHeadResult r = runLesson(lesson);
    QVERIFY(std::abs(r.output(0, 1) - 6.6831048f) < 1e-5f);
    QVERIFY(std::abs(r.output(1, 1) - 7.9639913f) < 1e-5f);
}

void TestLesson::crossAttentionLessonAligns()
{
    const Lesson lesson = loadLesson(ATTNVIZ_RESOURCES "/lessons/cross-attention-translation.json");
    QVERIFY(lesson.crossAttention);
    const MultiHeadResult r = runLesson(lesson);
    const Matrix& w = r.heads.front().weights;
    QCOMPARE(w.rows(), Index(3));
    QCOMPARE(w.cols(), Index(4));
    Index argmax = 0;
    w.row(1).maxCoeff(&argmax); // "chat" -> "cat"
    QCOMPARE(argmax, Index(2));
    w.row(2).maxCoeff(&argmax); // "noir" -> "black"
    QCOMPARE(argmax, Index(1));
}

void TestLesson::minimalLessonDefaults()
{
    const Lesson l = parseLesson(Minimal);
    QVERIFY(l.scale);
    QCOMPARE(l.mask.kind, MaskKind::None);
    QVERIFY(!l.crossAttention);
    QCOMPARE(l.sourceTokens, l.tokens);
}

void TestLesson::rejectsBadLessons_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");
    auto with = [](const QString& from, const QString& to) { return QString(Minimal).replace(from, to); };
    QTest::newRow("not json") << "{tokens" << "not valid JSON";
    QTest::newRow("not object") << "[1]" << "must be a JSON object";
    QTest::newRow("empty tokens") << with(R"(["a", "b"])", "[]") << "\"tokens\": expected a non-empty array";
    QTest::newRow("token not string") << with(R"(["a", "b"])", R"(["a", 2])") << "\"tokens[1]\": expected a string";
    QTest::newRow("embeddings rows")
        << with("[[1, 0], [0, 1]]", "[[1, 0]]") << "\"embeddings\": expected a 2 x ? matrix";
    QTest::newRow("ragged") << with("[[1, 0], [0, 1]]", "[[1, 0], [0]]") << "\"embeddings[1]\": every row needs 2";
    QTest::newRow("wq shape") << with(R"("wq": [[1], [0]])", R"("wq": [[1], [0], [3]])")
                              << "\"heads[0].wq\": expected a 2 x ? matrix (d_model x d_k), got 3 x 1";
    QTest::newRow("wk d_k") << with(R"("wk": [[1], [0]])", R"("wk": [[1, 1], [0, 1]])")
                            << "\"heads[0].wk\": expected a 2 x 1 matrix";
    QTest::newRow("string cell") << with(R"("wv": [[1], [2]])", R"("wv": [[1], ["x"]])")
                                 << "\"heads[0].wv[1][0]\": expected a number, got string";
    QTest::newRow("overflow") << with(R"("wv": [[1], [2]])", R"("wv": [[1], [1e39]])")
                              << "\"heads[0].wv[1][0]\": value does not fit";
    QTest::newRow("NaN literal") << with(R"("wv": [[1], [2]])", R"("wv": [[1], [NaN]])") << "not valid JSON";
    QTest::newRow("no heads") << with(R"("heads": [{"wq": [[1], [0]], "wk": [[1], [0]], "wv": [[1], [2]]}])",
                                      R"("heads": [])")
                              << "\"heads\": expected a non-empty array";
    QTest::newRow("unknown field") << with(R"("tokens")", R"("colour": 1, "tokens")") << "\"colour\": unknown field";
    QTest::newRow("mask name") << with(R"("tokens")", R"("mask": "diagonal", "tokens")")
                               << "\"mask\": expected \"none\", \"causal\" or a 2 x 2 matrix";
    QTest::newRow("mask shape") << with(R"("tokens")", R"("mask": [[1, 1]], "tokens")")
                                << "\"mask\": expected a 2 x 2 matrix (queries x keys";
    QTest::newRow("mask values") << with(R"("tokens")", R"("mask": [[1, 2], [1, 1]], "tokens")")
                                 << "\"mask[0][1]\": expected 0 or 1";
    QTest::newRow("wo rows") << with(R"("tokens")", R"("wo": [[1], [1]], "tokens")")
                             << "\"wo\": expected a 1 x ? matrix ((heads * d_v) x d_out), got 2 x 1";
    QTest::newRow("scale type") << with(R"("tokens")", R"("scale": "yes", "tokens")") << "\"scale\": expected true or false";
    QTest::newRow("source d_model")
        << with(R"("tokens")", R"("source": {"tokens": ["x"], "embeddings": [[1, 2, 3]]}, "tokens")")
        << "\"source.embeddings\": expected a 1 x 2 matrix";
}

void TestLesson::rejectsBadLessons()
{
    QFETCH(QString, text);
    QFETCH(QString, message);
    try {
        parseLesson(text.toStdString());
        QFAIL("accepted a bad lesson");
    } catch (const LessonError& e) {
        QVERIFY2(QString(e.what()).contains(message), e.what());
    }
}

void TestLesson::missingFileIsALessonError()
{
    QVERIFY_THROWS_EXCEPTION(LessonError, loadLesson("/nonexistent/lesson.json"));
    QVERIFY_THROWS_EXCEPTION(ModelLoadError, openModel("/nonexistent/lesson.json"));
    QVERIFY_THROWS_EXCEPTION(ModelLoadError, openModel("lesson:no-such-lesson"));
}

// A lesson's outputs grow with tokens² × heads: a 170 KB file of 10,000 tokens took 29 s and
// 5.6 GB. Sizes are bounded before anything is computed, and the message names the field.
void TestLesson::boundsLessonSizes_data()
{
    QTest::addColumn<int>("tokens");
    QTest::addColumn<int>("dModel");
    QTest::addColumn<int>("heads");
    QTest::addColumn<int>("dk");
    QTest::addColumn<QString>("message");
    QTest::newRow("10,000 tokens") << 10000 << 1 << 1 << 1 << "\"tokens\": 10000 tokens, at most 1024";
    QTest::newRow("d_model") << 2 << 1025 << 1 << 1 << "\"embeddings\": d_model 1025, at most 1024";
    QTest::newRow("heads") << 2 << 1 << 65 << 1 << "\"heads\": 65 heads, at most 64";
    QTest::newRow("d_k") << 2 << 1 << 1 << 1025 << "\"heads[0].wq\": d_k 1025, at most 1024";
    QTest::newRow("heads x tokens²") << 1024 << 1 << 5 << 1 << "\"heads\": 5 heads x 1024 x 1024 tokens";
    QTest::newRow("heads x tokens x d_k")
        << 128 << 1 << 64 << 1024 << "\"heads[0].wq\": 64 heads x 128 tokens x d_k 1024";
}

void TestLesson::boundsLessonSizes()
{
    QFETCH(int, tokens);
    QFETCH(int, dModel);
    QFETCH(int, heads);
    QFETCH(int, dk);
    QFETCH(QString, message);
    QElapsedTimer timer;
    timer.start();
    try {
        parseLesson(generatedLesson(tokens, dModel, heads, dk));
        QFAIL("accepted an oversized lesson");
    } catch (const LessonError& e) {
        QVERIFY2(QString(e.what()).contains(message), e.what());
    }
    QVERIFY2(timer.elapsed() < 5000, "rejecting took too long");
}

void TestLesson::acceptsLessonsAtTheLimits()
{
    const Lesson tall = parseLesson(generatedLesson(1024, 4, 4, 4));
    QCOMPARE(tall.tokens.size(), std::size_t(1024));
    const Lesson wide = parseLesson(generatedLesson(2, 1024, 64, 16));
    QCOMPARE(wide.heads.size(), std::size_t(64));
}

QTEST_APPLESS_MAIN(TestLesson)
#include "test_lesson.moc"
