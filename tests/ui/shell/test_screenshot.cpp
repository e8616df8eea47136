// The attnviz executable's command line: --screenshot writes the window and exits 0; a model that
// cannot be opened exits non-zero with a message.
#include "imagecontent.h"

#include <QFile>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestScreenshot : public QObject
{
    Q_OBJECT
private:
    static QProcessEnvironment offscreen()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        return env;
    }

private slots:
    // Each --view gives a full window whose view area holds that view: a drawing (many colours)
    // that differs from every other view's.
    void savesTheWindow()
    {
        QTemporaryDir dir;
        QList<QImage> views;
        for (const char* view : {"heatmap", "arcs", "model", "pipeline", "chart"}) {
            const QString file = dir.filePath(QStringLiteral("%1.png").arg(QLatin1String(view)));
            QProcess app;
            app.setProcessEnvironment(offscreen());
            app.start(QStringLiteral(ATTNVIZ_APP),
                      {QStringLiteral("--model"), QStringLiteral(ATTNVIZ_RESOURCES "/lessons/two-heads-causal.json"),
                       QStringLiteral("--view"), QLatin1String(view), QStringLiteral("--head"), QStringLiteral("1"),
                       QStringLiteral("--screenshot"), file});
            QVERIFY(app.waitForFinished(60000));
            QCOMPARE(app.exitStatus(), QProcess::NormalExit);
            QVERIFY2(app.exitCode() == 0, app.readAllStandardError().constData());
            const QImage image(file);
            QCOMPARE(image.size(), QSize(1280, 820));
            // The lower two thirds: below the input panel, inside the view tabs.
            const QImage viewArea = image.copy(0, image.height() / 3, image.width(), image.height() * 2 / 3 - 30);
            const attnviz::testdata::ImageContent content = attnviz::testdata::imageContent(viewArea);
            QVERIFY2(content.colours >= 32 && content.drawn >= 0.01,
                     qPrintable(QStringLiteral("%1: %2 colours, %3 drawn").arg(QLatin1String(view)).arg(content.colours).arg(content.drawn)));
            for (const QImage& other : views)
                QVERIFY2(viewArea != other, view);
            views << viewArea;
        }
    }

    void failsOnABadModel()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("shot.png"));
        QProcess app;
        app.setProcessEnvironment(offscreen());
        app.start(QStringLiteral(ATTNVIZ_APP), {QStringLiteral("--model"), QStringLiteral("/no/such/model.bin"),
                                                QStringLiteral("--screenshot"), file});
        QVERIFY(app.waitForFinished(60000));
        QVERIFY(app.exitCode() != 0);
        QVERIFY(app.readAllStandardError().contains("/no/such/model.bin"));
        QVERIFY(!QFile::exists(file));
    }

    void helpNeedsNoDisplay_data()
    {
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("expected");
        QTest::newRow("help") << QStringLiteral("--help") << QStringLiteral("--model");
        QTest::newRow("version") << QStringLiteral("--version") << QStringLiteral(ATTNVIZ_VERSION);
    }
    void helpNeedsNoDisplay()
    {
        // The xcb platform with no X server is what an ssh session or a script sees.
        QFETCH(QString, option);
        QFETCH(QString, expected);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        QProcess app;
        app.setProcessEnvironment(env);
        app.start(QStringLiteral(ATTNVIZ_APP), {option});
        QVERIFY(app.waitForFinished(30000));
        QCOMPARE(app.exitStatus(), QProcess::NormalExit);
        QVERIFY2(app.exitCode() == 0, app.readAllStandardError().constData());
        QVERIFY(QString::fromUtf8(app.readAllStandardOutput()).contains(expected));
    }

    // A .attnviz argument opens the session: its state is on the picture, not the defaults; a
    // session that cannot be restored, or one given with options it sets, exits non-zero.
    void opensASession()
    {
        QTemporaryDir dir;
        const auto run = [&](const QStringList& args, QString* err = nullptr) {
            QProcess app;
            app.setProcessEnvironment(offscreen());
            app.start(QStringLiteral(ATTNVIZ_APP), args);
            const bool finished = app.waitForFinished(60000);
            if (err != nullptr)
                *err = QString::fromUtf8(app.readAllStandardError());
            return finished && app.exitStatus() == QProcess::NormalExit ? app.exitCode() : -1;
        };
        const QString session = QStringLiteral(ATTNVIZ_TEST_DATA "/sessions/decoder-custom-mask.attnviz");
        QString err;
        QCOMPARE(run({session, QStringLiteral("--screenshot"), dir.filePath(QStringLiteral("s.png"))}, &err), 0);
        QCOMPARE(run({QStringLiteral("--model"), QStringLiteral("builtin:decoder"), QStringLiteral("--text"),
                      QStringLiteral("The cat sat on the mat."), QStringLiteral("--screenshot"),
                      dir.filePath(QStringLiteral("plain.png"))}),
                 0);
        const QImage restored(dir.filePath(QStringLiteral("s.png")));
        const QImage plain(dir.filePath(QStringLiteral("plain.png")));
        QCOMPARE(restored.size(), QSize(1280, 820));
        const QRect views(0, restored.height() / 3, restored.width(), restored.height() * 2 / 3 - 30);
        QVERIFY(attnviz::testdata::imageContent(restored.copy(views)).colours >= 32);
        QVERIFY2(restored.copy(views) != plain.copy(views), "the session's layer, head and colours must show");

        QFile gone(dir.filePath(QStringLiteral("gone.attnviz")));
        QVERIFY(gone.open(QIODevice::WriteOnly));
        gone.write(R"({"format": "attnviz-session", "version": 1, "model": {"spec": "no-such-model"}})");
        gone.close();
        const QString never = dir.filePath(QStringLiteral("x.png"));
        QVERIFY(run({gone.fileName(), QStringLiteral("--screenshot"), never}, &err) != 0);
        QVERIFY2(err.contains(QLatin1String("no-such-model")), qPrintable(err));
        QVERIFY(!QFile::exists(never));
        QVERIFY(run({session, QStringLiteral("--layer"), QStringLiteral("1")}, &err) != 0);
        QVERIFY2(err.contains(QLatin1String("cannot be combined")), qPrintable(err));
        QVERIFY(run({QStringLiteral("notes.txt")}, &err) != 0);
        QVERIFY2(err.contains(QLatin1String(".attnviz")), qPrintable(err));
    }

    void rejectsAnUnknownView()
    {
        QProcess app;
        app.setProcessEnvironment(offscreen());
        app.start(QStringLiteral(ATTNVIZ_APP), {QStringLiteral("--view"), QStringLiteral("nonsense"),
                                                QStringLiteral("--screenshot"), QStringLiteral("/tmp/never.png")});
        QVERIFY(app.waitForFinished(60000));
        QVERIFY(app.exitCode() != 0);
        QVERIFY(app.readAllStandardError().contains("nonsense"));
    }
};

QTEST_GUILESS_MAIN(TestScreenshot)
#include "test_screenshot.moc"
