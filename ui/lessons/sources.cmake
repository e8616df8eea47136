# Sources of ui/lessons: the lesson editor dock, its document, tables and file commands.
target_sources(attnviz_ui PRIVATE
    lessons/lessoneditor.h lessons/lessoneditor.cpp
    lessons/lessondocument.h lessons/lessondocument.cpp
    lessons/lessonfileactions.h lessons/lessonfileactions.cpp
    lessons/lessonshapepanel.h lessons/lessonshapepanel.cpp
    lessons/lessonmatrixlist.h lessons/lessonmatrixlist.cpp
    lessons/lessonmatrixmodel.h lessons/lessonmatrixmodel.cpp
    lessons/lessontokenmodel.h lessons/lessontokenmodel.cpp
    lessons/lessonmaskmodel.h lessons/lessonmaskmodel.cpp)
target_sources(attnviz_ui PRIVATE
    lessons/headsample.h lessons/headsample.cpp
    lessons/makelessondialog.h lessons/makelessondialog.cpp)
