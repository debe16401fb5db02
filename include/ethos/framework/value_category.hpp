/// \file
/// \brief The four categories of value that every offering delivers.
#pragma once

#include <ethos/framework/vocabulary.hpp>

#include <array>

namespace ethos {

/// The four categories of value a person receives from any service.
enum class value_category : unsigned char {
  primary_product,
  delivery_system,
  service_mindset,
  ongoing_relationship,
};

/// The vocabulary table of `value_category`: key, label and description of each enumerator, in canonical order.
template <>
struct vocabulary_traits<value_category> {
  /// One row per enumerator.
  static constexpr std::array<vocabulary_entry<value_category>, 4> entries{{
      {value_category::primary_product, "primary_product", "Primary Product",
       "The thing itself that the person came for: the goods, the advice, the result."},
      {value_category::delivery_system, "delivery_system", "Delivery System",
       "How the offering reaches the person: its speed, its ease, its access and its reliability."},
      {value_category::service_mindset, "service_mindset", "Service Mindset",
       "The attitude of the people who serve: their care, courtesy, attention and values."},
      {value_category::ongoing_relationship, "ongoing_relationship", "Ongoing Relationship",
       "The connection that continues after a single transaction and makes the next one easier."},
  }};
};
static_assert(detail::vocabulary_table_is_valid<value_category>(), "value_category table incomplete or out of order");

} // namespace ethos
