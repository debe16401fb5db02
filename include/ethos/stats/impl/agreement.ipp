// ethos/stats/impl/agreement.ipp: definitions of ethos/stats/agreement.hpp (compiled into ethos::compiled, or
// included by the header in header-only mode).
#pragma once

#include <ethos/stats/agreement.hpp>

#include <ethos/detail/int128.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ethos {

namespace detail {

// Exact per-item moments of one group from its listwise histogram, in keyed units (x = v + min).
struct item_sums {
  int128 n = 0;
  int128 s = 0; // sum of x
  int128 q = 0; // sum of x^2
};

// The sums of one item's counts `h` ([v]: answers min + v).
template <class Count>
item_sums item_sums_of(const Count* h, std::size_t points, int min) {
  item_sums r;
  for (std::size_t v = 0; v < points; ++v) {
    const auto c = static_cast<int128>(h[v]);
    const auto x = static_cast<int128>(static_cast<int>(v) + min);
    r.n += c;
    r.s += c * x;
    r.q += c * x * x;
  }
  return r;
}

ETHOS_DECL item_sums group_item_sums(const group_moments& g, std::size_t group, std::size_t item, int min) {
  return item_sums_of(g.listwise_hist.data() + (group * g.items + item) * g.points, g.points, min);
}

ETHOS_DECL double rwg_from_variance(long double s2, double ranvar) {
  const long double v = std::min<long double>(s2, ranvar);
  return static_cast<double>(1.0L - v / ranvar);
}

// Whether item t of a group of n listwise rows has an awg (Brown & Hauenstein): its mean within the attainable
// range, or at a bound. With integer sums: 1 - 2 (n q - s^2) / ((H + L) s n - s^2 - H L n^2).
struct item_awg {
  bool defined = false;
  int128 nv = 0;  // n q - s^2 = n (n - 1) var
  int128 den = 0; // the denominator above
  bool at_bound = false;
};

ETHOS_DECL item_awg item_awg_of(const item_sums& t, int128 n, const likert_config& cfg) {
  item_awg a;
  a.nv = n * t.q - t.s * t.s;
  const auto L = static_cast<int128>(cfg.min);
  const auto H = static_cast<int128>(cfg.max);
  a.den = (H + L) * t.s * n - t.s * t.s - H * L * n * n;
  a.at_bound = t.s == H * n || t.s == L * n;
  a.defined = a.at_bound || (!(t.s < L * (n - 1) + H) && !(t.s > H * (n - 1) + L) && a.den != 0);
  return a;
}

// rwg_j_of_group over one group's listwise counts `hist` ([i * points + v]) of `rows` rows, of any counter type.
template <class Count>
group_rwg_j rwg_j_of_hist(const Count* hist, std::uint64_t rows, std::size_t items, std::size_t points,
                          const likert_config& cfg, double ranvar) {
  group_rwg_j out;
  if (rows < 2) {
    out.code = rows == 0 ? reason_code::no_data : reason_code::too_few_cases;
    return out;
  }
  const auto n = static_cast<int128>(rows);
  int128 var_num = 0; // sum over items of n q - s^2 = n (n - 1) var
  bool any_awg = false;
  for (std::size_t i = 0; i < items; ++i) {
    const auto a = item_awg_of(item_sums_of(hist + i * points, points, cfg.min), n, cfg);
    var_num += a.nv;
    any_awg = any_awg || a.defined;
  }
  const auto k = static_cast<long double>(items);
  const long double s2 =
      static_cast<long double>(var_num) / (k * static_cast<long double>(n) * static_cast<long double>(n - 1));
  const long double s = std::min<long double>(s2, ranvar) / ranvar;
  out.rwg_j = static_cast<double>((k * (1.0L - s)) / (k * (1.0L - s) + s));
  if (!any_awg) {
    out.code = reason_code::undefined;
  }
  return out;
}

// rwg_j_of_counts over one group of `g`.
ETHOS_DECL group_rwg_j rwg_j_of_group(const group_moments& g, std::size_t group, const likert_config& cfg,
                                      double ranvar) {
  return rwg_j_of_hist(g.listwise_hist.data() + group * g.items * g.points, g.listwise_n[group], g.items, g.points, cfg,
                       ranvar);
}

ETHOS_DECL group_rwg_j rwg_j_of_counts(std::span<const std::uint32_t> hist, std::uint64_t rows, std::size_t points,
                                       const likert_config& cfg, double ranvar) {
  return rwg_j_of_hist(hist.data(), rows, points == 0 ? 0 : hist.size() / points, points, cfg, ranvar);
}

} // namespace detail

ETHOS_DECL std::vector<group_agreement> agreement(const group_moments& g, const likert_config& cfg,
                                                  std::optional<double> ranvar) {
  using detail::int128;
  const double rv = ranvar.value_or(uniform_null_variance(g.points));
  std::vector<group_agreement> out(g.groups);
  for (std::size_t grp = 0; grp < g.groups; ++grp) {
    auto& a = out[grp];
    a.n = g.listwise_n[grp];
    const auto rj = detail::rwg_j_of_group(g, grp, cfg, rv);
    a.rwg_j = rj.rwg_j;
    a.code = rj.code;
    if (a.code != reason_code::none) {
      a.reason = agreement_reason(a.code);
    }
    if (a.n < 2) {
      continue;
    }
    const auto n = static_cast<int128>(a.n);
    long double awg_sum = 0;
    std::size_t awg_items = 0;
    long double ad_sum = 0;
    for (std::size_t i = 0; i < g.items; ++i) {
      const auto t = detail::group_item_sums(g, grp, i, cfg.min);
      const auto aw = detail::item_awg_of(t, n, cfg);
      if (aw.defined) {
        awg_sum +=
            aw.at_bound ? 1.0L : 1.0L - 2.0L * static_cast<long double>(aw.nv) / static_cast<long double>(aw.den);
        ++awg_items;
      }
      // AD(mean): sum |x - s/n| / n = sum c_v |n x - s| / n^2, exactly.
      int128 dev = 0;
      for (std::size_t v = 0; v < g.points; ++v) {
        const int128 d = n * static_cast<int128>(static_cast<int>(v) + cfg.min) - t.s;
        dev += static_cast<int128>(g.hist(grp, i, v)) * (d < 0 ? -d : d);
      }
      ad_sum += static_cast<long double>(dev) / (static_cast<long double>(n) * static_cast<long double>(n));
    }
    if (awg_items > 0) {
      a.awg = static_cast<double>(awg_sum / static_cast<long double>(awg_items));
    }
    a.ad_m = static_cast<double>(ad_sum / static_cast<long double>(g.items));
  }
  return out;
}

ETHOS_DECL std::vector<group_agreement> agreement(const likert_accumulator& acc, std::optional<double> ranvar) {
  return agreement(acc.groups(), acc.config(), ranvar);
}

ETHOS_DECL std::vector<std::optional<double>> rwg(const likert_accumulator& acc, std::size_t item,
                                                  std::optional<double> ranvar) {
  using detail::int128;
  const auto& g = acc.groups();
  const double rv = ranvar.value_or(uniform_null_variance(g.points));
  std::vector<std::optional<double>> out(g.groups);
  for (std::size_t grp = 0; grp < g.groups; ++grp) {
    const auto t = detail::group_item_sums(g, grp, item, acc.config().min);
    if (t.n < 2) {
      continue;
    }
    const long double var = static_cast<long double>(t.n * t.q - t.s * t.s) / static_cast<long double>(t.n * (t.n - 1));
    out[grp] = detail::rwg_from_variance(var, rv);
  }
  return out;
}

ETHOS_DECL agreement_summary summarize_agreement(std::span<const std::optional<double>> values) {
  std::vector<double> v;
  for (const auto& x : values) {
    if (x) {
      v.push_back(*x);
    }
  }
  agreement_summary s;
  s.groups = v.size();
  if (v.empty()) {
    return s;
  }
  long double sum = 0;
  std::size_t high = 0;
  for (double x : v) {
    sum += x;
    high += x >= 0.70 ? 1U : 0U;
  }
  s.mean = static_cast<double>(sum / static_cast<long double>(v.size()));
  std::sort(v.begin(), v.end());
  const std::size_t h = v.size() / 2;
  s.median = v.size() % 2 == 1 ? v[h] : (v[h - 1] + v[h]) / 2.0;
  s.share_ge_070 = static_cast<double>(high) / static_cast<double>(v.size());
  return s;
}

namespace detail {

// False, with the reason set, when r.n respondents in r.groups groups cannot give an ICC.
ETHOS_DECL bool icc_is_defined(icc_result& r) {
  if (r.groups < 2) {
    r.reason = "ICC needs at least 2 groups with scored respondents";
    r.code = reason_code::too_few_groups;
    return false;
  }
  if (r.n <= r.groups) {
    r.reason = "ICC needs more respondents than groups (no within-group variation to compare)";
    r.code = reason_code::too_few_cases;
    return false;
  }
  return true;
}

// Mean squares and ICC(1)/ICC(2) from the sums of squares of the one-way ANOVA (r.n and r.groups set).
ETHOS_DECL void finish_icc(icc_result& r, long double ssb, long double ssw) {
  using ld = long double;
  const ld msb = ssb / static_cast<ld>(r.groups - 1);
  const ld msw = ssw / static_cast<ld>(r.n - r.groups);
  r.msb = static_cast<double>(msb);
  r.msw = static_cast<double>(msw);
  const ld k0 = static_cast<ld>(r.n) / static_cast<ld>(r.groups);
  const ld den1 = msb + (k0 - 1) * msw;
  if (den1 > 0) {
    r.icc1 = static_cast<double>((msb - msw) / den1);
  } else {
    r.reason = "ICC(1) is not defined: no variation at all";
    r.code = reason_code::no_variance;
  }
  if (msb > 0) {
    r.icc2 = static_cast<double>((msb - msw) / msb);
  } else {
    r.reason = "ICC(2) is not defined: the group means do not differ (MSB = 0)";
    r.code = reason_code::no_variance;
  }
}

} // namespace detail

ETHOS_DECL icc_result icc(const likert_accumulator& acc) { return icc(acc.groups()); }

ETHOS_DECL icc_result icc(const group_moments& g) {
  using detail::int128;
  using ld = long double;
  icc_result r;
  int128 total = 0;
  for (std::size_t grp = 0; grp < g.groups; ++grp) {
    if (g.score_n[grp] > 0) {
      ++r.groups;
      r.n += g.score_n[grp];
      total += static_cast<int128>(g.score_sum[grp]);
    }
  }
  if (!detail::icc_is_defined(r)) {
    return r;
  }
  const ld scale = static_cast<ld>(g.score_scale);
  const ld grand = static_cast<ld>(total) / static_cast<ld>(r.n);
  ld ssb = 0;
  ld ssw = 0;
  for (std::size_t grp = 0; grp < g.groups; ++grp) {
    const auto n = static_cast<int128>(g.score_n[grp]);
    if (n == 0) {
      continue;
    }
    const auto s = static_cast<int128>(g.score_sum[grp]);
    const ld d = static_cast<ld>(s) / static_cast<ld>(n) - grand;
    ssb += static_cast<ld>(n) * d * d;
    ssw += static_cast<ld>(n * static_cast<int128>(g.score_sumsq[grp]) - s * s) / static_cast<ld>(n);
  }
  detail::finish_icc(r, ssb / (scale * scale), ssw / (scale * scale));
  return r;
}

ETHOS_DECL group_moments side_by_side(std::span<const likert_accumulator* const> states) {
  group_moments out;
  const likert_config* first = nullptr;
  for (std::size_t s = 0; s < states.size(); ++s) {
    const likert_accumulator& acc = *states[s];
    likert_config cfg = acc.config();
    if (cfg.groups == 0) {
      throw error("state " + std::to_string(s + 1) +
                  " has no groups, so no score sums: make each group's state with groups (one is enough)");
    }
    if (first == nullptr) {
      first = &acc.config();
      out.items = acc.config().items;
      out.points = static_cast<std::size_t>(cfg.max - cfg.min + 1);
    } else {
      cfg.groups = first->groups;
      if (!(cfg == *first)) {
        throw error("state " + std::to_string(s + 1) +
                    " has another design than state 1 (items, scale, keying or "
                    "min_answered differ): states of one construct only");
      }
    }
    const group_moments g = acc.groups();
    out.score_scale = g.score_scale;
    const std::size_t stride = g.items * g.points;
    out.listwise_hist.resize(out.listwise_hist.size() + stride, 0);
    std::uint64_t* hist = out.listwise_hist.data() + out.groups * stride;
    std::uint64_t listwise_n = 0;
    std::uint64_t score_n = 0;
    std::uint64_t score_sum = 0;
    detail::uint128 score_sumsq = 0;
    for (std::size_t grp = 0; grp < g.groups; ++grp) {
      listwise_n += g.listwise_n[grp];
      score_n += g.score_n[grp];
      score_sum += g.score_sum[grp];
      score_sumsq += g.score_sumsq[grp];
      for (std::size_t x = 0; x < stride; ++x) {
        hist[x] += g.listwise_hist[grp * stride + x];
      }
    }
    out.listwise_n.push_back(listwise_n);
    out.score_n.push_back(score_n);
    out.score_sum.push_back(score_sum);
    out.score_sumsq.push_back(score_sumsq);
    ++out.groups;
  }
  return out;
}

ETHOS_DECL icc_result icc(std::span<const running_moments> groups) {
  using ld = long double;
  icc_result r;
  ld total = 0;
  for (const auto& g : groups) {
    if (g.n() > 0) {
      ++r.groups;
      r.n += g.n();
      total += static_cast<ld>(*g.mean()) * static_cast<ld>(g.n());
    }
  }
  if (!detail::icc_is_defined(r)) {
    return r;
  }
  const ld grand = total / static_cast<ld>(r.n);
  ld ssb = 0;
  ld ssw = 0;
  for (const auto& g : groups) {
    if (g.n() > 0) {
      const ld d = static_cast<ld>(*g.mean()) - grand;
      ssb += static_cast<ld>(g.n()) * d * d;
      ssw += static_cast<ld>(g.sum_of_squares());
    }
  }
  detail::finish_icc(r, ssb, ssw);
  return r;
}

} // namespace ethos
