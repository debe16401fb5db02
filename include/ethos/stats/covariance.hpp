/// \file
/// \brief Exact, mergeable sums of answer columns over their complete rows, for covariance-based models (factor
/// analysis): the sample covariance of a million respondents costs one pass and a few hundred integers.
#pragma once

#include <ethos/detail/config.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace ethos {

/// Counts, sums and cross-products of k answer columns (bytes; 255 is a missing answer) over the rows where every
/// column has an answer, in 64-bit integers: merging is addition, so the covariance does not depend on how the
/// rows were split. Each column may be reverse-keyed on the scale [min, max] (min + max - x).
class covariance_accumulator {
 public:
  /// `columns` columns on the scale [min, max] (0 <= min < max <= 250), `reverse[i]` keying column i the other way
  /// round (empty: none).
  /// \throws ethos::error for no columns, a bad scale or a `reverse` of another size.
  covariance_accumulator(std::size_t columns, int min, int max, std::vector<bool> reverse = {});

  /// Adds `rows` rows; `columns[i][r]` is column i's answer in row r. Rows with a missing answer count in rows()
  /// only.
  /// \throws ethos::error when the number of columns differs or an answer is off the scale (naming the column and
  /// the row), before anything is added.
  void add(std::span<const std::uint8_t* const> columns, std::size_t rows);

  /// Adds `count` rows with the same keyed answers: `digits` one per column, 0 for a missing answer, else 1 + the
  /// keyed answer - min (the form of likert_accumulator::for_each_pattern).
  /// \throws ethos::error for a digit count other than columns() or a digit above the scale's points.
  void add_keyed(std::span<const std::uint8_t> digits, std::uint64_t count);

  /// Adds the sums of `other` (same columns, scale and keying).
  /// \throws ethos::error for accumulators of different designs.
  covariance_accumulator& merge(const covariance_accumulator& other);

  /// Rows added.
  [[nodiscard]] std::uint64_t rows() const noexcept { return rows_; }
  /// Rows with every column answered: the rows the covariance is over.
  [[nodiscard]] std::uint64_t complete() const noexcept { return n_; }
  /// Columns.
  [[nodiscard]] std::size_t columns() const noexcept { return k_; }

  /// The covariance matrix of the keyed columns over the complete rows (row-major k x k) with divisor N, as
  /// lavaan's sample covariance: each entry (N sum xy - sum x sum y) / N^2, the numerator exact in integers.
  /// Empty when no row is complete.
  [[nodiscard]] std::vector<double> covariance() const;

  /// The covariance matrix of a subset of the columns (`keep`, ascending), over the rows complete on every column.
  [[nodiscard]] std::vector<double> covariance(std::span<const std::size_t> keep) const;

  /// The means of the keyed columns over the complete rows (each exact sum divided once by N). Empty when no row
  /// is complete.
  [[nodiscard]] std::vector<double> means() const;

  /// Exact equality of every sum.
  friend bool operator==(const covariance_accumulator&, const covariance_accumulator&) = default;

 private:
  std::size_t k_;
  int min_;
  int max_;
  std::vector<bool> reverse_;
  std::uint64_t rows_ = 0;
  std::uint64_t n_ = 0;
  std::vector<std::uint64_t> sum_;   // per column
  std::vector<std::uint64_t> cross_; // i >= j: [i * (i + 1) / 2 + j]
};

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/stats/impl/covariance.ipp>
#endif
