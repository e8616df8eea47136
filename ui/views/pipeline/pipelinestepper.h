#pragma once
// The stage stepper of the pipeline, for lectures: "all stages" (the default) or stages 0..current
// revealed, one more with each Next. Plain state, unit tested.

namespace attnviz {

class PipelineStepper
{
public:
    void setStageCount(int count); // keeps the position when it still exists
    int stageCount() const { return m_count; }
    bool showsAll() const { return m_current < 0; }
    int current() const { return m_current; } // −1 = every stage
    bool revealed(int stage) const { return m_current < 0 || stage <= m_current; }

    // From "all stages" Next starts at the first stage; at the last it stays there.
    void next();
    // At the first stage Previous stays there; from "all stages" it goes to the last.
    void previous();
    void showAll() { m_current = -1; }

private:
    int m_count = 0;
    int m_current = -1;
};

} // namespace attnviz
