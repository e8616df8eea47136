#pragma once
// The input's tokens as chips; the current chip is the selected query token (click, or
// Left/Right when focused). Hovering a token in any view highlights its chip.

#include "widgets/chipstrip.h"
#include "engine/attentionresult.h"

#include <memory>

namespace attnviz {

class SelectionState;

class TokenStrip : public ChipStrip
{
    Q_OBJECT
public:
    explicit TokenStrip(SelectionState* selection, QWidget* parent = nullptr);
    void setResult(const std::shared_ptr<const AttentionResult>& result);

private:
    void activate(int index);
    SelectionState* m_selection;
    std::shared_ptr<const AttentionResult> m_result;
};

} // namespace attnviz
