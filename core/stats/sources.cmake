target_sources(attnviz_core PRIVATE stats/headstats.h stats/headstats.cpp stats/rollout.h stats/rollout.cpp)
