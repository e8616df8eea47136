# Sources of core/attention
target_sources(attnviz_core PRIVATE
    attention/mask.h attention/mask.cpp attention/attention.h attention/attention.cpp
    attention/lesson.h attention/lesson.cpp attention/lessonwriter.h attention/lessonwriter.cpp
    attention/lessonedit.h attention/lessonedit.cpp
    attention/dimensionreduction.h attention/dimensionreduction.cpp
    attention/lessonfromhead.h attention/lessonfromhead.cpp)
