#include "engine/lessonmodel.h"

#include <chrono>
#include <filesystem>

namespace attnviz {

namespace {

std::vector<Token> lessonTokens(const std::vector<std::string>& words)
{
    std::vector<Token> tokens;
    for (const auto& w : words) {
        Token t;
        t.piece = w;
        t.display = w;
        tokens.push_back(std::move(t));
    }
    return tokens;
}

MaskSpec maskFor(const Lesson& lesson, const RunRequest& request, MaskMatrix& customApplied)
{
    if (request.mask == MaskOverride::Custom) {
        // Lesson tokens have no ids: equal lists, so a mask of the lesson's shape carries over whole.
        const std::size_t rows = lesson.tokens.size();
        const std::size_t cols = lesson.crossAttention ? lesson.sourceTokens.size() : rows;
        customApplied = customMaskFor(request, std::vector<int>(rows, -1), std::vector<int>(cols, -1),
                                      buildMask(lesson.mask, Index(rows), Index(cols)));
        return MaskSpec::matrix(customApplied);
    }
    switch (request.mask) {
    case MaskOverride::ModelDefault: return lesson.mask;
    case MaskOverride::None: return MaskSpec::none();
    case MaskOverride::Causal: return MaskSpec::causal();
    case MaskOverride::Padding: return MaskSpec::none(); // a lesson has no padding tokens
    case MaskOverride::Custom: break; // above
    }
    return lesson.mask;
}

} // namespace

LessonModel::LessonModel(Lesson lesson, std::string name) : m_lesson(std::move(lesson)), m_name(std::move(name)) {}

ModelInfo LessonModel::info() const
{
    ModelInfo info;
    info.family = "lesson";
    info.name = m_lesson.title.empty() ? m_name : m_lesson.title;
    info.layers = 1;
    info.heads = static_cast<int>(m_lesson.heads.size());
    info.dModel = static_cast<int>(m_lesson.embeddings.cols());
    info.causal = m_lesson.mask.kind == MaskKind::Causal;
    info.takesText = false;
    return info;
}

std::shared_ptr<AttentionResult> LessonModel::run(const RunRequest& request) const
{
    const auto start = std::chrono::steady_clock::now();
    if (request.ids) throw InputError("a lesson has fixed tokens; token ids cannot be given");
    AttentionOptions options;
    options.scale = request.scale.value_or(m_lesson.scale);
    options.cancel = request.cancel;
    try {
        MaskMatrix customApplied;
        options.mask = maskFor(m_lesson, request, customApplied);
        // Ablation zeroes a head's output before W_O; with one layer only the final output changes.
        MultiHeadResult mh = runLesson(m_lesson, options);
        const Index dv = mh.heads.front().output.cols();
        bool ablated = false;
        for (const auto& [layer, head] : request.ablatedHeads) {
            if (layer == 0 && head >= 0 && head < static_cast<int>(mh.heads.size())) {
                mh.concat.middleCols(head * dv, dv).setZero();
                ablated = true;
            }
        }
        if (ablated) mh.output = m_lesson.wo ? Matrix(mh.concat * *m_lesson.wo) : mh.concat;

        auto result = std::make_shared<AttentionResult>();
        result->model = info();
        result->tokens = lessonTokens(m_lesson.tokens);
        if (m_lesson.crossAttention) result->sourceTokens = lessonTokens(m_lesson.sourceTokens);
        AttentionStack stack;
        stack.name = m_lesson.crossAttention ? "cross" : "lesson";
        stack.keysFromSource = m_lesson.crossAttention;
        for (const HeadWeights& w : m_lesson.heads)
            stack.headNames.push_back(w.name);
        const auto t = static_cast<int>(m_lesson.tokens.size());
        const auto s = static_cast<int>(m_lesson.sourceTokens.size());
        stack.attention.resize(1, static_cast<int>(mh.heads.size()), t, s);
        for (std::size_t h = 0; h < mh.heads.size(); ++h) {
            Eigen::Map<Matrix>(stack.attention.head(0, static_cast<int>(h)), t, s) = mh.heads[h].weights;
        }
        result->stacks.push_back(std::move(stack));
        if (customApplied.size() != 0) {
            result->customMask = std::move(customApplied);
            result->customMaskStack = 0;
        }

        const int head = request.pipelineHead ? request.pipelineHead->second : 0;
        if (head >= 0 && head < static_cast<int>(mh.heads.size())) {
            PipelineCapture p;
            p.head = head;
            p.x = m_lesson.embeddings;
            p.source = m_lesson.sourceEmbeddings;
            const HeadWeights& w = m_lesson.heads[static_cast<std::size_t>(head)];
            p.wq = w.wq;
            p.wk = w.wk;
            p.wv = w.wv;
            p.capture = mh.heads[static_cast<std::size_t>(head)];
            p.concat = mh.concat;
            if (m_lesson.wo) p.wo = *m_lesson.wo;
            p.output = mh.output;
            result->pipeline = std::move(p);
        }
        result->computeMilliseconds =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        return result;
    } catch (const std::invalid_argument& e) {
        throw InputError(e.what());
    }
}

std::unique_ptr<AttentionModel> openLessonModel(const std::string& path)
{
    try {
        return std::make_unique<LessonModel>(loadLesson(path), std::filesystem::path(path).stem().string());
    } catch (const LessonError& e) {
        throw ModelLoadError(e.what());
    }
}

} // namespace attnviz
