#include "attention/lessonfromhead.h"

namespace attnviz {

namespace {

// The chosen tokens' mask, as the lesson schema says it most simply.
MaskSpec maskOf(const MaskMatrix& mask, const std::vector<Index>& chosen)
{
    const auto n = static_cast<Index>(chosen.size());
    MaskMatrix m(n, n);
    for (Index i = 0; i < n; ++i) {
        for (Index j = 0; j < n; ++j)
            m(i, j) = mask(chosen[std::size_t(i)], chosen[std::size_t(j)]);
    }
    MaskMatrix causal = MaskMatrix::Ones(n, n).triangularView<Eigen::Lower>();
    if (m == MaskMatrix::Ones(n, n))
        return MaskSpec::none();
    if (m == causal)
        return MaskSpec::causal();
    return MaskSpec::matrix(std::move(m));
}

std::string describe(const HeadSample& s, Index tokens, Index d, ReductionMethod method, const DimensionReduction& r)
{
    std::string how = "by " + reductionMethodName(method);
    if (method == ReductionMethod::LargestVariance) {
        how += " (kept";
        for (Index k : r.dimensions)
            how += " " + std::to_string(k);
        how += ")";
    } else {
        how += " (the top singular directions of these inputs, not centred)";
    }
    return "An approximation of layer " + std::to_string(s.layer) + ", head " + std::to_string(s.head) + " of " +
           s.model + ": the attention-block inputs of " + std::to_string(tokens) + " of its tokens, reduced from " +
           std::to_string(s.x.cols()) + " to " + std::to_string(d) + " dimensions " + how +
           "; W_Q, W_K and W_V are the head's own, projected onto the same directions, so the scores are "
           "exactly those of the reduced inputs. Biases, rotary positions and the other dimensions are "
           "left out, so the weights differ from the real head's.";
}

} // namespace

Lesson lessonFromHead(const HeadSample& sample, const std::vector<Index>& chosen, Index d, ReductionMethod method)
{
    const Index tokens = sample.x.rows();
    if (chosen.empty())
        throw LessonError("choose at least one token");
    for (std::size_t i = 0; i < chosen.size(); ++i) {
        if (chosen[i] < 0 || chosen[i] >= tokens || (i > 0 && chosen[i] <= chosen[i - 1]))
            throw LessonError("the chosen tokens must be distinct positions of the input, in order");
    }
    if (d < 1 || d > sample.x.cols())
        throw LessonError("choose between 1 and " + std::to_string(sample.x.cols()) + " dimensions");
    if (static_cast<Index>(sample.tokens.size()) != tokens || sample.mask.rows() != tokens ||
        sample.mask.cols() != tokens || sample.wq.rows() != sample.x.cols())
        throw LessonError("the captured head is incomplete");

    Matrix x(static_cast<Index>(chosen.size()), sample.x.cols());
    Lesson l;
    for (std::size_t i = 0; i < chosen.size(); ++i) {
        x.row(static_cast<Index>(i)) = sample.x.row(chosen[i]);
        l.tokens.push_back(sample.tokens[std::size_t(chosen[i])]);
    }
    const DimensionReduction r = reduceDimensions(x, d, method);
    l.title = sample.model + ", layer " + std::to_string(sample.layer) + " head " + std::to_string(sample.head) + " (" +
              std::to_string(chosen.size()) + " tokens in " + std::to_string(d) + " dimensions)";
    l.description = describe(sample, static_cast<Index>(chosen.size()), d, method, r);
    l.embeddings = x * r.basis;
    l.sourceTokens = l.tokens;
    l.sourceEmbeddings = l.embeddings;
    HeadWeights h;
    h.name = "L" + std::to_string(sample.layer) + " H" + std::to_string(sample.head);
    const Matrix projection = r.basis.transpose();
    h.wq = projection * sample.wq;
    h.wk = projection * sample.wk;
    h.wv = projection * sample.wv;
    l.heads.push_back(std::move(h));
    l.mask = maskOf(sample.mask, chosen);
    l.scale = sample.scaled;
    checkLesson(l);
    return l;
}

} // namespace attnviz
