# Sources of core/compute: the numerical building blocks under every forward pass (packed
# matrix products, vectorised element-wise maths, softmax rows).
target_sources(attnviz_core PRIVATE
    compute/microkernel.h
    compute/packedgemm.h compute/packedgemm.cpp
    compute/vectormath.h compute/vectormath.cpp
    compute/ggmltypes.h compute/ggmltypes.cpp
)
