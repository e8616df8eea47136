#include "export/safefilewriter.h"

#include <QDir>
#include <QFileInfo>
#include <QObject>
#include <QSaveFile>

#include <cerrno>

namespace attnviz {

QString SafeFileWriter::existsMessage(const QString& path)
{
    return QObject::tr("%1 already exists; not overwritten").arg(QDir::toNativeSeparators(path));
}

QString SafeFileWriter::ensureDirectory(const QString& dir)
{
    const QFileInfo info(dir);
    if (info.exists() && !info.isDir()) {
        return QObject::tr("%1 exists and is not a folder").arg(QDir::toNativeSeparators(dir));
    }
    if (!QDir().mkpath(dir))
        return QObject::tr("Could not create the folder %1").arg(QDir::toNativeSeparators(dir));
    return {};
}

QString SafeFileWriter::write(const QString& path, const QByteArray& data, bool overwrite)
{
    const QFileInfo info(path);
    if (info.isDir())
        return QObject::tr("%1 is a folder, not a file").arg(QDir::toNativeSeparators(path));
    if (info.exists() && !overwrite)
        return existsMessage(path);
    QSaveFile file(path);
    const auto failure = [&] {
        // QSaveFile often reports "Unknown error" for a failed flush; the system's reason (e.g.
        // "No space left on device") is what people need.
        const int systemError = errno;
        QString reason = file.errorString();
        if ((reason.isEmpty() || reason == QLatin1String("Unknown error")) && systemError != 0)
            reason = qt_error_string(systemError);
        return QObject::tr("Could not write %1: %2").arg(QDir::toNativeSeparators(path), reason);
    };
    if (!file.open(QIODevice::WriteOnly))
        return failure();
    if (file.write(data) != data.size()) {
        const QString message = failure();
        file.cancelWriting(); // the temporary file goes, the old file stays as it was
        return message;
    }
    // commit() flushes, fsyncs and renames; a full disk shows up here at the latest.
    if (!file.commit())
        return failure();
    return {};
}

} // namespace attnviz
