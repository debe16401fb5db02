// ethos/org/organisation.hpp: the organisation layer in one include (units, roll-ups, disclosure control,
// internal service, drivers, trends), plus key-driver analysis per unit of a roll-up.
#pragma once

#include <ethos/error.hpp>
#include <ethos/measure/instrument.hpp>
#include <ethos/measure/response_matrix.hpp>
#include <ethos/measure/scoring.hpp>
#include <ethos/org/assessment.hpp>
#include <ethos/org/disclosure.hpp>
#include <ethos/org/drivers.hpp>
#include <ethos/org/internal_service.hpp>
#include <ethos/org/rollup.hpp>
#include <ethos/org/trend.hpp>
#include <ethos/org/units.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ethos {

/// Driver analysis of one unit ("" for the organisation).
struct unit_drivers {
  std::string unit;         ///< unit id
  driver_analysis analysis; ///< constructs as predictors of the outcome over the unit's respondents
};

/// What the drivers are analysed against, and where.
struct unit_driver_options {
  /// Outcome: a construct key, or empty for the instrument's NPS item (its 0-10 answer).
  std::string outcome;
  std::size_t max_depth = 1; ///< units down to this depth (0: the organisation only)
  driver_options analysis;   ///< min_respondents (30) and the rest
};

/// Key-driver analysis of every construct (except the outcome) against the outcome, for the organisation and
/// for each unit down to `opt.max_depth` that the roll-up shows on every construct and that has at least
/// `opt.analysis.min_respondents` respondents. Units hidden on any construct are left out: correlations over
/// a hidden unit would describe people the roll-up protects.
/// \throws ethos::error when the outcome is neither a construct key nor available as an NPS item.
inline std::vector<unit_drivers> drivers_by_unit(const instrument_view& inst, const response_matrix& m,
                                                 const scoring_result& scored, const unit_tree& tree,
                                                 const unit_assignment& units, const org_rollup& r,
                                                 const unit_driver_options& opt = {}) {
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
  std::vector<unit_drivers> out;
  for (const auto& u : r.units) {
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
    std::vector<std::vector<double>> cols(predictors.size());
    std::vector<double> y;
    for (std::size_t i = 0; i < rows; ++i) {
      if (!tree.contains(*idx, units.unit_of[i])) {
        continue;
      }
      y.push_back(outcome[i]);
      for (std::size_t p = 0; p < predictors.size(); ++p) {
        cols[p].push_back(scored.persons.construct(predictors[p])[i]);
      }
    }
    std::vector<driver_input> inputs;
    for (std::size_t p = 0; p < predictors.size(); ++p) {
      inputs.push_back({scored.constructs[predictors[p]].key, scored.constructs[predictors[p]].label, cols[p]});
    }
    const driver_input out_in{outcome_key, outcome_label, y};
    out.push_back({u.id, analyse_drivers(inputs, out_in, opt.analysis)});
  }
  return out;
}

/// Everything a report publishes about construct `c`, as disclosure cells: the overall figure, the shown groups
/// of the assessment (respondents of the group with a score on `c`) and, with a roll-up, its shown unit and cut
/// cells. Audit them together (disclosure_audit) before publishing: sections protected one at a time can still
/// leak together, e.g. groups by one column and units by another.
inline std::vector<disclosure_cell> published_cells(const assessment& a, const response_matrix& m,
                                                    const scoring_result& scored, std::size_t c,
                                                    const org_rollup* r = nullptr, const unit_tree* tree = nullptr,
                                                    const unit_assignment* units = nullptr) {
  if (c >= a.constructs.size() || c >= scored.constructs.size()) {
    throw error("published_cells: no construct #" + std::to_string(c));
  }
  std::vector<disclosure_cell> out;
  const auto scores = scored.persons.construct(c);
  if (a.constructs[c].summary.mean) {
    disclosure_cell all{"all respondents", {}};
    for (std::size_t i = 0; i < m.rows(); ++i) {
      if (std::isfinite(scores[i])) {
        all.members.push_back(static_cast<std::uint32_t>(i));
      }
    }
    out.push_back(std::move(all));
  }
  if (!a.group_by.empty()) {
    const group_column* gc = m.group(a.group_by);
    if (gc == nullptr) {
      throw error("published_cells: no metadata column '" + a.group_by + "'");
    }
    for (const auto& g : a.groups) {
      if (g.suppressed != suppression::none || g.constructs.at(c).status != suppression::none) {
        continue;
      }
      disclosure_cell cell{"group '" + g.id + "'", {}};
      for (std::size_t i = 0; i < m.rows(); ++i) {
        if (std::isfinite(scores[i]) && gc->label(i) == g.id) {
          cell.members.push_back(static_cast<std::uint32_t>(i));
        }
      }
      out.push_back(std::move(cell));
    }
  }
  if (r != nullptr) {
    if (tree == nullptr || units == nullptr) {
      throw error("published_cells: a roll-up needs its unit tree and assignment");
    }
    auto more = rollup_cells(*r, m, scored, *tree, *units, c);
    out.insert(out.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  }
  return out;
}

/// The group cells of `a` that must be hidden as well so that the groups and a roll-up published together leak
/// nothing: per construct, protect_cells over the overall figure, the roll-up's cells (fixed: already safe among
/// themselves) and the shown group cells (the candidates). Feed the result to assessment_options::hide and
/// assess again; repeat until it comes back empty (see ethos-assess).
inline std::vector<std::pair<std::string, std::string>> joint_group_hides(const assessment& a, const response_matrix& m,
                                                                          const scoring_result& scored,
                                                                          const org_rollup& r, const unit_tree& tree,
                                                                          const unit_assignment& units) {
  std::vector<std::pair<std::string, std::string>> out;
  if (a.group_by.empty()) {
    return out;
  }
  for (std::size_t c = 0; c < a.constructs.size(); ++c) {
    const auto groups_only = published_cells(a, m, scored, c);
    auto cells = published_cells(a, m, scored, c, &r, &tree, &units);
    std::vector<suppression> st(cells.size(), suppression::none);
    std::vector<int> keep(cells.size(), 1'000'000);
    std::vector<unsigned char> fixed(cells.size(), 1);
    // published_cells lists the overall figure first (when shown), then the groups, then the roll-up.
    const std::size_t first_group = a.constructs[c].summary.mean ? 1U : 0U;
    for (std::size_t i = first_group; i < groups_only.size(); ++i) {
      keep[i] = 0;
      fixed[i] = 0;
    }
    disclosure_options dopt;
    dopt.min_group_size = a.min_group_size;
    protect_cells(cells, st, keep, fixed, dopt);
    std::size_t i = first_group;
    for (const auto& g : a.groups) { // the same order as published_cells
      if (g.suppressed != suppression::none || g.constructs.at(c).status != suppression::none) {
        continue;
      }
      if (st[i++] != suppression::none) {
        out.emplace_back(a.constructs[c].summary.key, g.id);
      }
    }
  }
  return out;
}

} // namespace ethos
