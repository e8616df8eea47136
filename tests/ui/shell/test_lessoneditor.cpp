// The lesson editor on a real window: editing a W_Q cell recomputes every view with exactly the
// core's numbers for the edited lesson, Reset restores them, bad entries are refused, the selection
// stays, and the editor is off for models that are not lessons.
#include "attention/lesson.h"
#include "registry/modelregistry.h"
#include "attention/lessonwriter.h"
#include "state/computeservice.h"
#include "views/heatmap/heatmapview.h"
#include "lessons/lessoneditor.h"
#include "lessons/lessonmatrixmodel.h"
#include "shell/mainwindow.h"
#include "state/selectionstate.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace attnviz;

namespace {

const QString kLesson = QStringLiteral(ATTNVIZ_RESOURCES "/lessons/two-heads-causal.json");

Matrix coreWeights(const Lesson& lesson, int head)
{
    return runLesson(lesson).heads[static_cast<std::size_t>(head)].weights;
}

} // namespace

class TestLessonEditor : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<MainWindow> m_window;
    LessonEditor* m_editor = nullptr;

    template <typename F> void rerun(F action)
    {
        QSignalSpy shown(m_window.get(), &MainWindow::resultShown);
        action();
        QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 1 && m_window->computeService()->isIdle(), 20000);
    }

    Matrix shownWeights() const { return m_window->heatmapView()->data().values; }

    // Picks head 0's W_Q in the combo box.
    void chooseWq()
    {
        const int i = m_editor->matrixChoice()->findText(QStringLiteral("W_Q"), Qt::MatchContains);
        QVERIFY(i >= 0);
        m_editor->matrixChoice()->setCurrentIndex(i);
        QCOMPARE(m_editor->matrixModel()->matrix(), m_editor->lesson().heads[0].wq);
    }

private slots:
    void initTestCase()
    {
        m_window = std::make_unique<MainWindow>(nullptr, false);
        m_window->setDialogsEnabled(false);
        m_window->resize(1200, 800);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_editor = m_window->lessonEditor();
        QVERIFY(m_editor);
        rerun([&]() { m_window->openModel(kLesson); });
        QVERIFY(m_editor->hasLesson());
        m_editor->toggleViewAction()->trigger();
        QVERIFY(m_editor->isVisible());
    }

    void modelPassesTheTester()
    {
        QAbstractItemModelTester tester(m_editor->matrixModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        for (int i = 0; i < m_editor->matrixChoice()->count(); ++i)
            m_editor->matrixChoice()->setCurrentIndex(i);
        // X, then W_Q/W_K/W_V of two heads, then W_O and the mask.
        QCOMPARE(m_editor->matrixChoice()->count(), 9);
    }

    void editRecomputesLive()
    {
        m_window->selection()->setQueryToken(2); // the selection must survive the edit
        chooseWq();
        const Matrix before = shownWeights();
        QVERIFY(before.isApprox(coreWeights(m_editor->originalLesson(), 0)));
        const QModelIndex cell = m_editor->matrixModel()->index(1, 0);
        rerun([&]() { QVERIFY(m_editor->matrixModel()->setData(cell, QStringLiteral("3.25"))); });

        Lesson edited = m_editor->originalLesson();
        edited.heads[0].wq(1, 0) = 3.25f;
        QCOMPARE(m_editor->lesson().heads[0].wq, edited.heads[0].wq);
        const Matrix after = shownWeights();
        QCOMPARE(after, coreWeights(edited, 0)); // the same arithmetic, so exactly equal
        QVERIFY((after - before).cwiseAbs().maxCoeff() > 1e-3f);
        QCOMPARE(m_window->selection()->queryToken(), 2);
        QCOMPARE(m_window->computeService()->modelSpec(), m_window->loadedModelSpec());
    }

    void badEntryIsRefused()
    {
        chooseWq();
        const Matrix before = shownWeights();
        const auto result = m_window->result();
        QSignalSpy rejected(m_editor->matrixModel(), &LessonMatrixModel::editRejected);
        const QModelIndex cell = m_editor->matrixModel()->index(0, 0);
        for (const QString& bad : {QStringLiteral("abc"), QStringLiteral(""), QStringLiteral("inf"),
                                  QStringLiteral("nan"), QStringLiteral("1e39")}) {
            QVERIFY2(!m_editor->matrixModel()->setData(cell, bad), qPrintable(bad));
        }
        QCOMPARE(rejected.count(), 5);
        QVERIFY(m_editor->message().contains(QStringLiteral("not")));
        QTest::qWait(400); // longer than the debounce: nothing may run
        QVERIFY(m_window->computeService()->isIdle());
        QCOMPARE(m_window->result(), result);
        QCOMPARE(shownWeights(), before);
        QCOMPARE(m_editor->lesson().heads[0].wq, m_editor->matrixModel()->matrix());
    }

    void saveWritesTheEditedLesson()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("edited.json"));
        QString error;
        QVERIFY2(m_editor->saveTo(path, &error), qPrintable(error));
        const Lesson saved = loadLesson(path.toStdString());
        QCOMPARE(saved.heads[0].wq, m_editor->lesson().heads[0].wq);
        QCOMPARE(lessonToJson(saved), lessonToJson(m_editor->lesson()));
    }

    void resetRestoresTheLesson()
    {
        rerun([&]() { m_editor->reset(); });
        QCOMPARE(m_editor->lesson().heads[0].wq, m_editor->originalLesson().heads[0].wq);
        QCOMPARE(m_editor->matrixModel()->matrix(), m_editor->originalLesson().heads[0].wq);
        QCOMPARE(shownWeights(), coreWeights(m_editor->originalLesson(), 0));
    }

    void offForOtherModels()
    {
        rerun([&]() { m_window->openModel(QStringLiteral("builtin:decoder")); });
        QVERIFY(!m_editor->hasLesson());
        QVERIFY(!m_editor->isVisible());
        QVERIFY(!m_editor->tabs()->isEnabled());
        QVERIFY(m_editor->toggleViewAction()->isEnabled()); // New and Open work without a lesson
        // Back to a lesson: the editor returns as the user left it.
        rerun([&]() { m_window->openModel(kLesson); });
        QVERIFY(m_editor->hasLesson());
        QVERIFY(m_editor->isVisible());
    }
};

QTEST_MAIN(TestLessonEditor)
#include "test_lessoneditor.moc"
