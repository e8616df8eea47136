#include "models/generictransformer.h"

#include "models/residualreadings.h"

#include <algorithm>
#include <cmath>

namespace attnviz {

namespace {

// Each head's slice of x (T, heads·hd) normalised on its own (Qwen3's q_norm / k_norm).
void perHeadRmsNorm(Matrix& x, int heads, int headDim, const RowVector& gain, float eps)
{
    Eigen::Map<Matrix> rows(x.data(), x.rows() * heads, headDim);
    rows = rmsNorm(Matrix(rows), gain, eps);
}

// Keys further back than `window` positions from their query are masked (Mistral's sliding
// window: the query and window − 1 keys before it). bothSides: keys within `window` positions on
// either side are kept (ModernBERT's local attention).
MaskMatrix withSlidingWindow(const MaskMatrix& mask, int window, bool bothSides)
{
    MaskMatrix out = mask;
    const Index offset = mask.cols() - mask.rows(); // query i sits at position offset + i
    for (Index i = 0; i < out.rows(); ++i) {
        const Index at = offset + i;
        const Index firstKey = bothSides ? at - window : at - window + 1;
        for (Index j = 0; j < out.cols(); ++j) {
            if (j < firstKey || (bothSides && j > at + window))
                out(i, j) = 0;
        }
    }
    return out;
}

// Tokens any query may attend to (padding keys are masked for every query): DeBERTa's input mask.
std::vector<std::uint8_t> attendedTokens(const MaskMatrix& mask)
{
    std::vector<std::uint8_t> valid(static_cast<std::size_t>(mask.cols()), 0);
    for (Index i = 0; i < mask.rows(); ++i)
        for (Index j = 0; j < mask.cols(); ++j)
            valid[static_cast<std::size_t>(j)] |= mask(i, j) != 0 ? 1 : 0;
    return valid;
}

} // namespace

GenericTransformer::GenericTransformer(TransformerInfo info, Architecture arch, StackWeights weights)
    : m_info(std::move(info)), m_arch(std::move(arch)), m_w(std::move(weights))
{
}

WeightStorage GenericTransformer::weightStorage() const
{
    WeightStorage s;
    const auto count = [&s](bool encoded) { ++(encoded ? s.encodedMatrices : s.floatMatrices); };
    for (const BlockWeights& b : m_w.blocks) {
        for (const Linear* l : {&b.qkv, &b.o, &b.up, &b.down})
            count(l->matrix().encoded() != nullptr);
    }
    for (const TokenTable* t : {&m_w.embedding, &m_w.lmHead}) {
        if (!t->empty())
            count(t->encoded() != nullptr);
    }
    return s;
}

ForwardResult GenericTransformer::forward(const std::vector<int>& ids, const std::vector<int>& segments,
                                          const ForwardOptions& options) const
{
    return forwardFrom(ids, segments, 0, nullptr, options);
}

std::vector<int> GenericTransformer::generateGreedy(const std::vector<int>& promptIds, int steps,
                                                    const std::atomic<bool>* cancel) const
{
    if (!m_info.causal)
        return Transformer::generateGreedy(promptIds, steps, cancel);
    return greedyWithCache(m_info, kvWidth(), promptIds, steps, cancel,
                           [this](const std::vector<int>& ids, int first, KvCache* cache, const ForwardOptions& o) {
                               return forwardFrom(ids, {}, first, cache, o);
                           });
}

Matrix GenericTransformer::embed(const std::vector<int>& ids, const std::vector<int>& segments, int firstPosition) const
{
    const Index T = static_cast<Index>(ids.size());
    Matrix x(T, m_w.embedding.width());
    for (Index t = 0; t < T; ++t) {
        m_w.embedding.rowInto(ids[static_cast<std::size_t>(t)], x.row(t).data());
        if (m_arch.embeddingScale != 1.0f)
            x.row(t) *= m_arch.embeddingScale;
    }
    const bool project = m_w.embeddingProjection.outputs() > 0;
    if (project && m_arch.projectBeforePositions)
        x = applyLinear(x, m_w.embeddingProjection);
    addPositions(x, ids, segments, firstPosition);
    if (project && m_arch.projectBeforeNorm)
        x = applyLinear(x, m_w.embeddingProjection);
    if (m_arch.embeddingNorm)
        x = norm(x, m_w.embNormGain, m_w.embNormBias);
    if (project && !m_arch.projectBeforePositions && !m_arch.projectBeforeNorm)
        x = applyLinear(x, m_w.embeddingProjection);
    return x;
}

void GenericTransformer::addPositions(Matrix& x, const std::vector<int>& ids, const std::vector<int>& segments,
                                      int firstPosition) const
{
    int counted = 0; // non-padding tokens so far (LearnedFromPadding)
    for (Index t = 0; t < x.rows(); ++t) {
        if (m_arch.positions == PositionKind::Learned) {
            x.row(t) += m_w.positions.row(m_arch.positionOffset + firstPosition + t);
        } else if (m_arch.positions == PositionKind::LearnedFromPadding) {
            const bool pad = ids[static_cast<std::size_t>(t)] == m_arch.padId;
            counted += pad ? 0 : 1;
            x.row(t) += m_w.positions.row(pad ? m_arch.positionOffset : m_arch.positionOffset + counted);
        }
        if (m_w.tokenTypes.size() > 0) {
            const int type = segments.empty() ? 0
                                              : std::clamp(segments[static_cast<std::size_t>(t)], 0,
                                                           static_cast<int>(m_w.tokenTypes.rows()) - 1);
            x.row(t) += m_w.tokenTypes.row(type);
        }
    }
}

std::vector<float> GenericTransformer::alibiBias(Index S) const
{
    if (m_arch.positions != PositionKind::Alibi)
        return {};
    // BLOOM adds slope × key position (not the distance): softmax gives the same weights either way,
    // and the pipeline's scaled scores then match the reference implementation's. One row per head
    // serves every query.
    std::vector<float> bias(static_cast<std::size_t>(m_info.heads * S));
    for (int h = 0; h < m_info.heads; ++h) {
        for (Index j = 0; j < S; ++j)
            bias[static_cast<std::size_t>(h * S + j)] = m_arch.alibiSlopes[static_cast<std::size_t>(h)] * static_cast<float>(j);
    }
    return bias;
}

Matrix GenericTransformer::norm(const Matrix& x, const RowVector& gain, const RowVector& bias) const
{
    if (m_arch.norm == NormKind::LayerNorm)
        return layerNorm(x, gain, bias.size() > 0 ? bias : RowVector(RowVector::Zero(gain.size())), m_arch.normEps);
    return rmsNorm(x, gain, m_arch.normEps);
}

void GenericTransformer::activate(Matrix& x) const
{
    activateInPlace(m_arch.activation, x);
}

Matrix GenericTransformer::mlp(const Matrix& x, const BlockWeights& block) const
{
    Matrix hidden = applyLinear(x, block.up);
    if (m_arch.mlp == MlpKind::Gated) {
        const Index inner = hidden.cols() / 2;
        Matrix gate = hidden.leftCols(inner);
        activate(gate);
        gate.array() *= hidden.rightCols(inner).array(); // act(x·W_gate) ⊙ (x·W_up)
        return applyLinear(gate, block.down);
    }
    activate(hidden);
    return applyLinear(hidden, block.down);
}

Matrix GenericTransformer::logits(const Matrix& hidden) const
{
    if (m_arch.head == HeadKind::MaskedLm) {
        Matrix z = applyLinear(hidden, m_w.mlmTransform);
        activateInPlace(m_arch.mlmActivation, z);
        z = norm(z, m_w.mlmNormGain, m_w.mlmNormBias);
        Matrix out = (m_w.mlmDecoder.empty() ? m_w.embedding : m_w.mlmDecoder).timesTransposed(z);
        if (m_w.mlmBias.size() > 0)
            out.rowwise() += m_w.mlmBias;
        return out;
    }
    Matrix out = (m_w.lmHead.empty() ? m_w.embedding : m_w.lmHead).timesTransposed(hidden);
    if (m_arch.finalSoftcap > 0) {
        const float cap = m_arch.finalSoftcap;
        out = (out.array() / cap).tanh() * cap;
    }
    return out;
}

Matrix GenericTransformer::outputNorm(Matrix x, const RowVector& gain) const
{
    return gain.size() > 0 ? norm(x, gain, RowVector()) : x;
}

ForwardResult GenericTransformer::forwardFrom(const std::vector<int>& ids, const std::vector<int>& segments,
                                              int firstPosition, KvCache* cache, const ForwardOptions& options) const
{
    const Index T = static_cast<Index>(ids.size());
    const int heads = m_info.heads;
    const int kvHeads = m_info.kvHeads;
    const Index qWidth = static_cast<Index>(heads) * m_arch.headDim;
    const Index kvW = kvWidth();
    ForwardResult result = beginForward(m_info, T, options);
    ForwardOptions windowed;
    if (m_arch.slidingWindow) {
        windowed = options;
        windowed.mask = withSlidingWindow(options.mask, *m_arch.slidingWindow, m_arch.windowBothSides);
    }
    const bool rotary = m_arch.positions == PositionKind::RotaryHalf;
    const std::vector<float> alibi = alibiBias(firstPosition + T);

    Matrix x = embed(ids, segments, firstPosition); // (T, d) residual stream
    const Matrix embedded = m_w.conv ? x : Matrix(); // DeBERTa-v2's convolution reads the encoder's input
    // Readings for the measures (engine/readouts.h); none of them changes the pass. Generation
    // (a cache) never asks for them.
    const bool readLens = !options.lensRows.empty() && m_info.hasLmHead && cache == nullptr;
    if (!options.lensRows.empty() && !m_info.hasLmHead)
        result.readoutNotes.push_back("the logit lens needs an output head, which this model lacks");
    const std::string noAttribution = options.attributionRow >= 0 ? attributionUnavailable() : std::string();
    if (!noAttribution.empty())
        result.readoutNotes.push_back("direct logit attribution is not defined for this model: " + noAttribution);
    const std::string noAlti = options.alti ? altiUnavailable() : std::string();
    if (!noAlti.empty())
        result.readoutNotes.push_back("ALTI is not defined for this model: " + noAlti);
    const bool readAlti = options.alti && noAlti.empty() && cache == nullptr;
    const bool readGram = options.valueGram && cache == nullptr;
    const Index attributedRow = options.attributionRow;
    const bool attributing = attributedRow >= 0 && attributedRow < T && noAttribution.empty() && cache == nullptr;
    const AttributionLayout layout{m_info.layers, heads};
    const Index lensCount = static_cast<Index>(options.lensRows.size());
    Matrix parts, lensInput;
    if (attributing) {
        parts = Matrix::Zero(layout.rows(), x.cols());
        parts.row(0) = x.row(attributedRow);
    }
    if (readLens)
        lensInput.resize(static_cast<Index>(m_info.layers) * lensCount, x.cols());
    for (int l = 0; l < m_info.layers; ++l) {
        throwIfCancelled(options.cancel);
        const BlockWeights& block =
            m_w.blocks[m_w.blockOfLayer.empty() ? static_cast<std::size_t>(l)
                                                : static_cast<std::size_t>(m_w.blockOfLayer[static_cast<std::size_t>(l)])];
        const bool sliding = isSliding(l);
        const ForwardOptions& layerOptions = m_arch.slidingWindow && sliding ? windowed : options;
        const std::vector<float>& ropeFrequencies = sliding && !m_arch.localRopeInverseFrequencies.empty()
                                                        ? m_arch.localRopeInverseFrequencies
                                                        : m_arch.ropeInverseFrequencies;
        const bool post = m_arch.placement == NormPlacement::Post;
        // The attention input; ModernBERT's first layer has no norm before attention.
        const Matrix xn = post || block.attnNormGain.size() == 0 ? x : norm(x, block.attnNormGain, block.attnNormBias);
        const Matrix qkv = applyLinear(xn, block.qkv); // (T, q | k | v)
        // Q and K are read in place unless q/k norms or RoPE change them.
        const bool transformed = rotary || block.qNorm.size() > 0;
        Matrix qOwn, kOwn;
        if (transformed) {
            qOwn = qkv.leftCols(qWidth);
            kOwn = qkv.middleCols(qWidth, kvW);
            if (block.qNorm.size() > 0) {
                perHeadRmsNorm(qOwn, heads, m_arch.headDim, block.qNorm, m_arch.normEps);
                perHeadRmsNorm(kOwn, kvHeads, m_arch.headDim, block.kNorm, m_arch.normEps);
            }
            if (rotary) {
                applyRope(qOwn, heads, m_arch.headDim, firstPosition, ropeFrequencies, m_arch.ropeInterleaved);
                applyRope(kOwn, kvHeads, m_arch.headDim, firstPosition, ropeFrequencies, m_arch.ropeInterleaved);
            }
        }
        const ConstRowsRef q = transformed ? ConstRowsRef(qOwn) : ConstRowsRef(qkv.leftCols(qWidth));
        const ConstRowsRef k = transformed ? ConstRowsRef(kOwn) : ConstRowsRef(qkv.middleCols(qWidth, kvW));
        const ConstRowsRef v = qkv.rightCols(kvW);
        LayerAttentionOptions attention = layerAttentionOptions(l, layerOptions, result);
        attention.scaleFactor = m_arch.scoreScale;
        attention.softcap = m_arch.attnSoftcap;
        attention.scoreBias = alibi.empty() ? nullptr : alibi.data();
        attention.scoreBiasPerKey = true;
        // DeBERTa's c2p and p2c terms, scaled as the scores are, one (T, S) block per head. An
        // encoder: no cache, so the keys are this call's.
        const std::vector<float> positionTerms =
            m_arch.disentangled ? disentangledBias(*m_arch.disentangled, q, k, block.posQuery, block.posKey, heads,
                                                   m_arch.headDim, firstPosition, options.scale ? m_arch.scoreScale : 1.0f)
                                : std::vector<float>();
        if (!positionTerms.empty()) {
            attention.scoreBias = positionTerms.data();
            attention.scoreBiasPerKey = false;
        }
        Matrix concat;
        if (cache != nullptr) {
            cache->keys[static_cast<std::size_t>(l)].middleRows(firstPosition, T) = k;
            cache->values[static_cast<std::size_t>(l)].middleRows(firstPosition, T) = v;
            concat = attendHeads(q, cache->keys[static_cast<std::size_t>(l)].topRows(firstPosition + T),
                                 cache->values[static_cast<std::size_t>(l)].topRows(firstPosition + T), heads, kvHeads,
                                 attention);
        } else {
            concat = attendHeads(q, k, v, heads, kvHeads, attention);
        }
        Matrix denseWo; // the measures read W_O per head
        std::vector<Matrix> writes; // and what each head writes for each key
        if (readGram || readAlti || attributing)
            denseWo = block.o.weights();
        if (readGram || readAlti)
            writes = headValueWrites(v, denseWo, heads, kvHeads, m_arch.headDim);
        if (readGram)
            appendValueGram(writes, result.valueGram);
        if (lastWanted(l, m_info, options) && !pipelineShows(l, result))
            break; // every attention map is known; W_O and the MLP would only feed the hidden states
        Matrix attnOut = applyLinear(concat, block.o); // (T, d)
        if (attributing) {
            parts.middleRows(layout.head(l, 0), heads) = headWrites(concat.row(attributedRow), denseWo, heads, m_arch.headDim);
            if (block.o.bias().size() > 0)
                parts.row(layout.attentionBias(l)) = block.o.bias();
        }
        if (readAlti)
            readLayerAlti(l, block, writes, x, attnOut, result);
        if (pipelineShows(l, result)) {
            capturePipeline(l, result, xn, {block.qkv, 0, qWidth}, {block.qkv, qWidth, kvW},
                            {block.qkv, qWidth + kvW, kvW}, heads, kvHeads, concat, block.o, attnOut,
                            m_arch.pipelineNote);
        }
        const bool capturesBlock = pipelineShows(l, result);
        if (lastWanted(l, m_info, options) && !capturesBlock)
            break; // the pipeline's layer also runs its MLP, for following a token through the block
        if (capturesBlock)
            result.pipeline->residual = x;
        Matrix mlpOut;
        switch (m_arch.placement) {
        case NormPlacement::Pre: {
            x += outputNorm(std::move(attnOut), block.postAttnNormGain);
            if (capturesBlock)
                result.pipeline->afterAttention = x;
            mlpOut = outputNorm(mlp(norm(x, block.mlpNormGain, block.mlpNormBias), block), block.postMlpNormGain);
            if (attributing)
                parts.row(layout.mlp(l)) = mlpOut.row(attributedRow);
            x += mlpOut;
            break;
        }
        case NormPlacement::Post:
            x = norm(x + attnOut, block.attnNormGain, block.attnNormBias);
            if (capturesBlock) {
                result.pipeline->afterAttention = x;
                result.pipeline->normAfterAdd = true;
            }
            mlpOut = mlp(x, block);
            x = norm(x + mlpOut, block.mlpNormGain, block.mlpNormBias);
            break;
        case NormPlacement::Parallel: {
            mlpOut = mlp(norm(x, block.mlpNormGain, block.mlpNormBias), block);
            if (attributing)
                parts.row(layout.mlp(l)) = mlpOut.row(attributedRow);
            if (capturesBlock)
                result.pipeline->afterAttention = x + attnOut;
            x += attnOut + mlpOut;
            break;
        }
        }
        if (l == 0 && m_w.conv)
            x = applyDebertaConv(*m_w.conv, embedded, x, attendedTokens(layerOptions.mask), m_arch.normEps);
        if (capturesBlock) {
            result.pipeline->mlpOutput = std::move(mlpOut);
            result.pipeline->blockOutput = x; // the next layer's input (after DeBERTa's convolution)
        }
        if (lastWanted(l, m_info, options))
            break;
        for (Index i = 0; readLens && i < lensCount; ++i)
            lensInput.row(static_cast<Index>(l) * lensCount + i) = x.row(options.lensRows[static_cast<std::size_t>(i)]);
    }
    throwIfCancelled(options.cancel);
    if (!options.finalHidden)
        return result;
    if (readLens)
        result.lensLogits = logits(finalStage(lensInput));
    if (attributing) {
        result.attribution = attribute(parts, x.row(attributedRow), options.attributionTarget.value_or(-1));
    }
    result.hidden = finalStage(x);
    if (!m_info.hasLmHead || options.logits == LogitRows::None || T == 0)
        return result;
    result.logits = logits(options.logits == LogitRows::All ? result.hidden : Matrix(result.hidden.bottomRows(1)));
    return result;
}

Matrix GenericTransformer::finalStage(const Matrix& residual) const
{
    Matrix hidden = m_w.finalNormGain.size() > 0 ? norm(residual, m_w.finalNormGain, m_w.finalNormBias) : residual;
    if (m_w.outputProjection.outputs() > 0)
        hidden = applyLinear(hidden, m_w.outputProjection);
    return hidden;
}

std::string GenericTransformer::altiUnavailable() const
{
    if (m_w.conv)
        return "the convolution after the first layer mixes the tokens outside attention";
    for (const BlockWeights& b : m_w.blocks) {
        if (b.postAttnNormGain.size() > 0)
            return "each attention output passes through its own norm before the residual";
    }
    return {};
}

void GenericTransformer::readLayerAlti(int layer, const BlockWeights& block, const std::vector<Matrix>& writes,
                                       const Matrix& x, const Matrix& attnOut, ForwardResult& result) const
{
    std::vector<const float*> maps;
    for (int h = 0; h < m_info.heads; ++h)
        maps.push_back(result.attention.head(layer, h));
    if (std::find(maps.begin(), maps.end(), nullptr) != maps.end()) {
        result.alti.clear(); // a layer whose maps the budget left out: no ALTI at all
        result.readoutNotes.push_back("ALTI needs every map of every layer, which the attention budget does not keep");
        return;
    }
    if (static_cast<int>(result.alti.size()) != layer)
        return; // an earlier layer had none
    // Post-norm layers normalise the residual sum; the others add it to the stream as it is.
    const bool post = m_arch.placement == NormPlacement::Post;
    const FrozenNorm frozen{block.attnNormGain, block.attnNormBias, m_arch.normEps, m_arch.norm == NormKind::LayerNorm};
    result.alti.push_back(altiContributions(maps, writes, x, x + attnOut, post ? &frozen : nullptr));
}

std::string GenericTransformer::attributionUnavailable() const
{
    if (!m_info.hasLmHead)
        return "the model has no output head";
    if (m_arch.head == HeadKind::MaskedLm)
        return "the masked-LM head is not linear (it is defined for decoders)";
    if (m_arch.placement == NormPlacement::Post)
        return "the residual stream is normalised after every sub-block (post-norm), so it is no sum of parts";
    for (const BlockWeights& b : m_w.blocks) {
        if (b.postAttnNormGain.size() > 0 || b.postMlpNormGain.size() > 0)
            return "each sub-block's output passes through its own norm, so the heads' writes do not add up";
    }
    if (m_arch.finalSoftcap > 0)
        return "the logits are soft-capped, so they are no sum of parts";
    if (m_w.outputProjection.outputs() > 0)
        return "the projection after the final norm is not taken apart";
    return {};
}


LogitAttribution GenericTransformer::attribute(const Matrix& parts, const RowVector& finalResidual, int target) const
{
    const Matrix rowLogits = logits(finalStage(Matrix(finalResidual)));
    if (target < 0 || target >= rowLogits.cols())
        rowLogits.row(0).maxCoeff(&target);
    const TokenTable& unembedding = m_w.lmHead.empty() ? m_w.embedding : m_w.lmHead;
    RowVector u(unembedding.width());
    unembedding.rowInto(target, u.data());

    // The final norm with its scale frozen is linear in the residual: each part goes through it alone.
    Matrix normed = parts;
    float finalBias = 0.0f;
    if (m_w.finalNormGain.size() > 0) {
        const double d = static_cast<double>(finalResidual.size());
        if (m_arch.norm == NormKind::LayerNorm) {
            const double mean = finalResidual.cast<double>().mean();
            const double var = (finalResidual.cast<double>().array() - mean).square().sum() / d;
            normed = (parts.colwise() - parts.rowwise().mean()) / static_cast<float>(std::sqrt(var + m_arch.normEps));
            if (m_w.finalNormBias.size() > 0)
                finalBias = m_w.finalNormBias.dot(u);
        } else {
            const double meanSquare = finalResidual.cast<double>().squaredNorm() / d;
            normed = parts / static_cast<float>(std::sqrt(meanSquare + m_arch.normEps));
        }
        normed.array().rowwise() *= m_w.finalNormGain.array();
    }
    const Eigen::VectorXf share = normed * u.transpose();

    const AttributionLayout layout{m_info.layers, m_info.heads};
    LogitAttribution a;
    a.target = target;
    a.logit = rowLogits(0, target);
    a.layers = m_info.layers;
    a.heads = m_info.heads;
    a.embedding = share(0);
    for (int l = 0; l < m_info.layers; ++l) {
        for (int h = 0; h < m_info.heads; ++h)
            a.head.push_back(share(layout.head(l, h)));
        a.attentionBias.push_back(share(layout.attentionBias(l)));
        a.mlp.push_back(share(layout.mlp(l)));
    }
    a.finalBias = finalBias;
    return a;
}

} // namespace attnviz
