/// \file
/// \brief The seven rules of service leadership, the roof over the building blocks.
#pragma once

#include <ethos/framework/vocabulary.hpp>

#include <array>

namespace ethos {

/// The seven rules of service leadership, in their usual order.
enum class leadership_rule : unsigned char {
  declare_service_a_top_priority,
  be_a_great_role_model,
  promote_a_common_service_language,
  measure_what_really_matters,
  enable_and_empower_your_team,
  remove_the_roadblocks_to_service,
  sustain_focus_and_enthusiasm,
};

/// The vocabulary table of `leadership_rule`: key, label and description of each enumerator, in canonical order.
template <>
struct vocabulary_traits<leadership_rule> {
  /// One row per enumerator.
  static constexpr std::array<vocabulary_entry<leadership_rule>, 7> entries{{
      {leadership_rule::declare_service_a_top_priority, "declare_service_a_top_priority",
       "Declare Service a Top Priority",
       "Say plainly and often that creating value for others comes first, and back it with decisions."},
      {leadership_rule::be_a_great_role_model, "be_a_great_role_model", "Be a Great Role Model",
       "Serve colleagues and customers in the way you expect everyone else to serve."},
      {leadership_rule::promote_a_common_service_language, "promote_a_common_service_language",
       "Promote a Common Service Language",
       "Use and teach shared service terms so that people can talk about service precisely."},
      {leadership_rule::measure_what_really_matters, "measure_what_really_matters", "Measure What Really Matters",
       "Choose measures that reflect the value people receive, not only what is easy to count."},
      {leadership_rule::enable_and_empower_your_team, "enable_and_empower_your_team", "Enable and Empower Your Team",
       "Give people the skills, tools and authority to act for the person in front of them."},
      {leadership_rule::remove_the_roadblocks_to_service, "remove_the_roadblocks_to_service",
       "Remove the Roadblocks to Service",
       "Find and clear the rules, habits and systems that make good service harder than it should be."},
      {leadership_rule::sustain_focus_and_enthusiasm, "sustain_focus_and_enthusiasm", "Sustain Focus and Enthusiasm",
       "Keep service on the agenda long after the launch, when the novelty has worn off."},
  }};
};
static_assert(detail::vocabulary_table_is_valid<leadership_rule>(), "leadership_rule table incomplete or out of order");

} // namespace ethos
