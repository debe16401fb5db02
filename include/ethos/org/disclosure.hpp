/// \file
/// \brief Statistical disclosure control. Which published cells could let a reader work out the answers of fewer
/// than k people, the audit that proves a report free of such cells, and the suppression that makes it so (for
/// trees of units and for any family of cells).
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/framework/vocabulary.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace ethos {

/// The smallest minimum group size ethos accepts: below 3, a shown group of two people lets each of them
/// work out the other's answers.
inline constexpr std::size_t lowest_min_group_size = 3;

/// Why a cell (a group, a unit, a unit x cut cell, an internal-service pair) shows no score.
enum class suppression : unsigned char {
  none,      ///< shown
  too_small, ///< fewer respondents than the minimum group size
  secondary, ///< large enough, but hidden so that the small groups cannot be derived by subtraction
};

/// The vocabulary of `suppression`: for each value its key, display name and a sentence.
template <>
struct vocabulary_traits<suppression> {
  /// One entry per value, in declaration order.
  static constexpr std::array<vocabulary_entry<suppression>, 3> entries{{
      {suppression::none, "none", "Shown", "The group is large enough and its scores are shown."},
      {suppression::too_small, "too_small", "Too small",
       "The group has fewer respondents than the minimum group size, so none of its scores are shown."},
      {suppression::secondary, "secondary", "Hidden to protect others",
       "The group is large enough, but showing it would let a smaller hidden group be worked out by "
       "subtraction."},
  }};
};
static_assert(detail::vocabulary_table_is_valid<suppression>());

/// Why a figure is hidden, in the words every output of ethos uses for it (the JSON's reasons, the text report's
/// tables and legends, the charts, withheld driver analyses and trend cells): "fewer than k respondents" or "hidden
/// so that a smaller group cannot be derived by subtraction"; empty for a shown figure.
ETHOS_DECL std::string hidden_reason(suppression s, std::size_t k);

/// One published figure (or one candidate for publication) and who is behind it. `members` are element
/// ids: respondent rows, or rating rows when one person gives several ratings (see disclosure_options).
struct disclosure_cell {
  std::string label;                  ///< names the cell in findings, e.g. "unit 'Sales/EMEA', construct 'voice'"
  std::vector<std::uint32_t> members; ///< element ids behind the figure, sorted and without repeats
};

/// "No class": an element in none of the classes (release_space::class_of).
inline constexpr std::uint32_t no_class = ~std::uint32_t{0};

/// A family of cells given by classes of persons instead of the persons themselves: each person lies in exactly one
/// class, each cell holds whole classes, and only the number of persons in each class matters. Given so, the audit
/// and the suppression cost a function of the classes and cells, whatever the number of persons (a report's classes
/// are the combinations of group level, unit and cut level among the people with a score, a few per unit).
struct class_cells {
  std::vector<std::uint64_t> persons;            ///< persons in each class (a class of 0 persons is in no cell)
  std::vector<std::vector<std::uint32_t>> cells; ///< each cell's classes, sorted and without repeats
  std::vector<std::string> labels;               ///< each cell's name in findings (missing or empty: "cell #i")
};

/// The rule the audit and the suppression enforce.
struct disclosure_options {
  std::size_t min_group_size = 5; ///< k: no derivable set may hold 1..k-1 persons
  /// Person of each element id, when elements are not persons (e.g. one row per rating); empty: each element
  /// is its own person. A set of elements is as small as the number of distinct persons in it.
  std::span<const std::uint32_t> person_of{};
  std::uint64_t search_budget = 20'000'000; ///< steps for the search over unions of small atoms
  std::size_t max_findings = 25;            ///< the audit stops collecting findings after this many
};

/// The kinds of leak the audit looks for.
enum class disclosure_leak : unsigned char {
  small_cell,       ///< a shown cell with 1..k-1 persons
  small_difference, ///< two nested shown cells whose difference holds 1..k-1 persons
  derivable_set,    ///< a set of 1..k-1 persons whose total follows from a combination of shown cells
};

/// The vocabulary of `disclosure_leak`: for each value its key, display name and a sentence.
template <>
struct vocabulary_traits<disclosure_leak> {
  /// One entry per value, in declaration order.
  static constexpr std::array<vocabulary_entry<disclosure_leak>, 3> entries{{
      {disclosure_leak::small_cell, "small_cell", "Small cell",
       "A shown figure rests on fewer people than the minimum group size."},
      {disclosure_leak::small_difference, "small_difference", "Small difference",
       "One shown figure's people contain another's, and the people in one but not the other are fewer than "
       "the minimum group size: subtracting the two reveals them."},
      {disclosure_leak::derivable_set, "derivable_set", "Derivable small set",
       "Adding and subtracting several shown figures isolates the total of fewer people than the minimum group "
       "size."},
  }};
};
static_assert(detail::vocabulary_table_is_valid<disclosure_leak>());

/// One way a report exposes fewer than k persons.
struct disclosure_finding {
  disclosure_leak kind = disclosure_leak::small_cell; ///< how the persons are exposed
  std::vector<std::size_t> cells;                     ///< the shown cells used (indices into the audited cells)
  std::vector<std::uint32_t> persons;                 ///< the 1..k-1 persons exposed, sorted (empty over classes)
  std::size_t person_count = 0;                       ///< how many persons are exposed
  std::string message;                                ///< a sentence naming the cells and the number of persons
};

/// What `disclosure_audit` found.
struct disclosure_audit_result {
  bool passed = true;          ///< no finding
  bool complete = true;        ///< every candidate set was examined (false: the search budget ran out)
  std::size_t cells = 0;       ///< shown cells audited
  std::size_t atoms = 0;       ///< classes of elements that every shown cell either holds whole or not at all
  std::size_t small_atoms = 0; ///< atoms with 1..k-1 persons (the only possible parts of a leak)
  std::size_t rank = 0;        ///< rank of the cells x atoms matrix
  /// Dimension of the combinations of shown cells that touch small atoms only: 0 proves the report safe without
  /// any search; otherwise the exact search decides.
  std::size_t small_dimension = 0;
  std::vector<disclosure_finding> findings; ///< the leaks found (at most `max_findings`)
  /// True when the audit proved the report safe: no finding and nothing left unexamined.
  [[nodiscard]] bool safe() const noexcept { return passed && complete; }
};

namespace detail {

// Throws ethos::error naming `who` when k is below lowest_min_group_size.
ETHOS_DECL void check_min_group_size(std::size_t k, const char* who);

} // namespace detail

/// Proves that a finished report leaks nothing about fewer than k persons, or names how it does.
///
/// `shown` is the set of published cells with the elements behind each. The audit checks, exactly:
/// - no shown cell holds 1..k-1 persons;
/// - no two nested shown cells differ by 1..k-1 persons;
/// - no linear combination of shown cells, with any signs and coefficients, is supported on 1..k-1 persons
///   (for example group A minus unit A = one person's score minus another's: each of the two, knowing their own
///   answers, learns the other's). Every combination is constant on each atom (elements that lie in exactly the
///   same shown cells), so it can isolate fewer than k persons only through atoms of fewer than k persons. The
///   audit computes the combinations that touch such small atoms only (Gaussian elimination over the integers
///   modulo 2^61 - 1, with the large atoms eliminated first); when there are none the report is proven safe at
///   once, and otherwise an exact search over them finds every combination isolating fewer than k persons.
/// The search is exhaustive within `opt.search_budget` steps; `complete` is false if it ran out, and then
/// `safe()` is false too. A cell's figure may be a mean, share or count: what is protected is the set of people a
/// combination of cells isolates, whatever the statistic.
/// \throws ethos::error when k < 3 or a cell's members are not sorted and unique.
ETHOS_DECL disclosure_audit_result disclosure_audit(std::span<const disclosure_cell> shown,
                                                    const disclosure_options& opt = {});

/// The same audit over cells given by classes (every cell shown): findings count the persons they expose
/// (`person_count`) without naming them. `opt.person_of` does not apply.
/// \throws ethos::error when k < 3 or a cell's classes are not sorted and unique or name no class.
ETHOS_DECL disclosure_audit_result audit_class_cells(const class_cells& shown, const disclosure_options& opt = {});

/// True when the total of exactly the elements `members` (sorted, unique) follows from the shown cells by
/// some combination of sums and differences: what a reader could recover about a withheld cell.
ETHOS_DECL bool is_derivable(std::span<const disclosure_cell> shown, std::span<const std::uint32_t> members,
                             const disclosure_options& opt = {});

/// As above over classes: whether the total of exactly the classes `classes` (sorted) follows from the shown cells.
ETHOS_DECL bool class_cells_derivable(const class_cells& shown, std::span<const std::uint32_t> classes,
                                      const disclosure_options& opt = {});

/// Hides cells until no set of 1..k-1 persons can be derived from the shown ones.
///
/// `status` gives each cell's state on entry (cells already hidden stay hidden; `none` = candidate) and
/// receives the result: `too_small` for cells with 1..k-1 persons, `secondary` for cells hidden to protect
/// others. While a leak remains, one shown cell of the combination that produces it is hidden: the one with
/// the lowest `keep` value (cells the caller cares less about), then the fewest persons. Cells with
/// `fixed` set are never hidden by this function: the caller has already made them safe among themselves
/// (e.g. with protect_tree), so any leak involves a cell that is not fixed.
/// At the end, every `secondary` cell (hidden here or on entry) that the shown cells determine anyway is shown:
/// hiding it protects nobody, and a withheld figure is then never one a reader could compute. When the search budget
/// runs out, every shown cell that is not fixed is hidden (nothing is shown unproven); the return value is then false.
/// \throws ethos::error on size mismatches or k < 3.
ETHOS_DECL bool protect_cells(std::span<const disclosure_cell> cells, std::span<suppression> status,
                              std::span<const int> keep, std::span<const unsigned char> fixed,
                              const disclosure_options& opt = {});

/// The same suppression over cells given by classes: the same decisions as over the persons the classes count,
/// at a cost that depends on classes and cells only.
/// \throws ethos::error on size mismatches, k < 3, or a `person_of` map (classes count persons).
ETHOS_DECL bool protect_class_cells(const class_cells& cells, std::span<suppression> status, std::span<const int> keep,
                                    std::span<const unsigned char> fixed, const disclosure_options& opt = {});

/// Primary and secondary suppression in a tree of cells where each cell holds its children's elements plus
/// elements of its own (org units and their sub-units). For a laminar family like this the atoms are the
/// "residuals": the elements of a shown cell not inside any shown cell below it, and every combination of
/// shown cells is a sum of residuals. So the rule is: hide cells with 1..k-1 persons; then while some shown
/// cell's residual holds 1..k-1 persons, hide the smallest shown cell just below it whose own residual is not
/// empty (that residual joins; hiding a cell whose sub-units are all shown would add nobody).
/// At the end every residual is empty or holds k or more, which makes every derivable set hold 0 or >= k.
/// One pass over the units, children first, whatever the tree's shape or depth: O(n log^2 n) for n units.
///
/// `parent[u]` is u's parent (or a value >= parent.size() for roots); parents must precede children is NOT
/// required. `persons[u]` is the number of persons in u's subtree (u included); `status` as in protect_cells.
/// Counts suffice because in a tree each person lies in one chain of cells.
/// \throws ethos::error on size mismatches, a cycle, or a child with more persons than its parent.
ETHOS_DECL void protect_tree(std::span<const std::size_t> parent, std::span<const std::size_t> persons,
                             std::span<suppression> status, std::size_t min_group_size);

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/org/impl/disclosure.ipp>
#endif
