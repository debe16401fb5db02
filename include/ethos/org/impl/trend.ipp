// ethos/org/impl/trend.ipp: definitions of ethos/org/trend.hpp (compiled into ethos::compiled, or included by the
// header in header-only mode).
#pragma once

#include <ethos/org/trend.hpp>

#include <ethos/error.hpp>
#include <ethos/org/disclosure.hpp>
#include <ethos/org/rollup.hpp>
#include <ethos/stats/compare.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ethos {

namespace detail {

// Why one side of a wave comparison cannot be used, or an empty string when it can.
ETHOS_DECL std::string trend_side_problem(const trend_cell& c, std::size_t k) {
  if (!c.shown) {
    return "hidden";
  }
  if (c.summary.n < k) {
    return "fewer than " + std::to_string(k) + " respondents";
  }
  return {};
}

} // namespace detail
ETHOS_DECL construct_change compare_waves(const trend_cell& before, const trend_cell& after, const trend_options& opt) {
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
    out.code = reason_code::withheld;
    // The test and effect size stay empty; they carry the same reason so a report can print either.
    out.welch.reason = out.reason;
    out.welch.code = out.code;
    out.d.reason = out.reason;
    out.d.code = out.code;
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
    out.code = reason_code::depends_on_other;
  }
  return out;
}

ETHOS_DECL rollup_trend compare_rollups(const org_rollup& before, const org_rollup& after, const trend_options& opt) {
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
