# The fixture GGUF files (tools/gguf/make_gguf_fixtures.py: small random-weight F32 models of each
# architecture), written at test time into the build folder by the ctest fixture `gguf_fixtures`:
#   set_tests_properties(my_test PROPERTIES FIXTURES_REQUIRED gguf_fixtures)
# and read from ${ATTNVIZ_GGUF_FIXTURES}/<fixture>.gguf (list and test texts in manifest.tsv).
set(ATTNVIZ_FIXTURE_PYTHON /usr/bin/python3 CACHE FILEPATH "Python with numpy, for the generated test fixtures")
set(ATTNVIZ_GGUF_FIXTURES ${CMAKE_BINARY_DIR}/gguf_fixtures)
add_test(NAME gguf_fixtures_make
         COMMAND ${ATTNVIZ_FIXTURE_PYTHON} ${PROJECT_SOURCE_DIR}/tools/gguf/make_gguf_fixtures.py
                 --out ${ATTNVIZ_GGUF_FIXTURES})
set_tests_properties(gguf_fixtures_make PROPERTIES FIXTURES_SETUP gguf_fixtures LABELS gguf)
