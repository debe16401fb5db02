/// \file
/// \brief ethos::figure: an optional number in the size of a double, for results held by the million.
#pragma once

#include <limits>
#include <optional>

namespace ethos {

/// A number that may be absent, as `std::optional<double>` reads (`has_value`, `*`, `value_or`, comparison with
/// `std::nullopt`, conversion to and from `std::optional<double>`), in 8 bytes instead of 16: absent is stored as a
/// quiet NaN, so a NaN given to it reads as absent. A roll-up of 20,000 units and a cut holds 1.3 million cells of
/// four such figures each.
class figure {
 public:
  /// Absent.
  constexpr figure() noexcept = default;
  /// Absent.
  constexpr figure(std::nullopt_t /*none*/) noexcept {} // NOLINT(google-explicit-constructor): as std::optional
  /// `v` (absent when NaN).
  constexpr figure(double v) noexcept : v_(v) {} // NOLINT(google-explicit-constructor): as std::optional
  /// The value of `v`, if any (absent when it holds a NaN).
  constexpr figure(const std::optional<double>& v) noexcept // NOLINT(google-explicit-constructor)
      : v_(v ? *v : absent) {}

  /// True when a number is there.
  [[nodiscard]] constexpr bool has_value() const noexcept { return !is_nan(v_); }
  /// True when a number is there.
  constexpr explicit operator bool() const noexcept { return has_value(); }
  /// The number (only when there is one).
  constexpr double operator*() const noexcept { return v_; }
  /// The number. \throws std::bad_optional_access when there is none.
  [[nodiscard]] constexpr double value() const {
    if (!has_value()) {
      throw std::bad_optional_access();
    }
    return v_;
  }
  /// The number, or `otherwise` when there is none.
  [[nodiscard]] constexpr double value_or(double otherwise) const noexcept { return has_value() ? v_ : otherwise; }
  /// Makes it absent.
  constexpr void reset() noexcept { v_ = absent; }
  /// As std::optional<double>.
  constexpr operator std::optional<double>() const noexcept { // NOLINT(google-explicit-constructor)
    return has_value() ? std::optional<double>(v_) : std::nullopt;
  }

  /// Absent.
  friend constexpr bool operator==(const figure& a, std::nullopt_t /*none*/) noexcept { return !a.has_value(); }
  /// Both absent, or the same number.
  friend constexpr bool operator==(const figure& a, const figure& b) noexcept {
    return a.has_value() == b.has_value() && (!a.has_value() || a.v_ == b.v_);
  }
  /// Both absent, or the same number (as two std::optional<double> compare).
  friend constexpr bool operator==(const figure& a, const std::optional<double>& b) noexcept { return a == figure(b); }
  /// There, and equal to `b`.
  friend constexpr bool operator==(const figure& a, double b) noexcept { return a.has_value() && a.v_ == b; }

 private:
  static constexpr bool is_nan(double x) noexcept { return x != x; }
  static constexpr double absent = std::numeric_limits<double>::quiet_NaN();
  double v_ = absent;
};

static_assert(sizeof(figure) == sizeof(double));

} // namespace ethos
