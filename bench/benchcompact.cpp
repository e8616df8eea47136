#include "benchcompact.h"

#include "models/checkpointmodel.h"
#include "models/generictransformer.h"
#include "models/kernels.h"
#include "models/safetensors.h"
#include "registry/modelregistry.h"

#include <chrono>
#include <memory>
#include <stdexcept>

namespace attnviz::bench {

namespace {

double msSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

// One tensor's rows as the loader keeps them: the mapped file's bytes, no copy.
compute::EncodedMatrix encodedRows(const std::shared_ptr<SafetensorsFile>& file, const std::string& name)
{
    const TensorInfo* t = file->find(name);
    if (t == nullptr || t->shape.size() != 2)
        throw std::runtime_error(file->path() + ": no 2-D tensor " + name);
    const compute::GgmlTypeInfo* type = compute::ggmlTypeNamed(t->dtype);
    if (type == nullptr || !file->keepsEncoded(*t))
        throw std::runtime_error(name + " is " + t->dtype + ", not a 16-bit type kept encoded");
    return compute::EncodedMatrix(type->type, file->tensorBytes(*t).data(), t->shape[1], t->shape[0], file);
}

// The biases of `names` one after another (q | k | v), empty when the first has none.
RowVector joinedBias(const SafetensorsFile& file, const std::vector<std::string>& names)
{
    std::vector<float> all;
    for (const std::string& n : names) {
        const TensorInfo* t = file.find(n);
        if (t == nullptr)
            return RowVector();
        const std::vector<float> b = file.readFloats(*t);
        all.insert(all.end(), b.begin(), b.end());
    }
    return Eigen::Map<const RowVector>(all.data(), static_cast<Index>(all.size()));
}

// A layer's four products as the family loader joins them: q | k | v, o, gate | up, down.
std::vector<compute::EncodedMatrix> layerMatrices(const std::shared_ptr<SafetensorsFile>& file, int layer,
                                                  std::vector<RowVector>& biases)
{
    const std::string p = "model.layers." + std::to_string(layer) + ".";
    const auto rows = [&](const char* n) { return encodedRows(file, p + n + ".weight"); };
    const auto joined = [](const std::vector<compute::EncodedMatrix>& parts) {
        std::vector<const compute::EncodedMatrix*> ptrs;
        for (const auto& m : parts) ptrs.push_back(&m);
        return compute::EncodedMatrix::joined(ptrs);
    };
    const std::vector<std::string> qkvBias = {p + "self_attn.q_proj.bias", p + "self_attn.k_proj.bias",
                                              p + "self_attn.v_proj.bias"};
    biases = {joinedBias(*file, qkvBias), RowVector(), RowVector(), RowVector()};
    return {joined({rows("self_attn.q_proj"), rows("self_attn.k_proj"), rows("self_attn.v_proj")}),
            rows("self_attn.o_proj"), joined({rows("mlp.gate_proj"), rows("mlp.up_proj")}), rows("mlp.down_proj")};
}

double timedPass(const std::vector<Linear>& layers, const std::vector<Matrix>& inputs)
{
    const auto start = std::chrono::steady_clock::now();
    Matrix out;
    for (std::size_t i = 0; i < layers.size(); ++i) out = applyLinear(inputs[i % inputs.size()], layers[i]);
    return msSince(start);
}

} // namespace

OpenAndForward openThenForward(const std::string& folder, int tokens)
{
    OpenAndForward r;
    r.rssBeforeMb = residentMb();
    auto start = std::chrono::steady_clock::now();
    const std::unique_ptr<AttentionModel> model = openModel(folder);
    r.openMs = msSince(start);
    r.rssAfterOpenMb = residentMb();
    r.anonAfterOpenMb = residentAnonymousMb();
    if (const auto* checkpoint = dynamic_cast<const CheckpointModel*>(model.get())) {
        if (const auto* net = dynamic_cast<const GenericTransformer*>(&checkpoint->transformer())) {
            r.floatMatrices = net->weightStorage().floatMatrices;
            r.encodedMatrices = net->weightStorage().encodedMatrices;
        }
    }
    RunRequest request;
    request.ids = randomIds(tokens);
    request.topK = 0; // attention only, as timeForward
    start = std::chrono::steady_clock::now();
    const auto result = model->run(request);
    r.firstForwardMs = msSince(start);
    r.peakRssMb = peakRssMb();
    for (const AttentionStack& s : result->stacks) r.capturedMb += s.attention.data.size() * sizeof(float) / 1048576.0;
    return r;
}

DenseComparison compareDenseLayers(const std::string& folder, int layers, int tokens, int runs)
{
    const auto file = std::make_shared<SafetensorsFile>(folder + "/model.safetensors");
    std::vector<Linear> encoded, packed;
    std::vector<Matrix> inputs; // one per distinct input width, as the forward pass feeds them
    DenseComparison out;
    for (int l = 0; l < layers; ++l) {
        std::vector<RowVector> biases;
        const std::vector<compute::EncodedMatrix> ms = layerMatrices(file, l, biases);
        for (std::size_t i = 0; i < ms.size(); ++i) {
            encoded.emplace_back(ms[i], biases[i]);
            packed.emplace_back(ms[i].columns(0, ms[i].cols()), biases[i]);
            out.flopsPerPass += 2.0 * tokens * double(ms[i].rows()) * double(ms[i].cols());
            if (l == 0)
                inputs.push_back(Matrix::Random(tokens, ms[i].rows()));
        }
    }
    (void)timedPass(encoded, inputs); // warm-up: first touch of the mapped pages and of the buffers
    (void)timedPass(packed, inputs);
    std::vector<double> e, p;
    for (int r = 0; r < runs; ++r) {
        e.push_back(timedPass(encoded, inputs));
        p.push_back(timedPass(packed, inputs));
    }
    out.encoded = timingOf(std::move(e));
    out.packed = timingOf(std::move(p));
    return out;
}

} // namespace attnviz::bench
