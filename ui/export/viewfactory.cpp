#include "viewfactory.h"

#include "arcsview.h"
#include "chartsview.h"
#include "heatmapview.h"
#include "modelgridview.h"
#include "pipelineview.h"

namespace attnviz {

QStringList ViewFactory::names()
{
    return {QStringLiteral("heatmap"), QStringLiteral("arcs"), QStringLiteral("model"), QStringLiteral("pipeline"),
            QStringLiteral("chart")};
}

std::unique_ptr<AttentionView> ViewFactory::create(const QString& name, SelectionState* selection, QWidget* parent)
{
    if (name == QLatin1String("heatmap"))
        return std::make_unique<HeatmapView>(selection, parent);
    if (name == QLatin1String("arcs"))
        return std::make_unique<ArcsView>(selection, parent);
    if (name == QLatin1String("model"))
        return std::make_unique<ModelGridView>(selection, parent);
    if (name == QLatin1String("pipeline"))
        return std::make_unique<PipelineView>(selection, parent);
    if (name == QLatin1String("chart"))
        return std::make_unique<ChartsView>(selection, parent);
    return nullptr;
}

ViewFactory::Scope ViewFactory::scope(const QString& name)
{
    if (name == QLatin1String("arcs"))
        return Scope::Layer;
    if (name == QLatin1String("model") || name == QLatin1String("chart"))
        return Scope::Model;
    return Scope::Head;
}

} // namespace attnviz
