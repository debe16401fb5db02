// ethos/org/trend.hpp: change between two survey waves for one unit and construct, under the anonymity rules.
#pragma once

#include <ethos/error.hpp>
#include <ethos/org/disclosure.hpp>
#include <ethos/org/rollup.hpp>
#include <ethos/stats/compare.hpp>
#include <ethos/stats/moments.hpp>

#include <cmath>
#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
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
};

namespace detail {

/// Why one side of a wave comparison cannot be used, or an empty string when it can.
inline std::string trend_side_problem(const trend_cell& c, std::size_t k) {
  if (!c.shown) {
    return "hidden";
  }
  if (c.summary.n < k) {
    return "fewer than " + std::to_string(k) + " respondents";
  }
  return {};
}

} // namespace detail

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
inline construct_change compare_waves(const trend_cell& before, const trend_cell& after,
                                      const trend_options& opt = {}) {
  if (opt.min_group_size < lowest_min_group_size) {
    throw error("compare_waves: minimum group size " + std::to_string(opt.min_group_size) + " is below " +
                std::to_string(lowest_min_group_size));
  }
  if (!(opt.alpha > 0.0 && opt.alpha < 1.0)) {
    throw error("compare_waves: alpha must be strictly between 0 and 1, not " + std::to_string(opt.alpha));
  }
  const std::size_t k = opt.min_group_size;
  construct_change out;
  out.n_before = before.summary.n;
  out.n_after = after.summary.n;

  const std::string problem_before = detail::trend_side_problem(before, k);
  const std::string problem_after = detail::trend_side_problem(after, k);
  if (problem_before.empty()) {
    detail::check_summary(before.summary, "of the earlier wave");
    out.before = before.summary.mean;
  }
  if (problem_after.empty()) {
    detail::check_summary(after.summary, "of the later wave");
    out.after = after.summary.mean;
  }
  if (!problem_before.empty() || !problem_after.empty()) {
    if (problem_before == problem_after) {
      out.reason = problem_before + " in both waves";
    } else if (problem_after.empty()) {
      out.reason = problem_before + " in the earlier wave";
    } else if (problem_before.empty()) {
      out.reason = problem_after + " in the later wave";
    } else {
      out.reason = problem_before + " in the earlier wave; " + problem_after + " in the later wave";
    }
    // The test and effect size stay empty; they carry the same reason so a report can print either.
    out.welch.reason = out.reason;
    out.d.reason = out.reason;
    return out;
  }

  // welch_t and cohens_d compute a - b, so the later wave goes first.
  out.change = after.summary.mean - before.summary.mean;
  out.welch = welch_t(after.summary, before.summary);
  out.d = cohens_d(after.summary, before.summary);
  if (out.welch.p) {
    out.significant = *out.welch.p < opt.alpha;
  } else {
    out.reason = "no significance test: " + out.welch.reason;
  }
  return out;
}

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
inline rollup_trend compare_rollups(const org_rollup& before, const org_rollup& after, const trend_options& opt = {}) {
  rollup_trend out;
  std::vector<std::size_t> before_index; // per kept construct: index in `before`
  std::vector<std::size_t> after_index;
  for (std::size_t c = 0; c < after.constructs.size(); ++c) {
    std::optional<std::size_t> found;
    for (std::size_t b = 0; b < before.constructs.size(); ++b) {
      if (before.constructs[b].key == after.constructs[c].key) {
        found = b;
      }
    }
    if (found) {
      out.constructs.push_back(after.constructs[c]);
      before_index.push_back(*found);
      after_index.push_back(c);
    } else {
      out.constructs_dropped.push_back(after.constructs[c].key);
    }
  }
  for (const auto& b : before.constructs) {
    bool kept = false;
    for (const auto& a : out.constructs) {
      kept = kept || a.key == b.key;
    }
    if (!kept) {
      out.constructs_dropped.push_back(b.key);
    }
  }
  std::unordered_map<std::string, const unit_result*> earlier;
  for (const auto& u : before.units) {
    earlier.emplace(u.id, &u);
  }
  const auto cell_of = [](const unit_cell& c) {
    trend_cell t;
    t.summary.n = c.n;
    t.summary.mean = c.mean.value_or(0.0);
    t.summary.sd = c.sd.value_or(0.0);
    t.shown = c.shown() && c.mean.has_value();
    return t;
  };
  for (const auto& u : after.units) {
    const auto it = earlier.find(u.id);
    if (it == earlier.end()) {
      out.only_after.push_back(u.id);
      continue;
    }
    unit_trend ut;
    ut.unit = u.id;
    for (std::size_t i = 0; i < out.constructs.size(); ++i) {
      ut.constructs.push_back(
          compare_waves(cell_of(it->second->constructs[before_index[i]]), cell_of(u.constructs[after_index[i]]), opt));
    }
    out.units.push_back(std::move(ut));
    earlier.erase(it);
  }
  for (const auto& u : before.units) {
    if (earlier.count(u.id) != 0) {
      out.only_before.push_back(u.id);
    }
  }
  return out;
}

} // namespace ethos
