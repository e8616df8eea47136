# Tests of export: pictures, batches and handouts, data files, atomic writes, attnviz-cli render.
foreach(name viewexport batchexport dataexport safefilewriter clirender exportcontroller)
    attnviz_add_test(test_ui_${name} SOURCES export/test_${name}.cpp export/exporttestdata.h LIBS attnviz_ui LABELS ui export)
    target_include_directories(test_ui_${name} PRIVATE ${CMAKE_CURRENT_LIST_DIR}/export)
endforeach()
add_dependencies(test_ui_clirender attnviz-cli attnviz-render)
