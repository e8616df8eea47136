#include "views/pipeline/pipelinestepper.h"

#include <algorithm>

namespace attnviz {

void PipelineStepper::setStageCount(int count)
{
    m_count = std::max(0, count);
    if (m_current >= m_count) m_current = m_count - 1;
}

void PipelineStepper::next()
{
    if (m_count == 0) return;
    m_current = m_current < 0 ? 0 : std::min(m_current + 1, m_count - 1);
}

void PipelineStepper::previous()
{
    if (m_count == 0) return;
    m_current = m_current < 0 ? m_count - 1 : std::max(m_current - 1, 0);
}

} // namespace attnviz
