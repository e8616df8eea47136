#pragma once
// A torch.save zip (PyTorch >= 1.6, e.g. transformers' pytorch_model.bin) read without running
// any pickle: <archive>/data.pkl goes through the restricted reader of torchpickle.h, and each
// tensor becomes a byte range inside its stored (uncompressed) <archive>/data/<key> entry. The
// view's offset, sizes and strides are checked against the storage before anything is read;
// only contiguous views are accepted, and tensors may share a storage (tied weights). The
// legacy pre-1.6 format and compressed entries are refused with a message saying what to do.

#include "models/tensorfile.h"

namespace attnviz {

class TorchFile : public TensorFile
{
public:
    static constexpr std::size_t maxPickleBytes = 64u * 1024u * 1024u;

    // Maps and validates the file. Throws ModelLoadError.
    explicit TorchFile(const std::string& path);
    // The same over bytes the caller keeps alive; `label` names them in messages.
    TorchFile(std::string label, std::span<const std::uint8_t> borrowed);

private:
    void parse();
};

} // namespace attnviz
