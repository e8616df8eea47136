# Tests of models: checkpoint readers and forward passes against PyTorch references
# (tests/data/models, made by tools/fixtures/make_model_fixtures.py) and the real stories260K.
attnviz_add_test(test_models_gpt2 SOURCES models/test_gpt2.cpp models/modelfixture.h LIBS attnviz_core)
attnviz_add_test(test_models_llama SOURCES models/test_llama.cpp models/modelfixture.h LIBS attnviz_core)
attnviz_add_test(test_models_llama2c SOURCES models/test_llama2c.cpp LIBS attnviz_core)
attnviz_add_test(test_models_bert SOURCES models/test_bert.cpp models/modelfixture.h LIBS attnviz_core)
attnviz_add_test(test_models_runoptions SOURCES models/test_runoptions.cpp models/modelfixture.h LIBS attnviz_core)
attnviz_add_test(test_models_safetensors SOURCES models/test_safetensors.cpp models/modelfixture.h LIBS attnviz_core)
# GGUF files (llama.cpp): every metadata type, the tensor table, and every refusal.
attnviz_add_test(test_models_gguffile SOURCES models/test_gguffile.cpp LIBS attnviz_core)
# The tokenizer inside GGUF files, on vocab-only files that tools/gguf/make_vocab_gguf.py makes from
# the real GPT-2, Qwen2.5 and Mistral tokenizers in the shared fixtures (into the build folder, by
# the gguf_vocab_files fixture), against llama.cpp's ids (tests/data/tokenizers/gguf_vocab_expected.json).
find_program(ATTNVIZ_PYTHON3 python3 REQUIRED)
set(attnviz_gguf_vocab_dir "${CMAKE_BINARY_DIR}/gguf-vocab")
add_test(NAME gguf_vocab_files COMMAND ${ATTNVIZ_PYTHON3} ${PROJECT_SOURCE_DIR}/tools/gguf/make_vocab_gguf.py
    ${ATTNVIZ_SHARED_FIXTURES}/tokenizers ${attnviz_gguf_vocab_dir})
set_tests_properties(gguf_vocab_files PROPERTIES FIXTURES_SETUP gguf_vocab)
attnviz_add_test(test_models_gguftokenizer SOURCES models/test_gguftokenizer.cpp LIBS attnviz_core)
target_compile_definitions(test_models_gguftokenizer PRIVATE ATTNVIZ_GGUF_VOCAB_DIR="${attnviz_gguf_vocab_dir}")
set_tests_properties(test_models_gguftokenizer PROPERTIES FIXTURES_REQUIRED gguf_vocab)
# Attention files (docs/attention-file.md): AttnViz's writer and reader, and files that the Python
# exporter (tools/export) writes from a torch forward of the GPT-2 fixture, with Debian's torch.
find_program(ATTNVIZ_SYSTEM_PYTHON3 python3 PATHS /usr/bin NO_DEFAULT_PATH REQUIRED)
set(attnviz_export_dir "${CMAKE_BINARY_DIR}/attention-exports")
add_test(NAME attention_export_files COMMAND ${ATTNVIZ_SYSTEM_PYTHON3}
    ${CMAKE_CURRENT_SOURCE_DIR}/models/export_fixture_attention.py ${attnviz_export_dir})
set_tests_properties(attention_export_files PROPERTIES FIXTURES_SETUP attention_exports)
attnviz_add_test(test_models_attentionfile SOURCES models/test_attentionfile.cpp models/modelfixture.h LIBS attnviz_core)
target_compile_definitions(test_models_attentionfile PRIVATE ATTNVIZ_EXPORT_DIR="${attnviz_export_dir}")
set_tests_properties(test_models_attentionfile PROPERTIES FIXTURES_REQUIRED attention_exports)
add_dependencies(test_models_attentionfile attnviz-cli)
# The attention budget: which maps a run keeps on a long input (engine/captureplan.h).
attnviz_add_test(test_models_capturebudget SOURCES models/test_capturebudget.cpp models/modelfixture.h LIBS attnviz_core)
# torch.save checkpoints (pytorch_model.bin): values, views, ZIP64 and every refusal.
attnviz_add_test(test_models_torchfile SOURCES models/test_torchfile.cpp LIBS attnviz_core)
attnviz_add_test(test_models_builtin SOURCES models/test_builtin.cpp models/modelfixture.h LIBS attnviz_core)
attnviz_add_test(test_models_bart SOURCES models/test_bart.cpp models/modelfixture.h LIBS attnviz_core)
attnviz_add_test(test_models_t5 SOURCES models/test_t5.cpp models/modelfixture.h LIBS attnviz_core)
attnviz_add_test(test_models_specialfiles SOURCES models/test_specialfiles.cpp LIBS attnviz_core)
attnviz_add_test(test_models_numbers SOURCES models/test_modelnumbers.cpp models/modelfixture.h LIBS attnviz_core)
# What config.json alone decides, and the keys newer tools write.
attnviz_add_test(test_models_configchecks SOURCES models/test_configchecks.cpp models/modelfixture.h LIBS attnviz_core)
# Every folder under tests/data/models against its reference (the data-driven family test).
attnviz_add_test(test_models_references SOURCES models/test_references.cpp models/modelfixture.h LIBS attnviz_core)
# DeBERTa's disentangled attention: log buckets, position terms in the pipeline, readouts, refusals.
attnviz_add_test(test_models_deberta SOURCES models/test_deberta.cpp models/modelfixture.h LIBS attnviz_core)
# Value-weighted attention, logit lens and logit attribution against tools/fixtures/make_measure_fixtures.py.
attnviz_add_test(test_models_measures SOURCES models/test_measures.cpp models/modelfixture.h LIBS attnviz_core)
# On a shared, oversubscribed machine spinning OpenMP workers stall every fork/join for a
# scheduler slice; passive waiting keeps these tests fast without changing any result.
foreach(t gpt2 llama llama2c bert runoptions safetensors torchfile builtin bart t5 specialfiles numbers references configchecks measures deberta)
    set_property(TEST test_models_${t} APPEND PROPERTY ENVIRONMENT "OMP_WAIT_POLICY=passive")
endforeach()
# GGUF files against llama.cpp itself: every fixture architecture and quantised variant, maps and
# logits (the reference outputs come from the ctest fixtures of tools/llamacpp/llamacpp_reference.cmake).
if(ATTNVIZ_HAVE_LLAMACPP)
    attnviz_add_test(test_models_gguf SOURCES models/test_gguf.cpp models/npyfile.h LIBS attnviz_core LABELS gguf)
    target_compile_definitions(test_models_gguf PRIVATE
        ATTNVIZ_GGUF_FIXTURES="${ATTNVIZ_GGUF_FIXTURES}" ATTNVIZ_LLAMACPP_REFERENCE="${ATTNVIZ_LLAMACPP_REFERENCE}")
    set_tests_properties(test_models_gguf PROPERTIES FIXTURES_REQUIRED "gguf_fixtures;llamacpp_reference_outputs"
                         ENVIRONMENT "OMP_WAIT_POLICY=passive")
endif()
