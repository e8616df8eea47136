#pragma once
// The error every model, checkpoint and tokenizer reader throws for a file it cannot use.

#include <stdexcept>

namespace attnviz {

// Thrown when a model cannot be opened; the message says which file and why.
class ModelLoadError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

} // namespace attnviz
