/// \file
/// \brief Polychoric correlations of ordinal answers (two-step maximum likelihood, as psych 2.2.9's `polychoric`)
/// from exact, mergeable counts, and ordinal alpha: alpha computed from the polychoric correlation matrix.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/status.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ethos {

/// The polychoric correlation matrix of k items, as psych 2.2.9's `polychoric(x)` with its defaults.
struct polychoric_result {
  std::vector<double> rho;       ///< k x k row-major, 1 on the diagonal: the matrix psych returns (smoothed when
                                 ///< `smoothed`); NaN in the rows and columns of the items in `dropped`, and for a pair
                                 ///< that no row answers both (then nothing is smoothed)
  std::vector<double> estimates; ///< k x k: the pairs' two-step estimates before any smoothing
  std::vector<std::uint64_t> n;  ///< k x k: rows answering both items (diagonal: the item's answers)
  std::vector<std::vector<double>> thresholds; ///< per item, tau_c = Phi^-1(share of its answers <= c) for the
                                               ///< keyed categories c = min .. max - 1 (-inf / +inf where the
                                               ///< share is 0 / 1); empty for an item in `dropped`
  bool global = true;                          ///< every pair uses its items' thresholds (false: the items'
                                               ///< highest answers differ, so, as psych, each pair takes its
                                               ///< thresholds from its own table with empty cells corrected)
  std::uint64_t corrected_pairs = 0;           ///< pairs whose empty cells got the 0.5 correction (not `global`)
  bool smoothed = false;                       ///< not positive definite, smoothed as psych's `cor.smooth`
  std::vector<std::size_t> dropped;            ///< items with fewer than two categories answered, left out
  std::vector<std::string> item_reason;        ///< per item: why it has no correlations (empty when it has)
  std::string reason;                          ///< why there is no matrix at all (fewer than two usable items)
  reason_code code = reason_code::none;        ///< `reason` as a code
};

/// Ordinal alpha: coefficient alpha of a polychoric correlation matrix, psych's `alpha(polychoric(x)$rho)`
/// `$total$raw_alpha` = (1 - tr R / sum R) k / (k - 1), i.e. k rbar / (1 + (k - 1) rbar) for a correlation matrix.
struct ordinal_alpha_result {
  std::optional<double> alpha;          ///< ordinal alpha over the items not dropped; empty with a `reason`
  std::size_t items = 0;                ///< items it is over (the matrix's items less those dropped)
  std::string reason;                   ///< why `alpha` is empty
  reason_code code = reason_code::none; ///< `reason` as a code
};

/// A pair's log-likelihood L(rho) = sum_ab t_ab log P_ab(rho) under the thresholds and cell weights the
/// estimate uses (t: the counts, or the corrected counts), and its derivative, to check an estimate.
struct polychoric_pair_likelihood {
  double log_likelihood = 0; ///< L(rho) over the cells with t_ab > 0 and P_ab > 0
  double score = 0;          ///< dL/drho = sum_ab t_ab (dP_ab/drho) / P_ab
  double scale = 0;          ///< sum_ab |t_ab (dP_ab/drho) / P_ab|: the size of the score's terms
};

/// Per item, how many answers fell in each category, and per pair of items the K x K table of the rows that
/// answered both (K categories), in 64-bit integers: merging is addition. Answers are bytes, 255 is a missing
/// answer; each item may be reverse-keyed on [min, max] (min + max - x). A polychoric correlation needs only
/// these counts.
class polychoric_accumulator {
 public:
  /// `columns` items on the scale [min, max] (0 <= min < max <= 250, at most 20 categories), `reverse[i]` keying
  /// item i the other way round (empty: none).
  /// \throws ethos::error for no columns, a bad scale or a `reverse` of another size.
  polychoric_accumulator(std::size_t columns, int min, int max, std::vector<bool> reverse = {});

  /// Adds `rows` rows; `columns[i][r]` is item i's answer in row r.
  /// \throws ethos::error when the number of columns differs or an answer is off the scale (naming the column and
  /// the row), before anything is added.
  void add(std::span<const std::uint8_t* const> columns, std::size_t rows);

  /// Adds `count` rows with the same keyed answers: `digits` one per column, 0 for a missing answer, else 1 + the
  /// keyed category (the form of likert_accumulator::for_each_pattern).
  /// \throws ethos::error for a digit count other than columns() or a digit above the scale's points.
  void add_keyed(std::span<const std::uint8_t> digits, std::uint64_t count);

  /// Adds the counts of `other` (same columns, scale and keying).
  /// \throws ethos::error for accumulators of different designs.
  polychoric_accumulator& merge(const polychoric_accumulator& other);

  /// Rows added.
  [[nodiscard]] std::uint64_t rows() const noexcept { return rows_; }
  /// Items.
  [[nodiscard]] std::size_t columns() const noexcept { return k_; }
  /// Categories of the scale, max - min + 1.
  [[nodiscard]] std::size_t categories() const noexcept { return cats_; }
  /// Item i's answers per keyed category (min first).
  /// \throws ethos::error for an item out of range.
  [[nodiscard]] std::span<const std::uint64_t> counts(std::size_t i) const;
  /// The K x K table of items i != j, row-major: entry [a * K + b] counts the rows with item i in keyed
  /// category min + a and item j in min + b.
  /// \throws ethos::error for i == j or an item out of range.
  [[nodiscard]] std::vector<std::uint64_t> table(std::size_t i, std::size_t j) const;

  /// The polychoric correlation matrix, as psych 2.2.9's `polychoric(x)` (global = TRUE, correct = .5,
  /// smooth = TRUE): each item's thresholds from all its answers, then per pair the correlation that maximises
  /// the likelihood of the pair's table (rows answering both: pairwise deletion), solved to double precision.
  [[nodiscard]] polychoric_result polychoric() const;

  /// The log-likelihood of items i != j at `rho` and its derivative, as polychoric() maximises it (its
  /// thresholds, its cells); NaN when the pair has no estimate.
  /// \throws ethos::error for i == j or an item out of range.
  [[nodiscard]] polychoric_pair_likelihood pair_likelihood(std::size_t i, std::size_t j, double rho) const;

  /// Exact equality of every count.
  friend bool operator==(const polychoric_accumulator&, const polychoric_accumulator&) = default;

 private:
  std::size_t k_;
  int min_;
  int max_;
  std::size_t cats_;
  std::vector<bool> reverse_;
  std::uint64_t rows_ = 0;
  std::vector<std::uint64_t> counts_; // k x K
  std::vector<std::uint64_t> tables_; // pair i > j at (i (i - 1) / 2 + j) K^2, [a K + b]: a of item i, b of item j
};

/// Ordinal alpha of a polychoric matrix over its items not dropped: empty (with a reason) when the matrix is,
/// when a correlation is missing, or when fewer than two items are left.
ETHOS_DECL ordinal_alpha_result ordinal_alpha(const polychoric_result& r);

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/stats/impl/polychoric.ipp>
#endif
