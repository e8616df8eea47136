# Sources of core/util
target_sources(attnviz_core PRIVATE util/json.h util/json.cpp util/recyclingallocator.h util/recyclingallocator.cpp
    util/memorypolicy.h util/memorypolicy.cpp util/messagetext.h util/messagetext.cpp
    util/regularfile.h util/regularfile.cpp util/checkednumbers.h util/checkednumbers.cpp
    util/sizelimits.h util/sizelimits.cpp util/utf8.h util/utf8.cpp util/jsonmatrix.h
    util/lfspointer.h util/lfspointer.cpp util/base64.h util/base64.cpp)
