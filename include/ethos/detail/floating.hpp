// ethos/detail/floating.hpp: NaN and finiteness tests for the inline code of the public headers, which would otherwise
// include <cmath> (a tenth of a second of every translation unit) for std::isnan and std::isfinite alone.
#pragma once

namespace ethos::detail {

// True for a NaN, the one value unequal to itself (std::isnan without <cmath>).
constexpr bool is_nan(double x) noexcept { return x != x; } // NOLINT(misc-redundant-expression)

// True for a finite value: x - x is 0 for those, NaN for infinities and NaN (std::isfinite without <cmath>).
constexpr bool is_finite(double x) noexcept { return x - x == 0.0; }

} // namespace ethos::detail
