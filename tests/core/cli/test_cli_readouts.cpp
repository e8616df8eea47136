// attnviz-cli's readings beyond raw attention, run as a process: --measure value-weighted, lens,
// attribute and importance print what they document, agree with each other and with the model's
// own prediction, and refuse bad options and models they cannot read with exit code 2.
#include "util/json.h"

#include <QProcess>
#include <QTest>

#include <cmath>

using namespace attnviz;

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run runCli(const QStringList& args)
{
    QProcess p;
    p.start(QStringLiteral(ATTNVIZ_CLI), args);
    p.closeWriteChannel();
    if (!p.waitForFinished(120000)) {
        p.kill();
        return {};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

const QStringList decoderInput{"--model", "builtin:decoder", "--text", "The cat sat on the mat because it was"};

json::Value jsonOf(const QStringList& args)
{
    const Run r = runCli(args);
    if (r.exitCode != 0)
        qWarning("%s", qPrintable(r.err));
    return r.exitCode == 0 ? json::parse(r.out.toStdString()) : json::Value();
}

int nextTokenId()
{
    return static_cast<int>(jsonOf(QStringList{"attention"} + decoderInput + QStringList{"--json", "--layer", "0",
                                                                                          "--head", "0"})
                                .find("next_token")->asArray().front().find("id")->asNumber());
}

} // namespace

class TestCliReadouts : public QObject
{
    Q_OBJECT
private slots:
    void valueWeightedRowsAreShares()
    {
        const json::Value raw = jsonOf(QStringList{"attention"} + decoderInput + QStringList{"--json"});
        const json::Value vw =
            jsonOf(QStringList{"attention"} + decoderInput + QStringList{"--json", "--measure", "value-weighted"});
        QCOMPARE(raw.find("measure")->asString(), std::string("raw"));
        QCOMPARE(vw.find("measure")->asString(), std::string("value-weighted"));
        QVERIFY(vw.find("row_totals") != nullptr && vw.find("layer_measure") != nullptr);
        const auto& layers = vw.find("attention")->asArray();
        double moved = 0.0;
        for (std::size_t l = 0; l < layers.size(); ++l) {
            for (std::size_t h = 0; h < layers[l].asArray().size(); ++h) {
                const auto& rows = layers[l].asArray()[h].asArray();
                for (std::size_t q = 0; q < rows.size(); ++q) {
                    double sum = 0.0;
                    for (std::size_t k = 0; k < rows[q].asArray().size(); ++k) {
                        sum += rows[q].asArray()[k].asNumber();
                        moved += std::abs(rows[q].asArray()[k].asNumber() -
                                          raw.find("attention")->asArray()[l].asArray()[h].asArray()[q].asArray()[k].asNumber());
                    }
                    QVERIFY2(std::abs(sum - 1.0) < 1e-4, "each query's row is shares of its total");
                }
            }
        }
        QVERIFY2(moved > 0.1, "value weighting changes the maps");
        const Run table = runCli(QStringList{"attention"} + decoderInput + QStringList{"--measure", "value-weighted", "--layer", "1"});
        QCOMPARE(table.exitCode, 0);
        QVERIFY(table.out.contains("all heads together") && table.out.contains("Kobayashi"));
    }

    void altiIsPrintedPerLayer()
    {
        const json::Value alti = jsonOf(QStringList{"attention"} + decoderInput + QStringList{"--json", "--measure", "alti"});
        QCOMPARE(alti.find("measure")->asString(), std::string("alti"));
        QVERIFY(alti.find("row_totals") == nullptr); // no per-head values
        const auto& layers = alti.find("layer_measure")->asArray();
        QVERIFY(!layers.empty());
        for (const json::Value& row : layers.front().asArray()) {
            double sum = 0.0;
            for (const json::Value& v : row.asArray()) sum += v.asNumber();
            QVERIFY(std::abs(sum - 1.0) < 1e-4);
        }
    }

    void flowToTheLayerAsked()
    {
        const json::Value flow =
            jsonOf(QStringList{"attention"} + decoderInput + QStringList{"--json", "--measure", "flow", "--layer", "1"});
        const json::Value* f = flow.find("flow");
        QVERIFY(f != nullptr);
        QCOMPARE(static_cast<int>(f->find("layer")->asNumber()), 1);
        const auto& rows = f->find("map")->asArray();
        QCOMPARE(rows.size(), flow.find("tokens")->asArray().size());
        // The first token sees only itself: all of its flow comes from the first input.
        QVERIFY(std::abs(rows.front().asArray().front().asNumber() - 1.0) < 1e-5);
    }

    void lensEndsInTheModelsPrediction()
    {
        const json::Value lens = jsonOf(QStringList{"lens"} + decoderInput + QStringList{"--json"});
        const auto& layers = lens.find("layers")->asArray();
        QVERIFY(layers.size() >= 2);
        const auto& positions = lens.find("positions")->asArray();
        // The last layer read at the last position is the model's own next-token prediction.
        const auto& last = layers.back().asArray().at(positions.size() - 1).asArray();
        QCOMPARE(static_cast<int>(last.front().find("id")->asNumber()), nextTokenId());
        const Run table = runCli(QStringList{"lens"} + decoderInput + QStringList{"--position", "2"});
        QCOMPARE(table.exitCode, 0);
        QVERIFY(table.out.contains("position 2"));
    }

    void attributionAddsUpToTheLogit()
    {
        const json::Value a = jsonOf(QStringList{"attribute"} + decoderInput + QStringList{"--json"});
        QCOMPARE(static_cast<int>(a.find("target_id")->asNumber()), nextTokenId());
        const double logit = a.find("logit")->asNumber();
        QVERIFY(std::abs(a.find("sum_of_parts")->asNumber() - logit) < 1e-3 * std::max(1.0, std::abs(logit)));
        const json::Value chosen = jsonOf(QStringList{"attribute"} + decoderInput + QStringList{"--json", "--target", "#5"});
        QCOMPARE(static_cast<int>(chosen.find("target_id")->asNumber()), 5);
        const Run table = runCli(QStringList{"attribute"} + decoderInput);
        QCOMPARE(table.exitCode, 0);
        QVERIFY(table.out.contains("sum of the parts"));
    }

    void importanceScoresEveryHead()
    {
        const json::Value imp = jsonOf(QStringList{"importance"} + decoderInput + QStringList{"--json"});
        QCOMPARE(static_cast<int>(imp.find("target_id")->asNumber()), nextTokenId());
        const auto& change = imp.find("change")->asArray();
        QVERIFY(!change.empty());
        for (const json::Value& row : change)
            for (const json::Value& v : row.asArray())
                QVERIFY(v.isNumber() && std::isfinite(v.asNumber()));
    }

    void badRequestsExitWithTwo()
    {
        const Run measure = runCli(QStringList{"attention"} + decoderInput + QStringList{"--measure", "entropy"});
        QCOMPARE(measure.exitCode, 2);
        QVERIFY(measure.err.contains("--measure expects raw, value-weighted, alti or flow"));
        const Run lesson = runCli({"lens", "--model", "lesson:two-heads-causal"});
        QCOMPARE(lesson.exitCode, 2);
        QVERIFY(lesson.err.contains("logit lens"));
        const Run position = runCli(QStringList{"attribute"} + decoderInput + QStringList{"--position", "999"});
        QCOMPARE(position.exitCode, 2);
        QVERIFY(position.err.contains("past the last token"));
        const Run target = runCli(QStringList{"attribute"} + decoderInput + QStringList{"--target", "two words"});
        QCOMPARE(target.exitCode, 2);
        QVERIFY(target.err.contains("not one"));
    }
};

QTEST_GUILESS_MAIN(TestCliReadouts)
#include "test_cli_readouts.moc"
