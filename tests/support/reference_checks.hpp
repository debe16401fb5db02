// Comparing ethos's numbers with R's golden values: relative tolerance 1e-9, and NA must stay missing.
#pragma once

#include "fixture.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <optional>
#include <string>

namespace ethos_test {

/// |a - b| <= 1e-9 |b|, with a tiny absolute floor for values that are themselves near zero.
inline bool close(double a, double b) { return std::abs(a - b) <= 1e-9 * std::abs(b) + 1e-14; }

/// Checks `ours` against the fixture's value under `key`: NA there means ours must be empty.
inline void check_value(const std::optional<double>& ours, const fixture& f, const std::string& key) {
  INFO(key);
  const auto ref = f.num(key);
  if (!ref) {
    CHECK_FALSE(ours.has_value());
    return;
  }
  REQUIRE(ours.has_value());
  CAPTURE(*ours, *ref);
  CHECK(close(*ours, *ref));
}

/// Checks `ours` against the fixture's number under `key` to the relative tolerance `tol` (with a tiny absolute floor),
/// for statistics whose reference stops an iterative search short of the exact answer (lavaan's estimates).
inline void check_near(double ours, const fixture& f, const std::string& key, double tol) {
  const double ref = f.value(key);
  INFO(key << ": ours " << ours << ", reference " << ref);
  CHECK(std::abs(ours - ref) <= tol * std::abs(ref) + 1e-12);
}

} // namespace ethos_test
