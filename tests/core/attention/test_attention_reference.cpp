// The core's multi-head attention against PyTorch: tests/data/attention/torch_reference.json is
// made by tools/make_attention_fixtures.py (seed and torch version recorded in the file).
// Tolerance: 1e-5, relative to the magnitude for values larger than 1.
#include "attention/attention.h"
#include "util/json.h"

#include <QTest>

using namespace attnviz;

namespace {

Matrix toMatrix(const json::Value& v)
{
    const auto& rows = v.asArray();
    Matrix m(static_cast<Index>(rows.size()), static_cast<Index>(rows.front().asArray().size()));
    for (Index i = 0; i < m.rows(); ++i)
        for (Index j = 0; j < m.cols(); ++j)
            m(i, j) = static_cast<float>(rows[std::size_t(i)].asArray()[std::size_t(j)].asNumber());
    return m;
}

// Largest |a - b| / max(1, |b|); masked entries of scores are not compared.
double maxError(const Matrix& a, const Matrix& b)
{
    if (a.rows() != b.rows() || a.cols() != b.cols()) return 1e30;
    double worst = 0;
    for (Index i = 0; i < a.size(); ++i) {
        const double ref = b.data()[i];
        worst = std::max(worst, std::abs(a.data()[i] - ref) / std::max(1.0, std::abs(ref)));
    }
    return worst;
}

const json::Value& fixtures()
{
    static const json::Value v = json::parseFile(ATTNVIZ_TEST_DATA "/attention/torch_reference.json");
    return v;
}

} // namespace

class TestAttentionReference : public QObject
{
    Q_OBJECT
private slots:
    void matchesTorch_data()
    {
        QTest::addColumn<int>("index");
        const auto& cases = fixtures().find("cases")->asArray();
        QVERIFY(cases.size() >= 7);
        for (std::size_t i = 0; i < cases.size(); ++i) {
            QTest::newRow(cases[i].find("name")->asString().c_str()) << int(i);
        }
    }

    void matchesTorch()
    {
        QFETCH(int, index);
        const json::Value& c = fixtures().find("cases")->asArray()[std::size_t(index)];
        std::vector<HeadWeights> heads;
        for (const auto& h : c.find("heads")->asArray()) {
            heads.push_back({"", toMatrix(*h.find("wq")), toMatrix(*h.find("wk")), toMatrix(*h.find("wv"))});
        }
        const Matrix maskValues = toMatrix(*c.find("mask"));
        AttentionOptions options;
        options.scale = c.find("scale")->asBool();
        options.mask = MaskSpec::matrix(maskValues.cast<std::uint8_t>());
        Matrix wo;
        const bool hasWo = !c.find("wo")->isNull();
        if (hasWo) wo = toMatrix(*c.find("wo"));
        const auto result = multiHeadAttention(toMatrix(*c.find("x")), toMatrix(*c.find("source")), heads,
                                               hasWo ? &wo : nullptr, options);
        constexpr double Tolerance = 1e-5;
        for (std::size_t h = 0; h < heads.size(); ++h) {
            const json::Value& ref = c.find("heads")->asArray()[h];
            const HeadCapture& got = result.heads[h];
            for (const char* key : {"q", "k", "v", "weights", "output"}) {
                const Matrix& mine = std::string(key) == "q"         ? got.q
                                     : std::string(key) == "k"       ? got.k
                                     : std::string(key) == "v"       ? got.v
                                     : std::string(key) == "weights" ? got.weights
                                                                     : got.output;
                const double err = maxError(mine, toMatrix(*ref.find(key)));
                QVERIFY2(err <= Tolerance, qPrintable(QString("head %1 %2: error %3").arg(h).arg(key).arg(err)));
            }
            QVERIFY(maxError(got.scores, toMatrix(*ref.find("scores"))) <= Tolerance);
            QVERIFY(maxError(got.scaled, toMatrix(*ref.find("scaled"))) <= Tolerance);
            QVERIFY(got.weights.allFinite());
        }
        QVERIFY(maxError(result.concat, toMatrix(*c.find("concat"))) <= Tolerance);
        QVERIFY(maxError(result.output, toMatrix(*c.find("output"))) <= Tolerance);
    }
};

QTEST_APPLESS_MAIN(TestAttentionReference)
#include "test_attention_reference.moc"
