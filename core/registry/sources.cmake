# Sources of core/registry: opening a model from a spec (lesson file, Hugging Face folder,
# llama2.c checkpoint, GGUF file, builtin:NAME), the one place that knows every model kind, and
# finding the GGUF models local runners (Ollama, LM Studio, the Hugging Face cache) keep.
target_sources(attnviz_core PRIVATE registry/modelregistry.h registry/modelregistry.cpp
    registry/resourcepaths.h registry/resourcepaths.cpp
    registry/directorywalk.h registry/directorywalk.cpp
    registry/localmodels.h registry/localmodels.cpp)
