# Tests of the UI shell, state and widgets
foreach(name colormap heatmapgeometry subwordmerge selectionstate computeservice mainwindow lessoneditor sessionsettings
        lessonstudio attentionfilewindow presentation viewhint headswitch readouts compare session)
    attnviz_add_test(test_ui_${name} SOURCES shell/test_${name}.cpp LIBS attnviz_ui LABELS ui)
endforeach()
attnviz_add_test(test_ui_screenshot SOURCES shell/test_screenshot.cpp LIBS Qt6::Gui LABELS ui)
# The screenshot test runs the real executable.
target_compile_definitions(test_ui_screenshot PRIVATE ATTNVIZ_APP="$<TARGET_FILE:attnviz>" ATTNVIZ_VERSION="${PROJECT_VERSION}")
add_dependencies(test_ui_screenshot attnviz)
# The picker's local GGUF models (a temporary Ollama store and LM Studio folder around the fixtures).
if(ATTNVIZ_HAVE_GGUF_FIXTURES)
    attnviz_add_test(test_ui_localmodelpicker SOURCES shell/test_localmodelpicker.cpp LIBS attnviz_ui LABELS "ui;gguf")
    target_compile_definitions(test_ui_localmodelpicker PRIVATE ATTNVIZ_GGUF_FIXTURES="${ATTNVIZ_GGUF_FIXTURES}")
    set_tests_properties(test_ui_localmodelpicker PROPERTIES FIXTURES_REQUIRED gguf_fixtures)
    if(ATTNVIZ_HAVE_LLAMACPP) # and a file llama.cpp quantised
        target_compile_definitions(test_ui_localmodelpicker PRIVATE ATTNVIZ_LLAMACPP_REFERENCE="${ATTNVIZ_LLAMACPP_REFERENCE}")
        set_tests_properties(test_ui_localmodelpicker PROPERTIES FIXTURES_REQUIRED "gguf_fixtures;llamacpp_reference_outputs")
    endif()
endif()
