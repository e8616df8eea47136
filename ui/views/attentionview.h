#pragma once
// Base of every view: renders the current AttentionResult plus SelectionState. The picture is
// drawn by paint(), which works on any QPainter (screen, QImage, QSvgGenerator, QPdfWriter), so
// PNG/SVG/PDF export and golden tests share one code path with the screen.

#include "engine/attentionresult.h"
#include "state/selectionstate.h"

#include <QImage>
#include <QPointer>
#include <QWidget>

#include <memory>

namespace attnviz {

class AttentionView : public QWidget
{
    Q_OBJECT
public:
    AttentionView(SelectionState* selection, QWidget* parent = nullptr);

    void setResult(std::shared_ptr<const AttentionResult> result);
    const std::shared_ptr<const AttentionResult>& result() const { return m_result; }
    SelectionState* selection() const { return m_selection; }

    // Draws the whole view into `target` (logical coordinates). Must not depend on widget state
    // other than the result, the selection and view options, so exports match the screen.
    virtual void paint(QPainter& painter, const QRectF& target) const = 0;
    // The size the picture wants for export at 1x (e.g. large enough for every label).
    virtual QSizeF preferredExportSize() const { return QSizeF(size()); }
    // The smallest size the picture keeps its labels readable in (handout pages fit it to theirs).
    virtual QSizeF minimumExportSize() const { return preferredExportSize(); }
    virtual QString viewName() const = 0; // "heatmap", "arcs", "model", "pipeline", "chart"

    // The view's font over the application's. Views that draw in fixed pixel sizes multiply them by
    // it, so presentation mode's large type and an export's font size reach them too.
    qreal textScale() const;

    // Renders paint() into an image of `size` logical pixels (export, golden tests).
    QImage renderImage(const QSize& size, qreal devicePixelRatio = 1.0) const;

    // Whether the picture carries its own title ("Layer 0 · head 2"). Exports whose header names
    // model, layer and head turn it off, so the title is not said twice.
    void setShowsTitle(bool on);
    bool showsTitle() const { return m_showsTitle; }

protected:
    // Called after a new result arrived; the default schedules a repaint.
    virtual void resultChanged();
    // Called when showsTitle() changed; the default schedules a repaint.
    virtual void showsTitleChanged();
    void paintEvent(QPaintEvent* event) override;

private:
    QPointer<SelectionState> m_selection;
    std::shared_ptr<const AttentionResult> m_result;
    bool m_showsTitle = true;
};

} // namespace attnviz
