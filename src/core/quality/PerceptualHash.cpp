#include "quality/PerceptualHash.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

namespace mt::quality {

namespace {

constexpr int kSize = 32;
constexpr int kKeep = 8;

const std::array<double, kKeep * kSize> &cosineTable()
{
    static const std::array<double, kKeep * kSize> table = [] {
        std::array<double, kKeep * kSize> t{};
        for (int u = 0; u < kKeep; ++u)
            for (int x = 0; x < kSize; ++x)
                t[size_t(u * kSize + x)] = std::cos((2 * x + 1) * u * std::numbers::pi / (2 * kSize));
        return t;
    }();
    return table;
}

} // namespace

quint64 perceptualHash(const LumaPlane &luma)
{
    if (luma.empty())
        return 0;
    const LumaPlane small = luma.resampled(kSize, kSize);
    const auto &cosines = cosineTable();
    // Separable DCT-II, only the rows/columns of the kept frequencies.
    std::array<double, kKeep * kSize> rows{}; // [u][y]
    for (int y = 0; y < kSize; ++y)
        for (int u = 0; u < kKeep; ++u) {
            double sum = 0;
            for (int x = 0; x < kSize; ++x)
                sum += small.at(x, y) * cosines[size_t(u * kSize + x)];
            rows[size_t(u * kSize + y)] = sum;
        }
    std::array<double, kKeep * kKeep> coefficients{};
    for (int v = 0; v < kKeep; ++v)
        for (int u = 0; u < kKeep; ++u) {
            double sum = 0;
            for (int y = 0; y < kSize; ++y)
                sum += rows[size_t(u * kSize + y)] * cosines[size_t(v * kSize + y)];
            coefficients[size_t(v * kKeep + u)] = sum;
        }
    // The DC term only says how bright the picture is; leave it out of the median.
    std::array<double, kKeep * kKeep - 1> ac{};
    std::copy(coefficients.begin() + 1, coefficients.end(), ac.begin());
    std::nth_element(ac.begin(), ac.begin() + ac.size() / 2, ac.end());
    const double median = ac[ac.size() / 2];
    quint64 hash = 0;
    for (size_t i = 1; i < coefficients.size(); ++i)
        if (coefficients[i] > median)
            hash |= quint64(1) << i;
    return hash;
}

} // namespace mt::quality
