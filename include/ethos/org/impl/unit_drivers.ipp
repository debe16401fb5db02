// ethos/org/impl/unit_drivers.ipp: definitions of ethos/org/unit_drivers.hpp (compiled into ethos::compiled, or
// included by the header in header-only mode).
#pragma once

#include <ethos/org/unit_drivers.hpp>

#include <ethos/detail/parallel.hpp>
#include <ethos/error.hpp>
#include <ethos/org/drivers.hpp>

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
  std::vector<std::vector<std::uint32_t>> rows_of(chosen.size());
  for (std::size_t i = 0; i < rows; ++i) {
    if (units.unit_of[i] >= tree.size()) {
      throw error("drivers: row " + std::to_string(i + 1) + " is assigned to unit #" +
                  std::to_string(units.unit_of[i]) + ", but the tree has " + std::to_string(tree.size()) + " units");
    }
    for (std::size_t v = units.unit_of[i]; v != unit_npos; v = tree[v].parent) {
      if (slot[v] != static_cast<std::size_t>(-1)) {
        rows_of[slot[v]].push_back(static_cast<std::uint32_t>(i));
      }
    }
  }
  std::vector<unit_drivers> out(chosen.size());
  detail::parallel_for(chosen.size(), opt.threads, [&](std::size_t s) {
    const auto& u = r.units[chosen[s]];
    // A unit of every row (the organisation) reads the columns as they are (its rows are all rows, in order); any
    // other gathers its rows' values.
    const bool every_row = rows_of[s].size() == rows;
    std::vector<std::vector<double>> cols(every_row ? 0 : predictors.size());
    std::vector<double> y;
    if (!every_row) {
      y.reserve(rows_of[s].size());
      for (const auto i : rows_of[s]) {
        y.push_back(outcome[i]);
      }
      for (std::size_t p = 0; p < predictors.size(); ++p) {
        const auto x = scored.persons.construct(predictors[p]);
        cols[p].reserve(rows_of[s].size());
        for (const auto i : rows_of[s]) {
          cols[p].push_back(x[i]);
        }
      }
    }
    std::vector<driver_input> inputs;
    for (std::size_t p = 0; p < predictors.size(); ++p) {
      inputs.push_back({scored.constructs[predictors[p]].key, scored.constructs[predictors[p]].label,
                        every_row ? scored.persons.construct(predictors[p]) : std::span<const double>(cols[p])});
    }
    const driver_input out_in{outcome_key, outcome_label, every_row ? std::span<const double>(outcome) : y};
    auto analysis = analyse_drivers(inputs, out_in, opt.analysis);
    if (analysis.r_squared || !analysis.reason.empty()) {
      // Performance is the unit's published mean: a mean over the complete cases alone would differ from it by the
      // few people who skipped the outcome or a construct, and the two together would give those people away.
      for (std::size_t p = 0; p < predictors.size(); ++p) {
        if (analysis.drivers[p].r) {
          analysis.drivers[p].performance = u.constructs[predictors[p]].mean;
        }
      }
      place_on_grid(analysis);
    }
    out[s] = {u.id, std::move(analysis)};
  });
  return out;
}

} // namespace ethos
