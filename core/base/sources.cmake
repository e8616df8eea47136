# Sources of core/base: the plain types every other core folder shares (tensors, tokens, the
# load error, cancellation). It includes nothing from the project.
target_sources(attnviz_core PRIVATE base/tensor.h base/token.h base/modelloaderror.h)
