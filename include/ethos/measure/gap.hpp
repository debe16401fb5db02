/// \file
/// \brief SERVQUAL-style gap scoring: perception minus expectation, per item, dimension and overall.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/error.hpp>
#include <ethos/measure/response_matrix.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ethos {

/// One expectation/perception item pair of a gap survey and the dimension it belongs to.
struct gap_pair {
  std::string expectation_item; ///< id of the item asking what the person expects
  std::string perception_item;  ///< id of the item asking what the person received
  std::string dimension;        ///< the dimension the pair belongs to
};

/// A gap survey: its dimensions and item pairs.
struct gap_design {
  std::vector<std::string> dimensions; ///< dimension names, each used by at least one pair
  std::vector<gap_pair> pairs;         ///< the item pairs
};

/// The SERVQUAL layout (Parasuraman, Zeithaml & Berry 1988): 22 pairs, `e1` and `p1` to `e22` and `p22`, over five
/// dimensions, Tangibles 1-4, Reliability 5-9, Responsiveness 10-13, Assurance 14-17, Empathy 18-22. Only the layout;
/// the item wording is the user's own.
ETHOS_DECL gap_design servqual_design();

/// Gap of one item pair: means over respondents who answered both items, and gap = perception - expectation
/// (negative: service falls short of expectations).
struct gap_item_result {
  gap_pair pair;                     ///< the pair scored
  std::size_t n = 0;                 ///< respondents who answered both items
  std::optional<double> expectation; ///< mean expectation; empty when n == 0
  std::optional<double> perception;  ///< mean perception; empty when n == 0
  std::optional<double> gap;         ///< perception - expectation; empty when n == 0
};

/// Gap of one dimension: the mean of its item gaps, and its importance weight when one was given.
struct gap_dimension_result {
  std::string dimension;            ///< the dimension's name
  std::size_t items = 0;            ///< item pairs with a gap
  std::optional<double> gap;        ///< mean of the dimension's item gaps; empty when none has a gap
  std::optional<double> importance; ///< importance points given to this dimension
};

/// Gaps of a whole survey: the unweighted total is the mean of the dimension gaps; the weighted total is
/// sum(points_d * gap_d) / sum(points_d) over dimensions with a gap, when importance points were given.
struct gap_result {
  std::vector<gap_item_result> items;           ///< one per pair, in design order
  std::vector<gap_dimension_result> dimensions; ///< one per dimension, in design order
  std::optional<double> unweighted_total;       ///< mean of the dimension gaps; empty when no dimension has one
  std::optional<double> weighted_total;         ///< importance-weighted mean; empty without importance points
};

/// Every problem of a gap design against a response matrix: unknown or duplicate dimensions, pairs naming an
/// unknown dimension or an item column the matrix lacks, a dimension without pairs, bad importance points
/// (one per dimension, none negative, summing to `importance_total`).
ETHOS_DECL std::vector<problem> check(const gap_design& d, const response_matrix& m, std::span<const double> importance,
                                      double importance_total = 100.0);

/// Scores a gap survey. `importance` (optional) holds points per dimension summing to `importance_total`
/// (e.g. 100 split across the five SERVQUAL dimensions). Throws validation_error listing every problem.
ETHOS_DECL gap_result score_gaps(const gap_design& d, const response_matrix& m, std::span<const double> importance = {},
                                 double importance_total = 100.0);

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/measure/impl/gap.ipp>
#endif
