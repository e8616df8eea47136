# Tests of the UI shell, state and widgets
foreach(name colormap heatmapgeometry subwordmerge selectionstate computeservice mainwindow lessoneditor sessionsettings
        lessonstudio attentionfilewindow presentation viewhint headswitch readouts compare session)
    attnviz_add_test(test_ui_${name} SOURCES shell/test_${name}.cpp LIBS attnviz_ui LABELS ui)
endforeach()
# Window keys against the keyboard schemes: Windows' under offscreen, GNOME's and KDE's under Xvfb
# (xcb picks the scheme from XDG_CURRENT_DESKTOP), where Ctrl+D, Ctrl+E, Ctrl+K and Ctrl+U edit text.
attnviz_add_test(test_ui_shortcuts SOURCES shell/test_shortcuts.cpp LIBS attnviz_ui LABELS ui)
find_program(ATTNVIZ_XVFB_RUN xvfb-run)
if(ATTNVIZ_XVFB_RUN)
    foreach(desktop GNOME KDE)
        add_test(NAME test_ui_shortcuts_${desktop}
                 COMMAND ${ATTNVIZ_XVFB_RUN} -a -s "-screen 0 1600x1000x24" $<TARGET_FILE:test_ui_shortcuts>)
        # One Xvfb at a time: two "xvfb-run -a" starting together can pick the same display.
        set_tests_properties(test_ui_shortcuts_${desktop} PROPERTIES LABELS ui RESOURCE_LOCK xvfb ENVIRONMENT
            "QT_QPA_PLATFORM=xcb;XDG_CURRENT_DESKTOP=${desktop};KDE_SESSION_VERSION=5;ATTNVIZ_EXPECT_SCHEME=x11")
    endforeach()
else()
    message(WARNING "No xvfb-run: the shortcut test runs only with the offscreen (Windows) keyboard scheme")
endif()
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
