# Sources of core/compute: the numerical building blocks under every forward pass (packed
# matrix products, vectorised element-wise maths, softmax rows).
target_sources(attnviz_core PRIVATE
    compute/microkernel.h
    compute/packedgemm.h compute/packedgemm.cpp
    compute/vectormath.h compute/vectormath.cpp
    compute/halffloat.h
    compute/ggmltypes.h compute/ggmltypes.cpp
    compute/ggmlfinite.h compute/ggmlfinite.cpp
    compute/ggmldequant.h compute/ggmldequant.cpp compute/ggmlpanel.cpp
    compute/ggmlblocks.h compute/ggmllegacyblocks.h compute/ggmlkquantblocks.h compute/ggmliq4blocks.h
    compute/encodedmatrix.h compute/encodedmatrix.cpp
    compute/weightmatrix.h
)
