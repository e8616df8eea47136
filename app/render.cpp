// attnviz-render: the render command of attnviz-cli (which runs this program for it), kept apart
// so the other commands never load Qt Widgets.
#include "clirender.h"
#include "util/memorypolicy.h"

#include <exception>
#include <iostream>

int main(int argc, char* argv[])
{
    attnviz::keepFreedMemoryForReuse();
    try {
        return attnviz::cli::runRenderCommand(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const std::exception& e) {
        std::cerr << "attnviz-cli render: " << e.what() << "\n";
        return 2;
    }
}
