// Finding local GGUF models: fake Ollama, LM Studio and Hugging Face cache trees built around
// copies of the generated fixtures (tools/gguf/make_gguf_fixtures.py), with the hostile entries a
// real disk can hold (symlink loops, dangling links, truncated and non-GGUF files), and opening a
// GGUF file that has no extension (an Ollama blob) by its magic.

#include "base/modelloaderror.h"
#include "models/ggufloader.h"
#include "registry/localmodels.h"
#include "registry/modelregistry.h"

#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <fstream>

#include <sys/stat.h>

using namespace attnviz;
namespace fs = std::filesystem;

namespace {

const std::string kFixtures = ATTNVIZ_GGUF_FIXTURES;
const std::string kDigest = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

void write(const fs::path& file, const std::string& bytes)
{
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << bytes;
}

void copyFixture(const std::string& fixture, const fs::path& to)
{
    fs::create_directories(to.parent_path());
    fs::copy_file(kFixtures + "/" + fixture + ".gguf", to, fs::copy_options::overwrite_existing);
}

std::string ollamaManifest(const std::string& digest, std::uint64_t size)
{
    // The shape `ollama pull` writes: config, then layers; only the model layer names the GGUF.
    return R"({"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",)"
           R"("config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"sha256:)" +
           std::string(64, 'c') + R"(","size":485},"layers":[)"
           R"({"mediaType":"application/vnd.ollama.image.template","digest":"sha256:)" + std::string(64, 'e') +
           R"(","size":1429},{"mediaType":"application/vnd.ollama.image.model","digest":")" + digest +
           R"(","size":)" + std::to_string(size) + "}]}";
}

std::vector<LocalModel> discover(const fs::path& root, ModelStore store, const DiscoveryLimits& limits = {})
{
    return discoverLocalModels({{root.string(), store}}, limits);
}

const LocalModel* named(const std::vector<LocalModel>& models, const std::string& name)
{
    for (const LocalModel& m : models) {
        if (m.name == name)
            return &m;
    }
    return nullptr;
}

QStringList names(const std::vector<LocalModel>& models)
{
    QStringList out;
    for (const LocalModel& m : models)
        out << QString::fromStdString(m.name);
    return out;
}

} // namespace

class TestLocalModels : public QObject
{
    Q_OBJECT
private slots:
    void ollamaManifestNamesTheBlob();
    void lmStudioTreeAndSplitShards();
    void huggingFaceSnapshotsResolveTheirLinks();
    void symlinkLoopsEndTheWalk();
    void brokenFilesAreListedWithTheReason();
    void limitsBoundTheScan();
    void defaultRootsFollowTheEnvironment();
    void rootsKeepTheirOrderAndFilesAreListedOnce();
    void fileWithoutExtensionOpensByMagic();
};

void TestLocalModels::ollamaManifestNamesTheBlob()
{
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString();
    const fs::path blob = root / "blobs" / ("sha256-" + kDigest);
    copyFixture("llama3", blob);
    const fs::path manifests = root / "manifests" / "registry.ollama.ai";
    write(manifests / "library" / "llama3" / "latest", ollamaManifest("sha256:" + kDigest, fs::file_size(blob)));
    copyFixture("qwen3", root / "blobs" / ("sha256-" + std::string(64, 'b')));
    write(manifests / "someone" / "tiny-qwen" / "q8", ollamaManifest("sha256:" + std::string(64, 'b'), 1));
    // Skipped: a blob that is missing, a digest that tries to leave blobs/, JSON that is not a manifest.
    write(manifests / "library" / "gone" / "latest", ollamaManifest("sha256:" + std::string(64, 'd'), 1));
    write(manifests / "library" / "evil" / "latest", ollamaManifest("sha256:../../../etc/passwd", 1));
    write(manifests / "library" / "broken" / "latest", "{\"layers\": [");
    // Pulled from another registry (`ollama pull hf.co/user/repo:tag`): the host is part of the name.
    write(root / "manifests" / "hf.co" / "someone" / "Tiny-GGUF" / "Q8_0",
          ollamaManifest("sha256:" + std::string(64, 'b'), 1));

    const auto models = discover(root, ModelStore::Ollama);
    QCOMPARE(names(models), (QStringList{"hf.co/someone/Tiny-GGUF:Q8_0", "llama3:latest", "someone/tiny-qwen:q8"}));
    const LocalModel& llama = models[1];
    QCOMPARE(llama.path, blob.string());
    QCOMPARE(llama.source, std::string("Ollama"));
    QCOMPARE(llama.architecture, std::string("llama"));
    QVERIFY(llama.supported);
    QVERIFY(llama.problem.empty());
    QCOMPARE(llama.bytes, static_cast<std::uint64_t>(fs::file_size(blob)));
    QVERIFY(llama.parameters > 0);
    QVERIFY(!llama.quantisation.empty());
    QCOMPARE(models[2].architecture, std::string("qwen3"));
    QCOMPARE(models[0].path, models[2].path); // two tags, one blob: listed under both names
    // The blob has no extension: openModel recognises it by its magic.
    QVERIFY(openModel(llama.path)->info().layers > 0);
}

void TestLocalModels::lmStudioTreeAndSplitShards()
{
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString();
    copyFixture("gemma2", root / "lmstudio-community" / "gemma-2-GGUF" / "gemma-2-tiny-F32.gguf");
    // gguf-split's shards of the llama3 fixture: one entry, all shards' bytes and parameters.
    const fs::path split = root / "someone" / "big-GGUF";
    std::uint64_t bytes = 0;
    for (const char* n : {"1", "2", "3"}) {
        const fs::path to = split / (std::string("big-0000") + n + "-of-00003.gguf");
        fs::create_directories(split);
        fs::copy_file(kFixtures + "/split/llama3-0000" + n + "-of-00003.gguf", to);
        bytes += fs::file_size(to);
    }
    const fs::path broken = root / "someone" / "broken-GGUF"; // its second shard is missing
    fs::create_directories(broken);
    fs::copy_file(kFixtures + "/split/llama3-00001-of-00003.gguf", broken / "half-00001-of-00003.gguf");
    write(split / "README.md", "not a model");

    const auto models = discover(root, ModelStore::LmStudio);
    QCOMPARE(names(models), (QStringList{"big", "gemma-2-tiny-F32", "half"}));
    const LocalModel& gemma = models[1];
    QCOMPARE(gemma.source, std::string("LM Studio"));
    QCOMPARE(gemma.architecture, std::string("gemma2"));
    QVERIFY(gemma.supported);
    const LocalModel& big = models[0];
    QVERIFY2(big.supported, big.problem.c_str());
    QCOMPARE(big.bytes, bytes);
    QCOMPARE(big.architecture, std::string("llama"));
    QCOMPARE(big.parameters, summarizeGguf(kFixtures + "/llama3.gguf").parameters);
    QVERIFY(openModel(big.path)->info().layers > 0);
    const LocalModel& half = models[2];
    QVERIFY(!half.supported);
    QVERIFY2(half.problem.find("half-00002-of-00003.gguf: missing") != std::string::npos, half.problem.c_str());
}

void TestLocalModels::huggingFaceSnapshotsResolveTheirLinks()
{
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString();
    const fs::path repo = root / "models--Qwen--Qwen3-tiny-GGUF";
    copyFixture("qwen3", repo / "blobs" / kDigest);
    for (const char* revision : {"1111111", "2222222"}) { // two revisions of the same file: listed once
        fs::create_directories(repo / "snapshots" / revision / "sub");
        fs::create_symlink("../../../blobs/" + kDigest, repo / "snapshots" / revision / "sub" / "qwen3-tiny-F32.gguf");
    }
    fs::create_symlink("../../blobs/missing", repo / "snapshots" / "1111111" / "interrupted.gguf"); // dangling
    copyFixture("gpt2", root / "not-a-repo" / "snapshots" / "x" / "gpt2.gguf");                   // not models--*

    const auto models = discover(root, ModelStore::HuggingFaceCache);
    QCOMPARE(names(models), QStringList{"qwen3-tiny-F32"});
    QCOMPARE(models[0].path, (repo / "snapshots" / "1111111" / "sub" / "qwen3-tiny-F32.gguf").string());
    QCOMPARE(models[0].source, std::string("Hugging Face cache"));
    QCOMPARE(models[0].bytes, static_cast<std::uint64_t>(fs::file_size(repo / "blobs" / kDigest)));
    QVERIFY(models[0].supported);
}

// Symlink loops, a FIFO and a device named .gguf: the walk ends, lists the one real file, never blocks.
void TestLocalModels::symlinkLoopsEndTheWalk()
{
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString();
    copyFixture("llama2", root / "models" / "llama2.gguf");
    fs::create_directory_symlink("..", root / "models" / "up");        // a folder loop
    fs::create_symlink("self.gguf", root / "models" / "self.gguf");    // a file that links to itself
    fs::create_symlink("b.gguf", root / "a.gguf");
    fs::create_symlink("a.gguf", root / "b.gguf");
    // Not files: never opened (a FIFO would block a reader, /dev/zero never ends).
    QCOMPARE(::mkfifo((root / "fifo.gguf").c_str(), 0600), 0);
    fs::create_symlink("/dev/zero", root / "zero.gguf");

    const auto models = discover(root, ModelStore::Folder);
    QCOMPARE(names(models), QStringList{"llama2"});
    QCOMPARE(models[0].source, std::string("folder"));
    // The root itself a loop: nothing, no exception.
    fs::create_directory_symlink("loop", root / "loop");
    QVERIFY(discover(root / "loop", ModelStore::Folder).empty());
}

void TestLocalModels::brokenFilesAreListedWithTheReason()
{
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString();
    copyFixture("qwen2", root / "whole.gguf");
    std::string bytes;
    {
        std::ifstream in(root / "whole.gguf", std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    write(root / "truncated.gguf", bytes.substr(0, bytes.size() / 2));
    write(root / "notes.gguf", "these are my notes, not a model\n");
    write(root / "empty.gguf", "");
    // A valid file of an architecture AttnViz does not read: general.architecture's value renamed.
    std::string other = bytes;
    const std::string key = "general.architecture";
    const std::size_t value = other.find(key) + key.size() + 4 + 8; // after the type and the length
    QCOMPARE(other.substr(value, 5), std::string("qwen2"));
    other.replace(value, 5, "mamba");
    write(root / "mamba.gguf", other);

    const auto models = discover(root, ModelStore::Folder);
    QCOMPARE(names(models), (QStringList{"empty", "mamba", "notes", "truncated", "whole"}));
    for (const char* name : {"empty", "mamba", "notes", "truncated"}) {
        const LocalModel* m = named(models, name);
        QVERIFY(!m->supported);
        QVERIFY2(!m->problem.empty(), name);
    }
    QVERIFY2(named(models, "notes")->problem.find("not a GGUF file") != std::string::npos,
             named(models, "notes")->problem.c_str());
    QVERIFY(named(models, "whole")->supported);
    const LocalModel* mamba = named(models, "mamba");
    QCOMPARE(mamba->architecture, std::string("mamba"));
    QVERIFY2(mamba->problem.find("architecture \"mamba\" is not one AttnViz reads") != std::string::npos,
             mamba->problem.c_str());
    QCOMPARE(named(models, "truncated")->bytes, static_cast<std::uint64_t>(bytes.size() / 2));
}

void TestLocalModels::limitsBoundTheScan()
{
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString();
    copyFixture("llama3", root / "top.gguf");
    copyFixture("llama3", root / "a" / "b" / "deep.gguf");
    for (int i = 0; i < 50; ++i)
        write(root / "many" / ("file" + std::to_string(i) + ".txt"), "x");

    DiscoveryLimits shallow;
    shallow.maxDepth = 1;
    QCOMPARE(names(discover(root, ModelStore::Folder, shallow)), QStringList{"top"});
    DiscoveryLimits one;
    one.maxModels = 1;
    QCOMPARE(discover(root, ModelStore::Folder, one).size(), std::size_t(1));
    DiscoveryLimits few;
    few.maxEntries = 3; // the budget runs out among the 50 files or before the deep one
    QVERIFY(discover(root, ModelStore::Folder, few).size() < 2);
    QCOMPARE(discover(root, ModelStore::Folder).size(), std::size_t(2));
    const std::atomic<bool> stop{true};
    DiscoveryLimits cancelled;
    cancelled.cancel = &stop;
    QVERIFY(discover(root, ModelStore::Folder, cancelled).empty());
}

void TestLocalModels::defaultRootsFollowTheEnvironment()
{
    qputenv("HOME", "/home/u");
    qunsetenv("OLLAMA_MODELS");
    qunsetenv("HF_HUB_CACHE");
    qunsetenv("XDG_CACHE_HOME");
    qputenv("HF_HOME", "/data/hf");
    auto roots = defaultModelRoots({"/my/models"});
    QCOMPARE(roots.size(), std::size_t(6));
    QCOMPARE(roots[0].path, std::string("/home/u/.ollama/models"));
    QCOMPARE(roots[1].path, std::string("/usr/share/ollama/.ollama/models"));
    QCOMPARE(roots[2].path, std::string("/home/u/.lmstudio/models"));
    QCOMPARE(roots[3].path, std::string("/home/u/.cache/lm-studio/models"));
    QCOMPARE(roots[4].path, std::string("/data/hf/hub"));
    QVERIFY(roots[4].store == ModelStore::HuggingFaceCache);
    QCOMPARE(roots[5].path, std::string("/my/models"));
    QVERIFY(roots[5].store == ModelStore::Folder);

    qputenv("OLLAMA_MODELS", "/srv/ollama");
    qputenv("HF_HUB_CACHE", "/srv/hub");
    roots = defaultModelRoots();
    QCOMPARE(roots[0].path, std::string("/srv/ollama"));
    QCOMPARE(roots[4].path, std::string("/srv/hub"));
    qunsetenv("HF_HUB_CACHE");
    qunsetenv("HF_HOME");
    QCOMPARE(defaultModelRoots()[4].path, std::string("/home/u/.cache/huggingface/hub"));
}

void TestLocalModels::rootsKeepTheirOrderAndFilesAreListedOnce()
{
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString();
    copyFixture("gpt2", root / "b" / "zeta.gguf");
    copyFixture("gpt2", root / "b" / "Alpha.gguf");
    copyFixture("gemma3", root / "a" / "middle.gguf");
    const std::vector<ModelRoot> roots = {{(root / "b").string(), ModelStore::LmStudio},
                                          {root.string(), ModelStore::Folder}}; // reaches b/ again
    const auto models = discoverLocalModels(roots);
    QCOMPARE(names(models), (QStringList{"Alpha", "zeta", "middle"}));
    QCOMPARE(models[0].source, std::string("LM Studio"));
    QCOMPARE(models[2].source, std::string("folder"));
    QCOMPARE(names(discoverLocalModels(roots)), names(models));
    QVERIFY(discoverLocalModels({{(root / "missing").string(), ModelStore::Ollama}}).empty());
}

void TestLocalModels::fileWithoutExtensionOpensByMagic()
{
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString();
    copyFixture("qwen3", root / "model");
    const auto model = openModel((root / "model").string());
    QVERIFY(model->info().layers > 0);
    QVERIFY(model->tokenizer() != nullptr);
    write(root / "other", "not a model at all");
    try {
        openModel((root / "other").string());
        QFAIL("a file without a known extension or magic opened");
    } catch (const ModelLoadError& e) {
        QVERIFY2(std::string(e.what()).find("not a model AttnViz can open") != std::string::npos, e.what());
    }
    write(root / "short", "GG");
    QVERIFY_THROWS_EXCEPTION(ModelLoadError, openModel((root / "short").string()));
}

QTEST_GUILESS_MAIN(TestLocalModels)
#include "test_localmodels.moc"
