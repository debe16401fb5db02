/// \file
/// \brief Per-group figures of one construct from one accumulator per group (states kept per team or department in
/// a database, say), under the rules assess() applies to a flat grouping, proven by the disclosure audit.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/measure/scale.hpp>
#include <ethos/org/disclosure.hpp>
#include <ethos/stats/accumulator.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ethos {

/// The published figures of one construct in one shown group, all over the group's respondents with a score (rows
/// that answered at least min_answered items), as assess() gives a group's construct.
struct group_state_figures {
  std::uint64_t n = 0;             ///< respondents with a score
  std::optional<double> mean;      ///< mean person score, from the exact score sums
  std::optional<double> sd;        ///< SD of the person scores (n - 1), from the exact score sums
  std::optional<double> favorable; ///< share of their keyed answers in the favourable band
  std::optional<double> rwg_j;     ///< rwg(j) of the group's listwise rows against the uniform null
  std::string mean_reason;         ///< why mean is empty, if it is
  std::string sd_reason;           ///< why sd is empty, if it is
  std::string favorable_reason;    ///< why favorable is empty, if it is
  std::string rwg_j_reason;        ///< why rwg_j is empty, if it is
};

/// One group's row: its label, its respondents, whether its figures are shown, and the figures only when they are.
struct protected_group {
  std::string key;                            ///< the group's label
  std::uint64_t respondents = 0;              ///< the rows of the group's state (every respondent with the label)
  suppression status = suppression::none;     ///< none when the figures are shown
  std::string reason;                         ///< why they are hidden, in the words of every other output
  std::optional<group_state_figures> figures; ///< present exactly when status is none
};

/// The groups in label order (bytewise), and the audit of what they publish together with the overall figure.
struct protected_groups_result {
  std::vector<protected_group> groups; ///< one per distinct label
  disclosure_audit_result audit;       ///< over the overall cell and the shown groups' cells (persons with a score)
};

/// Applies assess()'s rules for a flat grouping to one construct given as one accumulator per group:
/// - a group with fewer than k respondents (its state's rows) is hidden (`too_small`); then, with the groups as one
///   level under all respondents (the states without a label included), the smallest shown groups are hidden
///   (`secondary`) until no total of 1..k-1 respondents can be had by subtraction from the overall figure;
/// - the same again on the respondents with a score on the construct, starting from those statuses;
/// - every figure is then computed from the shown groups' states only, and the disclosure audit proves that the
///   overall figure and the shown groups isolate no set of 1..k-1 persons (else ethos::error: nothing is published).
///
/// `keys[i]` labels `states[i]`; an empty optional means no group (those rows count in the whole only). States with
/// the same label are merged. Every state must have the same design and be grouped (its groups are added together:
/// the score sums and listwise counts live in the groups), as the database aggregate makes them.
/// `bands` gives the favourable band; favorable needs the answer patterns (designs of at most 65536 patterns).
/// \throws ethos::error for k < 3, mismatched sizes, states of different designs or without groups, or an audit
/// that does not prove the result safe.
ETHOS_DECL protected_groups_result protect_group_states(std::size_t k, std::span<const std::optional<std::string>> keys,
                                                        std::span<const likert_accumulator* const> states,
                                                        std::optional<favorability_bands> bands = {});

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/org/impl/protected_groups.ipp>
#endif
