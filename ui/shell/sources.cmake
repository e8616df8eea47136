# Sources of ui/shell: the main window and what surrounds the views: input panel, model picker, side dock, actions, settings.
target_sources(attnviz_ui PRIVATE
    shell/mainwindow.h shell/mainwindow.cpp
    shell/windowactions.h shell/windowactions.cpp
    shell/inputpanel.h shell/inputpanel.cpp
    shell/modelpicker.h shell/modelpicker.cpp
    shell/localmodelscanner.h shell/localmodelscanner.cpp
    shell/sideviewdock.h shell/sideviewdock.cpp
    shell/sessionsettings.h shell/sessionsettings.cpp
    shell/sessioncontroller.h shell/sessioncontroller.cpp
    shell/settingsautosave.h shell/settingsautosave.cpp
    shell/presentationmode.h shell/presentationmode.cpp
    shell/viewhint.h shell/viewhint.cpp
    shell/importancewindow.h shell/importancewindow.cpp
    shell/comparewindow.h shell/comparewindow.cpp)
