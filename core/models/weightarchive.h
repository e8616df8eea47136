#pragma once
// All tensors of a checkpoint, whatever their container: one model.safetensors or
// pytorch_model.bin, or the shards an index lists. Model loaders read weights only through this,
// checked against the shapes config.json implies.

#include "base/tensor.h"
#include "compute/encodedmatrix.h"
#include "models/tensorfile.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace attnviz {

class WeightArchive
{
public:
    // Opens, in this order, `folder`/model.safetensors, model.safetensors.index.json,
    // pytorch_model.bin, pytorch_model.bin.index.json (safetensors preferred: no pickle to
    // interpret). Throws ModelLoadError.
    static WeightArchive openFolder(const std::string& folder);
    // Opens a single file: .bin, .pt and .pth as torch.save zips, anything else as safetensors.
    static WeightArchive openFile(const std::string& path);
    // An already opened file (e.g. one parsed from memory).
    static WeightArchive fromFile(std::shared_ptr<const TensorFile> file);
    // Already opened shards of one checkpoint, each holding its own tensors: the caller has checked
    // that no name is in two (openGgufShards does, naming the shard).
    static WeightArchive fromFiles(const std::vector<std::shared_ptr<const TensorFile>>& files);

    // Model loaders call this: from then on matrix/vector/floats throw ModelLoadError, naming the
    // tensor, for a NaN or infinite value (a plain reader decodes them faithfully).
    void refuseNonFinite() { m_refuseNonFinite = true; }

    bool contains(const std::string& name) const { return m_owner.count(name) != 0; }
    std::vector<std::string> names() const;
    const TensorInfo& info(const std::string& name) const; // throws ModelLoadError if absent
    std::string dtypeOf(const std::string& name) const { return info(name).dtype; }

    // Checks from the header alone (nothing is read or allocated) that `name` exists with exactly
    // `shape`; `source` says where the expected shape came from (config keys) for the message.
    void checkShape(const std::string& name, const std::vector<std::int64_t>& shape,
                    const std::string& source = "config.json") const;
    // A 2-D tensor checked to be exactly (rows, cols), converted to float32.
    Matrix matrix(const std::string& name, Index rows, Index cols) const;
    // A 1-D tensor checked to be exactly (n).
    RowVector vector(const std::string& name, Index n) const;
    // Whether `name`'s file keeps its weights as it encodes them (GGUF): loaders then take its
    // matrices through `encoded` instead of `matrix`, so nothing is widened to floats.
    bool keepsEncoded(const std::string& name) const;
    // A 2-D tensor checked to be exactly (rows, cols), as `rows` encoded rows of `cols` values,
    // viewing the mapped file (which the result keeps alive).
    compute::EncodedMatrix encoded(const std::string& name, Index rows, Index cols) const;
    // Any shape, checked against `shape`; returns the flat row-major floats.
    std::vector<float> floats(const std::string& name, const std::vector<std::int64_t>& shape) const;

private:
    std::vector<std::shared_ptr<const TensorFile>> m_files;
    std::map<std::string, const TensorFile*> m_owner; // tensor name -> file holding it
    bool m_refuseNonFinite = false;
    void add(std::shared_ptr<const TensorFile> file, const std::string* onlyName);
    static WeightArchive openIndex(const std::string& indexPath, bool torch);
};

} // namespace attnviz
