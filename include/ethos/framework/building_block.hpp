/// \file
/// \brief The twelve building blocks of a service culture, in their usual order.
#pragma once

#include <ethos/framework/vocabulary.hpp>

#include <array>

namespace ethos {

/// The twelve building blocks of service culture; `ordinal` gives their usual number 1..12.
enum class building_block : unsigned char {
  common_service_language,
  engaging_service_vision,
  service_staff_recruitment,
  new_staff_orientation,
  service_communications,
  service_recognition_and_rewards,
  voice_of_the_customer,
  service_measures_and_metrics,
  service_improvement_process,
  service_recovery_and_guarantees,
  service_benchmarking,
  service_role_modeling,
};

/// The vocabulary table of `building_block`: key, label and description of each enumerator, in canonical order.
template <>
struct vocabulary_traits<building_block> {
  /// One row per enumerator.
  static constexpr std::array<vocabulary_entry<building_block>, 12> entries{{
      {building_block::common_service_language, "common_service_language", "Common Service Language",
       "Shared words and ideas for service, so that everyone can discuss and improve it in the same terms."},
      {building_block::engaging_service_vision, "engaging_service_vision", "Engaging Service Vision",
       "A clear picture of the value the organisation means to create, one that people want to work toward."},
      {building_block::service_staff_recruitment, "service_staff_recruitment", "Service Staff Recruitment",
       "Hiring people for their attitude toward serving others as well as for their skills."},
      {building_block::new_staff_orientation, "new_staff_orientation", "New Staff Orientation",
       "Welcoming newcomers so that they learn the service culture from their first days, not only the rules."},
      {building_block::service_communications, "service_communications", "Service Communications",
       "Keeping service visible through stories, updates and channels that reach everyone."},
      {building_block::service_recognition_and_rewards, "service_recognition_and_rewards",
       "Service Recognition and Rewards",
       "Noticing and celebrating the actions that create value for others, so that they happen again."},
      {building_block::voice_of_the_customer, "voice_of_the_customer", "Voice of the Customer",
       "Listening to the people served, inside and outside, and bringing what they say into decisions."},
      {building_block::service_measures_and_metrics, "service_measures_and_metrics", "Service Measures and Metrics",
       "Tracking the few numbers that show whether service is creating value, and acting on them."},
      {building_block::service_improvement_process, "service_improvement_process", "Service Improvement Process",
       "A routine way for any team to find a service problem, try a better way and keep what works."},
      {building_block::service_recovery_and_guarantees, "service_recovery_and_guarantees",
       "Service Recovery and Guarantees",
       "Putting things right quickly when service fails, and standing behind clear promises."},
      {building_block::service_benchmarking, "service_benchmarking", "Service Benchmarking",
       "Learning from how others, in any field, serve well, and using it to raise one's own standard."},
      {building_block::service_role_modeling, "service_role_modeling", "Service Role Modeling",
       "Leaders and colleagues showing by their own actions the service they ask of everyone else."},
  }};
};
static_assert(detail::vocabulary_table_is_valid<building_block>(), "building_block table incomplete or out of order");

} // namespace ethos
