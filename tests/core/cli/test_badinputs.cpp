// Every bad input of the reliability issue, through attnviz-cli as a user runs it: each case must
// exit 0 or 2 (never crash), print at most one line on stderr, finish within 20 s and stay within
// a 4 GB address space (not checked in sanitizer builds, which reserve terabytes of it).
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define ATTNVIZ_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ATTNVIZ_UNDER_ASAN 1
#endif
#endif

class TestBadInputs : public QObject
{
    Q_OBJECT
private slots:
    void exitsCleanly_data();
    void exitsCleanly();
};

namespace {

constexpr int TimeLimitMs = 20000;
constexpr rlim_t AddressSpaceLimit = rlim_t(4) << 30;

const QString ModelData = QStringLiteral(ATTNVIZ_TEST_DATA "/models/");

QByteArray readFile(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeFile(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

// A copy of a fixture model folder in `dir`/model, with config.json's `from` replaced by `to`.
QString modelCopy(const QString& dir, const QString& fixture, const QByteArray& from = {}, const QByteArray& to = {})
{
    const QString out = dir + QStringLiteral("/model");
    QDir().mkpath(out);
    for (const QString& name : QDir(ModelData + fixture).entryList(QDir::Files)) {
        QByteArray bytes = readFile(ModelData + fixture + QLatin1Char('/') + name);
        if (name == QLatin1String("config.json") && !from.isEmpty()) {
            if (!bytes.contains(from))
                qFatal("fixture %s has no %s", qPrintable(fixture), from.constData());
            bytes.replace(from, to);
        }
        writeFile(out + QLatin1Char('/') + name, bytes);
    }
    return out;
}

// The 8-byte little-endian length, then the header text, then `data` bytes of zeros.
QByteArray safetensors(quint64 headerLength, const QByteArray& header, int data = 0)
{
    QByteArray b;
    for (int i = 0; i < 8; ++i) b.append(char((headerLength >> (8 * i)) & 0xff));
    return b + header + QByteArray(data, '\0');
}

QByteArray bigLesson(int tokens)
{
    QByteArray t = "{\"tokens\": [";
    QByteArray e = "\"embeddings\": [";
    for (int i = 0; i < tokens; ++i) {
        t += (i ? ",\"t" : "\"t") + QByteArray::number(i) + '"';
        e += i ? ",[1,0.5]" : "[1,0.5]";
    }
    return t + "], " + e + "], \"heads\": [{\"wq\": [[1],[0]], \"wk\": [[1],[0]], \"wv\": [[1],[0]]}]}";
}

// Makes what a row needs in `dir` and returns the arguments with DIR, MODEL, FILE filled in.
// Returns an empty list (and sets *skip) when the case cannot be built here.
QStringList prepare(const QString& setup, QStringList args, const QString& dir, QString* skip)
{
    QString model = dir + QStringLiteral("/model");
    QString file = dir + QStringLiteral("/input");
    const QByteArray gpt2Header = R"({"wte.weight": {"dtype": "F32", "shape": [96, 32], "data_offsets": [0, 12288]}})";
    if (setup == QLatin1String("head_dim")) {
        model = modelCopy(dir, "llama", "\"model_type\"", "\"head_dim\": 999999998, \"model_type\"");
    } else if (setup == QLatin1String("n_layer 0")) {
        model = modelCopy(dir, "gpt2", "\"n_layer\": 2", "\"n_layer\": 0");
    } else if (setup == QLatin1String("eos 1e300")) {
        model = modelCopy(dir, "gpt2", "\"eos_token_id\": 95", "\"eos_token_id\": 1e300");
    } else if (setup.startsWith(QLatin1String("safetensors "))) {
        model = modelCopy(dir, "gpt2");
        QByteArray bytes;
        if (setup.endsWith(QLatin1String("huge length")))
            bytes = safetensors(quint64(1) << 63, "{}");
        else if (setup.endsWith(QLatin1String("length past end")))
            bytes = safetensors(1000000, "{}");
        else if (setup.endsWith(QLatin1String("offsets past end")))
            bytes = safetensors(quint64(gpt2Header.size()), gpt2Header, 16);
        else if (setup.endsWith(QLatin1String("huge shape")))
            bytes = safetensors(0, R"({"wte.weight": {"dtype": "F32", "shape": [4294967296, 4294967296],)"
                                   R"( "data_offsets": [0, 0]}})");
        else if (setup.endsWith(QLatin1String("negative offsets")))
            bytes = safetensors(0, R"({"wte.weight": {"dtype": "F32", "shape": [2], "data_offsets": [-8, 0]}})");
        else if (setup.endsWith(QLatin1String("not json")))
            bytes = safetensors(0, "{\"wte.weight\": [");
        if (bytes.mid(0, 8) == QByteArray(8, '\0')) { // length 0 = "the header that follows"
            const QByteArray header = bytes.mid(8);
            bytes = safetensors(quint64(header.size()), header);
        }
        writeFile(model + QStringLiteral("/model.safetensors"), bytes);
    } else if (setup.startsWith(QLatin1String("torch "))) { // a hostile pytorch_model.bin in gpt2's folder
        model = modelCopy(dir, "gpt2_torch");
        writeFile(model + QStringLiteral("/pytorch_model.bin"),
                  readFile(QStringLiteral(ATTNVIZ_TEST_DATA "/torch/") + setup.mid(6) + QStringLiteral(".bin")));
    } else if (setup == QLatin1String("symlink loop")) {
        QFile::link(dir + QStringLiteral("/loop"), dir + QStringLiteral("/loop"));
        model = dir + QStringLiteral("/loop");
    } else if (setup == QLatin1String("config.json dir")) {
        model = modelCopy(dir, "gpt2");
        QFile::remove(model + QStringLiteral("/config.json"));
        QDir().mkpath(model + QStringLiteral("/config.json"));
    } else if (setup.startsWith(QLatin1String("fifo "))) {
        model = modelCopy(dir, "gpt2");
        const QString name = setup.mid(5);
        const QString path = name == QLatin1String("lesson") ? file : model + QLatin1Char('/') + name;
        QFile::remove(path);
        if (::mkfifo(QFile::encodeName(path).constData(), 0600) != 0) {
            *skip = QStringLiteral("mkfifo failed");
            return {};
        }
    } else if (setup == QLatin1String("unreadable config")) {
        if (::geteuid() == 0) {
            *skip = QStringLiteral("running as root: file permissions are not enforced");
            return {};
        }
        model = modelCopy(dir, "gpt2");
        QFile::setPermissions(model + QStringLiteral("/config.json"), QFileDevice::WriteOwner);
    } else if (setup.startsWith(QLatin1String("empty "))) {
        model = modelCopy(dir, "gpt2");
        const QString name = setup.mid(6);
        writeFile(name == QLatin1String("lesson") ? file : model + QLatin1Char('/') + name, {});
    } else if (setup == QLatin1String("10,000-token lesson")) {
        writeFile(file, bigLesson(10000));
    }
    for (QString& a : args) {
        a.replace(QLatin1String("MODEL"), model).replace(QLatin1String("FILE"), file);
        a.replace(QLatin1String("DIR"), dir);
    }
    return args;
}

} // namespace

void TestBadInputs::exitsCleanly_data()
{
    QTest::addColumn<QString>("setup");
    QTest::addColumn<QStringList>("args");
    const QStringList text = {"attention", "--model", "builtin:decoder", "--json", "--text"};
    const QStringList folder = {"attention", "--model", "MODEL", "--ids", "1,2", "--json"};
    QTest::newRow("empty text") << "" << text + QStringList{""};
    QTest::newRow("whitespace text") << "" << text + QStringList{" \t \n "};
    QTest::newRow("emoji text") << "" << text + QStringList{"🙂🚀 👩‍👩‍👧 🇫🇷"};
    QTest::newRow("RTL text") << "" << text + QStringList{"مرحبا بالعالم שלום"};
    QTest::newRow("control characters") << "" << text + QStringList{"a\x01\x02\x1b[31m\x7f\u200b\u202e"};
    QTest::newRow("invalid UTF-8 text") << "invalid utf-8" << QStringList{};
    QTest::newRow("100,000 characters") << "" << text + QStringList{QString(100000, QLatin1Char('a'))};
    QTest::newRow("100,000 characters, words") << "" << text + QStringList{QStringLiteral("the cat ").repeated(12500)};
    QTest::newRow("head_dim 999999998") << "head_dim" << folder;
    QTest::newRow("n_layer 0") << "n_layer 0" << folder;
    QTest::newRow("eos_token_id 1e300") << "eos 1e300" << folder;
    for (const char* s : {"huge length", "length past end", "offsets past end", "huge shape", "negative offsets",
                          "not json"}) {
        QTest::newRow(qPrintable(QStringLiteral("safetensors ") + s)) << QStringLiteral("safetensors ") + s << folder;
    }
    for (const char* s : {"global_os_system", "compressed", "legacy", "huge_sizes", "storage_too_small"})
        QTest::newRow(qPrintable(QStringLiteral("pytorch_model.bin ") + s)) << QStringLiteral("torch ") + s << folder;
    QTest::newRow("symlink loop") << "symlink loop" << folder;
    QTest::newRow("directory named config.json") << "config.json dir" << folder;
    QTest::newRow("FIFO as model.safetensors") << "fifo model.safetensors" << folder;
    QTest::newRow("FIFO as config.json") << "fifo config.json" << folder;
    QTest::newRow("FIFO as lesson") << "fifo lesson" << QStringList{"lesson", "FILE"};
    QTest::newRow("unreadable config.json") << "unreadable config" << folder;
    QTest::newRow("zero-byte config.json") << "empty config.json" << folder;
    QTest::newRow("zero-byte model.safetensors") << "empty model.safetensors" << folder;
    QTest::newRow("zero-byte lesson") << "empty lesson" << QStringList{"lesson", "FILE"};
    QTest::newRow("/dev/zero as lesson") << "" << QStringList{"lesson", "/dev/zero"};
    QTest::newRow("/dev/zero as model") << "" << QStringList{"attention", "--model", "/dev/zero", "--ids", "1"};
    QTest::newRow("10,000-token lesson") << "10,000-token lesson" << QStringList{"lesson", "FILE", "--json"};
    QTest::newRow("render 16384x16384 at 4x")
        << "" << QStringList{"render", "--lesson", "lesson:two-heads-causal", "--size", "16384x16384", "--scale", "4",
                             "-o", "DIR/out.png"};
    QTest::newRow("generate --greedy 100000")
        << "" << QStringList{"generate", "--model", "builtin:decoder", "--text", "Once", "--greedy", "100000"};
}

void TestBadInputs::exitsCleanly()
{
    QFETCH(QString, setup);
    QFETCH(QStringList, args);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString skip;
    QString program = QStringLiteral(ATTNVIZ_CLI);
    if (setup == QLatin1String("invalid utf-8")) {
        // Arguments from QProcess are always valid UTF-8: let the shell pass raw bytes.
        program = QStringLiteral("/bin/sh");
        const char* script = R"sh(exec "$0" attention --model builtin:decoder --json )sh"
                             R"sh(--text "$(printf 'a\377\376b\300\200c\355\240\200')")sh";
        args = QStringList{"-c", QString::fromLatin1(script), QStringLiteral(ATTNVIZ_CLI)};
    } else {
        args = prepare(setup, args, dir.path(), &skip);
        if (!skip.isEmpty())
            QSKIP(qPrintable(skip));
    }

    QProcess p;
    p.setProgram(program);
    p.setArguments(args);
#ifndef ATTNVIZ_UNDER_ASAN
    p.setChildProcessModifier([] {
        const rlimit limit{AddressSpaceLimit, AddressSpaceLimit};
        ::setrlimit(RLIMIT_AS, &limit);
    });
#endif
    p.start();
    p.closeWriteChannel();
    QVERIFY2(p.waitForStarted(), qPrintable(p.errorString()));
    // Read as it comes so a large stdout cannot block the child on a full pipe.
    QByteArray out;
    QByteArray err;
    QElapsedTimer timer;
    timer.start();
    bool finished = false;
    while (!(finished = p.waitForFinished(100)) && timer.elapsed() < TimeLimitMs) {
        out += p.readAllStandardOutput();
        err += p.readAllStandardError();
        if (out.size() > (64 << 20))
            out = out.right(1024); // only the size matters here
    }
    if (!finished) {
        p.kill();
        p.waitForFinished();
        QFAIL(qPrintable(QStringLiteral("still running after %1 s").arg(TimeLimitMs / 1000)));
    }
    err += p.readAllStandardError();
    const QString errText = QString::fromUtf8(err);
    QVERIFY2(p.exitStatus() == QProcess::NormalExit, qPrintable(QStringLiteral("crashed: ") + errText.left(2000)));
    QVERIFY2(p.exitCode() == 0 || p.exitCode() == 2,
             qPrintable(QStringLiteral("exit code %1: %2").arg(p.exitCode()).arg(errText.left(2000))));
    QVERIFY2(err.count('\n') <= 1 && (err.isEmpty() || err.endsWith('\n')),
             qPrintable(QStringLiteral("more than one line on stderr:\n") + errText.left(2000)));
}

QTEST_GUILESS_MAIN(TestBadInputs)
#include "test_badinputs.moc"
