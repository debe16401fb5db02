// examples/data/xoshiro.hpp: the seeded generator of the example data (xoshiro256** seeded through
// splitmix64). Integer arithmetic only, so the data are the same bits on every platform and standard library
// (std::*_distribution is not).
#pragma once

#include <ethos/models/random.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace ethos_examples {

/// ethos's own generator (xoshiro256** seeded through splitmix64) with the bounded draw the data need.
class xoshiro256 : public ethos::random_engine {
 public:
  using ethos::random_engine::random_engine;
  /// 0 .. n-1 (n > 0).
  std::size_t below(std::size_t n) noexcept { return static_cast<std::size_t>(next() % n); }
};

/// The generator with the real-valued draws of the synthetic surveys, exact double arithmetic only (no libm), so
/// that every machine writes the same bytes.
class real_draws : public xoshiro256 {
 public:
  using xoshiro256::xoshiro256;
  /// Uniform in [0, 1) with 53 random bits.
  double uniform() noexcept { return static_cast<double>(next() >> 11U) * 0x1.0p-53; }
  /// Approximately standard normal: the Irwin-Hall sum of 12 uniforms minus 6 (mean 0, variance 1). Only
  /// additions, so the result is the same bits everywhere.
  double normal() noexcept {
    double s = 0.0;
    for (int i = 0; i < 12; ++i) {
      s += uniform();
    }
    return s - 6.0;
  }
};

/// x rounded half up (x + 0.5 truncated towards negative infinity, without libm), clamped to lo..hi.
inline int round_clamp(double x, int lo, int hi) {
  const double y = x + 0.5;
  auto r = static_cast<int>(y);
  if (static_cast<double>(r) > y) {
    --r;
  }
  return std::clamp(r, lo, hi);
}

/// The generator with the integer draws the example data need (std::*_distribution would give different
/// numbers under different standard libraries).
class rng : public xoshiro256 {
 public:
  using xoshiro256::xoshiro256;
  /// Roughly normal with mean 0 and SD 1000 (in thousandths): 12 uniform draws of 0..999 minus their mean.
  std::int64_t normal_milli() noexcept {
    std::int64_t s = 0;
    for (int i = 0; i < 12; ++i) {
      s += static_cast<std::int64_t>(next() % 1000U);
    }
    return s - 5994;
  }
  /// True with probability per_mille / 1000.
  bool chance(std::size_t per_mille) noexcept { return below(1000) < per_mille; }
};

/// x / 1000 rounded half up, for x in thousandths (floor division also for negative x), clamped to lo..hi.
inline int round_milli(std::int64_t x, int lo, int hi) {
  const std::int64_t y = x + 500;
  std::int64_t q = y / 1000;
  if (y % 1000 != 0 && y < 0) {
    --q;
  }
  return static_cast<int>(std::clamp<std::int64_t>(q, lo, hi));
}

} // namespace ethos_examples
