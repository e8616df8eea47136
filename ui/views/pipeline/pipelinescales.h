#pragma once
// The colour scales the pipeline shares between stages of one kind, so colours compare across
// stages: scores and scaled scores on one symmetric scale (÷√d_k reads as a shrink), weights on
// 0..1, activation vectors on their own symmetric scale, learned matrices and the residual stream
// on theirs. Also the
// legend drawn for each kind.

#include "views/colormap.h"

#include <QRectF>
#include <QString>

class QPainter;
class QPalette;

namespace attnviz {

enum class ScaleKind { Vectors, Parameters, Scores, Probabilities, Stream };

struct PipelineScales
{
    float vectors = 1.0f;    // |value| that gets the strongest colour
    float parameters = 1.0f;
    float scores = 1.0f;
    float stream = 1.0f;     // the residual stream and the MLP, far larger than a head's vectors in real models
    ColorMap probabilities;  // the user's colour map, over 0..1

    // Raises the range of `kind` so it covers |value|.
    void cover(ScaleKind kind, float value);
    QRgb rgb(ScaleKind kind, float value) const;
    float range(ScaleKind kind) const;
    static QString title(ScaleKind kind);
};

// A horizontal colour bar for `kind` with its ends and middle labelled, its title left of it.
// Returns the width used (≤ area.width()).
qreal paintLegend(QPainter& painter, const QPalette& palette, const QRectF& area, const PipelineScales& scales,
                  ScaleKind kind);
qreal legendWidth(ScaleKind kind);

} // namespace attnviz
