// attnviz-jsonbench: tokenizer.json load time in one process for two readers: json::parseFile and
// nlohmann-json's SAX parser building the same json::Value. Each round times every file with
// both, alternating which goes first; prints one JSON object with the per-file medians.
//   attnviz-jsonbench ROUNDS [FILE...]     default files: the shared tokenizer fixtures
#include "nlohmannjson.h"

#include "util/json.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

using namespace attnviz;

namespace {

std::vector<std::string> defaultFiles()
{
    const std::filesystem::path dir = std::filesystem::path(ATTNVIZ_SHARED_FIXTURES) / "tokenizers";
    std::vector<std::string> files;
    for (const char* name : {"bert-base-uncased/tokenizer.json", "gpt-neox/tokenizer.json", "mistral/tokenizer.json",
                             "roberta/tokenizer.json", "t5/tokenizer.json", "gpt2/encoder.json", "qwen2.5/vocab.json"}) {
        if (std::filesystem::exists(dir / name)) files.push_back((dir / name).string());
    }
    return files;
}

// Numbers compare as doubles (the SAX reader's integers are exact too, but these files have none
// beyond 2^53).
bool sameTree(const json::Value& a, const json::Value& b)
{
    if (a.type() != b.type()) return false;
    switch (a.type()) {
    case json::Value::Type::Null: return true;
    case json::Value::Type::Bool: return a.asBool() == b.asBool();
    case json::Value::Type::Number: return a.asNumber() == b.asNumber();
    case json::Value::Type::String: return a.asString() == b.asString();
    case json::Value::Type::Array:
        return std::equal(a.asArray().begin(), a.asArray().end(), b.asArray().begin(), b.asArray().end(), sameTree);
    case json::Value::Type::Object:
        return std::equal(a.asObject().begin(), a.asObject().end(), b.asObject().begin(), b.asObject().end(),
                          [](const auto& x, const auto& y) { return x.first == y.first && sameTree(x.second, y.second); });
    }
    return false;
}

// Milliseconds to read and parse `path`; the tree is freed after the clock stops.
template <class Load> double timeMs(Load load)
{
    const auto start = std::chrono::steady_clock::now();
    const json::Value v = load();
    const auto stop = std::chrono::steady_clock::now();
    return std::chrono::duration<double, std::milli>(stop - start).count();
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

} // namespace

int main(int argc, char* argv[])
{
    if (argc < 2) {
        std::cerr << "usage: attnviz-jsonbench ROUNDS [FILE...]\n";
        return 2;
    }
    const int rounds = std::stoi(argv[1]);
    std::vector<std::string> files(argv + 2, argv + argc);
    if (files.empty()) files = defaultFiles();

    json::Writer out(true);
    out.beginObject().key("rounds").value(rounds).key("files").beginObject();
    for (const std::string& path : files) {
        const auto current = [&] { return json::parseFile(path); };
        const auto nlohmann = [&] { return bench::nlohmannjson::parse(json::readTextFile(path)); };
        // Both must build the same tree.
        const json::Value reference = current();
        if (!sameTree(nlohmann(), reference)) {
            std::cerr << path << ": the two readers disagree\n";
            return 1;
        }
        std::vector<double> currentMs, nlohmannMs;
        for (int r = 0; r < rounds; ++r) {
            for (int i = 0; i < 2; ++i) {
                if ((r + i) % 2 == 0)
                    currentMs.push_back(timeMs(current));
                else
                    nlohmannMs.push_back(timeMs(nlohmann));
            }
        }
        out.key(path).beginObject().key("bytes").value(static_cast<std::int64_t>(std::filesystem::file_size(path)));
        out.key("attnviz_median_ms").value(median(currentMs));
        out.key("nlohmann_sax_median_ms").value(median(nlohmannMs));
        out.endObject();
    }
    out.endObject().endObject();
    std::cout << out.str() << "\n";
    return 0;
}
