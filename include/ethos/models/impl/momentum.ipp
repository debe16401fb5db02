// ethos/models/impl/momentum.ipp: definitions of ethos/models/momentum.hpp (compiled into ethos::compiled, or
// included by the header in header-only mode).
#pragma once

#include <ethos/models/momentum.hpp>

#include <ethos/detail/text.hpp>
#include <ethos/detail/validation.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <string_view>
#include <utility>

namespace ethos {

namespace detail {

// Why a value that must be finite and 0 or more is not, or "" when it is; `why` says what the value means.
ETHOS_DECL std::string momentum_nonnegative_problem(double v, std::string_view why) {
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
ETHOS_DECL std::string momentum_share_problem(double r) {
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
ETHOS_DECL double momentum_gain(double lambda, double dt) noexcept {
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
ETHOS_DECL double momentum_gain_slope(double lambda, double dt) noexcept {
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

ETHOS_DECL std::vector<problem> check(const momentum_params& p) {
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

ETHOS_DECL std::optional<double> momentum_half_life(const momentum_params& p) {
  throw_if_problems("momentum model", check(p));
  if (p.decay_rate == 0.0) {
    return std::nullopt;
  }
  const double h = std::numbers::ln2 / p.decay_rate;
  return std::isfinite(h) ? std::optional<double>(h) : std::nullopt;
}

ETHOS_DECL std::optional<double> momentum_equilibrium(const momentum_params& p, double r) {
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

ETHOS_DECL double momentum_advance(const momentum_params& p, double deviation, double r, double dt) {
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

ETHOS_DECL std::size_t momentum_block_weights::index_of(building_block b) {
  const int i = ordinal(b);
  if (i == 0) {
    throw error("momentum block weights: value " + std::to_string(static_cast<int>(b)) +
                " is not one of the twelve building blocks");
  }
  return static_cast<std::size_t>(i - 1);
}
ETHOS_DECL std::vector<problem> check(const momentum_block_weights& w) {
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
ETHOS_DECL void momentum_score_problems(std::span<const std::optional<double>> scores, const momentum_block_weights& w,
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
ETHOS_DECL double momentum_weighted_share(std::span<const std::optional<double>> scores,
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

ETHOS_DECL double momentum_reinforcement(std::span<const std::optional<double>> scores,
                                         const momentum_block_weights& w) {
  std::vector<problem> out = check(w);
  const bool scale_ok = std::none_of(out.begin(), out.end(), [](const problem& p) { return p.where == "scale"; });
  detail::momentum_score_problems(scores, w, scale_ok, "", out);
  throw_if_problems("momentum reinforcement", std::move(out));
  return detail::momentum_weighted_share(scores, w);
}

ETHOS_DECL std::vector<double>
momentum_reinforcement_path(std::span<const std::array<std::optional<double>, vocabulary_size<building_block>>> periods,
                            const momentum_block_weights& w) {
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

ETHOS_DECL momentum_path simulate_momentum(const momentum_model& m, std::span<const double> reinforcement) {
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
ETHOS_DECL momentum_profile_value momentum_profile(std::span<const momentum_interval> iv, double lambda,
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
ETHOS_DECL std::vector<problem> momentum_fit_problems(std::span<const momentum_series> series,
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
ETHOS_DECL double momentum_refine(std::span<const momentum_interval> iv, double lo, double hi, bool fit_rho) noexcept {
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

// The intervals of every unit in fitting form (deviations from the baseline), in input order; `fit` gets the units,
// the interval count and one fitted-interval record per interval (levels still to be predicted).
ETHOS_DECL std::vector<momentum_interval> momentum_intervals(std::span<const momentum_series> series,
                                                             momentum_fit& fit) {
  fit.units = series.size();
  std::size_t count = 0;
  for (const auto& s : series) {
    count += s.waves.size() - 1;
  }
  std::vector<momentum_interval> iv;
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
  return iv;
}

// Deviations are scaled to at most 1 in size, so that squares cannot overflow and "flat" has a fixed meaning;
// rho and the sums of squares are scaled back at the end.
struct momentum_scaling {
  double scale = 0.0; // the largest deviation; 0 when every level is on its baseline
  double total = 0.0; // sum of the squared scaled deviations
};

ETHOS_DECL momentum_scaling momentum_scale(std::vector<momentum_interval>& iv) {
  momentum_scaling s;
  for (const auto& i : iv) {
    s.scale = std::max({s.scale, std::fabs(i.x), std::fabs(i.y)});
  }
  if (s.scale > 0.0) {
    for (auto& i : iv) {
      i.x /= s.scale;
      i.y /= s.scale;
      s.total += i.x * i.x + i.y * i.y;
    }
  }
  return s;
}

// The grid: lambda = 0, then 16 points a decade over 10 decades up to max_decay_rate, with the profile at each.
struct momentum_grid {
  static constexpr int decades = 10;
  static constexpr int per_decade = 16;
  static constexpr std::size_t size = decades * per_decade + 2;
  std::array<double, size> lambda{};
  std::array<momentum_profile_value, size> value{};
  double lowest = std::numeric_limits<double>::infinity(); // the lowest SSR on the grid
  double highest = 0.0;                                    // the highest
  std::size_t best = 0;                                    // where the lowest is
};

ETHOS_DECL momentum_grid momentum_scan(std::span<const momentum_interval> iv, double max_decay_rate, bool fit_rho) {
  momentum_grid g;
  constexpr std::size_t grid_size = momentum_grid::size;
  g.lambda[0] = 0.0;
  for (std::size_t j = 1; j < grid_size; ++j) {
    const double e = static_cast<double>(static_cast<int>(j) - 1 - momentum_grid::decades * momentum_grid::per_decade) /
                     momentum_grid::per_decade;
    g.lambda[j] = j + 1 == grid_size ? max_decay_rate : max_decay_rate * std::pow(10.0, e);
  }
  for (std::size_t j = 0; j < grid_size; ++j) {
    g.value[j] = momentum_profile(iv, g.lambda[j], fit_rho);
    if (g.value[j].ssr < g.lowest) {
      g.lowest = g.value[j].ssr;
      g.best = j;
    }
    g.highest = std::max(g.highest, g.value[j].ssr);
  }
  return g;
}

// The decay rate of least SSR. Candidates: the ends of the search where the profile still falls toward them, and
// each grid step where the slope turns from falling to rising (the lowest four by SSR, refined).
ETHOS_DECL double momentum_best_decay(std::span<const momentum_interval> iv, const momentum_grid& g, bool fit_rho) {
  constexpr std::size_t grid_size = momentum_grid::size;
  const auto& grid = g.lambda;
  const auto& value = g.value;
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
    candidates.push_back(momentum_refine(iv, grid[steps[c]], grid[steps[c] + 1], fit_rho));
  }
  double lambda = grid[g.best];
  double best_ssr = g.lowest; // the best grid point stays the answer if refining found nothing lower
  for (const double c : candidates) {
    const double s = momentum_profile(iv, c, fit_rho).ssr;
    if (s <= best_ssr) {
      best_ssr = s;
      lambda = c;
    }
  }
  return lambda;
}

// The rates of an identified fit at decay rate `lambda`, with the warnings about where the estimate sits.
ETHOS_DECL void momentum_set_rates(momentum_fit& fit, double lambda, const momentum_profile_value& at, double rho,
                                   double scale, double lowest_grid_rate, double max_decay_rate, bool fit_rho) {
  fit.decay_rate = lambda;
  if (lambda > 0.0 && std::isfinite(std::numbers::ln2 / lambda)) {
    fit.half_life = std::numbers::ln2 / lambda;
  }
  if (lambda <= lowest_grid_rate) {
    fit.no_decay_detected = true;
    fit.warnings.push_back({warning_code::model_note,
                            "No decay detected: the best fit has the lift not fading over the observed intervals "
                            "(decay rate " +
                                message_number(lambda) + " per period, at the lower end of the search)."});
  } else if (lambda >= max_decay_rate) {
    fit.decay_at_upper_limit = true;
    fit.warnings.push_back({warning_code::model_note,
                            "Decay faster than one period can resolve: the decay rate sits at the upper end of the "
                            "search (" +
                                message_number(max_decay_rate) +
                                " per period), so the lift is gone before the next wave; read the rate as a lower "
                                "bound."});
  }
  if (fit_rho) {
    fit.reinforcement_rate = rho;
    if (at.rho_free < 0.0) {
      fit.reinforcement_constrained = true;
      fit.warnings.push_back(
          {warning_code::model_note, "The unconstrained reinforcement rate would be negative (" +
                                         message_number(at.rho_free * scale) +
                                         "): levels fell more where reinforcement was higher. It is held at 0 and the "
                                         "decay rate fitted with no reinforcement effect."});
    }
  }
}

} // namespace detail

ETHOS_DECL momentum_fit fit_momentum(std::span<const momentum_series> series, const momentum_fit_options& opt) {
  throw_if_problems("momentum calibration", detail::momentum_fit_problems(series, opt));

  momentum_fit fit;
  std::vector<detail::momentum_interval> iv = detail::momentum_intervals(series, fit);
  const bool fit_rho = std::any_of(iv.begin(), iv.end(), [](const detail::momentum_interval& i) { return i.r > 0.0; });
  const detail::momentum_scaling scaling = detail::momentum_scale(iv);
  const double scale = scaling.scale;
  const detail::momentum_grid grid = detail::momentum_scan(iv, opt.max_decay_rate, fit_rho);

  // Why numbers are empty, each with its code; the fit's code is the first one's.
  std::vector<std::pair<reason_code, std::string>> reasons;
  double lambda = grid.lambda[grid.best];
  if (scale == 0.0 || !(grid.highest - grid.lowest > 1e-12 * scaling.total)) {
    // Every decay rate predicts the same, e.g. every level sits on its baseline: no estimate to give.
    reasons.emplace_back(reason_code::no_variance,
                         "every decay rate fits the waves equally well (for instance, every level is at its "
                         "baseline), so the decay rate cannot be estimated");
    if (fit_rho) {
      reasons.emplace_back(reason_code::depends_on_other,
                           "the reinforcement rate depends on the decay rate, so it cannot be estimated either");
    }
    fit.warnings.push_back(
        {warning_code::rates_not_estimated, "The waves do not show how fast the lift fades: no rates were estimated."});
  } else {
    lambda = detail::momentum_best_decay(iv, grid, fit_rho);
  }

  // Each interval's prediction at the estimate, scaled back.
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
    detail::momentum_set_rates(fit, lambda, at, rho, scale, grid.lambda[1], opt.max_decay_rate, fit_rho);
  }
  if (!fit_rho) {
    reasons.emplace_back(
        reason_code::no_variance,
        std::string("reinforcement is 0 in every interval, so the reinforcement rate cannot be estimated") +
            (identified ? "; the decay rate was fitted alone" : ""));
  }
  const std::size_t rates = fit_rho ? 2 : 1;
  if (fit.intervals > rates) {
    fit.residual_sd = std::sqrt(at.ssr / static_cast<double>(fit.intervals - rates)) * scale;
  } else {
    reasons.emplace_back(reason_code::too_few_cases,
                         std::to_string(fit.intervals) +
                             (fit.intervals == 1 ? " interval leaves" : " intervals leave") +
                             " no degrees of freedom for the residual SD");
  }
  for (const auto& [code, r] : reasons) {
    fit.code = fit.reason.empty() ? code : fit.code;
    fit.reason += (fit.reason.empty() ? "" : "; ") + r;
  }
  return fit;
}

} // namespace ethos
