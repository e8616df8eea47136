#pragma once
// json::Value built by nlohmann-json's SAX parser: the candidate issue 15 proposed for
// core/util/json.cpp. Kept for attnviz-jsonbench only, which showed it slower than the
// hand-written reader (README, "JSON").

#include "util/json.h"

#include <string_view>

namespace attnviz::bench::nlohmannjson {

// Throws std::runtime_error with nlohmann's message on invalid input (no line/column rewording,
// no 512-level limit: the benchmark only reads valid files).
json::Value parse(std::string_view text);

} // namespace attnviz::bench::nlohmannjson
