# ggml_reference (ggml_reference.cpp): llama.cpp's quantiser and dequantisers on files, for the
# GGUF tests; it loads libggml-base.so from ATTNVIZ_LLAMACPP_LIBS with dlopen. Included from
# tests/CMakeLists.txt when ATTNVIZ_HAVE_LLAMACPP; test tools only, never linked into the product.
add_library(attnviz_ggml_library STATIC ${CMAKE_CURRENT_LIST_DIR}/ggmllibrary.h ${CMAKE_CURRENT_LIST_DIR}/ggmllibrary.cpp)
target_include_directories(attnviz_ggml_library PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(attnviz_ggml_library PUBLIC ${CMAKE_DL_LIBS} PRIVATE attnviz_build_flags)

add_executable(ggml_reference ${CMAKE_CURRENT_LIST_DIR}/ggml_reference.cpp)
target_link_libraries(ggml_reference PRIVATE attnviz_ggml_library attnviz_build_flags)
target_compile_definitions(ggml_reference PRIVATE ATTNVIZ_LLAMACPP_LIBS="${ATTNVIZ_LLAMACPP_LIBS}")
set_target_properties(ggml_reference PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)

# ggml_dequant_bench (bench/run_dequant_bench.sh): AttnViz's dequantiser against ggml's, per type.
add_executable(ggml_dequant_bench ${CMAKE_CURRENT_LIST_DIR}/ggml_dequant_bench.cpp)
target_link_libraries(ggml_dequant_bench PRIVATE attnviz_core attnviz_ggml_library attnviz_build_flags)
target_compile_definitions(ggml_dequant_bench PRIVATE ATTNVIZ_LLAMACPP_LIBS="${ATTNVIZ_LLAMACPP_LIBS}")
set_target_properties(ggml_dequant_bench PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
