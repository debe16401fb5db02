// ethos/measure/impl/builder.ipp: definitions of ethos/measure/builder.hpp (compiled into ethos::compiled, or
// included by the header in header-only mode).
#pragma once

#include <ethos/measure/builder.hpp>

#include <ethos/error.hpp>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ethos {

ETHOS_DECL response_builder::response_builder(const instrument_view& inst, std::vector<std::string> group_columns,
                                              out_of_range_policy policy)
    : inst_(inst), matrix_(item_ids(inst), std::move(group_columns)), policy_(policy), bytes_(inst.items.size()) {
  for (const auto& it : inst.items) {
    ranges_.push_back(inst.answer_range(it));
  }
}

ETHOS_DECL response_builder::response_builder(const instrument& inst, std::vector<std::string> group_columns,
                                              out_of_range_policy policy)
    : response_builder(inst.view(), std::move(group_columns), policy) {
  keep_alive_.emplace(inst);
}

ETHOS_DECL response_builder& response_builder::add(std::string_view respondent_id,
                                                   std::span<const std::optional<int>> answers,
                                                   std::span<const std::string_view> groups, int wave) {
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

ETHOS_DECL response_builder& response_builder::add(std::string_view respondent_id,
                                                   std::initializer_list<std::optional<int>> answers,
                                                   std::initializer_list<std::string_view> groups, int wave) {
  return add(respondent_id, std::span<const std::optional<int>>(answers.begin(), answers.size()),
             std::span<const std::string_view>(groups.begin(), groups.size()), wave);
}

ETHOS_DECL std::vector<std::string> response_builder::item_ids(const instrument_view& inst) {
  std::vector<std::string> ids;
  for (const auto& it : inst.items) {
    ids.emplace_back(it.id);
  }
  return ids;
}

} // namespace ethos
