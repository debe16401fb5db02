// examples/data/xoshiro.hpp: the seeded generator of the example data (xoshiro256** seeded through
// splitmix64). Integer arithmetic only, so the data are the same bits on every platform and standard library
// (std::*_distribution is not).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>

namespace ethos_examples {

/// xoshiro256** seeded through splitmix64: small, fast and identical everywhere.
class xoshiro256 {
 public:
  explicit xoshiro256(std::uint64_t seed) {
    for (auto& s : s_) {
      seed += 0x9E3779B97F4A7C15ULL;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
      z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
      s = z ^ (z >> 31U);
    }
  }
  /// The next 64 random bits.
  std::uint64_t next() noexcept {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17U;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  /// 0 .. n-1 (n > 0).
  std::size_t below(std::size_t n) noexcept { return static_cast<std::size_t>(next() % n); }

 private:
  static std::uint64_t rotl(std::uint64_t x, unsigned k) noexcept { return (x << k) | (x >> (64U - k)); }
  std::array<std::uint64_t, 4> s_{};
};

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
