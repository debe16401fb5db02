/// \file
/// \brief Results per organisation unit (a unit includes all its sub-units) and per unit x demographic cut, under
/// the minimum group size and with protection against differencing.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/figure.hpp>
#include <ethos/measure/instrument.hpp>
#include <ethos/measure/response_matrix.hpp>
#include <ethos/measure/scoring.hpp>
#include <ethos/org/disclosure.hpp>
#include <ethos/org/units.hpp>
#include <ethos/status.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ethos {

/// How to roll results up the unit tree.
struct rollup_options {
  std::size_t min_group_size = 5; ///< k: no shown figure, and no combination of shown figures, covers 1..k-1 people
  std::string cut{};              ///< metadata column of a demographic cut (e.g. "tenure"); empty: no cut
  /// Threads for the constructs, each worked out on its own (0: one per hardware thread). The result is the same
  /// whatever the number.
  std::size_t threads = 1;
};

/// One construct in one unit (or one unit x cut level). Who counts: the respondents with a score on the
/// construct. A cell that is not shown carries its count and status only.
/// 40 bytes: a report of 20,000 units and a cut holds 1.3 million of them.
struct unit_cell {
  std::uint32_t n = 0; ///< respondents with a score on the construct (a roll-up counts fewer than 2^32)
  suppression status = suppression::none;     ///< why no score is shown, if none is
  reason_code rwg_j_code = reason_code::none; ///< why rwg_j is empty in a shown cell, as a code
  figure mean;                                ///< mean person score
  figure sd;                                  ///< SD of person scores (n - 1)
  figure favorable;                           ///< favourable share of these respondents' keyed answers
  figure rwg_j;                               ///< agreement on the construct's items (listwise rows)
  /// True when the cell's figures are shown (`status` is `none`).
  [[nodiscard]] bool shown() const noexcept { return status == suppression::none; }
  /// Why rwg_j is empty in a shown cell, in words (agreement_reason of the code; "" when nothing is missing).
  [[nodiscard]] std::string_view rwg_j_reason() const noexcept;
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
  std::string key;   ///< the construct's key
  std::string label; ///< its display label
};

/// Results of a survey per unit of an organisation.
struct org_rollup {
  std::size_t min_group_size = 5;           ///< k, the minimum group size the roll-up was made under
  std::vector<rollup_construct> constructs; ///< in instrument order
  std::vector<unit_result> units;           ///< tree order: the organisation first, then depth first, children by id
  std::optional<cut_result> cut;            ///< with a cut: every unit by its levels
  std::vector<warning> warnings;            ///< for the reader of a report: a code and a plain sentence each
};

namespace detail {

// Respondents (sorted) of each unit's subtree among those with `keep`.
ETHOS_DECL std::vector<std::vector<std::uint32_t>> subtree_members(const unit_tree& tree, const unit_assignment& units,
                                                                   const std::vector<bool>& keep);

// Per unit, the classes (ascending) whose unit, `unit_of_class[class]`, lies in its subtree: each class joins its
// unit and every unit above it.
ETHOS_DECL std::vector<std::vector<std::uint32_t>> subtree_classes(const unit_tree& tree,
                                                                   std::span<const std::uint32_t> unit_of_class);

} // namespace detail

/// The disclosure cells a roll-up publishes for construct `c`: one per shown unit cell, then one per shown
/// cut cell, each with the respondents behind it (those with a score on the construct). Feed them to
/// disclosure_audit to check a report, as the tests do for every roll-up.
ETHOS_DECL std::vector<disclosure_cell> rollup_cells(const org_rollup& r, const response_matrix& m,
                                                     const scoring_result& scored, const unit_tree& tree,
                                                     const unit_assignment& units, std::size_t c);

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
ETHOS_DECL org_rollup roll_up(const instrument_view& inst, const response_matrix& m, const scoring_result& scored,
                              const unit_tree& tree, const unit_assignment& units, const rollup_options& opt = {});

/// Rows of a units x constructs heatmap: the units in tree order down to `max_depth` (0: the organisation
/// only), each with the construct means of shown cells; hidden cells carry no value.
struct rollup_heatmap_row {
  std::string label;                         ///< unit id ("Organisation" for the root)
  std::size_t depth = 0;                     ///< 0 for the organisation
  std::vector<std::optional<double>> values; ///< mean per construct; empty when hidden or without data
  std::vector<suppression> status;           ///< per construct
};

/// The heatmap table of a roll-up (units x constructs), ready for report/charts.hpp's rollup_heatmap.
ETHOS_DECL std::vector<rollup_heatmap_row> heatmap_rows(const org_rollup& r, std::size_t max_depth = 2);

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/org/impl/rollup.ipp>
#endif
