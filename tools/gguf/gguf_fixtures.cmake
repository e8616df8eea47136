# The fixture GGUF files (tools/gguf/make_gguf_fixtures.py: small random-weight F32 models of each
# architecture), written at test time into the build folder by the ctest fixture `gguf_fixtures`:
#   set_tests_properties(my_test PROPERTIES FIXTURES_REQUIRED gguf_fixtures)
# and read from ${ATTNVIZ_GGUF_FIXTURES}/<fixture>.gguf (list and test texts in manifest.tsv).
# The same weights are also written as Hugging Face folders ${ATTNVIZ_GGUF_FIXTURES}/hf/<fixture>/.
set(ATTNVIZ_FIXTURE_PYTHON /usr/bin/python3 CACHE FILEPATH "Python with numpy, for generated test fixtures")
set(ATTNVIZ_GGUF_FIXTURES ${CMAKE_BINARY_DIR}/gguf_fixtures)
execute_process(COMMAND ${ATTNVIZ_FIXTURE_PYTHON} -c "import numpy" RESULT_VARIABLE numpy_missing
                OUTPUT_QUIET ERROR_QUIET)
if(numpy_missing)
    message(WARNING "${ATTNVIZ_FIXTURE_PYTHON} has no numpy: the GGUF fixture tests are not registered")
    set(ATTNVIZ_HAVE_GGUF_FIXTURES OFF)
    return()
endif()
set(ATTNVIZ_HAVE_GGUF_FIXTURES ON)
set(hf_option --hf ${ATTNVIZ_GGUF_FIXTURES}/hf)
add_test(NAME gguf_fixtures_make
         COMMAND ${ATTNVIZ_FIXTURE_PYTHON} ${PROJECT_SOURCE_DIR}/tools/gguf/make_gguf_fixtures.py
                 --out ${ATTNVIZ_GGUF_FIXTURES} ${hf_option})
set_tests_properties(gguf_fixtures_make PROPERTIES FIXTURES_SETUP gguf_fixtures LABELS gguf)
