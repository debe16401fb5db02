/// \file
/// \brief Codes a program can act on: why a statistic is empty (`reason_code`) and what a warning is about
/// (`warning_code`), each next to the English sentence a report prints.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ethos {

/// Why a statistic that the library could not compute is empty (as Eigen's `ComputationInfo`). Every result
/// struct with a `reason` sentence has a `code` beside it; `reason_code::none` means the statistic is there.
enum class reason_code : std::uint8_t {
  none = 0,         ///< computed; `reason` is empty
  no_data,          ///< nothing to compute from: no answers, no predictors, no NPS item
  too_few_cases,    ///< fewer respondents, answers, pairs or complete cases than the statistic needs
  too_few_groups,   ///< fewer groups (or units, clusters) than the statistic needs
  too_few_items,    ///< fewer items (with variance) than the statistic needs
  no_variance,      ///< the data do not vary where the statistic divides by their variation
  singular,         ///< a matrix the statistic inverts is singular (collinear predictors)
  not_converged,    ///< an iterative step did not converge
  undefined,        ///< the formula has no finite value here (|r| = 1, R^2 = 0, outside awg's range, overflow)
  not_available,    ///< this input cannot give it (an item subset the accumulator cannot re-derive)
  withheld,         ///< computable, but published figures would isolate fewer than the minimum group size
  depends_on_other, ///< a statistic it is built from is empty (its own `reason` says which)
  improper,         ///< the estimates lie outside the parameter space (a Heywood case: a negative variance)
  not_identified,   ///< the model has more free parameters than the data's moments can determine
};

/// A short stable name of a reason code ("too_few_cases"), for logs and machine-readable output.
constexpr std::string_view to_string(reason_code c) noexcept {
  switch (c) {
  case reason_code::none:
    return "none";
  case reason_code::no_data:
    return "no_data";
  case reason_code::too_few_cases:
    return "too_few_cases";
  case reason_code::too_few_groups:
    return "too_few_groups";
  case reason_code::too_few_items:
    return "too_few_items";
  case reason_code::no_variance:
    return "no_variance";
  case reason_code::singular:
    return "singular";
  case reason_code::not_converged:
    return "not_converged";
  case reason_code::undefined:
    return "undefined";
  case reason_code::not_available:
    return "not_available";
  case reason_code::withheld:
    return "withheld";
  case reason_code::depends_on_other:
    return "depends_on_other";
  case reason_code::improper:
    return "improper";
  case reason_code::not_identified:
    return "not_identified";
  }
  return "unknown";
}

/// What a warning of a result is about. Grouped by the layer that raises it; the sentence stays in `message`.
enum class warning_code : std::uint8_t {
  // Reliability and scoring (org/assessment)
  reliability_unavailable = 1,   ///< a construct's reliability cannot be computed
  item_dropped_from_reliability, ///< an item was left out of a construct's reliability
  construct_not_shown,           ///< a construct's figures are withheld
  too_few_respondents,           ///< the survey has fewer respondents than the minimum group size: no scores shown
  low_reliability,               ///< a construct's alpha is below the warning threshold
  low_agreement,                 ///< a construct's mean rwg(j) is below the warning threshold
  question_not_shown,            ///< the NPS question or a six-level item was answered by fewer than k respondents
  unlabelled_respondents,        ///< respondents without a group label (or unit) count in the overall results only
  // Anonymity (org/rollup, org/report, org/disclosure)
  search_budget_exhausted,      ///< the anonymity search ran out of budget, so cells were hidden
  withheld_by_joint_protection, ///< the joint protection of a report withheld figures
  small_groups_hidden,          ///< groups, units or cells with fewer than k respondents are hidden
  hidden_by_subtraction,        ///< further groups or units are hidden so that small ones cannot be worked out
  participation_not_shown,      ///< a unit has more respondents than invited, so no participation rate
  // Internal service (org/internal_service)
  internal_service, ///< something a reader of the internal-service matrix should know
  // Models (models/linkage, models/momentum)
  few_units_per_predictor, ///< fewer than 10 units per predictor
  pooled_repeated_units,   ///< waves pooled without clustering the standard errors by unit
  rates_not_estimated,     ///< the waves do not identify the momentum rates
  model_note,              ///< another note on a model's fit
  // Input (io)
  likely_id_column, ///< no id column in a CSV header, but another column looks like one
};

/// A warning of a result: a code a program can switch on, and the sentence a report prints.
struct warning {
  warning_code code;   ///< what it is about
  std::string message; ///< the sentence, for a reader

  /// Equal when both the code and the sentence are.
  friend bool operator==(const warning&, const warning&) = default;
};

} // namespace ethos
