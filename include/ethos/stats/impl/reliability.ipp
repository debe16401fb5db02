// ethos/stats/impl/reliability.ipp: definitions of ethos/stats/reliability.hpp (compiled into ethos::compiled, or
// included by the header in header-only mode).
#pragma once

#include <ethos/stats/reliability.hpp>

#include <ethos/detail/int128.hpp>

#include <boost/math/distributions/fisher_f.hpp>

#include <cmath>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace ethos {

namespace detail {

using ld = long double;

// Pairwise covariance of keyed items: exact integer numerator, one division.
ETHOS_DECL std::optional<ld> pairwise_cov(const likert_moments& m, std::size_t i, std::size_t j) {
  if (i == j) {
    const auto n = static_cast<int128>(m.n[i]);
    if (n < 2) {
      return std::nullopt;
    }
    const auto s = static_cast<int128>(m.sum[i]);
    return static_cast<ld>(n * static_cast<int128>(m.sumsq[i]) - s * s) / static_cast<ld>(n * (n - 1));
  }
  const std::size_t p = i < j ? m.pair_index(i, j) : m.pair_index(j, i);
  const auto n = static_cast<int128>(m.pair_n[p]);
  if (n < 2) {
    return std::nullopt;
  }
  const auto a = static_cast<int128>(m.pair_sum_i[p]);
  const auto b = static_cast<int128>(m.pair_sum_j[p]);
  return static_cast<ld>(n * static_cast<int128>(m.pair_cross[p]) - a * b) / static_cast<ld>(n * (n - 1));
}

struct alpha_parts {
  ld raw;
  ld std;
  ld average_r;
  ld q; // Duhachek's Q
};

// psych's alpha.1 on the covariance matrix C and R = cov2cor(C), restricted to the indices in `use`.
ETHOS_DECL alpha_parts alpha_one(const std::vector<ld>& c, const std::vector<ld>& r, std::size_t k_all,
                                 const std::vector<std::size_t>& use) {
  const auto k = static_cast<ld>(use.size());
  ld sum_c = 0;
  ld tr_c = 0;
  ld sum_r = 0;
  ld tr_cc = 0;
  ld sum_cc = 0;
  for (auto i : use) {
    tr_c += c[i * k_all + i];
    for (auto j : use) {
      sum_c += c[i * k_all + j];
      sum_r += r[i * k_all + j];
      ld cc = 0; // (C C)_ij
      for (auto l : use) {
        cc += c[i * k_all + l] * c[l * k_all + j];
      }
      sum_cc += cc;
      if (i == j) {
        tr_cc += cc;
      }
    }
  }
  alpha_parts a{};
  a.raw = (1 - tr_c / sum_c) * (k / (k - 1));
  a.std = (1 - k / sum_r) * (k / (k - 1));
  a.average_r = (sum_r - k) / (k * (k - 1));
  a.q = (2 * k * k / ((k - 1) * (k - 1) * sum_c * sum_c * sum_c)) * (sum_c * (tr_cc + tr_c * tr_c) - 2 * tr_c * sum_cc);
  return a;
}

ETHOS_DECL std::optional<double> finite(ld x) {
  return std::isfinite(x) ? std::optional<double>(static_cast<double>(x)) : std::nullopt;
}

ETHOS_DECL bool reliability_without_raw_r(const likert_moments& m, reliability_result& out, std::vector<bool>& keep) {
  const std::size_t k_all = m.items;
  out.rows = m.rows;
  out.items.resize(k_all);
  std::vector<std::size_t> use;
  keep.assign(k_all, false);
  for (std::size_t i = 0; i < k_all; ++i) {
    out.items[i].n = m.n[i];
    const auto v = pairwise_cov(m, i, i);
    if (!v || *v <= 0) {
      out.items[i].dropped = true;
      out.items[i].reason = !v ? "fewer than 2 answers" : "no variance: every answer is the same";
      out.items[i].code = !v ? reason_code::too_few_cases : reason_code::no_variance;
    } else {
      use.push_back(i);
      keep[i] = true;
    }
  }
  out.items_used = use.size();
  if (m.rows < 2) {
    out.reason = "fewer than 2 respondents";
    out.code = reason_code::too_few_cases;
    return false;
  }
  if (use.size() < 2) {
    out.reason = "fewer than 2 items with variance";
    out.code = reason_code::too_few_items;
    return false;
  }
  std::vector<ld> c(k_all * k_all, 0);
  std::vector<ld> r(k_all * k_all, 0);
  for (auto i : use) {
    for (auto j : use) {
      const auto cij = pairwise_cov(m, i, j);
      if (!cij) {
        out.reason = "items " + std::to_string(i + 1) + " and " + std::to_string(j + 1) +
                     " were answered together by fewer than 2 respondents";
        out.code = reason_code::too_few_cases;
        return false;
      }
      c[i * k_all + j] = *cij;
    }
  }
  for (auto i : use) {
    for (auto j : use) {
      r[i * k_all + j] = c[i * k_all + j] / std::sqrt(c[i * k_all + i] * c[j * k_all + j]);
    }
  }
  const auto total = alpha_one(c, r, k_all, use);
  out.alpha = finite(total.raw);
  out.std_alpha = finite(total.std);
  out.average_r = finite(total.average_r);
  out.ase = finite(std::sqrt(total.q / static_cast<ld>(m.rows)));
  if (out.alpha) {
    const double df1 = static_cast<double>(m.rows - 1);
    const double df2 = df1 * static_cast<double>(use.size() - 1);
    const boost::math::fisher_f_distribution<double> f(df1, df2);
    out.feldt_lower = 1.0 - (1.0 - *out.alpha) * boost::math::quantile(f, 0.975);
    out.feldt_upper = 1.0 - (1.0 - *out.alpha) * boost::math::quantile(f, 0.025);
  }

  // Alpha if an item is dropped; psych treats two items specially (the "scale" left is one item).
  for (std::size_t u = 0; u < use.size(); ++u) {
    const std::size_t i = use[u];
    auto& it = out.items[i];
    if (use.size() == 2) {
      const std::size_t o = use[1 - u];
      it.alpha_if_dropped = finite(c[i * k_all + o] / c[o * k_all + o]);
      it.std_alpha_if_dropped = finite(r[i * k_all + o]);
      it.average_r_if_dropped = finite(r[i * k_all + o]);
    } else {
      std::vector<std::size_t> rest;
      for (auto j : use) {
        if (j != i) {
          rest.push_back(j);
        }
      }
      const auto d = alpha_one(c, r, k_all, rest);
      it.alpha_if_dropped = finite(d.raw);
      it.std_alpha_if_dropped = finite(d.std);
      it.average_r_if_dropped = finite(d.average_r);
    }
    ld row = 0;
    ld rest_sum = 0;
    for (auto j : use) {
      row += c[i * k_all + j];
      for (auto l : use) {
        if (j != i && l != i) {
          rest_sum += c[j * k_all + l];
        }
      }
    }
    it.r_drop = finite((row - c[i * k_all + i]) / std::sqrt(c[i * k_all + i] * rest_sum));
  }
  return true;
}

ETHOS_DECL void reliability_raw_r(reliability_result& out, const likert_moments* sub) {
  // The items used are the ones not dropped; `sub` holds their moments in the same order.
  std::vector<std::size_t> use;
  for (std::size_t i = 0; i < out.items.size(); ++i) {
    if (!out.items[i].dropped) {
      use.push_back(i);
    }
  }
  for (std::size_t u = 0; u < use.size(); ++u) {
    auto& it = out.items[use[u]];
    if (sub == nullptr) {
      it.reason = "raw.r is not available: items were dropped and this accumulator cannot re-derive item subsets";
      it.code = reason_code::not_available;
      continue;
    }
    if (sub->total_scale == 0) {
      it.reason = "raw.r is not available for more than 16 items";
      it.code = reason_code::not_available;
      continue;
    }
    const auto n = static_cast<int128>(sub->n[u]);
    const auto sx = static_cast<int128>(sub->sum[u]);
    const auto sxx = static_cast<int128>(sub->sumsq[u]);
    const auto st = static_cast<int128>(sub->total_sum[u]);
    const auto stt = static_cast<int128>(sub->total_sumsq[u]);
    const auto sxt = static_cast<int128>(sub->total_cross[u]);
    const int128 vx = n * sxx - sx * sx;
    const int128 vt = n * stt - st * st;
    if (vx <= 0 || vt <= 0) {
      it.reason = "raw.r is not defined: the item or the total has no variance";
      it.code = reason_code::no_variance;
      continue;
    }
    it.raw_r = finite(static_cast<ld>(n * sxt - sx * st) / std::sqrt(static_cast<ld>(vx) * static_cast<ld>(vt)));
  }
}

} // namespace detail

ETHOS_DECL reliability_result reliability(const likert_accumulator& acc) {
  const auto m = acc.moments();
  return reliability(m, [&](const std::vector<bool>& keep) -> std::optional<likert_moments> {
    if (!acc.counts_patterns()) {
      return std::nullopt;
    }
    return acc.moments_of(keep);
  });
}

} // namespace ethos
