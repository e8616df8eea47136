# Sources of the UI shell (main window, selection, compute service, heatmap, token strip).
target_sources(attnviz_ui PRIVATE
    mainwindow.h mainwindow.cpp)
# selectionstate.h and attentionview.h are added with their .cpp files.
# The arcs, model grid, pipeline and chart views list their own sources.
include(${CMAKE_CURRENT_LIST_DIR}/views.cmake)
