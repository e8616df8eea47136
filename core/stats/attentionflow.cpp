#include "stats/attentionflow.h"

#include "stats/rollout.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

namespace attnviz {

namespace {

// Dinic's maximum flow over a fixed graph; capacities are reset before each source–sink pair.
class FlowNetwork
{
public:
    explicit FlowNetwork(int nodes) : m_first(static_cast<std::size_t>(nodes), -1) {}

    void addEdge(int from, int to, double capacity)
    {
        m_edges.push_back({to, m_first[static_cast<std::size_t>(from)], capacity});
        m_first[static_cast<std::size_t>(from)] = static_cast<int>(m_edges.size()) - 1;
        m_edges.push_back({from, m_first[static_cast<std::size_t>(to)], 0.0}); // the residual edge
        m_first[static_cast<std::size_t>(to)] = static_cast<int>(m_edges.size()) - 1;
        m_capacity.push_back(capacity);
        m_capacity.push_back(0.0);
    }

    double maxFlow(int source, int sink)
    {
        for (std::size_t e = 0; e < m_edges.size(); ++e)
            m_edges[e].residual = m_capacity[e];
        double total = 0.0;
        while (levels(source, sink)) {
            m_next = m_first;
            while (const double pushed = push(source, sink, std::numeric_limits<double>::infinity()))
                total += pushed;
        }
        return total;
    }

private:
    struct Edge
    {
        int to;
        int next; // the next edge leaving the same node, −1 at the end
        double residual;
    };
    static constexpr double kEpsilon = 1e-12; // capacities are weights ≤ 1: less is rounding

    bool levels(int source, int sink)
    {
        m_level.assign(m_first.size(), -1);
        std::vector<int> queue{source};
        m_level[static_cast<std::size_t>(source)] = 0;
        for (std::size_t q = 0; q < queue.size(); ++q) {
            const int u = queue[q];
            for (int e = m_first[static_cast<std::size_t>(u)]; e >= 0; e = m_edges[static_cast<std::size_t>(e)].next) {
                const Edge& edge = m_edges[static_cast<std::size_t>(e)];
                if (edge.residual > kEpsilon && m_level[static_cast<std::size_t>(edge.to)] < 0) {
                    m_level[static_cast<std::size_t>(edge.to)] = m_level[static_cast<std::size_t>(u)] + 1;
                    queue.push_back(edge.to);
                }
            }
        }
        return m_level[static_cast<std::size_t>(sink)] >= 0;
    }

    double push(int u, int sink, double limit)
    {
        if (u == sink)
            return limit;
        for (int& e = m_next[static_cast<std::size_t>(u)]; e >= 0; e = m_edges[static_cast<std::size_t>(e)].next) {
            Edge& edge = m_edges[static_cast<std::size_t>(e)];
            if (edge.residual <= kEpsilon ||
                m_level[static_cast<std::size_t>(edge.to)] != m_level[static_cast<std::size_t>(u)] + 1)
                continue;
            const double pushed = push(edge.to, sink, std::min(limit, edge.residual));
            if (pushed > 0.0) {
                edge.residual -= pushed;
                m_edges[static_cast<std::size_t>(e ^ 1)].residual += pushed;
                return pushed;
            }
        }
        return 0.0;
    }

    std::vector<Edge> m_edges;
    std::vector<double> m_capacity;
    std::vector<int> m_first, m_next, m_level;
};

} // namespace

bool attentionFlowAffordable(int tokens, int lastLayer)
{
    const double t2 = static_cast<double>(tokens) * tokens;
    return t2 * t2 * (lastLayer + 2) <= maxFlowWork;
}

Matrix attentionFlow(const AttentionTensor& attention, int lastLayer, const std::vector<bool>& heads,
                     const std::atomic<bool>* cancel)
{
    // The rollout's checks and its per-layer capacities.
    const std::vector<Matrix> checked = attentionRolloutByLayer(attention, 0, heads);
    const int T = attention.queries;
    if (lastLayer < 0 || lastLayer >= attention.layers)
        throw std::invalid_argument("attention flow: layer " + std::to_string(lastLayer) + " does not exist");
    FlowNetwork network((lastLayer + 2) * T);
    const auto node = [T](int level, int token) { return level * T + token; }; // level 0: the inputs
    for (int l = 0; l <= lastLayer; ++l) {
        const Matrix step = l == 0 ? checked.front() : rolloutLayer(attention, l, heads, 0.5f);
        for (int i = 0; i < T; ++i)
            for (int j = 0; j < T; ++j)
                if (step(i, j) > 0.0f)
                    network.addEdge(node(l, j), node(l + 1, i), step(i, j));
    }
    Matrix flow = Matrix::Zero(T, T);
    for (int i = 0; i < T; ++i) {
        throwIfCancelled(cancel);
        for (int j = 0; j < T; ++j)
            flow(i, j) = static_cast<float>(network.maxFlow(node(0, j), node(lastLayer + 1, i)));
    }
    return flow;
}

} // namespace attnviz
