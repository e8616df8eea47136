#include "shell/sideviewdock.h"

#include "views/attentionview.h"
#include "views/viewfactory.h"

#include <QComboBox>
#include <QScrollArea>
#include <QVBoxLayout>

namespace attnviz {

SideViewDock::SideViewDock(SelectionState* selection, QWidget* parent)
    : QDockWidget(tr("Side view"), parent), m_selection(selection)
{
    setObjectName(QStringLiteral("sideViewDock")); // saveState() finds docks by name
    auto* content = new QWidget(this);
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(4, 4, 4, 4);
    m_choice = new QComboBox(content);
    m_choice->setToolTip(tr("Which view to show beside the tabs; both follow the same layer, head and token"));
    for (const ViewFactory::Kind& kind : ViewFactory::kinds())
        m_choice->addItem(kind.title, kind.name);
    layout->addWidget(m_choice);
    m_scroll = new QScrollArea(content);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    layout->addWidget(m_scroll, 1);
    setWidget(content);
    connect(m_choice, &QComboBox::currentIndexChanged, this, &SideViewDock::showView);
    m_choice->setCurrentIndex(std::max(0, m_choice->findData(QStringLiteral("arcs"))));
    if (m_view == nullptr)
        showView(m_choice->currentIndex());
    connect(this, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (visible && m_view != nullptr && m_view->result() != m_result)
            m_view->setResult(m_result);
    });
}

void SideViewDock::setResult(const std::shared_ptr<const AttentionResult>& result)
{
    m_result = result;
    // A hidden dock skips the work; it catches up when shown (showView).
    if (m_view != nullptr && isVisible())
        m_view->setResult(result);
}

bool SideViewDock::setViewName(const QString& name)
{
    const int index = m_choice->findData(name);
    if (index < 0)
        return false;
    m_choice->setCurrentIndex(index);
    return true;
}

QString SideViewDock::viewName() const
{
    return m_choice->currentData().toString();
}

void SideViewDock::showView(int index)
{
    std::unique_ptr<AttentionView> view = ViewFactory::create(m_choice->itemData(index).toString(), m_selection);
    if (!view)
        return;
    m_view = view.release();
    m_scroll->setWidget(m_view); // deletes the previous view
    m_view->setResult(m_result);
    emit viewChanged(viewName());
}

} // namespace attnviz
