# Sources of core/registry: opening a model from a spec (lesson file, Hugging Face folder,
# llama2.c checkpoint, builtin:NAME). The one place that knows every model kind.
target_sources(attnviz_core PRIVATE registry/modelregistry.h registry/modelregistry.cpp
    registry/resourcepaths.h registry/resourcepaths.cpp)
