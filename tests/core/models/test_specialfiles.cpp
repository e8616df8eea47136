// Model and tokenizer files that are not regular files (a FIFO, /dev/zero, a directory, a symlink
// loop) or are absurdly large: every loader fails at once with a message that says what is wrong,
// and never blocks. File content quoted in messages is escaped.

#include "../util/filetestutil.h"
#include "registry/modelregistry.h"
#include "engine/attentionmodel.h"
#include "models/llama2c.h"
#include "models/mappedfile.h"
#include "tokenizers/tokenizer.h"

#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <fstream>

using namespace attnviz;
namespace fs = std::filesystem;

namespace {

const std::string gpt2Case = std::string(ATTNVIZ_TEST_DATA) + "/models/gpt2";
const std::string storiesDir = std::string(ATTNVIZ_SHARED_FIXTURES) + "/models/stories260K";

// A copy of the tiny GPT-2 case in `dir`, with `replaced` removed so a test can put something else there.
std::string gpt2Folder(const QTemporaryDir& dir, const char* replaced)
{
    const fs::path folder = dir.filePath("gpt2").toStdString();
    fs::create_directory(folder);
    for (const char* name : {"config.json", "model.safetensors"}) {
        if (std::string(name) != replaced)
            fs::copy_file(fs::path(gpt2Case) / name, folder / name);
    }
    return folder.string();
}

std::string errorOf(const std::function<void()>& f)
{
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "";
}

} // namespace

class TestSpecialFiles : public QObject
{
    Q_OBJECT

private slots:
    void fifoInAModelFolder_data();
    void fifoInAModelFolder();
    void fifoAsLlama2cFiles();
    void configIsADirectory();
    void symlinkLoops();
    void tokenizerFiles();
    void fileContentIsEscaped();
};

void TestSpecialFiles::fifoInAModelFolder_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("config.json") << "config.json";
    QTest::newRow("model.safetensors") << "model.safetensors";
}

void TestSpecialFiles::fifoInAModelFolder()
{
    QFETCH(QString, name);
    QTemporaryDir dir;
    const std::string folder = gpt2Folder(dir, name.toUtf8().constData());
    const std::string fifo = folder + "/" + name.toStdString();
    QCOMPARE(::mkfifo(fifo.c_str(), 0600), 0);
    ATTNVIZ_VERIFY_REFUSES_FIFO([folder] { openModel(folder); }, fifo, fifo + " is a FIFO (named pipe), not a file");
    ATTNVIZ_VERIFY_REFUSES_FIFO([fifo] { MappedFile{fifo}; }, fifo, "is a FIFO");
}

void TestSpecialFiles::fifoAsLlama2cFiles()
{
    QTemporaryDir dir;
    // The checkpoint itself, read directly.
    const std::string bin = test::makeFifo(dir, "model.bin");
    ATTNVIZ_VERIFY_REFUSES_FIFO([bin] { loadLlama2cNetwork(bin); }, bin, "is a FIFO (named pipe), not a file");
    // tokenizer.bin beside a real checkpoint.
    QTemporaryDir dir2;
    const std::string model = dir2.filePath("stories260K.bin").toStdString();
    fs::copy_file(storiesDir + "/stories260K.bin", model);
    const std::string tok = test::makeFifo(dir2, "tokenizer.bin");
    ATTNVIZ_VERIFY_REFUSES_FIFO([model] { openModel(model); }, tok, tok + " is a FIFO (named pipe), not a file");
}

void TestSpecialFiles::configIsADirectory()
{
    QTemporaryDir dir;
    const std::string folder = gpt2Folder(dir, "config.json");
    fs::create_directory(folder + "/config.json");
    const std::string error = errorOf([&] { openModel(folder); });
    QVERIFY2(error.find(folder + "/config.json is a directory, not a file") != std::string::npos, error.c_str());
}

void TestSpecialFiles::symlinkLoops()
{
    QTemporaryDir dir;
    const std::string loop = dir.filePath("loop").toStdString();
    fs::create_symlink(loop, loop);
    const char* expected = "too many levels of symbolic links (a symlink loop?)";
    std::string error = errorOf([&] { openModel(loop); });
    QVERIFY2(error.find(loop + ": " + expected) != std::string::npos, error.c_str());
    for (const char* name : {"model.safetensors", "config.json"}) {
        QTemporaryDir d;
        const std::string folder = gpt2Folder(d, name);
        fs::create_symlink(folder + "/" + name, folder + "/" + name);
        error = errorOf([&] { openModel(folder); });
        QVERIFY2(error.find(folder + "/" + name + ": " + expected) != std::string::npos, error.c_str());
        QVERIFY2(error.find("filesystem error") == std::string::npos, error.c_str());
    }
    // A loop named tokenizer.json in a model folder is reported (as a notice), not thrown raw.
    QTemporaryDir d;
    const std::string folder = gpt2Folder(d, "");
    fs::create_symlink(folder + "/tokenizer.json", folder + "/tokenizer.json");
    error = errorOf([&] { loadTokenizerFromFolder(folder); });
    QVERIFY2(error.find(expected) != std::string::npos, error.c_str());
}

void TestSpecialFiles::tokenizerFiles()
{
    QTemporaryDir dir;
    const std::string fifo = test::makeFifo(dir, "tokenizer.json");
    ATTNVIZ_VERIFY_REFUSES_FIFO([fifo] { loadTokenizerJson(fifo); }, fifo,
                                fifo + " is a FIFO (named pipe), not a file");
    const std::string zero = dir.filePath("vocab.txt").toStdString();
    fs::create_symlink("/dev/zero", zero);
    std::string error = errorOf([&] { loadWordPieceTokenizer(zero, true); });
    QVERIFY2(error.find(zero + " is a character device, not a file") != std::string::npos, error.c_str());
    // A huge tokenizer.json is refused from its size, before anything is read.
    const std::string huge = dir.filePath("huge.json").toStdString();
    std::ofstream(huge) << "{}";
    fs::resize_file(huge, std::size_t(1) << 34); // sparse
    error = errorOf([&] { loadTokenizerJson(huge); });
    QVERIFY2(error.find("17179869184 bytes, more than the 256 MiB") != std::string::npos, error.c_str());
}

void TestSpecialFiles::fileContentIsEscaped()
{
    QTemporaryDir dir;
    const std::string folder = gpt2Folder(dir, "config.json");
    std::ifstream in(gpt2Case + "/config.json");
    std::string config((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    config.replace(config.find("\"gpt2\""), 6, "\"\\u001b[2J\\nevil\"");
    std::ofstream(folder + "/config.json") << config;
    const std::string error = errorOf([&] { openModel(folder); });
    QVERIFY2(error.find("model_type \"\\x1b[2J\\nevil\" is not supported") != std::string::npos, error.c_str());
    QVERIFY(error.find('\x1b') == std::string::npos && error.find('\n') == std::string::npos);
}

QTEST_APPLESS_MAIN(TestSpecialFiles)
#include "test_specialfiles.moc"
