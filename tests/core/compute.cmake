# Tests of core/compute and the recycling allocator: products, softmax and element-wise maths
# against plain double-precision loops, and bit-identical results however the work is split.
attnviz_add_test(test_compute SOURCES compute/test_compute.cpp LIBS attnviz_core LABELS core)

# AttnViz's ggml dequantiser against llama.cpp's own (bit-identical), through the test tool
# ggml_reference (tools/llamacpp/ggml_reference.cmake); only with the reference libraries.
if(ATTNVIZ_HAVE_LLAMACPP)
    attnviz_add_test(test_ggml_dequant SOURCES compute/test_ggml_dequant.cpp LIBS attnviz_core LABELS core)
    target_compile_definitions(test_ggml_dequant PRIVATE ATTNVIZ_GGML_REFERENCE="$<TARGET_FILE:ggml_reference>")
    add_dependencies(test_ggml_dequant ggml_reference)
endif()
# Weights kept as GGUF encodes them: products equal to the packed-float path bit for bit.
attnviz_add_test(test_encodedmatrix SOURCES compute/test_encodedmatrix.cpp LIBS attnviz_core LABELS core)

# dequantizePanel: the tiles of quantised weights in the matrix kernel's panel layout.
attnviz_add_test(test_ggml_panel SOURCES compute/test_ggml_panel.cpp LIBS attnviz_core LABELS core)

# The load-time Inf/NaN scan of 16-bit and block-quantised bytes against the decoded values.
attnviz_add_test(test_ggml_finite SOURCES compute/test_ggmlfinite.cpp LIBS attnviz_core LABELS core)
