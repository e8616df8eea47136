# Tests of the UI shell
attnviz_add_test(tst_colormap SOURCES shell/tst_colormap.cpp LIBS attnviz_ui LABELS ui)
attnviz_add_test(tst_heatmapgeometry SOURCES shell/tst_heatmapgeometry.cpp LIBS attnviz_ui LABELS ui)
attnviz_add_test(tst_subwordmerge SOURCES shell/tst_subwordmerge.cpp LIBS attnviz_ui LABELS ui)
attnviz_add_test(tst_selectionstate SOURCES shell/tst_selectionstate.cpp LIBS attnviz_ui LABELS ui)
attnviz_add_test(tst_computeservice SOURCES shell/tst_computeservice.cpp LIBS attnviz_ui LABELS ui)
attnviz_add_test(tst_mainwindow SOURCES shell/tst_mainwindow.cpp LIBS attnviz_ui LABELS ui)
attnviz_add_test(tst_lessoneditor SOURCES shell/tst_lessoneditor.cpp LIBS attnviz_ui LABELS ui)
attnviz_add_test(tst_sessionsettings SOURCES shell/tst_sessionsettings.cpp LIBS attnviz_ui LABELS ui)
attnviz_add_test(tst_screenshot SOURCES shell/tst_screenshot.cpp LIBS Qt6::Gui LABELS ui)
# The screenshot test runs the real executable.
target_compile_definitions(tst_screenshot PRIVATE ATTNVIZ_APP="$<TARGET_FILE:attnviz>" ATTNVIZ_VERSION="${PROJECT_VERSION}")
add_dependencies(tst_screenshot attnviz)
