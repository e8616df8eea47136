# Sources of the UI shell (main window, selection, compute service, heatmap, token strip).
target_sources(attnviz_ui PRIVATE
    attentionview.h attentionview.cpp
    chipstrip.h chipstrip.cpp
    colormap.h colormap.cpp
    computeservice.h computeservice.cpp
    headchips.h headchips.cpp
    heatmapdata.h heatmapdata.cpp
    heatmapgeometry.h heatmapgeometry.cpp
    heatmappainter.h heatmappainter.cpp
    heatmapview.h heatmapview.cpp
    inputpanel.h inputpanel.cpp
    lessoneditor.h lessoneditor.cpp
    lessonmatrixmodel.h lessonmatrixmodel.cpp
    mainwindow.h mainwindow.cpp
    vectorimage.h vectorimage.cpp
    modelpicker.h modelpicker.cpp
    numberformat.h
    runrequestbuilder.h runrequestbuilder.cpp
    selectionstate.h selectionstate.cpp
    selectiontoolbar.h selectiontoolbar.cpp
    sessionsettings.h sessionsettings.cpp
    settingsautosave.h settingsautosave.cpp
    sideviewdock.h sideviewdock.cpp
    staleoverlay.h staleoverlay.cpp
    stacktokens.h
    subwordmerge.h subwordmerge.cpp
    tokenlabel.h tokenlabel.cpp
    tokenstrip.h tokenstrip.cpp
    windowactions.h windowactions.cpp)
# The arcs, model grid, pipeline and chart views list their own sources.
include(${CMAKE_CURRENT_LIST_DIR}/views.cmake)
