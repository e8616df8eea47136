// SafeFileWriter: writes whole files through QSaveFile; a failed write says which file and why and
// leaves neither a partial file nor a changed old one; existing files need explicit overwriting.
#include "export/safefilewriter.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace attnviz;

namespace {

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Root ignores permissions; then a read-only folder cannot be simulated.
bool canWriteInto(const QString& dir)
{
    QFile probe(QDir(dir).filePath(QStringLiteral(".probe")));
    const bool ok = probe.open(QIODevice::WriteOnly);
    if (ok)
        probe.remove();
    return ok;
}

} // namespace

class TestSafeFileWriter : public QObject
{
    Q_OBJECT
private slots:
    void writesNewFile();
    void refusesExistingFile();
    void overwritesWhenAllowed();
    void readOnlyFolderFails();
    void missingFolderFails();
    void folderIsNotAFile();
};

void TestSafeFileWriter::writesNewFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a.bin"));
    QCOMPARE(SafeFileWriter::write(path, "hello", false), QString());
    QCOMPARE(readAll(path), QByteArray("hello"));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
             QStringList{QStringLiteral("a.bin")}); // no temp file left
}

void TestSafeFileWriter::refusesExistingFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a.bin"));
    QCOMPARE(SafeFileWriter::write(path, "old", false), QString());
    const QString error = SafeFileWriter::write(path, "new", false);
    QVERIFY(error.contains(QLatin1String("already exists")));
    QVERIFY(error.contains(QLatin1String("a.bin")));
    QCOMPARE(readAll(path), QByteArray("old"));
}

void TestSafeFileWriter::overwritesWhenAllowed()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a.bin"));
    QCOMPARE(SafeFileWriter::write(path, "old", false), QString());
    QCOMPARE(SafeFileWriter::write(path, "new", true), QString());
    QCOMPARE(readAll(path), QByteArray("new"));
}

void TestSafeFileWriter::readOnlyFolderFails()
{
    QTemporaryDir dir;
    const QString ro = dir.filePath(QStringLiteral("ro"));
    QVERIFY(QDir().mkpath(ro));
    QFile::setPermissions(ro, QFile::ReadOwner | QFile::ExeOwner | QFile::ReadGroup | QFile::ExeGroup);
    // root ignores folder permissions; /proc/self refuses new files even to root.
    const bool asRoot = canWriteInto(ro);
    const QString folder = asRoot ? QStringLiteral("/proc/self") : ro;
    const QString path = QDir(folder).filePath(QStringLiteral("out.png"));
    const QString error = SafeFileWriter::write(path, QByteArray(100000, 'x'), false);
    QFile::setPermissions(ro, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QVERIFY2(error.startsWith(QLatin1String("Could not write")), qPrintable(error));
    QVERIFY(error.contains(QLatin1String("out.png")));
    QVERIFY(!QFile::exists(path));
    if (!asRoot) QVERIFY(QDir(ro).entryList(QDir::Files | QDir::Hidden).isEmpty());
}

void TestSafeFileWriter::missingFolderFails()
{
    // A path through a regular file can never be created, whoever runs the test.
    QTemporaryDir dir;
    const QString blocker = dir.filePath(QStringLiteral("file"));
    QCOMPARE(SafeFileWriter::write(blocker, "x", false), QString());
    const QString path = blocker + QStringLiteral("/out.svg");
    const QString error = SafeFileWriter::write(path, "<svg/>", false);
    QVERIFY(error.startsWith(QLatin1String("Could not write")));
    QVERIFY(error.contains(QLatin1String("out.svg")));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{QStringLiteral("file")});
    QCOMPARE(readAll(blocker), QByteArray("x"));
}

void TestSafeFileWriter::folderIsNotAFile()
{
    QTemporaryDir dir;
    const QString error = SafeFileWriter::write(dir.path(), "x", true);
    QVERIFY(error.contains(QLatin1String("is a folder")));
    QVERIFY(!SafeFileWriter::ensureDirectory(dir.filePath(QStringLiteral("a/b/c"))).size());
    QVERIFY(QFileInfo(dir.filePath(QStringLiteral("a/b/c"))).isDir());
}

QTEST_MAIN(TestSafeFileWriter)
#include "test_safefilewriter.moc"
