// ethos/org/impl/drivers.ipp: definitions of ethos/org/drivers.hpp (compiled into ethos::compiled, or included by
// the header in header-only mode).
#pragma once

#include <ethos/org/drivers.hpp>

#include <ethos/error.hpp>
#include <ethos/stats/drivers.hpp>
#include <ethos/stats/moments.hpp>

#include <cmath>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace ethos {

ETHOS_DECL void place_on_grid(driver_analysis& a) {
  const std::size_t k = a.drivers.size();
  bool every_share = k > 0;
  double share_sum = 0.0;
  double performance_sum = 0.0;
  std::size_t shares = 0;
  std::size_t performances = 0;
  a.importance_centre.reset();
  a.performance_centre.reset();
  for (auto& d : a.drivers) {
    d.quadrant.reset();
    if (d.share) {
      share_sum += *d.share;
      ++shares;
    } else {
      every_share = false;
    }
    if (d.performance) {
      performance_sum += *d.performance;
      ++performances;
    }
  }
  if (shares > 0) {
    a.importance_centre = share_sum / static_cast<double>(shares);
  }
  if (performances > 0) {
    a.performance_centre = performance_sum / static_cast<double>(performances);
  }
  if (!every_share) {
    if (a.reason.empty()) {
      a.reason = "not every predictor has a share of R^2, so no quadrants";
      a.code = reason_code::depends_on_other;
    }
    return;
  }
  for (auto& d : a.drivers) {
    if (!d.performance) {
      continue;
    }
    const bool important = *d.share >= *a.importance_centre;
    const bool performing = *d.performance >= *a.performance_centre;
    d.quadrant = important ? (performing ? driver_quadrant::strength : driver_quadrant::priority)
                           : (performing ? driver_quadrant::maintain : driver_quadrant::monitor);
  }
}

ETHOS_DECL void detail::check_driver_input(std::span<const driver_input> predictors, const driver_input& outcome,
                                           const driver_options& opt) {
  std::vector<problem> problems;
  if (opt.min_respondents < 3) {
    problems.push_back({"min_respondents", "is " + std::to_string(opt.min_respondents) + ", must be at least 3"});
  }
  if (outcome.key.empty()) {
    problems.push_back({"outcome", "the key is empty"});
  }
  const std::size_t rows = outcome.values.size();
  for (std::size_t j = 0; j < predictors.size(); ++j) {
    const auto& p = predictors[j];
    const std::string where = p.key.empty() ? "predictor #" + std::to_string(j + 1) : "predictor '" + p.key + "'";
    if (p.key.empty()) {
      problems.push_back({where, "the key is empty"});
    } else if (p.key == outcome.key) {
      problems.push_back({where, "has the same key as the outcome"});
    } else {
      for (std::size_t i = 0; i < j; ++i) {
        if (predictors[i].key == p.key) {
          problems.push_back({where, "the key is used by predictor #" + std::to_string(i + 1) + " too"});
          break;
        }
      }
    }
    if (p.values.size() != rows) {
      problems.push_back({where, "has " + std::to_string(p.values.size()) + " values but the outcome '" + outcome.key +
                                     "' has " + std::to_string(rows)});
    }
  }
  throw_if_problems("analyse_drivers", std::move(problems));
}

ETHOS_DECL driver_analysis detail::driver_analysis_of(std::span<const driver_input> predictors,
                                                      const driver_input& outcome, const key_driver_result& kd,
                                                      const driver_options& opt) {
  const std::size_t k = predictors.size();
  driver_analysis out;
  out.outcome = outcome.key;
  out.outcome_label = outcome.label;
  out.drivers.resize(k);
  for (std::size_t j = 0; j < k; ++j) {
    out.drivers[j].key = predictors[j].key;
    out.drivers[j].label = predictors[j].label;
  }
  out.n = kd.n;
  out.dropped = kd.dropped;
  if (out.n < opt.min_respondents) {
    out.reason =
        "fewer than " + std::to_string(opt.min_respondents) + " complete cases (has " + std::to_string(out.n) + ")";
    out.code = reason_code::too_few_cases;
    return out;
  }
  out.r_squared = kd.r_squared;
  out.reason = kd.reason;
  out.code = kd.code;
  for (std::size_t j = 0; j < k; ++j) {
    auto& d = out.drivers[j];
    d.r = kd.drivers[j].r;
    d.weight = kd.drivers[j].raw_weight;
    d.share = kd.drivers[j].rescaled_weight;
  }
  return out;
}

ETHOS_DECL driver_analysis analyse_drivers(std::span<const driver_input> predictors, const driver_input& outcome,
                                           const driver_options& opt) {
  detail::check_driver_input(predictors, outcome, opt);
  const std::size_t k = predictors.size();
  std::vector<std::span<const double>> columns;
  columns.reserve(k);
  for (const auto& p : predictors) {
    columns.push_back(p.values);
  }
  driver_analysis out = detail::driver_analysis_of(
      predictors, outcome, key_drivers(std::span<const std::span<const double>>(columns), outcome.values), opt);
  if (out.n < opt.min_respondents) {
    return out;
  }
  // Performance over exactly the rows the weights were computed on.
  const std::size_t rows = outcome.values.size();
  std::vector<running_moments> performance(k);
  for (std::size_t row = 0; row < rows; ++row) {
    bool complete = std::isfinite(outcome.values[row]);
    for (std::size_t j = 0; complete && j < k; ++j) {
      complete = std::isfinite(predictors[j].values[row]);
    }
    if (complete) {
      for (std::size_t j = 0; j < k; ++j) {
        performance[j].add(predictors[j].values[row]);
      }
    }
  }
  for (std::size_t j = 0; j < k; ++j) {
    out.drivers[j].performance = performance[j].mean();
  }
  place_on_grid(out);
  return out;
}

} // namespace ethos
