#pragma once
// Where the shipped resources (built-in models, lessons) are found at run time.

#include <string>
#include <vector>

namespace attnviz {

// Candidate resource folders, best first: $ATTNVIZ_RESOURCES, <exe>/../share/attnviz (installed),
// the source tree's resources/ (running from a build folder).
std::vector<std::string> resourceDirectories();

// Resolves "builtin:NAME" to resources/models/NAME and "lesson:NAME" to resources/lessons/NAME.json.
// Returns the spec unchanged when it has neither prefix; throws std::runtime_error when the named
// resource does not exist (listing what does).
std::string resolveResourceSpec(const std::string& spec);

// Names of the shipped lessons and built-in models, for pickers and error messages.
std::vector<std::string> builtinModelNames();
std::vector<std::string> builtinLessonNames();

} // namespace attnviz
