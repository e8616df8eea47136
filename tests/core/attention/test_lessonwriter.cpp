// lessonToJson: every shipped lesson round-trips through parseLesson bit for bit, and awkward
// floats (thirds, denormals, negative zero) come back exactly.
#include "attention/lesson.h"
#include "attention/lessonwriter.h"

#include <QTest>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>

using namespace attnviz;

// Declared before the bodies: moc cannot scan past raw string literals.
class TestLessonWriter : public QObject
{
    Q_OBJECT
private slots:
    void shippedLessonsRoundTrip_data();
    void shippedLessonsRoundTrip();
    void floatsAreExact();
    void customMaskAndCrossAttentionRoundTrip();
};

namespace {

// Bit-identical, so -0.0 vs 0.0 or a rounded last digit would fail.
template <typename M> bool sameBits(const M& a, const M& b)
{
    return a.rows() == b.rows() && a.cols() == b.cols() &&
           std::memcmp(a.data(), b.data(), sizeof(typename M::Scalar) * static_cast<std::size_t>(a.size())) == 0;
}

MaskMatrix maskOf(const Lesson& l)
{
    return buildMask(l.mask, static_cast<Index>(l.tokens.size()), static_cast<Index>(l.sourceTokens.size()));
}

void verifySameLesson(const Lesson& a, const Lesson& b)
{
    QCOMPARE(b.title, a.title);
    QCOMPARE(b.tokens, a.tokens);
    QCOMPARE(b.crossAttention, a.crossAttention);
    QCOMPARE(b.sourceTokens, a.sourceTokens);
    QVERIFY(sameBits(b.embeddings, a.embeddings));
    QVERIFY(sameBits(b.sourceEmbeddings, a.sourceEmbeddings));
    QCOMPARE(b.heads.size(), a.heads.size());
    for (std::size_t h = 0; h < a.heads.size(); ++h) {
        QCOMPARE(b.heads[h].name, a.heads[h].name);
        QVERIFY(sameBits(b.heads[h].wq, a.heads[h].wq));
        QVERIFY(sameBits(b.heads[h].wk, a.heads[h].wk));
        QVERIFY(sameBits(b.heads[h].wv, a.heads[h].wv));
    }
    QCOMPARE(b.wo.has_value(), a.wo.has_value());
    if (a.wo)
        QVERIFY(sameBits(*b.wo, *a.wo));
    QCOMPARE(b.mask.kind, a.mask.kind);
    QVERIFY(sameBits(maskOf(b), maskOf(a)));
    QCOMPARE(b.scale, a.scale);
}

} // namespace

void TestLessonWriter::shippedLessonsRoundTrip_data()
{
    QTest::addColumn<QString>("path");
    int count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(ATTNVIZ_RESOURCES "/lessons")) {
        if (entry.path().extension() != ".json")
            continue;
        QTest::newRow(entry.path().filename().string().c_str()) << QString::fromStdString(entry.path().string());
        ++count;
    }
    QVERIFY(count >= 3);
}

void TestLessonWriter::shippedLessonsRoundTrip()
{
    QFETCH(QString, path);
    const Lesson original = loadLesson(path.toStdString());
    const std::string text = lessonToJson(original);
    const Lesson copy = parseLesson(text);
    verifySameLesson(original, copy);
    QCOMPARE(lessonToJson(copy), text); // writing is deterministic
}

void TestLessonWriter::floatsAreExact()
{
    Lesson l = parseLesson(R"({"tokens": ["a", "b"], "embeddings": [[1, 0], [0, 1]],
        "heads": [{"name": "h \"q\"", "wq": [[1], [0]], "wk": [[1], [0]], "wv": [[1], [2]]}]})");
    const float tricky[] = {1.0f / 3.0f,
                            0.1f,
                            -0.0f,
                            std::nextafter(1.0f, 2.0f),
                            std::numeric_limits<float>::denorm_min(),
                            std::numeric_limits<float>::min(),
                            1.0e30f,
                            -123456.789f};
    Matrix x(2, 4);
    std::copy(std::begin(tricky), std::end(tricky), x.data());
    l.embeddings = x;
    l.sourceEmbeddings = x;
    for (auto* m : {&l.heads[0].wq, &l.heads[0].wk, &l.heads[0].wv})
        *m = Matrix::Constant(4, 1, 2.0f / 7.0f);
    l.wo = Matrix::Constant(1, 3, -1.0f / 9.0f);
    l.title = "Ünïcode ✓";
    l.scale = false;
    const Lesson copy = parseLesson(lessonToJson(l));
    verifySameLesson(l, copy);
}

void TestLessonWriter::customMaskAndCrossAttentionRoundTrip()
{
    Lesson l = loadLesson(ATTNVIZ_RESOURCES "/lessons/cross-attention-translation.json");
    MaskMatrix m = MaskMatrix::Ones(static_cast<Index>(l.tokens.size()), static_cast<Index>(l.sourceTokens.size()));
    m(0, 1) = 0;
    l.mask = MaskSpec::matrix(m);
    const Lesson copy = parseLesson(lessonToJson(l));
    verifySameLesson(l, copy);
    QCOMPARE(copy.mask.kind, MaskKind::Custom);
    QCOMPARE(copy.mask.custom(0, 1), std::uint8_t(0));
}

QTEST_APPLESS_MAIN(TestLessonWriter)
#include "test_lessonwriter.moc"
