// ExportDialog and ExportController: options survive the dialog and QSettings, a handout is always
// PDF, copying puts both a PNG image and SVG on the clipboard, and exporting nothing says so.
#include "views/attentionview.h"
#include "export/exportcontroller.h"
#include "export/exportdialog.h"
#include "views/viewfactory.h"
#include "exporttestdata.h"
#include "state/selectionstate.h"

#include <QApplication>
#include <QClipboard>
#include <QMimeData>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QtTest>

using namespace attnviz;

class TestExportController : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void dialogRoundTrip();
    void settingsAreRemembered();
    void handoutIsPdf();
    void copyPutsImageAndSvg();
    void nothingToExport();
};

void TestExportController::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // QSettings go to a test location
    QCoreApplication::setOrganizationName(QStringLiteral("AttnVizTests"));
    QCoreApplication::setApplicationName(QStringLiteral("test_ui_exportcontroller"));
    QSettings().clear();
}

void TestExportController::dialogRoundTrip()
{
    ExportDialog dialog(ExportDialog::Mode::View);
    ExportOptions o;
    o.format = ExportFormat::Svg;
    o.scale = 3.0;
    o.dpi = 300;
    o.transparent = true;
    o.title = QStringLiteral("A title");
    o.sentence = QStringLiteral("the cat sat down");
    o.legend = false;
    o.theme = ExportTheme::Dark;
    o.fontSize = 14;
    dialog.setOptions(o);
    const ExportOptions back = dialog.options();
    QCOMPARE(int(back.format), int(o.format));
    QCOMPARE(back.scale, 3.0);
    QCOMPARE(back.dpi, 300);
    QVERIFY(back.transparent);
    QCOMPARE(back.title, o.title);
    QCOMPARE(back.sentence, o.sentence);
    QVERIFY(!back.legend);
    QCOMPARE(int(back.theme), int(ExportTheme::Dark));
    QCOMPARE(back.fontSize, 14.0);
}

void TestExportController::settingsAreRemembered()
{
    {
        ExportDialog dialog(ExportDialog::Mode::View);
        ExportOptions o;
        o.format = ExportFormat::Pdf;
        o.theme = ExportTheme::Dark;
        o.fontSize = 18;
        o.title = QStringLiteral("not remembered");
        dialog.setOptions(o);
        dialog.accept(); // saves
    }
    const ExportOptions saved = ExportDialog::savedOptions();
    QCOMPARE(int(saved.format), int(ExportFormat::Pdf));
    QCOMPARE(int(saved.theme), int(ExportTheme::Dark));
    QCOMPARE(saved.fontSize, 18.0);
    QVERIFY(saved.title.isEmpty());
    ExportDialog next(ExportDialog::Mode::View); // a new dialog starts from the remembered choice
    QCOMPARE(int(next.options().format), int(ExportFormat::Pdf));
}

void TestExportController::handoutIsPdf()
{
    ExportDialog dialog(ExportDialog::Mode::Batch);
    ExportOptions o;
    o.format = ExportFormat::Png;
    dialog.setOptions(o);
    dialog.setBatchScope(ExportDialog::BatchScope::AllHeads);
    QCOMPARE(int(dialog.options().format), int(ExportFormat::Png));
    dialog.setBatchScope(ExportDialog::BatchScope::Handout);
    QCOMPARE(int(dialog.options().format), int(ExportFormat::Pdf));
}

void TestExportController::copyPutsImageAndSvg()
{
    SelectionState selection;
    selection.setShape(1, 1, 2, 4, 4);
    auto view = ViewFactory::create(QStringLiteral("heatmap"), &selection);
    view->setResult(exporttest::lessonResult());
    QWidget window;
    ExportController controller(&window);
    QSignalSpy done(&controller, &ExportController::exported);
    controller.copyToClipboard(view.get());
    QCOMPARE(done.size(), 1);
    const QMimeData* mime = QApplication::clipboard()->mimeData();
    QVERIFY(mime != nullptr);
    QVERIFY(mime->hasImage());
    QVERIFY(!qvariant_cast<QImage>(mime->imageData()).isNull());
    const QByteArray svg = mime->data(QStringLiteral("image/svg+xml"));
    QVERIFY(svg.contains("<svg"));
    QVERIFY(svg.contains(">cat</text>"));
}

void TestExportController::nothingToExport()
{
    SelectionState selection;
    auto view = ViewFactory::create(QStringLiteral("arcs"), &selection);
    QWidget window;
    ExportController controller(&window);
    controller.setInteractive(false);
    QSignalSpy failed(&controller, &ExportController::failed);
    controller.exportView(view.get());
    controller.exportData(view.get());
    QCOMPARE(failed.size(), 2);
    QVERIFY(failed.front().front().toString().contains(QLatin1String("Nothing to export")));
}

QTEST_MAIN(TestExportController)
#include "test_exportcontroller.moc"
