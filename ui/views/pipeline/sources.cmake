# Sources of ui/views/pipeline: the Q/K/V pipeline.
target_sources(attnviz_ui PRIVATE
    views/pipeline/pipelinelayout.h views/pipeline/pipelinelayout.cpp
    views/pipeline/pipelinestage.h views/pipeline/pipelinestage.cpp
    views/pipeline/pipelineview.h views/pipeline/pipelineview.cpp)
