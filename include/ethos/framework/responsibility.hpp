/// \file
/// \brief The reactions to a problem, blame, shame and excuses against taking personal responsibility.
#pragma once

#include <ethos/framework/vocabulary.hpp>

#include <array>

namespace ethos {

/// How someone reacts when something has gone wrong.
enum class responsibility : unsigned char {
  blame,
  shame,
  excuses,
  take_personal_responsibility,
};

/// The vocabulary table of `responsibility`: key, label and description of each enumerator, in canonical order.
template <>
struct vocabulary_traits<responsibility> {
  /// One row per enumerator.
  static constexpr std::array<vocabulary_entry<responsibility>, 4> entries{{
      {responsibility::blame, "blame", "Blame", "Pointing at someone else as the cause, so that nothing changes here."},
      {responsibility::shame, "shame", "Shame",
       "Turning the problem inward as guilt, which drains energy without fixing anything."},
      {responsibility::excuses, "excuses", "Excuses",
       "Explaining why the problem could not be helped instead of looking for what can be done."},
      {responsibility::take_personal_responsibility, "take_personal_responsibility", "Take Personal Responsibility",
       "Asking what I can do now to improve the situation, and then doing it."},
  }};
};
static_assert(detail::vocabulary_table_is_valid<responsibility>(), "responsibility table incomplete or out of order");

/// True only for `take_personal_responsibility`; blame, shame and excuses are the unproductive reactions.
constexpr bool is_productive(responsibility r) noexcept { return r == responsibility::take_personal_responsibility; }

} // namespace ethos
