/// \file
/// \brief Within-group agreement (rwg, rwg(j), awg, AD) and ICC(1)/ICC(2) as multilevel 2.7 computes them.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/stats/accumulator.hpp>
#include <ethos/stats/moments.hpp>
#include <ethos/status.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ethos {

/// What group_agreement::reason says for each code agreement() gives ("" for none): the text is a function of
/// the code, so results that hold many cells keep the code only.
constexpr std::string_view agreement_reason(reason_code code) noexcept {
  switch (code) {
  case reason_code::no_data:
    return "no respondent answered every item";
  case reason_code::too_few_cases:
    return "a single complete respondent";
  case reason_code::undefined:
    return "awg: every item mean is outside the range where awg is defined";
  default:
    return "";
  }
}

/// Agreement of one group, computed on its listwise-complete rows (every item answered), as multilevel's
/// rwg.j, awg and ad.m do after na.exclude.
struct group_agreement {
  std::uint64_t n = 0;                  ///< listwise-complete rows of the group
  std::optional<double> rwg_j;          ///< multi-item rwg(j) against the uniform null
  std::optional<double> awg;            ///< Brown & Hauenstein's a(wg), mean over items (items with no value skipped)
  std::optional<double> ad_m;           ///< average deviation from the item mean, mean over items
  std::string reason;                   ///< why values are empty, if some are
  reason_code code = reason_code::none; ///< `reason` as a code (no_data, too_few_cases, undefined for awg)
};

/// The uniform-null variance of an A-point scale, (A^2 - 1) / 12 (2 for five points).
constexpr double uniform_null_variance(std::size_t points) noexcept {
  return (static_cast<double>(points) * static_cast<double>(points) - 1.0) / 12.0;
}

/// Per-group agreement from group moments (of an accumulator, or summed over groups, e.g. the units of a
/// subtree): rwg(j), awg and AD; `cfg` gives the scale bounds. `ranvar` defaults to the uniform null.
ETHOS_DECL std::vector<group_agreement> agreement(const group_moments& g, const likert_config& cfg,
                                                  std::optional<double> ranvar = {});

namespace detail {
/// rwg(j) of one group and its code, exactly as agreement() gives them, without awg and AD.
struct group_rwg_j {
  std::optional<double> rwg_j;
  reason_code code = reason_code::none; ///< as group_agreement::code (undefined: no item has an awg)
};
/// The rwg(j) of one group against the null variance `ranvar`, from its listwise counts in 32 bits
/// (`hist[i * points + v]`: rows whose keyed answer to item i is min + v) and its `rows`: what the roll-up needs of
/// each shown cell.
ETHOS_DECL group_rwg_j rwg_j_of_counts(std::span<const std::uint32_t> hist, std::uint64_t rows, std::size_t points,
                                       const likert_config& cfg, double ranvar);
} // namespace detail

/// Per-group agreement of an accumulator's items (rwg(j), awg, AD). `ranvar` defaults to the uniform null
/// of the scale; awg uses the scale bounds as its range.
ETHOS_DECL std::vector<group_agreement> agreement(const likert_accumulator& acc, std::optional<double> ranvar = {});

/// Single-item rwg per group (multilevel::rwg) for item `item` of the accumulator, on its listwise rows; for
/// the available-case version of multilevel, accumulate that item alone (a one-item accumulator).
ETHOS_DECL std::vector<std::optional<double>> rwg(const likert_accumulator& acc, std::size_t item = 0,
                                                  std::optional<double> ranvar = {});

/// Summary of an agreement index over groups: groups with a value, their mean and median, and the share of
/// them at or above 0.70 (the usual threshold for aggregating to the group).
struct agreement_summary {
  std::size_t groups = 0;             ///< groups with a value
  std::optional<double> mean;         ///< mean of the values; empty when groups == 0
  std::optional<double> median;       ///< median of the values; empty when groups == 0
  std::optional<double> share_ge_070; ///< share of the values >= 0.70; empty when groups == 0
};

/// Summarises per-group values; empty values are skipped.
ETHOS_DECL agreement_summary summarize_agreement(std::span<const std::optional<double>> values);

/// ICC(1) and ICC(2) of person construct scores on group, from the one-way ANOVA (multilevel::ICC1/ICC2 on
/// aov(score ~ factor(group)); k0 = N / G). Groups without a scored respondent are left out, as aov does.
struct icc_result {
  std::uint64_t n = 0;                  ///< scored respondents
  std::size_t groups = 0;               ///< groups with at least one
  std::optional<double> msb;            ///< mean square between groups
  std::optional<double> msw;            ///< mean square within groups
  std::optional<double> icc1;           ///< (MSB - MSW) / (MSB + (k0 - 1) MSW)
  std::optional<double> icc2;           ///< (MSB - MSW) / MSB, the reliability of the group means
  std::string reason;                   ///< why a value is empty, if one is
  reason_code code = reason_code::none; ///< `reason` as a code (too_few_groups, too_few_cases, no_variance)
};

/// ICC(1)/ICC(2) of the accumulator's person scores.
ETHOS_DECL icc_result icc(const likert_accumulator& acc);

/// ICC(1)/ICC(2) from exact per-group score sums (an accumulator's groups(), or groups put side by side from several
/// accumulators of one design, e.g. one state per team): the same computation as icc(acc), group by group in order.
ETHOS_DECL icc_result icc(const group_moments& g);

/// Several accumulators' groups side by side as one set of group moments: one group per accumulator, in the order
/// given, holding all of that accumulator's groups added together. ICC across states kept one per group (a team's
/// state in a database, say) is icc(side_by_side(states)), the same as one accumulator grouped by team gives.
/// \throws ethos::error when an accumulator has no groups (its score sums live in its groups) or the designs
/// differ in anything but the number of groups.
ETHOS_DECL group_moments side_by_side(std::span<const likert_accumulator* const> states);

/// ICC(1)/ICC(2) from per-group running moments of any (e.g. weighted) person scores: the same one-way ANOVA,
/// with SSW = sum of the groups' M2 and SSB from their means (Welford/Chan, no integer scaling needed).
ETHOS_DECL icc_result icc(std::span<const running_moments> groups);

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/stats/impl/agreement.ipp>
#endif
