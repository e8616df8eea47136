#pragma once
// A lesson as an AttentionModel: one layer whose tokens and matrices come from the lesson file.

#include "attention/lesson.h"
#include "engine/attentionmodel.h"

namespace attnviz {

class LessonModel : public AttentionModel
{
public:
    LessonModel(Lesson lesson, std::string name);
    ModelInfo info() const override;
    std::shared_ptr<AttentionResult> run(const RunRequest& request) const override;
    const Lesson& lesson() const { return m_lesson; }

private:
    Lesson m_lesson;
    std::string m_name;
};

std::unique_ptr<AttentionModel> openLessonModel(const std::string& path); // throws ModelLoadError

} // namespace attnviz
