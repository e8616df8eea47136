# Sources of ui/views/arcs: token-to-token arcs.
target_sources(attnviz_ui PRIVATE
    views/arcs/arcslayout.h views/arcs/arcslayout.cpp
    views/arcs/arcslines.h views/arcs/arcslines.cpp
    views/arcs/arcspalette.h views/arcs/arcspalette.cpp
    views/arcs/arcsselection.h views/arcs/arcsselection.cpp
    views/arcs/arcsview.h views/arcs/arcsview.cpp)
