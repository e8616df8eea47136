// attnviz-cli: the command-line face of the core. Argument parsing and wiring only.
#include "clicommands.h"
#include "util/memorypolicy.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

namespace {

constexpr const char* Usage = R"(usage: attnviz-cli COMMAND [options]

commands:
  lesson (FILE | lesson:NAME) [--json] [--mask none|causal] [--no-scale]
      Run a lesson (hand-written attention example) and print every stage.
  attention [--model MODEL] (--text TEXT | --ids 1,2,3) [--second TEXT]
            [--mask none|causal] [--stack S] [--layer L] [--head H] [--json] [--attention-budget MIB]
            [--measure raw|value-weighted|alti|flow]
      Run a model and print its attention weights, attention[layer][head][query][key]. Maps beyond
      the budget (default 1024 MiB) are left out, keeping the layers around --layer. value-weighted:
      each weight times the norm of what the head writes for that key (Kobayashi et al. 2020), as
      shares of each query's row, per head and for every layer's heads together; alti: each token's
      share of a query's attention-block output per layer (Ferrando et al. 2022); flow: the maximum
      flow from each input token to each token after --layer (Abnar & Zuidema 2020), short inputs.
  lens [--model MODEL] (--text TEXT | --ids 1,2,3) [--position P] [--json]
      The logit lens: the top tokens the residual stream predicts after every layer, at every
      position (or at P, the last token by default, when all would cost too much).
  attribute [--model MODEL] (--text TEXT | --ids 1,2,3) [--position P] [--target TOKEN|#ID] [--json]
      Direct logit attribution: how much each head, MLP and bias adds to the logit of TARGET (the
      top prediction by default) at P (the last token), with the final norm's scale frozen.
  importance [--model MODEL] (--text TEXT | --ids 1,2,3) [--target TOKEN|#ID] [--json]
      Head importance by ablation: the change in log P(TARGET) after the last token when each
      head is zeroed, one run per head (decoders).
  export [--model MODEL] (--text TEXT | --ids 1,2,3) [--second TEXT] [--mask none|causal]
         [--heads L.H,L.H...] [--top-k K] [--dtype f16|f32] [--force] -o OUT.attention.safetensors
      Write the run's attention as an attention file (docs/attention-file.md): every stack, all
      heads or those listed, whole rows or the K largest weights of each query row.
  generate --model MODEL [--text PROMPT | --ids 1,2,3] --greedy N
      Greedy text generation with a decoder model; with an encoder-decoder (builtin:translator),
      the greedy translation of the source PROMPT.
  heads [--model MODEL] [--text TEXT] [--json]
      Per-head statistics: previous-token, first-token, duplicate-token, induction, entropy.
  render (--model MODEL --text TEXT | --lesson FILE | --session FILE.attnviz)
         [--view heatmap|arcs|model|pipeline|chart|lens|attribution]
         [--stack S] [--layer L] [--head H] [--query I] [--mask none|causal] [--theme light|dark]
         [--rollout] [--measure raw|value-weighted|alti|flow] [--size WxH] [--scale 1-4] [--font-size PT]
         [--transparent] [--no-legend] [--no-title]
         [--force] (-o OUT.png|OUT.svg|OUT.pdf | --all-heads DIR [--format png|svg|pdf])
      Draw a view to a file without a display (one file per layer x head with --all-heads).
      An existing file is kept unless --force is given. A session saved by the app (File > Save
      Session) gives the model, text, view, layer, head, query, mask, ablation and colours.
  models [--json] [FOLDER...]
      List the GGUF models on this computer: Ollama's ($OLLAMA_MODELS or ~/.ollama/models),
      LM Studio's (~/.lmstudio/models), the Hugging Face cache's ($HF_HUB_CACHE, $HF_HOME/hub or
      ~/.cache/huggingface/hub) and those in FOLDERs: name, architecture, quantisation, size,
      source and the path to give as --model.

MODEL is a lesson .json file, a Hugging Face model folder (config.json, model.safetensors or
pytorch_model.bin, tokenizer files), a llama2.c .bin checkpoint, a GGUF .gguf file (llama.cpp,
Ollama, LM Studio; an Ollama blob without extension too), an attention file (.safetensors written by
export or tools/export/attnviz_export.py), builtin:NAME or lesson:NAME.
Exit codes: 0 success, 2 bad input or usage (one message on stderr).
)";

// "render" runs attnviz-render from this program's folder with the same arguments; only it links
// the GUI libraries. Returns only when that fails.
int runRender(const char* self, const std::vector<std::string>& args)
{
    std::error_code error;
    std::filesystem::path program = std::filesystem::read_symlink("/proc/self/exe", error);
    if (error)
        program = self;
    program = program.parent_path() / "attnviz-render";
    std::vector<char*> argv{const_cast<char*>("attnviz-render")};
    for (const std::string& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(program.c_str(), argv.data());
    std::cerr << "attnviz-cli render: cannot run " << program.string() << " (" << std::strerror(errno)
              << "); this build may have no GUI (ATTNVIZ_BUILD_GUI=OFF)\n";
    return 2;
}

} // namespace

int main(int argc, char* argv[])
{
    attnviz::keepFreedMemoryForReuse();
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::fputs(Usage, args.empty() ? stderr : stdout);
        return args.empty() ? 2 : 0;
    }
    const std::string command = args[0];
    args.erase(args.begin());
    try {
        if (command == "lesson") return attnviz::cli::runLessonCommand(args);
        if (command == "attention") return attnviz::cli::runAttentionCommand(args);
        if (command == "export") return attnviz::cli::runExportCommand(args);
        if (command == "generate") return attnviz::cli::runGenerateCommand(args);
        if (command == "heads") return attnviz::cli::runHeadsCommand(args);
        if (command == "models") return attnviz::cli::runModelsCommand(args);
        if (command == "lens") return attnviz::cli::runLensCommand(args);
        if (command == "attribute") return attnviz::cli::runAttributeCommand(args);
        if (command == "importance") return attnviz::cli::runImportanceCommand(args);
        if (command == "render") return runRender(argv[0], args);
        std::cerr << "attnviz-cli: unknown command \"" << command << "\" (try attnviz-cli --help)\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "attnviz-cli " << command << ": " << e.what() << "\n";
        return 2;
    }
}
