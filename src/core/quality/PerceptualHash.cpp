#include "quality/PerceptualHash.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

namespace mt::quality {

namespace {

// The `keep`×`keep` lowest DCT-II frequencies of `luma` resampled to `size`×`size`, one bit per
// coefficient above the median of the AC terms (the DC term only says how bright the picture is).
std::vector<bool> dctBits(const LumaPlane &luma, int size, int keep)
{
    const LumaPlane small = luma.resampled(size, size);
    std::vector<double> cosines(size_t(keep * size));
    for (int u = 0; u < keep; ++u)
        for (int x = 0; x < size; ++x)
            cosines[size_t(u * size + x)] = std::cos((2 * x + 1) * u * std::numbers::pi / (2 * size));
    // Separable DCT-II, only the rows/columns of the kept frequencies.
    std::vector<double> rows(size_t(keep * size)); // [u][y]
    for (int y = 0; y < size; ++y)
        for (int u = 0; u < keep; ++u) {
            double sum = 0;
            for (int x = 0; x < size; ++x)
                sum += small.at(x, y) * cosines[size_t(u * size + x)];
            rows[size_t(u * size + y)] = sum;
        }
    std::vector<double> coefficients(size_t(keep * keep));
    for (int v = 0; v < keep; ++v)
        for (int u = 0; u < keep; ++u) {
            double sum = 0;
            for (int y = 0; y < size; ++y)
                sum += rows[size_t(u * size + y)] * cosines[size_t(v * size + y)];
            coefficients[size_t(v * keep + u)] = sum;
        }
    std::vector<double> ac(coefficients.begin() + 1, coefficients.end());
    std::nth_element(ac.begin(), ac.begin() + ptrdiff_t(ac.size() / 2), ac.end());
    const double median = ac[ac.size() / 2];
    std::vector<bool> bits(coefficients.size(), false);
    for (size_t i = 1; i < coefficients.size(); ++i)
        bits[i] = coefficients[i] > median;
    return bits;
}

} // namespace

quint64 perceptualHash(const LumaPlane &luma)
{
    if (luma.empty())
        return 0;
    const std::vector<bool> bits = dctBits(luma, 32, 8);
    quint64 hash = 0;
    for (size_t i = 0; i < bits.size(); ++i)
        if (bits[i])
            hash |= quint64(1) << i;
    return hash;
}

DetailHash detailHash(const LumaPlane &luma)
{
    DetailHash hash{};
    if (luma.empty())
        return hash;
    const std::vector<bool> bits = dctBits(luma, 64, 16);
    for (size_t i = 0; i < bits.size(); ++i)
        if (bits[i])
            hash[i / 64] |= quint64(1) << (i % 64);
    return hash;
}

} // namespace mt::quality
