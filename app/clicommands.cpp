#include "clicommands.h"
#include "registry/modelregistry.h"

#include "attention/lesson.h"
#include "engine/attentionmodel.h"
#include "models/attentionfilewriter.h"
#include "registry/localmodels.h"
#include "registry/resourcepaths.h"
#include "engine/resultjson.h"
#include "stats/derive.h"
#include "stats/headstats.h"
#include "tokenizers/tokenizer.h"
#include "util/json.h"
#include "util/messagetext.h"
#include "util/regularfile.h"

#include <algorithm>
#include <cstdio>
#include <set>
#include <iostream>

namespace attnviz::cli {

namespace {

constexpr const char* DefaultSentence = "The animal didn't cross the street because it was too tired.";

MaskOverride parseMaskOption(const ParsedArgs& parsed)
{
    const auto mask = parsed.get("mask");
    if (!mask) return MaskOverride::ModelDefault;
    if (*mask == "none") return MaskOverride::None;
    if (*mask == "causal") return MaskOverride::Causal;
    throw UsageError("--mask expects none or causal, got \"" + *mask + "\"");
}

void printAttentionTable(const AttentionResult& result, int stackIndex, std::optional<int> layer,
                         std::optional<int> head)
{
    const AttentionStack& stack = result.stacks.at(static_cast<std::size_t>(stackIndex));
    const std::vector<Token>& queries = queryTokensOf(result, stack);
    const AttentionTensor& a = stack.attention;
    std::cout << result.model.name << " (" << result.model.family << "), stack \"" << stack.name << "\", "
              << queries.size() << " query tokens\n";
    if (stack.measure != Measure::Raw) std::cout << "cells: " << measureLegend(stack.measure) << "\n";
    const auto printMap = [&](const AttentionTensor& t, int l, int h) {
        for (int q = 0; q < t.queries; ++q) {
            std::printf("%-12.12s", queries[static_cast<std::size_t>(q)].display.c_str());
            for (int k = 0; k < t.keys; ++k) std::printf(" %6.3f", static_cast<double>(t.at(l, h, q, k)));
            std::printf("\n");
        }
    };
    for (int l = layer.value_or(0); l < (layer ? *layer + 1 : a.layers); ++l) {
        for (int h = head.value_or(0); h < (head ? *head + 1 : a.heads); ++h) {
            if (!a.holds(l, h)) {
                std::cout << "\nlayer " << l << " head " << h
                          << (result.model.recorded ? ": not in this attention file\n"
                                                    : ": not kept (over the attention budget; give --layer or --attention-budget)\n");
                continue;
            }
            std::cout << "\nlayer " << l << " head " << h << " (rows: queries, columns: keys)\n";
            printMap(a, l, h);
        }
        if (stack.measure != Measure::Raw && !head && stack.layerMeasure.holds(l, 0)) {
            std::cout << "\nlayer " << l << ", all heads together\n";
            printMap(stack.layerMeasure, l, 0);
        }
    }
    if (result.flow) {
        std::cout << "\nattention flow from the inputs (columns) to the tokens after layer " << result.flow->layer << "\n";
        const Matrix& f = result.flow->flow;
        for (Index q = 0; q < f.rows(); ++q) {
            std::printf("%-12.12s", queries[static_cast<std::size_t>(q)].display.c_str());
            for (Index k = 0; k < f.cols(); ++k) std::printf(" %6.3f", static_cast<double>(f(q, k)));
            std::printf("\n");
        }
    }
    std::fflush(stdout);
    for (const auto& n : result.notices) std::cerr << "note: " << n << "\n";
}

} // namespace

int runLessonCommand(const std::vector<std::string>& args)
{
    const ParsedArgs parsed = parseArgs(args, {{"json", false}, {"mask", true}, {"no-scale", false}});
    if (parsed.positional.size() != 1) throw UsageError("lesson expects exactly one lesson file");
    const Lesson lesson = loadLesson(resolveResourceSpec(parsed.positional.front())); // a file or lesson:NAME
    AttentionOptions options;
    options.scale = lesson.scale && !parsed.has("no-scale");
    options.mask = lesson.mask;
    switch (parseMaskOption(parsed)) {
    case MaskOverride::None: options.mask = MaskSpec::none(); break;
    case MaskOverride::Causal: options.mask = MaskSpec::causal(); break;
    default: break;
    }
    const MultiHeadResult result = runLesson(lesson, options);
    if (parsed.has("json")) {
        writeMultiHeadJson(std::cout, result); // streamed: the text of a big lesson is never held whole
        std::cout << "\n";
    } else {
        if (!lesson.title.empty()) std::cout << lesson.title << "\n\n";
        std::cout << multiHeadTable(result, lesson.tokens, lesson.sourceTokens);
    }
    return 0;
}

namespace {

// The options that attention and export share: the model, its input, the mask and the attention budget.
const std::vector<OptionSpec> inputOptions{{"model", true}, {"text", true}, {"second", true},
                                           {"ids", true},   {"mask", true}, {"attention-budget", true}};

} // namespace

RunRequest inputRequest(const ParsedArgs& parsed, const ModelInfo& info)
{
    RunRequest request;
    if (parsed.has("text") && parsed.has("ids")) throw UsageError("give either --text or --ids, not both");
    if (parsed.has("ids")) {
        request.ids = parseIdList(*parsed.get("ids"));
    } else if (parsed.has("text")) {
        request.text = *parsed.get("text");
        if (request.text.empty() && info.takesText && !parsed.has("second")) throw UsageError("--text is empty");
    } else if (info.takesText && !parsed.has("second")) {
        // A translator may take only its source (--second) and translate it by itself.
        throw UsageError("give the input with --text TEXT or --ids 1,2,3");
    }
    request.secondText = parsed.get("second").value_or("");
    if (!parsed.has("text") && !parsed.has("ids") && !request.secondText.empty()) {
        // Only a source sentence: a translator translates it by itself (its decoder then reads
        // its own greedy output).
        request.text = std::move(request.secondText);
        request.secondText.clear();
    }
    request.mask = parseMaskOption(parsed);
    // MiB of attention maps a run keeps; a longer input keeps the layers around --layer.
    if (const auto mib = parsed.getInt("attention-budget", 1, 1 << 20)) request.attentionBudgetBytes = std::size_t(*mib) << 20;
    return request;
}

std::vector<OptionSpec> withInputOptions(std::vector<OptionSpec> own)
{
    own.insert(own.end(), inputOptions.begin(), inputOptions.end());
    return own;
}

namespace {

Measure parseMeasureOption(const ParsedArgs& parsed)
{
    const std::string name = parsed.get("measure").value_or("raw");
    if (const auto m = measureNamed(name)) return *m;
    throw UsageError("--measure expects raw, value-weighted, alti or flow, got \"" + name + "\"");
}

// "0.3,1.0" -> {(0, 3), (1, 0)}: layer.head pairs.
std::set<std::pair<int, int>> parseHeadList(const std::string& text)
{
    std::set<std::pair<int, int>> heads;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        const std::string item = text.substr(start, comma - start);
        const std::size_t dot = item.find('.');
        const auto number = [&](const std::string& digits) {
            if (digits.empty() || digits.size() > 6 || digits.find_first_not_of("0123456789") != std::string::npos)
                throw UsageError("--heads expects LAYER.HEAD pairs separated by commas (0.3,1.0), got \"" + text + "\"");
            return std::stoi(digits);
        };
        if (dot == std::string::npos) number("");
        heads.emplace(number(item.substr(0, dot)), number(item.substr(dot + 1)));
        start = comma + 1;
    }
    return heads;
}

} // namespace

int runAttentionCommand(const std::vector<std::string>& args)
{
    const ParsedArgs parsed = parseArgs(
        args, withInputOptions({{"layer", true}, {"head", true}, {"stack", true}, {"json", false}, {"measure", true}}));
    if (!parsed.positional.empty()) throw UsageError("unexpected argument \"" + parsed.positional.front() + "\"");
    const auto model = openModel(parsed.get("model").value_or(DefaultModel));
    RunRequest request = inputRequest(parsed, model->info());
    request.measure = parseMeasureOption(parsed);
    if (request.measure == Measure::Flow) { // every head, to --layer (the last by default)
        const int last = std::max(0, model->info().layers - 1);
        request.flow = RunRequest::Flow{parsed.getInt("stack", 0, 16).value_or(0),
                                        std::vector<bool>(static_cast<std::size_t>(std::max(0, model->info().heads)), true),
                                        std::min(parsed.getInt("layer", 0, 100000).value_or(last), last)};
    }
    const auto layer = parsed.getInt("layer", 0, 100000);
    const auto head = parsed.getInt("head", 0, 100000);
    if (layer && !model->info().encoderDecoder && model->info().layers > 0) // the maps kept first when they do not all fit the budget
        request.pipelineHead = std::make_pair(std::min(*layer, model->info().layers - 1), std::min(head.value_or(0), std::max(0, model->info().heads - 1)));
    const int stack = parsed.getInt("stack", 0, 16).value_or(0);
    // A measure other than the raw weights is derived from the run (stats/derive.h).
    const auto result = request.measure == Measure::Raw ? model->run(request) : runWithStatistics(*model, request);
    if (stack >= static_cast<int>(result->stacks.size())) {
        throw UsageError("--stack " + std::to_string(stack) + " is out of range (the model has " +
                         std::to_string(result->stacks.size()) + " attention stacks, numbered from 0)");
    }
    if (parsed.has("json")) {
        writeAttentionJson(std::cout, *result, stack, layer, head);
        std::cout << "\n";
    } else {
        checkAttentionSelection(*result, stack, layer, head); // the same range checks as the JSON path
        printAttentionTable(*result, stack, layer, head);
    }
    return 0;
}

int runExportCommand(const std::vector<std::string>& args)
{
    const ParsedArgs parsed =
        parseArgs(args, withInputOptions({{"o", true}, {"heads", true}, {"top-k", true}, {"dtype", true}, {"force", false}}));
    if (!parsed.positional.empty()) throw UsageError("unexpected argument \"" + parsed.positional.front() + "\"");
    const auto out = parsed.get("o");
    if (!out) throw UsageError("give the file to write with -o FILE.attention.safetensors");
    if (!parsed.has("force") && fileKind(*out) != FileKind::Missing)
        throw UsageError(escapedForMessage(*out) + " exists (give --force to replace it)");
    AttentionFileOptions options;
    const std::string dtype = parsed.get("dtype").value_or("f16");
    if (dtype != "f16" && dtype != "f32") throw UsageError("--dtype expects f16 or f32, got \"" + dtype + "\"");
    options.half = dtype == "f16";
    options.topK = parsed.getInt("top-k", 1, 1 << 24).value_or(0);
    if (parsed.has("heads")) options.heads = parseHeadList(*parsed.get("heads"));
    const auto model = openModel(parsed.get("model").value_or(DefaultModel));
    const RunRequest request = inputRequest(parsed, model->info());
    const auto result = model->run(request);
    options.text = request.text;
    options.secondText = request.secondText;
    writeAttentionFile(*out, *result, options);
    for (const auto& n : result->notices) std::cerr << "note: " << n << "\n";
    return 0;
}

int runGenerateCommand(const std::vector<std::string>& args)
{
    const ParsedArgs parsed = parseArgs(args, {{"model", true}, {"text", true}, {"ids", true}, {"greedy", true}});
    if (!parsed.positional.empty()) throw UsageError("unexpected argument \"" + parsed.positional.front() + "\"");
    if (parsed.has("text") && parsed.has("ids")) throw UsageError("give either --text or --ids, not both");
    const int steps = parsed.getInt("greedy", 1, 100000).value_or(0);
    if (steps == 0) throw UsageError("give the number of tokens to generate with --greedy N");
    const auto model = openModel(parsed.get("model").value_or(DefaultModel));
    const Tokenizer* tokenizer = model->tokenizer();
    std::vector<int> prompt;
    if (parsed.has("ids")) {
        prompt = parseIdList(*parsed.get("ids"));
    } else if (tokenizer != nullptr) {
        for (const Token& t : tokenizer->encodeForModel(parsed.get("text").value_or(""))) prompt.push_back(t.id);
    } else {
        throw UsageError("this model has no tokenizer; give the prompt with --ids");
    }
    const std::vector<int> generated = model->generateGreedy(prompt, steps);
    if (tokenizer == nullptr) {
        for (std::size_t i = 0; i < generated.size(); ++i) std::cout << (i ? "," : "") << generated[i];
        std::cout << "\n";
        return 0;
    }
    // A translation does not continue its source: print the target alone.
    if (model->info().encoderDecoder) {
        std::cout << tokenizer->decode(generated) << "\n";
        return 0;
    }
    std::vector<int> all = prompt;
    all.insert(all.end(), generated.begin(), generated.end());
    std::cout << tokenizer->decode(all) << "\n";
    return 0;
}

int runHeadsCommand(const std::vector<std::string>& args)
{
    const ParsedArgs parsed = parseArgs(args, {{"model", true}, {"text", true}, {"json", false}});
    if (!parsed.positional.empty()) throw UsageError("unexpected argument \"" + parsed.positional.front() + "\"");
    const auto model = openModel(parsed.get("model").value_or(DefaultModel));
    const Tokenizer* tokenizer = model->tokenizer();
    if (tokenizer == nullptr) throw UsageError("head statistics need a model with a vocabulary (not a lesson)");
    // The induction sequence draws from the middle 80% of the vocabulary, away from the byte and
    // special tokens that tokenizers keep at either end.
    const int vocab = tokenizer->vocabSize();
    const HeadStatsReport report =
        computeHeadStats(*model, parsed.get("text").value_or(DefaultSentence), vocab / 10, vocab - vocab / 10);
    if (parsed.has("json")) {
        std::cout << headStatsJson(report, model->info()) << "\n";
        return 0;
    }
    std::printf("%-12s %9s %9s %9s %9s %9s\n", "layer.head", "previous", "first", "duplicate", "induction", "entropy");
    for (std::size_t l = 0; l < report.heads.size(); ++l) {
        for (std::size_t h = 0; h < report.heads[l].size(); ++h) {
            const HeadStats& s = report.heads[l][h];
            std::printf("%-12s %9.3f %9.3f %9.3f %9.3f %9.3f\n", (std::to_string(l) + "." + std::to_string(h)).c_str(),
                        double(s.previousToken), double(s.firstToken), double(s.duplicateToken), double(s.induction),
                        double(s.entropy));
        }
    }
    return 0;
}

int runModelsCommand(const std::vector<std::string>& args)
{
    const ParsedArgs parsed = parseArgs(args, {{"json", false}});
    for (const std::string& folder : parsed.positional) {
        if (fileKind(folder) != FileKind::Directory) throw UsageError("not a folder: " + escapedForMessage(folder));
    }
    const std::vector<ModelRoot> roots = defaultModelRoots(parsed.positional);
    const std::vector<LocalModel> models = discoverLocalModels(roots);
    if (parsed.has("json")) {
        json::Array list;
        for (const LocalModel& m : models) {
            json::Object o{{"name", m.name},         {"architecture", m.architecture}, {"quantisation", m.quantisation},
                           {"bytes", m.bytes},       {"parameters", m.parameters},     {"source", m.source},
                           {"path", m.path},         {"supported", m.supported}};
            if (!m.supported) o.emplace_back("problem", m.problem);
            list.emplace_back(std::move(o));
        }
        json::Writer out(std::cout, true);
        out.value(json::Value(std::move(list)));
        out.flush();
        std::cout << "\n";
        return 0;
    }
    if (models.empty()) {
        std::cout << "no GGUF models found; looked in:\n";
        for (const ModelRoot& r : roots) std::cout << "  " << escapedForMessage(r.path, 400) << " (" << modelStoreName(r.store) << ")\n";
        return 0;
    }
    std::printf("%-32s %-10s %-8s %9s  %-18s %s\n", "name", "arch", "quant", "size", "source", "path");
    for (const LocalModel& m : models) {
        std::printf("%-32s %-10s %-8s %9s  %-18s %s\n", escapedForMessage(m.name, 64).c_str(),
                    escapedForMessage(m.architecture, 32).c_str(), escapedForMessage(m.quantisation, 16).c_str(),
                    humanBytes(m.bytes).c_str(), m.source.c_str(), escapedForMessage(m.path, 400).c_str());
        if (!m.supported) std::printf("    not supported: %s\n", escapedForMessage(m.problem, 400).c_str());
    }
    return 0;
}

} // namespace attnviz::cli
