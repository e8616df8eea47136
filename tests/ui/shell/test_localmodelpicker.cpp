// The model picker's "Local models": the GGUF models of a fake LM Studio folder and Ollama store
// (copies of the generated fixtures in a temporary tree, never the real home), listed with their
// details in the tooltip, unsupported files disabled with the reason, rescans (the item, the File
// menu, new roots mid-scan) and opening one in the main window with the model's notices
// (a quantised file's too) in the status bar.
#include "shell/inputpanel.h"
#include "shell/localmodelscanner.h"
#include "shell/mainwindow.h"
#include "shell/modelpicker.h"
#include "state/computeservice.h"

#include <QAction>
#include <QDir>
#include <QMenu>
#include <QMenuBar>
#include <QFile>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QLabel>
#include <QTest>

using namespace attnviz;

namespace {

const QString kFixtures = QStringLiteral(ATTNVIZ_GGUF_FIXTURES);
const QString kDigest(64, QLatin1Char('a'));

bool copyFixture(const QString& fixture, const QString& to)
{
    return QDir().mkpath(QFileInfo(to).absolutePath()) && QFile::copy(kFixtures + "/" + fixture + ".gguf", to);
}

bool writeFile(const QString& path, const QByteArray& bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

// An Ollama store with llama3:latest and an LM Studio folder with a qwen3 file and a broken one.
std::vector<ModelRoot> makeTree(const QTemporaryDir& dir)
{
    const QString ollama = dir.filePath("ollama");
    copyFixture("llama3", ollama + "/blobs/sha256-" + kDigest);
    writeFile(ollama + "/manifests/registry.ollama.ai/library/llama3/latest",
              R"({"layers":[{"mediaType":"application/vnd.ollama.image.model","digest":"sha256:)" + kDigest.toUtf8() +
                  R"(","size":1}]})");
    const QString lmstudio = dir.filePath("lmstudio");
    copyFixture("qwen3", lmstudio + "/pub/qwen3-GGUF/qwen3-tiny-F32.gguf");
    writeFile(lmstudio + "/pub/broken-GGUF/broken.gguf", "not a model");
    return {{ollama.toStdString(), ModelStore::Ollama}, {lmstudio.toStdString(), ModelStore::LmStudio}};
}

bool waitForScan(ModelPicker& picker, std::vector<ModelRoot> roots)
{
    QSignalSpy done(picker.localModels(), &LocalModelScanner::scanFinished);
    picker.localModels()->setRoots(std::move(roots));
    return done.wait(20000);
}

int indexOfText(const QComboBox& box, const QString& text)
{
    return box.findText(text, Qt::MatchExactly);
}

bool isEnabled(const QComboBox& box, int index)
{
    const auto* model = qobject_cast<const QStandardItemModel*>(box.model());
    return model->item(index)->isEnabled();
}

} // namespace

class TestLocalModelPicker : public QObject
{
    Q_OBJECT
private slots:
    void listsLocalModelsWithDetails();
    void rescanFindsNewFiles();
    void emptyScanSaysWhereItLooked();
    void newRootsDuringAScanStartAfresh();
    void openingALocalModelShowsItsNotices();
    void aQuantisedModelSaysSo();
    void fileMenuRescans();
};

void TestLocalModelPicker::listsLocalModelsWithDetails()
{
    QTemporaryDir dir;
    ModelPicker picker;
    QVERIFY(waitForScan(picker, makeTree(dir)));
    const int header = indexOfText(picker, "Local models");
    QVERIFY(header >= 0);
    QVERIFY(!isEnabled(picker, header));

    const int llama = indexOfText(picker, "llama3:latest · F32");
    QVERIFY2(llama > header, qPrintable(QString::number(llama)));
    QCOMPARE(picker.itemData(llama).toString(), dir.filePath("ollama/blobs/sha256-" + kDigest));
    QVERIFY(isEnabled(picker, llama));
    const QString tip = picker.itemData(llama, Qt::ToolTipRole).toString();
    for (const char* part : {"Architecture: llama", "Quantisation: F32", "Size: ", " MB", "Source: Ollama", "Path: "})
        QVERIFY2(tip.contains(part), qPrintable(tip));

    const int qwen = indexOfText(picker, "qwen3-tiny-F32 · F32");
    QVERIFY(qwen > llama); // roots in order: Ollama before LM Studio
    QVERIFY(picker.itemData(qwen, Qt::ToolTipRole).toString().contains("Source: LM Studio"));

    const int broken = indexOfText(picker, "broken");
    QVERIFY(broken > header);
    QVERIFY(!isEnabled(picker, broken));
    const QString why = picker.itemData(broken, Qt::ToolTipRole).toString();
    QVERIFY2(why.contains("Cannot be opened: not a GGUF file"), qPrintable(why));

    QVERIFY(indexOfText(picker, "Rescan local models") > broken);
    QCOMPARE(picker.nameOf(dir.filePath("ollama/blobs/sha256-" + kDigest)), QStringLiteral("llama3:latest"));
}

void TestLocalModelPicker::rescanFindsNewFiles()
{
    QTemporaryDir dir;
    ModelPicker picker;
    QVERIFY(waitForScan(picker, makeTree(dir)));
    QCOMPARE(indexOfText(picker, "gemma2 · F32"), -1);
    QVERIFY(copyFixture("gemma2", dir.filePath("lmstudio/pub/gemma-GGUF/gemma2.gguf")));
    QSignalSpy done(picker.localModels(), &LocalModelScanner::scanFinished);
    QSignalSpy chosen(&picker, &ModelPicker::modelChosen);
    const QString before = picker.currentText();
    const int rescan = indexOfText(picker, "Rescan local models");
    QVERIFY(rescan >= 0);
    emit picker.activated(rescan); // as a click on the item
    QVERIFY(done.wait(20000));
    QVERIFY(indexOfText(picker, "gemma2 · F32") >= 0);
    QCOMPARE(chosen.count(), 0);
    QCOMPARE(picker.currentText(), before);

    // A scan that ends while the list is open changes it only once the list closes.
    picker.show();
    picker.showPopup();
    QVERIFY(QFile::remove(dir.filePath("lmstudio/pub/gemma-GGUF/gemma2.gguf")));
    picker.rescanLocalModels();
    QVERIFY(done.wait(20000));
    QVERIFY(indexOfText(picker, "gemma2 · F32") >= 0);
    picker.hidePopup();
    QCOMPARE(indexOfText(picker, "gemma2 · F32"), -1);
}

void TestLocalModelPicker::emptyScanSaysWhereItLooked()
{
    QTemporaryDir dir;
    ModelPicker picker;
    QVERIFY(waitForScan(picker, {{dir.filePath("nothing").toStdString(), ModelStore::Ollama}}));
    const int none = indexOfText(picker, "No GGUF models found");
    QVERIFY(none >= 0);
    QVERIFY(!isEnabled(picker, none));
    QVERIFY(picker.itemData(none, Qt::ToolTipRole).toString().contains(dir.filePath("nothing") + " (Ollama)"));
}

void TestLocalModelPicker::newRootsDuringAScanStartAfresh()
{
    QTemporaryDir dir;
    ModelPicker picker;
    QSignalSpy done(picker.localModels(), &LocalModelScanner::scanFinished);
    picker.localModels()->setRoots(makeTree(dir));
    QVERIFY(picker.localModels()->isScanning());
    picker.localModels()->setRoots({{dir.filePath("nothing").toStdString(), ModelStore::Folder}});
    QVERIFY(done.wait(20000));
    QTest::qWait(50);
    QCOMPARE(done.count(), 1); // the first scan's list is never shown
    QVERIFY(picker.localModels()->models().empty());
    QVERIFY(indexOfText(picker, "No GGUF models found") >= 0);
}

void TestLocalModelPicker::openingALocalModelShowsItsNotices()
{
    QTemporaryDir dir;
    MainWindow window(nullptr, false);
    window.setDialogsEnabled(false);
    window.setText(QStringLiteral("The cat sat on the mat"));
    window.show();
    ModelPicker* picker = window.inputPanel()->modelPicker();
    QVERIFY(waitForScan(*picker, makeTree(dir)));
    QSignalSpy shown(&window, &MainWindow::resultShown);
    const QString blob = dir.filePath("ollama/blobs/sha256-" + kDigest);
    emit picker->activated(indexOfText(*picker, "llama3:latest · F32"));
    QTRY_VERIFY_WITH_TIMEOUT(window.loadedModelSpec() == blob && shown.count() >= 1, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(window.computeService()->isIdle(), 30000);
    // The GGUF loader's notice about the weights, where every load notice goes.
    QVERIFY2(window.noticeText().contains("weights as stored in the GGUF file: F32"), qPrintable(window.noticeText()));
    QCOMPARE(picker->currentSpec(), blob);
    QVERIFY(window.result()->stacks.front().attention.layers > 0);
}

// llama.cpp's Q4_K_M of the llama3 fixture (the ctest fixture llamacpp_reference_outputs).
void TestLocalModelPicker::aQuantisedModelSaysSo()
{
#ifndef ATTNVIZ_LLAMACPP_REFERENCE
    QSKIP("no llama.cpp libraries: the quantised fixtures are not made");
#else
    QTemporaryDir dir;
    QVERIFY(QDir().mkpath(dir.filePath("lmstudio/pub/llama3-GGUF")));
    QVERIFY(QFile::copy(QStringLiteral(ATTNVIZ_LLAMACPP_REFERENCE "/quant/llama3-Q4_K_M.gguf"),
                        dir.filePath("lmstudio/pub/llama3-GGUF/llama3-Q4_K_M.gguf")));
    MainWindow window(nullptr, false);
    window.setDialogsEnabled(false);
    window.setText(QStringLiteral("The cat sat on the mat"));
    window.show();
    ModelPicker* picker = window.inputPanel()->modelPicker();
    QVERIFY(waitForScan(*picker, {{dir.filePath("lmstudio").toStdString(), ModelStore::LmStudio}}));
    const int item = indexOfText(*picker, "llama3-Q4_K_M · Q4_K_M");
    QVERIFY(item >= 0);
    QVERIFY(picker->itemData(item, Qt::ToolTipRole).toString().contains("Quantisation: Q4_K_M"));
    QSignalSpy shown(&window, &MainWindow::resultShown);
    emit picker->activated(item);
    QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 1 && window.computeService()->isIdle(), 30000);
    QVERIFY2(window.noticeText().contains("the weights are quantised: Q4_K ("), qPrintable(window.noticeText()));
    // The status bar cuts a long notice at the window's edge; its tooltip keeps the whole text.
    const auto* notice = window.findChild<QLabel*>(QStringLiteral("notice"));
    QVERIFY(notice != nullptr);
    QCOMPARE(notice->toolTip(), window.noticeText());
#endif
}

void TestLocalModelPicker::fileMenuRescans()
{
    QTemporaryDir dir;
    MainWindow window(nullptr, false);
    ModelPicker* picker = window.inputPanel()->modelPicker();
    QVERIFY(waitForScan(*picker, {{dir.path().toStdString(), ModelStore::Folder}}));
    QVERIFY(picker->localModels()->models().empty());
    QAction* rescan = nullptr;
    for (QAction* menu : window.menuBar()->actions()) {
        for (QAction* a : menu->menu() ? menu->menu()->actions() : QList<QAction*>{}) {
            if (a->text() == QLatin1String("&Rescan Local Models"))
                rescan = a;
        }
    }
    QVERIFY(rescan != nullptr);
    QVERIFY(copyFixture("gpt2", dir.filePath("gpt2.gguf")));
    QSignalSpy done(picker->localModels(), &LocalModelScanner::scanFinished);
    rescan->trigger();
    QVERIFY(done.wait(20000));
    QVERIFY(indexOfText(*picker, "gpt2 · F32") >= 0);
}

QTEST_MAIN(TestLocalModelPicker)
#include "test_localmodelpicker.moc"
