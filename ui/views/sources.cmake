# Sources of ui/views: what every view shares: the AttentionView base, the view registry, colour maps, number format, vector images.
target_sources(attnviz_ui PRIVATE
    views/attentionview.h views/attentionview.cpp
    views/colormap.h views/colormap.cpp
    views/heldheads.h views/heldheads.cpp
    views/numberformat.h
    views/vectorimage.h views/vectorimage.cpp
    views/viewfactory.h views/viewfactory.cpp)
