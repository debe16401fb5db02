/// \file
/// \brief The bundled service culture audit, 4 items per building block.
#pragma once

#include <ethos/framework/building_block.hpp>
#include <ethos/framework/value_category.hpp>
#include <ethos/measure/instrument.hpp>
#include <ethos/measure/scale.hpp>

#include <array>
#include <optional>
#include <string_view>

namespace ethos::instruments {
namespace detail {

/// The construct of a building block: its key, its label and the block itself.
constexpr construct_spec block_construct(building_block b) noexcept { return {ethos::key(b), ethos::to_string(b), b}; }

/// A Likert item of the construct of building block `b`.
constexpr item_spec block_item(std::string_view id, std::string_view text, building_block b, bool reverse = false,
                               std::optional<value_category> category = std::nullopt) noexcept {
  return {id, text, ethos::key(b), reverse, 1.0, category, b, response_format::likert};
}

/// A stand-alone six-level item about one value category.
constexpr item_spec level_item(std::string_view id, std::string_view text, value_category c) noexcept {
  return {id, text, {}, false, 1.0, c, std::nullopt, response_format::service_level};
}

inline constexpr instrument_spec service_culture_audit_spec{
    "service_culture_audit",
    "Service Culture Audit",
    scales::agree5,
    std::array{
        block_construct(building_block::common_service_language),
        block_construct(building_block::engaging_service_vision),
        block_construct(building_block::service_staff_recruitment),
        block_construct(building_block::new_staff_orientation),
        block_construct(building_block::service_communications),
        block_construct(building_block::service_recognition_and_rewards),
        block_construct(building_block::voice_of_the_customer),
        block_construct(building_block::service_measures_and_metrics),
        block_construct(building_block::service_improvement_process),
        block_construct(building_block::service_recovery_and_guarantees),
        block_construct(building_block::service_benchmarking),
        block_construct(building_block::service_role_modeling),
    },
    std::array{
        // 1 Common Service Language
        block_item("csl1", "People in my team use the same words when we talk about serving others.",
                   building_block::common_service_language),
        block_item("csl2", "I could explain to a new colleague what good service means here.",
                   building_block::common_service_language),
        block_item("csl3", "When service comes up, people from different teams often talk past each other.",
                   building_block::common_service_language, true),
        block_item("csl4", "Our shared service terms help my team agree quickly on what to improve.",
                   building_block::common_service_language),
        // 2 Engaging Service Vision
        block_item("esv1", "I know what value our organisation wants to create for the people it serves.",
                   building_block::engaging_service_vision),
        block_item("esv2", "Our service vision gives me a reason to do more than the minimum.",
                   building_block::engaging_service_vision),
        block_item("esv3", "I can see how my daily work helps us reach our service vision.",
                   building_block::engaging_service_vision),
        block_item("esv4", "Our service vision feels like a slogan that has little to do with my job.",
                   building_block::engaging_service_vision, true),
        // 3 Service Staff Recruitment
        block_item("ssr1", "When we hire, we look closely at how candidates treat other people.",
                   building_block::service_staff_recruitment, false, value_category::service_mindset),
        block_item("ssr2", "The colleagues who have recently joined my team clearly enjoy helping others.",
                   building_block::service_staff_recruitment, false, value_category::service_mindset),
        block_item("ssr3", "People who will work alongside a new hire have a say in choosing them.",
                   building_block::service_staff_recruitment),
        block_item("ssr4", "Our hiring mostly ignores whether a candidate cares about serving others.",
                   building_block::service_staff_recruitment, true),
        // 4 New Staff Orientation
        block_item("nso1", "My first weeks here taught me how we serve people, not only the rules.",
                   building_block::new_staff_orientation),
        block_item("nso2", "Each newcomer to my team gets a named person to turn to with questions.",
                   building_block::new_staff_orientation),
        block_item("nso3", "Newcomers here soon learn who they serve and what those people need.",
                   building_block::new_staff_orientation),
        block_item("nso4", "New starters are mostly left to work out our service standards alone.",
                   building_block::new_staff_orientation, true),
        // 5 Service Communications
        block_item("scm1", "I regularly hear stories of colleagues creating value for the people we serve.",
                   building_block::service_communications),
        block_item("scm2", "Messages from our leaders talk about service as often as they talk about costs.",
                   building_block::service_communications),
        block_item("scm3", "I hear about changes that affect the people we serve before those people do.",
                   building_block::service_communications),
        block_item("scm4", "Service is hardly ever mentioned in the meetings I attend or the updates I read.",
                   building_block::service_communications, true),
        // 6 Service Recognition and Rewards
        block_item("srr1", "When I go out of my way for someone, somebody here notices.",
                   building_block::service_recognition_and_rewards),
        block_item("srr2", "My team celebrates colleagues who solve problems for the people we serve.",
                   building_block::service_recognition_and_rewards),
        block_item("srr3", "How people are rewarded here depends partly on the service they give.",
                   building_block::service_recognition_and_rewards),
        block_item("srr4", "People who neglect service get ahead here just as easily as those who serve well.",
                   building_block::service_recognition_and_rewards, true),
        // 7 Voice of the Customer
        block_item("voc1", "My team regularly asks the people we serve what they need from us.",
                   building_block::voice_of_the_customer),
        block_item("voc2", "My team talks through the feedback we receive soon after it arrives.",
                   building_block::voice_of_the_customer),
        block_item("voc3", "Comments from the people we serve have changed the way my team works.",
                   building_block::voice_of_the_customer),
        block_item("voc4", "I seldom learn what the people we serve think of our work.",
                   building_block::voice_of_the_customer, true),
        // 8 Service Measures and Metrics
        block_item("smm1", "My team follows a few numbers that show whether our service is working.",
                   building_block::service_measures_and_metrics),
        block_item("smm2", "My team measures how quickly and easily people get what they ask of us.",
                   building_block::service_measures_and_metrics, false, value_category::delivery_system),
        block_item("smm3", "When one of our service figures drops, my team talks about it and acts.",
                   building_block::service_measures_and_metrics),
        block_item("smm4", "The numbers I am judged on have little to do with service.",
                   building_block::service_measures_and_metrics, true),
        // 9 Service Improvement Process
        block_item("sip1", "Anyone in my team can suggest a better way to serve and be taken seriously.",
                   building_block::service_improvement_process),
        block_item("sip2", "We try small changes to how we serve and keep the ones that work.",
                   building_block::service_improvement_process),
        block_item("sip3", "My team sets aside regular time to review and improve how we work.",
                   building_block::service_improvement_process),
        block_item("sip4", "The same service problems keep coming back because nobody fixes their cause.",
                   building_block::service_improvement_process, true),
        // 10 Service Recovery and Guarantees
        block_item("srg1", "When we let someone down, my team puts it right quickly.",
                   building_block::service_recovery_and_guarantees),
        block_item("srg2", "I am free to fix a problem for someone I serve without waiting for approval.",
                   building_block::service_recovery_and_guarantees),
        block_item("srg3", "I know exactly what my team promises to the people it serves.",
                   building_block::service_recovery_and_guarantees),
        block_item("srg4", "When something goes wrong here, people spend more effort on blame than on fixing it.",
                   building_block::service_recovery_and_guarantees, true),
        // 11 Service Benchmarking
        block_item("sbm1", "My team studies how other organisations serve well and borrows their good ideas.",
                   building_block::service_benchmarking),
        block_item("sbm2", "We compare the quality of what we deliver with the best in our field.",
                   building_block::service_benchmarking, false, value_category::primary_product),
        block_item("sbm3", "We also look for service ideas in industries quite unlike our own.",
                   building_block::service_benchmarking),
        block_item("sbm4", "People here assume our service is good enough without checking it against anyone else.",
                   building_block::service_benchmarking, true),
        // 12 Service Role Modeling
        block_item("srm1", "My manager shows through their own actions the service they expect from us.",
                   building_block::service_role_modeling),
        block_item("srm2", "Senior leaders here make time to meet the people we serve.",
                   building_block::service_role_modeling),
        block_item("srm3", "The colleagues around me set a good example in how they treat others.",
                   building_block::service_role_modeling, false, value_category::service_mindset),
        block_item("srm4", "Leaders here ask us for a level of service that they do not show themselves.",
                   building_block::service_role_modeling, true),
        // Employee Net Promoter Score, 0-10
        item_spec{"enps",
                  "If a friend were looking for a job, how likely would you be to suggest working here?",
                  {},
                  false,
                  1.0,
                  std::nullopt,
                  std::nullopt,
                  response_format::nps},
        // The four categories of value, each rated on the six levels of service
        level_item("vc1", "How would the people who rely on your team rate the quality of what it delivers?",
                   value_category::primary_product),
        level_item("vc2", "How would the people who rely on your team rate how quickly and easily they get its help?",
                   value_category::delivery_system),
        level_item("vc3", "How would the people who rely on your team rate the care and attitude they meet?",
                   value_category::service_mindset),
        level_item("vc4", "How would the people who rely on your team rate the relationship it keeps with them?",
                   value_category::ongoing_relationship),
    },
    "enps"};

} // namespace detail

/// The bundled 48-item service culture audit (4 items per building block), an eNPS item and four six-level items.
inline constexpr static_instrument<detail::service_culture_audit_spec> service_culture_audit{};

} // namespace ethos::instruments
