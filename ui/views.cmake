# Sources of the arcs, model grid, pipeline and chart views.
target_sources(attnviz_ui PRIVATE
    arcslayout.h arcslayout.cpp
    arcslines.h arcslines.cpp
    arcspalette.h arcspalette.cpp
    arcsview.h arcsview.cpp
    modelgridlayout.h modelgridlayout.cpp
    modelgridstats.h modelgridstats.cpp
    modelgridview.h modelgridview.cpp
    pipelinelayout.h pipelinelayout.cpp
    pipelinestage.h pipelinestage.cpp
    pipelineview.h pipelineview.cpp
    chartsbuilder.h chartsbuilder.cpp
    chartsview.h chartsview.cpp)
