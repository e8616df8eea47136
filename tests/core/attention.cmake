# Tests of core/attention: hand-computed stages, PyTorch fixtures, lessons, threads.
attnviz_add_test(test_attention SOURCES attention/test_attention.cpp LIBS attnviz_core LABELS core)
attnviz_add_test(test_attention_reference SOURCES attention/test_attention_reference.cpp LIBS attnviz_core LABELS core)
attnviz_add_test(test_lesson SOURCES attention/test_lesson.cpp LIBS attnviz_core LABELS core)
attnviz_add_test(test_lessonwriter SOURCES attention/test_lessonwriter.cpp LIBS attnviz_core LABELS core)
attnviz_add_test(test_attention_maskcarryover SOURCES attention/test_maskcarryover.cpp LIBS attnviz_core LABELS core)
attnviz_add_test(test_lessonedit SOURCES attention/test_lessonedit.cpp LIBS attnviz_core LABELS core)
attnviz_add_test(test_lessonfromhead SOURCES attention/test_lessonfromhead.cpp LIBS attnviz_core LABELS core)
