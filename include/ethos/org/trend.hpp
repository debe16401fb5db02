/// \file
/// \brief Change between two survey waves for one unit and construct, under the anonymity rules.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/org/rollup.hpp>
#include <ethos/stats/compare.hpp>
#include <ethos/stats/moments.hpp>
#include <ethos/status.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace ethos {

/// How two waves are compared.
struct trend_options {
  /// A side with fewer respondents than this shows no number (at least `lowest_min_group_size`, i.e. 3).
  std::size_t min_group_size = 5;
  /// A change counts as significant when Welch's two-sided p is below this (strictly between 0 and 1).
  double alpha = 0.05;
};

/// One unit x construct in one wave: the summary of its person scores and whether the wave's own anonymity
/// rules let it be shown (`shown = false` for a group that was too small or hidden to protect others).
struct trend_cell {
  sample_summary summary; ///< n, mean and SD of the person scores
  bool shown = true;      ///< false when the wave's report hid this cell
};

/// The change of one construct in one unit from an earlier wave to a later one.
///
/// Privacy: a side that is hidden or has fewer than `min_group_size` respondents contributes no number at all:
/// its mean is empty, and so are the change, the test, the effect size and the verdict, because any of them next
/// to the other side's mean would give the hidden mean away. Only the respondent counts are always reported.
struct construct_change {
  std::size_t n_before = 0;        ///< respondents in the earlier wave (always reported: a count is not an answer)
  std::size_t n_after = 0;         ///< respondents in the later wave (always reported)
  std::optional<double> before;    ///< earlier mean, when that side is shown with at least k respondents
  std::optional<double> after;     ///< later mean, when that side is shown with at least k respondents
  std::optional<double> change;    ///< after - before, when both sides are shown with at least k respondents
  welch_result welch;              ///< Welch's t of after vs before (t > 0: the score rose), as R t.test(after, before)
  effect_size_result d;            ///< Cohen's d of after vs before with the pooled SD (positive: the score rose)
  std::optional<bool> significant; ///< p < alpha; empty when no test was possible
  std::string reason;              ///< why change or significant is empty, if one is
  reason_code code = reason_code::none; ///< `reason` as a code (`withheld` when a side is hidden or below k)
};

/// Compares one construct of one unit across two waves: the means, their difference (after - before), Welch's t
/// test and Cohen's d, both computed as after minus before so that a positive t or d means the score rose.
/// The waves are treated as independent samples (anonymous surveys cannot pair people across waves).
///
/// Numbers of a side that is hidden or has fewer than `opt.min_group_size` respondents are never read (they may
/// be anything, NaN included) and nothing derived from them is returned; `reason` then says which side failed,
/// e.g. "hidden in the earlier wave" or "fewer than 5 respondents in the later wave".
/// \code
///   auto c = ethos::compare_waves({{42, 3.61, 0.82}}, {{45, 3.94, 0.77}});
///   // *c.change ~ 0.33, c.welch.t > 0, *c.significant tells whether p < 0.05
/// \endcode
/// \throws ethos::error when `opt.min_group_size` is below 3, `opt.alpha` is not strictly between 0 and 1, or a
/// side that is used has a non-finite mean or a non-finite or negative SD.
ETHOS_DECL construct_change compare_waves(const trend_cell& before, const trend_cell& after,
                                          const trend_options& opt = {});

/// One unit's changes between two roll-ups, one per construct present in both.
struct unit_trend {
  std::string unit;                         ///< unit id ("" for the organisation)
  std::vector<construct_change> constructs; ///< in the order of rollup_trend::constructs
};

/// Two waves of an organisation compared unit by unit (matched by id) and construct by construct (by key).
struct rollup_trend {
  std::vector<rollup_construct> constructs;    ///< constructs present in both waves, in the later wave's order
  std::vector<unit_trend> units;               ///< units present in both waves, in the later wave's tree order
  std::vector<std::string> only_before;        ///< unit ids of the earlier wave alone
  std::vector<std::string> only_after;         ///< unit ids of the later wave alone
  std::vector<std::string> constructs_dropped; ///< construct keys present in one wave only
};

/// Compares two roll-ups: for each unit and construct in both, compare_waves on the cells' n, mean and SD,
/// with each wave's own suppression deciding what may be used (a cell hidden in either wave shows no change).
/// \throws ethos::error for k < 3 or an alpha outside (0, 1).
ETHOS_DECL rollup_trend compare_rollups(const org_rollup& before, const org_rollup& after,
                                        const trend_options& opt = {});

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/org/impl/trend.ipp>
#endif
