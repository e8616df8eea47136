# Sources of ui/views/modelgrid: the layer x head model grid.
target_sources(attnviz_ui PRIVATE
    views/modelgrid/modelgridlayout.h views/modelgrid/modelgridlayout.cpp
    views/modelgrid/modelgridstats.h views/modelgrid/modelgridstats.cpp
    views/modelgrid/modelgridview.h views/modelgrid/modelgridview.cpp)
