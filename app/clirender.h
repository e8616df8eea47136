#pragma once
// attnviz-cli render (the attnviz-render program): draws a view to PNG/SVG/PDF without a display,
// through the same paint() path as the screen. The only command that creates a QApplication.

#include <string>
#include <vector>

namespace attnviz::cli {

int runRenderCommand(const std::vector<std::string>& args);

} // namespace attnviz::cli
