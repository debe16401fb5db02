// ethos/measure/builder.hpp: validated construction of response matrices, row by row against an instrument.
#pragma once

#include <ethos/error.hpp>
#include <ethos/measure/instrument.hpp>
#include <ethos/measure/response_matrix.hpp>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ethos {

/// What to do with an answer outside its item's range.
enum class out_of_range_policy : unsigned char {
  error,      ///< refuse the row with an error naming respondent row and item (the default)
  to_missing, ///< store the answer as missing and count it (see `response_builder::converted`)
};

/// An answer that the `to_missing` policy turned into a missing one.
struct converted_answer {
  std::size_t row; ///< 1-based respondent row
  std::string item;
  int value;
};

/// Builds a response matrix row by row, checking every answer against its item's range (the instrument's
/// Likert scale, 0..10 for NPS items, 1..6 for six-level items). Columns follow the instrument's item order.
///
///     ethos::response_builder b(my_instrument, {"team"});
///     b.add("r1", {4, 5, std::nullopt, 2}, {"Billing"});
///     ethos::response_matrix m = b.finish();
class response_builder {
 public:
  explicit response_builder(const instrument_view& inst, std::vector<std::string> group_columns = {},
                            out_of_range_policy policy = out_of_range_policy::error)
      : inst_(inst), matrix_(item_ids(inst), std::move(group_columns)), policy_(policy), bytes_(inst.items.size()) {
    for (const auto& it : inst.items) {
      ranges_.push_back(inst.answer_range(it));
    }
  }
  /// As above; the builder keeps the run-time instrument alive (it may be a temporary).
  explicit response_builder(const instrument& inst, std::vector<std::string> group_columns = {},
                            out_of_range_policy policy = out_of_range_policy::error)
      : response_builder(inst.view(), std::move(group_columns), policy) {
    keep_alive_.emplace(inst);
  }

  /// Appends one respondent; `answers` in the instrument's item order, `groups` one label per group column.
  /// Throws ethos::error naming the row and item for an out-of-range answer (under the default policy) or a
  /// wrong number of answers or labels; a refused row leaves the matrix unchanged.
  response_builder& add(std::string_view respondent_id, std::span<const std::optional<int>> answers,
                        std::span<const std::string_view> groups = {}, int wave = 0) {
    const std::size_t row = matrix_.rows() + 1;
    const std::string where = "respondent row " + std::to_string(row) + " (id '" + std::string(respondent_id) + "')";
    if (answers.size() != inst_.items.size()) {
      throw error(where + ": " + std::to_string(answers.size()) + " answers for " + std::to_string(inst_.items.size()) +
                  " items");
    }
    if (groups.size() != matrix_.groups().size()) {
      throw error(where + ": " + std::to_string(groups.size()) + " group labels for " +
                  std::to_string(matrix_.groups().size()) + " group columns");
    }
    std::size_t pending = 0;
    for (std::size_t j = 0; j < answers.size(); ++j) {
      if (!answers[j]) {
        bytes_[j] = response_matrix::missing;
        continue;
      }
      const int x = *answers[j];
      if (x < ranges_[j].first || x > ranges_[j].second) {
        if (policy_ == out_of_range_policy::error) {
          throw error(where + ", item '" + std::string(inst_.items[j].id) + "': answer " + std::to_string(x) +
                      " is outside " + std::to_string(ranges_[j].first) + ".." + std::to_string(ranges_[j].second));
        }
        pending_.push_back({row, std::string(inst_.items[j].id), x});
        ++pending;
        bytes_[j] = response_matrix::missing;
        continue;
      }
      bytes_[j] = static_cast<std::uint8_t>(x);
    }
    try {
      matrix_.append_row(respondent_id, groups, wave, bytes_);
    } catch (...) {
      pending_.resize(pending_.size() - pending);
      throw;
    }
    converted_.insert(converted_.end(), pending_.begin(), pending_.end());
    pending_.clear();
    return *this;
  }

  response_builder& add(std::string_view respondent_id, std::initializer_list<std::optional<int>> answers,
                        std::initializer_list<std::string_view> groups = {}, int wave = 0) {
    return add(respondent_id, std::span<const std::optional<int>>(answers.begin(), answers.size()),
               std::span<const std::string_view>(groups.begin(), groups.size()), wave);
  }

  /// Answers the `to_missing` policy turned into missing ones, in the order met.
  const std::vector<converted_answer>& converted() const noexcept { return converted_; }
  const response_matrix& matrix() const noexcept { return matrix_; }
  /// The finished matrix (the builder is left empty).
  response_matrix finish() { return std::move(matrix_); }

 private:
  static std::vector<std::string> item_ids(const instrument_view& inst) {
    std::vector<std::string> ids;
    for (const auto& it : inst.items) {
      ids.emplace_back(it.id);
    }
    return ids;
  }

  std::optional<instrument> keep_alive_;
  instrument_view inst_;
  response_matrix matrix_;
  out_of_range_policy policy_;
  std::vector<std::pair<int, int>> ranges_;
  std::vector<std::uint8_t> bytes_;
  std::vector<converted_answer> converted_;
  std::vector<converted_answer> pending_;
};

} // namespace ethos
