/// \file
/// \brief Culture momentum: a service lift that fades unless building blocks reinforce it.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/error.hpp>
#include <ethos/framework/building_block.hpp>
#include <ethos/status.hpp>

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ethos {

// The model. A service initiative lifts a unit's service level above its old baseline; left alone the lift fades,
// and the building blocks of service culture keep feeding it. In continuous time t, with the deviation
// x(t) = level(t) - baseline,
//
//   dx/dt = -lambda x + rho r(t)
//
// lambda (decay rate) is the share of the lift lost per unit of time, rho (reinforcement rate) the points added
// per unit of time at full reinforcement, and r(t) in [0, 1] how fully the blocks are at work, constant within a
// period. Over a stretch of length dt with constant r the exact solution is
//
//   x(t + dt) = e^{-lambda dt} x(t) + rho r (1 - e^{-lambda dt}) / lambda,
//
// which tends to x(t) + rho r dt as lambda -> 0. The time unit is whatever the rates are "per" (a month, a
// quarter, a survey cycle); the docs below call it a period. Periods of a simulation and wave times of a
// calibration are in that same unit.

/// The two rates of the momentum model, both 0 or more.
/// \code
///   ethos::momentum_params p{.decay_rate = 0.1, .reinforcement_rate = 0.5};
///   // half-life ln 2 / 0.1 ~ 6.9 periods; at full reinforcement the lift settles at 0.5 / 0.1 = 5 points
/// \endcode
struct momentum_params {
  double decay_rate = 0.0;         ///< lambda: share of the lift lost per period (a rate, so it may exceed 1)
  double reinforcement_rate = 0.0; ///< rho: points per period added at full reinforcement (r = 1)
};

/// Every problem of a pair of rates: a rate that is negative, NaN or infinite.
/// Every problem of a pair of rates: a rate that is negative, NaN or infinite.
ETHOS_DECL std::vector<problem> check(const momentum_params& p);

/// Time for an unreinforced lift to halve: ln 2 / decay rate, in periods. Empty when the decay rate is 0 (the lift
/// never fades) or so small that the half-life is beyond the range of double.
/// \code
///   ethos::momentum_half_life({.decay_rate = std::numbers::ln2 / 4}); // 4 periods
/// \endcode
/// \throws ethos::validation_error when a rate is negative, NaN or infinite.
ETHOS_DECL std::optional<double> momentum_half_life(const momentum_params& p);

/// The lift (deviation from the baseline) that constant reinforcement `r` holds in the long run: rho r / lambda,
/// approached from any start. Empty when the decay rate is 0, since nothing then pulls the level to one value
/// (it grows without bound when rho r > 0 and stays wherever it starts when rho r = 0), and when rho r / lambda is
/// beyond the range of double.
/// \code
///   ethos::momentum_equilibrium({.decay_rate = 0.2, .reinforcement_rate = 0.5}, 0.8); // 0.5 * 0.8 / 0.2 = 2
/// \endcode
/// \throws ethos::validation_error when a rate is negative, NaN or infinite, or `r` is not in [0, 1].
ETHOS_DECL std::optional<double> momentum_equilibrium(const momentum_params& p, double r);

/// The deviation from the baseline after `dt` periods of constant reinforcement `r`, starting from `deviation`:
/// the exact solution e^{-lambda dt} x + rho r (1 - e^{-lambda dt}) / lambda (x + rho r dt when lambda = 0).
/// \code
///   ethos::momentum_advance({.decay_rate = 0.5}, 2.0, 0.0, 1.0); // 2 e^{-0.5} ~ 1.21
/// \endcode
/// \throws ethos::validation_error when a rate is invalid, `deviation` is not finite, `r` is not in [0, 1] or `dt`
/// is negative or not finite; ethos::error when the result is beyond the range of double.
ETHOS_DECL double momentum_advance(const momentum_params& p, double deviation, double r, double dt);

// ---- reinforcement from building-block scores --------------------------------------------------------------------

/// How building-block scores of one period become a reinforcement share r: each block's score is placed on
/// [0, 1] by the scale, (score - scale_min) / (scale_max - scale_min), and r is the weighted mean over the blocks
/// that have a score and a positive weight. A weight of 0 leaves a block out.
/// \code
///   ethos::momentum_block_weights w;                                 // all blocks count alike, scale 1..5
///   w.weight(ethos::building_block::service_role_modeling) = 2.0;   // role modelling counts twice
/// \endcode
struct momentum_block_weights {
  /// One weight per building block, in building-block order (`ordinal(b) - 1`).
  std::array<double, vocabulary_size<building_block>> weights{1.0, 1.0, 1.0, 1.0, 1.0, 1.0,
                                                              1.0, 1.0, 1.0, 1.0, 1.0, 1.0};
  double scale_min = 1.0; ///< score of a block not at work at all
  double scale_max = 5.0; ///< score of a block fully at work

  /// The weight of block `b`. \throws ethos::error when `b` is not one of the twelve blocks (a cast value).
  double& weight(building_block b) { return weights[index_of(b)]; }
  /// The weight of block `b`. \throws ethos::error when `b` is not one of the twelve blocks (a cast value).
  double weight(building_block b) const { return weights[index_of(b)]; }

 private:
  static std::size_t index_of(building_block b);
};

/// Every problem of a set of block weights: a weight that is negative, NaN or infinite, weights that are all 0
/// or add up beyond the range of double, and a scale whose ends are not finite or not in increasing order.
ETHOS_DECL std::vector<problem> check(const momentum_block_weights& w);

/// Reinforcement share r in [0, 1] of one period from the twelve building-block scores, in building-block order;
/// an empty score is a block not measured and is skipped. r is the weighted mean of
/// (score - scale_min) / (scale_max - scale_min) over the blocks that have a score and a positive weight.
/// \code
///   std::array<std::optional<double>, 12> s{};           // all empty
///   s[0] = 5.0;                                           // Common Service Language at the top of 1..5
///   s[6] = 2.0;                                           // Voice of the Customer at 2
///   double r = ethos::momentum_reinforcement(s);          // (1 + 0.25) / 2 = 0.625
/// \endcode
/// \throws ethos::validation_error listing every problem: a score outside the scale, NaN or infinite (named by the
/// block's label and the value), no block scored, only blocks of weight 0 scored, not 12 scores, and any problem
/// of the weights (see check(const momentum_block_weights&)).
ETHOS_DECL double momentum_reinforcement(std::span<const std::optional<double>> scores,
                                         const momentum_block_weights& w = {});

/// Reinforcement shares of a run of periods, one set of twelve scores per period (see momentum_reinforcement);
/// the result feeds simulate_momentum directly.
/// \throws ethos::validation_error listing every problem, each placed by its period ("period #2, Voice of the
/// Customer: score 6 is outside the scale 1..5").
ETHOS_DECL std::vector<double>
momentum_reinforcement_path(std::span<const std::array<std::optional<double>, vocabulary_size<building_block>>> periods,
                            const momentum_block_weights& w = {});

// ---- simulation ------------------------------------------------------------------------------------------------

/// One unit's momentum model: its rates, its old baseline level, and where the initiative left it.
/// \code
///   ethos::momentum_model m{.params = {.decay_rate = 0.2, .reinforcement_rate = 0.3}, .baseline = 3.1,
///                           .initial_lift = 0.8};  // launched at 3.9
/// \endcode
struct momentum_model {
  momentum_params params{};   ///< decay and reinforcement rates, per period
  double baseline = 0.0;      ///< the level the unit returns to without reinforcement
  double initial_lift = 0.0;  ///< level at launch minus baseline (may be negative: a setback)
  double period_length = 1.0; ///< length of one simulation period, in the time unit of the rates (above 0)
};

/// A simulated run: T periods give T + 1 points, at t = 0, dt, ..., T dt.
struct momentum_path {
  std::vector<double> time;          ///< k * period_length, k = 0..T
  std::vector<double> level;         ///< baseline + deviation at each time
  std::vector<double> deviation;     ///< level - baseline at each time
  std::vector<double> reinforcement; ///< the share r used in each period (T values; period k runs from point k)
  std::optional<double> half_life;   ///< ln 2 / decay rate, in the time unit of the rates; empty when it is 0
};

/// Runs the model through one period per reinforcement value, stepping with the exact solution (no time-step
/// error, however long the period). Zero values give just the starting point.
/// \code
///   std::vector<double> r(12, 0.5);                       // a year of half-strength reinforcement
///   auto path = ethos::simulate_momentum(m, r);           // path.level[12] is the level after a year
/// \endcode
/// \throws ethos::validation_error listing every problem: invalid rates, a baseline or initial lift that is not
/// finite, a period length that is not finite and above 0, reinforcement outside [0, 1] or NaN (named by period:
/// "period #3 (index 2)"; after 20 such periods the rest are counted, not listed); ethos::error when the level
/// leaves the range of double.
ETHOS_DECL momentum_path simulate_momentum(const momentum_model& m, std::span<const double> reinforcement);

// ---- calibration -----------------------------------------------------------------------------------------------

/// One survey wave of a unit: when it was taken, the level it measured, and the reinforcement share during the
/// interval that starts at this wave (the last wave's reinforcement starts no interval and is not read).
struct momentum_wave {
  double time = 0.0;          ///< in the time unit of the rates; strictly increasing within a unit
  double level = 0.0;         ///< measured service level
  double reinforcement = 0.0; ///< r in [0, 1] from this wave to the next
};

/// The waves of one unit, with the baseline its lift is measured from.
struct momentum_series {
  std::string unit{};                 ///< unit name, unique among the series (names errors and fitted intervals)
  double baseline = 0.0;              ///< level before the initiative; the lift decays toward it
  std::vector<momentum_wave> waves{}; ///< at least 2, in time order
};

/// How rates are searched.
struct momentum_fit_options {
  /// Upper end of the decay rates searched, per period (finite, above 0). A rate at this end means the lift is
  /// gone before the next wave; past it the data say nothing more.
  double max_decay_rate = 10.0;
};

/// One interval between consecutive waves of a unit, with the one-step-ahead prediction of its end.
struct momentum_interval_fit {
  std::size_t series = 0;      ///< index of the unit's series in the input
  std::size_t wave = 0;        ///< index of the wave that starts the interval (0-based)
  double dt = 0.0;             ///< time from this wave to the next
  double reinforcement = 0.0;  ///< r during the interval
  double start_level = 0.0;    ///< observed level at the start
  double observed_level = 0.0; ///< observed level at the end
  double fitted_level = 0.0;   ///< predicted from the observed start level with the fitted rates
  double residual = 0.0;       ///< observed_level - fitted_level
};

/// Rates estimated from survey waves by least squares on one-step-ahead predictions of every interval.
struct momentum_fit {
  std::optional<double> decay_rate;          ///< lambda; empty only when no decay rate fits better than another
  std::optional<double> reinforcement_rate;  ///< rho >= 0; empty when reinforcement is 0 in every interval
  std::optional<double> half_life;           ///< ln 2 / lambda; empty when lambda is 0 or empty
  std::optional<double> residual_sd;         ///< sqrt(ssr / (intervals - rates estimated)); empty without a df
  double ssr = 0.0;                          ///< residual sum of squares at the estimate
  std::size_t units = 0;                     ///< series used
  std::size_t intervals = 0;                 ///< consecutive wave pairs used
  bool no_decay_detected = false;            ///< lambda at the lower end of the search (0 or nearly)
  bool decay_at_upper_limit = false;         ///< lambda at max_decay_rate: faster than the waves resolve
  bool reinforcement_constrained = false;    ///< the unconstrained rho was negative; rho held at 0
  std::vector<momentum_interval_fit> fitted; ///< every interval, units in input order, waves in time order
  /// For the reader of a report, a code and a plain sentence each: rates not estimated
  /// (warning_code::rates_not_estimated), no decay detected, decay at the upper limit, rho held at 0 (model_note).
  std::vector<warning> warnings;
  std::string reason;                   ///< why a number is empty, if one is (several joined by "; ")
  reason_code code = reason_code::none; ///< why, as a code: that of the first reason in `reason`
};

/// Estimates the decay and reinforcement rates from survey waves of one or more units. Every pair of consecutive
/// waves of a unit is one interval; the fit minimises the squared error of predicting each interval's end level
/// from its observed start level (one step ahead), with rho >= 0.
///
/// Method: for a fixed lambda the prediction is linear in rho, so rho has a closed form and the fit reduces to a
/// one-dimensional profile in lambda. The profile is scanned on lambda = 0 and a log-spaced grid from
/// max_decay_rate * 1e-10 to max_decay_rate (16 points a decade); every grid step where the slope turns from
/// falling to rising is refined by bisection on the slope to 1e-14 relative (the four lowest such steps, if there
/// are more), and the lowest refined point, or an end of the search where the profile still falls, is kept.
/// When reinforcement is 0 in every interval rho is not identified: lambda is fitted alone and rho left empty.
/// \code
///   std::vector<ethos::momentum_series> s{{"North", 3.0, {{0, 3.8, 0.5}, {2, 3.6, 0.5}, {5, 3.5, 0}}}};
///   auto fit = ethos::fit_momentum(s);   // fit.decay_rate, fit.reinforcement_rate, fit.warnings ...
/// \endcode
/// \throws ethos::validation_error listing every problem, each naming the unit and wave: no series, an empty or
/// repeated unit name, a unit with fewer than 2 waves, wave times not finite or not strictly increasing, a level or
/// baseline that is not finite, reinforcement outside [0, 1] (in waves that start an interval), fewer than 2
/// intervals in all when both rates are estimated (fewer than 1 when reinforcement is always 0), and an invalid
/// max_decay_rate; ethos::error when the sums of squares overflow (levels or times too large).
ETHOS_DECL momentum_fit fit_momentum(std::span<const momentum_series> series, const momentum_fit_options& opt = {});

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/models/impl/momentum.ipp>
#endif
