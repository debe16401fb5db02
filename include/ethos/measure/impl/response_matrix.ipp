// ethos/measure/impl/response_matrix.ipp: definitions of ethos/measure/response_matrix.hpp (compiled into
// ethos::compiled, or included by the header in header-only mode).
#pragma once

#include <ethos/measure/response_matrix.hpp>

#include <ethos/error.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ethos {

ETHOS_DECL response_matrix::response_matrix(std::vector<std::string> item_ids, std::vector<std::string> group_columns)
    : item_ids_(std::move(item_ids)), columns_(item_ids_.size()) {
  for (std::size_t j = 0; j < item_ids_.size(); ++j) {
    const auto at = static_cast<std::uint32_t>(j);
    if (index_.find_or_insert(
            detail::hash_text(item_ids_[j]), [&](std::uint32_t k) { return item_ids_[k] == item_ids_[j]; }, at) != at) {
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

ETHOS_DECL std::optional<std::size_t> response_matrix::column_of(std::string_view item_id) const {
  const std::uint32_t j =
      index_.find(detail::hash_text(item_id), [&](std::uint32_t at) { return item_ids_[at] == item_id; });
  return j == detail::hash_slots::none ? std::nullopt : std::optional<std::size_t>(j);
}

ETHOS_DECL const group_column* response_matrix::group(std::string_view name) const noexcept {
  for (const auto& g : groups_) {
    if (g.name == name) {
      return &g;
    }
  }
  return nullptr;
}

ETHOS_DECL void response_matrix::reserve(std::size_t n) {
  ids_.reserve(n);
  waves_.reserve(n);
  for (auto& c : columns_) {
    c.reserve(n);
  }
  for (auto& g : groups_) {
    g.codes.reserve(n);
  }
}

ETHOS_DECL void response_matrix::append_row(std::string_view respondent_id,
                                            std::span<const std::string_view> group_labels, int wave,
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
    auto& levels = groups_[g].levels;
    const std::string_view label = group_labels[g];
    const auto next = static_cast<std::uint32_t>(levels.size());
    const std::uint32_t code = group_lookup_[g].find_or_insert(
        detail::hash_text(label), [&](std::uint32_t at) { return levels[at] == label; }, next);
    if (code == next) {
      levels.emplace_back(label);
    }
    groups_[g].codes.push_back(code);
  }
  ids_.emplace_back(respondent_id);
  waves_.push_back(wave);
}

} // namespace ethos
