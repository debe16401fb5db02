/// \file
/// \brief The measurement model of an instrument: a confirmatory factor analysis of its structure (each construct a
/// factor of its keyed Likert items) and omega total per construct, from exact sums of the answers.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/measure/instrument.hpp>
#include <ethos/measure/response_matrix.hpp>
#include <ethos/stats/factor.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ethos {

/// What the measurement model fits.
struct measurement_options {
  cfa_options search;         ///< the estimator's search
  bool unit_variance = false; ///< identify the factors by unit variance instead of marker items (std.lv)
  /// measurement invariance: a level of the grouping column takes part when at least this many of its rows
  /// answered every item (0: the number of items + 1, the fewest whose covariance matrix can be positive definite)
  std::size_t min_group_rows = 0;
  invariance_thresholds thresholds; ///< measurement invariance: the verdict's thresholds
};

/// Omega total of one construct, from its keyed Likert items over the respondents who answered all of them.
struct construct_omega {
  std::string construct;          ///< the construct's key
  std::vector<std::string> items; ///< its Likert items, in instrument order
  std::uint64_t n = 0;            ///< respondents with every one of these items answered
  omega_result omega;             ///< omega total and the one-factor model it comes from
};

/// An instrument's measurement model.
struct measurement_model {
  std::vector<std::string> items;     ///< the Likert items in the model, in instrument order (reverse items keyed)
  std::vector<std::string> factors;   ///< the constructs, in instrument order: factor f is constructs[f]
  std::vector<std::size_t> factor_of; ///< per item: its factor (an index into `factors`)
  std::uint64_t rows = 0;             ///< respondent rows read
  std::uint64_t complete = 0;         ///< rows with every item in the model answered: the rows the CFA fits
  cfa_result cfa;                     ///< factor f of `factors` measured by its items (loadings etc. by `items`)
  std::vector<construct_omega> omega; ///< per construct
};

/// Fits the instrument's structure to the answers in `m`: a confirmatory factor analysis by maximum likelihood (as
/// lavaan's `cfa()`) with each construct a factor measured by its Likert items (reverse items keyed, the factors
/// correlated), over the rows that answered every such item; and omega total per construct over the rows that
/// answered every item of that construct. The covariances come from exact integer sums, so a million rows cost one
/// pass over the answers and the model then as much as over a thousand.
/// \throws ethos::error when an item of the instrument has no column in `m`.
ETHOS_DECL measurement_model fit_measurement_model(const instrument_view& inst, const response_matrix& m,
                                                   const measurement_options& opt = {});

/// Measurement invariance of an instrument's structure across the levels of a metadata column.
struct measurement_invariance_model {
  std::string by;                       ///< the grouping column
  std::vector<std::string> items;       ///< the Likert items, in instrument order (reverse items keyed)
  std::vector<std::string> factors;     ///< the constructs, in instrument order
  std::vector<std::string> levels;      ///< the levels compared, in order of first appearance
  std::vector<std::uint64_t> complete;  ///< per level compared: its rows with every item answered
  std::vector<std::string> left_out;    ///< levels with fewer complete rows than the options' minimum
  std::uint64_t unlabelled = 0;         ///< rows with an empty label in the column (in no group)
  invariance_result invariance;         ///< configural, metric and scalar models and the steps between them
  std::string reason;                   ///< why there is no comparison, if there is none
  reason_code code = reason_code::none; ///< `reason` as a code
};

/// Fits the instrument's structure (as `fit_measurement_model`) in every level of the metadata column `by` at
/// once, at the configural, metric and scalar levels of invariance (as lavaan's `cfa(..., group = by,
/// group.equal = ...)`), each level's covariances and means from exact sums over its rows that answered every
/// item. Levels with fewer complete rows than `opt.min_group_rows` are left out (and named); fewer than 2 levels
/// left is a result with a reason, not an error.
/// \throws ethos::error when `m` has no column `by` or an item of the instrument has no column in `m`.
ETHOS_DECL measurement_invariance_model fit_measurement_invariance(const instrument_view& inst,
                                                                   const response_matrix& m, std::string_view by,
                                                                   const measurement_options& opt = {});

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/models/impl/measurement.ipp>
#endif
