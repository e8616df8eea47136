# Sources of ui/views/heatmap: the attention heatmap.
target_sources(attnviz_ui PRIVATE
    views/heatmap/heatmapdata.h views/heatmap/heatmapdata.cpp
    views/heatmap/heatmapgeometry.h views/heatmap/heatmapgeometry.cpp
    views/heatmap/heatmappainter.h views/heatmap/heatmappainter.cpp
    views/heatmap/heatmapview.h views/heatmap/heatmapview.cpp)
