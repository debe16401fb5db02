/// \file
/// \brief Organisation units as a tree (built from path labels or a parent table) and respondents mapped onto it.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/detail/text.hpp>
#include <ethos/measure/response_matrix.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ethos {

/// The parent of the root: no unit.
inline constexpr std::size_t unit_npos = static_cast<std::size_t>(-1);

/// The deepest unit a roll-up (and so a report) takes: the root is at depth 0, so a tree may have this many levels
/// below it. Every respondent counts in each unit above them, so the work of a roll-up grows with depth times
/// respondents; organisations have a dozen levels or so, and a deeper tree is refused with the unit that is too deep
/// named rather than taking hours.
inline constexpr std::size_t max_unit_depth = 64;

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
    if (d <= 2 && d < (word.size() < c.size() ? word.size() : c.size()) &&
        (d < best_distance || (d == best_distance && c < *best))) {
      best = c;
      best_distance = d;
    }
  }
  return best ? std::optional<std::string>(*best) : std::nullopt;
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
  unit_tree();

  /// The units named by path labels: "A/B/C" makes A, A/B and A/B/C, whose ids are the paths so far and whose
  /// names are the components. Labels are used byte for byte (no trimming, case kept); an empty label belongs to
  /// the root and makes no unit; repeated labels are fine. A label with an empty component (a separator at
  /// either end, or two in a row) throws ethos::error naming it; the first such label in `labels` is reported.
  static unit_tree from_paths(std::span<const std::string> labels, char separator = '/');

  /// One row of a units table: a unit, the unit it belongs to ("" for none: it hangs under the root), and how
  /// many people were invited in it, sub-units included. `line` is where the row came from, for messages;
  /// 0 means its 1-based position among the rows.
  struct table_row {
    std::string unit;                                  ///< the unit's id
    std::string parent;                                ///< its parent's id ("": the root)
    std::optional<std::size_t> invited = std::nullopt; ///< people invited, sub-units included (if known)
    std::size_t line = 0;                              ///< where the row came from (0: its position)
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
  static unit_tree from_table(std::span<const table_row> rows, std::string_view source = "units");

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
  std::optional<std::size_t> find(std::string_view id) const;

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
  void check(std::size_t i) const;

  // Takes units whose parents are set (raw[0] the root, every unit leading to it), orders children by id,
  // renumbers everything in preorder and builds the lookups. Returns the new index of each raw index.
  std::vector<std::size_t> assemble(std::vector<org_unit> raw);

  // Fills totals_ bottom-up; returns a unit whose total does not fit, if any (it is then left empty).
  std::optional<std::size_t> compute_totals();

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
ETHOS_DECL unit_assignment assign_units(const unit_tree& tree, const group_column& column);

/// The tree that a group column's labels describe as paths (see unit_tree::from_paths), and each respondent's
/// place in it. A bad path throws ethos::error naming the column and the label.
///
///     auto [tree, where] = ethos::units_from_column(*matrix.group("unit"));
ETHOS_DECL std::pair<unit_tree, unit_assignment> units_from_column(const group_column& column, char separator = '/');

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/org/impl/units.ipp>
#endif
