// The torch.save reader (pytorch_model.bin): the values of every stored dtype, tied and offset
// views, ZIP64 archives, sharded folders, safetensors preferred when both exist, and a clear
// ModelLoadError naming the file for every refused or broken input (tests/data/torch, written by
// tools/fixtures/make_torch_fixtures.py). Whole models against their references: test_references.

#include "base/modelloaderror.h"
#include "models/torchfile.h"
#include "models/torchpickle.h"
#include "models/weightarchive.h"

#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <fstream>
#include <iterator>

using namespace attnviz;
namespace fs = std::filesystem;

namespace {

std::string torchData(const std::string& name)
{
    return std::string(ATTNVIZ_TEST_DATA) + "/torch/" + name;
}

std::vector<std::uint8_t> readBytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

// Opens `bytes` from memory and reads every tensor; true when it opened. Any error but
// ModelLoadError fails the test (and a crash ends it).
bool openAndReadAll(const std::vector<std::uint8_t>& bytes)
{
    try {
        const TorchFile file("fuzzed.bin", bytes);
        for (const auto& [name, info] : file.tensors()) {
            try {
                (void)file.readFloats(info);
            } catch (const ModelLoadError&) {
            }
        }
        return true;
    } catch (const ModelLoadError&) {
        return false;
    }
}

// A byte string literal with its embedded NULs.
template <std::size_t N> QByteArray raw(const char (&text)[N])
{
    return QByteArray(text, N - 1);
}

} // namespace

class TestTorchFile : public QObject
{
    Q_OBJECT

private slots:
    void readsEveryDtypeAndView()
    {
        const WeightArchive w = WeightArchive::openFile(torchData("small.bin"));
        QCOMPARE(w.names(), (std::vector<std::string>{"a", "a_tied", "b", "h", "p", "s", "v"}));
        QCOMPARE(w.floats("a", {2, 3}), (std::vector<float>{-2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f}));
        QCOMPARE(w.floats("a_tied", {2, 3}), w.floats("a", {2, 3}));
        QCOMPARE(w.info("a_tied").begin, w.info("a").begin); // one storage, read in place
        QCOMPARE(w.dtypeOf("h"), std::string("F16"));
        QCOMPARE(w.floats("h", {4}), (std::vector<float>{0.f, 0.25f, 0.5f, 0.75f}));
        QCOMPARE(w.dtypeOf("b"), std::string("BF16"));
        QCOMPARE(w.floats("b", {4}), (std::vector<float>{-1.5f, -0.5f, 0.5f, 1.5f}));
        QCOMPARE(w.floats("v", {2, 3}), (std::vector<float>{4, 5, 6, 7, 8, 9})); // storage offset 4
        QCOMPARE(w.floats("s", {}), (std::vector<float>{7.f}));
        QCOMPARE(w.dtypeOf("p"), std::string("I64"));
        QVERIFY_THROWS_EXCEPTION(ModelLoadError, w.floats("p", {3})); // integers are refused by name
    }

    void zip64MatchesPlainArchive()
    {
        const WeightArchive plain = WeightArchive::openFile(torchData("small.bin"));
        const WeightArchive zip64 = WeightArchive::openFile(torchData("zip64.bin"));
        QCOMPARE(zip64.names(), plain.names());
        for (const std::string& name : plain.names()) {
            if (plain.dtypeOf(name) != "I64")
                QCOMPARE(zip64.floats(name, plain.info(name).shape), plain.floats(name, plain.info(name).shape));
        }
    }

    void torchFolderHoldsTheSafetensorsTensors_data()
    {
        QTest::addColumn<QString>("name");
        for (const char* name : {"gpt2", "gpt2_f16", "llama_bf16", "bert", "llama_sharded"})
            QTest::newRow(name) << QString(name);
    }
    void torchFolderHoldsTheSafetensorsTensors()
    {
        QFETCH(QString, name);
        const std::string models = std::string(ATTNVIZ_TEST_DATA) + "/models/";
        const WeightArchive st = WeightArchive::openFolder(models + name.toStdString());
        const WeightArchive pt = WeightArchive::openFolder(models + name.toStdString() + "_torch");
        for (const std::string& t : st.names()) {
            QCOMPARE(pt.info(t).shape, st.info(t).shape);
            QCOMPARE(pt.dtypeOf(t), st.dtypeOf(t));
            if (st.dtypeOf(t) != "I64")
                QCOMPARE(pt.floats(t, st.info(t).shape), st.floats(t, st.info(t).shape));
        }
    }

    void prefersSafetensors()
    {
        QTemporaryDir dir;
        const fs::path d = dir.path().toStdString();
        std::ofstream(d / "pytorch_model.bin") << "not a zip";
        QVERIFY_THROWS_EXCEPTION(ModelLoadError, WeightArchive::openFolder(d.string()));
        fs::copy_file(std::string(ATTNVIZ_TEST_DATA) + "/models/gpt2/model.safetensors", d / "model.safetensors");
        QVERIFY(WeightArchive::openFolder(d.string()).contains("transformer.wte.weight"));
    }

    void gitLfsPointerIsNamed()
    {
        QTemporaryDir dir;
        const std::string path = dir.path().toStdString() + "/pytorch_model.bin";
        std::ofstream(path) << "version https://git-lfs.github.com/spec/v1\n"
                               "oid sha256:4c3d8a1f0f5c2e6b7d9a8e1c0b2a3f4e5d6c7b8a9f0e1d2c3b4a5f6e7d8c9b0a\n"
                               "size 548105171\n";
        try {
            (void)WeightArchive::openFile(path);
            QFAIL("a Git LFS pointer was accepted");
        } catch (const ModelLoadError& e) {
            QVERIFY2(std::string(e.what()).find("Git LFS pointer") != std::string::npos, e.what());
        }
    }

    void refusesWithReason_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("reason");
        QTest::newRow("os.system") << "global_os_system.bin"
                                   << "global \"posix.system\" is not allowed";
        QTest::newRow("builtins.eval") << "global_builtins_eval.bin"
                                       << "global \"__builtin__.eval\" is not allowed";
        QTest::newRow("legacy") << "legacy.bin"
                                << "legacy (before PyTorch 1.6)";
        QTest::newRow("not a dict") << "not_state_dict.bin"
                                    << "holds no state dict";
        QTest::newRow("TorchScript") << "torchscript.bin" << "a TorchScript archive";
        QTest::newRow("compressed") << "compressed.bin"
                                    << "is compressed (method 8)";
        QTest::newRow("storage too small") << "storage_too_small.bin"
                                           << "do not fit its storage of 16";
        QTest::newRow("huge sizes") << "huge_sizes.bin"
                                    << "shape is implausibly large";
        QTest::newRow("huge numel") << "huge_numel.bin"
                                    << "do not match its 64 bytes";
        QTest::newRow("non-contiguous") << "noncontiguous.bin"
                                        << "non-contiguous view";
        QTest::newRow("negative offset") << "negative_offset.bin"
                                         << "offset -4";
        QTest::newRow("missing storage") << "missing_storage.bin"
                                         << "has no entry";
    }
    void refusesWithReason()
    {
        QFETCH(QString, file);
        QFETCH(QString, reason);
        const std::string path = torchData(file.toStdString());
        try {
            (void)WeightArchive::openFile(path);
            QFAIL("opened");
        } catch (const ModelLoadError& e) {
            const QString message = QString::fromUtf8(e.what());
            QVERIFY2(message.contains(reason) && message.contains(QString::fromStdString(path)), e.what());
        }
    }

    void pickleReader_data()
    {
        QTest::addColumn<QByteArray>("pickle");
        QTest::addColumn<QString>("reason"); // empty: accepted
        QTest::newRow("empty dict") << raw("\x80\x02}.") << "";
        QTest::newRow("dict attributes") << raw("\x80\x02}}b.") << "";
        QTest::newRow("os.system") << raw("\x80\x02"
                                          "cposix\nsystem\n.")
                                   << "global \"posix.system\"";
        QTest::newRow("stack global") << raw("\x80\x04\x8c\x08"
                                             "builtins\x8c\x04"
                                             "exec\x93.")
                                      << "global \"builtins.exec\"";
        QTest::newRow("storage called") << raw("\x80\x02"
                                               "ctorch\nFloatStorage\n)R.")
                                        << "REDUCE of \"torch.FloatStorage\" is not allowed";
        QTest::newRow("NEWOBJ") << raw("\x80\x02\x81.") << "opcode 0x81 is not allowed";
        QTest::newRow("INST") << raw("(ios\nsystem\n.") << "opcode 0x69 is not allowed";
        QTest::newRow("BUILD on a list") << raw("\x80\x02]}b.") << "BUILD is only allowed";
        QTest::newRow("list in itself") << raw("\x80\x02]q\x00h\x00"
                                               "a.")
                                        << "holds no state dict";
        QTest::newRow("no STOP") << raw("\x80\x02}") << "without STOP";
        QTest::newRow("deep marks") << QByteArray(100, '(') << "MARKs nested";
        QTest::newRow("empty stack") << raw("\x80\x02"
                                            "0.")
                                     << "empty stack";
        QTest::newRow("unknown memo") << raw("\x80\x02h\x05.") << "never stored";
        QTest::newRow("long string") << raw("\x80\x02X\xff\xff\xff\xff") << "runs past the end";
        QTest::newRow("not a tensor") << raw("\x80\x02}X\x01\x00\x00\x00"
                                             "wK\x01s.")
                                      << "is not a tensor";
    }
    void pickleReader()
    {
        QFETCH(QByteArray, pickle);
        QFETCH(QString, reason);
        const std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(pickle.constData()),
                                                  static_cast<std::size_t>(pickle.size()));
        try {
            (void)readStateDictPickle(bytes, "data.pkl");
            QVERIFY2(reason.isEmpty(), "accepted");
        } catch (const ModelLoadError& e) {
            QVERIFY2(!reason.isEmpty() && QString::fromUtf8(e.what()).contains(reason), e.what());
        }
    }

    void everyTruncationIsRefused()
    {
        const std::vector<std::uint8_t> bytes = readBytes(torchData("small.bin"));
        QVERIFY(openAndReadAll(bytes));
        for (std::size_t n = 0; n < bytes.size(); ++n)
            QVERIFY(!openAndReadAll({bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n)}));
    }

    void corruptedBytesNeverCrash()
    {
        for (const char* name : {"small.bin", "zip64.bin"}) {
            const std::vector<std::uint8_t> bytes = readBytes(torchData(name));
            for (std::size_t i = 0; i < bytes.size(); ++i) {
                for (std::uint8_t flip : {0xffu, 0x01u, 0x80u}) {
                    std::vector<std::uint8_t> copy = bytes;
                    copy[i] ^= flip;
                    (void)openAndReadAll(copy);
                }
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestTorchFile)
#include "test_torchfile.moc"
