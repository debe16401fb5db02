/// \file
/// \brief Allocation (ipsative) surveys such as OCAI: design, checks, profiles, gap.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/error.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ethos {

/// The fixed number of points every respondent splits across the types of each dimension.
struct allocation_scale {
  int total = 100; ///< points per dimension
};

/// An allocation survey: each dimension asks the respondent to split `scale.total` points across the types.
struct allocation_design {
  std::vector<std::string> dimensions; ///< the questions, each splitting the points anew
  std::vector<std::string> types;      ///< what the points are split across (at least 2)
  allocation_scale scale;              ///< the points to split
};

/// One respondent's answers, dimension-major: points[d * types.size() + t]; ipsative data is complete or invalid.
struct allocation_response {
  std::string respondent;  ///< the respondent's id
  std::vector<int> points; ///< dimensions x types points, dimension-major
};

/// Type profiles of a set of respondents; `group` and `dominant` are empty when there are no respondents.
struct allocation_profile {
  std::size_t n = 0;                            ///< number of respondents
  std::vector<std::vector<double>> respondents; ///< [respondent][type]: mean over dimensions; sums to the total
  std::optional<std::vector<double>> group;     ///< [type]: mean of the respondents' profiles
  std::optional<std::size_t> dominant;          ///< largest group type; a tie goes to the first in design order
};

/// Preferred minus now; every optional is empty when either side has no respondents.
struct allocation_gap {
  allocation_profile now;                      ///< profiles of the culture as it is
  allocation_profile preferred;                ///< profiles of the culture as it should be
  std::optional<std::vector<double>> gap;      ///< [type]: preferred group - now group
  std::optional<std::size_t> largest_increase; ///< gains most; empty if none gains; a tie: first in design order
  std::optional<std::size_t> largest_decrease; ///< loses most; empty if none loses; a tie: first in design order
};

/// OCAI (Competing Values Framework): 6 dimensions x 4 types (Clan, Adhocracy, Market, Hierarchy), 100 points.
ETHOS_DECL allocation_design ocai_design();

namespace detail::alloc {

// Sign of x/y - z/w for y, w > 0, exactly, without multiplying (no overflow): compares integer parts, then the
// reciprocals of the fractional parts (a continued-fraction walk, like Euclid's algorithm).
constexpr int compare_fractions(std::int64_t x, std::int64_t y, std::int64_t z, std::int64_t w) noexcept {
  int sign = 1;
  for (;;) {
    std::int64_t qx = x / y;
    std::int64_t rx = x % y;
    if (rx < 0) {
      --qx;
      rx += y;
    }
    std::int64_t qz = z / w;
    std::int64_t rz = z % w;
    if (rz < 0) {
      --qz;
      rz += w;
    }
    if (qx != qz) {
      return qx < qz ? -sign : sign;
    }
    if (rx == 0 || rz == 0) {
      return rx == rz ? 0 : (rx == 0 ? -sign : sign);
    }
    // rx/y < rz/w  <=>  y/rx > w/rz
    const std::int64_t nx = y;
    const std::int64_t nz = w;
    y = rx;
    w = rz;
    x = nx;
    z = nz;
    sign = -sign;
  }
}

} // namespace detail::alloc

/// Every problem of a design: no dimensions, fewer than 2 types, empty or duplicate names (any case), total <= 0.
ETHOS_DECL std::vector<problem> check(const allocation_design& design);

/// Every problem of a design and its responses; responses are checked only once the design itself is sound.
ETHOS_DECL std::vector<problem> check(const allocation_design& design, std::span<const allocation_response> responses);

/// Per-respondent and group type profiles; first throws validation_error listing every problem (see check).
ETHOS_DECL allocation_profile score_allocation(const allocation_design& design,
                                               std::span<const allocation_response> responses);

/// Scores "now" and "preferred" and their gap per type; throws validation_error listing both sets' problems.
ETHOS_DECL allocation_gap compare_allocation(const allocation_design& design, std::span<const allocation_response> now,
                                             std::span<const allocation_response> preferred);

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/measure/impl/allocation.ipp>
#endif
