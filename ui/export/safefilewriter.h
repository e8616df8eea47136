#pragma once
// Writes a whole file atomically through QSaveFile: the old file (if any) is replaced only once the
// new bytes are safely on disk, so a full disk or a crash loses nothing. An existing file is left
// alone unless overwriting was asked for (the GUI asks people first; the CLI needs --force).

#include <QByteArray>
#include <QString>

namespace attnviz {

class SafeFileWriter
{
public:
    // Returns an empty string on success, otherwise a message for people naming the file and why.
    static QString write(const QString& path, const QByteArray& data, bool overwrite);
    // The message write() gives for an existing file when overwriting was not allowed.
    static QString existsMessage(const QString& path);
    // Creates `dir` (and parents) if needed; an empty string on success, otherwise a message.
    static QString ensureDirectory(const QString& dir);
};

} // namespace attnviz
