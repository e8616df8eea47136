// What the window remembers between runs: text, colour map, current view, side view, last model.
#include "shell/inputpanel.h"
#include "shell/mainwindow.h"
#include "shell/presentationmode.h"
#include "state/selectionstate.h"
#include "shell/sessionsettings.h"
#include "shell/sideviewdock.h"

#include <QCoreApplication>
#include <QPlainTextEdit>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>

using namespace attnviz;

class TestSessionSettings : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // never touch the user's settings
        QCoreApplication::setOrganizationName(QStringLiteral("AttnVizTest"));
        QCoreApplication::setApplicationName(QStringLiteral("test_ui_sessionsettings"));
        QSettings().clear();
    }

    void roundTrip()
    {
        {
            MainWindow first(nullptr, true);
            first.setDialogsEnabled(false);
            QCOMPARE(first.inputPanel()->textEdit()->toPlainText(), MainWindow::defaultText()); // fresh start
            first.setText(QStringLiteral("hello there"));
            first.selection()->setColorMap(ColorMapKind::Magma);
            first.selection()->setGridBadges(GridBadges::LogitAttribution);
            QVERIFY(first.setCurrentView(QStringLiteral("arcs")));
            QVERIFY(first.sideViewDock()->setViewName(QStringLiteral("model")));
            first.show();
            first.close(); // saves
        }
        MainWindow second(nullptr, true);
        QCOMPARE(second.inputPanel()->textEdit()->toPlainText(), QStringLiteral("hello there"));
        QCOMPARE(second.selection()->colorMap(), ColorMapKind::Magma);
        QCOMPARE(second.selection()->gridBadges(), GridBadges::LogitAttribution);
        QCOMPARE(second.currentViewName(), QStringLiteral("arcs"));
        QCOMPARE(second.sideViewDock()->viewName(), QStringLiteral("model"));
    }

    void savesOnChangeWithoutQuitting()
    {
        // A killed app never reaches closeEvent: the settings must already be on disk.
        QSettings().clear();
        MainWindow window(nullptr, true);
        window.setDialogsEnabled(false);
        window.show();
        QPlainTextEdit* edit = window.inputPanel()->textEdit();
        edit->clear();
        QTest::keyClicks(edit, QStringLiteral("typed, never quit"));
        window.selection()->setColorMap(ColorMapKind::Cividis);
        QVERIFY(window.setCurrentView(QStringLiteral("model")));
        QTRY_COMPARE_WITH_TIMEOUT(QSettings().value(QStringLiteral("input/text")).toString(),
                                  QStringLiteral("typed, never quit"), 5000);
        QCOMPARE(QSettings().value(QStringLiteral("view/colorMap")).toString(), QStringLiteral("cividis"));
        QCOMPARE(QSettings().value(QStringLiteral("view/current")).toString(), QStringLiteral("model"));
        QVERIFY(window.sideViewDock()->setViewName(QStringLiteral("chart")));
        QTRY_COMPARE_WITH_TIMEOUT(QSettings().value(QStringLiteral("view/side")).toString(), QStringLiteral("chart"),
                                  5000);
        // Typing alone, with no other change to carry it along.
        QTest::keyClicks(edit, QStringLiteral(" again"));
        QTRY_COMPARE_WITH_TIMEOUT(QSettings().value(QStringLiteral("input/text")).toString(),
                                  QStringLiteral("typed, never quit again"), 5000);
    }

    void resizeIsSavedWithoutQuitting()
    {
        // Moving the window to its place and size is a setting too; a killed app must keep it.
        QSettings().clear();
        QByteArray saved;
        {
            MainWindow window(nullptr, true);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.resize(900, 610);
            QTRY_VERIFY_WITH_TIMEOUT(
                QSettings().value(QStringLiteral("window/geometry")).toByteArray() == window.saveGeometry(), 5000);
            saved = QSettings().value(QStringLiteral("window/geometry")).toByteArray();
        } // no closeEvent: the window is destroyed without being closed, as a killed app would be
        QWidget probe;
        QVERIFY(probe.restoreGeometry(saved));
        QCOMPARE(probe.size(), QSize(900, 610));
    }

    void presentingIsNotSaved()
    {
        // Quitting (or an autosave) while presenting keeps the window as it was outside it.
        QSettings().clear();
        QByteArray state;
        {
            MainWindow window(nullptr, true);
            window.resize(1000, 640);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            state = window.saveState();
            window.presentationMode()->setActive(true);
            QTRY_VERIFY(window.isFullScreen());
            window.close(); // saves
        }
        QCOMPARE(QSettings().value(QStringLiteral("window/state")).toByteArray(), state);
        MainWindow second(nullptr, true);
        second.show();
        QVERIFY(QTest::qWaitForWindowExposed(&second));
        QVERIFY(!second.isFullScreen());
        QCOMPARE(second.size(), QSize(1000, 640));
    }

    void withoutSettingsNothingIsRead()
    {
        MainWindow window(nullptr, false);
        QVERIFY(window.inputPanel()->textEdit()->toPlainText().isEmpty());
        QCOMPARE(window.selection()->colorMap(), ColorMapKind::Viridis);
    }

    void cleanupTestCase() { QSettings().clear(); }
};

QTEST_MAIN(TestSessionSettings)
#include "test_sessionsettings.moc"
