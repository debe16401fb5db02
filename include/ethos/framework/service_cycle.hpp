/// \file
/// \brief The service cycle explore, agree, deliver, assure, which loops back to explore.
#pragma once

#include <ethos/framework/vocabulary.hpp>

#include <array>

namespace ethos {

/// One step of the service cycle.
enum class service_cycle_step : unsigned char {
  explore,
  agree,
  deliver,
  assure,
};

/// The vocabulary table of `service_cycle_step`: key, label and description of each enumerator, in canonical order.
template <>
struct vocabulary_traits<service_cycle_step> {
  /// One row per enumerator.
  static constexpr std::array<vocabulary_entry<service_cycle_step>, 4> entries{{
      {service_cycle_step::explore, "explore", "Explore",
       "Find out what the other person needs, wants and worries about before promising anything."},
      {service_cycle_step::agree, "agree", "Agree",
       "Settle together on clear promises: what, when, how and at what cost."},
      {service_cycle_step::deliver, "deliver", "Deliver",
       "Do what was agreed, and keep the person informed on the way."},
      {service_cycle_step::assure, "assure", "Assure",
       "Check that the person is satisfied, fix what is not right, and look for the next need."},
  }};
};
static_assert(detail::vocabulary_table_is_valid<service_cycle_step>(),
              "service_cycle_step table incomplete or out of order");

/// The following step; `assure` wraps round to `explore` because the cycle repeats.
constexpr service_cycle_step next(service_cycle_step s) noexcept {
  return s == service_cycle_step::assure ? service_cycle_step::explore
                                         : static_cast<service_cycle_step>(static_cast<int>(s) + 1);
}

} // namespace ethos
