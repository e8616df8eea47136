# Sources of ui/state: the shared selection, the run request made from it, and the compute service that runs it off the UI thread.
target_sources(attnviz_ui PRIVATE
    state/selectionstate.h state/selectionstate.cpp
    state/runrequestbuilder.h state/runrequestbuilder.cpp
    state/sessionstate.h state/sessionstate.cpp
    state/computeservice.h state/computeservice.cpp
    state/headimportancejob.h state/headimportancejob.cpp
    state/stacktokens.h
    state/subwordmerge.h state/subwordmerge.cpp)
