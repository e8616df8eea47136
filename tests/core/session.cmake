# Tests of core/session: the .attnviz document and the model content hash
attnviz_add_test(test_session SOURCES session/test_session.cpp LIBS attnviz_core LABELS core)
