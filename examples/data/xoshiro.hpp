// examples/data/xoshiro.hpp: the seeded generator of the example data (xoshiro256** seeded through
// splitmix64). Integer arithmetic only, so the data are the same bits on every platform and standard library
// (std::*_distribution is not).
#pragma once

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

} // namespace ethos_examples
