# Sources of ui/views/pipeline: the Q/K/V pipeline.
target_sources(attnviz_ui PRIVATE
    views/pipeline/followedquery.h views/pipeline/followedquery.cpp
    views/pipeline/followquerypicture.h views/pipeline/followquerypicture.cpp
    views/pipeline/matricespicture.h views/pipeline/matricespicture.cpp
    views/pipeline/pipelinelayout.h views/pipeline/pipelinelayout.cpp
    views/pipeline/pipelinepaint.h views/pipeline/pipelinepaint.cpp
    views/pipeline/pipelinescales.h views/pipeline/pipelinescales.cpp
    views/pipeline/pipelinestage.h views/pipeline/pipelinestage.cpp
    views/pipeline/pipelinestepper.h views/pipeline/pipelinestepper.cpp
    views/pipeline/pipelineview.h views/pipeline/pipelineview.cpp)
