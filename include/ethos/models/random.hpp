/// \file
/// \brief ethos::random_engine, the seeded generator of every simulation (xoshiro256** seeded through splitmix64),
/// with uniform and normal draws and independent numbered streams.
#pragma once

#include <ethos/detail/config.hpp>

#include <array>
#include <cstdint>

namespace ethos {

/// A small, fast generator whose output depends only on its seed: xoshiro256** (Blackman and Vigna) seeded
/// through splitmix64, with its own uniform and normal draws. std::*_distribution is never used, because its
/// algorithms are left to the standard library, so libstdc++ and libc++ would give different simulations.
/// Integer output and `uniform()` are the same bits everywhere; `normal()` uses std::log and std::sqrt.
///
///     auto rng = ethos::random_engine::stream(seed, draw); // draw d of a Monte Carlo run, whatever the order
///     double z = rng.normal();
///
/// Satisfies std::uniform_random_bit_generator, so it also drives std::shuffle and the like.
class random_engine {
 public:
  using result_type = std::uint64_t; ///< 64 random bits per call

  /// Seeds the four state words with successive splitmix64 outputs, as the xoshiro authors recommend; the state
  /// can never be all zero (splitmix64 is a bijection, so at most one of the four words is 0).
  constexpr explicit random_engine(std::uint64_t seed) noexcept {
    for (auto& word : s_) {
      word = splitmix64(seed);
      seed += 0x9E3779B97F4A7C15ULL;
    }
  }

  /// Stream `index` of `seed`: an engine of its own, so that draw d of a simulation always uses stream(seed, d)
  /// and its numbers do not depend on which draws ran before it (or on which thread). For one seed, different
  /// indices always give different engines (splitmix64 and the xor with the index are both bijections).
  static constexpr random_engine stream(std::uint64_t seed, std::uint64_t index) noexcept {
    return random_engine(splitmix64(splitmix64(seed) ^ index));
  }

  /// The smallest value operator() returns: 0.
  static constexpr result_type min() noexcept { return 0; }
  /// The largest value operator() returns: 2^64 - 1.
  static constexpr result_type max() noexcept { return ~result_type{0}; }
  /// The next 64 random bits, as std::uniform_random_bit_generator asks.
  constexpr result_type operator()() noexcept { return next(); }

  /// The next 64 random bits.
  constexpr std::uint64_t next() noexcept {
    const std::uint64_t result = rotl(s_[1] * 5U, 7U) * 9U;
    const std::uint64_t t = s_[1] << 17U;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45U);
    return result;
  }

  /// Uniform on [0, 1): the top 53 bits (the low bits of xoshiro256** are its weakest) over 2^53, so every value
  /// is a multiple of 2^-53 and 1 is never returned.
  constexpr double uniform() noexcept { return static_cast<double>(next() >> 11U) * 0x1.0p-53; }

  /// Standard normal by Marsaglia's polar method. Each accepted pair gives two independent values; the second is
  /// kept for the next call, so a sequence of calls is reproducible only as a whole, from the same state.
  double normal() noexcept;

  /// Gamma with shape `shape` > 0 and scale 1, by Marsaglia and Tsang's squeeze method (shape < 1 through
  /// Gamma(shape + 1) U^(1/shape)). Built on normal() and uniform(), so it is reproducible like them.
  double gamma(double shape) noexcept;

  /// Student's t with `df` > 0 degrees of freedom: normal() / sqrt(chi-square(df) / df), the chi-square being
  /// 2 Gamma(df / 2).
  double student_t(double df) noexcept;

  /// Same state (the cached normal included): the two engines will give the same numbers from here on.
  friend constexpr bool operator==(const random_engine&, const random_engine&) = default;

 private:
  // The splitmix64 output for `state` (advanced by the golden gamma first): a bijection of 64-bit values that spreads
  // nearby inputs far apart, so that seeds 1, 2, 3 give unrelated states.
  static constexpr std::uint64_t splitmix64(std::uint64_t state) noexcept {
    std::uint64_t z = state + 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31U);
  }
  static constexpr std::uint64_t rotl(std::uint64_t x, unsigned k) noexcept { return (x << k) | (x >> (64U - k)); }

  std::array<std::uint64_t, 4> s_{};
  double spare_ = 0.0;
  bool has_spare_ = false;
};

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/models/impl/random.ipp>
#endif
