// ethos/measure/response_matrix.hpp: column-major survey answers (one byte each) with respondent metadata.
#pragma once

#include <ethos/error.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ethos {

/// A dictionary-encoded metadata column (team, department, tenure band ...): one code per respondent
/// indexing `levels`, in order of first appearance.
struct group_column {
  std::string name;
  std::vector<std::string> levels;
  std::vector<std::uint32_t> codes;

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
  explicit response_matrix(std::vector<std::string> item_ids, std::vector<std::string> group_columns = {})
      : item_ids_(std::move(item_ids)), columns_(item_ids_.size()) {
    for (std::size_t j = 0; j < item_ids_.size(); ++j) {
      if (!index_.emplace(item_ids_[j], j).second) {
        throw error("response matrix: item column '" + item_ids_[j] + "' appears twice");
      }
    }
    for (auto& g : group_columns) {
      for (const auto& existing : groups_) {
        if (existing.name == g) {
          throw error("response matrix: group column '" + g + "' appears twice");
        }
      }
      groups_.push_back({std::move(g), {}, {}});
    }
    group_lookup_.resize(groups_.size());
  }

  std::size_t rows() const noexcept { return ids_.size(); }
  std::size_t columns() const noexcept { return item_ids_.size(); }

  /// The answers to item column `j`, one per respondent.
  std::span<const std::uint8_t> column(std::size_t j) const noexcept { return columns_[j]; }
  std::uint8_t at(std::size_t row, std::size_t j) const noexcept { return columns_[j][row]; }
  bool is_missing(std::size_t row, std::size_t j) const noexcept { return columns_[j][row] == missing; }

  const std::vector<std::string>& item_ids() const noexcept { return item_ids_; }
  /// The column of an item id, if the matrix has it.
  std::optional<std::size_t> column_of(std::string_view item_id) const {
    const auto it = index_.find(std::string(item_id));
    return it == index_.end() ? std::nullopt : std::optional<std::size_t>(it->second);
  }

  const std::vector<std::string>& respondent_ids() const noexcept { return ids_; }
  const std::vector<int>& waves() const noexcept { return waves_; }
  const std::vector<group_column>& groups() const noexcept { return groups_; }
  /// The metadata column called `name`, if there is one.
  const group_column* group(std::string_view name) const noexcept {
    for (const auto& g : groups_) {
      if (g.name == name) {
        return &g;
      }
    }
    return nullptr;
  }

  void reserve(std::size_t n) {
    ids_.reserve(n);
    waves_.reserve(n);
    for (auto& c : columns_) {
      c.reserve(n);
    }
    for (auto& g : groups_) {
      g.codes.reserve(n);
    }
  }

  /// Appends one respondent. `answers` holds one byte per item column (`missing` for none) and `group_labels`
  /// one label per metadata column; a size mismatch throws ethos::error.
  void append_row(std::string_view respondent_id, std::span<const std::string_view> group_labels, int wave,
                  std::span<const std::uint8_t> answers) {
    if (answers.size() != columns_.size() || group_labels.size() != groups_.size()) {
      throw error("response matrix: row " + std::to_string(rows() + 1) + " has " + std::to_string(answers.size()) +
                  " answers and " + std::to_string(group_labels.size()) + " group labels; expected " +
                  std::to_string(columns_.size()) + " and " + std::to_string(groups_.size()));
    }
    for (std::size_t j = 0; j < columns_.size(); ++j) {
      columns_[j].push_back(answers[j]);
    }
    for (std::size_t g = 0; g < groups_.size(); ++g) {
      auto& lookup = group_lookup_[g];
      auto [it, inserted] = lookup.try_emplace(std::string(group_labels[g]), static_cast<std::uint32_t>(lookup.size()));
      if (inserted) {
        groups_[g].levels.emplace_back(group_labels[g]);
      }
      groups_[g].codes.push_back(it->second);
    }
    ids_.emplace_back(respondent_id);
    waves_.push_back(wave);
  }

 private:
  std::vector<std::string> item_ids_;
  std::unordered_map<std::string, std::size_t> index_;
  std::vector<std::vector<std::uint8_t>> columns_;
  std::vector<group_column> groups_;
  std::vector<std::unordered_map<std::string, std::uint32_t>> group_lookup_;
  std::vector<std::string> ids_;
  std::vector<int> waves_;
};

} // namespace ethos
