#pragma once
// One function per attnviz-cli command. Each returns the process exit code and throws
// cli::UsageError or std::exception for the caller to report (exit code 2).

#include "cliargs.h"

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

} // namespace attnviz::cli
