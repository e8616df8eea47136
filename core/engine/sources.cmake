# Sources of core/engine
target_sources(attnviz_core PRIVATE
    engine/attentionresult.h engine/attentiontensor.cpp engine/attentionmodel.h
    engine/lessonmodel.h engine/lessonmodel.cpp engine/runrequest.cpp
    engine/resultjson.h engine/resultjson.cpp
    engine/captureplan.h engine/captureplan.cpp
    engine/readouts.h engine/readouts.cpp)
