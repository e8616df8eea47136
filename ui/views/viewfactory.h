#pragma once
// The one list of views ("heatmap", "arcs", "model", "pipeline", "chart", "lens", "attribution"): the window's tabs, the
// side dock, batch exports and attnviz-cli's render command all build views from it.

#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

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

    struct Kind
    {
        QString name;           // stable: settings, command lines and file names use it
        QString title;          // translated, for tabs and menus
        Scope scope = Scope::Head;
        bool wantsScrollArea = false; // sized by its content rather than by the window
        std::unique_ptr<AttentionView> (*make)(SelectionState*, QWidget*) = nullptr;
    };

    // Every view, in tab order.
    static const std::vector<Kind>& kinds();
    static QStringList names();
    static bool isKnown(const QString& name) { return find(name) != nullptr; }
    // The kind named `name` (or an accepted alias such as "charts"), else nullptr.
    static const Kind* find(const QString& name);
    // nullptr for an unknown name.
    static std::unique_ptr<AttentionView> create(const QString& name, SelectionState* selection,
                                                 QWidget* parent = nullptr);
    static Scope scope(const QString& name);
};

} // namespace attnviz
