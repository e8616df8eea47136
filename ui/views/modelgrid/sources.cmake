# Sources of ui/views/modelgrid: the layer x head model grid.
target_sources(attnviz_ui PRIVATE
    views/modelgrid/modelgridlayout.h views/modelgrid/modelgridlayout.cpp
    views/modelgrid/headbadge.h views/modelgrid/headbadge.cpp
    views/modelgrid/modelgridview.h views/modelgrid/modelgridview.cpp)
