# Tests of the arcs, model grid, pipeline and chart views, and of sentence pairs in the views
foreach(name arcsview modelgridview pipelineview pipelinefollow chartsview viewgallery sentencepairs readoutviews)
    attnviz_add_test(test_ui_${name} SOURCES views/test_${name}.cpp views/viewtestdata.h LIBS attnviz_ui LABELS ui)
    target_include_directories(test_ui_${name} PRIVATE ${CMAKE_CURRENT_LIST_DIR}/views)
endforeach()
