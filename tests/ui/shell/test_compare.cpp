// Analysis → Compare: B runs in the background for a second input (or another model), the view
// shows A, B and A − B over the aligned tokens with the numbers of both results, and B follows the
// main window's settings.
#include "shell/comparewindow.h"
#include "shell/mainwindow.h"
#include "state/computeservice.h"
#include "state/selectionstate.h"
#include "views/compare/compareview.h"

#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>

using namespace attnviz;

namespace {

// One token each for the built-in vocabulary ("tired" is two: " t" "ired").
const QString big = QStringLiteral("The animal didn't cross the street because it was too big.");
const QString wide = QStringLiteral("The animal didn't cross the street because it was too wide.");
const QString tired = QStringLiteral("The animal didn't cross the street because it was too tired.");

void openDecoder(MainWindow& window, QSignalSpy& shown)
{
    window.setDialogsEnabled(false);
    window.show();
    window.openModel(QStringLiteral("builtin:decoder"));
    window.setText(big);
    QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 1 && window.computeService()->isIdle(), 30000);
}

} // namespace

class TestCompare : public QObject
{
    Q_OBJECT
private slots:
    void differenceOfTwoInputs()
    {
        MainWindow window(nullptr, false);
        QSignalSpy shown(&window, &MainWindow::resultShown);
        openDecoder(window, shown);
        window.selection()->setLayer(2);
        window.selection()->setHead(1);
        CompareWindow compare(&window);
        QSignalSpy compared(&compare, &CompareWindow::comparisonShown);
        compare.textB()->setText(wide);
        compare.compare();
        QTRY_VERIFY_WITH_TIMEOUT(compared.count() >= 1, 30000);

        const auto& a = *window.result();
        const auto& b = *compare.view()->comparison();
        const HeatmapData diff = compare.view()->difference();
        QVERIFY(diff.difference && !diff.isEmpty());
        // Same length with one word swapped: every token paired, the swapped one labelled with both.
        QCOMPARE(a.tokens.size(), b.tokens.size());
        QCOMPARE(diff.rows(), static_cast<int>(a.tokens.size()));
        int swapped = -1;
        for (std::size_t i = 0; i < a.tokens.size(); ++i)
            if (a.tokens[i].id != b.tokens[i].id) swapped = static_cast<int>(i);
        QVERIFY(swapped >= 0);
        QVERIFY(diff.rowLabels[swapped].contains(QStringLiteral(" / ")));
        const AttentionTensor& ta = a.stacks[0].attention;
        const AttentionTensor& tb = b.stacks[0].attention;
        for (int q = 0; q < diff.rows(); ++q)
            for (int k = 0; k < diff.cols(); ++k)
                QCOMPARE(diff.values(q, k), ta.at(2, 1, q, k) - tb.at(2, 1, q, k));
        QVERIFY(diff.minValue < 0 && diff.maxValue > 0 && diff.minValue == -diff.maxValue);
        QCOMPARE(diff.valueCaption(), QStringLiteral("A − B"));
        if (const QString gallery = qEnvironmentVariable("ATTNVIZ_GALLERY"); !gallery.isEmpty()) // for the README
            QVERIFY(compare.view()->renderImage(QSize(1500, 520)).save(gallery + QStringLiteral("/compare.png")));
        // The first tokens see the same prefix under a causal mask: no difference there.
        QCOMPARE(diff.values(1, 0), 0.0f);
        // Both inputs mask the future: those cells are hatched, the allowed ones drawn.
        for (int q = 0; q < diff.rows(); ++q)
            for (int k = 0; k < diff.cols(); ++k)
                QCOMPARE(diff.isMasked(q, k), k > q);

        // A toggle in the main window reruns B with it.
        compare.show();
        const int before = compared.count();
        window.selection()->setHeadAblated(0, 0, true);
        QTRY_VERIFY_WITH_TIMEOUT(compared.count() > before && window.computeService()->isIdle(), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(compare.view()->comparison()->notices.size() > 0, 10000);
        const auto& notices = compare.view()->comparison()->notices;
        QVERIFY(std::any_of(notices.begin(), notices.end(), [](const std::string& n) { return n.find("ablated") != std::string::npos; }));

        // Unequal stretches (" t" "ired" against " wide") stay unpaired: only the shared tokens.
        compare.textB()->setText(tired);
        const int again = compared.count();
        compare.compare();
        QTRY_VERIFY_WITH_TIMEOUT(compared.count() > again, 30000);
        QCOMPARE(compare.view()->difference().rows(), static_cast<int>(window.result()->tokens.size()) - 1);
    }

    void anotherModelOnTheSameInput()
    {
        MainWindow window(nullptr, false);
        QSignalSpy shown(&window, &MainWindow::resultShown);
        openDecoder(window, shown);
        CompareWindow compare(&window);
        QSignalSpy compared(&compare, &CompareWindow::comparisonShown);
        compare.textB()->setText(big);
        compare.modelB()->setText(QStringLiteral("builtin:decoder")); // opened again, on its own thread
        compare.compare();
        QTRY_VERIFY_WITH_TIMEOUT(compared.count() >= 1, 60000);
        const HeatmapData diff = compare.view()->difference();
        QVERIFY(!diff.isEmpty());
        QCOMPARE(diff.values.cwiseAbs().maxCoeff(), 0.0f); // the same model and input: no difference
        const QImage image = compare.view()->renderImage(compare.view()->preferredExportSize().toSize());
        QVERIFY(!image.isNull());
    }
};

QTEST_MAIN(TestCompare)
#include "test_compare.moc"
