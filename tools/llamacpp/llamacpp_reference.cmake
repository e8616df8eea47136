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
