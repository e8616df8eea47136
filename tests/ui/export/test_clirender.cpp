// attnviz-cli render: draws views to files with no display (QT_QPA_PLATFORM unset), writes one
// file per layer × head with --all-heads, and exits 2 with one message for every bad input.
#include <QDir>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

#include "imagecontent.h"
#include "session/session.h"

namespace {

const QString Lesson = QStringLiteral(ATTNVIZ_RESOURCES "/lessons/two-heads-causal.json");

struct Run
{
    int code = -1;
    QString out;
    QString err;
};

Run cli(const QStringList& args)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("QT_QPA_PLATFORM")); // the command must choose offscreen itself
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(ATTNVIZ_CLI), args);
    if (!p.waitForFinished(60000))
        return {};
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

QString writeSession(const QTemporaryDir& dir, const QString& name, const attnviz::Session& s)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(QByteArray::fromStdString(attnviz::sessionToJson(s)));
    return path;
}

QStringList renderArgs(const QStringList& extra)
{
    return QStringList{QStringLiteral("render"), QStringLiteral("--lesson"), Lesson} + extra;
}

} // namespace

class TestCliRender : public QObject
{
    Q_OBJECT
private slots:
    void pngAtRequestedSize();
    void svgAndPdf();
    void allHeads();
    void encoderDecoderStacks();
    void rolloutHeatmap();
    void forceOverwrites();
    void errors_data();
    void errors();
    void otherCommandsNeedNoQt();
    void fullDiskKeepsOldFile();
    void session();
    void sessionErrors();
};

void TestCliRender::pngAtRequestedSize()
{
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("h.png"));
    const Run r = cli(renderArgs({"--view", "heatmap", "--size", "640x480", "--query", "2", "-o", out}));
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
    const QImage image(out);
    QCOMPARE(image.size(), QSize(640, 480));
    const Run twice = cli(renderArgs({"--view", "arcs", "--size", "300x200", "--scale", "2", "--theme", "dark", "-o",
                                      dir.filePath(QStringLiteral("a.png"))}));
    QVERIFY2(twice.code == 0, qPrintable(twice.err));
    const QImage arcs(dir.filePath(QStringLiteral("a.png")));
    QCOMPARE(arcs.size(), QSize(600, 400));
    QVERIFY(arcs.pixelColor(2, 2).lightness() < 60);
}

void TestCliRender::svgAndPdf()
{
    QTemporaryDir dir;
    for (const QString view : {"heatmap", "arcs", "model", "pipeline", "chart"}) {
        const QString svg = dir.filePath(view + QStringLiteral(".svg"));
        const QString pdf = dir.filePath(view + QStringLiteral(".pdf"));
        QCOMPARE(cli(renderArgs({"--view", view, "-o", svg})).code, 0);
        QCOMPARE(cli(renderArgs({"--view", view, "--mask", "none", "-o", pdf})).code, 0);
        QFile s(svg);
        QVERIFY(s.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&s);
        while (!xml.atEnd())
            xml.readNext();
        QVERIFY2(!xml.hasError(), qPrintable(view + ": " + xml.errorString()));
        QFile p(pdf);
        QVERIFY(p.open(QIODevice::ReadOnly));
        QVERIFY(p.readAll().startsWith("%PDF"));
    }
}

void TestCliRender::allHeads()
{
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("heads"));
    Run r = cli(renderArgs({"--view", "pipeline", "--all-heads", folder}));
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QStringList files = QDir(folder).entryList(QDir::Files);
    files.sort();
    QCOMPARE(files, (QStringList{"pipeline-l0-h0.png", "pipeline-l0-h1.png"})); // the lesson: 1 layer × 2 heads
    r = cli(renderArgs({"--view", "heatmap", "--all-heads", folder, "--format", "svg"}));
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(QDir(folder).entryList({"*.svg"}, QDir::Files).size(), 2);
    // Again without --force: refused, nothing changed.
    r = cli(renderArgs({"--view", "heatmap", "--all-heads", folder, "--format", "svg"}));
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains(QLatin1String("already exists")));
}

// --stack picks which attention of an encoder-decoder to draw: the translator's cross-attention
// (its own translation x the source tokens) gives a picture of a different shape than its encoder's.
void TestCliRender::encoderDecoderStacks()
{
    QTemporaryDir dir;
    const QStringList base{"render", "--model", "builtin:translator", "--text", "red fox sees blue birds"};
    QStringList svgText;
    for (const QString stack : {"0", "2"}) {
        const QString out = dir.filePath("stack" + stack + ".svg");
        const Run r = cli(base + QStringList{"--stack", stack, "--view", "pipeline", "-o", out});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        svgText << QString::fromUtf8(f.readAll());
    }
    QVERIFY(svgText[0] != svgText[1]);
    QVERIFY2(svgText[1].contains(QLatin1String("cross")), "the cross stack's pipeline names itself");
    const Run bad = cli(base + QStringList{"--stack", "3", "-o", dir.filePath("x.png")});
    QCOMPARE(bad.code, 2);
    QVERIFY2(bad.err.contains(QLatin1String("--stack 3 is out of range")), qPrintable(bad.err));
}

// --rollout draws the attention rollout, and the exported header's title says so.
void TestCliRender::rolloutHeatmap()
{
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("rollout.svg"));
    const Run r = cli({"render", "--model", "builtin:decoder", "--text", "The cat sat.", "--layer", "3", "--rollout",
                       "-o", out});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString svg = QString::fromUtf8(f.readAll());
    QVERIFY(svg.contains(QLatin1String("attention rollout through layer 3")));
    QVERIFY(!svg.contains(QLatin1String("Attention rollout"))); // the view's own title is not said twice
}

void TestCliRender::forceOverwrites()
{
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("x.png"));
    QFile f(out);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("not an image");
    f.close();
    Run r = cli(renderArgs({"-o", out}));
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains(QLatin1String("--force")));
    QVERIFY(QImage(out).isNull()); // untouched
    r = cli(renderArgs({"--force", "-o", out}));
    QCOMPARE(r.code, 0);
    QVERIFY(!QImage(out).isNull());
}

void TestCliRender::errors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown view") << QStringList{"--view", "pie", "-o", "OUT/x.png"} << "unknown view";
    QTest::newRow("bad size") << QStringList{"--size", "12x", "-o", "OUT/x.png"} << "--size";
    QTest::newRow("tiny size") << QStringList{"--size", "10x10", "-o", "OUT/x.png"} << "--size";
    QTest::newRow("bad layer") << QStringList{"--layer", "3", "-o", "OUT/x.png"} << "--layer 3 is out of range";
    QTest::newRow("bad head") << QStringList{"--head", "2", "-o", "OUT/x.png"} << "--head 2 is out of range";
    QTest::newRow("bad query") << QStringList{"--query", "9", "-o", "OUT/x.png"} << "--query 9";
    QTest::newRow("bad format") << QStringList{"-o", "OUT/x.gif"} << ".png, .svg or .pdf";
    QTest::newRow("no output") << QStringList{"--view", "arcs"} << "-o FILE or --all-heads";
    QTest::newRow("bad theme") << QStringList{"--theme", "blue", "-o", "OUT/x.png"} << "--theme";
    QTest::newRow("unwritable") << QStringList{"-o", "OUT/blocker/x.png"} << "Could not write";
    QTest::newRow("folder as file") << QStringList{"--all-heads", "OUT/blocker"} << "not a folder";
    // 65536² pixels (16 GiB) was attempted; 32768² failed inside QPainter with 70 lines of warnings.
    QTest::newRow("16384² at 4x") << QStringList{"--size", "16384x16384", "--scale", "4", "-o", "OUT/x.png"}
                                  << "is too large";
    QTest::newRow("16384² at 2x") << QStringList{"--size", "16384x16384", "--scale", "2", "-o", "OUT/x.png"}
                                  << "at most 268 megapixels";
    QTest::newRow("all heads too large")
        << QStringList{"--size", "12000x12000", "--scale", "2", "--all-heads", "OUT/heads"} << "is too large";
}

void TestCliRender::errors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    QTemporaryDir dir;
    QFile blocker(dir.filePath(QStringLiteral("blocker"))); // a file where a folder would have to be
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    for (QString& a : args)
        a.replace(QLatin1String("OUT"), dir.path());
    const Run r = cli(renderArgs(args));
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    QVERIFY2(r.err.startsWith(QLatin1String("attnviz-cli render: ")), qPrintable(r.err));
    QCOMPARE(r.err.count(QLatin1Char('\n')), 1); // one message, one line
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
             QStringList{"blocker"});
}

void TestCliRender::otherCommandsNeedNoQt()
{
    const Run r = cli({"lesson", Lesson});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains(QLatin1String("cat")));
    QVERIFY2(r.err.isEmpty(), qPrintable(r.err)); // no Qt platform chatter: no QApplication was made
}

void TestCliRender::fullDiskKeepsOldFile()
{
    // A 40 KiB tmpfs in a private mount namespace: a small render fits, a big one cannot. Needs
    // the right to mount (root in a container); skipped elsewhere.
    QTemporaryDir dir;
    const QString mount = dir.filePath(QStringLiteral("small"));
    QVERIFY(QDir().mkpath(mount));
    const QString out = mount + QStringLiteral("/x.png");
    const QString cliPath = QStringLiteral(ATTNVIZ_CLI);
    const QString script =
        QStringLiteral(
            "mount -t tmpfs -o size=40k tmpfs '%1' || exit 99; "
            "'%2' render --lesson '%3' --size 100x80 -o '%4' >/dev/null 2>&1 || exit 98; cp '%4' '%4.before'; "
            "'%2' render --lesson '%3' --view pipeline --scale 4 --force -o '%4'; echo \"rc=$?\"; "
            "cmp -s '%4' '%4.before' && echo intact; ls -a '%1'")
            .arg(mount, cliPath, Lesson, out);
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral("unshare"), {QStringLiteral("-m"), QStringLiteral("sh"), QStringLiteral("-c"), script});
    if (!p.waitForStarted(5000))
        QSKIP("unshare is not available");
    QVERIFY(p.waitForFinished(60000));
    if (p.exitCode() == 99 || p.exitCode() == 1)
        QSKIP("cannot mount a small tmpfs here");
    QCOMPARE(p.exitCode(), 0);
    const QString stdoutText = QString::fromUtf8(p.readAllStandardOutput());
    const QString stderrText = QString::fromUtf8(p.readAllStandardError());
    QVERIFY2(stdoutText.contains(QLatin1String("rc=2")), qPrintable(stdoutText + stderrText));
    QVERIFY2(stderrText.contains(QLatin1String("No space left on device")), qPrintable(stderrText));
    QVERIFY2(stdoutText.contains(QLatin1String("intact")), qPrintable(stdoutText)); // the old file survived
    // Only the old file and its copy: no temporary file left behind.
    const QStringList entries =
        stdoutText.split(QLatin1Char('\n'), Qt::SkipEmptyParts).filter(QRegularExpression(QStringLiteral("^x\\.png")));
    QCOMPARE(entries, (QStringList{QStringLiteral("x.png"), QStringLiteral("x.png.before")}));
}

QTEST_MAIN(TestCliRender)
// render --session draws what the session says: the same picture as the options it shares with
// them, and its own colour map, ablation and scaling on top.
void TestCliRender::session()
{
    QTemporaryDir dir;
    attnviz::Session s;
    s.model = "builtin:decoder";
    s.text = "The cat sat on the mat because it was tired.";
    s.view = "heatmap";
    s.layer = 1;
    s.head = 2;
    s.query = 3;
    const QString plain = writeSession(dir, QStringLiteral("plain.attnviz"), s);
    const QStringList size{"--size", "500x400"};
    Run r = cli(QStringList{"render", "--session", plain, "-o", dir.filePath("plain.png")} + size);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
    r = cli(QStringList{"render", "--model", "builtin:decoder", "--text", QString::fromStdString(s.text), "--layer",
                        "1", "--head", "2", "--query", "3", "-o", dir.filePath("options.png")} +
            size);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QImage fromSession(dir.filePath("plain.png"));
    QCOMPARE(fromSession.size(), QSize(500, 400));
    QVERIFY(fromSession == QImage(dir.filePath("options.png")));
    const attnviz::testdata::ImageContent content = attnviz::testdata::imageContent(fromSession);
    QVERIFY2(content.colours > 50 && content.drawn > 0.1,
             qPrintable(QStringLiteral("%1 colours, %2 drawn").arg(content.colours).arg(content.drawn)));

    s.colorMap = "magma";
    s.ablatedHeads = {{0, 1}};
    s.scale = false;
    s.mask = attnviz::MaskOverride::None;
    const QString changed = writeSession(dir, QStringLiteral("changed.attnviz"), s);
    r = cli(QStringList{"render", "--session", changed, "-o", dir.filePath("changed.png")} + size);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QImage other(dir.filePath("changed.png"));
    QCOMPARE(other.size(), QSize(500, 400));
    QVERIFY2(!(other == fromSession), "the session's colour map, ablation and mask must show");
    QVERIFY(attnviz::testdata::imageContent(other).colours > 50);
    // A measure this build cannot draw is said on stderr, and the raw weights are drawn.
    s.measure = "entropy";
    const QString measured = writeSession(dir, QStringLiteral("measured.attnviz"), s);
    r = cli(QStringList{"render", "--session", measured, "-o", dir.filePath("measured.png")} + size);
    QCOMPARE(r.code, 0);
    QVERIFY2(r.err.contains(QLatin1String("entropy")), qPrintable(r.err));
    QVERIFY(QImage(dir.filePath("measured.png")) == other);
    // A measure it can draw changes the picture.
    s.measure = "value-weighted";
    const QString weighted = writeSession(dir, QStringLiteral("weighted.attnviz"), s);
    r = cli(QStringList{"render", "--session", weighted, "-o", dir.filePath("weighted.png")} + size);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(!r.err.contains(QLatin1String("measure")));
    QVERIFY(!(QImage(dir.filePath("weighted.png")) == other));
}

void TestCliRender::sessionErrors()
{
    QTemporaryDir dir;
    attnviz::Session s;
    s.model = "builtin:decoder";
    s.text = "hello";
    const QString good = writeSession(dir, QStringLiteral("good.attnviz"), s);
    QFile bad(dir.filePath(QStringLiteral("bad.attnviz")));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write(R"({"format": "attnviz-session", "version": 1, "model": {"spec": "builtin:decoder"}, "layer": -3})");
    bad.close();
    s.stack = 3;
    const QString noStack = writeSession(dir, QStringLiteral("stack.attnviz"), s);
    s.model = "no-such-model";
    const QString missing = writeSession(dir, QStringLiteral("missing.attnviz"), s);
    const struct
    {
        QStringList args;
        QString message;
    } cases[] = {
        {{"--session", good, "--model", "builtin:encoder"}, "--model cannot be combined with --session"},
        {{"--session", good, "--layer", "1"}, "--layer cannot be combined with --session"},
        {{"--session", bad.fileName()}, "layer"},
        {{"--session", dir.filePath("absent.attnviz")}, "absent.attnviz"},
        {{"--session", missing}, "no-such-model"},
        {{"--session", noStack}, "the session's stack 3 is out of range"},
    };
    for (const auto& c : cases) {
        const Run r = cli(QStringList{"render"} + c.args + QStringList{"-o", dir.filePath("x.png")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(c.message), qPrintable(r.err));
        QCOMPARE(r.err.count(QLatin1Char('\n')), 1);
        QVERIFY(!QFile::exists(dir.filePath("x.png")));
    }
}

#include "test_clirender.moc"
