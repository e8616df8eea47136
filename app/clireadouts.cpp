// attnviz-cli lens and attribute: what the residual stream predicts after every layer, and how
// much each head writes into one logit (engine/readouts.h).
#include "clicommands.h"

#include "engine/resultjson.h"
#include "registry/modelregistry.h"
#include "stats/derive.h"
#include "stats/headimportance.h"
#include "tokenizers/tokenizer.h"
#include "util/json.h"

#include <cmath>
#include <cstdio>
#include <iostream>

namespace attnviz::cli {

namespace {

std::shared_ptr<AttentionResult> runReadout(const ParsedArgs& parsed, RunRequest& request, const AttentionModel& model)
{
    request.readoutPosition = parsed.getInt("position", 0, 1 << 24).value_or(-1);
    const auto result = runWithStatistics(model, request);
    for (const auto& n : result->notices) std::cerr << "note: " << n << "\n";
    return result;
}

// One JSON document on stdout, written by `write`, and a line end.
template <typename Write>
void printJson(Write write)
{
    json::Writer w(std::cout, false);
    write(w);
    w.flush();
    std::cout << "\n";
}

// "id (token)" for the tables; tokens in quotes so spaces show.
std::string shown(int id, const std::string& display)
{
    return std::to_string(id) + " \"" + display + "\"";
}

// --target TOKEN: one token of the model's vocabulary, by its text or as #ID.
int targetId(const std::string& target, const AttentionModel& model)
{
    if (target.size() > 1 && target[0] == '#') {
        const std::vector<int> ids = parseIdList(target.substr(1));
        if (ids.size() == 1) return ids.front();
    }
    const Tokenizer* tokenizer = model.tokenizer();
    if (tokenizer == nullptr) throw UsageError("this model has no tokenizer: give the target as #ID");
    if (const auto id = tokenizer->idOf(target)) return *id;
    std::vector<Token> tokens = tokenizer->encode(target);
    if (tokens.size() != 1)
        throw UsageError("--target \"" + target + "\" is " + std::to_string(tokens.size()) +
                         " tokens, not one; give one token (a leading space matters) or #ID");
    return tokens.front().id;
}

} // namespace

int runLensCommand(const std::vector<std::string>& args)
{
    const ParsedArgs parsed = parseArgs(args, withInputOptions({{"position", true}, {"json", false}}));
    if (!parsed.positional.empty()) throw UsageError("unexpected argument \"" + parsed.positional.front() + "\"");
    const auto model = openModel(parsed.get("model").value_or(DefaultModel));
    RunRequest request = inputRequest(parsed, model->info());
    request.logitLens = true;
    const auto result = runReadout(parsed, request, *model);
    if (!result->logitLens) throw std::runtime_error("this model gives no logit lens");
    const LogitLens& lens = *result->logitLens;
    if (parsed.has("json")) {
        printJson([&](json::Writer& w) { writeLogitLens(w, lens); });
        return 0;
    }
    std::cout << result->model.name << ": the top " << lens.top
              << " tokens the residual stream predicts after each layer (final norm and output head applied)\n";
    for (std::size_t p = 0; p < lens.positions.size(); ++p) {
        const int position = lens.positions[p];
        std::cout << "\nposition " << position << " "
                  << shown(result->tokens[static_cast<std::size_t>(position)].id,
                           result->tokens[static_cast<std::size_t>(position)].display)
                  << "\n";
        for (int l = 0; l < lens.layers; ++l) {
            std::printf("  layer %-3d", l);
            for (int k = 0; k < lens.top; ++k) {
                const Prediction& pr = lens.at(l, static_cast<int>(p), k);
                std::printf("  %-14.14s %5.3f", ("\"" + pr.display + "\"").c_str(), static_cast<double>(pr.probability));
            }
            std::printf("\n");
        }
    }
    return 0;
}

int runAttributeCommand(const std::vector<std::string>& args)
{
    const ParsedArgs parsed = parseArgs(args, withInputOptions({{"position", true}, {"target", true}, {"json", false}}));
    if (!parsed.positional.empty()) throw UsageError("unexpected argument \"" + parsed.positional.front() + "\"");
    const auto model = openModel(parsed.get("model").value_or(DefaultModel));
    RunRequest request = inputRequest(parsed, model->info());
    request.attribution = true;
    if (const auto target = parsed.get("target")) request.attributionTarget = targetId(*target, *model);
    const auto result = runReadout(parsed, request, *model);
    if (!result->attribution) throw std::runtime_error("direct logit attribution is not available for this model");
    const LogitAttribution& a = *result->attribution;
    if (parsed.has("json")) {
        printJson([&](json::Writer& w) { writeAttribution(w, a); });
        return 0;
    }
    std::printf("logit of %s at position %d: %.4f (sum of the parts %.4f)\n", shown(a.target, a.targetDisplay).c_str(),
                a.position, static_cast<double>(a.logit), static_cast<double>(a.total()));
    std::printf("final norm's scale frozen; each head's write through W_O\n\n%-8s", "layer");
    for (int h = 0; h < a.heads; ++h) std::printf(" %8s", ("H" + std::to_string(h)).c_str());
    std::printf(" %8s %8s\n", "W_O bias", "MLP");
    for (int l = 0; l < a.layers; ++l) {
        std::printf("%-8d", l);
        for (int h = 0; h < a.heads; ++h) std::printf(" %8.3f", static_cast<double>(a.headAt(l, h)));
        std::printf(" %8.3f %8.3f\n", static_cast<double>(a.attentionBias[static_cast<std::size_t>(l)]),
                    static_cast<double>(a.mlp[static_cast<std::size_t>(l)]));
    }
    std::printf("\nembedding %.3f, final norm bias %.3f\n", static_cast<double>(a.embedding), static_cast<double>(a.finalBias));
    return 0;
}

int runImportanceCommand(const std::vector<std::string>& args)
{
    const ParsedArgs parsed = parseArgs(args, withInputOptions({{"target", true}, {"json", false}}));
    if (!parsed.positional.empty()) throw UsageError("unexpected argument \"" + parsed.positional.front() + "\"");
    const auto model = openModel(parsed.get("model").value_or(DefaultModel));
    RunRequest request = inputRequest(parsed, model->info());
    if (const auto target = parsed.get("target")) request.attributionTarget = targetId(*target, *model);
    const HeadImportance imp = headImportance(*model, request, [](int done, int total) {
        std::fprintf(stderr, "\r%d of %d heads", done, total);
        if (done == total) std::fputc('\n', stderr);
    });
    if (parsed.has("json")) {
        json::Array rows;
        for (int l = 0; l < imp.layers; ++l) {
            json::Array row;
            for (int h = 0; h < imp.heads; ++h)
                row.emplace_back(std::isnan(imp.at(l, h)) ? json::Value() : json::Value(double(imp.at(l, h))));
            rows.emplace_back(std::move(row));
        }
        printJson([&](json::Writer& w) {
            w.value(json::Value(json::Object{{"target_id", imp.target}, {"target", imp.targetDisplay},
                                             {"log_probability", double(imp.baseLogProbability)},
                                             {"change", json::Value(std::move(rows))}}));
        });
        return 0;
    }
    std::printf("log P(%s) = %.4f; the change when each head is zeroed (negative: the head helps)\n\n%-8s",
                shown(imp.target, imp.targetDisplay).c_str(), static_cast<double>(imp.baseLogProbability), "layer");
    for (int h = 0; h < imp.heads; ++h) std::printf(" %8s", ("H" + std::to_string(h)).c_str());
    std::printf("\n");
    for (int l = 0; l < imp.layers; ++l) {
        std::printf("%-8d", l);
        for (int h = 0; h < imp.heads; ++h) {
            if (std::isnan(imp.at(l, h))) std::printf(" %8s", "ablated");
            else std::printf(" %8.3f", static_cast<double>(imp.at(l, h)));
        }
        std::printf("\n");
    }
    return 0;
}

} // namespace attnviz::cli
