/// \file
/// \brief Proactive or reactive service, and internal or external customers.
#pragma once

#include <ethos/framework/vocabulary.hpp>

#include <array>

namespace ethos {

/// Whether service waits for a request or goes ahead of it.
enum class service_mode : unsigned char {
  proactive,
  reactive,
};

/// The vocabulary table of `service_mode`: key, label and description of each enumerator, in canonical order.
template <>
struct vocabulary_traits<service_mode> {
  /// One row per enumerator.
  static constexpr std::array<vocabulary_entry<service_mode>, 2> entries{{
      {service_mode::proactive, "proactive", "Proactive",
       "Looking for the next action that would create value before anyone asks for it."},
      {service_mode::reactive, "reactive", "Reactive", "Answering a request or a complaint well once it has arrived."},
  }};
};
static_assert(detail::vocabulary_table_is_valid<service_mode>(), "service_mode table incomplete or out of order");

/// Who is being served: a colleague or another unit, or someone outside the organisation.
enum class customer_kind : unsigned char {
  internal,
  external,
};

/// The vocabulary table of `customer_kind`: key, label and description of each enumerator, in canonical order.
template <>
struct vocabulary_traits<customer_kind> {
  /// One row per enumerator.
  static constexpr std::array<vocabulary_entry<customer_kind>, 2> entries{{
      {customer_kind::internal, "internal", "Internal",
       "A colleague, team or department inside the organisation who relies on someone else's work."},
      {customer_kind::external, "external", "External",
       "A customer, patient, citizen or partner outside the organisation."},
  }};
};
static_assert(detail::vocabulary_table_is_valid<customer_kind>(), "customer_kind table incomplete or out of order");

} // namespace ethos
