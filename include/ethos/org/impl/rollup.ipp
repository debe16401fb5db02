// ethos/org/impl/rollup.ipp: definitions of ethos/org/rollup.hpp (compiled into ethos::compiled, or included by
// the header in header-only mode).
#pragma once

#include <ethos/org/rollup.hpp>

#include <ethos/detail/buckets.hpp>
#include <ethos/detail/parallel.hpp>
#include <ethos/error.hpp>
#include <ethos/org/disclosure.hpp>
#include <ethos/stats/accumulator.hpp>
#include <ethos/stats/agreement.hpp>
#include <ethos/stats/moments.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ethos {

namespace detail {

// Per-construct inputs shared by the statistics and by the disclosure cells.
struct rollup_construct_data {
  std::vector<std::size_t> item_cols;
  std::vector<bool> reverse;
  std::span<const double> scores;
};

ETHOS_DECL rollup_construct_data construct_data(const instrument_view& inst, const response_matrix& m,
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

ETHOS_DECL void check_rollup_inputs(const response_matrix& m, const scoring_result& scored, const unit_tree& tree,
                                    const unit_assignment& units, const instrument_view& inst) {
  for (std::size_t u = 0; u < tree.size(); ++u) {
    if (tree[u].depth > max_unit_depth) {
      throw error("roll_up: unit '" + tree[u].id + "' lies " + std::to_string(tree[u].depth) +
                  " levels below the root; at most " + std::to_string(max_unit_depth) + " levels are supported");
    }
  }
  if (m.rows() > std::numeric_limits<std::uint32_t>::max()) {
    throw error("roll_up: " + std::to_string(m.rows()) + " respondents are more than a roll-up counts (2^32 - 1)");
  }
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
ETHOS_DECL std::vector<std::vector<std::uint32_t>> subtree_members(const unit_tree& tree, const unit_assignment& units,
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

ETHOS_DECL std::vector<std::vector<std::uint32_t>> subtree_classes(const unit_tree& tree,
                                                                   std::span<const std::uint32_t> unit_of_class) {
  std::vector<std::vector<std::uint32_t>> out(tree.size());
  for (std::uint32_t cl = 0; cl < unit_of_class.size(); ++cl) {
    for (std::size_t u = unit_of_class[cl]; u != unit_npos; u = tree[u].parent) {
      out[u].push_back(cl);
    }
  }
  return out;
}

ETHOS_DECL bool is_scored(double x) noexcept { return std::isfinite(x); }

// What every phase of roll_up shares: the tree as parent links and orders, the cut's levels, and where each unit
// and each cut cell sits in the result.
struct rollup_frame {
  std::size_t k = 5;                       // the minimum group size
  std::size_t nu = 0;                      // units
  std::size_t rows = 0;                    // respondents
  std::size_t nc = 0;                      // constructs
  std::vector<std::size_t> parent;         // per unit
  std::span<const std::size_t> order;      // the units in preorder
  std::vector<std::size_t> post;           // children before parents
  const group_column* gc = nullptr;        // the cut's column (null: no cut)
  std::vector<std::uint32_t> level_of;     // per row: its cut level (nl: none)
  std::vector<std::string> levels;         // the cut's non-empty levels, in byte order
  std::size_t nl = 0;                      // levels.size()
  std::vector<std::size_t> row_of_unit;    // per unit: its row in org_rollup::units
  std::vector<std::size_t> cut_cell_units; // per cut cell: unit, level
  std::vector<std::size_t> cut_cell_levels;
  buckets rows_by_group; // per statistics group (unit x (nl + 1) + level, level nl: none): its rows, ascending
};

// roll_up, first phase: the tree as parent links and orders, and the cut levels.
ETHOS_DECL rollup_frame rollup_frame_of(const instrument_view& inst, const response_matrix& m, const unit_tree& tree,
                                        const rollup_options& opt) {
  rollup_frame f;
  f.k = opt.min_group_size;
  f.nu = tree.size();
  f.rows = m.rows();
  f.nc = inst.constructs.size();
  const std::size_t nu = f.nu;
  const std::size_t rows = f.rows;
  f.parent.resize(nu);
  for (std::size_t u = 0; u < nu; ++u) {
    f.parent[u] = tree[u].parent;
  }
  f.order = tree.preorder();
  f.post.assign(f.order.rbegin(), f.order.rend()); // children before parents

  // Cut levels.
  const group_column*& gc = f.gc;
  std::vector<std::uint32_t>& level_of = f.level_of;
  level_of.assign(rows, 0);
  std::vector<std::string>& levels = f.levels;
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
  f.nl = levels.size();
  return f;
}

// roll_up: unit rows (counts, invited, participation), and the cut's own row.
ETHOS_DECL void rollup_unit_rows(org_rollup& out, const unit_tree& tree, const unit_assignment& units, rollup_frame& f,
                                 const rollup_options& opt) {
  const std::size_t nu = f.nu;
  const std::size_t rows = f.rows;
  const std::size_t nc = f.nc;
  const auto& parent = f.parent;
  const auto order = f.order;
  const auto& post = f.post;
  const group_column* gc = f.gc;
  const auto& level_of = f.level_of;
  const auto& levels = f.levels;
  const std::size_t nl = f.nl;
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
  std::vector<std::size_t>& row_of_unit = f.row_of_unit;
  row_of_unit.resize(nu);
  out.units.reserve(out.units.size() + order.size());
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
        out.warnings.push_back({warning_code::participation_not_shown,
                                "Unit '" + (ur.id.empty() ? ur.name : ur.id) + "' has " + std::to_string(total[u]) +
                                    " respondents but " + std::to_string(*ur.invited) +
                                    " invited; its participation rate is not shown."});
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
}

// roll_up: cut cells: every unit x level with respondents, in tree order; the same rows for every construct.
ETHOS_DECL void rollup_cut_cells(org_rollup& out, const unit_tree& tree, const unit_assignment& units, rollup_frame& f,
                                 std::size_t threads) {
  const std::size_t nu = f.nu;
  const std::size_t rows = f.rows;
  const std::size_t nc = f.nc;
  const auto& parent = f.parent;
  const auto order = f.order;
  const group_column* gc = f.gc;
  const auto& level_of = f.level_of;
  const auto& levels = f.levels;
  const std::size_t nl = f.nl;
  auto& cut_cell_units = f.cut_cell_units;
  auto& cut_cell_levels = f.cut_cell_levels;
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
        }
      }
    }
    // The rows in blocks on the threads: a cut of 20,000 teams has 80,000 rows of a cell per construct, and
    // making them is mostly the memory's first touch.
    auto& rows_out = out.cut->rows;
    rows_out.resize(cut_cell_units.size());
    constexpr std::size_t block = 4096;
    parallel_for((rows_out.size() + block - 1) / block, threads, [&](std::size_t b) {
      for (std::size_t i = b * block; i < std::min(rows_out.size(), (b + 1) * block); ++i) {
        auto& row = rows_out[i];
        const std::size_t u = cut_cell_units[i];
        const std::size_t l = cut_cell_levels[i];
        row.unit = tree[u].id;
        row.level = levels[l];
        row.respondents = any[u * nl + l];
        row.constructs.resize(nc);
      }
    });
  }
}

// roll_up, per distinct set of scored rows: the statuses of the units (protect_tree) and of the cut cells
// (protect_cells with the shown units fixed) for the scored rows `keep` with subtree counts `n`. Returns false when
// the cut's search ran out of its budget.
//
// The structure settles most units before the general search. The classes are the scored rows of one unit at one
// cut level (the unlabelled as a level of their own). Call a unit settled when it is shown, each of its own
// classes holds no one or k or more persons, and every sub-unit with scored rows is settled. Then every class of
// its subtree holds 0 or k or more, the unit's total and all its cut cells are shown (each is a sum of such
// classes), and the family splits at the unit: any cell outside the subtree meets the subtree in exactly the
// unit's total or one of its cut cells, so every combination of cells is a combination over the subtree plus one
// over the rest with the subtree's classes removed, each of which the shown cells determine on its own. A
// combination over the subtree is a union of whole classes there (k or more persons, or none), so only the rest
// can leak: the search runs over the units that are not settled, with the classes of settled subtrees left out,
// and what it hides lies there. On a survey of a thousand teams per department, that leaves the teams with a
// small class (and their departments) out of every hundred thousand cells.
ETHOS_DECL bool rollup_statuses(const unit_tree& tree, const unit_assignment& units, const rollup_frame& f,
                                const std::vector<bool>& keep, const std::vector<std::size_t>& n,
                                std::vector<suppression>& ustatus, std::vector<suppression>& cstatus) {
  const std::size_t k = f.k;
  const std::size_t nu = f.nu;
  const auto& parent = f.parent;
  const auto& level_of = f.level_of;
  const auto& levels = f.levels;
  const auto& cut_cell_units = f.cut_cell_units;
  const auto& cut_cell_levels = f.cut_cell_levels;
  bool proven = true;
  protect_tree(parent, n, ustatus, k);
  if (cut_cell_units.empty()) {
    return proven;
  }
  // Classes of scored rows, numbered in the order of their first row; (unit, level) pairs are few enough to index
  // directly.
  const std::size_t per_unit = f.nl + 1;
  std::vector<std::uint32_t> class_of_pair(nu * per_unit, no_class);
  std::vector<std::uint32_t> class_unit;
  std::vector<std::uint32_t> class_level;
  std::vector<std::uint64_t> class_size;
  for (std::size_t p = 0; p < keep.size(); ++p) {
    if (!keep[p]) {
      continue;
    }
    auto& cl = class_of_pair[units.unit_of[p] * per_unit + level_of[p]];
    if (cl == no_class) {
      cl = static_cast<std::uint32_t>(class_size.size());
      class_unit.push_back(static_cast<std::uint32_t>(units.unit_of[p]));
      class_level.push_back(level_of[p]);
      class_size.push_back(0);
    }
    ++class_size[cl];
  }
  // Settled units (see above), children before parents; and each unit's scored rows per level, sub-units included.
  std::vector<unsigned char> settled(nu, 0);
  std::vector<unsigned char> blocked(nu, 0); // a sub-unit with scored rows is not settled
  std::vector<std::uint64_t> level_n(nu * per_unit, 0);
  for (std::size_t cl = 0; cl < class_size.size(); ++cl) {
    level_n[class_unit[cl] * per_unit + class_level[cl]] = class_size[cl];
  }
  for (const auto u : f.post) {
    if (parent[u] != unit_npos) {
      for (std::size_t l = 0; l < per_unit; ++l) {
        level_n[parent[u] * per_unit + l] += level_n[u * per_unit + l];
      }
    }
    if (n[u] == 0) {
      continue;
    }
    bool ok = blocked[u] == 0 && ustatus[u] == suppression::none;
    for (std::size_t l = 0; l < per_unit && ok; ++l) {
      const auto cl = class_of_pair[u * per_unit + l];
      ok = cl == no_class || class_size[cl] >= k;
    }
    settled[u] = ok ? 1 : 0;
    if (!ok && parent[u] != unit_npos) {
      blocked[parent[u]] = 1;
    }
  }
  // The search hides deeper cells first: where a unit's cut cell at a level comes out small without its settled
  // sub-units, the search of the whole family would hide the smallest cut cell of a sub-unit at that level instead.
  // So for each unit not settled and each level, the settled sub-unit with the smallest (non-empty) cut cell there
  // joins the search; its own sub-units stay settled.
  std::vector<std::uint32_t> candidates;
  for (std::size_t u = 0; u < nu; ++u) {
    if (n[u] == 0 || settled[u] != 0) {
      continue;
    }
    for (std::size_t l = 0; l < f.nl; ++l) {
      std::size_t best = unit_npos;
      for (const std::size_t c : tree[u].children) { // in id order, which is preorder
        const std::uint64_t cnt = level_n[c * per_unit + l];
        if (settled[c] != 0 && cnt > 0 && (best == unit_npos || cnt < level_n[best * per_unit + l])) {
          best = c;
        }
      }
      if (best != unit_npos) {
        candidates.push_back(static_cast<std::uint32_t>(best));
      }
    }
  }
  for (const auto c : candidates) {
    settled[c] = 0;
  }
  // The rest: units not settled and their cut cells, over the classes of units not settled. A unit's cell holds
  // the classes of its subtree, a cut cell those of its level.
  class_cells cells;
  std::vector<std::uint32_t> unit_of_class;
  std::vector<std::uint32_t> level_of_class;
  for (std::size_t cl = 0; cl < class_size.size(); ++cl) {
    if (settled[class_unit[cl]] == 0) {
      unit_of_class.push_back(class_unit[cl]);
      level_of_class.push_back(class_level[cl]);
      cells.persons.push_back(class_size[cl]);
    }
  }
  const auto subtree = detail::subtree_classes(tree, unit_of_class);
  std::vector<suppression> st;
  std::vector<int> keep_rank;
  std::vector<unsigned char> fixed;
  // Units: shown ones are fixed (protect_tree made them safe among themselves); hidden ones go in too, so that one
  // the shown cells determine anyway is shown rather than withheld for nothing.
  std::vector<std::size_t> unit_cell(nu, static_cast<std::size_t>(-1));
  for (std::size_t u = 0; u < nu; ++u) {
    if (n[u] == 0 || settled[u] != 0) {
      continue;
    }
    unit_cell[u] = cells.cells.size();
    cells.cells.push_back(subtree[u]);
    cells.labels.push_back(tree[u].id);
    st.push_back(ustatus[u]);
    keep_rank.push_back(1'000'000);
    fixed.push_back(ustatus[u] == suppression::none ? 1 : 0);
  }
  std::vector<std::size_t> cut_cell(cut_cell_units.size(), static_cast<std::size_t>(-1));
  for (std::size_t i = 0; i < cut_cell_units.size(); ++i) {
    const std::size_t u = cut_cell_units[i];
    if (settled[u] != 0) {
      continue; // shown: k or more persons (a sum of classes of 0 or k or more) in a shown unit
    }
    std::vector<std::uint32_t> classes;
    for (const auto cl : subtree[u]) {
      if (level_of_class[cl] == cut_cell_levels[i]) {
        classes.push_back(cl);
      }
    }
    const std::uint64_t cnt = level_n[u * per_unit + cut_cell_levels[i]];
    cut_cell[i] = cells.cells.size();
    cells.cells.push_back(std::move(classes));
    cells.labels.push_back(tree[u].id + " x " + levels[cut_cell_levels[i]]);
    // Cells of hidden units stay hidden; deeper cells are hidden before broader ones.
    st.push_back(cnt > 0 && cnt < k                ? suppression::too_small
                 : ustatus[u] != suppression::none ? suppression::secondary
                                                   : suppression::none);
    keep_rank.push_back(-static_cast<int>(tree[u].depth));
    fixed.push_back(0);
  }
  if (!cells.cells.empty()) {
    disclosure_options dopt;
    dopt.min_group_size = k;
    proven = protect_class_cells(cells, st, keep_rank, fixed, dopt);
  }
  for (std::size_t i = 0; i < cut_cell_units.size(); ++i) {
    if (cut_cell[i] == static_cast<std::size_t>(-1)) {
      cstatus[i] = suppression::none;
      continue;
    }
    // Without the settled sub-units' classes a cell can be small, and the search then hides it as too small;
    // with its own count of k or more, it is hidden to protect others.
    const std::uint64_t cnt = level_n[cut_cell_units[i] * per_unit + cut_cell_levels[i]];
    const auto s = st[cut_cell[i]];
    cstatus[i] = s == suppression::too_small && cnt >= k ? suppression::secondary : s;
  }
  for (std::size_t u = 0; u < nu; ++u) {
    if (unit_cell[u] != static_cast<std::size_t>(-1)) {
      ustatus[u] = st[unit_cell[u]];
    }
  }
  return proven;
}

// Listwise counts per group in 32 bits ([(g * items + i) * points + v]), and each group's rows.
struct listwise_counts {
  std::vector<std::uint32_t> hist;
  std::vector<std::uint64_t> n;
};

// roll_up, per construct: the statistics of shown cells: moments and answer bands per unit (x level), rolled up;
// rwg(j) from rolled-up histograms.
ETHOS_DECL void rollup_statistics(org_rollup& out, std::size_t c, const instrument_view& inst, const response_matrix& m,
                                  const rollup_frame& f, const rollup_construct_data& d, const std::vector<bool>& keep,
                                  const std::vector<std::size_t>& n, const std::vector<std::size_t>& nul,
                                  const std::vector<suppression>& ustatus, const std::vector<suppression>& cstatus) {
  const std::size_t nu = f.nu;
  const auto& post = f.post;
  const auto& parent = f.parent;
  const std::size_t nl = f.nl;
  const auto& row_of_unit = f.row_of_unit;
  const auto& cut_cell_units = f.cut_cell_units;
  const auto& cut_cell_levels = f.cut_cell_levels;
  const std::size_t groups = nu * (nl + 1);
  std::vector<running_moments> mom(groups);
  std::vector<std::array<std::size_t, 3>> bands(groups, std::array<std::size_t, 3>{});
  const likert_config cfg(d.item_cols.size(), inst.scale.min(), inst.scale.max(), groups); // for agreement()
  std::vector<const std::uint8_t*> columns;
  for (const auto col : d.item_cols) {
    columns.push_back(m.column(col).data());
  }
  // Each item's band (as band_lane_table counters) and keyed digit (keyed answer - min) of every stored answer; no
  // band and 255 for the missing marker and anything off the scale.
  const std::size_t items = columns.size();
  const auto points = static_cast<std::size_t>(inst.scale.points());
  std::vector<std::array<std::uint64_t, 256>> lane_of(items);
  std::vector<std::array<std::uint8_t, 256>> digit_of(items);
  for (std::size_t j = 0; j < items; ++j) {
    lane_of[j] = band_lane_table(inst.scale, d.reverse[j]);
    digit_of[j].fill(255);
    for (int x = std::max(inst.scale.min(), 0); x <= std::min(inst.scale.max(), 254); ++x) {
      digit_of[j][static_cast<std::size_t>(x)] =
          static_cast<std::uint8_t>(inst.scale.key(x, d.reverse[j]) - inst.scale.min());
    }
  }
  // Listwise rows (every item answered; they all have a score) per group and their keyed answers, for rwg(j): what
  // likert_accumulator::groups() gives, counted here directly, in 32 bits (roll_up checks the rows fit).
  listwise_counts gm;
  gm.hist.assign(groups * items * points, 0);
  gm.n.assign(groups, 0);
  std::vector<std::uint8_t> digits(items);
  // Group by group (rows ascending within each, so every sum is added in row order as before): a group's counts
  // stay in cache while its rows are read, and the rows' reads are independent of each other.
  constexpr std::size_t ahead = 16; // rows of a group lie anywhere: ask for their answers early
  const std::size_t stride = items * points;
  const auto& by_group = f.rows_by_group.items;
  const std::size_t listed = by_group.size();
  for (std::size_t g = 0; g < groups; ++g) {
    const std::size_t end = f.rows_by_group.first[g + 1];
    running_moments mo;
    std::array<std::size_t, 3> b{};
    std::uint64_t complete_rows = 0;
    std::uint32_t* h = gm.hist.data() + g * stride;
    for (std::size_t i = f.rows_by_group.first[g]; i < end; ++i) {
      if (i + ahead < listed) {
        const std::size_t ra = by_group[i + ahead];
        __builtin_prefetch(d.scores.data() + ra);
        for (std::size_t j = 0; j < items; ++j) {
          __builtin_prefetch(columns[j] + ra);
        }
      }
      const std::size_t r = by_group[i];
      if (!keep[r]) {
        continue;
      }
      mo.add(d.scores[r]);
      bool complete = true;
      for (std::size_t j0 = 0; j0 < items; j0 += band_lane_answers) {
        std::uint64_t lanes = 0; // the row's bands counted in registers
        for (std::size_t j = j0; j < std::min(items, j0 + band_lane_answers); ++j) {
          const std::uint8_t x = columns[j][r];
          lanes += lane_of[j][x];
          digits[j] = digit_of[j][x];
          complete = complete && digits[j] != 255;
        }
        add_band_lanes(b, lanes);
      }
      if (complete) {
        ++complete_rows;
        for (std::size_t j = 0; j < items; ++j) {
          ++h[j * points + digits[j]];
        }
      }
    }
    mom[g] = mo;
    bands[g] = b;
    gm.n[g] = complete_rows;
  }
  // Group `from` of (mom, bands, gm) added into group `to` of (mo, ba, into): moments, favourability bands and
  // listwise histograms all sum.
  const auto add_group = [&](std::vector<running_moments>& mo, std::vector<std::array<std::size_t, 3>>& ba,
                             listwise_counts& into, std::size_t to, std::size_t from) {
    mo[to].merge(mom[from]);
    for (std::size_t b = 0; b < 3; ++b) {
      ba[to][b] += bands[from][b];
    }
    into.n[to] += gm.n[from];
    for (std::size_t i = 0; i < stride; ++i) {
      into.hist[to * stride + i] += gm.hist[from * stride + i];
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
  listwise_counts tot;
  tot.hist.assign(nu * stride, 0);
  tot.n.assign(nu, 0);
  std::vector<running_moments> umom(nu);
  std::vector<std::array<std::size_t, 3>> ubands(nu, std::array<std::size_t, 3>{});
  for (std::size_t u = 0; u < nu; ++u) {
    for (std::size_t l = 0; l <= nl; ++l) {
      add_group(umom, ubands, tot, u, u * (nl + 1) + l);
    }
  }
  // rwg(j) of the shown cells only, as agreement() gives it.
  const double ranvar = uniform_null_variance(points);
  const auto fill = [&](unit_cell& cell, const running_moments& mo, const std::array<std::size_t, 3>& b,
                        const listwise_counts& g, std::size_t group) {
    if (!cell.shown()) {
      return;
    }
    cell.mean = mo.mean();
    cell.sd = mo.sd();
    const std::size_t answers = b[0] + b[1] + b[2];
    if (answers > 0) {
      cell.favorable = static_cast<double>(b[2]) / static_cast<double>(answers);
    }
    const auto ag = rwg_j_of_counts(std::span<const std::uint32_t>(g.hist).subspan(group * stride, stride), g.n[group],
                                    points, cfg, ranvar);
    cell.rwg_j = ag.rwg_j;
    cell.rwg_j_code = ag.code;
  };
  for (std::size_t u = 0; u < nu; ++u) {
    auto& cell = out.units[row_of_unit[u]].constructs[c];
    cell.n = static_cast<std::uint32_t>(n[u]); // roll_up checks the rows fit
    cell.status = ustatus[u];
    fill(cell, umom[u], ubands[u], tot, u);
  }
  for (std::size_t i = 0; i < cut_cell_units.size(); ++i) {
    const std::size_t u = cut_cell_units[i];
    const std::size_t l = cut_cell_levels[i];
    auto& cell = out.cut->rows[i].constructs[c];
    cell.n = static_cast<std::uint32_t>(nul[u * nl + l]);
    cell.status = cstatus[i];
    const std::size_t g = u * (nl + 1) + l;
    fill(cell, mom[g], bands[g], gm, g);
  }
}

// roll_up, one construct's scored rows: who has a score, and the counts per unit subtree and per unit x level.
struct rollup_scored {
  std::vector<bool> keep;
  std::uint64_t hash = 0; // of keep: sets are compared only when their hashes agree
  std::vector<std::size_t> n;
  std::vector<std::size_t> nul;
};

ETHOS_DECL rollup_scored rollup_scored_rows(const rollup_construct_data& d, const unit_assignment& units,
                                            const rollup_frame& f) {
  const std::size_t nu = f.nu;
  const std::size_t rows = f.rows;
  const auto& parent = f.parent;
  const auto& level_of = f.level_of;
  const std::size_t nl = f.nl;
  rollup_scored out;
  out.keep.resize(rows);
  out.hash = rows;
  out.n.assign(nu, 0);
  out.nul.assign(nu * std::max<std::size_t>(nl, 1), 0);
  for (std::size_t r = 0; r < rows; ++r) {
    const bool kept = detail::is_scored(d.scores[r]);
    out.keep[r] = kept;
    if (!kept) {
      out.hash = (out.hash ^ r) * 0x100000001b3ULL;
      continue;
    }
    ++out.n[units.unit_of[r]];
    if (nl > 0 && level_of[r] < nl) {
      ++out.nul[units.unit_of[r] * nl + level_of[r]];
    }
  }
  for (const auto u : f.post) {
    if (parent[u] != unit_npos) {
      out.n[parent[u]] += out.n[u];
      for (std::size_t l = 0; l < nl; ++l) {
        out.nul[parent[u] * nl + l] += out.nul[u * nl + l];
      }
    }
  }
  return out;
}

// roll_up, last phase: the warnings.
ETHOS_DECL void rollup_warnings(org_rollup& out, const unit_assignment& units, std::size_t k) {
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
    out.warnings.push_back({warning_code::small_groups_hidden,
                            std::to_string(small) + (small == 1 ? " unit has" : " units have") + " fewer than " +
                                std::to_string(k) +
                                " respondents with a score on at least one construct; those scores are not shown."});
  }
  if (secondary > 0) {
    out.warnings.push_back({warning_code::hidden_by_subtraction,
                            std::to_string(secondary) + (secondary == 1 ? " unit has" : " units have") +
                                " scores hidden so that smaller units cannot be worked out by subtraction."});
  }
  if (out.cut && !out.cut->proven) {
    out.warnings.push_back({warning_code::search_budget_exhausted,
                            "The '" + out.cut->column +
                                "' cut was too large to prove safe within the search budget; its cells are hidden."});
  }
  if (units.at_root > 0) {
    out.warnings.push_back({warning_code::unlabelled_respondents,
                            std::to_string(units.at_root) +
                                " respondent(s) have no unit; they count in the organisation's results only."});
  }
}

} // namespace detail

ETHOS_DECL std::vector<disclosure_cell> rollup_cells(const org_rollup& r, const response_matrix& m,
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

ETHOS_DECL std::string_view unit_cell::rwg_j_reason() const noexcept { return agreement_reason(rwg_j_code); }

ETHOS_DECL org_rollup roll_up(const instrument_view& inst, const response_matrix& m, const scoring_result& scored,
                              const unit_tree& tree, const unit_assignment& units, const rollup_options& opt) {
  detail::check_min_group_size(opt.min_group_size, "roll_up");
  detail::check_rollup_inputs(m, scored, tree, units, inst);
  detail::rollup_frame f = detail::rollup_frame_of(inst, m, tree, opt);

  org_rollup out;
  out.min_group_size = f.k;
  for (const auto& cs : scored.constructs) {
    out.constructs.push_back({cs.key, cs.label});
  }
  detail::rollup_unit_rows(out, tree, units, f, opt);

  // Per construct, each on its own (on `opt.threads` threads): who has a score; the statuses, worked out once per
  // distinct set of scored rows; the statistics of the shown cells.
  detail::rollup_cut_cells(out, tree, units, f, opt.threads);
  // The rows in group order: the statistics read each group's rows together.
  f.rows_by_group = detail::bucket_by(f.nu * (f.nl + 1), f.rows,
                                      [&](std::size_t r) { return units.unit_of[r] * (f.nl + 1) + f.level_of[r]; });
  std::vector<detail::rollup_construct_data> data;
  for (std::size_t c = 0; c < f.nc; ++c) {
    data.push_back(detail::construct_data(inst, m, scored, c));
  }
  std::vector<detail::rollup_scored> sets(f.nc);
  detail::parallel_for(f.nc, opt.threads,
                       [&](std::size_t c) { sets[c] = detail::rollup_scored_rows(data[c], units, f); });
  std::vector<std::size_t> same_as(f.nc); // the first construct with the same scored rows
  std::vector<std::size_t> distinct;
  for (std::size_t c = 0; c < f.nc; ++c) {
    same_as[c] = c;
    for (const auto e : distinct) {
      if (sets[e].hash == sets[c].hash && sets[e].keep == sets[c].keep) {
        same_as[c] = e;
        break;
      }
    }
    if (same_as[c] == c) {
      distinct.push_back(c);
    }
  }
  std::vector<std::vector<suppression>> ustatus(f.nc);
  std::vector<std::vector<suppression>> cstatus(f.nc);
  std::vector<unsigned char> proven(f.nc, 1);
  detail::parallel_for(distinct.size(), opt.threads, [&](std::size_t i) {
    const std::size_t c = distinct[i];
    ustatus[c].assign(f.nu, suppression::none);
    cstatus[c].assign(f.cut_cell_units.size(), suppression::none);
    proven[c] = detail::rollup_statuses(tree, units, f, sets[c].keep, sets[c].n, ustatus[c], cstatus[c]) ? 1 : 0;
  });
  detail::parallel_for(f.nc, opt.threads, [&](std::size_t c) {
    const std::size_t e = same_as[c];
    detail::rollup_statistics(out, c, inst, m, f, data[c], sets[c].keep, sets[c].n, sets[c].nul, ustatus[e],
                              cstatus[e]);
  });
  if (out.cut && std::find(proven.begin(), proven.end(), 0) != proven.end()) {
    out.cut->proven = false;
  }

  detail::rollup_warnings(out, units, f.k);
  return out;
}

ETHOS_DECL std::vector<rollup_heatmap_row> heatmap_rows(const org_rollup& r, std::size_t max_depth) {
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
