// Save Session / Open Session in the real window: a state away from every default (text, layer,
// head, query, a custom mask cell, ablation, heads off, scaling, colour map, view) saved by one
// window comes back in a fresh one, with the same attention; a changed or missing model is said.
#include "session/session.h"
#include "shell/inputpanel.h"
#include "shell/mainwindow.h"
#include "shell/sideviewdock.h"
#include "shell/sessioncontroller.h"
#include "state/computeservice.h"
#include "state/selectionstate.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace attnviz;

namespace {

const QString kDecoder = QStringLiteral(ATTNVIZ_RESOURCES "/models/decoder");
const QString kText = QStringLiteral("The cat sat on the mat because it was tired.");

std::unique_ptr<MainWindow> newWindow()
{
    auto window = std::make_unique<MainWindow>(nullptr, false);
    window->setDialogsEnabled(false);
    window->resize(1200, 800);
    window->show();
    return window;
}

// Waits until the window shows the final result of whatever `action` started.
template <typename F> bool settle(MainWindow& window, F action)
{
    QSignalSpy shown(&window, &MainWindow::resultShown);
    action();
    return QTest::qWaitFor([&]() { return shown.count() >= 1 && window.computeService()->isIdle(); }, 30000);
}

bool openAndWait(MainWindow& window, const QString& path, bool* unchanged = nullptr)
{
    QSignalSpy restored(window.sessions(), &SessionController::restored);
    QSignalSpy checked(window.sessions(), &SessionController::modelChecked);
    window.sessions()->open(path);
    const bool ok = QTest::qWaitFor([&]() { return restored.count() == 1 && checked.count() == 1; }, 30000) &&
                    QTest::qWaitFor([&]() { return window.computeService()->isIdle(); }, 30000);
    if (ok && unchanged != nullptr)
        *unchanged = checked.front().front().toBool();
    return ok;
}

bool saveAndWait(MainWindow& window, const QString& path)
{
    QSignalSpy saved(window.sessions(), &SessionController::saved);
    window.sessions()->save(path);
    return QTest::qWaitFor([&]() { return saved.count() == 1; }, 30000);
}

std::vector<float> shownAttention(const MainWindow& window)
{
    const auto& data = window.result()->stacks.front().attention.data;
    return {data.begin(), data.end()};
}

} // namespace

class TestSession : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // the remembered folder goes to test settings
    }

    void restoresEveryPieceOfState()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("state.attnviz"));
        auto first = newWindow();
        SelectionState* sel = first->selection();
        QVERIFY(settle(*first, [&]() {
            first->setText(kText);
            first->openModel(QStringLiteral("builtin:decoder"));
        }));
        QVERIFY(settle(*first, [&]() { sel->setMaskMode(MaskOverride::Custom); })); // from the causal mask
        QVERIFY(settle(*first, [&]() { sel->toggleCustomMaskCell(5, 2); }));        // forbid one allowed cell
        QVERIFY(settle(*first, [&]() { sel->setHeadAblated(1, 2, true); }));
        QVERIFY(settle(*first, [&]() { sel->setScaling(false); }));
        sel->setHeadEnabled(0, false);
        sel->setLayer(2);
        sel->setHead(3);
        sel->setQueryToken(6);
        sel->setColorMap(ColorMapKind::Magma);
        sel->setMeasure(Measure::ValueWeighted);
        sel->setMergeSubwords(true);
        sel->setSentenceBlock(SentenceBlock::BToA);
        sel->setGridBadges(GridBadges::LogitAttribution);
        QVERIFY(first->sideViewDock()->setViewName(QStringLiteral("model")));
        first->sideViewDock()->show();
        QVERIFY(first->setCurrentView(QStringLiteral("arcs")));
        QVERIFY(QTest::qWaitFor([&]() { return first->computeService()->isIdle(); }, 30000));
        QCOMPARE(sel->customMask()(5, 2), std::uint8_t(0));
        QVERIFY(saveAndWait(*first, path));
        const Session saved = readSessionFile(path.toStdString());
        QVERIFY(QString::fromStdString(saved.modelHash).startsWith(QLatin1String("lanes64:")));

        // A fresh window on another model and text: everything must come from the session.
        auto second = newWindow();
        QVERIFY(settle(*second, [&]() {
            second->setText(QStringLiteral("Something else entirely."));
            second->openModel(QStringLiteral("builtin:encoder"));
        }));
        bool unchanged = false;
        QVERIFY(openAndWait(*second, path, &unchanged));
        QVERIFY2(unchanged, qPrintable(second->noticeText()));
        const SelectionState* back = second->selection();
        QCOMPARE(second->loadedModelSpec(), QStringLiteral("builtin:decoder"));
        QCOMPARE(second->inputPanel()->text(), kText);
        QCOMPARE(second->currentViewName(), QStringLiteral("arcs"));
        QCOMPARE(back->layer(), 2);
        QCOMPARE(back->head(), 3);
        QCOMPARE(back->queryToken(), 6);
        QCOMPARE(back->maskMode(), MaskOverride::Custom);
        QVERIFY(back->customMask().rows() > 6);
        QVERIFY(back->customMask() == sel->customMask());
        QCOMPARE(back->customMask()(5, 2), std::uint8_t(0));
        QVERIFY(back->customMaskRowIds() == sel->customMaskRowIds());
        QVERIFY(back->scalingOverridden());
        QVERIFY(!back->scaling());
        QVERIFY(back->isHeadAblated(1, 2));
        QCOMPARE(int(back->ablatedHeads().size()), 1);
        QVERIFY(!back->isHeadEnabled(0));
        QVERIFY(back->isHeadEnabled(1));
        QCOMPARE(back->colorMap(), ColorMapKind::Magma);
        QCOMPARE(back->measure(), Measure::ValueWeighted);
        QVERIFY(back->mergeSubwords());
        QCOMPARE(back->sentenceBlock(), SentenceBlock::BToA);
        QCOMPARE(back->gridBadges(), GridBadges::LogitAttribution);
        QVERIFY(!second->sideViewDock()->isHidden());
        QCOMPARE(second->sideViewDock()->viewName(), QStringLiteral("model"));
        // The same inputs give the same numbers: the custom cell, the ablation and ÷√d_k off all ran.
        QVERIFY(shownAttention(*second) == shownAttention(*first));
        Session now = second->sessions()->currentSession();
        now.modelHash = saved.modelHash;
        QVERIFY(now == saved);
        QVERIFY2(!second->noticeText().contains(QLatin1String("changed")), qPrintable(second->noticeText()));
    }

    void warnsWhenTheModelChanged()
    {
        QTemporaryDir dir;
        const QString model = dir.filePath(QStringLiteral("decoder"));
        QVERIFY(QDir().mkpath(model));
        for (const QString name : {"config.json", "model.safetensors", "tokenizer.json"})
            QVERIFY(QFile::copy(kDecoder + QLatin1Char('/') + name, model + QLatin1Char('/') + name));
        auto window = newWindow();
        QVERIFY(settle(*window, [&]() {
            window->setText(kText);
            window->openModel(model);
        }));
        const QString path = dir.filePath(QStringLiteral("copy.attnviz"));
        QVERIFY(saveAndWait(*window, path));
        bool unchanged = false;
        QVERIFY(openAndWait(*window, path, &unchanged));
        QVERIFY(unchanged);
        // A re-exported model: one weight byte differs, the size is the same.
        QFile weights(model + QStringLiteral("/model.safetensors"));
        QVERIFY(weights.open(QIODevice::ReadWrite));
        QVERIFY(weights.seek(weights.size() - 100));
        QVERIFY(weights.putChar('\x7f'));
        weights.close();
        auto fresh = newWindow();
        QSignalSpy warnings(fresh->sessions(), &SessionController::warning);
        QVERIFY(openAndWait(*fresh, path, &unchanged));
        QVERIFY(!unchanged);
        QCOMPARE(warnings.count(), 1);
        QVERIFY2(fresh->noticeText().contains(QLatin1String("changed since the session was saved")),
                 qPrintable(fresh->noticeText()));
        QCOMPARE(fresh->inputPanel()->text(), kText); // restored all the same
    }

    void missingModelIsSaidAndNothingChanges()
    {
        QTemporaryDir dir;
        Session s;
        s.model = dir.filePath(QStringLiteral("gone")).toStdString();
        s.text = "never shown";
        const QString path = dir.filePath(QStringLiteral("gone.attnviz"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray::fromStdString(sessionToJson(s)));
        f.close();
        auto window = newWindow();
        QVERIFY(settle(*window, [&]() {
            window->setText(kText);
            window->openModel(QStringLiteral("builtin:decoder"));
        }));
        QSignalSpy failed(window->sessions(), &SessionController::failed);
        window->sessions()->open(path);
        QCOMPARE(failed.count(), 1);
        QVERIFY2(failed.front().front().toString().contains(QLatin1String("missing")),
                 qPrintable(failed.front().front().toString()));
        QCOMPARE(window->inputPanel()->text(), kText);
        QCOMPARE(window->loadedModelSpec(), QStringLiteral("builtin:decoder"));
        // A file that is not a session is refused the same way.
        window->sessions()->open(kDecoder + QStringLiteral("/config.json"));
        QCOMPARE(failed.count(), 2);
        QVERIFY(failed.back().front().toString().contains(QLatin1String("not an AttnViz session")));
    }
};

QTEST_MAIN(TestSession)
#include "test_session.moc"
