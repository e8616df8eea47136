# Tests of registry: finding the GGUF models local runners keep (fake Ollama, LM Studio and Hugging
# Face cache trees around copies of the generated GGUF fixtures) and opening GGUF files by magic.
if(ATTNVIZ_HAVE_GGUF_FIXTURES)
    attnviz_add_test(test_registry_localmodels SOURCES registry/test_localmodels.cpp LIBS attnviz_core LABELS gguf)
    target_compile_definitions(test_registry_localmodels PRIVATE ATTNVIZ_GGUF_FIXTURES="${ATTNVIZ_GGUF_FIXTURES}")
    set_tests_properties(test_registry_localmodels PROPERTIES FIXTURES_REQUIRED gguf_fixtures)
endif()
