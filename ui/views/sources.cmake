# Sources of ui/views: what every view shares: the AttentionView base, the view registry, colour maps, number format, vector images.
target_sources(attnviz_ui PRIVATE
    views/attentionview.h views/attentionview.cpp
    views/colormap.h views/colormap.cpp
    views/heldheads.h views/heldheads.cpp
    views/numberformat.h
    views/vectorimage.h views/vectorimage.cpp
    views/viewfactory.h views/viewfactory.cpp
    views/readouts/labelledgrid.h views/readouts/labelledgrid.cpp
    views/readouts/readoutview.h views/readouts/readoutview.cpp
    views/readouts/logitlensview.h views/readouts/logitlensview.cpp
    views/readouts/attributionview.h views/readouts/attributionview.cpp
    views/readouts/importanceview.h views/readouts/importanceview.cpp
    views/compare/compareview.h views/compare/compareview.cpp)
