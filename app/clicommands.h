#pragma once
// One function per attnviz-cli command. Each returns the process exit code and throws
// cli::UsageError or std::exception for the caller to report (exit code 2).

#include "cliargs.h"
#include "engine/attentionmodel.h"

#include <string>
#include <vector>

namespace attnviz::cli {

int runLessonCommand(const std::vector<std::string>& args);
int runAttentionCommand(const std::vector<std::string>& args);
// Writes a run's attention as an attention file (docs/attention-file.md).
int runExportCommand(const std::vector<std::string>& args);
int runGenerateCommand(const std::vector<std::string>& args);
int runHeadsCommand(const std::vector<std::string>& args);
// Lists the GGUF models of Ollama, LM Studio, the Hugging Face cache and the folders given.
int runModelsCommand(const std::vector<std::string>& args);
// The logit lens (top tokens after every layer) and direct logit attribution (clireadouts.cpp).
int runLensCommand(const std::vector<std::string>& args);
int runAttributeCommand(const std::vector<std::string>& args);
// Head importance by ablation: the change in log P(next token) with each head zeroed.
int runImportanceCommand(const std::vector<std::string>& args);

// Shared by the commands that run a model on an input.
constexpr const char* DefaultModel = "builtin:decoder";
// `own` plus --model, --text, --second, --ids, --mask and --attention-budget.
std::vector<OptionSpec> withInputOptions(std::vector<OptionSpec> own);
// The request those options describe (UsageError for a missing or contradictory input).
RunRequest inputRequest(const ParsedArgs& parsed, const ModelInfo& info);

} // namespace attnviz::cli
