#include "export/saveimagedialog.h"

#include "export/exportoptions.h"
#include "export/viewexporter.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QSettings>

namespace attnviz {

QString saveViewImage(AttentionView& view, QWidget* parent, const QString& caption, const QString& fileName)
{
    const QString key = QStringLiteral("export/folder"); // shared with File → Export View
    QSettings settings;
    const QString path = QFileDialog::getSaveFileName(parent, caption, settings.value(key).toString() + QLatin1Char('/') + fileName,
                                                      QObject::tr("Images (*.png *.svg *.pdf)"));
    if (path.isEmpty())
        return {};
    const auto format = ExportOptions::formatForPath(path);
    if (!format) {
        QMessageBox::warning(parent, QObject::tr("Not saved"), QObject::tr("The file name must end in .png, .svg or .pdf."));
        return {};
    }
    ExportOptions options;
    options.format = *format;
    options.overwrite = true; // the file dialog asked already
    if (const QString error = ViewExporter::exportToFile(view, options, path); !error.isEmpty()) {
        QMessageBox::warning(parent, QObject::tr("Not saved"), error);
        return {};
    }
    settings.setValue(key, QFileInfo(path).absolutePath());
    return path;
}

} // namespace attnviz
