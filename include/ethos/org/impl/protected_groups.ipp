// ethos/org/impl/protected_groups.ipp: definitions of ethos/org/protected_groups.hpp (compiled into ethos::compiled,
// or included by the header in header-only mode).
#pragma once
#include <ethos/org/protected_groups.hpp>

#include <ethos/detail/int128.hpp>
#include <ethos/error.hpp>
#include <ethos/stats/agreement.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ethos {
namespace detail {

// The figures of one shown group from its (merged) state: exact score sums for the mean and SD, the answer patterns
// of the rows with a score for the favourable share, the listwise counts for rwg(j).
ETHOS_DECL group_state_figures state_figures(const likert_accumulator& acc, const favorability_bands& bands) {
  const likert_config& cfg = acc.config();
  // The state's groups added together: one group.
  const likert_accumulator* one[] = {&acc};
  const group_moments g = side_by_side(one);
  group_state_figures f;
  f.n = g.score_n[0];
  const std::uint64_t sum = g.score_sum[0];
  const uint128 sumsq = g.score_sumsq[0];
  const auto points = static_cast<std::size_t>(cfg.max - cfg.min + 1);
  const std::vector<std::uint32_t> hist(g.listwise_hist.begin(), g.listwise_hist.end()); // < 2^32 rows: exact
  const std::uint64_t listwise = g.listwise_n[0];
  using wide = long double;
  const wide scale = static_cast<wide>(g.score_scale);
  if (f.n > 0) {
    // The score sums are of keyed answers shifted to 0 (keyed - min): the scale's minimum comes back here, exactly.
    const int128 shifted = static_cast<int128>(cfg.min) * static_cast<int128>(f.n) * static_cast<int128>(g.score_scale);
    f.mean =
        static_cast<double>(static_cast<wide>(static_cast<int128>(sum) + shifted) / (static_cast<wide>(f.n) * scale));
  } else {
    f.mean_reason = "no respondent has a score";
  }
  if (f.n > 1) {
    const auto n = static_cast<int128>(f.n);
    const int128 centred = n * static_cast<int128>(sumsq) - static_cast<int128>(sum) * static_cast<int128>(sum);
    const wide var = static_cast<wide>(centred) / (static_cast<wide>(n) * static_cast<wide>(n - 1) * scale * scale);
    f.sd = static_cast<double>(std::sqrt(var));
  } else {
    f.sd_reason = f.n == 0 ? "no respondent has a score" : "fewer than 2 respondents";
  }
  if (acc.counts_patterns()) {
    std::uint64_t band[3] = {0, 0, 0};
    const std::size_t need = cfg.min_answered;
    acc.for_each_pattern([&](std::span<const std::uint8_t> digits, std::uint64_t count) {
      const auto answered =
          static_cast<std::size_t>(std::count_if(digits.begin(), digits.end(), [](std::uint8_t d) { return d > 0; }));
      if (answered < need) {
        return; // no score: not one of the people the figures describe
      }
      for (const std::uint8_t d : digits) {
        if (d == 0) {
          continue;
        }
        const int keyed = cfg.min + d - 1;
        band[keyed >= bands.favorable_min ? 2 : keyed <= bands.unfavorable_max ? 0 : 1] += count;
      }
    });
    const std::uint64_t answers = band[0] + band[1] + band[2];
    if (answers > 0) {
      f.favorable = static_cast<double>(band[2]) / static_cast<double>(answers);
    } else {
      f.favorable_reason = "no answers";
    }
  } else {
    f.favorable_reason = "needs the answer patterns, which this design has too many of to count";
  }
  const auto rwg = rwg_j_of_counts(hist, listwise, points, cfg, uniform_null_variance(points));
  f.rwg_j = rwg.rwg_j;
  f.rwg_j_reason = std::string(agreement_reason(rwg.code));
  return f;
}

} // namespace detail

ETHOS_DECL protected_groups_result protect_group_states(std::size_t k, std::span<const std::optional<std::string>> keys,
                                                        std::span<const likert_accumulator* const> states,
                                                        std::optional<favorability_bands> bands) {
  detail::check_min_group_size(k, "protected groups");
  if (keys.size() != states.size()) {
    throw error("protected groups: " + std::to_string(keys.size()) + " group keys for " +
                std::to_string(states.size()) + " states (one key per state)");
  }
  protected_groups_result out;
  if (states.empty()) {
    return out;
  }
  // Every state of one design (the number of groups aside: they are added together).
  const likert_config& first = states[0]->config();
  for (std::size_t s = 0; s < states.size(); ++s) {
    likert_config cfg = states[s]->config();
    if (cfg.groups == 0) {
      throw error("protected groups: state " + std::to_string(s + 1) +
                  " has no groups, so no score sums (the database aggregate makes every state with one)");
    }
    cfg.groups = first.groups;
    if (!(cfg == first)) {
      throw error("protected groups: state " + std::to_string(s + 1) +
                  " has another design than state 1 (items, scale, keying or min_answered differ): one construct's "
                  "states only");
    }
  }
  const favorability_bands fb = bands ? *bands : likert_scale::default_bands(first.min, first.max);
  // One merged state per label, in label order; the unlabelled rows count in the whole only.
  std::deque<likert_accumulator> merged;
  std::map<std::string, const likert_accumulator*> by_key;
  std::map<std::string, likert_accumulator*> owned;
  std::uint64_t all_rows = 0;
  std::uint64_t unlabelled_scored = 0;
  for (std::size_t s = 0; s < states.size(); ++s) {
    const likert_accumulator& acc = *states[s];
    all_rows += acc.rows();
    if (!keys[s]) {
      const likert_accumulator* one[] = {&acc};
      unlabelled_scored += side_by_side(one).score_n[0];
      continue;
    }
    const auto it = by_key.find(*keys[s]);
    if (it == by_key.end()) {
      by_key.emplace(*keys[s], &acc);
      continue;
    }
    auto own = owned.find(*keys[s]);
    if (own == owned.end()) {
      merged.push_back(*it->second);
      own = owned.emplace(*keys[s], &merged.back()).first;
      it->second = own->second;
    }
    if (own->second->config().groups != acc.config().groups) {
      std::vector<std::uint32_t> to_one(acc.config().groups, 0);
      own->second->merge(acc.regrouped(to_one, own->second->config().groups));
    } else {
      own->second->merge(acc);
    }
  }
  // The rules assess() applies to a flat grouping: the groups as one level under everyone, first on respondents,
  // then on the respondents with a score, starting from the first pass's statuses.
  const std::size_t groups = by_key.size();
  std::vector<std::size_t> parent(groups + 1, 0);
  parent[0] = static_cast<std::size_t>(-1);
  std::vector<std::size_t> persons(groups + 1, 0);
  std::vector<suppression> status(groups + 1, all_rows < k ? suppression::too_small : suppression::none);
  std::vector<std::size_t> scored(groups + 1, 0);
  std::vector<const likert_accumulator*> group_state;
  persons[0] = static_cast<std::size_t>(all_rows);
  scored[0] = static_cast<std::size_t>(unlabelled_scored);
  for (const auto& [key, acc] : by_key) {
    const std::size_t g = group_state.size() + 1;
    group_state.push_back(acc);
    persons[g] = static_cast<std::size_t>(acc->rows());
    status[g] = persons[g] < k ? suppression::too_small : suppression::none;
    const likert_accumulator* one[] = {acc};
    scored[g] = static_cast<std::size_t>(side_by_side(one).score_n[0]);
    scored[0] += scored[g];
    protected_group row;
    row.key = key;
    row.respondents = acc->rows();
    out.groups.push_back(std::move(row));
  }
  protect_tree(parent, persons, status, k);
  std::vector<suppression> construct_status(status);
  construct_status[0] = suppression::none;
  protect_tree(parent, scored, construct_status, k);
  // The audit: the overall figure (when it is published: k or more with a score) and the shown groups, over the
  // classes of persons with a score (one per group, one for the unlabelled rows).
  class_cells cc;
  cc.persons.push_back(unlabelled_scored);
  std::vector<std::uint32_t> everyone;
  if (unlabelled_scored > 0) {
    everyone.push_back(0);
  }
  for (std::size_t g = 1; g <= groups; ++g) {
    cc.persons.push_back(scored[g]);
    if (scored[g] > 0) {
      everyone.push_back(static_cast<std::uint32_t>(g));
    }
  }
  if (scored[0] >= k && !everyone.empty()) {
    cc.cells.push_back(everyone);
    cc.labels.emplace_back("all respondents");
  }
  for (std::size_t g = 1; g <= groups; ++g) {
    protected_group& row = out.groups[g - 1];
    row.status = status[g] != suppression::none ? status[g] : construct_status[g];
    if (row.status != suppression::none) {
      row.reason = hidden_reason(row.status, k);
      continue;
    }
    row.figures = detail::state_figures(*group_state[g - 1], fb);
    if (scored[g] > 0) {
      cc.cells.push_back({static_cast<std::uint32_t>(g)});
      cc.labels.push_back("group '" + row.key + "'");
    }
  }
  disclosure_options opt;
  opt.min_group_size = k;
  out.audit = audit_class_cells(cc, opt);
  if (!out.audit.safe()) {
    std::string why = out.audit.findings.empty() ? std::string("the audit's search ran out before it finished")
                                                 : out.audit.findings.front().message;
    throw error("protected groups: the disclosure audit does not prove the groups' figures safe (" + why +
                "); nothing is published");
  }
  return out;
}

} // namespace ethos
