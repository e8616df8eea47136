# Sources of ui/lessons: the lesson editor dock and its matrix table model.
target_sources(attnviz_ui PRIVATE
    lessons/lessoneditor.h lessons/lessoneditor.cpp
    lessons/lessonmatrixmodel.h lessons/lessonmatrixmodel.cpp)
