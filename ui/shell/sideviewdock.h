#pragma once
// A dock with a second view next to the tabs (e.g. arcs beside the heatmap), so two pictures of
// the same selection can be compared. Its place and visibility are part of the saved window state.

#include "engine/attentionresult.h"

#include <QDockWidget>

#include <memory>

class QComboBox;
class QScrollArea;

namespace attnviz {

class AttentionView;
class SelectionState;

class SideViewDock : public QDockWidget
{
    Q_OBJECT
public:
    SideViewDock(SelectionState* selection, QWidget* parent = nullptr);

    void setResult(const std::shared_ptr<const AttentionResult>& result);
    bool setViewName(const QString& name);
    QString viewName() const;
    AttentionView* view() const { return m_view; }

signals:
    void viewChanged(const QString& name);

private:
    void showView(int index);

    SelectionState* m_selection;
    QComboBox* m_choice;
    QScrollArea* m_scroll;
    AttentionView* m_view = nullptr;
    std::shared_ptr<const AttentionResult> m_result;
};

} // namespace attnviz
