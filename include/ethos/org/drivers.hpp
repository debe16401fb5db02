/// \file
/// \brief Key-driver analysis of constructs against an outcome, placed on an importance x performance grid
/// (strengths, priorities, areas to maintain, areas to monitor).
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/framework/vocabulary.hpp>
#include <ethos/stats/drivers.hpp> // key_drivers, the relative weights analyse_drivers places on the grid
#include <ethos/status.hpp>

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ethos {

/// Where a driver sits on the importance x performance grid, relative to the mean importance and the mean
/// performance of all drivers (a value equal to a centre counts as high).
enum class driver_quadrant : unsigned char {
  strength, ///< important and performing well
  priority, ///< important but performing below the rest
  maintain, ///< less important, performing well
  monitor,  ///< less important, performing below the rest
};

/// The vocabulary of `driver_quadrant`: for each value its key, display name and a sentence.
template <>
struct vocabulary_traits<driver_quadrant> {
  /// One entry per value, in declaration order.
  static constexpr std::array<vocabulary_entry<driver_quadrant>, 4> entries{{
      {driver_quadrant::strength, "strength", "Strength",
       "Matters more than most drivers to the outcome and already scores at or above the typical driver, so it "
       "is worth protecting."},
      {driver_quadrant::priority, "priority", "Priority",
       "Matters more than most drivers to the outcome but scores below the typical driver, so improving it "
       "promises the largest gain."},
      {driver_quadrant::maintain, "maintain", "Maintain",
       "Scores at or above the typical driver while mattering less to the outcome, so holding the current level "
       "is enough."},
      {driver_quadrant::monitor, "monitor", "Monitor",
       "Scores below the typical driver but matters less to the outcome, so it is watched rather than acted "
       "on first."},
  }};
};
static_assert(detail::vocabulary_table_is_valid<driver_quadrant>());

/// How drivers are analysed.
struct driver_options {
  /// Complete cases needed before any number is reported (at least 3). Relative weights from fewer cases are
  /// too unstable to rank drivers, and with very few cases a mean or a correlation describes individuals.
  std::size_t min_respondents = 30;
};

/// One predictor (construct) of the outcome.
struct driver_entry {
  std::string key;                         ///< the predictor's key
  std::string label;                       ///< the predictor's display label
  std::optional<double> r;                 ///< Pearson r with the outcome over the complete cases
  std::optional<double> weight;            ///< Johnson's raw relative weight; the weights sum to R^2
  std::optional<double> share;             ///< weight / R^2, the share of explained variance (importance)
  std::optional<double> performance;       ///< the predictor's mean over the complete cases
  std::optional<driver_quadrant> quadrant; ///< where importance (share) and performance place it
};

/// A key-driver analysis of several predictors of one outcome.
struct driver_analysis {
  std::string outcome;                      ///< the outcome's key
  std::string outcome_label;                ///< the outcome's display label
  std::size_t n = 0;                        ///< complete cases: rows where every predictor and the outcome are present
  std::size_t dropped = 0;                  ///< rows left out because at least one of their values was missing
  std::optional<double> r_squared;          ///< R^2 of the regression of the outcome on all predictors
  std::optional<double> importance_centre;  ///< mean share over the predictors that have one (1 / k when all do)
  std::optional<double> performance_centre; ///< mean performance over the predictors that have one
  std::vector<driver_entry> drivers;        ///< one per predictor, in input order
  std::string reason;                       ///< why weights or quadrants are empty, if they are
  reason_code code = reason_code::none;     ///< `reason` as a code
};

/// One column of a driver analysis: a key, a display label and one value per respondent (NaN = missing).
struct driver_input {
  std::string key;                ///< unique, non-empty
  std::string label;              ///< for reports
  std::span<const double> values; ///< one per respondent row; NaN (or infinite) = missing
};

/// Places each driver of `a` on the importance x performance grid from its share and performance: the centres are
/// the mean share and the mean performance over the drivers that have one, and a driver at or above a centre counts
/// as high. Quadrants are given only when every driver has a share (else `reason` says so). Call it again after
/// changing performances (e.g. to published unit means).
ETHOS_DECL void place_on_grid(driver_analysis& a);

/// Key-driver analysis as an importance x performance grid. Over the complete cases (rows where every predictor
/// and the outcome are finite) each predictor gets Pearson r with the outcome and Johnson's relative weight
/// (through `key_drivers`); its importance is its share of R^2 and its performance its mean. A predictor is then
/// placed against the mean importance and mean performance of all predictors:
/// important and at or above the typical score -> strength, important and below -> priority, less important
/// and at or above -> maintain, less important and below -> monitor.
/// Performance compares raw means, so the predictors should share one scale (e.g. 1-5 construct scores).
/// \code
///   std::vector<ethos::driver_input> xs{{"clarity", "Clarity", clarity}, {"support", "Support", support}};
///   auto a = ethos::analyse_drivers(xs, {"engagement", "Engagement", engagement});
///   // a.drivers[j].quadrant == ethos::driver_quadrant::priority: matters, scores low
/// \endcode
/// With fewer than `opt.min_respondents` complete cases only the counts are reported, with a reason. When
/// weights cannot be computed (a constant column, collinear predictors ...) r and performance are still given,
/// but no shares and no quadrants; quadrants are given only when every predictor has a share.
/// \throws ethos::validation_error (an ethos::error) naming every problem at once: a predictor whose length
/// differs from the outcome's, an empty or repeated key (the outcome's key included), `opt.min_respondents`
/// below 3.
ETHOS_DECL driver_analysis analyse_drivers(std::span<const driver_input> predictors, const driver_input& outcome,
                                           const driver_options& opt = {});

namespace detail {

/// analyse_drivers' checks of its input (keys, lengths against the outcome's, `opt`).
/// \throws ethos::validation_error naming every problem, as analyse_drivers does.
ETHOS_DECL void check_driver_input(std::span<const driver_input> predictors, const driver_input& outcome,
                                   const driver_options& opt);

/// The analysis analyse_drivers makes of the key-driver result `kd` of `predictors` (their keys and labels; values
/// are not read) and `outcome`, before performance: with fewer than `opt.min_respondents` complete cases only the
/// counts and the reason; else r, weights and shares. Performance and quadrants are left to the caller.
ETHOS_DECL driver_analysis driver_analysis_of(std::span<const driver_input> predictors, const driver_input& outcome,
                                              const key_driver_result& kd, const driver_options& opt);

} // namespace detail

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/org/impl/drivers.ipp>
#endif
