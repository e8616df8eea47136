# Export for teaching: PNG/SVG/PDF of any view, batches and handouts, data (CSV/JSON/.npy), the
# export dialog and controller.
target_sources(attnviz_ui PRIVATE
    export/batchexporter.h export/batchexporter.cpp
    export/dataexporter.h export/dataexporter.cpp
    export/exportcontroller.h export/exportcontroller.cpp
    export/exportdialog.h export/exportdialog.cpp
    export/exportframe.h export/exportframe.cpp
    export/exportoptions.h export/exportoptions.cpp
    export/npywriter.h export/npywriter.cpp
    export/safefilewriter.h export/safefilewriter.cpp
    export/selectioncopy.h export/selectioncopy.cpp
    export/saveimagedialog.h export/saveimagedialog.cpp
    export/viewexporter.h export/viewexporter.cpp
    export/viewstylescope.h export/viewstylescope.cpp)
