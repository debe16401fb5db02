// ethos/org/impl/unit_drivers.ipp: definitions of ethos/org/unit_drivers.hpp (compiled into ethos::compiled, or
// included by the header in header-only mode).
#pragma once

#include <ethos/org/unit_drivers.hpp>

#include <ethos/detail/parallel.hpp>
#include <ethos/error.hpp>
#include <ethos/org/drivers.hpp>
#include <ethos/stats/drivers.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ethos {

ETHOS_DECL std::vector<unit_drivers> drivers_by_unit(const instrument_view& inst, const response_matrix& m,
                                                     const scoring_result& scored, const unit_tree& tree,
                                                     const unit_assignment& units, const org_rollup& r,
                                                     const unit_driver_options& opt) {
  const std::size_t rows = m.rows();
  std::vector<double> outcome(rows, std::numeric_limits<double>::quiet_NaN());
  std::optional<std::size_t> outcome_construct;
  std::string outcome_key = opt.outcome;
  std::string outcome_label;
  if (opt.outcome.empty()) {
    if (inst.nps_item.empty()) {
      throw error("drivers: no outcome given and the instrument has no NPS item");
    }
    const auto col = m.column_of(inst.nps_item);
    if (!col) {
      throw error("drivers: the NPS item '" + std::string(inst.nps_item) + "' has no column");
    }
    for (std::size_t i = 0; i < rows; ++i) {
      const auto x = m.column(*col)[i];
      if (x != response_matrix::missing) {
        outcome[i] = static_cast<double>(x);
      }
    }
    outcome_key = std::string(inst.nps_item);
    outcome_label = "likelihood to recommend (0-10)";
  } else {
    for (std::size_t c = 0; c < inst.constructs.size(); ++c) {
      if (inst.constructs[c].key == opt.outcome) {
        outcome_construct = c;
      }
    }
    if (!outcome_construct) {
      std::string known;
      for (const auto& c : inst.constructs) {
        known += (known.empty() ? "'" : ", '") + std::string(c.key) + "'";
      }
      throw error("drivers: outcome '" + opt.outcome + "' is not a construct (constructs: " + known + ")");
    }
    const auto s = scored.persons.construct(*outcome_construct);
    outcome.assign(s.begin(), s.end());
    outcome_label = scored.constructs[*outcome_construct].label;
  }
  std::vector<std::size_t> predictors;
  for (std::size_t c = 0; c < inst.constructs.size(); ++c) {
    if (!outcome_construct || c != *outcome_construct) {
      predictors.push_back(c);
    }
  }
  // The units analysed (in the roll-up's order) and, in one pass over the rows, the rows of each.
  std::vector<std::size_t> chosen;                                          // rows of r.units
  std::vector<std::size_t> slot(tree.size(), static_cast<std::size_t>(-1)); // per tree unit: its place in chosen
  for (std::size_t i = 0; i < r.units.size(); ++i) {
    const auto& u = r.units[i];
    if (u.depth > opt.max_depth || u.respondents < opt.analysis.min_respondents) {
      continue;
    }
    bool shown = true;
    for (const auto& cell : u.constructs) {
      shown = shown && cell.shown();
    }
    if (!shown) {
      continue;
    }
    const auto idx = tree.find(u.id);
    if (!idx) {
      throw error("drivers: unit '" + u.id + "' is not in the tree");
    }
    slot[*idx] = chosen.size();
    chosen.push_back(i);
  }
  if (units.unit_of.size() != rows) {
    throw error("drivers: the unit assignment has " + std::to_string(units.unit_of.size()) +
                " rows but the responses have " + std::to_string(rows));
  }
  for (std::size_t i = 0; i < rows; ++i) {
    if (units.unit_of[i] >= tree.size()) {
      throw error("drivers: row " + std::to_string(i + 1) + " is assigned to unit #" +
                  std::to_string(units.unit_of[i]) + ", but the tree has " + std::to_string(tree.size()) + " units");
    }
  }
  // The inputs' keys and labels, checked as analyse_drivers checks them (their values are read below).
  std::vector<driver_input> inputs;
  for (const auto p : predictors) {
    inputs.push_back({scored.constructs[p].key, scored.constructs[p].label, {}});
  }
  const driver_input out_in{outcome_key, outcome_label, {}};
  detail::check_driver_input(inputs, out_in, opt.analysis);

  // Per tree unit, the nearest analysed unit at or above it (its slot), and per slot the next one above: a row's
  // units are then a short chain, however deep the tree (each unit's answer is found once, walking up at most once).
  constexpr std::size_t none = static_cast<std::size_t>(-1);
  constexpr std::size_t unknown = static_cast<std::size_t>(-2);
  std::vector<std::size_t> up(tree.size(), unknown);
  std::vector<std::size_t> path;
  for (std::size_t v = 0; v < tree.size(); ++v) {
    std::size_t w = v;
    while (w != unit_npos && up[w] == unknown) {
      if (slot[w] != none) {
        up[w] = slot[w];
        break;
      }
      path.push_back(w);
      w = tree[w].parent;
    }
    const std::size_t found = w == unit_npos ? none : up[w];
    for (const auto x : path) {
      up[x] = found;
    }
    path.clear();
  }
  std::vector<std::size_t> next(chosen.size(), none);
  for (std::size_t v = 0; v < tree.size(); ++v) {
    if (slot[v] != none && tree[v].parent != unit_npos) {
      next[slot[v]] = up[tree[v].parent];
    }
  }

  // Column j is predictor j for j < k and the outcome for j == k; a row counts when all are finite (a complete case).
  const std::size_t k = predictors.size();
  const std::size_t width = k + 1;
  std::vector<const double*> column(width);
  for (std::size_t j = 0; j < k; ++j) {
    column[j] = scored.persons.construct(predictors[j]).data();
  }
  column[k] = outcome.data();
  std::vector<unsigned char> complete(rows, 0);
  for (std::size_t i = 0; i < rows; ++i) {
    bool all = true;
    for (std::size_t j = 0; j < width; ++j) {
      all = all && std::isfinite(column[j][i]);
    }
    complete[i] = all ? 1 : 0;
  }

  // The units are dealt to a few stripes of about equal rows (largest first, each to the lightest stripe). A stripe
  // reads every row once for its units' sums and once for their centred cross-products: each sum of a unit gets its
  // rows' terms in row order, as key_drivers over the unit's rows would add them, so the bits are the same on any
  // number of threads.
  const std::size_t stripes = detail::thread_count(opt.threads, chosen.size());
  std::vector<std::size_t> stripe_of(chosen.size(), 0);
  {
    std::vector<std::size_t> by_size(chosen.size());
    for (std::size_t s = 0; s < chosen.size(); ++s) {
      by_size[s] = s;
    }
    std::stable_sort(by_size.begin(), by_size.end(), [&](std::size_t x, std::size_t y) {
      return r.units[chosen[x]].respondents > r.units[chosen[y]].respondents;
    });
    std::vector<std::size_t> load(stripes, 0);
    for (const auto s : by_size) {
      const auto lightest = static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
      stripe_of[s] = lightest;
      load[lightest] += r.units[chosen[s]].respondents;
    }
  }
  std::vector<unit_drivers> out(chosen.size());
  detail::parallel_for(stripes, opt.threads, [&](std::size_t stripe) {
    std::vector<std::size_t> mine; // slots of this stripe, and each one's place in the stripe's sums
    std::vector<std::size_t> place(chosen.size(), none);
    for (std::size_t s = 0; s < chosen.size(); ++s) {
      if (stripe_of[s] == stripe) {
        place[s] = mine.size();
        mine.push_back(s);
      }
    }
    std::vector<std::size_t> assigned(mine.size(), 0); // rows in the unit and its sub-units
    std::vector<std::size_t> n(mine.size(), 0);        // complete cases among them
    std::vector<double> mean(mine.size() * width, 0.0);
    std::vector<double> cp(mine.size() * width * width, 0.0);
    for (std::size_t i = 0; i < rows; ++i) {
      for (std::size_t s = up[units.unit_of[i]]; s != none; s = next[s]) {
        const std::size_t at = place[s];
        if (at == none) {
          continue;
        }
        ++assigned[at];
        if (complete[i] == 0) {
          continue;
        }
        ++n[at];
        double* sum = mean.data() + at * width;
        for (std::size_t j = 0; j < width; ++j) {
          sum[j] += column[j][i];
        }
      }
    }
    for (std::size_t at = 0; at < mine.size(); ++at) {
      if (k > 0 && n[at] >= 2) {
        for (std::size_t j = 0; j < width; ++j) {
          mean[at * width + j] /= static_cast<double>(n[at]);
        }
      }
    }
    std::vector<double> centred(width);
    for (std::size_t i = 0; i < rows; ++i) {
      if (complete[i] == 0) {
        continue;
      }
      for (std::size_t s = up[units.unit_of[i]]; s != none; s = next[s]) {
        const std::size_t at = place[s];
        if (at == none || k == 0 || n[at] < 2) {
          continue;
        }
        const double* mu = mean.data() + at * width;
        for (std::size_t j = 0; j < width; ++j) {
          centred[j] = column[j][i] - mu[j];
        }
        detail::add_cross_products(cp.data() + at * width * width, centred.data(), width);
      }
    }
    for (std::size_t at = 0; at < mine.size(); ++at) {
      const std::size_t s = mine[at];
      const auto& u = r.units[chosen[s]];
      const auto kd = detail::key_drivers_of_cross_products(
          k, n[at], assigned[at], std::span<const double>(cp).subspan(at * width * width, width * width));
      auto analysis = detail::driver_analysis_of(inputs, out_in, kd, opt.analysis);
      if (analysis.n >= opt.analysis.min_respondents) {
        // Performance is the unit's published mean, for every predictor: a mean over the complete cases alone would
        // differ from it by the few people who skipped the outcome or a construct, and the two together would give
        // those people away.
        for (std::size_t p = 0; p < k; ++p) {
          analysis.drivers[p].performance = u.constructs[predictors[p]].mean;
        }
      }
      place_on_grid(analysis);
      out[s] = {u.id, std::move(analysis)};
    }
  });
  return out;
}

} // namespace ethos
