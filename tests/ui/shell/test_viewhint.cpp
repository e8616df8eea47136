// The first-run hint over the views: shown on first run, closed for good with its button
// (remembered in the settings at once), never shown by windows without settings.
#include "shell/mainwindow.h"
#include "shell/presentationmode.h"
#include "shell/viewhint.h"

#include <QCoreApplication>
#include <QDir>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>
#include <QToolButton>

using namespace attnviz;

class TestViewHint : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // never touch the user's settings
        QCoreApplication::setOrganizationName(QStringLiteral("AttnVizTest"));
        QCoreApplication::setApplicationName(QStringLiteral("test_ui_viewhint"));
        QSettings().clear();
    }

    void shownUntilClosed()
    {
        {
            MainWindow first(nullptr, true);
            first.show();
            QVERIFY(QTest::qWaitForWindowExposed(&first));
            QVERIFY(first.setCurrentView(QStringLiteral("heatmap")));
            ViewHint* hint = first.viewHint();
            QVERIFY(hint->isVisible());
            QVERIFY2(hint->text().startsWith(QStringLiteral("Rows are queries")), qPrintable(hint->text()));
            if (qEnvironmentVariableIsSet("ATTNVIZ_TEST_SAVE_IMAGES"))
                first.grab().save(QDir::temp().filePath(QStringLiteral("attnviz-hint.png")));
            QTest::mouseClick(hint->closeButton(), Qt::LeftButton);
            QVERIFY(!hint->isVisible());
            // Written at once: a killed app keeps it too.
            QVERIFY(QSettings().value(QStringLiteral("hints/dismissed")).toStringList().contains(
                QStringLiteral("heatmap")));
            QVERIFY(first.setCurrentView(QStringLiteral("arcs"))); // each view has its own hint
            QVERIFY(hint->isVisible());
            QCOMPARE(hint->text(), ViewHint::textFor(QStringLiteral("arcs")));
            QVERIFY(first.setCurrentView(QStringLiteral("heatmap")));
            QVERIFY(!hint->isVisible());
        }
        MainWindow second(nullptr, true);
        second.show();
        QVERIFY(QTest::qWaitForWindowExposed(&second));
        QVERIFY(second.setCurrentView(QStringLiteral("heatmap")));
        QVERIFY(!second.viewHint()->isVisible());
        QVERIFY(second.setCurrentView(QStringLiteral("arcs")));
        QVERIFY(second.viewHint()->isVisible());
    }

    void everyViewHasAHint()
    {
        for (const QString& view : {QStringLiteral("heatmap"), QStringLiteral("arcs"), QStringLiteral("model"),
                                    QStringLiteral("pipeline"), QStringLiteral("chart")}) {
            QVERIFY2(!ViewHint::textFor(view).isEmpty(), qPrintable(view));
        }
    }

    void neverWithoutSettings()
    {
        QSettings().clear();
        MainWindow window(nullptr, false); // tests and screenshots
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(!window.viewHint()->isVisible());
        window.viewHint()->setActive(true); // unless a test asks for it
        QVERIFY(window.viewHint()->isVisible());
        window.presentationMode()->setActive(true); // presenting shows the view alone
        QVERIFY(!window.viewHint()->isVisible());
        QVERIFY(window.setCurrentView(QStringLiteral("arcs"))); // another view, still alone
        QVERIFY(!window.viewHint()->isVisible());
        window.presentationMode()->setActive(false);
        QVERIFY(window.viewHint()->isVisible());
        QCOMPARE(window.viewHint()->text(), ViewHint::textFor(QStringLiteral("arcs")));
    }

    void cleanupTestCase() { QSettings().clear(); }
};

QTEST_MAIN(TestViewHint)
#include "test_viewhint.moc"
