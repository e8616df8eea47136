# Sources of core/models: checkpoint readers and the forward passes of real transformers.
target_sources(attnviz_core PRIVATE
    models/mappedfile.h models/mappedfile.cpp
    models/tensorfile.h models/tensorfile.cpp
    models/safetensors.h models/safetensors.cpp
    models/attentionfile.h models/attentionfile.cpp
    models/attentionfilewriter.h models/attentionfilewriter.cpp
    models/gguffile.h models/gguffile.cpp
    models/gguftokenizer.h models/gguftokenizer.cpp
    models/zipdirectory.h models/zipdirectory.cpp
    models/torchpickle.h models/torchpickle.cpp
    models/torchfile.h models/torchfile.cpp
    models/weightarchive.h models/weightarchive.cpp
    models/hfconfig.h models/hfconfig.cpp
    models/kernels.h models/kernels.cpp models/attendheads.cpp
    models/tokentable.h models/tokentable.cpp
    models/transformer.h models/transformer.cpp
    models/family.h models/families.cpp
    models/configchecks.h models/configchecks.cpp
    models/familyloader.h models/familyloader.cpp
    models/generictransformer.h models/generictransformer.cpp
    models/disentangled.h models/disentangled.cpp
    models/residualreadings.h models/residualreadings.cpp
    models/readoutlimits.h models/readoutlimits.cpp
    models/ropescaling.h models/ropescaling.cpp
    models/llama2c.h models/llama2c.cpp
    models/predictions.h models/predictions.cpp
    models/checkpointmodel.h models/checkpointmodel.cpp
    models/encoderdecoder.h models/encoderdecoder.cpp
    models/bart.h models/bart.cpp
    models/t5.h models/t5.cpp
    models/seq2seqmodel.h models/seq2seqmodel.cpp
    models/hfloader.h models/hfloader.cpp
    models/ggufdescriptions.h models/ggufdescriptions.cpp
    models/ggufloader.h models/ggufloader.cpp
    models/ggufshards.h models/ggufshards.cpp
)
