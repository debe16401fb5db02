/// \file
/// \brief Every construct's reliability, omega, within-group agreement and ICC over every group of a metadata column,
/// for research on data the caller may see in full: no minimum group size, no suppression, not a publication path.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/measure/instrument.hpp>
#include <ethos/measure/response_matrix.hpp>
#include <ethos/measure/scoring.hpp>
#include <ethos/stats/agreement.hpp>
#include <ethos/stats/factor.hpp>
#include <ethos/stats/moments.hpp>
#include <ethos/stats/reliability.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ethos {

/// What analyse_over_groups computes and how.
struct group_analysis_options {
  scoring_options scoring;      ///< the person scores ICC is computed from (min_answered), as assess() scores them
  std::optional<double> ranvar; ///< rwg(j)'s null variance; empty: the uniform null of the scale, (A^2 - 1) / 12
  cfa_options search;           ///< the search of omega's one-factor model
};

/// One group: a non-empty label of the grouping column.
struct research_group {
  std::string id;    ///< the label
  std::size_t n = 0; ///< rows with this label
};

/// One construct over every group: every figure is over the rows with a label (research_group_analysis::unlabelled
/// rows are in none of them).
struct construct_over_groups {
  std::string construct;          ///< the construct's key
  std::vector<std::string> items; ///< its Likert items, in instrument order (reverse items keyed)
  reliability_result reliability; ///< alpha and the item statistics, psych-style (pairwise), as assess() gives them
  std::uint64_t complete = 0;     ///< rows with every item answered: omega's rows, and agreement's listwise rows
  omega_result omega;             ///< omega total over the complete rows, as fit_measurement_model gives it
  /// Per group (research_group_analysis::groups order): rwg(j), awg and AD on the group's listwise-complete rows.
  std::vector<group_agreement> agreement;
  /// Per group: the person scores ICC is computed from (their n, mean and sum of squares).
  std::vector<running_moments> scores;
  agreement_summary rwg_j; ///< rwg(j) over the groups that have one
  agreement_summary awg;   ///< awg over the groups that have one
  /// AD over the groups that have one (share_ge_070 stays empty: AD has no 0.70 rule, smaller is better).
  agreement_summary ad_m;
  icc_result icc; ///< ICC(1)/ICC(2) of the person scores on the groups (multilevel's, k0 = N / G)
};

/// A research analysis of every construct over every group of one metadata column.
struct research_group_analysis {
  std::string group_by;                          ///< the grouping column
  std::size_t rows = 0;                          ///< rows of the response matrix
  std::size_t unlabelled = 0;                    ///< rows with an empty label: in no group and left out of every figure
  std::vector<research_group> groups;            ///< every group, small ones included, in byte order of the labels
  std::vector<construct_over_groups> constructs; ///< each construct with Likert items, in instrument order
};

/// For research only: each construct's reliability (psych's alpha), omega total (lavaan's one-factor model), rwg(j),
/// awg and AD per group with their summaries, and ICC(1)/ICC(2), over every group of `column` (every non-empty
/// label), however small. It is the plumbing of assess() without its rules, for a researcher who may see the data in
/// full (the analyst of a study, on their own machine).
///
/// **Not a publication path.** Nothing here applies a minimum group size, hides a group or is audited: per-group
/// agreement of a group of two people, or a summary over all groups next to the figures of the groups a report shows,
/// can give away what individuals answered. Anything shown to people (a report, a dashboard, a slide) goes through
/// assess() or build_report(), which publish only what their disclosure audit proves safe (see docs/privacy.md).
///
///     auto r = ethos::analyse_over_groups(ethos::instruments::service_culture_audit.view(), matrix, "department");
///     for (const auto& c : r.constructs) {
///       std::printf("%s: alpha %.2f, ICC(1) %.2f\n", c.construct.c_str(), *c.reliability.alpha, *c.icc.icc1);
///     }
///
/// The figures equal the library's lower-level calls on the same rows: a likert_accumulator per construct with one
/// group per label (reliability(), agreement(), summarize_agreement()), covariance_accumulator and omega_total() (as
/// fit_measurement_model()), and icc() on the scoring engine's person scores per group (as assess(), so that item
/// weights apply).
/// \throws ethos::error when `m` has no metadata column `column`, or when a Likert item of the instrument
/// has no column in `m` (naming them), or for scoring options the instrument does not allow.
ETHOS_DECL research_group_analysis analyse_over_groups(const instrument_view& inst, const response_matrix& m,
                                                       std::string_view column, const group_analysis_options& opt = {});

/// As above, for a run-time instrument.
ETHOS_DECL research_group_analysis analyse_over_groups(const instrument& inst, const response_matrix& m,
                                                       std::string_view column, const group_analysis_options& opt = {});

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/models/impl/group_analysis.ipp>
#endif
