# The core's include layering (core/CMakeLists.txt lists the layers), checked from the sources.
add_test(NAME test_core_layering
    COMMAND ${CMAKE_COMMAND} -DCORE_DIR=${PROJECT_SOURCE_DIR}/core "-DLAYERS=${ATTNVIZ_CORE_LAYERS}"
            -P ${CMAKE_CURRENT_SOURCE_DIR}/layering/check_layering.cmake)
set_tests_properties(test_core_layering PROPERTIES LABELS core)
