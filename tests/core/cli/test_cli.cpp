// attnviz-cli run as a process: outputs parse as documented; every bad input exits 2 with one
// clear line on stderr and never hangs.
#include "util/json.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace attnviz;

// Declared first: moc cannot scan past raw string literals.
class TestCli : public QObject
{
    Q_OBJECT
private slots:
    void lessonJsonHasEveryStage();
    void lessonTableIsReadable();
    void attentionJsonOfALesson();
    void attentionRestrictedToOneHeadAndMaskOverride();
    void attentionJsonOfADecoderHasItsPredictions();
    void errorsExitWithTwo_data();
    void errorsExitWithTwo();
    void specialFilesExitWithTwo_data();
    void specialFilesExitWithTwo();
    void modelsListsLocalGgufModels();
    void ggufModelRunsFromTheCli();
    void generateTranslatesWithTheTranslator();
};

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run runCli(const QStringList& args, const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(ATTNVIZ_CLI), args);
    p.closeWriteChannel();
    if (!p.waitForFinished(60000)) {
        p.kill();
        return {};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

QString lesson(const char* name)
{
    return QStringLiteral(ATTNVIZ_RESOURCES "/lessons/") + name;
}

} // namespace

void TestCli::lessonJsonHasEveryStage()
{
    const Run r = runCli({"lesson", lesson("illustrated-self-attention.json"), "--json"});
    QCOMPARE(r.exitCode, 0);
    const json::Value v = json::parse(r.out.toStdString());
    const auto& head = v.find("heads")->asArray().front();
    for (const char* key : {"name", "q", "k", "v", "scores", "scaled", "weights", "output"}) {
        QVERIFY2(head.find(key) != nullptr, key);
    }
    QVERIFY(v.find("concat") && v.find("output"));
    // The worked example: output of "Input 2" = [1.9999939, 7.9639913, 0.0539764] (hand-computed).
    const auto& row = v.find("output")->asArray()[1].asArray();
    QVERIFY(std::abs(row[1].asNumber() - 7.9639913) < 1e-5);
    QCOMPARE(head.find("scores")->asArray()[1].asArray()[1].asNumber(), 16.0);
}

void TestCli::lessonTableIsReadable()
{
    const Run r = runCli({"lesson", "lesson:two-heads-causal"}); // shipped lessons by name
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains("scores = Q·Kᵀ"));
    QVERIFY(r.out.contains("masked"));
    QVERIFY(r.out.contains("looks alike"));
}

void TestCli::attentionJsonOfALesson()
{
    const Run r = runCli({"attention", "--model", lesson("two-heads-causal.json"), "--json"});
    QCOMPARE(r.exitCode, 0);
    const json::Value v = json::parse(r.out.toStdString());
    QCOMPARE(v.find("model")->find("family")->asString(), std::string("lesson"));
    QCOMPARE(v.find("model")->find("heads")->asNumber(), 2.0);
    QCOMPARE(v.find("tokens")->asArray().size(), std::size_t(4));
    const auto& a = v.find("attention")->asArray();
    QCOMPARE(a.size(), std::size_t(1));                           // layers
    QCOMPARE(a[0].asArray().size(), std::size_t(2));              // heads
    QCOMPARE(a[0].asArray()[0].asArray()[0].asArray()[1].asNumber(), 0.0); // causal: no look ahead
}

void TestCli::attentionRestrictedToOneHeadAndMaskOverride()
{
    const Run r = runCli({"attention", "--model", lesson("two-heads-causal.json"), "--head", "1", "--layer", "0",
                          "--mask", "none", "--json"});
    QCOMPARE(r.exitCode, 0);
    const json::Value v = json::parse(r.out.toStdString());
    const auto& heads = v.find("attention")->asArray()[0].asArray();
    QCOMPARE(heads.size(), std::size_t(1));
    QVERIFY(heads[0].asArray()[0].asArray()[1].asNumber() > 0.0); // no mask: row 0 sees key 1
}

// Decoders add the top next-token predictions with the model's logits (most likely first); a
// lesson, which predicts nothing, has none.
void TestCli::attentionJsonOfADecoderHasItsPredictions()
{
    const Run r = runCli({"attention", "--model", "builtin:decoder", "--text", "The cat sat on the", "--json"});
    QCOMPARE(r.exitCode, 0);
    const json::Value v = json::parse(r.out.toStdString());
    const json::Value* next = v.find("next_token");
    QVERIFY(next != nullptr && next->asArray().size() >= 5);
    double lastLogit = 1e30, lastProbability = 2, total = 0;
    for (const json::Value& p : next->asArray()) {
        QVERIFY(p.find("id")->asNumber() >= 0 && !p.find("token")->asString().empty());
        QVERIFY(p.find("logit")->asNumber() <= lastLogit && p.find("probability")->asNumber() <= lastProbability);
        lastLogit = p.find("logit")->asNumber();
        lastProbability = p.find("probability")->asNumber();
        total += lastProbability;
    }
    QVERIFY(total > 0 && total <= 1.0 + 1e-6);
    const Run lessonRun = runCli({"attention", "--model", lesson("two-heads-causal.json"), "--json"});
    QVERIFY(json::parse(lessonRun.out.toStdString()).find("next_token") == nullptr);
}

void TestCli::errorsExitWithTwo_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("fileContent"); // written to a temporary file substituted for "FILE"
    QTest::newRow("no arguments") << QStringList{} << "usage" << "";
    QTest::newRow("unknown command") << QStringList{"frobnicate"} << "unknown command" << "";
    QTest::newRow("unknown option") << QStringList{"lesson", lesson("two-heads-causal.json"), "--colour"}
                                    << "unknown option \"--colour\"" << "";
    QTest::newRow("missing file") << QStringList{"lesson", "/nonexistent.json"} << "/nonexistent.json: no such file" << "";
    QTest::newRow("malformed json") << QStringList{"lesson", "FILE"} << "not valid JSON" << "{\"tokens\": [";
    QTest::newRow("wrong shapes")
        << QStringList{"lesson", "FILE"} << "heads[0].wq"
        << R"({"tokens":["a"],"embeddings":[[1,2]],"heads":[{"wq":[[1]],"wk":[[1],[1]],"wv":[[1],[1]]}]})";
    QTest::newRow("NaN") << QStringList{"lesson", "FILE"} << "not valid JSON"
                         << R"({"tokens":["a"],"embeddings":[[NaN]],"heads":[]})";
    QTest::newRow("Inf") << QStringList{"lesson", "FILE"} << "does not fit"
                         << R"({"tokens":["a"],"embeddings":[[1e39]],"heads":[]})";
    QTest::newRow("empty tokens") << QStringList{"lesson", "FILE"} << "\"tokens\""
                                  << R"({"tokens":[],"embeddings":[[1]],"heads":[]})";
    QTest::newRow("missing value") << QStringList{"attention", "--model"} << "needs a value" << "";
    QTest::newRow("bad head") << QStringList{"attention", "--model", lesson("two-heads-causal.json"), "--head", "9"}
                              << "head 9 is out of range" << "";
    QTest::newRow("bad mask") << QStringList{"attention", "--model", lesson("two-heads-causal.json"), "--mask", "x"}
                              << "--mask expects" << "";
    QTest::newRow("ids for a lesson") << QStringList{"attention", "--model", lesson("two-heads-causal.json"), "--ids", "1,2"}
                                      << "fixed tokens" << "";
    QTest::newRow("bad ids") << QStringList{"attention", "--model", lesson("two-heads-causal.json"), "--ids", "1,x"}
                             << "--ids expects" << "";
    QTest::newRow("unknown model") << QStringList{"attention", "--model", "/nonexistent", "--text", "hi"}
                                   << "no such file" << "";
    QTest::newRow("unknown builtin") << QStringList{"attention", "--model", "builtin:nope", "--text", "hi"}
                                     << "no builtin: named \"nope\"" << "";
}

void TestCli::errorsExitWithTwo()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    QFETCH(QString, fileContent);
    QTemporaryDir dir;
    const QString file = dir.filePath("lesson.json");
    if (!fileContent.isEmpty()) {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(fileContent.toUtf8());
    }
    args.replaceInStrings(QRegularExpression("^FILE$"), file);
    const Run r = runCli(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
}

void TestCli::specialFilesExitWithTwo_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("message");
    QTest::newRow("FIFO lesson") << "fifo" << "is a FIFO (named pipe), not a file";
    QTest::newRow("/dev/zero lesson") << "zero" << "is a character device, not a file";
    QTest::newRow("symlink loop") << "loop" << "too many levels of symbolic links (a symlink loop?)";
    QTest::newRow("config.json is a directory") << "configdir" << "config.json is a directory, not a file";
    QTest::newRow("ESC and newline in model_type") << "modeltype" << R"(model_type "\x1b[2J\nx" is not supported)";
}

// Each must fail at once (a FIFO used to block for ever) with exactly one line on stderr.
void TestCli::specialFilesExitWithTwo()
{
    QFETCH(QString, kind);
    QFETCH(QString, message);
    QTemporaryDir dir;
    QString model = dir.filePath("lesson.json");
    const QByteArray path = model.toUtf8();
    if (kind == "fifo") {
        QCOMPARE(::mkfifo(path.constData(), 0600), 0);
    } else if (kind == "zero") {
        QVERIFY(QFile::link("/dev/zero", model));
    } else if (kind == "loop") {
        QVERIFY(QFile::link(model, model));
    } else {
        model = dir.filePath("gpt2");
        QVERIFY(QDir().mkdir(model));
        QVERIFY(QFile::copy(QStringLiteral(ATTNVIZ_TEST_DATA "/models/gpt2/model.safetensors"),
                            model + "/model.safetensors"));
        if (kind == "configdir") {
            QVERIFY(QDir().mkdir(model + "/config.json"));
        } else {
            QFile f(model + "/config.json");
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(R"({"model_type": "\u001b[2J\nx"})");
        }
    }
    QList<QStringList> commands{{"attention", "--model", model, "--text", "hi"}};
    if (model.endsWith(".json"))
        commands.append({"lesson", model});
    for (const QStringList& args : commands) {
        const Run r = runCli(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY2(r.err.endsWith('\n') && !r.err.contains('\x1b'), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }
}


// A home with an Ollama store and an LM Studio folder, plus a folder given on the command line.
void TestCli::modelsListsLocalGgufModels()
{
#ifndef ATTNVIZ_GGUF_FIXTURES
    QSKIP("no GGUF fixtures (python3-numpy missing)");
#else
    QTemporaryDir home;
    const QString fixtures = QStringLiteral(ATTNVIZ_GGUF_FIXTURES);
    const QString digest(64, QLatin1Char('a'));
    const QString ollama = home.filePath(".ollama/models");
    QVERIFY(QDir().mkpath(ollama + "/blobs"));
    QVERIFY(QDir().mkpath(ollama + "/manifests/registry.ollama.ai/library/llama3"));
    QVERIFY(QFile::copy(fixtures + "/llama3.gguf", ollama + "/blobs/sha256-" + digest));
    QFile manifest(ollama + "/manifests/registry.ollama.ai/library/llama3/latest");
    QVERIFY(manifest.open(QIODevice::WriteOnly));
    manifest.write(R"({"schemaVersion":2,"layers":[{"mediaType":"application/vnd.ollama.image.model","digest":"sha256:)" +
                   digest.toUtf8() + R"(","size":1}]})");
    manifest.close();
    QVERIFY(QDir().mkpath(home.filePath(".lmstudio/models/pub/repo")));
    QVERIFY(QFile::copy(fixtures + "/gemma3.gguf", home.filePath(".lmstudio/models/pub/repo/gemma3-tiny.gguf")));
    QTemporaryDir own;
    QVERIFY(QFile::copy(fixtures + "/gpt2.gguf", own.filePath("mine.gguf")));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("HOME", home.path());
    for (const char* name : {"OLLAMA_MODELS", "HF_HUB_CACHE", "HF_HOME", "XDG_CACHE_HOME"})
        env.remove(name);

    Run r = runCli({"models", "--json", own.path()}, env);
    QCOMPARE(r.exitCode, 0);
    const json::Value list = json::parse(r.out.toStdString());
    QStringList seen;
    for (const json::Value& m : list.asArray()) {
        if (m.find("path")->asString().rfind("/usr/share/ollama", 0) == 0)
            continue; // a real Ollama service on this machine
        seen << QString::fromStdString(m.find("name")->asString() + " " + m.find("architecture")->asString() + " " +
                                       m.find("source")->asString());
        QVERIFY(m.find("supported")->asBool());
        QVERIFY(m.find("bytes")->exactUint64().value_or(0) > 0);
        QVERIFY(!m.find("quantisation")->asString().empty());
    }
    QCOMPARE(seen, (QStringList{"llama3:latest llama Ollama", "gemma3-tiny gemma3 LM Studio", "mine gpt2 folder"}));

    r = runCli({"models", own.path()}, env);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QRegularExpression(R"(mine\s+gpt2\s+F32\s+[0-9.]+ [KM]B\s+folder\s+)" +
                                                 QRegularExpression::escape(own.filePath("mine.gguf")))),
             qPrintable(r.out));
    r = runCli({"models", home.filePath("nothing-here")}, env);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("not a folder"), qPrintable(r.err));
#endif
}

// The blob path `models` prints is a MODEL, though it has no extension.
void TestCli::ggufModelRunsFromTheCli()
{
#ifndef ATTNVIZ_GGUF_FIXTURES
    QSKIP("no GGUF fixtures (python3-numpy missing)");
#else
    QTemporaryDir dir;
    const QString blob = dir.filePath("sha256-" + QString(64, QLatin1Char('f')));
    QVERIFY(QFile::copy(QStringLiteral(ATTNVIZ_GGUF_FIXTURES "/qwen3.gguf"), blob));
    const Run r = runCli({"attention", "--model", blob, "--text", "hello world", "--layer", "0", "--head", "0", "--json"});
    QCOMPARE(r.exitCode, 0);
    const json::Value v = json::parse(r.out.toStdString());
    QVERIFY(v.find("attention") != nullptr);
    QVERIFY2(r.err.isEmpty() || r.err.contains("weights"), qPrintable(r.err));
#endif
}

// generate on an encoder-decoder prints the translation alone (not the source followed by it):
// the built-in translator's greedy translation that its model card records.
void TestCli::generateTranslatesWithTheTranslator()
{
    const json::Value card = json::parseFile(ATTNVIZ_RESOURCES "/models/translator/metrics.json");
    QVERIFY2(card.find("reference_translation") != nullptr, "metrics.json of the English -> Spanish translator");
    QCOMPARE(card.find("reference_text")->asString(), std::string("the red car is fast"));
    // tools/train's length cap: twice the source (with <s> and </s>) plus 10 tokens.
    const auto cap = QString::number(2 * card.find("reference_src_ids")->asArray().size() + 10);
    const Run r = runCli({"generate", "--model", "builtin:translator", "--text", "the red car is fast", "--greedy", cap});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QString expected = QString::fromStdString(card.find("reference_translation")->asString());
    QCOMPARE(r.out.trimmed(), expected.trimmed());
    QVERIFY(!r.out.contains(QLatin1String("red car")));
}

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
