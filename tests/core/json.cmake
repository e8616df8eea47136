# Tests of core/util/json
attnviz_add_test(test_json SOURCES json/test_json.cpp LIBS attnviz_core LABELS core)
attnviz_add_test(test_jsonnumbers SOURCES json/test_jsonnumbers.cpp LIBS attnviz_core LABELS core)
