# Sources of ui/views/charts: the charts of head statistics.
target_sources(attnviz_ui PRIVATE
    views/charts/chartsbuilder.h views/charts/chartsbuilder.cpp
    views/charts/chartsview.h views/charts/chartsview.cpp)
