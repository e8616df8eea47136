# Sources of ui/widgets: small reusable widgets: chip strips, head chips, token labels and strips, the selection toolbar, the stale overlay.
target_sources(attnviz_ui PRIVATE
    widgets/chipstrip.h widgets/chipstrip.cpp
    widgets/headchips.h widgets/headchips.cpp
    widgets/selectiontoolbar.h widgets/selectiontoolbar.cpp
    widgets/tokenlabel.h widgets/tokenlabel.cpp
    widgets/tokenstrip.h widgets/tokenstrip.cpp
    widgets/staleoverlay.h widgets/staleoverlay.cpp)
