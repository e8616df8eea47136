# Tests of core/compute and the recycling allocator: products, softmax and element-wise maths
# against plain double-precision loops, and bit-identical results however the work is split.
attnviz_add_test(test_compute SOURCES compute/test_compute.cpp LIBS attnviz_core LABELS core)
