#include "compute/encodedmatrix.h"

#include "compute/ggmldequant.h"
#include "compute/microkernel.h"
#include "compute/packedgemm.h"

#include <algorithm>
#include <stdexcept>

namespace attnviz::compute {

namespace {

// Rows of A that share one dequantised panel slice: 512 rows of a 256-deep block are 512 KB of A,
// which stays in L2 while the slice is reused; longer inputs dequantise each slice again per
// chunk, a small cost next to the 2 x 512 flops each weight then takes part in.
constexpr Index chunkRows = 512;
// Below this much work (multiply-adds plus dequantised values) a thread team costs more than it saves.
constexpr double parallelWork = 1 << 18;

std::size_t offsetOf(GgmlType type, Index element)
{
    const GgmlTypeInfo& info = ggmlTypeInfo(type);
    return static_cast<std::size_t>(element / info.blockElements) * static_cast<std::size_t>(info.blockBytes);
}

// Panel j's slice [k0, k0 + kc) in the kernel's layout (kc rows of 32 floats, zero past the last
// row). A panel whose rows share one type (all but those straddling two joined tensors of
// different types) is decoded in one pass; the others row by row.
void decodePanelSlice(const EncodedMatrix& b, Index j, Index k0, Index kc, float* panel, float* rowBuffer)
{
    const Index first = j * panelWidth;
    const int nc = static_cast<int>(std::min<Index>(panelWidth, b.cols() - first));
    const EncodedRow* rows = b.storedRows().data() + first;
    const GgmlType type = rows[0].type;
    if (std::all_of(rows, rows + nc, [type](const EncodedRow& r) { return r.type == type; })) {
        const std::uint8_t* starts[panelWidth];
        const std::size_t offset = offsetOf(type, k0);
        for (int r = 0; r < nc; ++r)
            starts[r] = rows[r].data + offset;
        dequantizePanel(type, starts, nc, kc, panel);
        return;
    }
    for (int r = 0; r < nc; ++r) {
        dequantizeRow(rows[r].type, rows[r].data + offsetOf(rows[r].type, k0), rowBuffer, kc);
        for (Index k = 0; k < kc; ++k)
            panel[k * panelWidth + r] = rowBuffer[k];
    }
    for (Index k = 0; k < kc; ++k)
        std::fill(panel + k * panelWidth + nc, panel + (k + 1) * panelWidth, 0.0f);
}

} // namespace

EncodedMatrix::EncodedMatrix(GgmlType type, const std::uint8_t* data, Index depth, Index rowCount,
                             std::shared_ptr<const void> owner)
    : m_depth(depth)
{
    const GgmlTypeInfo& info = ggmlTypeInfo(type);
    if (!info.dequantizable || depth % info.blockElements != 0)
        throw std::invalid_argument(std::string("EncodedMatrix: rows of ") + info.name + " cannot hold " +
                                    std::to_string(depth) + " values");
    const std::size_t rowBytes = offsetOf(type, depth);
    m_rows.reserve(static_cast<std::size_t>(rowCount));
    for (Index r = 0; r < rowCount; ++r)
        m_rows.push_back({data + static_cast<std::size_t>(r) * rowBytes, type});
    m_owners.push_back(std::move(owner));
}

void EncodedMatrix::decodeRow(Index r, float* out) const
{
    const EncodedRow& row = m_rows.at(static_cast<std::size_t>(r));
    dequantizeRow(row.type, row.data, out, m_depth);
}

Matrix EncodedMatrix::columns(Index first, Index count) const
{
    Matrix out(m_depth, count);
    std::vector<float> row(static_cast<std::size_t>(m_depth));
    for (Index n = 0; n < count; ++n) {
        decodeRow(first + n, row.data());
        for (Index k = 0; k < m_depth; ++k)
            out(k, n) = row[static_cast<std::size_t>(k)];
    }
    return out;
}

std::string EncodedMatrix::typeNames() const
{
    std::vector<GgmlType> seen;
    for (const EncodedRow& row : m_rows) {
        if (std::find(seen.begin(), seen.end(), row.type) == seen.end())
            seen.push_back(row.type);
    }
    std::string text;
    for (GgmlType t : seen)
        text += (text.empty() ? "" : ", ") + std::string(ggmlTypeInfo(t).name);
    return text;
}

EncodedMatrix EncodedMatrix::joined(const std::vector<const EncodedMatrix*>& parts)
{
    EncodedMatrix out;
    out.m_depth = parts.empty() ? 0 : parts.front()->m_depth;
    for (const EncodedMatrix* p : parts) {
        if (p->m_depth != out.m_depth)
            throw std::invalid_argument("EncodedMatrix::joined: parts of different depths");
        out.m_rows.insert(out.m_rows.end(), p->m_rows.begin(), p->m_rows.end());
        out.m_owners.insert(out.m_owners.end(), p->m_owners.begin(), p->m_owners.end());
    }
    return out;
}

EncodedMatrix EncodedMatrix::reordered(const std::vector<Index>& order) const
{
    EncodedMatrix out;
    out.m_depth = m_depth;
    out.m_owners = m_owners;
    out.m_rows.reserve(order.size());
    for (Index r : order)
        out.m_rows.push_back(m_rows.at(static_cast<std::size_t>(r)));
    return out;
}

void multiplyEncoded(const float* a, Index lda, Index m, const EncodedMatrix& b, const float* bias, float* c,
                     Index ldc, bool parallel)
{
    const Index depth = b.rows();
    if (depth == 0 || m == 0) {
        fillWithBias(m, b.cols(), bias, c, ldc);
        return;
    }
    const RowStrips strips(m);
    const Index stripsPerChunk = std::max<Index>(1, chunkRows / tileRows);
    const Index chunks = (strips.count + stripsPerChunk - 1) / stripsPerChunk;
    const Index panels = (b.cols() + panelWidth - 1) / panelWidth;
    const bool useThreads = parallel && (double(m) + 8.0) * double(depth) * double(b.cols()) >= parallelWork;
#pragma omp parallel if (useThreads)
    {
        Eigen::VectorXf panel(depthBlock * panelWidth); // aligned for the kernel's loads
        std::vector<float> rowBuffer(static_cast<std::size_t>(depthBlock));
        // Every tile's values are the same whoever computes it, so any schedule gives the same C.
#pragma omp for schedule(dynamic) collapse(2)
        for (Index chunk = 0; chunk < chunks; ++chunk) {
            for (Index j = 0; j < panels; ++j) {
                const Index s0 = chunk * stripsPerChunk;
                const Index s1 = std::min(strips.count, s0 + stripsPerChunk);
                const Index col = j * panelWidth;
                const int nc = static_cast<int>(std::min<Index>(panelWidth, b.cols() - col));
                for (Index k0 = 0; k0 < depth; k0 += depthBlock) {
                    const Index kc = std::min(depthBlock, depth - k0);
                    decodePanelSlice(b, j, k0, kc, panel.data(), rowBuffer.data());
                    for (Index s = s0; s < s1; ++s) {
                        const Index i = strips.start(s);
                        const int mr = static_cast<int>(strips.start(s + 1) - i);
                        microTileRows(mr, kc, a + i * lda + k0, lda, panel.data(), c + i * ldc + col, ldc, nc,
                                      k0 > 0, bias != nullptr ? bias + col : nullptr);
                    }
                }
            }
        }
    }
}

} // namespace attnviz::compute
