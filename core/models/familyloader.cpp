#include "models/familyloader.h"

#include "base/modelloaderror.h"
#include "models/hfconfig.h"
#include "models/ropescaling.h"
#include "models/weightarchive.h"
#include "util/checkednumbers.h"
#include "util/messagetext.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace attnviz {

namespace {

std::string inLayer(const std::string& pattern, int layer)
{
    std::string out = pattern;
    if (const auto at = out.find("{L}"); at != std::string::npos)
        out.replace(at, 3, std::to_string(layer));
    return out;
}

// A weight as y = x·W (in, out) and its bias (empty when not stored): floats, or the rows of a
// file that keeps its weights encoded (GGUF), where the rows are the outputs.
struct Dense
{
    Matrix w;
    compute::EncodedMatrix rows;
    bool encoded = false;
    RowVector b;
    Index outputs() const { return encoded ? rows.cols() : w.cols(); }
};

Linear toLinear(Dense d)
{
    return d.encoded ? Linear(std::move(d.rows), std::move(d.b)) : Linear(d.w, std::move(d.b));
}

// The outputs in a new order: output r of the result is output order[r] of `d`.
Dense reorderOutputs(const Dense& d, const std::vector<Index>& order)
{
    Dense out;
    out.encoded = d.encoded;
    if (d.encoded) {
        out.rows = d.rows.reordered(order);
    } else {
        out.w = Matrix(d.w.rows(), static_cast<Index>(order.size()));
        for (std::size_t r = 0; r < order.size(); ++r)
            out.w.col(static_cast<Index>(r)) = d.w.col(order[r]);
    }
    if (d.b.size() > 0) {
        out.b = RowVector(static_cast<Index>(order.size()));
        for (std::size_t r = 0; r < order.size(); ++r)
            out.b(static_cast<Index>(r)) = d.b(order[r]);
    }
    return out;
}

// Outputs side by side; biases too (zeros for a part without one) when any part has one.
Linear joinColumns(const std::vector<Dense>& parts)
{
    Index cols = 0;
    bool anyBias = false;
    for (const Dense& p : parts) {
        cols += p.outputs();
        anyBias = anyBias || p.b.size() > 0;
    }
    RowVector b = anyBias ? RowVector(RowVector::Zero(cols)) : RowVector();
    Index at = 0;
    for (const Dense& p : parts) {
        if (p.b.size() > 0)
            b.segment(at, p.b.size()) = p.b;
        at += p.outputs();
    }
    if (parts.front().encoded) { // one archive: every part is encoded or none is
        std::vector<const compute::EncodedMatrix*> rows;
        for (const Dense& p : parts)
            rows.push_back(&p.rows);
        return Linear(compute::EncodedMatrix::joined(rows), std::move(b));
    }
    Matrix w(parts.front().w.rows(), cols);
    at = 0;
    for (const Dense& p : parts) {
        w.middleCols(at, p.w.cols()) = p.w;
        at += p.w.cols();
    }
    return Linear(w, std::move(b));
}

// GPT-NeoX stores each head's [q k v] together; the kernel wants Q | K | V.
Dense perHeadToBlocks(const Dense& fused, int heads, int headDim)
{
    std::vector<Index> order;
    for (int part = 0; part < 3; ++part)
        for (int h = 0; h < heads; ++h)
            for (int i = 0; i < headDim; ++i)
                order.push_back((static_cast<Index>(h) * 3 + part) * headDim + i);
    return reorderOutputs(fused, order);
}

// llama.cpp's converter stores each head's Q and K rows interleaved for its RoPE (pairs 2i, 2i+1):
// HF row (i, half j) of a head is its row 2i + j. Undone here, so every view shows Hugging Face's
// layout and the rotate-half RoPE applies unchanged.
Dense unpermuteRotaryRows(const Dense& d, int heads, int headDim)
{
    std::vector<Index> order;
    const int half = headDim / 2;
    for (int h = 0; h < heads; ++h)
        for (int j = 0; j < 2; ++j)
            for (int i = 0; i < half; ++i)
                order.push_back(static_cast<Index>(h) * headDim + 2 * i + j);
    return reorderOutputs(d, order);
}

// A JSON value as config.json would spell it, to compare with RefusedKey::allowed.
std::string jsonText(const json::Value& v)
{
    if (v.isBool())
        return v.asBool() ? "true" : "false";
    if (v.isString())
        return "\"" + v.asString() + "\"";
    if (v.isNumber()) {
        char text[32];
        std::snprintf(text, sizeof text, "%g", v.asNumber());
        return text;
    }
    return "null";
}

class FamilyLoader
{
public:
    FamilyLoader(const HfConfig& config, const WeightArchive& weights, const FamilyDescription& family)
        : m_config(config), m_weights(weights), m_family(family), m_t(family.tensors)
    {
    }

    std::unique_ptr<GenericTransformer> load();

private:
    // The first of the key's names that config.json has, else its first name (for messages).
    std::string keyOf(const ConfigKey& key) const
    {
        for (const std::string& name : key.names) {
            if (m_config.has(name))
                return name;
        }
        return key.primary();
    }
    bool present(const ConfigKey& key) const { return !key.names.empty() && m_config.has(keyOf(key)); }
    std::string quotedKey(const ConfigKey& key) const { return "\"" + keyOf(key) + "\""; }
    int requiredSize(const ConfigKey& key, SizeKind kind) const { return m_config.requiredSize(keyOf(key), kind); }
    int sizeOr(const ConfigKey& key, SizeKind kind, int fallback) const
    {
        return present(key) ? m_config.requiredSize(keyOf(key), kind) : fallback;
    }
    // Where an expected shape came from, for shape-check messages.
    std::string from(std::initializer_list<const ConfigKey*> keys) const
    {
        std::string text = m_config.path() + " (";
        for (const ConfigKey* k : keys)
            text += (text.back() == '(' ? "" : ", ") + quotedKey(*k);
        return text + ")";
    }

    std::string name(const std::string& module) const { return m_prefix + module; }
    // The stored tensor of the token embedding: a tied pair may be saved under the head's name only.
    std::string embeddingTensor() const
    {
        const std::string own = name(m_t.embedding) + ".weight";
        const std::string head = m_t.lmHead + ".weight";
        const bool tied = m_family.alwaysTied || m_config.boolOr("tie_word_embeddings", m_family.tiedByDefault);
        return !m_weights.contains(own) && tied && !m_t.lmHead.empty() && m_weights.contains(head) ? head : own;
    }
    std::string layerModule(int layer, const std::string& part) const { return name(inLayer(m_t.layer, layer) + part); }
    Dense dense(const std::string& module, Index in, Index out, bool biasRequired) const;
    TokenTable tokenTable(const std::string& tensor, Index rows, Index cols) const
    {
        return m_weights.keepsEncoded(tensor) ? TokenTable(m_weights.encoded(tensor, rows, cols))
                                              : TokenTable(m_weights.matrix(tensor, rows, cols));
    }
    // ".gamma" in checkpoints converted from TensorFlow when ".weight" is absent, else ".weight".
    std::string normGainSuffix(const std::string& module) const
    {
        return !m_weights.contains(module + ".weight") && m_weights.contains(module + ".gamma") ? ".gamma" : ".weight";
    }
    void normInto(const std::string& module, Index n, RowVector& gain, RowVector& bias) const;

    float optionalPositive(const ConfigKey& key, float fallback) const;
    // The family's position kind, or None when its absolutePositionsKey turns the table off.
    PositionKind positionKind() const
    {
        if (present(m_family.absolutePositionsKey) && !m_config.boolOr(keyOf(m_family.absolutePositionsKey), true))
            return PositionKind::None;
        return m_family.positions;
    }
    bool readsPositionTable() const
    {
        const PositionKind kind = positionKind();
        return !m_t.positions.empty() && (kind == PositionKind::Learned || kind == PositionKind::LearnedFromPadding);
    }
    // DeBERTa: the relative-position table (after its LayerNorm, if any), read once.
    void readRelativeTable();
    void readConvolution(StackWeights& w) const;
    void readPositionProjections(int layer, BlockWeights& b) const;
    std::vector<bool> slidingLayers() const;
    std::vector<float> localRopeFrequencies() const;
    void applyStoredRopeFactors();
    void readSizes();
    void checkRefusedKeys() const;
    void checkShapes() const;
    BlockWeights readBlock(int layer) const;
    void readHead(StackWeights& w);
    void buildArchitecture();

    const HfConfig& m_config;
    const WeightArchive& m_weights;
    const FamilyDescription& m_family;
    const FamilyTensors& m_t;
    std::string m_prefix;
    TransformerInfo m_info;
    Architecture m_arch;
    int m_inner = 0;
    int m_embeddingWidth = 0; // the width of the stored embeddings (ALBERT: embedding_size)
    int m_tokenTypes = 0;
    int m_positionRows = 0;
    Index m_qWidth = 0, m_kvWidth = 0;
    bool m_attentionBias = false;
    std::optional<DisentangledAttention> m_disentangled;
    Matrix m_relTable; // (2·span, d) DeBERTa's relative-position embeddings, normalised if the config says so
};

Dense FamilyLoader::dense(const std::string& module, Index in, Index out, bool biasRequired) const
{
    Dense d;
    // Encoded rows are the outputs: GPT-2's Conv1D (in, out) weights are widened to floats instead.
    if (m_weights.keepsEncoded(module + ".weight") && !m_family.weightsInOut) {
        d.rows = m_weights.encoded(module + ".weight", out, in);
        d.encoded = true;
    } else {
        d.w = m_family.weightsInOut ? m_weights.matrix(module + ".weight", in, out)
                                    : Matrix(m_weights.matrix(module + ".weight", out, in).transpose());
    }
    // A stored bias is always used, so a checkpoint with more biases than its config admits to
    // still computes what it was trained to.
    if (biasRequired || m_weights.contains(module + ".bias"))
        d.b = m_weights.vector(module + ".bias", out);
    return d;
}

void FamilyLoader::normInto(const std::string& module, Index n, RowVector& gain, RowVector& bias) const
{
    // "weight"/"bias", or "gamma"/"beta" in checkpoints converted from TensorFlow.
    const std::string gainSuffix = normGainSuffix(module);
    const bool old = gainSuffix == ".gamma";
    gain = m_weights.vector(module + gainSuffix, n);
    if (m_family.norm == NormKind::RmsNormPlusOne)
        gain.array() += 1.0f;
    if (m_family.normHasBias)
        bias = m_weights.vector(module + (old ? ".beta" : ".bias"), n);
}

// A positive number from `key`; `fallback` when absent, 0 (off) when null.
float FamilyLoader::optionalPositive(const ConfigKey& key, float fallback) const
{
    if (key.names.empty())
        return 0;
    const json::Value* v = m_config.root().find(keyOf(key));
    if (v == nullptr)
        return fallback;
    if (v->isNull())
        return 0;
    const float value = m_config.floatOr(keyOf(key), fallback);
    if (!(value > 0.0f))
        throw ModelLoadError(m_config.path() + ": " + quotedKey(key) + " must be positive or null");
    return value;
}

// Which layers slide, per the family's rule; empty when all do.
std::vector<bool> FamilyLoader::slidingLayers() const
{
    const auto layers = static_cast<std::size_t>(m_info.layers);
    std::vector<bool> out(layers);
    switch (m_family.slidingLayers) {
    case SlidingLayers::All:
        return {};
    case SlidingLayers::LayerTypes:
    case SlidingLayers::GlobalFromFirst:
        break;
    }
    if (const json::Value* types = m_config.root().find("layer_types"); types != nullptr && !types->isNull()) {
        if (!types->isArray() || types->asArray().size() != layers) {
            throw ModelLoadError(m_config.path() + ": \"layer_types\" must list one type for each of the " +
                                 std::to_string(layers) + " layers");
        }
        for (std::size_t l = 0; l < layers; ++l) {
            const json::Value& t = types->asArray()[l];
            const std::string type = t.isString() ? t.asString() : std::string();
            if (type != "sliding_attention" && type != "full_attention") {
                throw ModelLoadError(m_config.path() + ": \"layer_types\" entry " + std::to_string(l) + " " +
                                     quotedForMessage(jsonText(t)) +
                                     " is not supported (sliding_attention and full_attention are)");
            }
            out[l] = type == "sliding_attention";
        }
        return out;
    }
    const ConfigKey& patternKey = m_family.keys.slidingPatternKey;
    const int pattern = sizeOr(patternKey, SizeKind::Layers, m_family.keys.defaultSlidingPattern);
    if (pattern <= 0)
        throw ModelLoadError(m_config.path() + ": " + quotedKey(patternKey) + " must be positive");
    const bool fromFirst = m_family.slidingLayers == SlidingLayers::GlobalFromFirst;
    for (std::size_t l = 0; l < layers; ++l) // every pattern-th layer is global, the last or the first of each run
        out[l] = (fromFirst ? l : l + 1) % static_cast<std::size_t>(pattern) != 0;
    return out;
}

// Gemma 3's sliding layers rotate with rope_local_base_freq and no scaling; newer configs hold
// both RoPE settings in rope_parameters keyed by layer type instead.
std::vector<float> FamilyLoader::localRopeFrequencies() const
{
    const FamilyKeys& k = m_family.keys;
    float theta = m_config.floatOr(keyOf(k.localRopeTheta), k.defaultLocalRopeTheta);
    if (const json::Value* p = m_config.root().find("rope_parameters"); p != nullptr && p->isObject()) {
        if (const json::Value* s = p->find("sliding_attention"); s != nullptr && s->isObject()) {
            const HfConfig sliding(*s, m_config.path() + " (rope_parameters.sliding_attention)");
            const std::string type = sliding.stringOr("rope_type", "default");
            if (type != "default") {
                throw ModelLoadError(m_config.path() + ": rope_parameters.sliding_attention rope_type " +
                                     quotedForMessage(type) + " is not supported (default is)");
            }
            theta = sliding.floatOr("rope_theta", theta);
        }
    }
    if (!(theta > 1.0f))
        throw ModelLoadError(m_config.path() + ": " + quotedKey(k.localRopeTheta) + " must be greater than 1");
    return ropeInverseFrequencies(m_arch.rotaryDim, theta);
}

// GGUF files of Llama 3.1+ hold their rope scaling as one divisor per frequency (rope_freqs).
void FamilyLoader::applyStoredRopeFactors()
{
    if (m_t.ropeFactors.empty() || !m_weights.contains(m_t.ropeFactors + ".weight"))
        return;
    std::vector<float>& inverse = m_arch.ropeInverseFrequencies;
    const RowVector factors = m_weights.vector(m_t.ropeFactors + ".weight", static_cast<Index>(inverse.size()));
    for (std::size_t i = 0; i < inverse.size(); ++i) {
        const float f = factors(static_cast<Index>(i));
        if (!(f > 0.0f) || !std::isfinite(f)) {
            throw ModelLoadError(m_config.path() + ": tensor \"" + m_t.ropeFactors + ".weight\" element " +
                                 std::to_string(i) + " must be a positive frequency divisor");
        }
        inverse[i] /= f;
    }
}

void FamilyLoader::readSizes()
{
    const FamilyKeys& k = m_family.keys;
    m_info.dModel = requiredSize(k.width, SizeKind::Width);
    m_info.layers = requiredSize(k.layers, SizeKind::Layers);
    m_info.heads = requiredSize(k.heads, SizeKind::Heads);
    m_info.kvHeads = sizeOr(k.kvHeads, SizeKind::Heads, m_info.heads);
    m_info.vocab = requiredSize(k.vocab, SizeKind::Vocabulary);
    m_positionRows = checked::add<ModelLoadError>(sizeOr(k.positions, SizeKind::Positions, k.defaultPositions),
                                                  k.positionTableOffset, keyOf(k.positions) + " + its offset");
    if (m_info.heads % m_info.kvHeads != 0) {
        throw ModelLoadError(m_config.path() + ": " + quotedKey(k.heads) + " must be a multiple of " +
                             quotedKey(k.kvHeads));
    }
    if (present(k.headDim)) {
        m_arch.headDim = m_config.requiredSize(keyOf(k.headDim), SizeKind::HeadSize);
    } else {
        if (m_info.dModel % m_info.heads != 0)
            throw ModelLoadError(m_config.path() + ": " + quotedKey(k.width) + " must be a multiple of " + quotedKey(k.heads));
        m_arch.headDim = m_info.dModel / m_info.heads;
    }
    const std::string fourTimes = std::to_string(k.innerTimesWidth) + " × " + keyOf(k.width);
    m_inner = k.innerTimesWidth > 0
                  ? sizeOr(k.inner, SizeKind::Intermediate,
                           checked::mul<ModelLoadError>(k.innerTimesWidth, m_info.dModel, fourTimes))
                  : requiredSize(k.inner, SizeKind::Intermediate);
    m_qWidth = checked::mul<ModelLoadError>(m_info.heads, m_arch.headDim, keyOf(k.heads) + " × head size");
    m_kvWidth = checked::mul<ModelLoadError>(m_info.kvHeads, m_arch.headDim, keyOf(k.kvHeads) + " × head size");
    checked::add<ModelLoadError>(static_cast<int>(m_qWidth), checked::mul<ModelLoadError>(2, static_cast<int>(m_kvWidth), "K and V widths"),
                                 "the Q, K and V widths");
    // A type_vocab_size of 0 means no token-type embedding (DeBERTa-v3).
    if (!k.tokenTypes.names.empty() && !(present(k.tokenTypes) && m_config.numberOr(keyOf(k.tokenTypes), 1) == 0))
        m_tokenTypes = sizeOr(k.tokenTypes, SizeKind::TokenTypes, k.defaultTokenTypes);
    m_embeddingWidth = k.embeddingWidth.names.empty() ? m_info.dModel : sizeOr(k.embeddingWidth, SizeKind::Width, m_info.dModel);
    m_attentionBias = present(m_family.attentionBiasKey) && m_config.boolOr(keyOf(m_family.attentionBiasKey), false);
}

void FamilyLoader::checkRefusedKeys() const
{
    for (const RefusedKey& r : m_family.refused) {
        const json::Value* v = m_config.root().find(r.key);
        if (v == nullptr || v->isNull() || jsonText(*v) == r.allowed)
            continue;
        throw ModelLoadError(m_config.path() + ": \"" + r.key + "\" " + quotedForMessage(jsonText(*v)) +
                             " is not supported (only " + r.allowed + " is)");
    }
}

void FamilyLoader::checkShapes() const
{
    const FamilyKeys& k = m_family.keys;
    const Index d = m_info.dModel;
    const auto shape = [&](Index rows, Index cols) -> std::vector<std::int64_t> {
        return m_family.weightsInOut ? std::vector<std::int64_t>{cols, rows} : std::vector<std::int64_t>{rows, cols};
    };
    const Index e = m_embeddingWidth;
    const ConfigKey& eKey = k.embeddingWidth.names.empty() ? k.width : k.embeddingWidth;
    m_weights.checkShape(embeddingTensor(), {m_info.vocab, e}, from({&eKey, &k.vocab}));
    const Index positionWidth = m_family.projectBeforePositions ? d : e;
    if (readsPositionTable()) {
        m_weights.checkShape(name(m_t.positions) + ".weight", {m_positionRows, positionWidth},
                             from({m_family.projectBeforePositions ? &k.width : &eKey, &k.positions}));
    }
    if (m_tokenTypes > 0)
        m_weights.checkShape(name(m_t.tokenTypes) + ".weight", {m_tokenTypes, e}, from({&eKey, &k.tokenTypes}));
    const std::string firstGate = m_t.gateUp.empty() ? (m_family.mlp == MlpKind::Gated ? m_t.gate : m_t.up) : m_t.gateUp;
    const Index gateRows = m_t.gateUp.empty() ? m_inner : 2 * static_cast<Index>(m_inner);
    m_weights.checkShape(layerModule(0, firstGate) + ".weight", shape(gateRows, d), from({&k.width, &k.inner}));
    if (m_family.qkv == QkvLayout::Separate) {
        m_weights.checkShape(layerModule(0, m_t.q) + ".weight", shape(m_qWidth, d), from({&k.width, &k.heads, &k.headDim}));
        m_weights.checkShape(layerModule(0, m_t.k) + ".weight", shape(m_kvWidth, d),
                             from({&k.width, &k.kvHeads, &k.headDim}));
    } else {
        m_weights.checkShape(layerModule(0, m_t.qkv) + ".weight", shape(m_qWidth + 2 * m_kvWidth, d),
                             from({&k.width, &k.heads, &k.kvHeads, &k.headDim}));
    }
    const std::string lastNorm = layerModule(m_info.layers - 1, m_family.firstLayerAttnNorm ? m_t.attnNorm : m_t.mlpNorm);
    m_weights.checkShape(lastNorm + normGainSuffix(lastNorm), {d}, from({&k.width, &k.layers}));
    if (m_disentangled && m_disentangled->relative) {
        m_weights.checkShape(name(m_t.relEmbeddings) + ".weight", {m_disentangled->tableRows(), d},
                             m_config.path() + " (2 × \"position_buckets\", else 2 × \"max_relative_positions\", and " +
                                 quotedKey(k.width) + ")");
    }
}

void FamilyLoader::readRelativeTable()
{
    if (!m_disentangled || !m_disentangled->relative)
        return;
    m_relTable = m_weights.matrix(name(m_t.relEmbeddings) + ".weight", m_disentangled->tableRows(), m_info.dModel);
    if (m_disentangled->normRelative) {
        RowVector gain, bias;
        normInto(name(m_t.relNorm), m_info.dModel, gain, bias);
        m_relTable = layerNorm(m_relTable, gain, bias, m_arch.normEps);
    }
}

// DeBERTa-v2's convolution after layer 0: encoder.conv.conv (d, d / conv_groups, conv_kernel_size)
// with its bias, and encoder.conv.LayerNorm.
void FamilyLoader::readConvolution(StackWeights& w) const
{
    if (!m_disentangled || m_disentangled->convKernel == 0)
        return;
    const DisentangledAttention& a = *m_disentangled;
    const int d = m_info.dModel;
    if (d % a.convGroups != 0)
        throw ModelLoadError(m_config.path() + ": \"conv_groups\" must divide " + quotedKey(m_family.keys.width));
    const std::string conv = name(m_t.conv);
    const std::vector<float> weights = m_weights.floats(conv + ".weight", {d, d / a.convGroups, a.convKernel});
    DebertaConv c = debertaConv(weights, m_weights.vector(conv + ".bias", d), d, a.convKernel, a.convGroups);
    c.tanh = a.convActivation == "tanh";
    if (!c.tanh)
        c.activation = activationNamed(a.convActivation, m_config.path() + ": \"conv_act\"");
    normInto(name(m_t.convNorm), d, c.normGain, c.normBias);
    w.conv = std::move(c);
}

// The table through the layer's key (c2p) and query (p2c) projections: its own pos_key_proj /
// pos_query_proj, or the layer's W_K / W_Q with share_att_key. Biases included, as nn.Linear has them.
void FamilyLoader::readPositionProjections(int layer, BlockWeights& b) const
{
    if (!m_disentangled || !m_disentangled->relative)
        return;
    const DisentangledAttention& a = *m_disentangled;
    const Index d = m_info.dModel;
    if (a.shareKey) { // the Q and K columns of the layer's Q | K | V, biases included
        const Index width = m_qWidth + m_kvWidth;
        const RowVector& bias = b.qkv.bias();
        const Linear qk(b.qkv.weightColumns(0, width), bias.size() > 0 ? RowVector(bias.head(width)) : RowVector());
        const Matrix projected = applyLinear(m_relTable, qk);
        if (a.c2p)
            b.posKey = projected.middleCols(m_qWidth, m_kvWidth);
        if (a.p2c)
            b.posQuery = projected.leftCols(m_qWidth);
        return;
    }
    if (a.c2p)
        b.posKey = applyLinear(m_relTable, toLinear(dense(layerModule(layer, m_t.posKey), d, m_qWidth, true)));
    if (a.p2c)
        b.posQuery = applyLinear(m_relTable, toLinear(dense(layerModule(layer, m_t.posQuery), d, m_qWidth, true)));
}

BlockWeights FamilyLoader::readBlock(int layer) const
{
    const Index d = m_info.dModel;
    const auto part = [&](const std::string& module) { return layerModule(layer, module); };
    const bool qkvBias = m_family.qkvBias || m_attentionBias;
    BlockWeights b;
    if (layer > 0 || m_family.firstLayerAttnNorm)
        normInto(part(m_t.attnNorm), d, b.attnNormGain, b.attnNormBias);
    switch (m_family.qkv) {
    case QkvLayout::Separate: {
        Dense q = dense(part(m_t.q), d, m_qWidth, qkvBias);
        Dense k = dense(part(m_t.k), d, m_kvWidth, qkvBias);
        if (m_family.qkRowsInterleaved) {
            q = unpermuteRotaryRows(q, m_info.heads, m_arch.headDim);
            k = unpermuteRotaryRows(k, m_info.kvHeads, m_arch.headDim);
        }
        b.qkv = joinColumns({q, k, dense(part(m_t.v), d, m_kvWidth, qkvBias)});
        break;
    }
    case QkvLayout::Fused:
        b.qkv = joinColumns({dense(part(m_t.qkv), d, m_qWidth + 2 * m_kvWidth, qkvBias)});
        break;
    case QkvLayout::FusedPerHead:
        b.qkv = joinColumns({perHeadToBlocks(dense(part(m_t.qkv), d, 3 * m_qWidth, qkvBias), m_info.heads,
                                             m_arch.headDim)});
        break;
    }
    b.o = toLinear(dense(part(m_t.o), m_qWidth, d, m_family.outputBias || m_attentionBias));
    RowVector unusedBias; // RMSNorms only: their bias stays empty
    if (!m_t.qNorm.empty()) {
        normInto(part(m_t.qNorm), m_arch.headDim, b.qNorm, unusedBias);
        normInto(part(m_t.kNorm), m_arch.headDim, b.kNorm, unusedBias);
    }
    if (!m_t.postAttnNorm.empty()) {
        normInto(part(m_t.postAttnNorm), d, b.postAttnNormGain, unusedBias);
        normInto(part(m_t.postMlpNorm), d, b.postMlpNormGain, unusedBias);
    }
    normInto(part(m_t.mlpNorm), d, b.mlpNormGain, b.mlpNormBias);
    if (m_family.mlp == MlpKind::Plain) {
        b.up = joinColumns({dense(part(m_t.up), d, m_inner, m_family.mlpBias)});
    } else if (!m_t.gateUp.empty()) {
        b.up = joinColumns({dense(part(m_t.gateUp), d, 2 * static_cast<Index>(m_inner), m_family.mlpBias)});
    } else {
        b.up = joinColumns({dense(part(m_t.gate), d, m_inner, m_family.mlpBias), dense(part(m_t.up), d, m_inner, m_family.mlpBias)});
    }
    b.down = toLinear(dense(part(m_t.down), m_inner, d, m_family.mlpBias));
    readPositionProjections(layer, b);
    return b;
}

void FamilyLoader::readHead(StackWeights& w)
{
    const Index d = m_info.dModel;
    if (m_family.head == HeadKind::MaskedLm) {
        FamilyTensors::MaskedLmNames n{m_t.mlmTransform, m_t.mlmNorm, m_t.mlmDecoder, m_t.mlmBias, m_t.mlmBiasAlt};
        for (const FamilyTensors::MaskedLmNames& alternative : m_t.mlmAlternatives) {
            if (m_weights.contains(n.transform + ".weight"))
                break;
            n = alternative;
        }
        m_info.hasLmHead = m_weights.contains(n.transform + ".weight");
        if (!m_info.hasLmHead) {
            m_info.notes.push_back("this checkpoint has no masked-LM head; no predictions are shown");
            return;
        }
        // The transform maps back to the embedding width (ALBERT's is narrower than the model's).
        const Index e = m_embeddingWidth;
        w.mlmTransform = toLinear(dense(n.transform, d, e, m_family.mlmTransformBias));
        normInto(n.norm, e, w.mlmNormGain, w.mlmNormBias);
        // The decoder is tied to the word embedding; safetensors usually omits the tied copy.
        if (!n.decoder.empty() && m_weights.contains(n.decoder))
            w.mlmDecoder = tokenTable(n.decoder, m_info.vocab, e);
        const bool primary = m_weights.contains(n.bias) || n.biasAlt.empty();
        w.mlmBias = m_weights.vector(primary ? n.bias : n.biasAlt, m_info.vocab);
        return;
    }
    if (m_family.alwaysTied)
        return;
    const std::string head = m_t.lmHead + ".weight";
    if (m_weights.contains(head) && embeddingTensor() != head) {
        w.lmHead = tokenTable(head, m_info.vocab, m_embeddingWidth); // OPT: the projected width
    } else if (!m_config.boolOr("tie_word_embeddings", m_family.tiedByDefault)) {
        throw ModelLoadError(m_config.path() + ": tie_word_embeddings is false but the checkpoint has no " + head);
    }
}

void FamilyLoader::buildArchitecture()
{
    const FamilyKeys& k = m_family.keys;
    m_arch.norm = m_family.norm;
    m_arch.normEps = k.eps.names.empty() ? k.defaultEps : m_config.floatOr(keyOf(k.eps), k.defaultEps);
    m_arch.placement = m_family.placement;
    if (m_family.placement == NormPlacement::Parallel && present(m_family.parallelResidualKey) &&
        !m_config.boolOr(keyOf(m_family.parallelResidualKey), true)) {
        m_arch.placement = NormPlacement::Pre;
    }
    if (m_family.placement == NormPlacement::Pre && present(m_family.preNormKey) &&
        !m_config.boolOr(keyOf(m_family.preNormKey), true)) {
        m_arch.placement = NormPlacement::Post;
    }
    m_arch.embeddingNorm = m_family.embeddingNorm;
    m_arch.projectBeforePositions = m_family.projectBeforePositions;
    m_arch.projectBeforeNorm = m_family.projectBeforeNorm;
    if (m_family.scaleEmbeddingBySqrtWidth)
        m_arch.embeddingScale = std::sqrt(static_cast<float>(m_info.dModel));
    const PositionKind positions = positionKind();
    m_arch.positions = positions;
    m_arch.mlp = m_family.mlp;
    m_arch.head = m_family.head;
    m_arch.activation = activationNamed(m_config.stringOr(keyOf(k.activation), k.defaultActivation),
                                        m_config.path() + ": " + quotedKey(k.activation));
    const std::string mlmActivation = m_config.stringOr(keyOf(k.mlmActivation), m_family.mlmActivation);
    m_arch.mlmActivation = mlmActivation.empty()
                               ? m_arch.activation
                               : activationNamed(mlmActivation, m_config.path() + ": masked-LM head activation");
    m_info.padId = m_config.tokenIdOr("pad_token_id", m_family.causal ? -1 : 0);
    if (m_config.has("sep_token_id"))
        m_info.sepId = m_config.tokenIdOr("sep_token_id", 0);
    if (m_config.has("mask_token_id"))
        m_info.maskId = m_config.tokenIdOr("mask_token_id", 0);
    m_info.maxPositions = m_positionRows - k.positionTableOffset;
    if (positions == PositionKind::Learned)
        m_arch.positionOffset = k.positionTableOffset;
    if (positions == PositionKind::LearnedFromPadding) {
        // Position ids start after padding_idx (RoBERTa: 2), so the table has padding_idx + 1 spare rows.
        m_arch.padId = m_info.padId;
        m_arch.positionOffset = m_info.padId;
        if (m_info.padId < 0 || m_info.padId + 1 >= m_positionRows) {
            throw ModelLoadError(m_config.path() + ": \"pad_token_id\" must leave rows of " + quotedKey(k.positions) +
                                 " for positions");
        }
        m_info.maxPositions = m_positionRows - m_info.padId - 1;
    }
    m_info.storedPositions = positions == PositionKind::Learned || positions == PositionKind::LearnedFromPadding;
    if (m_family.positions == PositionKind::Alibi)
        m_arch.alibiSlopes = alibiSlopes(m_info.heads);
    if (m_family.positions == PositionKind::RotaryHalf) {
        float fraction = k.defaultRotaryFraction;
        if (present(k.rotaryFraction)) {
            fraction = m_config.floatOr(keyOf(k.rotaryFraction), fraction);
            if (!(fraction > 0.0f && fraction <= 1.0f))
                throw ModelLoadError(m_config.path() + ": " + quotedKey(k.rotaryFraction) + " must be in (0, 1]");
        }
        m_arch.rotaryDim = static_cast<int>(static_cast<float>(m_arch.headDim) * fraction);
        if (m_arch.rotaryDim == 0 || m_arch.rotaryDim % 2 != 0) {
            throw ModelLoadError(m_config.path() + ": head size (" + quotedKey(k.headDim) + " or " + quotedKey(k.width) +
                                 " / heads) must be even");
        }
        const float theta = ropeTheta(m_config, keyOf(k.ropeTheta), k.defaultRopeTheta);
        if (!(theta > 1.0f))
            throw ModelLoadError(m_config.path() + ": " + quotedKey(k.ropeTheta) + " must be greater than 1");
        m_arch.ropeInverseFrequencies = ropeInverseFrequencies(m_arch.rotaryDim, theta);
        applyRopeScaling(m_config, m_arch.ropeInverseFrequencies);
        applyStoredRopeFactors();
    }
    if (m_family.slidingWindow) {
        int window = present(k.slidingWindowKey) ? requiredSize(k.slidingWindowKey, SizeKind::Positions)
                                                 : k.defaultSlidingWindow;
        // ModernBERT's local_attention counts both sides: a query sees window / 2 keys each way.
        m_arch.windowBothSides = m_family.windowBothSides;
        if (m_family.windowBothSides)
            window /= 2;
        if (window > 0 && window < m_info.maxPositions)
            m_arch.slidingWindow = window;
        m_arch.slidingLayer = slidingLayers();
        if (!k.localRopeTheta.names.empty())
            m_arch.localRopeInverseFrequencies = localRopeFrequencies();
    }
    const float queryScale = optionalPositive(k.queryScale, k.defaultQueryScale);
    if (queryScale > 0)
        m_arch.scoreScale = 1.0f / std::sqrt(queryScale);
    if (m_disentangled) { // scores ÷ √(d_k · scale_factor), whether or not the position terms are on
        m_arch.disentangled = m_disentangled;
        m_arch.scoreScale = 1.0f / std::sqrt(static_cast<float>(m_arch.headDim * m_disentangled->scaleFactor()));
    }
    m_arch.attnSoftcap = optionalPositive(k.attnSoftcap, k.defaultAttnSoftcap);
    m_arch.finalSoftcap = optionalPositive(k.finalSoftcap, k.defaultFinalSoftcap);

    std::string note = m_family.pipelineNote;
    const auto add = [&](const std::string& part) { note += (note.empty() ? "" : "; ") + part; };
    if (m_family.positions == PositionKind::RotaryHalf) {
        add(m_arch.rotaryDim == m_arch.headDim
                ? "Q and K are shown after the rotary position embedding (RoPE), so Q ≠ X·W_Q"
                : "Q and K are shown after the rotary position embedding (RoPE) of the first " +
                      std::to_string(m_arch.rotaryDim) + " of each head's " + std::to_string(m_arch.headDim) +
                      " dimensions");
    }
    if (m_family.positions == PositionKind::Alibi) {
        add("ALiBi: no position embeddings; each head adds its slope × the key's position to the scaled scores, "
            "so distant keys lose weight at a rate of its own");
    }
    if (!m_t.qNorm.empty())
        add("before RoPE each head's q and k pass an RMSNorm of their own");
    if (m_info.kvHeads != m_info.heads) {
        add("grouped-query attention: " + std::to_string(m_info.heads / m_info.kvHeads) +
            " query heads share each K/V head");
    }
    if (m_arch.slidingWindow) {
        add((m_arch.windowBothSides ? "each query sees the keys within " + std::to_string(*m_arch.slidingWindow) +
                                          " positions either side (local attention)"
                                    : "each query sees at most the " + std::to_string(*m_arch.slidingWindow) +
                                          " latest keys (sliding window)") +
            (m_arch.slidingLayer.empty() ? std::string() : std::string(" in the sliding layers; the others see every key")));
    }
    if (!m_arch.localRopeInverseFrequencies.empty())
        add("sliding layers rotate with their own RoPE base (rope_local_base_freq)");
    if (m_arch.scoreScale > 0) {
        char text[96];
        std::snprintf(text, sizeof text, "scores are scaled by %.4g (query_pre_attn_scalar^-½), not 1/√d_k",
                      static_cast<double>(m_arch.scoreScale));
        add(text);
    }
    if (m_arch.attnSoftcap > 0) {
        char text[96];
        std::snprintf(text, sizeof text, "scaled scores are soft-capped: %g·tanh(s / %g) before the mask",
                      static_cast<double>(m_arch.attnSoftcap), static_cast<double>(m_arch.attnSoftcap));
        add(text);
    }
    if (!m_t.postAttnNorm.empty())
        add("the attention and MLP outputs pass an RMSNorm of their own before joining the residual stream");
    if (m_disentangled)
        add(disentangledNote(*m_disentangled, m_arch.headDim));
    if (m_disentangled && m_disentangled->convKernel > 0) {
        add("after layer 0 the embeddings are convolved over " + std::to_string(m_disentangled->convKernel) +
            " neighbouring positions (" + m_disentangled->convActivation +
            ") and added to the layer's output under a LayerNorm (conv_kernel_size)");
    }
    if (positions == PositionKind::None && m_family.positions != PositionKind::None)
        add("no absolute position embeddings are added to the tokens (position_biased_input is false)");
    add("head size " + std::to_string(m_arch.headDim));
    m_arch.pipelineNote = note;
}

std::unique_ptr<GenericTransformer> FamilyLoader::load()
{
    m_info.family = m_config.stringOr("model_type", m_family.modelTypes.front());
    if (!m_family.textConfig.empty())
        m_info.notes.push_back("only the text model of this multimodal checkpoint is loaded; its vision weights are not read");
    m_info.causal = m_family.causal;
    checkRefusedKeys();
    readSizes();
    if (m_family.disentangled)
        m_disentangled = disentangledSettings(m_config, m_positionRows - m_family.keys.positionTableOffset);
    // The first prefix under which the embedding is stored; else the first, so messages name it.
    m_prefix = m_t.prefixes.empty() ? std::string() : m_t.prefixes.front();
    for (const std::string& prefix : m_t.prefixes) {
        if (m_weights.contains(prefix + m_t.embedding + ".weight")) {
            m_prefix = prefix;
            break;
        }
    }
    checkShapes(); // every size against the header before anything (RoPE tables, tensors) is allocated
    buildArchitecture();
    m_info.segments = m_tokenTypes > 1;
    m_info.stopIds = m_config.tokenIds("eos_token_id"); // a number or, in newer configs, a list

    StackWeights w;
    const Index d = m_info.dModel;
    const Index e = m_embeddingWidth;
    w.embedding = tokenTable(embeddingTensor(), m_info.vocab, e);
    if (readsPositionTable())
        w.positions = m_weights.matrix(name(m_t.positions) + ".weight", m_positionRows,
                                       m_family.projectBeforePositions ? d : e);
    if (m_tokenTypes > 0)
        w.tokenTypes = m_weights.matrix(name(m_t.tokenTypes) + ".weight", m_tokenTypes, e);
    if (m_family.embeddingNorm) // DeBERTa normalises after embed_proj, at the model's width
        normInto(name(m_t.embeddingNorm), m_family.projectBeforeNorm ? d : e, w.embNormGain, w.embNormBias);
    // ELECTRA stores its projection only when the widths differ; ALBERT always does.
    if (!m_t.embeddingProjection.empty() && (e != d || m_weights.contains(name(m_t.embeddingProjection) + ".weight"))) {
        w.embeddingProjection = toLinear(dense(name(m_t.embeddingProjection), e, d, false)); // a stored bias is still read
    } else if (e != d) {
        throw ModelLoadError(m_config.path() + ": embeddings of width " + std::to_string(e) +
                             " need a projection to the model width " + std::to_string(d));
    }
    readRelativeTable();
    readConvolution(w);
    if (m_t.layer.find("{L}") == std::string::npos) {
        w.blocks.push_back(readBlock(0)); // one block shared by every layer
        w.blockOfLayer.assign(static_cast<std::size_t>(m_info.layers), 0);
    } else {
        for (int l = 0; l < m_info.layers; ++l)
            w.blocks.push_back(readBlock(l));
    }
    if (!m_t.finalNorm.empty() && m_arch.placement != NormPlacement::Post) // post-norm blocks end normalised
        normInto(name(m_t.finalNorm), d, w.finalNormGain, w.finalNormBias);
    if (!m_t.outputProjection.empty() && (e != d || m_weights.contains(name(m_t.outputProjection) + ".weight"))) {
        w.outputProjection = toLinear(dense(name(m_t.outputProjection), d, e, false));
    }
    readHead(w);
    return std::make_unique<GenericTransformer>(std::move(m_info), std::move(m_arch), std::move(w));
}

// The settings the family's loader reads: the text model's member of a multimodal config first,
// then the rest of config.json, then the config class's defaults, each only for keys not yet set.
HfConfig effectiveConfig(const HfConfig& config, const FamilyDescription& family)
{
    if (family.configDefaults.empty() && family.textConfig.empty())
        return config;
    json::Object merged;
    const auto addAbsent = [&merged](const json::Value& from) {
        for (const auto& entry : from.asObject()) {
            const bool known = std::any_of(merged.begin(), merged.end(),
                                           [&entry](const auto& kv) { return kv.first == entry.first; });
            if (!known)
                merged.push_back(entry);
        }
    };
    std::string path = config.path();
    if (const json::Value* type = config.root().find("model_type"))
        merged.emplace_back("model_type", *type); // the wrapper's, which chose this family
    if (!family.textConfig.empty()) {
        const json::Value* text = config.root().find(family.textConfig);
        if (text == nullptr || !text->isObject())
            throw ModelLoadError(config.path() + ": \"" + family.textConfig + "\" must be an object");
        addAbsent(*text);
        path += " (" + family.textConfig + ")";
    }
    addAbsent(config.root());
    if (!family.configDefaults.empty())
        addAbsent(json::parse(family.configDefaults));
    return HfConfig(json::Value(std::move(merged)), path);
}

} // namespace

std::unique_ptr<GenericTransformer> loadDescribedFamily(const HfConfig& config, const WeightArchive& weights,
                                                        const FamilyDescription& family)
{
    const HfConfig effective = effectiveConfig(config, family);
    auto model = FamilyLoader(effective, weights, family).load();
    return model;
}

} // namespace attnviz
