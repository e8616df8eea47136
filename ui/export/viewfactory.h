#pragma once
// Builds a view by its name ("heatmap", "arcs", "model", "pipeline", "chart"), for attnviz-cli's
// render command and for batch exports that draw off screen without touching the window's views.

#include <QString>
#include <QStringList>

#include <memory>

class QWidget;

namespace attnviz {

class AttentionView;
class SelectionState;

class ViewFactory
{
public:
    // What one picture of a view covers, so batches know what to vary per file or page.
    enum class Scope {
        Head,  // one head of one layer (heatmap, pipeline)
        Layer, // every enabled head of one layer (arcs)
        Model, // the whole model (model grid, charts)
    };

    static QStringList names();
    static bool isKnown(const QString& name) { return names().contains(name); }
    // nullptr for an unknown name.
    static std::unique_ptr<AttentionView> create(const QString& name, SelectionState* selection,
                                                 QWidget* parent = nullptr);
    static Scope scope(const QString& name);
};

} // namespace attnviz
