# Tests of core/util (message text, file reading)
attnviz_add_test(test_util_messagetext SOURCES util/test_messagetext.cpp LIBS attnviz_core LABELS core)
