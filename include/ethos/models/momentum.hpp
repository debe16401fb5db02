// ethos/models/momentum.hpp: culture momentum: a service lift that fades unless building blocks reinforce it.
#pragma once

#include <ethos/detail/text.hpp>
#include <ethos/detail/validation.hpp>
#include <ethos/error.hpp>
#include <ethos/framework/building_block.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numbers>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
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

namespace detail {

// Why a value that must be finite and 0 or more is not, or "" when it is; `why` says what the value means.
inline std::string momentum_nonnegative_problem(double v, std::string_view why) {
  if (std::isnan(v)) {
    return "is NaN; " + std::string(why);
  }
  if (std::isinf(v)) {
    return message_number(v) + " is infinite; " + std::string(why);
  }
  if (v < 0.0) {
    return message_number(v) + " is negative; " + std::string(why);
  }
  return {};
}

// Why a reinforcement value is not a share in [0, 1], or "" when it is.
inline std::string momentum_share_problem(double r) {
  if (std::isnan(r)) {
    return "reinforcement is NaN; it must be a share of full reinforcement, from 0 to 1";
  }
  if (!(r >= 0.0 && r <= 1.0)) {
    return "reinforcement " + message_number(r) + " is outside [0, 1]; it is a share of full reinforcement";
  }
  return {};
}

// (1 - e^{-lambda dt}) / lambda: what one point per period of reinforcement adds over dt. Computed as
// dt (1 - e^{-z}) / z for small z = lambda dt, so that it stays exact as lambda -> 0 (limit dt), and as
// (1 - e^{-z}) / lambda for large z, so that it stays finite when lambda dt overflows.
inline double momentum_gain(double lambda, double dt) noexcept {
  const double z = lambda * dt;
  if (z == 0.0) {
    return dt;
  }
  if (z < 1.0) {
    return dt * (-std::expm1(-z) / z);
  }
  return -std::expm1(-z) / lambda;
}

// d momentum_gain / d lambda = dt^2 h(z) with h(z) = (z e^{-z} + e^{-z} - 1) / z^2. The closed form cancels
// badly for small z, so there h comes from its series sum_n (-1)^{n+1} (n + 1) z^n / (n + 2)!, which at
// z < 0.5 is below 1e-22 after 18 terms.
inline double momentum_gain_slope(double lambda, double dt) noexcept {
  const double z = lambda * dt;
  if (z < 0.5) {
    double c = 0.5; // z^n / (n + 2)!
    double h = 0.0;
    for (int n = 0; n < 18; ++n) {
      h += (n % 2 == 0 ? -1.0 : 1.0) * static_cast<double>(n + 1) * c;
      c *= z / static_cast<double>(n + 3);
    }
    return dt * dt * h;
  }
  return (dt * std::exp(-z) - momentum_gain(lambda, dt)) / lambda;
}

} // namespace detail

/// Every problem of a pair of rates: a rate that is negative, NaN or infinite.
inline std::vector<problem> check(const momentum_params& p) {
  std::vector<problem> out;
  std::string why = detail::momentum_nonnegative_problem(
      p.decay_rate, "a decay rate is a share of the lift lost per period, 0 or more");
  if (!why.empty()) {
    out.push_back({"decay rate", why});
  }
  why = detail::momentum_nonnegative_problem(p.reinforcement_rate,
                                             "a reinforcement rate is points gained per period at full reinforcement, "
                                             "0 or more");
  if (!why.empty()) {
    out.push_back({"reinforcement rate", why});
  }
  return out;
}

/// Time for an unreinforced lift to halve: ln 2 / decay rate, in periods. Empty when the decay rate is 0 (the lift
/// never fades) or so small that the half-life is beyond the range of double.
/// \code
///   ethos::momentum_half_life({.decay_rate = std::numbers::ln2 / 4}); // 4 periods
/// \endcode
/// \throws ethos::validation_error when a rate is negative, NaN or infinite.
inline std::optional<double> momentum_half_life(const momentum_params& p) {
  throw_if_problems("momentum model", check(p));
  if (p.decay_rate == 0.0) {
    return std::nullopt;
  }
  const double h = std::numbers::ln2 / p.decay_rate;
  return std::isfinite(h) ? std::optional<double>(h) : std::nullopt;
}

/// The lift (deviation from the baseline) that constant reinforcement `r` holds in the long run: rho r / lambda,
/// approached from any start. Empty when the decay rate is 0, since nothing then pulls the level to one value
/// (it grows without bound when rho r > 0 and stays wherever it starts when rho r = 0), and when rho r / lambda is
/// beyond the range of double.
/// \code
///   ethos::momentum_equilibrium({.decay_rate = 0.2, .reinforcement_rate = 0.5}, 0.8); // 0.5 * 0.8 / 0.2 = 2
/// \endcode
/// \throws ethos::validation_error when a rate is negative, NaN or infinite, or `r` is not in [0, 1].
inline std::optional<double> momentum_equilibrium(const momentum_params& p, double r) {
  std::vector<problem> out = check(p);
  if (std::string why = detail::momentum_share_problem(r); !why.empty()) {
    out.push_back({"reinforcement", why});
  }
  throw_if_problems("momentum model", std::move(out));
  if (p.decay_rate == 0.0) {
    return std::nullopt;
  }
  const double x = p.reinforcement_rate * r / p.decay_rate;
  return std::isfinite(x) ? std::optional<double>(x) : std::nullopt;
}

/// The deviation from the baseline after `dt` periods of constant reinforcement `r`, starting from `deviation`:
/// the exact solution e^{-lambda dt} x + rho r (1 - e^{-lambda dt}) / lambda (x + rho r dt when lambda = 0).
/// \code
///   ethos::momentum_advance({.decay_rate = 0.5}, 2.0, 0.0, 1.0); // 2 e^{-0.5} ~ 1.21
/// \endcode
/// \throws ethos::validation_error when a rate is invalid, `deviation` is not finite, `r` is not in [0, 1] or `dt`
/// is negative or not finite; ethos::error when the result is beyond the range of double.
inline double momentum_advance(const momentum_params& p, double deviation, double r, double dt) {
  std::vector<problem> out = check(p);
  if (!std::isfinite(deviation)) {
    out.push_back({"deviation", detail::message_number(deviation) + " is not a finite number of points"});
  }
  if (std::string why = detail::momentum_share_problem(r); !why.empty()) {
    out.push_back({"reinforcement", why});
  }
  if (std::string why = detail::momentum_nonnegative_problem(dt, "a time step is a length of time, 0 or more");
      !why.empty()) {
    out.push_back({"time step", why});
  }
  throw_if_problems("momentum model", std::move(out));
  const double x =
      std::exp(-p.decay_rate * dt) * deviation + p.reinforcement_rate * r * detail::momentum_gain(p.decay_rate, dt);
  if (!std::isfinite(x)) {
    throw error("momentum model: the deviation after " + detail::message_number(dt) +
                " periods is beyond the range of double");
  }
  return x;
}

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
  static std::size_t index_of(building_block b) {
    const int i = ordinal(b);
    if (i == 0) {
      throw error("momentum block weights: value " + std::to_string(static_cast<int>(b)) +
                  " is not one of the twelve building blocks");
    }
    return static_cast<std::size_t>(i - 1);
  }
};

/// Every problem of a set of block weights: a weight that is negative, NaN or infinite, weights that are all 0
/// or add up beyond the range of double, and a scale whose ends are not finite or not in increasing order.
inline std::vector<problem> check(const momentum_block_weights& w) {
  std::vector<problem> out;
  double total = 0.0;
  for (const building_block b : all<building_block>) {
    const double v = w.weights[static_cast<std::size_t>(ordinal(b) - 1)];
    if (std::string why = detail::momentum_nonnegative_problem(v, "a weight is 0 (leave the block out) or more");
        !why.empty()) {
      out.push_back({"weight of " + std::string(to_string(b)), why});
    } else {
      total += v;
    }
  }
  if (out.empty() && total == 0.0) {
    out.push_back({"weights", "all twelve are 0, so no block counts; give at least one a positive weight"});
  } else if (!std::isfinite(total)) {
    out.push_back({"weights", "add up beyond the range of double; use smaller weights (only their ratios matter)"});
  }
  if (!std::isfinite(w.scale_min) || !std::isfinite(w.scale_max)) {
    out.push_back({"scale", "ends " + detail::message_number(w.scale_min) + " and " +
                                detail::message_number(w.scale_max) + " must be finite"});
  } else if (!(w.scale_min < w.scale_max)) {
    out.push_back({"scale", "min " + detail::message_number(w.scale_min) + " is not below max " +
                                detail::message_number(w.scale_max)});
  } else if (!std::isfinite(w.scale_max - w.scale_min)) {
    out.push_back({"scale", "is wider than the range of double"});
  }
  return out;
}

namespace detail {

// Problems of the scores of one period; `prefix` places them ("" or "period #3, "). The scale is used only when
// it is valid, so that a bad scale is reported once and not again for every score.
inline void momentum_score_problems(std::span<const std::optional<double>> scores, const momentum_block_weights& w,
                                    bool scale_ok, const std::string& prefix, std::vector<problem>& out) {
  constexpr std::size_t blocks = vocabulary_size<building_block>;
  if (scores.size() != blocks) {
    out.push_back({prefix + "scores", "has " + std::to_string(scores.size()) +
                                          " entries; one per building block, 12 in building-block order, is expected"});
    return;
  }
  bool any = false;
  bool any_counted = false;
  for (const building_block b : all<building_block>) {
    const std::size_t i = static_cast<std::size_t>(ordinal(b) - 1);
    if (!scores[i]) {
      continue;
    }
    any = true;
    const double s = *scores[i];
    const std::string where = prefix + std::string(to_string(b));
    if (std::isnan(s)) {
      out.push_back({where, "score is NaN; leave the score empty (std::nullopt) for a block that was not scored"});
    } else if (std::isinf(s)) {
      out.push_back({where, "score " + message_number(s) + " is infinite"});
    } else if (scale_ok && (s < w.scale_min || s > w.scale_max)) {
      out.push_back({where, "score " + message_number(s) + " is outside the scale " + message_number(w.scale_min) +
                                ".." + message_number(w.scale_max)});
    }
    if (w.weights[i] > 0.0) {
      any_counted = true;
    }
  }
  if (!any) {
    out.push_back({prefix + "scores", "no building block has a score, so there is nothing to average"});
  } else if (!any_counted && std::any_of(w.weights.begin(), w.weights.end(), [](double v) { return v > 0.0; })) {
    out.push_back({prefix + "scores", "only blocks with weight 0 have a score, so no scored block counts"});
  }
}

// The weighted mean share of valid scores; no checks, no allocation. Rounding is monotone, so with every share
// at most 1 the numerator never exceeds the denominator and r stays in [0, 1] without clamping.
inline double momentum_weighted_share(std::span<const std::optional<double>> scores,
                                      const momentum_block_weights& w) noexcept {
  const double width = w.scale_max - w.scale_min;
  double num = 0.0;
  double den = 0.0;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    if (scores[i] && w.weights[i] > 0.0) {
      num += w.weights[i] * ((*scores[i] - w.scale_min) / width);
      den += w.weights[i];
    }
  }
  return num / den;
}

} // namespace detail

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
inline double momentum_reinforcement(std::span<const std::optional<double>> scores,
                                     const momentum_block_weights& w = {}) {
  std::vector<problem> out = check(w);
  const bool scale_ok = std::none_of(out.begin(), out.end(), [](const problem& p) { return p.where == "scale"; });
  detail::momentum_score_problems(scores, w, scale_ok, "", out);
  throw_if_problems("momentum reinforcement", std::move(out));
  return detail::momentum_weighted_share(scores, w);
}

/// Reinforcement shares of a run of periods, one set of twelve scores per period (see momentum_reinforcement);
/// the result feeds simulate_momentum directly.
/// \throws ethos::validation_error listing every problem, each placed by its period ("period #2, Voice of the
/// Customer: score 6 is outside the scale 1..5").
inline std::vector<double>
momentum_reinforcement_path(std::span<const std::array<std::optional<double>, vocabulary_size<building_block>>> periods,
                            const momentum_block_weights& w = {}) {
  std::vector<problem> out = check(w);
  const bool scale_ok = std::none_of(out.begin(), out.end(), [](const problem& p) { return p.where == "scale"; });
  for (std::size_t k = 0; k < periods.size(); ++k) {
    detail::momentum_score_problems(periods[k], w, scale_ok, "period #" + std::to_string(k + 1) + ", ", out);
  }
  throw_if_problems("momentum reinforcement", std::move(out));
  std::vector<double> r;
  r.reserve(periods.size());
  for (const auto& p : periods) {
    r.push_back(detail::momentum_weighted_share(p, w));
  }
  return r;
}

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
inline momentum_path simulate_momentum(const momentum_model& m, std::span<const double> reinforcement) {
  std::vector<problem> out = check(m.params);
  if (!std::isfinite(m.baseline)) {
    out.push_back({"baseline", detail::message_number(m.baseline) + " is not a finite level"});
  }
  if (!std::isfinite(m.initial_lift)) {
    out.push_back({"initial lift", detail::message_number(m.initial_lift) + " is not a finite number of points"});
  } else if (std::isfinite(m.baseline) && !std::isfinite(m.baseline + m.initial_lift)) {
    out.push_back({"initial lift", "baseline + initial lift is beyond the range of double"});
  }
  if (!(std::isfinite(m.period_length) && m.period_length > 0.0)) {
    out.push_back({"period length", detail::message_number(m.period_length) +
                                        " is not a finite length above 0, in the time unit of the rates"});
  }
  constexpr std::size_t listed = 20;
  std::size_t bad = 0;
  for (std::size_t k = 0; k < reinforcement.size(); ++k) {
    if (std::string why = detail::momentum_share_problem(reinforcement[k]); !why.empty()) {
      if (bad++ < listed) {
        out.push_back({"period #" + std::to_string(k + 1) + " (index " + std::to_string(k) + ")", why});
      }
    }
  }
  if (bad > listed) {
    out.push_back({"reinforcement", std::to_string(bad - listed) + " more periods are outside [0, 1] (not listed)"});
  }
  throw_if_problems("momentum simulation", std::move(out));

  const std::size_t n = reinforcement.size();
  momentum_path path;
  path.time.resize(n + 1);
  path.level.resize(n + 1);
  path.deviation.resize(n + 1);
  path.reinforcement.assign(reinforcement.begin(), reinforcement.end());
  path.half_life = momentum_half_life(m.params);

  const double dt = m.period_length;
  const double keep = std::exp(-m.params.decay_rate * dt);
  const double gain = m.params.reinforcement_rate * detail::momentum_gain(m.params.decay_rate, dt);
  double x = m.initial_lift;
  for (std::size_t k = 0;; ++k) {
    path.time[k] = static_cast<double>(k) * dt;
    path.deviation[k] = x;
    path.level[k] = m.baseline + x;
    if (k == n) {
      break;
    }
    x = keep * x + gain * reinforcement[k];
  }
  // Checked after the loop so that the loop stays free of throws; only an extreme rate over many periods gets here.
  for (std::size_t k = 0; k <= n; ++k) {
    if (!std::isfinite(path.level[k]) || !std::isfinite(path.time[k])) {
      throw error("momentum simulation: the level or time leaves the range of double at point " + std::to_string(k) +
                  " (after period #" + std::to_string(k) + ")");
    }
  }
  return path;
}

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
  std::size_t series = 0;     ///< index of the unit's series in the input
  std::size_t wave = 0;       ///< index of the wave that starts the interval (0-based)
  double dt = 0.0;            ///< time from this wave to the next
  double reinforcement = 0.0; ///< r during the interval
  double start_level = 0.0;   ///< observed level at the start
  double observed_level = 0.0;
  double fitted_level = 0.0; ///< predicted from the observed start level with the fitted rates
  double residual = 0.0;     ///< observed_level - fitted_level
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
  std::vector<std::string> warnings;         ///< plain sentences for the reader of a report
  std::string reason;                        ///< why a number is empty, if one is
};

namespace detail {

// One interval in fitting form: time step, start and end deviation, reinforcement.
struct momentum_interval {
  double dt;
  double x;
  double y;
  double r;
};

// The profile of the residual sum of squares at one decay rate: rho chosen optimally (0 or more) for that rate,
// and the slope of the profile in lambda (by the envelope theorem, the partial slope at that rho).
struct momentum_profile_value {
  double ssr;
  double rho;      // max(rho_free, 0), or 0 when rho is not fitted
  double rho_free; // the unconstrained optimum
  double slope;
};

// For a fixed lambda the prediction a x + rho v (a = e^{-lambda dt}, v = r (1 - a) / lambda) is linear in rho,
// so rho has the closed form sum v (y - a x) / sum v^2. Two passes (rho, then residuals) keep the SSR accurate
// when it is near 0, where expanding the square would cancel. No allocation, no throw.
inline momentum_profile_value momentum_profile(std::span<const momentum_interval> iv, double lambda,
                                               bool fit_rho) noexcept {
  double svy = 0.0;
  double svv = 0.0;
  if (fit_rho) {
    for (const auto& i : iv) {
      const double v = i.r * momentum_gain(lambda, i.dt);
      svy += v * (i.y - std::exp(-lambda * i.dt) * i.x);
      svv += v * v;
    }
  }
  const double rho_free = svv > 0.0 ? svy / svv : 0.0;
  const double rho = std::max(rho_free, 0.0);
  double ssr = 0.0;
  double slope = 0.0;
  for (const auto& i : iv) {
    const double a = std::exp(-lambda * i.dt);
    const double e = i.y - a * i.x - rho * i.r * momentum_gain(lambda, i.dt);
    ssr += e * e;
    slope -= 2.0 * e * (-i.dt * a * i.x + rho * i.r * momentum_gain_slope(lambda, i.dt));
  }
  return {ssr, rho, rho_free, slope};
}

// Every problem of calibration input, so that one call reports them all.
inline std::vector<problem> momentum_fit_problems(std::span<const momentum_series> series,
                                                  const momentum_fit_options& opt) {
  std::vector<problem> out;
  if (!(std::isfinite(opt.max_decay_rate) && opt.max_decay_rate > 0.0)) {
    out.push_back({"options", "max decay rate " + message_number(opt.max_decay_rate) +
                                  " is not a finite rate above 0, per period"});
  }
  if (series.empty()) {
    out.push_back({"input", "no unit series; calibration needs at least one unit with 2 or more waves"});
    return out;
  }
  check_unique_names(
      series, [](const momentum_series& s) -> const std::string& { return s.unit; }, "unit", out);
  std::size_t intervals = 0;
  bool any_reinforcement = false;
  for (std::size_t u = 0; u < series.size(); ++u) {
    const momentum_series& s = series[u];
    const std::string where = "unit #" + std::to_string(u + 1) + " " + quote_unit(s.unit);
    if (!std::isfinite(s.baseline)) {
      out.push_back({where, "baseline " + message_number(s.baseline) + " is not a finite level"});
    }
    if (s.waves.size() < 2) {
      out.push_back({where, "has " + std::to_string(s.waves.size()) + (s.waves.size() == 1 ? " wave" : " waves") +
                                "; a unit needs at least 2 waves to give an interval"});
    } else {
      intervals += s.waves.size() - 1;
    }
    for (std::size_t k = 0; k < s.waves.size(); ++k) {
      const momentum_wave& w = s.waves[k];
      const std::string ww = where + ", wave #" + std::to_string(k + 1);
      if (!std::isfinite(w.time)) {
        out.push_back({ww, "time " + message_number(w.time) + " is not finite"});
      } else if (k > 0 && std::isfinite(s.waves[k - 1].time)) {
        const double before = s.waves[k - 1].time;
        if (!(w.time > before)) {
          out.push_back({ww, "time " + message_number(w.time) + " is not after wave #" + std::to_string(k) +
                                 "'s time " + message_number(before) + "; wave times must increase strictly"});
        } else if (!std::isfinite(w.time - before)) {
          out.push_back({ww, "the time since wave #" + std::to_string(k) + " is beyond the range of double"});
        }
      }
      if (!std::isfinite(w.level)) {
        out.push_back({ww, "level " + message_number(w.level) + " is not finite"});
      } else if (std::isfinite(s.baseline) && !std::isfinite(w.level - s.baseline)) {
        out.push_back({ww, "level minus baseline is beyond the range of double"});
      }
      if (k + 1 < s.waves.size()) {
        if (std::string why = momentum_share_problem(w.reinforcement); !why.empty()) {
          out.push_back({ww, why});
        } else if (w.reinforcement > 0.0) {
          any_reinforcement = true;
        }
      }
    }
  }
  if (any_reinforcement && intervals < 2) {
    out.push_back({"input", "only " + std::to_string(intervals) +
                                " interval between waves; estimating both the decay and the reinforcement rate "
                                "needs at least 2"});
  } else if (!any_reinforcement && intervals < 1) {
    out.push_back({"input", "no interval between waves; estimating the decay rate needs at least 1"});
  }
  return out;
}

// Refines a minimum of the profile inside [lo, hi], where the slope goes from negative to 0 or more, by bisection
// on the sign of the slope: robust, and it reaches a relative width of 1e-14 (the SSR itself is too flat at its
// minimum to place lambda better than about 1e-8 by comparing values).
inline double momentum_refine(std::span<const momentum_interval> iv, double lo, double hi, bool fit_rho) noexcept {
  for (int it = 0; it < 200 && hi - lo > 1e-14 * hi; ++it) {
    const double mid = lo + (hi - lo) / 2.0;
    if (mid <= lo || mid >= hi) {
      break;
    }
    if (momentum_profile(iv, mid, fit_rho).slope < 0.0) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return lo + (hi - lo) / 2.0;
}

} // namespace detail

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
inline momentum_fit fit_momentum(std::span<const momentum_series> series, const momentum_fit_options& opt = {}) {
  throw_if_problems("momentum calibration", detail::momentum_fit_problems(series, opt));

  momentum_fit fit;
  fit.units = series.size();
  std::size_t count = 0;
  for (const auto& s : series) {
    count += s.waves.size() - 1;
  }
  std::vector<detail::momentum_interval> iv;
  iv.reserve(count);
  fit.fitted.reserve(count);
  for (std::size_t u = 0; u < series.size(); ++u) {
    const auto& s = series[u];
    for (std::size_t k = 0; k + 1 < s.waves.size(); ++k) {
      const auto& w0 = s.waves[k];
      const auto& w1 = s.waves[k + 1];
      iv.push_back({w1.time - w0.time, w0.level - s.baseline, w1.level - s.baseline, w0.reinforcement});
      fit.fitted.push_back({u, k, w1.time - w0.time, w0.reinforcement, w0.level, w1.level, 0.0, 0.0});
    }
  }
  fit.intervals = iv.size();
  const bool fit_rho = std::any_of(iv.begin(), iv.end(), [](const detail::momentum_interval& i) { return i.r > 0.0; });

  // Deviations are scaled to at most 1 in size, so that squares cannot overflow and "flat" has a fixed meaning;
  // rho and the sums of squares are scaled back at the end.
  double scale = 0.0;
  for (const auto& i : iv) {
    scale = std::max({scale, std::fabs(i.x), std::fabs(i.y)});
  }
  double total = 0.0;
  if (scale > 0.0) {
    for (auto& i : iv) {
      i.x /= scale;
      i.y /= scale;
      total += i.x * i.x + i.y * i.y;
    }
  }

  // The grid: lambda = 0, then 16 points a decade over 10 decades up to max_decay_rate.
  constexpr int decades = 10;
  constexpr int per_decade = 16;
  constexpr std::size_t grid_size = decades * per_decade + 2;
  std::array<double, grid_size> grid{};
  std::array<detail::momentum_profile_value, grid_size> value{};
  grid[0] = 0.0;
  for (std::size_t j = 1; j < grid_size; ++j) {
    const double e = static_cast<double>(static_cast<int>(j) - 1 - decades * per_decade) / per_decade;
    grid[j] = j + 1 == grid_size ? opt.max_decay_rate : opt.max_decay_rate * std::pow(10.0, e);
  }
  double lowest = std::numeric_limits<double>::infinity();
  double highest = 0.0;
  std::size_t best = 0;
  for (std::size_t j = 0; j < grid_size; ++j) {
    value[j] = detail::momentum_profile(iv, grid[j], fit_rho);
    if (value[j].ssr < lowest) {
      lowest = value[j].ssr;
      best = j;
    }
    highest = std::max(highest, value[j].ssr);
  }

  std::vector<std::string> reasons;
  double lambda = grid[best];
  if (scale == 0.0 || !(highest - lowest > 1e-12 * total)) {
    // Every decay rate predicts the same, e.g. every level sits on its baseline: no estimate to give.
    reasons.push_back("every decay rate fits the waves equally well (for instance, every level is at its "
                      "baseline), so the decay rate cannot be estimated");
    if (fit_rho) {
      reasons.push_back("the reinforcement rate depends on the decay rate, so it cannot be estimated either");
    }
    fit.warnings.push_back("The waves do not show how fast the lift fades: no rates were estimated.");
  } else {
    // Candidates: the ends of the search where the profile still falls toward them, and each grid step where
    // the slope turns from falling to rising (the lowest four by SSR, refined).
    std::vector<double> candidates;
    if (value[0].slope >= 0.0) {
      candidates.push_back(grid[0]);
    }
    if (value[grid_size - 1].slope <= 0.0) {
      candidates.push_back(grid[grid_size - 1]);
    }
    std::vector<std::size_t> steps;
    for (std::size_t j = 0; j + 1 < grid_size; ++j) {
      if (value[j].slope < 0.0 && value[j + 1].slope >= 0.0) {
        steps.push_back(j);
      }
    }
    const auto step_low = [&](std::size_t j) { return std::min(value[j].ssr, value[j + 1].ssr); };
    std::sort(steps.begin(), steps.end(), [&](std::size_t a, std::size_t b) { return step_low(a) < step_low(b); });
    for (std::size_t c = 0; c < steps.size() && c < 4; ++c) {
      candidates.push_back(detail::momentum_refine(iv, grid[steps[c]], grid[steps[c] + 1], fit_rho));
    }
    double best_ssr = lowest; // the best grid point stays the answer if refining found nothing lower
    for (const double c : candidates) {
      const double s = detail::momentum_profile(iv, c, fit_rho).ssr;
      if (s <= best_ssr) {
        best_ssr = s;
        lambda = c;
      }
    }
  }

  const auto at = detail::momentum_profile(iv, lambda, fit_rho);
  const bool identified = reasons.empty();
  for (std::size_t n = 0; n < iv.size(); ++n) {
    const auto& i = iv[n];
    const double pred = std::exp(-lambda * i.dt) * i.x + at.rho * i.r * detail::momentum_gain(lambda, i.dt);
    auto& f = fit.fitted[n];
    f.fitted_level = series[f.series].baseline + pred * scale;
    f.residual = f.observed_level - f.fitted_level;
  }
  fit.ssr = at.ssr * scale * scale;
  const double rho = at.rho * scale;
  if (!std::isfinite(fit.ssr) || !std::isfinite(rho)) {
    throw error("momentum calibration: the sums of squares leave the range of double; the levels or wave times "
                "are too large to fit (rescale them)");
  }

  if (identified) {
    fit.decay_rate = lambda;
    if (lambda > 0.0 && std::isfinite(std::numbers::ln2 / lambda)) {
      fit.half_life = std::numbers::ln2 / lambda;
    }
    if (lambda <= grid[1]) {
      fit.no_decay_detected = true;
      fit.warnings.push_back("No decay detected: the best fit has the lift not fading over the observed intervals "
                             "(decay rate " +
                             detail::message_number(lambda) + " per period, at the lower end of the search).");
    } else if (lambda >= opt.max_decay_rate) {
      fit.decay_at_upper_limit = true;
      fit.warnings.push_back("Decay faster than one period can resolve: the decay rate sits at the upper end of the "
                             "search (" +
                             detail::message_number(opt.max_decay_rate) +
                             " per period), so the lift is gone before the next wave; read the rate as a lower "
                             "bound.");
    }
    if (fit_rho) {
      fit.reinforcement_rate = rho;
      if (at.rho_free < 0.0) {
        fit.reinforcement_constrained = true;
        fit.warnings.push_back("The unconstrained reinforcement rate would be negative (" +
                               detail::message_number(at.rho_free * scale) +
                               "): levels fell more where reinforcement was higher. It is held at 0 and the decay "
                               "rate fitted with no reinforcement effect.");
      }
    }
  }
  if (!fit_rho) {
    reasons.push_back(
        std::string("reinforcement is 0 in every interval, so the reinforcement rate cannot be estimated") +
        (identified ? "; the decay rate was fitted alone" : ""));
  }
  const std::size_t rates = fit_rho ? 2 : 1;
  if (fit.intervals > rates) {
    fit.residual_sd = std::sqrt(at.ssr / static_cast<double>(fit.intervals - rates)) * scale;
  } else {
    reasons.push_back(std::to_string(fit.intervals) + (fit.intervals == 1 ? " interval leaves" : " intervals leave") +
                      " no degrees of freedom for the residual SD");
  }
  for (const auto& r : reasons) {
    fit.reason += (fit.reason.empty() ? "" : "; ") + r;
  }
  return fit;
}

} // namespace ethos
