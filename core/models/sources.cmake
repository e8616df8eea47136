# Sources of core/models: checkpoint readers and the forward passes of real transformers.
target_sources(attnviz_core PRIVATE
    models/mappedfile.h models/mappedfile.cpp
    models/safetensors.h models/safetensors.cpp
)
