# Tests of core/stats: head statistics on hand-made attention matrices.
attnviz_add_test(test_headstats SOURCES stats/test_headstats.cpp LIBS attnviz_core LABELS core)
