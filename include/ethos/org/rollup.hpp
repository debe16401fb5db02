// ethos/org/rollup.hpp: results per organisation unit (a unit includes all its sub-units) and per unit x
// demographic cut, under the minimum group size and with protection against differencing.
#pragma once

#include <ethos/error.hpp>
#include <ethos/measure/instrument.hpp>
#include <ethos/measure/response_matrix.hpp>
#include <ethos/measure/scoring.hpp>
#include <ethos/org/assessment.hpp>
#include <ethos/org/disclosure.hpp>
#include <ethos/org/units.hpp>
#include <ethos/stats/accumulator.hpp>
#include <ethos/stats/agreement.hpp>
#include <ethos/stats/moments.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ethos {

/// How to roll results up the unit tree.
struct rollup_options {
  std::size_t min_group_size = 5; ///< k: no shown figure, and no combination of shown figures, covers 1..k-1 people
  std::string cut{};              ///< metadata column of a demographic cut (e.g. "tenure"); empty: no cut
};

/// One construct in one unit (or one unit x cut level). Who counts: the respondents with a score on the
/// construct. A cell that is not shown carries its count and status only.
struct unit_cell {
  std::size_t n = 0;                      ///< respondents with a score on the construct
  suppression status = suppression::none; ///< why no score is shown, if none is
  std::optional<double> mean;             ///< mean person score
  std::optional<double> sd;               ///< SD of person scores (n - 1)
  std::optional<double> favorable;        ///< favourable share of these respondents' keyed answers
  std::optional<double> rwg_j;            ///< agreement on the construct's items (listwise rows)
  std::string rwg_j_reason;               ///< why rwg_j is empty in a shown cell
  [[nodiscard]] bool shown() const noexcept { return status == suppression::none; }
};

/// One unit of the tree with everything below it.
struct unit_result {
  std::string id;                      ///< "" for the organisation
  std::string name;                    ///< display name
  std::string parent;                  ///< parent id ("" for top-level units and for the organisation)
  std::size_t depth = 0;               ///< 0 for the organisation
  std::size_t respondents = 0;         ///< in the unit and its sub-units
  std::size_t direct = 0;              ///< attached to the unit itself
  std::optional<std::size_t> invited;  ///< invited headcount (unit and sub-units), when known
  std::optional<double> participation; ///< respondents / invited, when known and not above 1
  std::vector<unit_cell> constructs;   ///< one per construct, in instrument order
};

/// One unit x level cell row of a demographic cut.
struct cut_row {
  std::string unit;                  ///< unit id
  std::string level;                 ///< the cut's level
  std::size_t respondents = 0;       ///< respondents of the unit (with sub-units) at this level
  std::vector<unit_cell> constructs; ///< one per construct
};

/// A demographic cut of every unit (e.g. unit x tenure band).
struct cut_result {
  std::string column;              ///< the metadata column
  std::vector<std::string> levels; ///< its non-empty levels, in byte order
  std::size_t unlabelled = 0;      ///< respondents without a level (they are in no cut cell)
  std::vector<cut_row> rows;       ///< units in tree order, levels in order; only cells with respondents
  bool proven = true;              ///< false when the leak search ran out of budget and all cut cells were hidden
};

/// Key and label of a construct in a roll-up.
struct rollup_construct {
  std::string key;
  std::string label;
};

/// Results of a survey per unit of an organisation.
struct org_rollup {
  std::size_t min_group_size = 5;
  std::vector<rollup_construct> constructs;
  std::vector<unit_result> units; ///< tree order: the organisation first, then depth first, children by id
  std::optional<cut_result> cut;
  std::vector<std::string> warnings;
};

namespace detail {

// Per-construct inputs shared by the statistics and by the disclosure cells.
struct rollup_construct_data {
  std::vector<std::size_t> item_cols;
  std::vector<bool> reverse;
  std::span<const double> scores;
};

inline rollup_construct_data construct_data(const instrument_view& inst, const response_matrix& m,
                                            const scoring_result& scored, std::size_t c) {
  rollup_construct_data d;
  for (const auto& it : inst.items) {
    if (it.construct == inst.constructs[c].key && it.format == response_format::likert) {
      d.item_cols.push_back(*m.column_of(it.id));
      d.reverse.push_back(it.reverse);
    }
  }
  d.scores = scored.persons.construct(c);
  return d;
}

inline void check_rollup_inputs(const response_matrix& m, const scoring_result& scored, const unit_tree& tree,
                                const unit_assignment& units, const instrument_view& inst) {
  if (units.unit_of.size() != m.rows()) {
    throw error("roll_up: the unit assignment has " + std::to_string(units.unit_of.size()) +
                " rows but the responses have " + std::to_string(m.rows()));
  }
  for (const auto u : units.unit_of) {
    if (u >= tree.size()) {
      throw error("roll_up: a respondent is assigned to unit #" + std::to_string(u) + ", but the tree has " +
                  std::to_string(tree.size()) + " units");
    }
  }
  if (scored.constructs.size() != inst.constructs.size() || scored.persons.rows() != m.rows()) {
    throw error("roll_up: the scores given are for " + std::to_string(scored.constructs.size()) + " constructs and " +
                std::to_string(scored.persons.rows()) + " respondents, not " + std::to_string(inst.constructs.size()) +
                " and " + std::to_string(m.rows()));
  }
}

// Respondents (sorted) of each unit's subtree among those with `keep`, optionally at one level.
inline std::vector<std::vector<std::uint32_t>> subtree_members(const unit_tree& tree, const unit_assignment& units,
                                                               const std::vector<bool>& keep) {
  std::vector<std::vector<std::uint32_t>> out(tree.size());
  for (std::size_t r = 0; r < units.unit_of.size(); ++r) {
    if (!keep[r]) {
      continue;
    }
    for (std::size_t u = units.unit_of[r]; u != unit_npos; u = tree[u].parent) {
      out[u].push_back(static_cast<std::uint32_t>(r));
    }
  }
  return out;
}

inline bool is_scored(double x) noexcept { return std::isfinite(x); }

} // namespace detail

/// The disclosure cells a roll-up publishes for construct `c`: one per shown unit cell, then one per shown
/// cut cell, each with the respondents behind it (those with a score on the construct). Feed them to
/// disclosure_audit to check a report, as the tests do for every roll-up.
inline std::vector<disclosure_cell> rollup_cells(const org_rollup& r, const response_matrix& m,
                                                 const scoring_result& scored, const unit_tree& tree,
                                                 const unit_assignment& units, std::size_t c) {
  std::vector<disclosure_cell> out;
  const auto scores = scored.persons.construct(c);
  std::vector<bool> keep(m.rows());
  for (std::size_t i = 0; i < m.rows(); ++i) {
    keep[i] = detail::is_scored(scores[i]);
  }
  auto members = detail::subtree_members(tree, units, keep);
  for (const auto& u : r.units) {
    const auto idx = tree.find(u.id);
    if (!idx) {
      throw error("rollup_cells: unit '" + u.id + "' is not in the tree");
    }
    if (u.constructs.at(c).shown()) {
      out.push_back({"unit '" + u.id + "'", members[*idx]});
    }
  }
  if (r.cut) {
    const group_column* gc = m.group(r.cut->column);
    if (gc == nullptr) {
      throw error("rollup_cells: no metadata column '" + r.cut->column + "'");
    }
    for (const auto& row : r.cut->rows) {
      if (!row.constructs.at(c).shown()) {
        continue;
      }
      const auto idx = *tree.find(row.unit);
      disclosure_cell cell{"unit '" + row.unit + "' x " + r.cut->column + " '" + row.level + "'", {}};
      for (const auto p : members[idx]) {
        if (gc->label(p) == row.level) {
          cell.members.push_back(p);
        }
      }
      out.push_back(std::move(cell));
    }
  }
  return out;
}

/// Rolls results up the unit tree: for every unit (with its sub-units) and construct the number of
/// respondents with a score, the mean and SD of their scores, the favourable share of their answers, rwg(j);
/// the participation rate where the tree knows invited headcounts; with `opt.cut`, the same per unit x level.
///
/// Anonymity, per construct (the people behind a construct's figures are those with a score on it, so a
/// missing answer cannot open a gap): units with 1..k-1 such people are hidden; then protect_tree hides
/// the smallest shown sub-unit while some shown unit's remainder (its people outside shown sub-units) holds
/// 1..k-1 people, which makes every sum or difference of shown units cover 0 or at least k people. Cut cells
/// of hidden units are hidden; the others go through protect_cells together with the shown units, which hides
/// cut cells until no combination of shown figures isolates 1..k-1 people.
///
///     auto [tree, units] = ethos::units_from_column(*m.group("team"));
///     auto r = ethos::roll_up(inst, m, ethos::score(inst, m), tree, units, {.min_group_size = 5, .cut = "tenure"});
inline org_rollup roll_up(const instrument_view& inst, const response_matrix& m, const scoring_result& scored,
                          const unit_tree& tree, const unit_assignment& units, const rollup_options& opt = {}) {
  detail::check_min_group_size(opt.min_group_size, "roll_up");
  detail::check_rollup_inputs(m, scored, tree, units, inst);
  const std::size_t k = opt.min_group_size;
  const std::size_t nu = tree.size();
  const std::size_t rows = m.rows();
  const std::size_t nc = inst.constructs.size();

  org_rollup out;
  out.min_group_size = k;
  for (const auto& cs : scored.constructs) {
    out.constructs.push_back({cs.key, cs.label});
  }
  std::vector<std::size_t> parent(nu);
  for (std::size_t u = 0; u < nu; ++u) {
    parent[u] = tree[u].parent;
  }
  const auto order = tree.preorder();
  std::vector<std::size_t> post(order.rbegin(), order.rend()); // children before parents

  // Cut levels.
  const group_column* gc = nullptr;
  std::vector<std::uint32_t> level_of(rows, 0);
  std::vector<std::string> levels;
  if (!opt.cut.empty()) {
    gc = m.group(opt.cut);
    if (gc == nullptr) {
      std::string known;
      for (const auto& g : m.groups()) {
        known += (known.empty() ? "" : ", ") + std::string("'") + g.name + "'";
      }
      throw error("roll_up: no metadata column '" + opt.cut +
                  "' to cut by (columns: " + (known.empty() ? std::string("none") : known) + ")");
    }
    for (const auto& l : gc->levels) {
      if (!l.empty()) {
        levels.push_back(l);
      }
    }
    std::sort(levels.begin(), levels.end());
    std::vector<std::uint32_t> map(gc->levels.size());
    for (std::size_t l = 0; l < gc->levels.size(); ++l) {
      const auto it = std::lower_bound(levels.begin(), levels.end(), gc->levels[l]);
      map[l] = gc->levels[l].empty() ? static_cast<std::uint32_t>(levels.size())
                                     : static_cast<std::uint32_t>(it - levels.begin());
    }
    for (std::size_t r = 0; r < rows; ++r) {
      level_of[r] = map[gc->codes[r]];
    }
  }
  const std::size_t nl = levels.size();

  // Unit rows: counts, invited, participation.
  std::vector<std::size_t> direct(nu, 0);
  for (const auto u : units.unit_of) {
    ++direct[u];
  }
  std::vector<std::size_t> total(direct);
  for (const auto u : post) {
    if (parent[u] != unit_npos) {
      total[parent[u]] += total[u];
    }
  }
  std::vector<std::size_t> row_of_unit(nu);
  for (const auto u : order) {
    row_of_unit[u] = out.units.size();
    unit_result ur;
    ur.id = tree[u].id;
    ur.name = tree[u].name;
    ur.parent = parent[u] == unit_npos ? std::string() : tree[parent[u]].id;
    ur.depth = tree[u].depth;
    ur.respondents = total[u];
    ur.direct = direct[u];
    ur.invited = tree.invited_total(u);
    if (ur.invited) {
      if (total[u] > *ur.invited) {
        out.warnings.push_back("Unit '" + (ur.id.empty() ? ur.name : ur.id) + "' has " + std::to_string(total[u]) +
                               " respondents but " + std::to_string(*ur.invited) +
                               " invited; its participation rate is not shown.");
      } else if (*ur.invited > 0) {
        ur.participation = static_cast<double>(total[u]) / static_cast<double>(*ur.invited);
      }
    }
    ur.constructs.resize(nc);
    out.units.push_back(std::move(ur));
  }
  if (gc != nullptr) {
    cut_result cr;
    cr.column = opt.cut;
    cr.levels = levels;
    for (std::size_t r = 0; r < rows; ++r) {
      cr.unlabelled += level_of[r] == nl ? 1U : 0U;
    }
    out.cut = std::move(cr);
  }

  // Per construct: statuses (cached when the scored sets repeat), then the statistics of shown cells.
  std::vector<std::vector<bool>> seen_keep;
  std::vector<std::vector<suppression>> seen_unit_status;
  std::vector<std::vector<suppression>> seen_cut_status;
  std::vector<std::size_t> cut_cell_units; // per cut cell: unit, level
  std::vector<std::size_t> cut_cell_levels;

  // Cut cells: every unit x level with respondents, in tree order; the same rows for every construct.
  if (gc != nullptr) {
    std::vector<std::size_t> any(nu * nl, 0);
    for (std::size_t r = 0; r < rows; ++r) {
      if (level_of[r] < nl) {
        for (std::size_t u = units.unit_of[r]; u != unit_npos; u = parent[u]) {
          ++any[u * nl + level_of[r]];
        }
      }
    }
    for (const auto u : order) {
      for (std::size_t l = 0; l < nl; ++l) {
        if (any[u * nl + l] > 0) {
          cut_cell_units.push_back(u);
          cut_cell_levels.push_back(l);
          cut_row row;
          row.unit = tree[u].id;
          row.level = levels[l];
          row.respondents = any[u * nl + l];
          row.constructs.resize(nc);
          out.cut->rows.push_back(std::move(row));
        }
      }
    }
  }

  for (std::size_t c = 0; c < nc; ++c) {
    const auto d = detail::construct_data(inst, m, scored, c);
    std::vector<bool> keep(rows);
    for (std::size_t r = 0; r < rows; ++r) {
      keep[r] = detail::is_scored(d.scores[r]);
    }
    // Scored counts per unit subtree and per unit x level.
    std::vector<std::size_t> n(nu, 0);
    std::vector<std::size_t> nul(nu * std::max<std::size_t>(nl, 1), 0);
    for (std::size_t r = 0; r < rows; ++r) {
      if (!keep[r]) {
        continue;
      }
      ++n[units.unit_of[r]];
      if (nl > 0 && level_of[r] < nl) {
        ++nul[units.unit_of[r] * nl + level_of[r]];
      }
    }
    for (const auto u : post) {
      if (parent[u] != unit_npos) {
        n[parent[u]] += n[u];
        for (std::size_t l = 0; l < nl; ++l) {
          nul[parent[u] * nl + l] += nul[u * nl + l];
        }
      }
    }

    std::vector<suppression> ustatus(nu, suppression::none);
    std::vector<suppression> cstatus(cut_cell_units.size(), suppression::none);
    const auto cached = std::find(seen_keep.begin(), seen_keep.end(), keep);
    if (cached != seen_keep.end()) {
      const auto i = static_cast<std::size_t>(cached - seen_keep.begin());
      ustatus = seen_unit_status[i];
      cstatus = seen_cut_status[i];
    } else {
      protect_tree(parent, n, ustatus, k);
      if (!cut_cell_units.empty()) {
        // Shown units (fixed) and every cut cell, with their scored members.
        const auto members = detail::subtree_members(tree, units, keep);
        std::vector<disclosure_cell> cells;
        std::vector<suppression> st;
        std::vector<int> keep_rank;
        std::vector<unsigned char> fixed;
        // Units: shown ones are fixed (protect_tree made them safe among themselves); hidden ones go in too, so
        // that one the shown cells determine anyway is shown rather than withheld for nothing.
        std::vector<std::size_t> unit_cell(nu, static_cast<std::size_t>(-1));
        for (std::size_t u = 0; u < nu; ++u) {
          if (n[u] == 0) {
            continue;
          }
          unit_cell[u] = cells.size();
          cells.push_back({tree[u].id, members[u]});
          st.push_back(ustatus[u]);
          keep_rank.push_back(1'000'000);
          fixed.push_back(ustatus[u] == suppression::none ? 1 : 0);
        }
        const std::size_t first_cut = cells.size();
        for (std::size_t i = 0; i < cut_cell_units.size(); ++i) {
          const std::size_t u = cut_cell_units[i];
          disclosure_cell cell{tree[u].id + " x " + levels[cut_cell_levels[i]], {}};
          for (const auto p : members[u]) {
            if (level_of[p] == cut_cell_levels[i]) {
              cell.members.push_back(p);
            }
          }
          const std::size_t cnt = cell.members.size();
          cells.push_back(std::move(cell));
          // Cells of hidden units stay hidden; deeper cells are hidden before broader ones.
          st.push_back(cnt > 0 && cnt < k                ? suppression::too_small
                       : ustatus[u] != suppression::none ? suppression::secondary
                                                         : suppression::none);
          keep_rank.push_back(-static_cast<int>(tree[u].depth));
          fixed.push_back(0);
        }
        disclosure_options dopt;
        dopt.min_group_size = k;
        const bool proven = protect_cells(cells, st, keep_rank, fixed, dopt);
        if (!proven) {
          out.cut->proven = false;
        }
        for (std::size_t i = 0; i < cut_cell_units.size(); ++i) {
          cstatus[i] = st[first_cut + i];
        }
        for (std::size_t u = 0; u < nu; ++u) {
          if (unit_cell[u] != static_cast<std::size_t>(-1)) {
            ustatus[u] = st[unit_cell[u]];
          }
        }
      }
      seen_keep.push_back(keep);
      seen_unit_status.push_back(ustatus);
      seen_cut_status.push_back(cstatus);
    }

    // Statistics: moments and answer bands per unit (x level), rolled up; rwg(j) from rolled-up histograms.
    const std::size_t groups = nu * (nl + 1);
    const auto group_of = [&](std::size_t r) { return units.unit_of[r] * (nl + 1) + level_of[r]; };
    std::vector<running_moments> mom(groups);
    std::vector<std::array<std::size_t, 3>> bands(groups, std::array<std::size_t, 3>{});
    likert_config cfg(d.item_cols.size(), inst.scale.min(), inst.scale.max(), groups);
    cfg.reverse = d.reverse;
    cfg.min_answered = scored.constructs[c].min_answered;
    std::vector<const std::uint8_t*> columns;
    for (const auto col : d.item_cols) {
      columns.push_back(m.column(col).data());
    }
    std::vector<std::uint32_t> codes(rows);
    for (std::size_t r = 0; r < rows; ++r) {
      codes[r] = static_cast<std::uint32_t>(group_of(r));
      if (!keep[r]) {
        continue;
      }
      mom[codes[r]].add(d.scores[r]);
      for (std::size_t j = 0; j < d.item_cols.size(); ++j) {
        const std::uint8_t x = m.column(d.item_cols[j])[r];
        if (x != response_matrix::missing) {
          ++bands[codes[r]][static_cast<std::size_t>(inst.scale.classify(inst.scale.key(x, d.reverse[j])))];
        }
      }
    }
    likert_accumulator acc(cfg);
    acc.add(columns, rows, codes);
    group_moments gm = acc.groups();
    // Group `from` of (mom, bands, gm) added into group `to` of (mo, ba, into): moments, favourability bands and
    // listwise histograms all sum.
    const std::size_t hist_cells = gm.items * gm.points;
    const auto add_group = [&](std::vector<running_moments>& mo, std::vector<std::array<std::size_t, 3>>& ba,
                               group_moments& into, std::size_t to, std::size_t from) {
      mo[to].merge(mom[from]);
      for (std::size_t b = 0; b < 3; ++b) {
        ba[to][b] += bands[from][b];
      }
      into.listwise_n[to] += gm.listwise_n[from];
      for (std::size_t i = 0; i < hist_cells; ++i) {
        into.listwise_hist[to * hist_cells + i] += gm.listwise_hist[from * hist_cells + i];
      }
    };
    // Roll up: (u, l) into (parent, l); the level nl row holds the unlabelled, so unit totals sum all levels.
    for (const auto u : post) {
      if (parent[u] == unit_npos) {
        continue;
      }
      for (std::size_t l = 0; l <= nl; ++l) {
        add_group(mom, bands, gm, parent[u] * (nl + 1) + l, u * (nl + 1) + l);
      }
    }
    // Unit totals: one more group per unit summing its levels.
    group_moments tot;
    tot.groups = nu;
    tot.items = gm.items;
    tot.points = gm.points;
    tot.listwise_hist.assign(nu * hist_cells, 0);
    tot.listwise_n.assign(nu, 0);
    std::vector<running_moments> umom(nu);
    std::vector<std::array<std::size_t, 3>> ubands(nu, std::array<std::size_t, 3>{});
    for (std::size_t u = 0; u < nu; ++u) {
      for (std::size_t l = 0; l <= nl; ++l) {
        add_group(umom, ubands, tot, u, u * (nl + 1) + l);
      }
    }
    const auto unit_agree = agreement(tot, cfg);
    const auto cell_agree = nl > 0 ? agreement(gm, cfg) : std::vector<group_agreement>{};
    const auto fill = [](unit_cell& cell, const running_moments& mo, const std::array<std::size_t, 3>& b,
                         const group_agreement& ag) {
      if (!cell.shown()) {
        return;
      }
      cell.mean = mo.mean();
      cell.sd = mo.sd();
      const std::size_t answers = b[0] + b[1] + b[2];
      if (answers > 0) {
        cell.favorable = static_cast<double>(b[2]) / static_cast<double>(answers);
      }
      cell.rwg_j = ag.rwg_j;
      cell.rwg_j_reason = ag.reason;
    };
    for (std::size_t u = 0; u < nu; ++u) {
      auto& cell = out.units[row_of_unit[u]].constructs[c];
      cell.n = n[u];
      cell.status = ustatus[u];
      fill(cell, umom[u], ubands[u], unit_agree[u]);
    }
    for (std::size_t i = 0; i < cut_cell_units.size(); ++i) {
      const std::size_t u = cut_cell_units[i];
      const std::size_t l = cut_cell_levels[i];
      auto& cell = out.cut->rows[i].constructs[c];
      cell.n = nul[u * nl + l];
      cell.status = cstatus[i];
      const std::size_t g = u * (nl + 1) + l;
      fill(cell, mom[g], bands[g], cell_agree[g]);
    }
  }

  // Warnings.
  std::size_t small = 0;
  std::size_t secondary = 0;
  for (const auto& u : out.units) {
    bool is_small = false;
    bool is_secondary = false;
    for (const auto& cell : u.constructs) {
      is_small = is_small || cell.status == suppression::too_small;
      is_secondary = is_secondary || cell.status == suppression::secondary;
    }
    small += is_small ? 1U : 0U;
    secondary += is_secondary ? 1U : 0U;
  }
  if (small > 0) {
    out.warnings.push_back(std::to_string(small) + (small == 1 ? " unit has" : " units have") + " fewer than " +
                           std::to_string(k) +
                           " respondents with a score on at least one construct; those scores are not shown.");
  }
  if (secondary > 0) {
    out.warnings.push_back(std::to_string(secondary) + (secondary == 1 ? " unit has" : " units have") +
                           " scores hidden so that smaller units cannot be worked out by subtraction.");
  }
  if (out.cut && !out.cut->proven) {
    out.warnings.push_back("The '" + out.cut->column +
                           "' cut was too large to prove safe within the search budget; its cells are hidden.");
  }
  if (units.at_root > 0) {
    out.warnings.push_back(std::to_string(units.at_root) +
                           " respondent(s) have no unit; they count in the organisation's results only.");
  }
  return out;
}

/// Rows of a units x constructs heatmap: the units in tree order down to `max_depth` (0: the organisation
/// only), each with the construct means of shown cells; hidden cells carry no value.
struct rollup_heatmap_row {
  std::string label; ///< unit id ("Organisation" for the root)
  std::size_t depth = 0;
  std::vector<std::optional<double>> values; ///< mean per construct; empty when hidden or without data
  std::vector<suppression> status;           ///< per construct
};

/// The heatmap table of a roll-up (units x constructs), ready for report/charts.hpp's rollup_heatmap.
inline std::vector<rollup_heatmap_row> heatmap_rows(const org_rollup& r, std::size_t max_depth = 2) {
  std::vector<rollup_heatmap_row> out;
  for (const auto& u : r.units) {
    if (u.depth > max_depth) {
      continue;
    }
    rollup_heatmap_row row;
    row.label = u.id.empty() ? u.name : u.id;
    row.depth = u.depth;
    for (const auto& cell : u.constructs) {
      row.values.push_back(cell.shown() ? cell.mean : std::nullopt);
      row.status.push_back(cell.status);
    }
    out.push_back(std::move(row));
  }
  return out;
}

} // namespace ethos
