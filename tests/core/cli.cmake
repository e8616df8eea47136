# Tests of attnviz-cli as a user runs it (exit codes, messages, JSON output).
attnviz_add_test(test_cli SOURCES cli/test_cli.cpp LIBS attnviz_core LABELS cli)
add_dependencies(test_cli attnviz-cli)
