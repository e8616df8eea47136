#include "views/pipeline/pipelinestage.h"

#include <QCoreApplication>

namespace attnviz {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("PipelineStage", text);
}

PipelineStage stage(QString title, QString explanation, PipelineStage::Kind kind, const Matrix* m)
{
    PipelineStage s;
    s.title = std::move(title);
    s.explanation = std::move(explanation);
    s.kind = kind;
    s.scale = kind == PipelineStage::Kind::Weights ? ScaleKind::Probabilities
              : kind == PipelineStage::Kind::Masked ? ScaleKind::Scores
                                                    : ScaleKind::Vectors;
    s.matrix = m;
    return s;
}

} // namespace

QString PipelineStage::shapeText() const
{
    if (matrix == nullptr) return {};
    return QStringLiteral("(%1 × %2)").arg(matrix->rows()).arg(matrix->cols());
}

std::vector<PipelineColumn> buildPipelineColumns(const PipelineCapture& p, bool crossAttention)
{
    using K = PipelineStage::Kind;
    const HeadCapture& h = p.capture;
    std::vector<PipelineColumn> columns;

    PipelineColumn input;
    PipelineStage x = stage(tr("X"), tr("The input: one row per token (its embedding, or the layer's normalised input)."),
                            K::Signed, &p.x);
    x.rowsAreQueries = true;
    x.rowLabels = true;
    input.stages.push_back(x);
    if (crossAttention && p.source.size() > 0) {
        PipelineStage src = stage(tr("X_source"), tr("The source sentence: keys and values are computed from it."),
                                  K::Signed, &p.source);
        src.rowsAreKeys = true;
        src.rowLabels = true;
        input.stages.push_back(src);
    }
    columns.push_back(std::move(input));

    columns.push_back({QStringLiteral("·"),
                       {stage(tr("W_Q"), tr("Learned projection to queries: what each token looks for."), K::Signed, &p.wq),
                        stage(tr("W_K"), tr("Learned projection to keys: what each token offers to be found by."),
                              K::Signed, &p.wk),
                        stage(tr("W_V"), tr("Learned projection to values: what each token passes on when attended to."),
                              K::Signed, &p.wv)}});

    PipelineStage q = stage(tr("Q = X·W_Q"), tr("Queries: one row per token; the selected token's row is outlined."),
                            K::Signed, &h.q);
    q.rowsAreQueries = true;
    PipelineStage k = stage(crossAttention ? tr("K = X_source·W_K") : tr("K = X·W_K"),
                            tr("Keys: each query is compared with every key row."), K::Signed, &h.k);
    k.rowsAreKeys = true;
    PipelineStage v = stage(crossAttention ? tr("V = X_source·W_V") : tr("V = X·W_V"),
                            tr("Values: mixed by the attention weights to form the head's output."), K::Signed, &h.v);
    v.rowsAreKeys = true;
    columns.push_back({QStringLiteral("="), {q, k, v}});

    auto queryStage = [&](QString title, QString explanation, K kind, const Matrix* m) {
        PipelineStage s = stage(std::move(title), std::move(explanation), kind, m);
        s.rowsAreQueries = true;
        return s;
    };
    columns.push_back({QStringLiteral("Q·Kᵀ"),
                       {queryStage(tr("scores = Q·Kᵀ"), tr("Dot product of every query with every key: how well they match."),
                                   K::Signed, &h.scores)}});
    columns.push_back({h.scaledByRootDk ? QStringLiteral("÷√d_k") : tr("no scaling"),
                       {queryStage(h.scaledByRootDk ? tr("scaled = scores ÷ √d_k") : tr("scaled (scaling off)"),
                                   h.scaledByRootDk
                                       ? tr("Divided by √d_k so the softmax does not saturate as d_k grows.")
                                       : tr("Scaling is off: large scores make the softmax nearly one-hot."),
                                   K::Signed, &h.scaled)}});
    PipelineStage masked = queryStage(tr("masked"), tr("Blocked pairs get −∞, so they receive exactly zero weight."),
                                      K::Masked, &h.scaled);
    masked.mask = &h.mask;
    columns.push_back({tr("mask"), {masked}});
    columns.push_back({tr("softmax"),
                       {queryStage(tr("weights = softmax(row)"),
                                   tr("Each row becomes a probability distribution over the keys: the attention."),
                                   K::Weights, &h.weights)}});
    columns.push_back({QStringLiteral("·V"),
                       {queryStage(tr("head output = weights·V"),
                                   tr("Each query's output is the weighted average of the value rows."), K::Signed,
                                   &h.output)}});
    if (p.concat.size() > 0) {
        columns.push_back({tr("concat"),
                           {queryStage(tr("concat (all heads)"),
                                       tr("The outputs of all heads of the layer, side by side."), K::Signed, &p.concat)}});
    }
    if (p.wo.size() > 0) {
        columns.push_back({QStringLiteral("·"),
                           {stage(tr("W_O"), tr("Output projection: mixes the heads back into the model's width."),
                                  K::Signed, &p.wo)}});
    }
    if (p.output.size() > 0) {
        columns.push_back({QStringLiteral("="),
                           {queryStage(tr("output"), tr("What the attention block adds to each token's representation."),
                                       K::Signed, &p.output)}});
    }
    // Learned matrices and the scores get their own shared scales.
    for (PipelineColumn& column : columns) {
        for (PipelineStage& s : column.stages) {
            if (s.matrix == &p.wq || s.matrix == &p.wk || s.matrix == &p.wv || s.matrix == &p.wo)
                s.scale = ScaleKind::Parameters;
            else if (s.matrix == &h.scores || s.matrix == &h.scaled)
                s.scale = ScaleKind::Scores;
        }
    }
    return columns;
}

} // namespace attnviz
