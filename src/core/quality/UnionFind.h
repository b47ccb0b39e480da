#pragma once

#include <numeric>
#include <vector>

namespace mt::quality {

// Disjoint sets over 0..n-1: pairs found alike chain into groups (a burst drifts).
struct UnionFind {
    std::vector<int> parent;
    explicit UnionFind(size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
    int find(int i)
    {
        while (parent[size_t(i)] != i)
            i = parent[size_t(i)] = parent[size_t(parent[size_t(i)])];
        return i;
    }
    void unite(int a, int b) { parent[size_t(find(a))] = find(b); }
};

} // namespace mt::quality
