# Sources of core/session: the .attnviz session document (read, validated, written) and the
# content hash that tells whether a session's model changed.
target_sources(attnviz_core PRIVATE session/session.h session/session.cpp session/sessionfields.h
    session/modelhash.h session/modelhash.cpp)
