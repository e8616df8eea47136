target_sources(attnviz_core PRIVATE stats/headstats.h stats/headstats.cpp stats/rollout.h stats/rollout.cpp
    stats/headsummary.h stats/headsummary.cpp stats/derive.h stats/derive.cpp
    stats/valueweighted.h stats/valueweighted.cpp
    stats/headimportance.h stats/headimportance.cpp
    stats/tokenalignment.h stats/tokenalignment.cpp
    stats/attentionflow.h stats/attentionflow.cpp
    stats/chrf.h stats/chrf.cpp)
