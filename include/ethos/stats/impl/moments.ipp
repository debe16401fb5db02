// ethos/stats/impl/moments.ipp: definitions of ethos/stats/moments.hpp (compiled into ethos::compiled, or included
// by the header in header-only mode).
#pragma once

#include <ethos/stats/moments.hpp>

#include <cmath>
#include <optional>
#include <span>

namespace ethos {

ETHOS_DECL void running_moments::add(std::span<const double> xs) noexcept {
  for (double x : xs) {
    add(x);
  }
}

ETHOS_DECL std::optional<double> running_moments::sd() const noexcept {
  const auto v = variance();
  return v ? std::optional<double>(std::sqrt(*v)) : std::nullopt;
}

ETHOS_DECL std::optional<sample_summary> running_moments::summary() const noexcept {
  const auto s = sd();
  return s ? std::optional<sample_summary>(sample_summary{n_, mean_, *s}) : std::nullopt;
}

ETHOS_DECL running_moments moments_of(std::span<const double> xs) noexcept {
  running_moments m;
  m.add(xs);
  return m;
}

} // namespace ethos
