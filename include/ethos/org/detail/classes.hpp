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

// Shown cells that come down to one class settle that class: with counted classes (an element is a person), a
// shown cell whose other classes are all settled gives its last class's total by subtraction, so that class's 1-vector
// lies in the span of the shown cells. Such a class (of k or more persons) can be taken out of every cell without
// changing whether anything leaks: any combination is constant on it, so what it isolates is either the class whole
// (k or more) or nothing of it, plus a set that the same combination of the cells without the class isolates; and
// each combination of the reduced cells is one of the full cells minus a multiple of the class. So the family leaks
// exactly when a settled class is small or the reduced family leaks; and its atoms and rank are the reduced ones plus
// one per settled class (settled classes are atoms of their own: a cell holding one also holds every class of its
// atom). Settling repeats until no shown cell has a single class left; for a tree of units with cuts, this takes the
// well-covered subtrees out whole, and the general analysis runs on what remains.
struct settled_family {
  class_input rest;                        // the shown cells with two or more classes left, over the classes left
  std::vector<std::uint32_t> cell_of_rest; // per cell of `rest`: its index in the input
  std::size_t settled = 0;                 // classes settled (empty classes do not count)
  bool small = false;                      // a settled class holds 1..k-1 persons: the family leaks
};

ETHOS_DECL settled_family settle_classes(const class_input& in, std::span<const unsigned char> shown, std::size_t k);

// disclosure_audit over classes (every cell shown).
ETHOS_DECL disclosure_audit_result audit_classes(const class_input& in, const disclosure_options& opt);

// protect_cells over classes.
ETHOS_DECL bool protect_classes(const class_input& in, std::span<suppression> status, std::span<const int> keep,
                                std::span<const unsigned char> fixed, const disclosure_options& opt);

} // namespace ethos::detail
