// Checks llamacpp_reference (tools/llamacpp) and the llama.cpp outputs it made for the fixture GGUF
// files (ctest fixtures gguf_fixtures + llamacpp_reference_outputs): the struct layout checks pass,
// every attention map is row-stochastic, causal and neither uniform nor one-hot, sliding-window
// layers keep their window, the quantised variants hold the types asked for and stay close to F32,
// and AttnViz's safetensors path on the same weights as a Hugging Face folder gives llama.cpp's maps
// (which shows the fixtures are what the converter would write).
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

#include <cmath>
#include <cstring>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

namespace {

const QString kTool = QStringLiteral(ATTNVIZ_LLAMACPP_TOOL);
const std::string kFixtures = ATTNVIZ_GGUF_FIXTURES;
const std::string kReference = ATTNVIZ_LLAMACPP_REFERENCE;

// The quantisation types every variant list below draws from (make_reference_outputs.cmake).
const char* const kAllTypes[] = {"F16",  "BF16", "Q8_0",   "Q4_0",   "Q4_1",   "Q5_0",   "Q5_1",
                                 "Q2_K", "Q3_K", "Q4_K",   "Q5_K",   "Q6_K",   "IQ4_NL", "IQ4_XS",
                                 "Q3_K_S", "Q3_K_M", "Q3_K_L", "Q4_K_S", "Q4_K_M", "Q5_K_S", "Q5_K_M"};
const char* const kCommonTypes[] = {"Q8_0", "Q4_K_M"};

struct Fixture {
    std::string name, arch;
    int layers = 0, window = 0;
    std::string kinds; // per layer: 'S' sliding window, 'G' global
    std::string text;
};

std::vector<Fixture> readManifest() {
    std::vector<Fixture> fixtures;
    std::ifstream in(kFixtures + "/manifest.tsv");
    std::string line;
    while (std::getline(in, line)) {
        std::vector<std::string> fields;
        size_t start = 0;
        for (size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1) {
            fields.push_back(line.substr(start, tab - start));
        }
        fields.push_back(line.substr(start));
        if (fields.size() != 6) continue;
        fixtures.push_back({fields[0], fields[1], std::stoi(fields[2]), std::stoi(fields[3]), fields[4], fields[5]});
    }
    return fixtures;
}

// A .npy file (version 1.0, little-endian float32 or int32, C order).
struct Npy {
    std::vector<int64_t> shape;
    std::vector<float> floats;
    std::vector<int32_t> ints;
};

Npy readNpy(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    char magic[10];
    if (!in.read(magic, sizeof magic) || std::memcmp(magic, "\x93NUMPY\x01\x00", 8) != 0) {
        throw std::runtime_error("not a .npy 1.0 file: " + path);
    }
    const size_t headerSize = static_cast<unsigned char>(magic[8]) | (static_cast<unsigned char>(magic[9]) << 8);
    std::string header(headerSize, ' ');
    in.read(header.data(), static_cast<std::streamsize>(headerSize));
    std::smatch shapeMatch, descrMatch;
    if (!std::regex_search(header, shapeMatch, std::regex(R"('shape': \(([^)]*)\))")) ||
        !std::regex_search(header, descrMatch, std::regex(R"('descr': '([^']*)')"))) {
        throw std::runtime_error("bad .npy header in " + path);
    }
    Npy npy;
    int64_t count = 1;
    const std::string dims = shapeMatch[1];
    const std::regex number(R"(\d+)");
    for (std::sregex_iterator it(dims.begin(), dims.end(), number), end; it != end; ++it) {
        npy.shape.push_back(std::stoll(it->str()));
        count *= npy.shape.back();
    }
    const auto bytes = static_cast<std::streamsize>(count * 4);
    if (descrMatch[1] == "<f4") {
        npy.floats.resize(static_cast<size_t>(count));
        in.read(reinterpret_cast<char*>(npy.floats.data()), bytes);
    } else if (descrMatch[1] == "<i4") {
        npy.ints.resize(static_cast<size_t>(count));
        in.read(reinterpret_cast<char*>(npy.ints.data()), bytes);
    } else {
        throw std::runtime_error("unexpected dtype in " + path);
    }
    if (!in) throw std::runtime_error("short .npy file " + path);
    return npy;
}

struct ToolRun {
    int exitCode = -1;
    QString out, err;
};

ToolRun runTool(const QStringList& arguments, const QString& program = kTool) {
    QProcess process;
    process.start(program, arguments);
    process.waitForFinished(120000);
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
}

QString modelPath(const std::string& variant) {
    const bool quantised = variant.find('-') != std::string::npos;
    return QString::fromStdString(quantised ? kReference + "/quant/" + variant + ".gguf"
                                            : kFixtures + "/" + variant + ".gguf");
}

// Mean over rows of the row's entropy divided by the entropy of a uniform row of that length.
double relativeEntropy(const float* map, int64_t tokens) {
    double sum = 0;
    for (int64_t t = 1; t < tokens; ++t) {
        double h = 0;
        for (int64_t k = 0; k <= t; ++k) {
            const double p = map[t * tokens + k];
            if (p > 0) h -= p * std::log(p);
        }
        sum += h / std::log(static_cast<double>(t + 1));
    }
    return sum / static_cast<double>(tokens - 1);
}

// How far layer 0's maps of an 8- or 16-bit variant may be from F32's (llama.cpp also rounds the
// activations to the weights' type in its matrix products; these are about 3x what was measured),
// or a negative number for the types not compared.
float mapTolerance(const std::string& type) {
    if (type == "F16") return 0.005f;
    if (type == "BF16") return 0.03f;
    if (type == "Q8_0") return 0.1f;
    return -1.0f;
}

} // namespace

class TestLlamacppReference : public QObject {
    Q_OBJECT

private:
    std::vector<Fixture> fixtures_;

    const Fixture& fixture(const std::string& name) const {
        for (const Fixture& f : fixtures_) {
            if (f.name == name) return f;
        }
        throw std::runtime_error("no fixture " + name);
    }

private slots:
    void initTestCase() {
        fixtures_ = readManifest();
        QCOMPARE(fixtures_.size(), size_t(9)); // llama 3 and 2, qwen2, qwen3, gemma, gemma2, gemma3, phi3, gpt2
    }

    void info() {
        const ToolRun run = runTool({"info"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(run.out.contains("ggml_commit 0ad4a86"));
        QVERIFY(run.out.contains("ok   llama_context_default_params returns 160 bytes"));
        QVERIFY(!run.out.contains("FAIL"));
    }

    void maps_data() {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<QString>("type");
        for (const Fixture& f : fixtures_) {
            const QString name = QString::fromStdString(f.name);
            QTest::newRow(f.name.c_str()) << name << QString();
            const bool every = f.name == "llama3";
            for (const char* type : every ? std::vector<const char*>(std::begin(kAllTypes), std::end(kAllTypes))
                                          : std::vector<const char*>(std::begin(kCommonTypes), std::end(kCommonTypes))) {
                QTest::newRow((f.name + "-" + type).c_str()) << name << QString(type);
            }
        }
    }

    void maps() {
        QFETCH(QString, fixture);
        QFETCH(QString, type);
        const Fixture& f = this->fixture(fixture.toStdString());
        const std::string variant = f.name + (type.isEmpty() ? "" : "-" + type.toStdString());
        const std::string dir = kReference + "/eval/" + variant;
        const Npy tokens = readNpy(dir + "/tokens.npy");
        const int64_t T = tokens.shape.at(0);
        QVERIFY(T > f.window + 4);
        const Npy logits = readNpy(dir + "/logits.npy");
        QCOMPARE(logits.shape.at(0), T);
        for (float v : logits.floats) QVERIFY(std::isfinite(v));
        for (int layer = 0; layer < f.layers; ++layer) {
            const Npy map = readNpy(dir + "/attn_" + std::to_string(layer) + ".npy");
            QCOMPARE(map.shape, (std::vector<int64_t>{4, T, T}));
            const bool sliding = f.kinds.at(static_cast<size_t>(layer)) == 'S';
            bool beyondWindow = false;
            for (int64_t h = 0; h < 4; ++h) {
                const float* m = map.floats.data() + h * T * T;
                for (int64_t t = 0; t < T; ++t) {
                    double sum = 0;
                    for (int64_t k = 0; k < T; ++k) {
                        const float p = m[t * T + k];
                        sum += p;
                        if (k > t) QCOMPARE(p, 0.0f); // causal
                        if (sliding && t - k >= f.window) QCOMPARE(p, 0.0f);
                        if (sliding && k <= t && t - k < f.window) QVERIFY(p > 0.0f);
                        if (f.window > 0 && t - k >= f.window && p > 0) beyondWindow = true;
                    }
                    QVERIFY2(std::abs(sum - 1.0) < 1e-4, qPrintable(QString("row sum %1").arg(sum)));
                }
                const double entropy = relativeEntropy(m, T);
                QVERIFY2(entropy > 0.05 && entropy < 0.95, qPrintable(QString("relative entropy %1").arg(entropy)));
            }
            if (f.window > 0 && !sliding) QVERIFY(beyondWindow); // a global layer of a windowed model
        }
        const float tolerance = mapTolerance(type.toStdString());
        if (tolerance > 0) {
            // an 8- or 16-bit variant is nearly the F32 model: same tokens, close maps
            QCOMPARE(tokens.ints, readNpy(kReference + "/eval/" + f.name + "/tokens.npy").ints);
            const Npy reference = readNpy(kReference + "/eval/" + f.name + "/attn_0.npy");
            const Npy map = readNpy(dir + "/attn_0.npy");
            float worst = 0;
            for (size_t i = 0; i < map.floats.size(); ++i) worst = std::max(worst, std::abs(map.floats[i] - reference.floats[i]));
            QVERIFY2(worst < tolerance, qPrintable(QString("max |A - A_f32| %1").arg(worst)));
        }
    }

    void tokenizeMatchesEval_data() {
        QTest::addColumn<QString>("fixture");
        for (const Fixture& f : fixtures_) QTest::newRow(f.name.c_str()) << QString::fromStdString(f.name);
    }

    // The vocab-only tokenize command gives the ids that eval ran on.
    void tokenizeMatchesEval() {
        QFETCH(QString, fixture);
        const Fixture& f = this->fixture(fixture.toStdString());
        const ToolRun run = runTool({"tokenize", modelPath(f.name), QString::fromStdString(f.text)});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        std::vector<int32_t> ids;
        for (const QString& id : run.out.split(' ', Qt::SkipEmptyParts)) ids.push_back(id.trimmed().toInt());
        QCOMPARE(ids, readNpy(kReference + "/eval/" + f.name + "/tokens.npy").ints);
    }

    void quantisedTypes_data() {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("ggmlType"); // every 2-D tensor's type after a pure quantisation
        const char* const pure[][2] = {{"F16", "f16"},   {"BF16", "bf16"},   {"Q8_0", "q8_0"},   {"Q4_0", "q4_0"},
                                       {"Q4_1", "q4_1"}, {"Q5_0", "q5_0"},   {"Q5_1", "q5_1"},   {"Q2_K", "q2_K"},
                                       {"Q3_K", "q3_K"}, {"Q4_K", "q4_K"},   {"Q5_K", "q5_K"},   {"Q6_K", "q6_K"},
                                       {"IQ4_NL", "iq4_nl"}, {"IQ4_XS", "iq4_xs"}};
        for (const auto& [type, ggml] : pure) QTest::newRow(type) << QString(type) << QString(ggml);
        QTest::newRow("Q4_K_M") << "Q4_K_M" << QString(); // a mixture: q4_K with some q6_K
    }

    void quantisedTypes() {
        QFETCH(QString, type);
        QFETCH(QString, ggmlType);
        const ToolRun run = runTool({"tensors", modelPath("llama3-" + type.toStdString())});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QSet<QString> matrixTypes;
        int tensors = 0;
        for (const QString& line : run.out.split('\n', Qt::SkipEmptyParts)) {
            const QStringList fields = line.split(' ');
            QCOMPARE(fields.size(), 3);
            ++tensors;
            const bool matrix = fields[2].section(',', 1, 1) != "1"; // ne[1] > 1
            if (!matrix) QCOMPARE(fields[1], QString("f32"));
            else matrixTypes.insert(fields[1]);
        }
        QCOMPARE(tensors, 21); // token_embd, output_norm, rope_freqs + 9 per block, nothing lost
        if (!ggmlType.isEmpty()) QCOMPARE(matrixTypes, QSet<QString>{ggmlType});
        else QCOMPARE(matrixTypes, (QSet<QString>{"q4_K", "q6_K"}));
    }

    void hfFolderMatchesLlamacpp_data() { tokenizeMatchesEval_data(); }

    // The fixture's weights as a Hugging Face folder through AttnViz's (separately tested)
    // safetensors path: the same maps as llama.cpp's on the GGUF file, so the GGUF file means what
    // the HF checkpoint means (Q/K permutation, Gemma's norms, rope_freqs, fused tensors, ...).
    void hfFolderMatchesLlamacpp() {
        QFETCH(QString, fixture);
        const Fixture& f = this->fixture(fixture.toStdString());
        const std::string reference = kReference + "/eval/" + f.name;
        QStringList ids;
        for (int32_t id : readNpy(reference + "/tokens.npy").ints) ids << QString::number(id);
        const ToolRun run = runTool({"attention", "--model", QString::fromStdString(kFixtures + "/hf/" + f.name), "--ids",
                                     ids.join(','), "--json"},
                                    QStringLiteral(ATTNVIZ_CLI));
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QJsonArray layers = QJsonDocument::fromJson(run.out.toUtf8()).object()["attention"].toArray();
        QCOMPARE(layers.size(), f.layers);
        for (int layer = 0; layer < f.layers; ++layer) {
            const Npy map = readNpy(reference + "/attn_" + std::to_string(layer) + ".npy");
            const int64_t heads = map.shape[0], T = map.shape[1];
            const QJsonArray attnviz = layers[layer].toArray();
            QCOMPARE(attnviz.size(), heads);
            double worst = 0;
            for (int64_t h = 0; h < heads; ++h) {
                for (int64_t t = 0; t < T; ++t) {
                    const QJsonArray row = attnviz[h].toArray()[t].toArray();
                    QCOMPARE(row.size(), T);
                    for (int64_t k = 0; k < T; ++k) {
                        worst = std::max(worst, std::abs(row[k].toDouble() - map.floats[(h * T + t) * T + k]));
                    }
                }
            }
            // ggml's GELU is a table lookup: layers after a GELU FFN differ by up to ~1e-3
            QVERIFY2(worst < 2e-3, qPrintable(QString("layer %1: max difference %2").arg(layer).arg(worst)));
        }
    }

    // bench prints one JSON line with its timings.
    void bench() {
        const ToolRun run = runTool({"bench", modelPath("llama3-Q4_K_M"), "--tokens", "64", "--reps", "2"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QJsonObject result = QJsonDocument::fromJson(run.out.toUtf8()).object();
        QCOMPARE(result["tokens"].toInt(), 64);
        QCOMPARE(result["threads"].toInt(), 2);
        QCOMPARE(result["ms"].toArray().size(), 2);
        QVERIFY(result["min_ms"].toDouble() > 0 && result["min_ms"].toDouble() <= result["median_ms"].toDouble());
    }

    // Unknown types are refused before llama.cpp is asked.
    void refusesUnknownType() {
        const ToolRun run = runTool({"quantize", modelPath("llama3"), "/nonexistent/out.gguf", "Q9_9"});
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.err.contains("unknown quantisation type Q9_9"));
    }
};

QTEST_GUILESS_MAIN(TestLlamacppReference)
#include "test_llamacpp_reference.moc"
