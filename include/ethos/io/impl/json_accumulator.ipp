// ethos/io/impl/json_accumulator.ipp: definitions of ethos/io/json_accumulator.hpp (compiled into ethos::compiled,
// or included by the header in header-only mode).
#pragma once
#include <ethos/io/json_accumulator.hpp>

#include <ethos/error.hpp>
#include <ethos/stats/covariance.hpp>
#include <ethos/stats/factor.hpp>
#include <ethos/stats/polychoric.hpp>
#include <ethos/stats/reliability.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ethos {
namespace detail {

// A statistic that may be missing: the value, or null with a sibling "<name>_reason" saying why (every results JSON
// writer uses it).
ETHOS_DECL void put_optional(nlohmann::ordered_json& obj, const std::string& name, const std::optional<double>& value,
                             const std::string& reason) {
  if (value) {
    obj[name] = *value;
  } else {
    obj[name] = nullptr;
    obj[name + "_reason"] = reason.empty() ? std::string("not available") : reason;
  }
}

// The `reliability` object of ethos.results/1: `r`'s figures with the items keyed by `keys` (one per item of r, or
// fewer: the items beyond are left out), then omega total and ordinal alpha.
ETHOS_DECL nlohmann::ordered_json reliability_object(const reliability_result& r, std::span<const std::string> keys,
                                                     const std::optional<double>& omega,
                                                     const std::string& omega_reason,
                                                     const std::optional<double>& ordinal,
                                                     const std::string& ordinal_reason) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  put_optional(j, "alpha", r.alpha, r.reason);
  put_optional(j, "std_alpha", r.std_alpha, r.reason);
  put_optional(j, "average_r", r.average_r, r.reason);
  if (r.feldt_lower && r.feldt_upper) {
    j["alpha_ci"] = nlohmann::ordered_json::array({*r.feldt_lower, *r.feldt_upper});
  } else {
    j["alpha_ci"] = nullptr;
    j["alpha_ci_reason"] = r.reason.empty() ? std::string("the Feldt interval is not defined here") : r.reason;
  }
  put_optional(j, "ase", r.ase, r.reason);
  nlohmann::ordered_json dropped = nlohmann::ordered_json::object();
  nlohmann::ordered_json r_drop = nlohmann::ordered_json::object();
  nlohmann::ordered_json reasons = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < r.items.size() && i < keys.size(); ++i) {
    const auto& it = r.items[i];
    dropped[keys[i]] = it.alpha_if_dropped ? nlohmann::ordered_json(*it.alpha_if_dropped) : nullptr;
    r_drop[keys[i]] = it.r_drop ? nlohmann::ordered_json(*it.r_drop) : nullptr;
    if ((!it.alpha_if_dropped || !it.r_drop) && !it.reason.empty()) {
      reasons[keys[i]] = it.reason;
    }
  }
  j["alpha_if_dropped"] = std::move(dropped);
  j["r_drop"] = std::move(r_drop);
  if (!reasons.empty()) {
    j["item_reasons"] = std::move(reasons);
  }
  put_optional(j, "omega_total", omega, omega_reason);
  put_optional(j, "ordinal_alpha", ordinal, ordinal_reason);
  return j;
}

ETHOS_DECL nlohmann::ordered_json agreement_entry_json(const group_agreement& g) {
  nlohmann::ordered_json d = nlohmann::ordered_json::object();
  d["n"] = g.n;
  put_optional(d, "rwg_j", g.rwg_j, g.reason);
  put_optional(d, "awg", g.awg, g.reason);
  put_optional(d, "ad_m", g.ad_m, g.reason);
  return d;
}

} // namespace detail

ETHOS_DECL std::string reliability_json(const likert_accumulator& acc, std::span<const std::string> item_keys) {
  const auto& cfg = acc.config();
  if (item_keys.size() != cfg.items) {
    throw error("reliability: " + std::to_string(item_keys.size()) + " item keys for " + std::to_string(cfg.items) +
                " items");
  }
  // omega total and ordinal alpha of the same rows, from the answer patterns (as assess() computes them).
  nlohmann::ordered_json j;
  if (acc.counts_patterns()) {
    covariance_accumulator cov(cfg.items, cfg.min, cfg.max, cfg.reverse);
    polychoric_accumulator poly(cfg.items, cfg.min, cfg.max, cfg.reverse);
    acc.for_each_pattern([&](std::span<const std::uint8_t> digits, std::uint64_t count) {
      cov.add_keyed(digits, count);
      poly.add_keyed(digits, count);
    });
    const auto o = omega_total(cov);
    const auto oa = ordinal_alpha(poly.polychoric());
    j = detail::reliability_object(reliability(acc), item_keys, o.omega, o.reason, oa.alpha, oa.reason);
  } else {
    const std::string why = "needs the answer patterns, which this design has too many of to count";
    j = detail::reliability_object(reliability(acc), item_keys, std::nullopt, why, std::nullopt, why);
  }
  j["rows"] = acc.rows();
  return j.dump();
}

ETHOS_DECL std::string agreement_json(const likert_accumulator& acc, std::optional<double> ranvar) {
  const auto& cfg = acc.config();
  group_moments g;
  if (cfg.groups > 0) {
    const likert_accumulator* one[] = {&acc};
    g = side_by_side(one);
  } else {
    // The rows as one group: the listwise rows' histogram, from the answer patterns.
    if (!acc.counts_patterns()) {
      throw error("agreement: an accumulator without groups needs its answer patterns, which this design has too "
                  "many of to count; configure groups");
    }
    g.groups = 1;
    g.items = cfg.items;
    g.points = static_cast<std::size_t>(cfg.max - cfg.min + 1);
    g.listwise_hist.assign(g.items * g.points, 0);
    g.listwise_n.assign(1, 0);
    g.score_n.assign(1, 0);
    g.score_sum.assign(1, 0);
    g.score_sumsq.assign(1, 0);
    acc.for_each_pattern([&](std::span<const std::uint8_t> digits, std::uint64_t count) {
      if (std::all_of(digits.begin(), digits.end(), [](std::uint8_t d) { return d > 0; })) {
        g.listwise_n[0] += count;
        for (std::size_t i = 0; i < digits.size(); ++i) {
          g.listwise_hist[i * g.points + digits[i] - 1U] += count;
        }
      }
    });
  }
  return detail::agreement_entry_json(agreement(g, cfg, ranvar).at(0)).dump();
}

ETHOS_DECL std::string group_agreement_json(const likert_accumulator& acc, std::optional<double> ranvar) {
  if (acc.config().groups == 0) {
    throw error("agreement by group: the accumulator has no groups");
  }
  const auto a = agreement(acc, ranvar);
  nlohmann::ordered_json groups = nlohmann::ordered_json::array();
  std::vector<std::optional<double>> values;
  for (const auto& g : a) {
    groups.push_back(detail::agreement_entry_json(g));
    values.push_back(g.rwg_j);
  }
  const auto s = summarize_agreement(values);
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  out["groups"] = std::move(groups);
  out["groups_with_rwg_j"] = s.groups;
  detail::put_optional(out, "rwg_j_mean", s.mean, "no group has an rwg(j)");
  detail::put_optional(out, "rwg_j_median", s.median, "no group has an rwg(j)");
  detail::put_optional(out, "rwg_j_share_ge_070", s.share_ge_070, "no group has an rwg(j)");
  return out.dump();
}

ETHOS_DECL std::string icc_json(const icc_result& r) {
  nlohmann::ordered_json d = nlohmann::ordered_json::object();
  d["n"] = r.n;
  d["groups"] = r.groups;
  detail::put_optional(d, "msb", r.msb, r.reason);
  detail::put_optional(d, "msw", r.msw, r.reason);
  detail::put_optional(d, "icc1", r.icc1, r.reason);
  detail::put_optional(d, "icc2", r.icc2, r.reason);
  return d.dump();
}

ETHOS_DECL std::string enps_json(const enps_result& e) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  detail::put_optional(j, "score", e.score, e.reason);
  j["promoters"] = e.promoters;
  j["passives"] = e.passives;
  j["detractors"] = e.detractors;
  j["n"] = e.n;
  detail::put_optional(j, "se", e.se, e.reason);
  return j.dump();
}

ETHOS_DECL std::string group_figures_json(const group_state_figures& f) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  j["n"] = f.n;
  detail::put_optional(j, "mean", f.mean, f.mean_reason);
  detail::put_optional(j, "sd", f.sd, f.sd_reason);
  detail::put_optional(j, "favorable", f.favorable, f.favorable_reason);
  detail::put_optional(j, "rwg_j", f.rwg_j, f.rwg_j_reason);
  return j.dump();
}

} // namespace ethos
