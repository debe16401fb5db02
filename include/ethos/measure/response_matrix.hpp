/// \file
/// \brief Column-major survey answers (one byte each) with respondent metadata.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/detail/hash_slots.hpp>
#include <ethos/error.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ethos {

/// A dictionary-encoded metadata column (team, department, tenure band ...): one code per respondent
/// indexing `levels`, in order of first appearance.
struct group_column {
  std::string name;                 ///< the column's name, e.g. "team"
  std::vector<std::string> levels;  ///< the distinct labels, in order of first appearance
  std::vector<std::uint32_t> codes; ///< per respondent, an index into `levels`

  /// The label of respondent `row`.
  const std::string& label(std::size_t row) const { return levels[codes[row]]; }
};

/// Survey answers: one column per item, one byte per answer, `missing` for no answer; plus each respondent's
/// id, group labels and survey wave. Columns are contiguous, so statistics stream over them.
/// Rows are appended with `append_row`, which stores what it is given; validation is the builders' job.
class response_matrix {
 public:
  /// The byte that marks a missing answer.
  static constexpr std::uint8_t missing = 0xFF;

  response_matrix() = default;
  /// An empty matrix with these item columns and these metadata columns.
  explicit response_matrix(std::vector<std::string> item_ids, std::vector<std::string> group_columns = {});

  /// Number of respondents.
  std::size_t rows() const noexcept { return ids_.size(); }
  /// Number of item columns.
  std::size_t columns() const noexcept { return item_ids_.size(); }

  /// The answers to item column `j`, one per respondent.
  std::span<const std::uint8_t> column(std::size_t j) const noexcept { return columns_[j]; }
  /// The answer of respondent `row` to item column `j` (`missing` for none).
  std::uint8_t at(std::size_t row, std::size_t j) const noexcept { return columns_[j][row]; }
  /// True when respondent `row` did not answer item column `j`.
  bool is_missing(std::size_t row, std::size_t j) const noexcept { return columns_[j][row] == missing; }

  /// The item id of each column, in column order.
  const std::vector<std::string>& item_ids() const noexcept { return item_ids_; }
  /// The column of an item id, if the matrix has it.
  std::optional<std::size_t> column_of(std::string_view item_id) const;

  /// Each respondent's id, in row order.
  const std::vector<std::string>& respondent_ids() const noexcept { return ids_; }
  /// Each respondent's survey wave, in row order.
  const std::vector<int>& waves() const noexcept { return waves_; }
  /// The metadata columns.
  const std::vector<group_column>& groups() const noexcept { return groups_; }
  /// The metadata column called `name`, if there is one.
  const group_column* group(std::string_view name) const noexcept;

  /// Reserves room for `n` respondents in every column.
  void reserve(std::size_t n);

  /// Appends one respondent. `answers` holds one byte per item column (`missing` for none) and `group_labels`
  /// one label per metadata column; a size mismatch throws ethos::error.
  void append_row(std::string_view respondent_id, std::span<const std::string_view> group_labels, int wave,
                  std::span<const std::uint8_t> answers);

 private:
  std::vector<std::string> item_ids_;
  detail::hash_slots index_; // item column by id
  std::vector<std::vector<std::uint8_t>> columns_;
  std::vector<group_column> groups_;
  std::vector<detail::hash_slots> group_lookup_; // per metadata column, a level by label
  std::vector<std::string> ids_;
  std::vector<int> waves_;
};

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/measure/impl/response_matrix.ipp>
#endif
