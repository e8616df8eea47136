# Tests of the arcs, model grid, pipeline and chart views
foreach(test tst_arcsview tst_modelgridview tst_pipelineview tst_chartsview tst_viewgallery)
    attnviz_add_test(${test} SOURCES views/${test}.cpp views/viewtestdata.h LIBS attnviz_ui LABELS ui)
    target_include_directories(${test} PRIVATE ${CMAKE_CURRENT_LIST_DIR}/views)
endforeach()
