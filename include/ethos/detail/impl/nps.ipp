// ethos/detail/impl/nps.ipp: definitions of ethos/detail/nps.hpp (compiled into ethos::compiled, or included by the
// header in header-only mode).
#pragma once

#include <ethos/detail/nps.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <optional>

namespace ethos::detail {

ETHOS_DECL std::optional<nps_estimate> nps_from_counts(std::size_t promoters, std::size_t passives,
                                                       std::size_t detractors) noexcept {
  const std::size_t n = promoters + passives + detractors;
  if (n == 0) {
    return std::nullopt;
  }
  const double nn = static_cast<double>(n);
  const double p = static_cast<double>(promoters) / nn;
  const double d = static_cast<double>(detractors) / nn;
  // p + d - (p - d)^2 >= 0 in exact arithmetic; max() keeps a rounded 0 from turning negative.
  return nps_estimate{100.0 * (p - d), 100.0 * std::sqrt(std::max(0.0, p + d - (p - d) * (p - d)) / nn)};
}

} // namespace ethos::detail
