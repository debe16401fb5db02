/// \file
/// \brief The six levels of service, judged by the person served (criminal .. unbelievable).
#pragma once

#include <ethos/framework/vocabulary.hpp>

#include <array>

namespace ethos {

/// The six levels of service, lowest first; the underlying value is the level number 1..6.
/// Levels are ordinal: compare them (`<`, `<=`, ...), count them, take medians, not means alone.
enum class service_level : unsigned char {
  criminal = 1,
  basic,
  expected,
  desired,
  surprising,
  unbelievable,
};

/// The vocabulary table of `service_level`: key, label and description of each enumerator, in canonical order.
template <>
struct vocabulary_traits<service_level> {
  /// One row per enumerator.
  static constexpr std::array<vocabulary_entry<service_level>, 6> entries{{
      {service_level::criminal, "criminal", "Criminal",
       "A promise was broken or a mistake was made, so the person got less than the minimum they are owed."},
      {service_level::basic, "basic", "Basic",
       "The bare minimum arrived, but late, incomplete or without any sign that someone cared."},
      {service_level::expected, "expected", "Expected",
       "What is normal for this kind of service: acceptable, correct and forgettable."},
      {service_level::desired, "desired", "Desired",
       "What the person was hoping for, done in the way they prefer to be served."},
      {service_level::surprising, "surprising", "Surprising",
       "More than the person wanted: a welcome extra that shows real insight into their situation."},
      {service_level::unbelievable, "unbelievable", "Unbelievable",
       "So far beyond what was hoped for that the person remembers it and tells others about it."},
  }};
};
static_assert(detail::vocabulary_table_is_valid<service_level>(), "service_level table incomplete or out of order");

/// The level number 1..6 (criminal = 1).
constexpr int level_number(service_level l) noexcept { return static_cast<int>(l); }

/// The next higher level; `unbelievable` stays `unbelievable`.
constexpr service_level next(service_level l) noexcept {
  return l >= service_level::unbelievable ? service_level::unbelievable
                                          : static_cast<service_level>(static_cast<int>(l) + 1);
}

/// The next lower level; `criminal` stays `criminal`.
constexpr service_level previous(service_level l) noexcept {
  return l <= service_level::criminal ? service_level::criminal : static_cast<service_level>(static_cast<int>(l) - 1);
}

/// Signed number of steps from `from` up to `to`: `distance(basic, desired) == 2`, `distance(desired, basic) == -2`.
constexpr int distance(service_level from, service_level to) noexcept {
  return static_cast<int>(to) - static_cast<int>(from);
}

/// True for `criminal` and `basic`: service that falls short of what the person may take for granted.
constexpr bool is_below_expected(service_level l) noexcept { return l < service_level::expected; }

/// The level with number 1..6, if `number` is one.
constexpr std::optional<service_level> service_level_from_number(int number) noexcept {
  return from_ordinal<service_level>(number);
}

} // namespace ethos
