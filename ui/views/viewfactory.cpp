#include "views/viewfactory.h"

#include "views/arcs/arcsview.h"
#include "views/charts/chartsview.h"
#include "views/heatmap/heatmapview.h"
#include "views/modelgrid/modelgridview.h"
#include "views/pipeline/pipelineview.h"
#include "views/readouts/attributionview.h"
#include "views/readouts/logitlensview.h"

#include <QCoreApplication>

namespace attnviz {

namespace {

QString title(const char* text)
{
    return QCoreApplication::translate("ViewFactory", text);
}

template <typename View>
std::unique_ptr<AttentionView> make(SelectionState* selection, QWidget* parent)
{
    return std::make_unique<View>(selection, parent);
}

} // namespace

const std::vector<ViewFactory::Kind>& ViewFactory::kinds()
{
    static const std::vector<Kind> all = {
        {QStringLiteral("heatmap"), title("Heatmap"), Scope::Head, true, &make<HeatmapView>},
        {QStringLiteral("arcs"), title("Arcs"), Scope::Layer, true, &make<ArcsView>},
        {QStringLiteral("model"), title("Model grid"), Scope::Model, false, &make<ModelGridView>},
        {QStringLiteral("pipeline"), title("Q/K/V pipeline"), Scope::Head, false, &make<PipelineView>},
        {QStringLiteral("chart"), title("Charts"), Scope::Model, false, &make<ChartsView>},
        {QStringLiteral("lens"), title("Logit lens"), Scope::Model, true, &make<LogitLensView>},
        {QStringLiteral("attribution"), title("Logit attribution"), Scope::Model, true, &make<AttributionView>},
    };
    return all;
}

QStringList ViewFactory::names()
{
    QStringList out;
    for (const Kind& kind : kinds())
        out << kind.name;
    return out;
}

const ViewFactory::Kind* ViewFactory::find(const QString& name)
{
    const QString wanted = name == QLatin1String("charts") ? QStringLiteral("chart") : name;
    for (const Kind& kind : kinds()) {
        if (kind.name == wanted)
            return &kind;
    }
    return nullptr;
}

std::unique_ptr<AttentionView> ViewFactory::create(const QString& name, SelectionState* selection, QWidget* parent)
{
    const Kind* kind = find(name);
    return kind != nullptr ? kind->make(selection, parent) : nullptr;
}

ViewFactory::Scope ViewFactory::scope(const QString& name)
{
    const Kind* kind = find(name);
    return kind != nullptr ? kind->scope : Scope::Head;
}

} // namespace attnviz
