// ethos/org/detail/classes.hpp: the form the disclosure analysis works on (cells as sets of classes of persons),
// shared by the audit and suppression (org/impl/disclosure.ipp) and the release layer (org/impl/release.ipp), which
// hands a report's cells over without copying them. Not part of the API.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/org/disclosure.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace ethos::detail {

// What the analysis works on: cells as sets of classes of elements. Elements of one class lie in exactly the same
// cells, so a class is never split and only its persons matter. Built from cells of elements (classes_of: elements
// grouped by the cells that hold them, persons listed) or given by the caller (class_cells: classes are persons
// counted, disjoint).
struct class_input {
  std::vector<std::span<const std::uint32_t>> cells; // per cell: its classes, sorted and unique
  std::vector<std::uint64_t> size;                   // per class: its elements (orders cells by size)
  // Per class: its persons, sorted, when persons are listed (they may repeat across classes); otherwise `size`
  // counts distinct persons that no other class holds.
  std::vector<std::vector<std::uint32_t>> persons;
  std::vector<std::vector<std::uint32_t>> owned_cells; // storage behind `cells` when built here
  std::vector<std::vector<std::uint32_t>> elements;    // with listed persons: each class's elements, sorted
  std::vector<std::uint32_t> class_of_element;         // with listed persons: per element id (npos: in no cell)
  std::vector<std::string_view> labels;                // per cell
  bool one_person_each = true;                         // every element is a person of its own (no person_of map)

  [[nodiscard]] bool listed() const noexcept { return !persons.empty() || size.empty(); }
};

// The classes of a class_cells family, checked; classes are counted persons.
ETHOS_DECL class_input classes_of(const class_cells& family);

// disclosure_audit over classes (every cell shown).
ETHOS_DECL disclosure_audit_result audit_classes(const class_input& in, const disclosure_options& opt);

// protect_cells over classes.
ETHOS_DECL bool protect_classes(const class_input& in, std::span<suppression> status, std::span<const int> keep,
                                std::span<const unsigned char> fixed, const disclosure_options& opt);

} // namespace ethos::detail
