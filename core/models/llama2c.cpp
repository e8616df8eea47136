#include "models/llama2c.h"

#include "models/checkpointmodel.h"
#include "tokenizers/llama2ctokenizer.h"
#include "models/mappedfile.h"
#include "util/checkednumbers.h"
#include "util/regularfile.h"
#include "util/sizelimits.h"

#include <cstring>
#include <span>
#include <filesystem>

namespace fs = std::filesystem;

namespace attnviz {

namespace {

// Sequential reader over the mapped floats with bounds checks.
class FloatCursor
{
public:
    FloatCursor(const MappedFile& file, std::size_t offset) : m_file(file), m_offset(offset) {}

    // The next rows×cols floats as a (rows, cols) row-major matrix.
    Matrix take(Index rows, Index cols, const char* what)
    {
        const std::size_t bytes = checkedBytes(rows, cols);
        if (m_file.size() < m_offset || m_file.size() - m_offset < bytes) {
            throw ModelLoadError(m_file.path() + ": file truncated while reading " + what);
        }
        Matrix m(rows, cols);
        std::memcpy(m.data(), m_file.data() + m_offset, bytes);
        m_offset += bytes;
        // Refused, not shown: see WeightArchive::floats.
        const std::span<const float> values(m.data(), static_cast<std::size_t>(m.size()));
        if (const std::ptrdiff_t bad = checked::firstNonFinite(values); bad >= 0) {
            throw ModelLoadError(m_file.path() + ": " + what + " holds " + checked::nonFiniteName(values[bad]) +
                                 " value (element " + std::to_string(bad) + "); the checkpoint is corrupt");
        }
        return m;
    }
    // Skips a table that is not used (it is only checked to be present).
    void skip(std::size_t floats, const char* what)
    {
        const std::size_t bytes = checkedBytes(1, static_cast<Index>(floats));
        if (m_file.size() < m_offset || m_file.size() - m_offset < bytes)
            throw ModelLoadError(m_file.path() + ": file truncated while reading " + what);
        m_offset += bytes;
    }

private:
    std::size_t checkedBytes(Index rows, Index cols) const
    {
        const std::size_t n = checked::mulSize<ModelLoadError>(static_cast<std::size_t>(rows),
                                                              static_cast<std::size_t>(cols), m_file.path());
        return checked::mulSize<ModelLoadError>(n, sizeof(float), m_file.path());
    }

    const MappedFile& m_file;
    std::size_t m_offset;
};

fs::path findTokenizer(const fs::path& bin, int vocab)
{
    const fs::path dir = bin.parent_path().empty() ? fs::path(".") : bin.parent_path();
    for (const fs::path& candidate : {dir / "tokenizer.bin", dir / ("tok" + std::to_string(vocab) + ".bin")}) {
        if (isPresent(candidate.string())) // a broken one is then reported by the tokenizer
            return candidate;
    }
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind("tok", 0) == 0 && entry.path().extension() == ".bin" && entry.path() != bin)
            return entry.path();
    }
    return {};
}

} // namespace

std::unique_ptr<GenericTransformer> loadLlama2cNetwork(const std::string& binPath)
{
    const MappedFile file(binPath);
    if (file.size() < 7 * sizeof(std::int32_t))
        throw ModelLoadError(binPath + ": too short for a llama2.c header");
    if (file.data()[0] == 'P' && file.data()[1] == 'K') {
        throw ModelLoadError(binPath + ": a PyTorch (zip) checkpoint, not llama2.c; open the Hugging Face folder "
                                       "holding it (config.json beside pytorch_model.bin) instead");
    }
    std::int32_t h[7];
    std::memcpy(h, file.data(), sizeof h);
    // The header's sizes follow the same bounds as config.json's (util/sizelimits.h).
    const auto field = [&](SizeKind kind, std::int64_t value, const char* name) {
        try {
            return checkedSize<ModelLoadError>(kind, static_cast<double>(value), std::string("header ") + name);
        } catch (const ModelLoadError& e) {
            throw ModelLoadError(binPath + ": not a llama2.c checkpoint (" + e.what() + ")");
        }
    };
    const int dim = field(SizeKind::Width, h[0], "dim");
    const int hidden = field(SizeKind::Intermediate, h[1], "hidden_dim");
    const int layers = field(SizeKind::Layers, h[2], "n_layers");
    const int heads = field(SizeKind::Heads, h[3], "n_heads");
    const int kvHeads = field(SizeKind::Heads, h[4], "n_kv_heads");
    const bool shared = h[5] > 0;
    const int vocab = field(SizeKind::Vocabulary, h[5] < 0 ? -static_cast<std::int64_t>(h[5]) : h[5], "vocab_size");
    const int seqLen = field(SizeKind::Positions, h[6], "seq_len");
    const bool plausible = heads % kvHeads == 0 && dim % heads == 0 && (dim / heads) % 2 == 0 && vocab > 3;
    if (!plausible) {
        throw ModelLoadError(binPath + ": not a llama2.c checkpoint (implausible header " + std::to_string(dim) + ", " +
                             std::to_string(hidden) + ", " + std::to_string(layers) + ", " + std::to_string(heads) +
                             ", " + std::to_string(kvHeads) + ", " + std::to_string(h[5]) + ", " +
                             std::to_string(seqLen) + ")");
    }
    const int headSize = dim / heads;
    const int kvDim = kvHeads * headSize; // <= dim
    // The whole file size the header implies, checked before anything is allocated (sizes are
    // bounded, so these 64-bit products cannot overflow).
    const std::uint64_t D = dim, F = hidden, V = vocab, perLayer = 2 * D + 2 * D * D + 2 * kvDim * D + 3 * F * D;
    const std::uint64_t floats = V * D * (shared ? 1 : 2) + layers * perLayer + D + std::uint64_t(seqLen) * headSize;
    if ((file.size() - sizeof h) / sizeof(float) < floats) {
        throw ModelLoadError(binPath + ": file truncated: the header implies " + std::to_string(floats * 4 + sizeof h) +
                             " bytes but the file has " + std::to_string(file.size()));
    }

    TransformerInfo info;
    info.family = "llama2c";
    info.dModel = dim;
    info.layers = layers;
    info.heads = heads;
    info.kvHeads = kvHeads;
    info.vocab = vocab;
    info.maxPositions = seqLen;
    info.storedPositions = true; // freq_cis tables of seq_len rows are stored (and checked present)
    info.causal = true;
    info.stopIds = {Llama2cTokenizer::bosId}; // run.c stops when the model emits BOS
    // A hand-built block of the generic forward: Llama's layout with Meta's interleaved RoPE pairs.
    Architecture arch;
    arch.norm = NormKind::RmsNorm;
    arch.normEps = 1e-5f;
    arch.headDim = arch.rotaryDim = headSize;
    arch.ropeInverseFrequencies = ropeInverseFrequencies(headSize, 10000.0f);
    arch.ropeInterleaved = true;
    arch.activation = Activation::Silu;
    arch.pipelineNote = "Q and K are shown after the rotary position embedding (RoPE), so Q ≠ X·W_Q; head size " +
                        std::to_string(headSize);
    if (kvHeads != heads) {
        arch.pipelineNote += "; grouped-query attention: " + std::to_string(heads / kvHeads) +
                             " query heads share each K/V head";
    }

    // Weights are stored per kind for all layers ((layers, out, in) for matrices); nn.Linear
    // layout (out, in) is transposed to our (in, out).
    FloatCursor cursor(file, sizeof h);
    StackWeights w;
    w.embedding = TokenTable(cursor.take(vocab, dim, "token_embedding_table"));
    const auto count = static_cast<std::size_t>(layers);
    w.blocks.resize(count);
    std::vector<Matrix> wq(count), wk(count), wv(count), gate(count), up(count);
    for (auto& b : w.blocks)
        b.attnNormGain = cursor.take(1, dim, "rms_att_weight");
    for (auto& m : wq)
        m = cursor.take(dim, dim, "wq").transpose();
    for (auto& m : wk)
        m = cursor.take(kvDim, dim, "wk").transpose();
    for (auto& m : wv)
        m = cursor.take(kvDim, dim, "wv").transpose();
    for (auto& b : w.blocks)
        b.o = Linear(cursor.take(dim, dim, "wo").transpose());
    for (auto& b : w.blocks)
        b.mlpNormGain = cursor.take(1, dim, "rms_ffn_weight");
    for (auto& m : gate)
        m = cursor.take(hidden, dim, "w1").transpose();
    for (auto& b : w.blocks)
        b.down = Linear(cursor.take(dim, hidden, "w2").transpose());
    for (auto& m : up)
        m = cursor.take(hidden, dim, "w3").transpose();
    for (std::size_t l = 0; l < count; ++l) {
        Matrix qkv(dim, dim + 2 * kvDim);
        qkv << wq[l], wk[l], wv[l];
        w.blocks[l].qkv = Linear(qkv);
        Matrix gateUp(dim, 2 * hidden);
        gateUp << gate[l], up[l];
        w.blocks[l].up = Linear(gateUp);
    }
    w.finalNormGain = cursor.take(1, dim, "rms_final_weight");
    cursor.skip(static_cast<std::size_t>(seqLen) * headSize / 2, "freq_cis_real");
    cursor.skip(static_cast<std::size_t>(seqLen) * headSize / 2, "freq_cis_imag");
    if (!shared)
        w.lmHead = TokenTable(cursor.take(vocab, dim, "wcls"));
    return std::make_unique<GenericTransformer>(std::move(info), std::move(arch), std::move(w));
}
std::unique_ptr<AttentionModel> openLlama2c(const std::string& binPath)
{
    std::unique_ptr<GenericTransformer> net = loadLlama2cNetwork(binPath);
    std::vector<std::string> notices;
    std::unique_ptr<Tokenizer> tokenizer;
    const fs::path tokPath = findTokenizer(fs::path(binPath), net->info().vocab);
    if (tokPath.empty()) {
        notices.push_back(
            "no llama2.c tokenizer (tokenizer.bin) next to the checkpoint; the model takes token ids only");
    } else {
        try {
            tokenizer = std::make_unique<Llama2cTokenizer>(tokPath.string(), net->info().vocab,
                                                           net->info().maxPositions);
        } catch (const TokenizerError& e) {
            throw ModelLoadError(e.what());
        }
    }
    return std::make_unique<CheckpointModel>(std::move(net), std::move(tokenizer), fs::path(binPath).stem().string(),
                                             std::move(notices));
}

} // namespace attnviz
