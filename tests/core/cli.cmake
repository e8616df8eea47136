# Tests of attnviz-cli as a user runs it (exit codes, messages, JSON output).
attnviz_add_test(test_cli SOURCES cli/test_cli.cpp LIBS attnviz_core LABELS cli)
add_dependencies(test_cli attnviz-cli)
if(ATTNVIZ_HAVE_GGUF_FIXTURES) # `models` and a GGUF MODEL, on the generated fixtures
    target_compile_definitions(test_cli PRIVATE ATTNVIZ_GGUF_FIXTURES="${ATTNVIZ_GGUF_FIXTURES}")
    set_tests_properties(test_cli PROPERTIES FIXTURES_REQUIRED gguf_fixtures)
endif()
# --measure, lens, attribute and importance as a user runs them.
attnviz_add_test(test_cli_readouts SOURCES cli/test_cli_readouts.cpp LIBS attnviz_core LABELS cli)
add_dependencies(test_cli_readouts attnviz-cli)
# Every bad input of the reliability issue: exit 0 or 2, one stderr line, time and memory bounds.
attnviz_add_test(test_badinputs SOURCES cli/test_badinputs.cpp LIBS Qt6::Core LABELS cli)
add_dependencies(test_badinputs attnviz-cli)
set_tests_properties(test_badinputs PROPERTIES TIMEOUT 1200)
