#pragma once
// A restricted reader of the pickle that torch.save writes as data.pkl for a state dict. It is
// not an unpickler: no callable is ever looked up or run. It knows a fixed list of opcodes (the
// ones protocols 2-4 use for dicts, tuples, strings, numbers, memo and persistent ids) and this
// whitelist of globals, each given a fixed meaning:
//   collections.OrderedDict           -> an empty ordered dict (REDUCE with no arguments)
//   torch._utils._rebuild_tensor_v2   -> a tensor view (storage, offset, sizes, strides, ...)
//   torch._utils._rebuild_parameter   -> the tensor it wraps
//   torch.{Float,Half,BFloat16,Double,Long,Int,Short,Char,Byte,Bool}Storage
//                                     -> a storage's dtype, only inside a persistent id
//                                        ('storage', type, key, location, numel)
// Any other opcode or global, REDUCE of anything else and BUILD on anything but a dict (whose
// state, e.g. _metadata, is ignored) are refused with a ModelLoadError naming the file, the
// opcode or global and the byte offset. Memory and time stay bounded: at most 2^21 objects and
// 2^18 tensors of at most 16 dimensions, memo links kept as indices (cycles are harmless).

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace attnviz {

struct PickledStorage
{
    std::string key;   // the archive entry data/<key>
    std::string dtype; // "F32", "F16", "BF16", "I64", ...
    std::int64_t numel = 0;
};

struct PickledTensor
{
    std::string name;
    std::size_t storage = 0; // index into PickledState::storages; tied weights share one
    std::int64_t offset = 0; // in elements
    std::vector<std::int64_t> sizes, strides;
};

struct PickledState
{
    std::vector<PickledStorage> storages;
    std::vector<PickledTensor> tensors; // in the pickle's order
};

// Throws ModelLoadError; `label` names the pickle in messages.
PickledState readStateDictPickle(std::span<const std::uint8_t> pickle, const std::string& label);

} // namespace attnviz
