// Making lessons in the app (issue 17 §2), on a real window: a textbook worked example built in
// the editor alone from New, shape edits (tokens, d_model, d_k, heads, W_O, a source sequence,
// mask cells, ÷√d_k) that every view follows, refused values with the loader's reasons, Save /
// Open / Duplicate with an exact round trip, the Save / Discard / Cancel question before edits are
// lost, and a lesson made from a head of the built-in decoder. With ATTNVIZ_GALLERY set, keeps
// pictures of the editor there (1280x800 and 1920x1080, light and dark) for the README.
#include "../../matrixrows.h"
#include "attention/lessonedit.h"
#include "attention/lessonwriter.h"
#include "engine/lessonmodel.h"
#include "export/viewstylescope.h"
#include "lessons/headsample.h"
#include "lessons/lessondocument.h"
#include "lessons/lessoneditor.h"
#include "lessons/lessonfileactions.h"
#include "lessons/lessonmaskmodel.h"
#include "lessons/lessonmatrixmodel.h"
#include "lessons/lessonshapepanel.h"
#include "lessons/lessontokenmodel.h"
#include "lessons/makelessondialog.h"
#include "shell/inputpanel.h"
#include "shell/mainwindow.h"
#include "shell/sessioncontroller.h"
#include "state/computeservice.h"
#include "state/runrequestbuilder.h"
#include "state/selectionstate.h"
#include "views/heatmap/heatmapview.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QGroupBox>
#include <QPushButton>
#include <QLineEdit>
#include <QMessageBox>
#include <QTimer>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStyleFactory>
#include <QTableView>
#include <QTabWidget>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstring>

using namespace attnviz;

namespace {

using Decision = LessonFileActions::Decision;

using testdata::rows;

template <typename M> bool sameBits(const M& a, const M& b)
{
    return a.rows() == b.rows() && a.cols() == b.cols() &&
           std::memcmp(a.data(), b.data(), sizeof(typename M::Scalar) * static_cast<std::size_t>(a.size())) == 0;
}

// The worked example, with numbers chosen for this test: three tokens, d_model 3, one head d_k 2.
const std::vector<std::string> kTokens = {"Thinking", "Machines", "Learn"};
const Matrix kX = rows({{1, 0, 1}, {0, 2, 0}, {1, 1, 0}});
const Matrix kWq = rows({{1, 0}, {0, 1}, {1, 1}});
const Matrix kWk = rows({{0, 1}, {1, 0}, {0.5f, 1}});
const Matrix kWv = rows({{1, 2}, {0, 1}, {2, 0}});

// softmax(Q·Kᵀ / √d_k) row by row, from the formula (not from the core).
Matrix expectedWeights()
{
    const Matrix q = kX * kWq;
    const Matrix k = kX * kWk;
    Matrix w(3, 3);
    for (Index i = 0; i < 3; ++i) {
        double sum = 0;
        double e[3];
        for (Index j = 0; j < 3; ++j) {
            const double score = (q(i, 0) * k(j, 0) + q(i, 1) * k(j, 1)) / std::sqrt(2.0);
            sum += e[j] = std::exp(score);
        }
        for (Index j = 0; j < 3; ++j) w(i, j) = float(e[j] / sum);
    }
    return w;
}

} // namespace

class TestLessonStudio : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<MainWindow> m_window;
    LessonEditor* m_editor = nullptr;
    int m_asked = 0;
    int m_interactions = 0; // of the teacher in the worked example

    template <typename F> void rerun(F action)
    {
        QSignalSpy shown(m_window.get(), &MainWindow::resultShown);
        action();
        QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 1 && m_window->computeService()->isIdle(), 20000);
    }

    void answer(Decision d)
    {
        m_editor->fileActions()->setDecisionHook([this, d](const QString&) {
            ++m_asked;
            return d;
        });
    }

    Matrix shownWeights() const { return m_window->heatmapView()->data().values; }

    // One typed entry, counted.
    void type(QAbstractItemModel* model, int row, int column, const QString& text)
    {
        QVERIFY2(model->setData(model->index(row, column), text), qPrintable(text));
        ++m_interactions;
    }

    void typeMatrix(const QString& name, const Matrix& m)
    {
        QVERIFY(m_editor->choose(name));
        ++m_interactions;
        for (Index i = 0; i < m.rows(); ++i) {
            for (Index j = 0; j < m.cols(); ++j)
                type(m_editor->matrixModel(), int(i), int(j), QString::number(m(i, j)));
        }
    }

    void newLesson()
    {
        rerun([&]() { m_editor->fileActions()->newAction()->trigger(); });
        QVERIFY(m_editor->hasLesson());
    }

private slots:
    void init()
    {
        m_window = std::make_unique<MainWindow>(nullptr, false);
        m_window->setDialogsEnabled(false);
        m_window->resize(1280, 800);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_editor = m_window->lessonEditor();
        m_asked = 0;
        answer(Decision::Cancel); // a test that meets the question unexpectedly fails, never blocks
    }

    void cleanup()
    {
        answer(Decision::Discard);
        m_window.reset();
    }

    void newGivesTheSmallExample()
    {
        QVERIFY(!m_editor->hasLesson());
        newLesson();
        QVERIFY(m_editor->isVisible());
        const Lesson& l = m_editor->lesson();
        QCOMPARE(l.tokens.size(), std::size_t(3));
        QCOMPARE(l.embeddings.cols(), Index(3));
        QCOMPARE(l.heads.size(), std::size_t(1));
        QCOMPARE(l.heads[0].wq.cols(), Index(2));
        QVERIFY(!m_editor->document()->isModified()); // nothing typed, nothing to lose
        QCOMPARE(shownWeights(), runLesson(l).heads[0].weights);
        QAbstractItemModelTester tokens(m_editor->shapePanel()->tokenModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester mask(m_editor->maskModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(m_editor->choose(QStringLiteral("Mask")));
        QCOMPARE(m_editor->table()->model(), m_editor->maskModel());
    }

    // "Done when": a teacher rebuilds a textbook example in the editor, without a file.
    void textbookWorkedExample()
    {
        m_interactions = 0;
        newLesson();
        ++m_interactions;
        LessonTokenModel* tokens = m_editor->shapePanel()->tokenModel();
        for (int i = 0; i < 3; ++i)
            type(tokens, i, 0, QString::fromStdString(kTokens[std::size_t(i)]));
        // New already has 3 tokens x 3 dimensions and one head of d_k = d_v = 2: only numbers to type.
        typeMatrix(QStringLiteral("Token embeddings"), kX);
        typeMatrix(QStringLiteral("W_Q"), kWq);
        typeMatrix(QStringLiteral("W_K"), kWk);
        // The last matrix through the table's own delegate, the path a typed cell takes on Return.
        QVERIFY(m_editor->choose(QStringLiteral("W_V")));
        ++m_interactions;
        m_editor->tabs()->setCurrentIndex(1);
        QTableView* table = m_editor->table();
        for (Index i = 0; i < kWv.rows(); ++i) {
            for (Index j = 0; j < kWv.cols(); ++j) {
                const QModelIndex cell = m_editor->matrixModel()->index(int(i), int(j));
                QLineEdit typed;
                typed.setText(QString::number(kWv(i, j)));
                table->itemDelegate()->setModelData(&typed, m_editor->matrixModel(), cell);
                ++m_interactions;
            }
        }
        QTRY_VERIFY_WITH_TIMEOUT(m_window->computeService()->isIdle() &&
                                     m_window->result() && m_window->result()->tokens.size() == 3 &&
                                     m_window->result()->tokens[0].display == kTokens[0] &&
                                     sameBits(shownWeights(), runLesson(m_editor->lesson()).heads[0].weights),
                                 20000);

        const Lesson& l = m_editor->lesson();
        QCOMPARE(l.tokens, kTokens);
        QCOMPARE(l.embeddings, kX);
        QCOMPARE(l.heads[0].wq, kWq);
        QCOMPARE(l.heads[0].wk, kWk);
        QCOMPARE(l.heads[0].wv, kWv);
        const Matrix expected = expectedWeights();
        const Matrix shown = shownWeights();
        QVERIFY2((shown - expected).cwiseAbs().maxCoeff() < 1e-6f, "the heatmap shows the hand-computed softmax");
        // Row 0 by hand: q = (2, 1), k = (0.5, 2), (2, 0), (1, 1) -> scores 3, 4, 3 (÷√2).
        const double e3 = std::exp(3 / std::sqrt(2.0)), e4 = std::exp(4 / std::sqrt(2.0));
        QVERIFY(std::abs(shown(0, 1) - e4 / (2 * e3 + e4)) < 1e-6);
        QVERIFY(std::abs(shown(0, 0) - e3 / (2 * e3 + e4)) < 1e-6);
        const Matrix output = runLesson(l).heads[0].output;
        QVERIFY((output - expected * (kX * kWv)).cwiseAbs().maxCoeff() < 1e-5f);
        QVERIFY(m_editor->document()->isModified());
        // New + 3 names + 4 matrices chosen + 27 numbers: well under two minutes of typing.
        QCOMPARE(m_interactions, 35);
        qInfo("worked example: %d interactions", m_interactions);
    }

    void shapeEditsReachEveryView()
    {
        newLesson();
        LessonShapePanel* shape = m_editor->shapePanel();
        m_editor->shapePanel()->tokenModel()->setData(shape->tokenModel()->index(0, 0), QStringLiteral("cat"));
        rerun([&]() { shape->addToken(); });
        QCOMPARE(m_editor->lesson().tokens.size(), std::size_t(4));
        QCOMPARE(m_window->selection()->queryCount(), 4);
        QCOMPARE(m_window->result()->tokens[0].display, std::string("cat"));
        QCOMPARE(m_editor->lesson().embeddings.rows(), Index(4));

        rerun([&]() { shape->modelDimension()->setValue(5); });
        QCOMPARE(m_editor->lesson().embeddings.cols(), Index(5));
        QCOMPARE(m_editor->lesson().heads[0].wq.rows(), Index(5));
        QVERIFY(m_editor->choose(QStringLiteral("Token embeddings")));
        QCOMPARE(m_editor->matrixModel()->columnCount(), 5);
        QCOMPARE(m_editor->matrixModel()->rowCount(), 4);

        rerun([&]() { shape->keyDimension()->setValue(3); });
        QCOMPARE(m_editor->lesson().heads[0].wk.cols(), Index(3));
        rerun([&]() { shape->addHead(); });
        QCOMPARE(m_window->selection()->headCount(), 2);
        rerun([&]() { shape->outputProjection()->setChecked(true); });
        QVERIFY(m_editor->lesson().wo.has_value());
        QCOMPARE(m_editor->lesson().wo->rows(), Index(4)); // 2 heads x d_v 2
        QVERIFY(m_editor->choose(QStringLiteral("W_O")));
        rerun([&]() { shape->valueDimension()->setValue(3); });
        QCOMPARE(m_editor->lesson().wo->rows(), Index(6));

        // A forbidden cell is a zero weight on screen.
        QVERIFY(m_editor->choose(QStringLiteral("Mask")));
        rerun([&]() {
            QVERIFY(m_editor->maskModel()->setData(m_editor->maskModel()->index(1, 2), Qt::Unchecked,
                                                  Qt::CheckStateRole));
        });
        QCOMPARE(m_editor->lesson().mask.kind, MaskKind::Custom);
        QCOMPARE(shownWeights()(1, 2), 0.0f);
        QVERIFY(shownWeights()(1, 1) > 0.0f);
        QCOMPARE(shape->maskKind()->currentData().toInt(), int(MaskKind::Custom));

        rerun([&]() { shape->scaling()->setChecked(false); });
        QVERIFY(!m_editor->lesson().scale);
        QCOMPARE(shownWeights(), runLesson(m_editor->lesson()).heads[0].weights);

        // Cross-attention: keys from a source of their own.
        rerun([&]() { shape->sourceBox()->setChecked(true); });
        rerun([&]() { shape->addSourceToken(); });
        QVERIFY(m_editor->lesson().crossAttention);
        QCOMPARE(m_editor->lesson().sourceTokens.size(), std::size_t(5));
        QCOMPARE(m_window->result()->sourceTokens.size(), std::size_t(5));
        QCOMPARE(shownWeights().cols(), Index(5));
        QVERIFY(m_editor->choose(QStringLiteral("Source embeddings")));
        QCOMPARE(m_editor->matrixModel()->rowCount(), 5);

        rerun([&]() { shape->removeToken(); });
        QCOMPARE(m_window->selection()->queryCount(), 3);
        QCOMPARE(shownWeights(), runLesson(m_editor->lesson()).heads[0].weights);
        const Lesson back = parseLesson(lessonToJson(m_editor->lesson()));
        QCOMPARE(lessonToJson(back), lessonToJson(m_editor->lesson()));
    }

    void badValuesAreRefusedWithAReason()
    {
        newLesson();
        QVERIFY(m_editor->choose(QStringLiteral("Token embeddings")));
        const float before = m_editor->lesson().embeddings(0, 1);
        for (const QString& bad : {QStringLiteral("two"), QStringLiteral("nan"), QStringLiteral("-inf"),
                                  QStringLiteral("1e40")}) {
            QVERIFY(!m_editor->matrixModel()->setData(m_editor->matrixModel()->index(0, 1), bad));
            QVERIFY2(!m_editor->message().isEmpty(), qPrintable(bad));
        }
        QVERIFY(m_editor->message().contains(QStringLiteral("finite")));
        QCOMPARE(m_editor->lesson().embeddings(0, 1), before);
        QCOMPARE(m_editor->matrixModel()->data(m_editor->matrixModel()->index(0, 1)).toString(),
                 LessonMatrixModel::formatValue(before));
        QVERIFY(!m_editor->document()->isModified());

        // Sizes: the boxes stop at the loader's bound, and what the boxes cannot stop (the products
        // of sizes) is refused with the loader's own words.
        LessonShapePanel* shape = m_editor->shapePanel();
        QCOMPARE(shape->modelDimension()->maximum(), int(LessonLimits::maxDimension));
        QCOMPARE(shape->keyDimension()->minimum(), 1);
        for (int h = 1; h < int(LessonLimits::maxHeads); ++h)
            shape->addHead();
        QCOMPARE(m_editor->lesson().heads.size(), std::size_t(LessonLimits::maxHeads));
        shape->addHead();
        QVERIFY2(m_editor->message().contains(QStringLiteral("65 heads, at most 64")), qPrintable(m_editor->message()));
        QCOMPARE(m_editor->lesson().heads.size(), std::size_t(LessonLimits::maxHeads));
        const QString reason = m_editor->document()->edit([](Lesson& l) {
            for (int t = 3; t < 400; ++t) insertToken(l, LessonSide::Queries, 0, "t");
        });
        QVERIFY2(reason.contains(QStringLiteral("at most 4194304")), qPrintable(reason));
        QCOMPARE(m_editor->lesson().tokens.size(), std::size_t(3));
        QCOMPARE(shape->tokenModel()->rowCount(), 3);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->computeService()->isIdle(), 20000);
    }

    void saveOpenAndDuplicateRoundTrip()
    {
        newLesson();
        QVERIFY(m_editor->choose(QStringLiteral("W_Q")));
        rerun([&]() { QVERIFY(m_editor->matrixModel()->setData(m_editor->matrixModel()->index(2, 1), "0.1")); });
        QVERIFY(m_editor->document()->isModified());
        QVERIFY(m_editor->windowTitle().contains(QStringLiteral("•")));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("made.json"));
        QVERIFY(m_editor->fileActions()->saveTo(path));
        QVERIFY(!m_editor->document()->isModified());
        QVERIFY(!m_editor->windowTitle().contains(QStringLiteral("•")));
        QVERIFY(m_editor->windowTitle().contains(QStringLiteral("made.json")));
        QCOMPARE(m_editor->fileActions()->lastFolder(), dir.path());
        // The new lesson now is that file: the picker, a saved session and the recent models name it.
        QCOMPARE(m_window->loadedModelSpec(), QFileInfo(path).absoluteFilePath());
        QCOMPARE(m_window->sessions()->currentSession().model, QFileInfo(path).absoluteFilePath().toStdString());
        const Lesson saved = loadLesson(path.toStdString());
        QVERIFY(sameBits(saved.heads[0].wq, m_editor->lesson().heads[0].wq));
        QCOMPARE(saved.heads[0].wq(2, 1), 0.1f);
        QCOMPARE(lessonToJson(saved), lessonToJson(m_editor->lesson()));

        // Open it again (through the editor): the file is the document's, so Save needs no dialog.
        rerun([&]() { m_window->openModel(QStringLiteral("builtin:decoder")); });
        QVERIFY(!m_editor->hasLesson());
        rerun([&]() { m_editor->fileActions()->openFile(path); });
        QVERIFY(m_editor->hasLesson());
        QCOMPARE(m_editor->document()->path(), path);
        QCOMPARE(lessonToJson(m_editor->lesson()), lessonToJson(saved));
        QVERIFY(m_editor->choose(QStringLiteral("Token embeddings")));
        rerun([&]() { QVERIFY(m_editor->matrixModel()->setData(m_editor->matrixModel()->index(0, 0), "-2.5")); });
        QVERIFY(m_editor->fileActions()->save());
        QCOMPARE(loadLesson(path.toStdString()).embeddings(0, 0), -2.5f);

        // Duplicate: a copy not saved anywhere yet, so leaving asks.
        rerun([&]() { m_editor->fileActions()->duplicateAction()->trigger(); });
        QVERIFY(m_editor->document()->path().isEmpty());
        QVERIFY(m_editor->document()->isModified());
        QVERIFY(QString::fromStdString(m_editor->lesson().title).contains(QStringLiteral("copy")));
        QCOMPARE(m_editor->lesson().embeddings, loadLesson(path.toStdString()).embeddings);
    }

    void unsavedEditsAreNeverLostSilently()
    {
        newLesson();
        QVERIFY(m_editor->choose(QStringLiteral("Token embeddings")));
        rerun([&]() { QVERIFY(m_editor->matrixModel()->setData(m_editor->matrixModel()->index(1, 2), "7")); });
        const std::string edited = lessonToJson(m_editor->lesson());

        answer(Decision::Cancel);
        m_window->openModel(QStringLiteral("builtin:decoder"));
        QCOMPARE(m_asked, 1);
        QTest::qWait(200);
        QVERIFY(m_editor->hasLesson()); // still the edited lesson
        QCOMPARE(lessonToJson(m_editor->lesson()), edited);
        QVERIFY(!m_window->close());
        QVERIFY(m_window->isVisible());
        QCOMPARE(m_asked, 2);
        m_editor->fileActions()->newAction()->trigger();
        QCOMPARE(m_asked, 3);
        QCOMPARE(lessonToJson(m_editor->lesson()), edited);

        // Save: written to the lesson's file, then the other model opens.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("kept.json"));
        QVERIFY(m_editor->fileActions()->saveTo(path));
        rerun([&]() { QVERIFY(m_editor->matrixModel()->setData(m_editor->matrixModel()->index(1, 2), "8")); });
        answer(Decision::Save);
        rerun([&]() { m_window->openModel(QStringLiteral("builtin:decoder")); });
        QCOMPARE(m_asked, 4);
        QVERIFY(!m_editor->hasLesson());
        QCOMPARE(loadLesson(path.toStdString()).embeddings(1, 2), 8.0f);

        // Discard: the window closes without a word more.
        rerun([&]() { m_editor->fileActions()->openFile(path); });
        rerun([&]() { QVERIFY(m_editor->matrixModel()->setData(m_editor->matrixModel()->index(0, 0), "9")); });
        answer(Decision::Discard);
        QVERIFY(m_window->close());
        QCOMPARE(m_asked, 5);
        QCOMPARE(loadLesson(path.toStdString()).embeddings(0, 0), m_editor->originalLesson().embeddings(0, 0));
    }

    // Without a hook the question is a real QMessageBox with Save / Discard / Cancel.
    void theQuestionIsAMessageBox()
    {
        newLesson();
        QVERIFY(m_editor->choose(QStringLiteral("W_K")));
        rerun([&]() { QVERIFY(m_editor->matrixModel()->setData(m_editor->matrixModel()->index(0, 0), "3")); });
        m_editor->fileActions()->setDecisionHook({});
        QString seen;
        QTimer::singleShot(0, this, [&seen]() {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            QVERIFY(box);
            seen = box->text();
            QVERIFY(box->button(QMessageBox::Save) && box->button(QMessageBox::Discard));
            box->button(QMessageBox::Cancel)->click();
        });
        QVERIFY(!m_editor->confirmLeave());
        QVERIFY(seen.contains(QStringLiteral("not saved")));
    }

    void lessonFromAHeadOfTheDecoder()
    {
        m_window->setText(MainWindow::defaultText());
        rerun([&]() { m_window->openModel(QStringLiteral("builtin:decoder")); });
        QVERIFY(m_window->result());
        m_window->selection()->setLayer(1);
        m_window->selection()->setHead(1);
        const RunRequest request =
            RunRequestBuilder::build(*m_window->inputPanel(), *m_window->selection(), m_window->result().get());
        QString reason;
        const std::optional<HeadSample> sample = captureHeadSample(*m_window->computeService(), request, &reason);
        QVERIFY2(sample, qPrintable(reason));
        QCOMPARE(sample->layer, 1);
        QCOMPARE(sample->head, 1);
        QCOMPARE(sample->tokens.size(), m_window->result()->tokens.size());
        QVERIFY(sample->tokens.size() > 6);

        MakeLessonDialog dialog(*sample);
        int checked = 0;
        for (QCheckBox* box : dialog.tokenBoxes()) checked += box->isChecked();
        QCOMPARE(checked, 6);
        QCOMPARE(dialog.dimensions()->value(), 4);
        std::optional<Lesson> lesson = dialog.makeLesson();
        QVERIFY2(lesson, qPrintable(dialog.message()));
        QCOMPARE(lesson->tokens.size(), std::size_t(6));
        QCOMPARE(lesson->embeddings.cols(), Index(4));
        QCOMPARE(lesson->mask.kind, MaskKind::Causal); // a decoder's head
        QVERIFY(QString::fromStdString(lesson->description).contains(QStringLiteral("approximation")));
        QVERIFY(QString::fromStdString(lesson->description).contains(QStringLiteral("PCA")));

        // Every dimension of three tokens: the lesson is the formula on the captured inputs and
        // weights themselves (the head without its biases, which a lesson has no place for).
        dialog.dimensions()->setValue(dialog.dimensions()->maximum());
        dialog.method()->setCurrentIndex(1);
        for (int i = 0; i < dialog.tokenBoxes().size(); ++i) dialog.tokenBoxes()[i]->setChecked(i < 3);
        const std::optional<Lesson> exact = dialog.makeLesson();
        QVERIFY(exact);
        QVERIFY(QString::fromStdString(exact->description).contains(QStringLiteral("largest-variance")));
        const Matrix x = sample->x.topRows(3);
        const Matrix scores = (x * sample->wq) * (x * sample->wk).transpose() / std::sqrt(float(sample->wq.cols()));
        Matrix expected = Matrix::Zero(3, 3);
        for (Index i = 0; i < 3; ++i) {
            double sum = 0;
            for (Index j = 0; j <= i; ++j) sum += std::exp(double(scores(i, j)));
            for (Index j = 0; j <= i; ++j) expected(i, j) = float(std::exp(double(scores(i, j))) / sum);
        }
        QVERIFY((runLesson(*exact).heads[0].weights - expected).cwiseAbs().maxCoeff() < 1e-5f);

        for (int i = 0; i < dialog.tokenBoxes().size(); ++i) dialog.tokenBoxes()[i]->setChecked(false);
        QVERIFY(!dialog.makeLesson());
        QVERIFY(dialog.message().contains(QStringLiteral("at least one token")));

        rerun([&]() { m_editor->install(*lesson, true); });
        QVERIFY(m_editor->hasLesson());
        QVERIFY(m_editor->isVisible());
        QVERIFY(m_editor->document()->isModified());
        QCOMPARE(m_window->selection()->queryCount(), 6);
        QCOMPARE(shownWeights(), runLesson(*lesson).heads[0].weights);

        // A model that only replays recorded maps has no head to take apart.
        AttentionResult recorded;
        recorded.model.recorded = true;
        QVERIFY(!headSampleOf(recorded, &reason));
        QVERIFY(reason.contains(QStringLiteral("not")));
    }

    // The menu entry, its dialog answered by a timer (as a person clicks "Make Lesson").
    void makeALessonFromTheMenu()
    {
        m_window->setText(MainWindow::defaultText());
        rerun([&]() { m_window->openModel(QStringLiteral("builtin:decoder")); });
        QAction* entry = nullptr;
        for (QAction* a : m_window->findChildren<QAction*>()) {
            if (a->text().remove(QLatin1Char('&')).startsWith(QStringLiteral("Make a Lesson from This Head")))
                entry = a;
        }
        QVERIFY(entry);
        QCOMPARE(entry->shortcut(), QKeySequence(QStringLiteral("Ctrl+Shift+L")));
        bool sawDialog = false;
        // Polled: capturing the head runs a short event loop of its own before the dialog opens.
        QTimer poll;
        connect(&poll, &QTimer::timeout, this, [&sawDialog, &poll]() {
            auto* dialog = qobject_cast<MakeLessonDialog*>(QApplication::activeModalWidget());
            if (dialog == nullptr)
                return;
            poll.stop();
            sawDialog = true;
            dialog->dimensions()->setValue(3);
            dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
        });
        poll.start(20);
        rerun([&]() { entry->trigger(); });
        QVERIFY(sawDialog);
        QVERIFY(m_editor->hasLesson());
        QCOMPARE(m_editor->lesson().embeddings.cols(), Index(3));
        QCOMPARE(m_editor->lesson().tokens.size(), std::size_t(6));
        QVERIFY(m_editor->document()->isModified());
        QVERIFY(m_editor->isVisible());
        QCOMPARE(shownWeights(), runLesson(m_editor->lesson()).heads[0].weights);
    }

    // Pictures for the README (only with ATTNVIZ_GALLERY).
    void gallery()
    {
        const QString dir = qEnvironmentVariable("ATTNVIZ_GALLERY");
        if (dir.isEmpty())
            QSKIP("set ATTNVIZ_GALLERY to a folder to keep the pictures");
        Lesson l = blankLesson();
        l.title = "Thinking machines learn (a worked example)";
        l.tokens = kTokens;
        l.embeddings = l.sourceEmbeddings = kX;
        l.sourceTokens = kTokens;
        l.heads[0] = {"head 0", kWq, kWk, kWv};
        rerun([&]() { m_editor->install(l, false); });
        const QPalette light = QApplication::palette();
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        // The export's dark theme, with the greyed-out text a desktop's dark theme has for disabled controls.
        QPalette darkPalette = ViewStyleScope::palette(ExportTheme::Dark);
        for (const auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
            darkPalette.setColor(QPalette::Disabled, role, QColor(0x7a, 0x7f, 0x87));
        for (const bool dark : {false, true}) {
            QApplication::setPalette(dark ? darkPalette : light);
            for (const QSize size : {QSize(1280, 800), QSize(1920, 1080)}) {
                m_window->resize(size);
                m_editor->tabs()->setCurrentIndex(0);
                QTest::qWait(300);
                const QString name = QStringLiteral("lesson-editor-%1x%2-%3")
                                         .arg(size.width())
                                         .arg(size.height())
                                         .arg(dark ? QStringLiteral("dark") : QStringLiteral("light"));
                QVERIFY(m_window->grab().save(dir + QLatin1Char('/') + name + QStringLiteral("-shape.png")));
                m_editor->tabs()->setCurrentIndex(1);
                QVERIFY(m_editor->choose(QStringLiteral("W_Q")));
                QTest::qWait(300);
                QVERIFY(m_window->grab().save(dir + QLatin1Char('/') + name + QStringLiteral("-numbers.png")));
            }
        }
        QApplication::setPalette(light);

        // The dialog of Make a Lesson from This Head, and the lesson it makes, on the decoder.
        m_window->resize(1280, 800);
        m_window->setText(MainWindow::defaultText());
        rerun([&]() { m_window->openModel(QStringLiteral("builtin:decoder")); });
        m_window->selection()->setLayer(2);
        QString reason;
        const auto sample = captureHeadSample(
            *m_window->computeService(),
            RunRequestBuilder::build(*m_window->inputPanel(), *m_window->selection(), m_window->result().get()), &reason);
        QVERIFY2(sample, qPrintable(reason));
        MakeLessonDialog dialog(*sample);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(dialog.grab().save(dir + QStringLiteral("/lesson-editor-from-head-dialog.png")));
        const auto made = dialog.makeLesson();
        QVERIFY(made);
        dialog.hide();
        rerun([&]() { m_editor->install(*made, true); });
        m_editor->tabs()->setCurrentIndex(1);
        QVERIFY(m_editor->choose(QStringLiteral("Token embeddings")));
        QTest::qWait(300);
        QVERIFY(m_window->grab().save(dir + QStringLiteral("/lesson-editor-from-head.png")));
    }
};

QTEST_MAIN(TestLessonStudio)
#include "test_lessonstudio.moc"
