/// \file
/// \brief The traits machinery behind every vocabulary enum (key, label, description, order).
#pragma once

#include <ethos/detail/text.hpp>

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <type_traits>

namespace ethos {

/// One row of a vocabulary table: the enumerator, its snake_case key, its display label and a
/// one-sentence description in our own words.
template <class E>
struct vocabulary_entry {
  E value;                      ///< the enumerator
  std::string_view key;         ///< snake_case key, e.g. "voice_of_the_customer"
  std::string_view label;       ///< display label, e.g. "Voice of the Customer"
  std::string_view description; ///< one sentence in the library's own words
};

/// Specialised for each vocabulary enum with `static constexpr std::array<vocabulary_entry<E>, N> entries`
/// listing the enumerators in canonical order.
template <class E>
struct vocabulary_traits;

/// An enum of the common service language: it has a complete traits table.
template <class E>
concept vocabulary_enum = std::is_enum_v<E> && requires {
  { vocabulary_traits<E>::entries.size() } -> std::convertible_to<std::size_t>;
};

namespace detail {

template <class E>
constexpr std::size_t vocabulary_index(E e) noexcept {
  const auto& t = vocabulary_traits<E>::entries;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i].value == e) {
      return i;
    }
  }
  return t.size();
}

template <class E>
constexpr const vocabulary_entry<E>* vocabulary_find(E e) noexcept {
  const auto& t = vocabulary_traits<E>::entries;
  const std::size_t i = vocabulary_index(e);
  return i < t.size() ? &t[i] : nullptr;
}

constexpr bool is_snake_case(std::string_view s) noexcept {
  if (s.empty() || s.front() == '_' || s.back() == '_') {
    return false;
  }
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
  }
  return true;
}

/// True when the table of E is complete and ordered: enumerators are consecutive from the first
/// one's value in canonical order (so the table covers every enumerator), keys are snake_case,
/// labels and descriptions are present, and no key or label is used twice (case-insensitively).
template <class E>
constexpr bool vocabulary_table_is_valid() noexcept {
  using U = std::underlying_type_t<E>;
  const auto& t = vocabulary_traits<E>::entries;
  if (t.size() == 0) {
    return false;
  }
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (static_cast<U>(t[i].value) != static_cast<U>(static_cast<U>(t[0].value) + static_cast<U>(i))) {
      return false;
    }
    if (!is_snake_case(t[i].key) || t[i].label.empty() || t[i].description.empty()) {
      return false;
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (iequals(t[i].key, t[j].key) || iequals(t[i].label, t[j].label) || iequals(t[i].key, t[j].label) ||
          iequals(t[i].label, t[j].key)) {
        return false;
      }
    }
  }
  return true;
}

template <class E, std::size_t... I>
constexpr auto vocabulary_values(std::index_sequence<I...>) noexcept {
  return std::array<E, sizeof...(I)>{vocabulary_traits<E>::entries[I].value...};
}

} // namespace detail

/// Every enumerator of E in canonical order, e.g. `for (auto b : ethos::all<ethos::building_block>)`.
template <vocabulary_enum E>
inline constexpr auto
    all = detail::vocabulary_values<E>(std::make_index_sequence<vocabulary_traits<E>::entries.size()>{});

/// Number of enumerators of E.
template <vocabulary_enum E>
inline constexpr std::size_t vocabulary_size = vocabulary_traits<E>::entries.size();

/// Position in canonical order, starting at 1 (`ordinal(service_level::criminal) == 1`); 0 for a value
/// that is not an enumerator (such as one produced by a cast).
template <vocabulary_enum E>
constexpr int ordinal(E e) noexcept {
  const std::size_t i = detail::vocabulary_index(e);
  return i < vocabulary_size<E> ? static_cast<int>(i) + 1 : 0;
}

/// Display label, e.g. `to_string(building_block::voice_of_the_customer) == "Voice of the Customer"`;
/// "?" for a value that is not an enumerator.
template <vocabulary_enum E>
constexpr std::string_view to_string(E e) noexcept {
  const auto* entry = detail::vocabulary_find(e);
  return entry != nullptr ? entry->label : std::string_view{"?"};
}

/// snake_case key, e.g. `key(building_block::voice_of_the_customer) == "voice_of_the_customer"`.
template <vocabulary_enum E>
constexpr std::string_view key(E e) noexcept {
  const auto* entry = detail::vocabulary_find(e);
  return entry != nullptr ? entry->key : std::string_view{"?"};
}

/// One sentence describing the term, written for this library.
template <vocabulary_enum E>
constexpr std::string_view describe(E e) noexcept {
  const auto* entry = detail::vocabulary_find(e);
  return entry != nullptr ? entry->description : std::string_view{};
}

/// Parses a key or a label, case-insensitively, ignoring surrounding white space:
/// `from_string<building_block>(" voice of the customer ") == building_block::voice_of_the_customer`.
template <vocabulary_enum E>
constexpr std::optional<E> from_string(std::string_view text) noexcept {
  const std::string_view s = detail::trim(text);
  for (const auto& entry : vocabulary_traits<E>::entries) {
    if (detail::iequals(s, entry.key) || detail::iequals(s, entry.label)) {
      return entry.value;
    }
  }
  return std::nullopt;
}

/// The enumerator at a 1-based canonical position, if there is one: `from_ordinal<service_level>(3) == expected`.
template <vocabulary_enum E>
constexpr std::optional<E> from_ordinal(int position) noexcept {
  if (position < 1 || static_cast<std::size_t>(position) > vocabulary_size<E>) {
    return std::nullopt;
  }
  return vocabulary_traits<E>::entries[static_cast<std::size_t>(position - 1)].value;
}

} // namespace ethos
