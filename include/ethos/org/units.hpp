// ethos/org/units.hpp: organisation units as a tree (built from path labels or a parent table) and respondents mapped
// onto it.
#pragma once

#include <ethos/detail/text.hpp>
#include <ethos/error.hpp>
#include <ethos/measure/response_matrix.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ethos {

/// The parent of the root: no unit.
inline constexpr std::size_t unit_npos = static_cast<std::size_t>(-1);

/// One unit of an organisation: a node of a unit_tree. Indices (`parent`, `children`) are positions in that tree.
struct org_unit {
  std::string id;                 ///< the full id: a path ("Sales/EMEA/Team 3") or a table's unit id; "" for the root
  std::string name;               ///< the last path component (or the table id); the root's is "Organisation"
  std::size_t parent = unit_npos; ///< unit_npos for the root
  std::vector<std::size_t> children;  ///< sorted by id, in byte order
  std::size_t depth = 0;              ///< the root is 0, its children 1, ...
  std::optional<std::size_t> invited; ///< headcount invited as given, sub-units included; empty when not given
};

namespace detail {

// The id a mistyped `word` most likely meant: one equal to it ignoring ASCII case, else the nearest within two
// edits. A guess must also take fewer edits than the shorter of the two has bytes, so that "IT" does not
// suggest "HR". Ties go to the id first in byte order; `skip` is never suggested.
template <class Ids>
std::optional<std::string> unit_suggestion(std::string_view word, const Ids& ids, std::string_view skip = {}) {
  std::optional<std::string_view> best;
  std::size_t best_distance = 3;
  for (const auto& candidate : ids) {
    const std::string_view c = candidate;
    if (c.empty() || c == word || c == skip) {
      continue;
    }
    const std::size_t d = edit_distance(word, c);
    if (d <= 2 && d < std::min(word.size(), c.size()) && (d < best_distance || (d == best_distance && c < *best))) {
      best = c;
      best_distance = d;
    }
  }
  return best ? std::optional<std::string>(*best) : std::nullopt;
}

// a + b, or nothing when the sum does not fit.
inline std::optional<std::size_t> checked_add(std::size_t a, std::size_t b) noexcept {
  if (b > std::numeric_limits<std::size_t>::max() - a) {
    return std::nullopt;
  }
  return a + b;
}

} // namespace detail

/// An organisation as a tree of units. The root (index 0, id "") is the whole organisation.
///
/// Units are numbered in preorder: the root first, then depth-first with children in id order. So a unit's
/// sub-units are exactly the indices after it up to subtree_end(u), and the numbering depends only on the
/// units, never on the order they were given in. A tree is immutable once built.
///
///     const std::vector<std::string> labels{"Sales/EMEA", "Sales/APAC", "HR"};
///     const auto tree = ethos::unit_tree::from_paths(labels);
///     // 0 "" (Organisation), 1 "HR", 2 "Sales", 3 "Sales/APAC", 4 "Sales/EMEA"
///     tree.contains(*tree.find("Sales"), *tree.find("Sales/EMEA")); // true
class unit_tree {
 public:
  /// The index of the root, the whole organisation.
  static constexpr std::size_t root = 0;

  /// A tree of the root alone.
  unit_tree() {
    std::vector<org_unit> raw(1);
    raw[0].name = "Organisation";
    assemble(std::move(raw));
  }

  /// The units named by path labels: "A/B/C" makes A, A/B and A/B/C, whose ids are the paths so far and whose
  /// names are the components. Labels are used byte for byte (no trimming, case kept); an empty label belongs to
  /// the root and makes no unit; repeated labels are fine. A label with an empty component (a separator at
  /// either end, or two in a row) throws ethos::error naming it; the first such label in `labels` is reported.
  static unit_tree from_paths(std::span<const std::string> labels, char separator = '/') {
    const std::string doubled{separator, separator};
    for (const std::string& label : labels) {
      if (label.empty()) {
        continue;
      }
      std::string why;
      if (label.front() == separator) {
        why = "it starts with " + detail::quote_unit(doubled.substr(1));
      } else if (label.back() == separator) {
        why = "it ends with " + detail::quote_unit(doubled.substr(1));
      } else if (label.find(doubled) != std::string::npos) {
        why = "it holds " + detail::quote_unit(doubled);
      }
      if (!why.empty()) {
        throw error("unit path " + detail::quote_unit(label) + " has an empty component (" + why + ")");
      }
    }

    // Respondents' labels repeat a lot: the distinct ones first, then every prefix of those.
    std::vector<std::string_view> distinct;
    distinct.reserve(labels.size());
    for (const std::string& label : labels) {
      if (!label.empty()) {
        distinct.emplace_back(label);
      }
    }
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    std::vector<std::string_view> ids;
    for (const std::string_view l : distinct) {
      for (std::size_t p = l.find(separator); p != std::string_view::npos; p = l.find(separator, p + 1)) {
        ids.push_back(l.substr(0, p));
      }
      ids.push_back(l);
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());

    std::vector<org_unit> raw(ids.size() + 1);
    raw[0].name = "Organisation";
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const std::string_view id = ids[i];
      const std::size_t cut = id.rfind(separator);
      org_unit& u = raw[i + 1];
      u.id = std::string(id);
      if (cut == std::string_view::npos) {
        u.name = u.id;
        u.parent = root;
      } else {
        u.name = std::string(id.substr(cut + 1));
        // Every prefix of a label was collected, so the parent is always there.
        const auto it = std::lower_bound(ids.begin(), ids.end(), id.substr(0, cut));
        u.parent = static_cast<std::size_t>(it - ids.begin()) + 1;
      }
    }
    unit_tree t;
    t.assemble(std::move(raw));
    return t;
  }

  /// One row of a units table: a unit, the unit it belongs to ("" for none: it hangs under the root), and how
  /// many people were invited in it, sub-units included. `line` is where the row came from, for messages;
  /// 0 means its 1-based position among the rows.
  struct table_row {
    std::string unit;
    std::string parent;
    std::optional<std::size_t> invited = std::nullopt;
    std::size_t line = 0;
  };

  /// The units of a parent table. Ids and names are the `unit` cells, byte for byte (no separator is looked
  /// for). The root's invited count is the sum of the top-level units' given counts when every top-level unit
  /// has one. A table that is not a tree throws ethos::error "<source>:<line>: <reason>". The first row (in row
  /// order) with a problem of its own is reported: an empty (or blank) unit id, a unit listed twice, a unit that
  /// is its own parent, a parent not listed (with a guess at the one meant). Then a cycle of parents, from its
  /// first unit; then the first invited count below what its sub-units invite (a sub-unit without a count stands
  /// for the counts given below it).
  ///
  ///     std::vector<ethos::unit_tree::table_row> rows{{"Sales", "", 40}, {"EMEA", "Sales", 25}};
  ///     const auto tree = ethos::unit_tree::from_table(rows, "units.csv");
  static unit_tree from_table(std::span<const table_row> rows, std::string_view source = "units") {
    const auto line_of = [&](std::size_t i) { return rows[i].line != 0 ? rows[i].line : i + 1; };
    const auto fail = [&](std::size_t i, const std::string& reason) {
      return error(std::string(source) + ":" + std::to_string(line_of(i)) + ": " + reason);
    };

    std::unordered_map<std::string_view, std::size_t> first; // unit id -> its first row
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (!detail::trim(rows[i].unit).empty()) {
        first.try_emplace(rows[i].unit, i);
      }
    }
    std::vector<org_unit> raw(rows.size() + 1);
    raw[0].name = "Organisation";
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const table_row& r = rows[i];
      const auto unit = [&] { return detail::quote_unit(r.unit); };
      if (r.unit.empty()) {
        throw fail(i, "empty unit id");
      }
      if (detail::trim(r.unit).empty()) {
        throw fail(i, "blank unit id " + unit());
      }
      if (const std::size_t f = first.at(r.unit); f != i) {
        throw fail(i, "unit " + unit() + " is listed twice, on lines " + std::to_string(line_of(f)) + " and " +
                          std::to_string(line_of(i)));
      }
      raw[i + 1].id = r.unit;
      raw[i + 1].name = r.unit;
      raw[i + 1].invited = r.invited;
      if (r.parent.empty()) {
        raw[i + 1].parent = root;
        continue;
      }
      if (r.parent == r.unit) {
        throw fail(i, "unit " + unit() + " is its own parent");
      }
      const auto p = first.find(r.parent);
      if (p == first.end()) {
        std::vector<std::string_view> ids;
        ids.reserve(first.size());
        for (const auto& [id, row] : first) {
          ids.push_back(id);
        }
        throw fail(i, "unit " + unit() + ": parent " + detail::quote_unit(r.parent) + " is not listed" +
                          detail::did_you_mean(detail::unit_suggestion(r.parent, ids, r.unit)));
      }
      raw[i + 1].parent = p->second + 1;
    }

    // Every parent exists, so a unit that does not lead to the root leads into a cycle. Walking up from each
    // row in turn finds the cycle reached from the earliest row; it is reported from its earliest member.
    enum : unsigned char { unseen, on_path, reaches_root };
    std::vector<unsigned char> state(raw.size(), unseen);
    state[root] = reaches_root;
    std::vector<std::size_t> path;
    for (std::size_t start = 1; start < raw.size(); ++start) {
      path.clear();
      std::size_t u = start;
      while (state[u] == unseen) {
        state[u] = on_path;
        path.push_back(u);
        u = raw[u].parent;
      }
      if (state[u] == on_path) {
        std::vector<std::size_t> cycle(std::find(path.begin(), path.end(), u), path.end());
        std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
        constexpr std::size_t shown = 10;
        std::string m = "cycle of parents: ";
        for (std::size_t k = 0; k < cycle.size() && k < shown; ++k) {
          m += detail::quote_unit(raw[cycle[k]].id) + " -> ";
        }
        m += cycle.size() > shown ? "... (" + std::to_string(cycle.size()) + " units)"
                                  : detail::quote_unit(raw[cycle[0]].id);
        throw fail(cycle[0] - 1, m);
      }
      for (const std::size_t v : path) {
        state[v] = reaches_root;
      }
    }

    unit_tree t;
    const std::vector<std::size_t> at = t.assemble(std::move(raw)); // raw index -> tree index
    const std::size_t n = t.units_.size();

    // What the sub-units of each unit invite at least: for each child its given count, or else what is known
    // below it. A sum past the largest size_t is kept as that largest value, with a flag.
    std::vector<std::size_t> below(n, 0);
    std::vector<std::size_t> at_least(n, 0);
    std::vector<bool> below_over(n, false);
    for (std::size_t u = n; u-- > 0;) {
      const org_unit& x = t.units_[u];
      for (const std::size_t c : x.children) {
        const auto sum = detail::checked_add(below[u], at_least[c]);
        below_over[u] = below_over[u] || !sum || (!t.units_[c].invited && below_over[c]);
        below[u] = sum.value_or(std::numeric_limits<std::size_t>::max());
      }
      at_least[u] = x.invited.value_or(below[u]);
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const std::size_t u = at[i + 1];
      const org_unit& x = t.units_[u];
      if (!x.invited || (*x.invited >= below[u] && !below_over[u])) {
        continue;
      }
      std::string m = "unit " + detail::quote_unit(x.id) + ": invited " + std::to_string(*x.invited) +
                      ", but its sub-units invited " + (below_over[u] ? "more than " : "") + std::to_string(below[u]) +
                      " (";
      constexpr std::size_t shown = 5;
      std::size_t listed = 0;
      for (const std::size_t c : x.children) {
        const org_unit& y = t.units_[c];
        if (!y.invited && at_least[c] == 0) {
          continue;
        }
        if (listed++ < shown) {
          m += (listed > 1 ? ", " : "") + detail::quote_unit(y.id) + (y.invited ? " " : " at least ") +
               std::to_string(at_least[c]);
        }
      }
      if (listed > shown) {
        m += " and " + std::to_string(listed - shown) + " more";
      }
      throw fail(i, m + ")");
    }

    const std::string too_many = " add up to more than " + std::to_string(std::numeric_limits<std::size_t>::max());
    const std::string top_too_many = std::string(source) + ": the invited counts of the top-level units" + too_many;
    org_unit& top = t.units_[root];
    if (!top.children.empty() && std::all_of(top.children.begin(), top.children.end(),
                                             [&](std::size_t c) { return t.units_[c].invited.has_value(); })) {
      std::optional<std::size_t> sum = 0;
      for (const std::size_t c : top.children) {
        sum = sum ? detail::checked_add(*sum, *t.units_[c].invited) : std::nullopt;
      }
      if (!sum) {
        throw error(top_too_many);
      }
      top.invited = sum;
    }
    if (const auto u = t.compute_totals()) {
      if (*u == root) {
        throw error(top_too_many);
      }
      const auto row = static_cast<std::size_t>(std::find(at.begin(), at.end(), *u) - at.begin()) - 1;
      throw fail(row, "the invited counts in the sub-units of " + detail::quote_unit(t.units_[*u].id) + too_many);
    }
    return t;
  }

  /// The number of units, the root included.
  std::size_t size() const noexcept { return units_.size(); }

  /// Unit `i`; an index past the end throws ethos::error.
  const org_unit& operator[](std::size_t i) const {
    check(i);
    return units_[i];
  }

  /// All units, in index order (preorder).
  std::span<const org_unit> units() const noexcept { return units_; }

  /// The unit with this id, if there is one (the root's id is ""). O(log n).
  std::optional<std::size_t> find(std::string_view id) const {
    const auto it = std::lower_bound(by_id_.begin(), by_id_.end(), id,
                                     [&](std::size_t u, std::string_view x) { return units_[u].id < x; });
    if (it != by_id_.end() && units_[*it].id == id) {
      return *it;
    }
    return std::nullopt;
  }

  /// True when `u` is `ancestor` or lies below it; false for an index out of range. O(1).
  bool contains(std::size_t ancestor, std::size_t u) const noexcept {
    return ancestor < units_.size() && u < units_.size() && ancestor <= u && u < end_[ancestor];
  }

  /// One past the last unit below `u`: `u` and its sub-units are the indices u .. subtree_end(u) - 1.
  std::size_t subtree_end(std::size_t u) const {
    check(u);
    return end_[u];
  }

  /// The units in preorder: the root, then depth-first with children in id order. As units are numbered in
  /// this order, it is 0, 1, ..., size() - 1; it is here for code that should not rely on that.
  std::span<const std::size_t> preorder() const noexcept { return preorder_; }

  /// How many people were invited in `u`, sub-units included: the given count, else the sum over its children
  /// when every child has such a total (recursively), else nothing (a unit without children and without a count
  /// has none). An index past the end throws ethos::error.
  std::optional<std::size_t> invited_total(std::size_t u) const {
    check(u);
    return totals_[u];
  }

 private:
  void check(std::size_t i) const {
    if (i >= units_.size()) {
      throw error("unit tree: no unit " + std::to_string(i) + " (the tree has " + std::to_string(units_.size()) +
                  (units_.size() == 1 ? " unit)" : " units)"));
    }
  }

  // Takes units whose parents are set (raw[0] the root, every unit leading to it), orders children by id,
  // renumbers everything in preorder and builds the lookups. Returns the new index of each raw index.
  std::vector<std::size_t> assemble(std::vector<org_unit> raw) {
    const std::size_t n = raw.size();
    for (std::size_t u = 1; u < n; ++u) {
      raw[raw[u].parent].children.push_back(u);
    }
    for (org_unit& u : raw) {
      std::sort(u.children.begin(), u.children.end(),
                [&](std::size_t a, std::size_t b) { return raw[a].id < raw[b].id; });
    }
    std::vector<std::size_t> at(n, unit_npos);
    std::vector<std::size_t> order;
    order.reserve(n);
    std::vector<std::size_t> stack{root};
    while (!stack.empty()) {
      const std::size_t u = stack.back();
      stack.pop_back();
      at[u] = order.size();
      order.push_back(u);
      stack.insert(stack.end(), raw[u].children.rbegin(), raw[u].children.rend());
    }
    if (order.size() != n) {
      throw error("unit tree: " + std::to_string(n - order.size()) + " units do not lead to the root");
    }

    units_.assign(n, {});
    for (std::size_t u = 0; u < n; ++u) {
      org_unit& x = units_[at[u]];
      x = std::move(raw[u]);
      if (x.parent != unit_npos) {
        x.parent = at[x.parent];
      }
      for (std::size_t& c : x.children) {
        c = at[c];
      }
    }
    units_[root].parent = unit_npos;
    end_.assign(n, 0);
    for (std::size_t u = n; u-- > 0;) {
      end_[u] = units_[u].children.empty() ? u + 1 : end_[units_[u].children.back()];
    }
    for (std::size_t u = 1; u < n; ++u) {
      units_[u].depth = units_[units_[u].parent].depth + 1;
    }
    preorder_.resize(n);
    by_id_.resize(n);
    for (std::size_t u = 0; u < n; ++u) {
      preorder_[u] = u;
      by_id_[u] = u;
    }
    std::sort(by_id_.begin(), by_id_.end(), [&](std::size_t a, std::size_t b) { return units_[a].id < units_[b].id; });
    compute_totals();
    return at;
  }

  // Fills totals_ bottom-up; returns a unit whose total does not fit, if any (it is then left empty).
  std::optional<std::size_t> compute_totals() {
    const std::size_t n = units_.size();
    totals_.assign(n, std::nullopt);
    std::optional<std::size_t> overflowed;
    for (std::size_t u = n; u-- > 0;) {
      const org_unit& x = units_[u];
      if (x.invited) {
        totals_[u] = x.invited;
        continue;
      }
      if (x.children.empty()) {
        continue;
      }
      std::optional<std::size_t> sum = 0;
      for (const std::size_t c : x.children) {
        if (!totals_[c]) {
          sum.reset();
          break;
        }
        const auto s = detail::checked_add(*sum, *totals_[c]);
        if (!s) {
          overflowed = overflowed.value_or(u);
          sum.reset();
          break;
        }
        sum = s;
      }
      totals_[u] = sum;
    }
    return overflowed;
  }

  std::vector<org_unit> units_;
  std::vector<std::size_t> end_;      // one past each unit's subtree
  std::vector<std::size_t> preorder_; // 0 .. n-1
  std::vector<std::size_t> by_id_;    // unit indices sorted by id
  std::vector<std::optional<std::size_t>> totals_;
};

/// Where each respondent of a group column sits in a unit_tree.
struct unit_assignment {
  std::vector<std::uint32_t> unit_of; ///< per respondent row: an index into the tree
  std::size_t at_root = 0;            ///< respondents with an empty label: they count in the organisation only
};

/// Maps each respondent's label in `column` to the unit with exactly that id; an empty label maps to the root.
/// Labels that are no unit's id throw ethos::error naming the column, how many such labels there are, and up to
/// five of them (most rows first) with their row counts and, where a unit id is close (equal ignoring case, or
/// within two edits), a guess. A row whose label code is out of range throws too.
///
///     const auto a = ethos::assign_units(tree, *matrix.group("team"));
///     // a.unit_of[r] is respondent r's unit
inline unit_assignment assign_units(const unit_tree& tree, const group_column& column) {
  const std::string where = "group column " + detail::quote_unit(column.name) + ": ";
  if (tree.size() - 1 > std::numeric_limits<std::uint32_t>::max()) {
    throw error(where + "the unit tree has too many units (" + std::to_string(tree.size()) + ")");
  }
  const std::size_t levels = column.levels.size();
  std::vector<std::size_t> rows_of(levels, 0);
  for (std::size_t r = 0; r < column.codes.size(); ++r) {
    const std::uint32_t code = column.codes[r];
    if (code >= levels) {
      throw error(where + "row " + std::to_string(r + 1) + " has label code " + std::to_string(code) +
                  ", but the column has " + std::to_string(levels) + (levels == 1 ? " label" : " labels"));
    }
    ++rows_of[code];
  }
  unit_assignment out;
  std::vector<std::uint32_t> unit_of_level(levels, 0);
  std::vector<std::size_t> unknown;
  for (std::size_t l = 0; l < levels; ++l) {
    const std::string& label = column.levels[l];
    if (label.empty()) {
      out.at_root += rows_of[l];
    } else if (const auto u = tree.find(label)) {
      unit_of_level[l] = static_cast<std::uint32_t>(*u);
    } else if (rows_of[l] > 0) {
      unknown.push_back(l);
    }
  }
  if (!unknown.empty()) {
    std::stable_sort(unknown.begin(), unknown.end(),
                     [&](std::size_t a, std::size_t b) { return rows_of[a] > rows_of[b]; });
    std::vector<std::string_view> ids;
    ids.reserve(tree.size());
    for (const org_unit& u : tree.units()) {
      ids.push_back(u.id);
    }
    std::string m = where + std::to_string(unknown.size()) +
                    (unknown.size() == 1 ? " label is not a unit id: " : " labels are not unit ids: ");
    constexpr std::size_t shown = 5;
    for (std::size_t k = 0; k < unknown.size() && k < shown; ++k) {
      const std::string& label = column.levels[unknown[k]];
      const std::size_t n = rows_of[unknown[k]];
      const auto guess = detail::unit_suggestion(label, ids);
      m += (k > 0 ? ", " : "") + detail::quote_unit(label) + " (" + std::to_string(n) + (n == 1 ? " row" : " rows") +
           (guess ? "; did you mean " + detail::quote_unit(*guess) + "?)" : ")");
    }
    if (unknown.size() > shown) {
      m += " and " + std::to_string(unknown.size() - shown) + " more";
    }
    throw error(m);
  }
  out.unit_of.resize(column.codes.size());
  for (std::size_t r = 0; r < column.codes.size(); ++r) {
    out.unit_of[r] = unit_of_level[column.codes[r]];
  }
  return out;
}

/// The tree that a group column's labels describe as paths (see unit_tree::from_paths), and each respondent's
/// place in it. A bad path throws ethos::error naming the column and the label.
///
///     auto [tree, where] = ethos::units_from_column(*matrix.group("unit"));
inline std::pair<unit_tree, unit_assignment> units_from_column(const group_column& column, char separator = '/') {
  unit_tree tree;
  try {
    tree = unit_tree::from_paths(column.levels, separator);
  } catch (const error& e) {
    throw error("group column " + detail::quote_unit(column.name) + ": " + e.what());
  }
  unit_assignment a = assign_units(tree, column);
  return {std::move(tree), std::move(a)};
}

} // namespace ethos
