# llamacpp_reference: the test tool that drives llama.cpp's prebuilt libraries (tools/llamacpp/
# README.md). Included from tests/CMakeLists.txt when ATTNVIZ_HAVE_LLAMACPP; never linked into
# the product. It dlopens the libraries from ATTNVIZ_LLAMACPP_LIBS at run time.
set(llamacpp_tool_dir ${PROJECT_SOURCE_DIR}/tools/llamacpp)
add_executable(llamacpp_reference
    ${llamacpp_tool_dir}/llamacpp_reference.cpp
    ${llamacpp_tool_dir}/llamacpp_api.cpp)
target_compile_features(llamacpp_reference PRIVATE cxx_std_20)
target_compile_options(llamacpp_reference PRIVATE -Wall -Wextra -Wpedantic)
target_compile_definitions(llamacpp_reference PRIVATE ATTNVIZ_LLAMACPP_LIBS="${ATTNVIZ_LLAMACPP_LIBS}")
target_link_libraries(llamacpp_reference PRIVATE ${CMAKE_DL_LIBS})
set_target_properties(llamacpp_reference PROPERTIES AUTOMOC OFF AUTOUIC OFF AUTORCC OFF
    RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tools)

# llama.cpp's outputs for the fixture GGUF files, made at test time by the ctest fixture
# `llamacpp_reference_outputs` (needs gguf_fixtures):
#   ${ATTNVIZ_LLAMACPP_REFERENCE}/quant/<fixture>-<TYPE>.gguf    quantised variants
#   ${ATTNVIZ_LLAMACPP_REFERENCE}/eval/<fixture>[-<TYPE>]/       attention maps, logits, token ids
set(ATTNVIZ_LLAMACPP_REFERENCE ${CMAKE_BINARY_DIR}/llamacpp_reference)
set(ATTNVIZ_LLAMACPP_TOOL $<TARGET_FILE:llamacpp_reference>)
add_test(NAME llamacpp_reference_outputs
         COMMAND ${CMAKE_COMMAND} -DTOOL=${ATTNVIZ_LLAMACPP_TOOL} -DFIXTURES=${ATTNVIZ_GGUF_FIXTURES}
                 -DOUT=${ATTNVIZ_LLAMACPP_REFERENCE} -P ${llamacpp_tool_dir}/make_reference_outputs.cmake)
set_tests_properties(llamacpp_reference_outputs PROPERTIES
    FIXTURES_SETUP llamacpp_reference_outputs FIXTURES_REQUIRED gguf_fixtures LABELS gguf)

# Checks the tool and its outputs: layout checks pass, every map is row-stochastic and causal,
# sliding layers keep their window, quantised variants hold the types asked for, AttnViz on the
# fixtures as Hugging Face folders gives the same maps.
attnviz_add_test(test_llamacpp_reference SOURCES ${PROJECT_SOURCE_DIR}/tests/llamacpp/test_llamacpp_reference.cpp
                 LIBS Qt6::Core LABELS gguf)
add_dependencies(test_llamacpp_reference llamacpp_reference attnviz-cli)
target_compile_definitions(test_llamacpp_reference PRIVATE
    ATTNVIZ_LLAMACPP_TOOL="${ATTNVIZ_LLAMACPP_TOOL}"
    ATTNVIZ_GGUF_FIXTURES="${ATTNVIZ_GGUF_FIXTURES}"
    ATTNVIZ_LLAMACPP_REFERENCE="${ATTNVIZ_LLAMACPP_REFERENCE}")
set_tests_properties(test_llamacpp_reference PROPERTIES FIXTURES_REQUIRED "gguf_fixtures;llamacpp_reference_outputs")
