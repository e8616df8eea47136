#include "attention/lessonedit.h"

#include <algorithm>

namespace attnviz {

namespace {

// The same wording as the loader's messages, so the editor and a hand-written file read alike.
[[noreturn]] void fail(const std::string& path, const std::string& message)
{
    throw LessonError("lesson field \"" + path + "\": " + message);
}

// Checked before anything is allocated; the products of sizes are checkLesson's job.
void requireSize(const std::string& path, Index value, Index limit, const std::string& what)
{
    if (value < 1)
        fail(path, what + " " + std::to_string(value) + ", at least 1");
    if (value > limit)
        fail(path, what + " " + std::to_string(value) + ", at most " + std::to_string(limit));
}

void requireIndex(const std::string& path, Index at, Index count)
{
    if (at < 0 || at >= count)
        fail(path, "no item " + std::to_string(at) + " (there are " + std::to_string(count) + ")");
}

// Top-left block kept, new cells `fill`.
template <typename M> M resized(const M& m, Index rows, Index cols, typename M::Scalar fill)
{
    M out = M::Constant(rows, cols, fill);
    const Index r = std::min(rows, m.rows());
    const Index c = std::min(cols, m.cols());
    out.topLeftCorner(r, c) = m.topLeftCorner(r, c);
    return out;
}

template <typename M> M withRowInserted(const M& m, Index at, typename M::Scalar fill)
{
    M out = M::Constant(m.rows() + 1, m.cols(), fill);
    out.topRows(at) = m.topRows(at);
    out.bottomRows(m.rows() - at) = m.bottomRows(m.rows() - at);
    return out;
}

template <typename M> M withRowsRemoved(const M& m, Index at, Index count)
{
    M out(m.rows() - count, m.cols());
    out.topRows(at) = m.topRows(at);
    out.bottomRows(m.rows() - at - count) = m.bottomRows(m.rows() - at - count);
    return out;
}

// Columns through the transpose, so one pair of row helpers serves both.
template <typename M> M withColumnInserted(const M& m, Index at, typename M::Scalar fill)
{
    return M(withRowInserted(M(m.transpose()), at, fill).transpose());
}

template <typename M> M withColumnRemoved(const M& m, Index at)
{
    return M(withRowsRemoved(M(m.transpose()), at, 1).transpose());
}

std::vector<std::string>& tokensOf(Lesson& lesson, LessonSide side)
{
    return side == LessonSide::Source ? lesson.sourceTokens : lesson.tokens;
}

const char* pathOf(LessonSide side)
{
    return side == LessonSide::Source ? "source.tokens" : "tokens";
}

// Self-attention reads its keys from X itself.
void syncSource(Lesson& lesson)
{
    if (!lesson.crossAttention) {
        lesson.sourceTokens = lesson.tokens;
        lesson.sourceEmbeddings = lesson.embeddings;
    }
}

Index valueDimension(const Lesson& lesson)
{
    return lesson.heads.empty() ? 0 : lesson.heads.front().wv.cols();
}

} // namespace

Lesson blankLesson()
{
    Lesson l;
    l.title = "New lesson";
    l.tokens = {"one", "two", "three"};
    l.embeddings = Matrix::Identity(3, 3);
    HeadWeights h;
    h.wq = h.wk = h.wv = Matrix::Identity(3, 2);
    l.heads.push_back(h);
    syncSource(l);
    return l;
}

void insertToken(Lesson& lesson, LessonSide side, Index at, const std::string& name)
{
    if (side == LessonSide::Source && !lesson.crossAttention)
        fail("source", "the lesson has no source sequence");
    auto& tokens = tokensOf(lesson, side);
    const auto count = static_cast<Index>(tokens.size());
    if (at < 0 || at > count)
        fail(pathOf(side), "cannot insert at " + std::to_string(at));
    if (count + 1 > LessonLimits::maxTokens) {
        fail(pathOf(side), std::to_string(count + 1) + " tokens, at most " + std::to_string(LessonLimits::maxTokens));
    }
    tokens.insert(tokens.begin() + at, name);
    Matrix& x = side == LessonSide::Source ? lesson.sourceEmbeddings : lesson.embeddings;
    x = withRowInserted(x, at, 0.0f);
    if (lesson.mask.kind == MaskKind::Custom) { // the new token may attend and be attended to
        MaskMatrix& m = lesson.mask.custom;
        if (side == LessonSide::Queries)
            m = withRowInserted(m, at, std::uint8_t(1));
        if (side == LessonSide::Source || !lesson.crossAttention)
            m = withColumnInserted(m, at, std::uint8_t(1));
    }
    syncSource(lesson);
}

void removeToken(Lesson& lesson, LessonSide side, Index at)
{
    if (side == LessonSide::Source && !lesson.crossAttention)
        fail("source", "the lesson has no source sequence");
    auto& tokens = tokensOf(lesson, side);
    requireIndex(pathOf(side), at, static_cast<Index>(tokens.size()));
    if (tokens.size() == 1)
        fail(pathOf(side), "a lesson needs at least one token");
    tokens.erase(tokens.begin() + at);
    Matrix& x = side == LessonSide::Source ? lesson.sourceEmbeddings : lesson.embeddings;
    x = withRowsRemoved(x, at, 1);
    if (lesson.mask.kind == MaskKind::Custom) {
        MaskMatrix& m = lesson.mask.custom;
        if (side == LessonSide::Queries)
            m = withRowsRemoved(m, at, 1);
        if (side == LessonSide::Source || !lesson.crossAttention)
            m = withColumnRemoved(m, at);
    }
    syncSource(lesson);
}

void renameToken(Lesson& lesson, LessonSide side, Index at, const std::string& name)
{
    if (side == LessonSide::Source && !lesson.crossAttention)
        fail("source", "the lesson has no source sequence");
    auto& tokens = tokensOf(lesson, side);
    requireIndex(pathOf(side), at, static_cast<Index>(tokens.size()));
    tokens[static_cast<std::size_t>(at)] = name;
    syncSource(lesson);
}

void setModelDimension(Lesson& lesson, Index dModel)
{
    requireSize("embeddings", dModel, LessonLimits::maxDimension, "d_model");
    lesson.embeddings = resized(lesson.embeddings, lesson.embeddings.rows(), dModel, 0.0f);
    lesson.sourceEmbeddings = resized(lesson.sourceEmbeddings, lesson.sourceEmbeddings.rows(), dModel, 0.0f);
    for (HeadWeights& h : lesson.heads) {
        for (Matrix* w : {&h.wq, &h.wk, &h.wv})
            *w = resized(*w, dModel, w->cols(), 0.0f);
    }
}

void setKeyDimension(Lesson& lesson, Index head, Index dk)
{
    requireIndex("heads", head, static_cast<Index>(lesson.heads.size()));
    const std::string path = "heads[" + std::to_string(head) + "].wq";
    requireSize(path, dk, LessonLimits::maxDimension, "d_k");
    HeadWeights& h = lesson.heads[static_cast<std::size_t>(head)];
    h.wq = resized(h.wq, h.wq.rows(), dk, 0.0f);
    h.wk = resized(h.wk, h.wk.rows(), dk, 0.0f);
}

void setValueDimension(Lesson& lesson, Index dv)
{
    requireSize("heads[0].wv", dv, LessonLimits::maxDimension, "d_v");
    const Index before = valueDimension(lesson);
    for (HeadWeights& h : lesson.heads)
        h.wv = resized(h.wv, h.wv.rows(), dv, 0.0f);
    if (lesson.wo) { // each head's block of rows grows or shrinks in place
        const Matrix& old = *lesson.wo;
        Matrix wo = Matrix::Zero(static_cast<Index>(lesson.heads.size()) * dv, old.cols());
        const Index keep = std::min(before, dv);
        for (Index h = 0; h < static_cast<Index>(lesson.heads.size()); ++h)
            wo.middleRows(h * dv, keep) = old.middleRows(h * before, keep);
        lesson.wo = std::move(wo);
    }
}

void setOutputDimension(Lesson& lesson, Index dOut)
{
    if (!lesson.wo)
        fail("wo", "the lesson has no output projection");
    requireSize("wo", dOut, LessonLimits::maxDimension, "d_out");
    lesson.wo = resized(*lesson.wo, lesson.wo->rows(), dOut, 0.0f);
}

void addHead(Lesson& lesson)
{
    if (static_cast<Index>(lesson.heads.size()) + 1 > LessonLimits::maxHeads) {
        fail("heads",
             std::to_string(lesson.heads.size() + 1) + " heads, at most " + std::to_string(LessonLimits::maxHeads));
    }
    const Index dModel = lesson.embeddings.cols();
    const Index dk = lesson.heads.empty() ? 2 : lesson.heads.back().wq.cols();
    const Index dv = lesson.heads.empty() ? 2 : valueDimension(lesson);
    HeadWeights h;
    h.wq = h.wk = Matrix::Zero(dModel, dk);
    h.wv = Matrix::Zero(dModel, dv);
    lesson.heads.push_back(std::move(h));
    if (lesson.wo) // the new head's rows come last, as its V comes last in the concat
        lesson.wo = resized(*lesson.wo, lesson.wo->rows() + dv, lesson.wo->cols(), 0.0f);
}

void removeHead(Lesson& lesson, Index head)
{
    requireIndex("heads", head, static_cast<Index>(lesson.heads.size()));
    if (lesson.heads.size() == 1)
        fail("heads", "a lesson needs at least one head");
    const Index dv = valueDimension(lesson);
    lesson.heads.erase(lesson.heads.begin() + head);
    if (lesson.wo)
        lesson.wo = withRowsRemoved(*lesson.wo, head * dv, dv);
}

void setOutputProjection(Lesson& lesson, bool on)
{
    if (!on) {
        lesson.wo.reset();
    } else if (!lesson.wo) {
        lesson.wo = Matrix::Identity(static_cast<Index>(lesson.heads.size()) * valueDimension(lesson),
                                     lesson.embeddings.cols());
    }
}

void setCrossAttention(Lesson& lesson, bool on)
{
    if (on == lesson.crossAttention)
        return;
    lesson.crossAttention = on; // on: the source starts as the copy syncSource kept
    syncSource(lesson);
    if (lesson.mask.kind == MaskKind::Custom) {
        lesson.mask.custom = resized(lesson.mask.custom, static_cast<Index>(lesson.tokens.size()),
                                     static_cast<Index>(lesson.sourceTokens.size()), std::uint8_t(1));
    }
}

void setMaskKind(Lesson& lesson, MaskKind kind)
{
    if (kind == MaskKind::Custom) {
        if (lesson.mask.kind != MaskKind::Custom) {
            lesson.mask = MaskSpec::matrix(buildMask(lesson.mask, static_cast<Index>(lesson.tokens.size()),
                                                     static_cast<Index>(lesson.sourceTokens.size())));
        }
    } else if (kind == MaskKind::Causal) {
        lesson.mask = MaskSpec::causal();
    } else {
        lesson.mask = MaskSpec::none();
    }
}

void setMaskCell(Lesson& lesson, Index query, Index key, bool allowed)
{
    requireIndex("mask", query, static_cast<Index>(lesson.tokens.size()));
    requireIndex("mask", key, static_cast<Index>(lesson.sourceTokens.size()));
    setMaskKind(lesson, MaskKind::Custom);
    lesson.mask.custom(query, key) = allowed ? 1 : 0;
}

} // namespace attnviz
