#pragma once
// "Make a lesson from this head": a few tokens of a real self-attention head, their inputs reduced
// to d dimensions (attention/dimensionreduction.h) and the head's W_Q / W_K / W_V projected onto
// the same directions, so the lesson's scores are exactly what the reduced inputs give. It is an
// approximation of the real head (the other dimensions, biases and rotary positions are left
// out), and its description says so.

#include "attention/dimensionreduction.h"
#include "attention/lesson.h"

namespace attnviz {

// One head of one run, as the pipeline capture holds it (self-attention only).
struct HeadSample
{
    std::string model; // for the title, e.g. "decoder"
    int layer = 0;
    int head = 0;
    std::vector<std::string> tokens; // (T) labels
    Matrix x;                        // (T, D) the attention block's inputs (after the layer's norm)
    Matrix wq;                       // (D, d_k)
    Matrix wk;                       // (D, d_k)
    Matrix wv;                       // (D, d_v)
    MaskMatrix mask;                 // (T, T) 1 = may attend
    bool scaled = true;              // ÷√d_k
};

// `chosen`: token positions, ascending, at least one; d: 1 ≤ d ≤ D. Throws LessonError with the
// reason for anything else (and for a lesson beyond LessonLimits).
Lesson lessonFromHead(const HeadSample& sample, const std::vector<Index>& chosen, Index d, ReductionMethod method);

} // namespace attnviz
