# Tests of export: pictures, batches and handouts, data files, atomic writes, attnviz-cli render.
foreach(test tst_viewexport tst_batchexport tst_dataexport tst_safefilewriter tst_clirender tst_exportcontroller)
    attnviz_add_test(${test} SOURCES export/${test}.cpp export/exporttestdata.h LIBS attnviz_ui LABELS ui export)
    target_include_directories(${test} PRIVATE ${CMAKE_CURRENT_LIST_DIR}/export)
endforeach()
add_dependencies(tst_clirender attnviz-cli)
