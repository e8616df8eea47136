#pragma once
// The JSON reader before issue 15, for the load-time comparison in attnviz-jsonbench only.

#include "util/json.h"

#include <string_view>

namespace attnviz::bench::legacy {

// Same contract as json::parse, except that every number is read as a double.
json::Value parse(std::string_view text);

} // namespace attnviz::bench::legacy
