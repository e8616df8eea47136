# Tests of core/stats: head statistics on hand-made attention matrices.
attnviz_add_test(test_headstats SOURCES stats/test_headstats.cpp LIBS attnviz_core LABELS core)
# The built-in models, loaded through the normal loader, reproduce their model cards' figures.
attnviz_add_test(test_builtin_metrics SOURCES stats/test_builtin_metrics.cpp LIBS attnviz_core LABELS core)
set_tests_properties(test_builtin_metrics PROPERTIES ENVIRONMENT "OMP_WAIT_POLICY=passive")
# Attention rollout: hand-worked values and a real model's rollout.
attnviz_add_test(test_rollout SOURCES stats/test_rollout.cpp LIBS attnviz_core LABELS core)
# Compare mode's token alignment and map differences, by hand.
attnviz_add_test(test_tokenalignment SOURCES stats/test_tokenalignment.cpp LIBS attnviz_core LABELS core)
# tools/train/chrf.py (the translator card's chrF) on hand-computed cases.
find_program(ATTNVIZ_SYSTEM_PYTHON3 python3 PATHS /usr/bin NO_DEFAULT_PATH REQUIRED)
add_test(NAME train_chrf COMMAND ${ATTNVIZ_SYSTEM_PYTHON3} -m unittest test_chrf
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}/tools/train)
# tools/train/translation_eval.py: the alignment score's gold links and hits, by hand.
add_test(NAME train_translation_eval COMMAND ${ATTNVIZ_SYSTEM_PYTHON3} -m unittest test_translation_eval
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}/tools/train)
# core/stats/chrf: the same chrF, in C++, for the built-in translator's metrics test.
attnviz_add_test(test_chrf SOURCES stats/test_chrf.cpp LIBS attnviz_core LABELS core)
