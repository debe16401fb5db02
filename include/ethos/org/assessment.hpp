/// \file
/// \brief One survey assessed end to end: scores, reliability, agreement, eNPS and groups under a minimum group
/// size, with the secondary suppression that stops a hidden group being derived.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/framework/vocabulary.hpp>
#include <ethos/measure/instrument.hpp>
#include <ethos/measure/response_matrix.hpp>
#include <ethos/measure/scoring.hpp>
#include <ethos/org/disclosure.hpp>
#include <ethos/stats/agreement.hpp>
#include <ethos/stats/factor.hpp>
#include <ethos/stats/polychoric.hpp>
#include <ethos/stats/reliability.hpp>
#include <ethos/status.hpp>

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ethos {

/// Which groups a construct's agreement summary (ICC(1)/ICC(2) and the rwg(j) summary) is computed over.
enum class agreement_scope : unsigned char {
  shown, ///< the groups that show the construct (the default)
  all,   ///< every group of the grouping column, where that publishes nothing of a hidden group
};

/// The vocabulary of `agreement_scope`: for each value its key, display name and a sentence.
template <>
struct vocabulary_traits<agreement_scope> {
  /// One entry per value, in declaration order.
  static constexpr std::array<vocabulary_entry<agreement_scope>, 2> entries{{
      {agreement_scope::shown, "shown", "Shown groups",
       "ICC and the rwg(j) summary use the respondents of the groups that show the construct."},
      {agreement_scope::all, "all", "All groups",
       "ICC and the rwg(j) summary use every group, small ones included, for each construct on which no group with "
       "a score is hidden; otherwise the shown groups, with the reason."},
  }};
};
static_assert(detail::vocabulary_table_is_valid<agreement_scope>());

/// What to assess and how.
struct assessment_options {
  std::string group_by;           ///< metadata column that defines groups; empty: no groups
  std::size_t min_group_size = 5; ///< groups with fewer respondents show no score (at least 3)
  scoring_options scoring;        ///< passed to the scoring engine and to the accumulators
  double low_reliability = 0.70;  ///< alpha below this raises a warning
  double low_agreement = 0.70;    ///< mean rwg(j) below this raises a warning
  /// The groups each construct's ICC and rwg(j) summary are over. `all` takes every group, those below the minimum
  /// size included, but only for a construct on which no group with a score is hidden: a summary over all groups
  /// together with the shown groups' own figures would let a hidden group's figures be worked out (its rwg(j) from
  /// the mean of rwg(j) by subtraction, its mean from ICC with the overall SD), so any other construct keeps the
  /// summary over its shown groups and says why (construct_agreement::over_reason). Group cells are hidden exactly
  /// as with `shown`. For figures over every group without these rules, on data the caller may see in full, see
  /// analyse_over_groups (ethos/models/group_analysis.hpp), which is not a publication path.
  agreement_scope agreement_over = agreement_scope::shown;
  /// Group cells to hide as well, as (construct key, group id): what build_report's joint protection withholds when
  /// groups are published next to other sections. They count as hidden for the differencing rule.
  std::vector<std::pair<std::string, std::string>> hide{};
  /// Group cells to show although the groups' own differencing rule hides them, as (construct key, group id): what
  /// build_report's joint protection found the rest of the report already determines (the same people's figures
  /// shown in the units section, say), so that no set of people is hidden in one section and shown in another.
  /// Never a group with fewer than the minimum group size.
  std::vector<std::pair<std::string, std::string>> show{};
  /// Threads for the constructs, each assessed on its own (0: one per hardware thread). The result is the same
  /// whatever the number.
  std::size_t threads = 1;
};

/// How agreement looks across the groups for one construct: over the shown groups, or over all groups when
/// assessment_options::agreement_over asks for them and that is safe (see there); `over` says which.
struct construct_agreement {
  icc_result icc;                                ///< ICC(1)/ICC(2) over respondents of the groups `over` names
  agreement_summary rwg_j;                       ///< rwg(j) over the groups `over` names
  std::string rwg_j_reason;                      ///< why the summary is empty, if it is
  reason_code rwg_j_code = reason_code::none;    ///< `rwg_j_reason` as a code
  agreement_scope over = agreement_scope::shown; ///< the groups the figures are over
  /// Why the figures are over the shown groups although all groups were asked for (empty otherwise).
  std::string over_reason;
  reason_code over_code = reason_code::none; ///< `over_reason` as a code (withheld)
};

/// One construct: the scoring summary, its item ids, reliability and (when grouped) agreement. Every figure is
/// over the respondents with a score on the construct (`summary.n` of them): the mean and SD, the favourable
/// shares (their answers only) and reliability (their rows, pairwise as psych).
struct construct_assessment {
  construct_summary summary;      ///< the scoring engine's summary (n, mean, SD, shares ...)
  std::vector<std::string> items; ///< item ids in instrument order
  reliability_result reliability; ///< alpha and the item statistics, psych-style
  /// omega total of a one-factor model of the keyed items (as lavaan), over the same respondents' complete rows
  omega_result omega;
  /// alpha of the items' polychoric correlations (as psych's `alpha(polychoric(x)$rho)`), same respondents
  ordinal_alpha_result ordinal_alpha;
  std::optional<construct_agreement> agreement; ///< when grouped: ICC and rwg(j) over the shown groups
  /// `too_small` when fewer than k respondents have a score: then `summary` keeps its counts of people (n, items)
  /// and nothing else, and reliability is empty.
  suppression status = suppression::none;
};

/// One construct within one shown group.
struct group_construct {
  std::size_t n = 0;                          ///< respondents of the group with a score on the construct
  std::optional<double> mean;                 ///< mean person score
  std::optional<double> favorable;            ///< share of the group's keyed answers that are favourable
  std::optional<double> rwg_j;                ///< within-group agreement on the construct's items (listwise rows)
  std::string rwg_j_reason;                   ///< why rwg_j is empty in a shown cell
  reason_code rwg_j_code = reason_code::none; ///< `rwg_j_reason` as a code
  /// Whether this construct's figures are shown: the people behind them are the group's respondents with a
  /// score on the construct, so a group can be shown overall and still hide a construct on which only 1..k-1
  /// of its people have a score (or whose figure would let such a set be derived). Hidden: n only.
  suppression status = suppression::none;
};

/// One group of the grouping column. A suppressed group carries only its label and size: no score of it
/// exists in the assessment, so no report built from it can show one.
struct group_assessment {
  std::string id;                             ///< the group's label
  std::size_t n = 0;                          ///< respondents with this label
  suppression suppressed = suppression::none; ///< why the group shows no score, if it shows none
  std::vector<group_construct> constructs;    ///< one per construct; empty when suppressed
};

/// How many response rows were read and how many were used; `assess` fills rows = used = the matrix's rows,
/// and a reader that skipped invalid rows (see io/csv.hpp) sets `rows` and `invalid`.
struct respondent_counts {
  std::size_t rows = 0;    ///< data rows read
  std::size_t used = 0;    ///< rows in the response matrix
  std::size_t invalid = 0; ///< rows refused and skipped
};

/// Everything a report needs about one survey.
struct assessment {
  std::string instrument_id;                    ///< the instrument's id
  std::string title;                            ///< the instrument's title
  likert_scale scale = scales::agree5;          ///< the instrument's Likert scale
  respondent_counts counts;                     ///< see respondent_counts
  std::vector<construct_assessment> constructs; ///< in instrument order
  std::optional<enps_result> enps;              ///< when the instrument names an NPS item
  /// `too_small` when fewer than k respondents answered the NPS item: `enps` then holds `n` and a reason only.
  suppression enps_status = suppression::none;
  std::vector<service_level_item_summary> service_levels; ///< the six-level items, in instrument order
  /// One per six-level item: `too_small` when fewer than k respondents answered it (its distribution is then all
  /// zeros, and `service_level_n` still counts the answers).
  std::vector<suppression> service_level_status;
  std::vector<std::size_t> service_level_n; ///< answers per six-level item
  std::string group_by;                     ///< empty when not grouped
  std::size_t min_group_size = 5;           ///< k, the minimum group size the assessment was made under
  /// The groups asked for in the agreement summaries (assessment_options::agreement_over); each construct's
  /// construct_agreement::over says which it got.
  agreement_scope agreement_over = agreement_scope::shown;
  std::size_t ungrouped = 0;            ///< respondents with an empty group label
  std::vector<group_assessment> groups; ///< in alphabetical (byte) order of their labels
  std::vector<warning> warnings;        ///< for the reader of a report: a code and a plain sentence each
};

namespace detail {

// Clears every figure of a construct, keeping its key, label and counts of items and people, with the reason.
ETHOS_DECL void withhold_construct(construct_assessment& ca, suppression status, const std::string& reason);

} // namespace detail

/// Assesses `m` answered on `inst`: per construct the scoring summary, psych-style reliability and (when
/// grouped) ICC and rwg(j); eNPS; per group the construct means, favourable shares and rwg(j) under the minimum
/// group size.
///
/// Privacy: groups below `min_group_size` show no score; further groups are hidden while the respondents
/// outside shown groups number 1..k-1 (they could be derived from the overall result by subtraction); ICC and
/// the rwg(j) summary use shown groups only (with `agreement_over` all: every group, where no group with a score
/// on the construct is hidden). When the whole survey has fewer than k respondents, no construct score is reported
/// at all.
///
///     ethos::assessment_options opt;
///     opt.group_by = "team";
///     ethos::assessment a = ethos::assess(ethos::instruments::service_culture_audit, matrix, opt);
///
/// This overload takes the scoring engine's result for `inst` and `m` (so a caller that also needs the person
/// scores scores once); the one below scores with `opt.scoring` itself.
ETHOS_DECL assessment assess(const instrument_view& inst, const response_matrix& m, const scoring_result& scored,
                             const assessment_options& opt = {});

/// As above, for a run-time instrument.
/// Scores `m` with `inst` (options `opt.scoring`) and assesses the result; see above.
ETHOS_DECL assessment assess(const instrument_view& inst, const response_matrix& m, const assessment_options& opt = {});

/// As above, for a run-time instrument.
ETHOS_DECL assessment assess(const instrument& inst, const response_matrix& m, const assessment_options& opt = {});

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/org/impl/assessment.ipp>
#endif
