/// \file
/// \brief running_moments (Welford updates, Chan's merge) and sample_summary for real-valued data.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/detail/floating.hpp>

#include <cstddef>
#include <optional>
#include <span>

namespace ethos {

namespace detail {
struct state_codec; // io/state.hpp: reads and writes the private state
} // namespace detail

/// The three numbers a two-sample comparison needs from each sample.
struct sample_summary {
  std::size_t n = 0; ///< number of values
  double mean = 0.0; ///< their mean
  double sd = 0.0;   ///< sample SD (n - 1 in the denominator)
};

/// Mean and variance of a stream of doubles in one pass, mergeable across shards.
///
/// Welford's update keeps M2 = sum (x - mean)^2 without the cancellation of sum(x^2) - n mean^2;
/// `merge` is Chan's parallel formula, so shards can be summarised separately and combined:
/// \code
///   ethos::running_moments a, b;
///   for (double x : left) a.add(x);
///   for (double x : right) b.add(x);
///   a.merge(b); // same mean and variance as one pass over left + right, up to rounding
/// \endcode
/// Non-finite values (NaN = missing) are not added; they are counted in `missing()` so no row is lost silently.
class running_moments {
 public:
  /// Adds one value; a NaN or infinite value is counted as missing instead.
  void add(double x) noexcept {
    if (!detail::is_finite(x)) {
      ++missing_;
      return;
    }
    ++n_;
    const double delta = x - mean_;
    mean_ += delta / static_cast<double>(n_);
    m2_ += delta * (x - mean_);
  }

  /// Adds every value of `xs` (non-finite ones counted as missing).
  void add(std::span<const double> xs) noexcept;

  /// Combines `other` into this (Chan et al.): delta = mean_b - mean_a, M2 = M2_a + M2_b + delta^2 n_a n_b / n.
  constexpr void merge(const running_moments& other) noexcept {
    missing_ += other.missing_;
    if (other.n_ == 0) {
      return;
    }
    if (n_ == 0) {
      n_ = other.n_;
      mean_ = other.mean_;
      m2_ = other.m2_;
      return;
    }
    const double na = static_cast<double>(n_);
    const double nb = static_cast<double>(other.n_);
    const double n = na + nb;
    const double delta = other.mean_ - mean_;
    mean_ += delta * (nb / n);
    m2_ += other.m2_ + delta * delta * (na * nb / n);
    n_ += other.n_;
  }

  /// Number of (finite) values added.
  constexpr std::size_t n() const noexcept { return n_; }
  /// Number of non-finite values offered to `add` and skipped.
  constexpr std::size_t missing() const noexcept { return missing_; }
  /// Mean; empty when n == 0.
  constexpr std::optional<double> mean() const noexcept {
    return n_ == 0 ? std::nullopt : std::optional<double>(mean_);
  }
  /// Sum of squared deviations from the mean, M2 (0 when n == 0).
  constexpr double sum_of_squares() const noexcept { return m2_; }
  /// Sample variance M2 / (n - 1); empty when n < 2.
  constexpr std::optional<double> variance() const noexcept {
    return n_ < 2 ? std::nullopt : std::optional<double>(m2_ / static_cast<double>(n_ - 1));
  }
  /// Sample SD; empty when n < 2.
  std::optional<double> sd() const noexcept;
  /// n, mean and SD for the comparisons in compare.hpp; empty when n < 2 (there is no SD).
  std::optional<sample_summary> summary() const noexcept;

 private:
  friend struct detail::state_codec;

  std::size_t n_ = 0;
  std::size_t missing_ = 0;
  double mean_ = 0.0;
  double m2_ = 0.0;
};

/// Moments of the finite values of `xs` (NaN = missing).
ETHOS_DECL running_moments moments_of(std::span<const double> xs) noexcept;

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/stats/impl/moments.ipp>
#endif
