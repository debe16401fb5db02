/// \file
/// \brief Cronbach's alpha and item statistics as psych::alpha(use = "pairwise") computes them.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/stats/accumulator.hpp>
#include <ethos/status.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ethos {

/// Reliability statistics of one item.
struct item_reliability {
  std::uint64_t n = 0;                        ///< answers to the item
  bool dropped = false;                       ///< left out of the scale (see `reason`)
  std::string reason;                         ///< why the item was dropped or a statistic is empty
  reason_code code = reason_code::none;       ///< `reason` as a code (too_few_cases, no_variance, not_available)
  std::optional<double> alpha_if_dropped;     ///< raw alpha of the scale without this item
  std::optional<double> std_alpha_if_dropped; ///< standardised alpha without this item
  std::optional<double> average_r_if_dropped; ///< average inter-item correlation without this item
  std::optional<double> r_drop;               ///< correlation with the sum of the other items (psych r.drop)
  std::optional<double> raw_r;                ///< correlation with the row mean of all items (psych raw.r)
};

/// Reliability of a scale as psych::alpha(x, use = "pairwise", check.keys = FALSE) reports it (psych 2.2.9):
/// raw and standardised alpha, average inter-item correlation, Duhachek's asymptotic standard error, the
/// Feldt 95% interval, and per item alpha if dropped, r.drop and raw.r. Items without variance are dropped
/// (as psych does) and named; anything that cannot be computed is empty with a reason, never a silent NaN.
/// docs/statistics.md gives the formulas.
struct reliability_result {
  std::size_t items_used = 0;           ///< items with variance, the ones the scale is computed on
  std::uint64_t rows = 0;               ///< all rows, also incomplete ones (psych's n.obs)
  std::optional<double> alpha;          ///< raw alpha, from the pairwise covariance matrix
  std::optional<double> std_alpha;      ///< standardised alpha, from the correlation matrix
  std::optional<double> average_r;      ///< average inter-item correlation
  std::optional<double> ase;            ///< Duhachek's asymptotic standard error of alpha
  std::optional<double> feldt_lower;    ///< lower end of Feldt's 95% interval of alpha
  std::optional<double> feldt_upper;    ///< upper end of Feldt's 95% interval of alpha
  std::vector<item_reliability> items;  ///< one per item of the accumulator, dropped ones included
  std::string reason;                   ///< why alpha is empty, if it is
  reason_code code = reason_code::none; ///< `reason` as a code (too_few_cases, too_few_items)
};

namespace detail {

/// Everything of reliability() but raw.r: rows, the items used (`keep[i]` true) and dropped, alpha, its SE and
/// interval, and alpha if dropped and r.drop per item. False when alpha cannot be computed (`out.reason` says
/// why); raw.r then stays empty.
ETHOS_DECL bool reliability_without_raw_r(const likert_moments& m, reliability_result& out, std::vector<bool>& keep);

/// raw.r of every item used, from the moments of the items used only (`used`; null when the caller cannot derive
/// them, and then each item says so).
ETHOS_DECL void reliability_raw_r(reliability_result& out, const likert_moments* used);

} // namespace detail

/// Reliability from exact moments. `subset_moments(keep)` must return the moments of the kept items only
/// (an `std::optional<likert_moments>`, needed for raw.r when items are dropped), or an empty optional when it
/// cannot.
template <class SubsetMoments>
reliability_result reliability(const likert_moments& m, SubsetMoments&& subset_moments) {
  reliability_result out;
  std::vector<bool> keep;
  if (!detail::reliability_without_raw_r(m, out, keep)) {
    return out;
  }
  // raw.r: correlation of each item with the row mean of the items kept, over the rows answering the item.
  if (out.items_used == m.items) {
    detail::reliability_raw_r(out, &m);
  } else {
    std::optional<likert_moments> sub;
    sub = subset_moments(keep);
    detail::reliability_raw_r(out, sub ? &*sub : nullptr);
  }
  return out;
}

/// Reliability of an accumulator's items (see reliability_result).
ETHOS_DECL reliability_result reliability(const likert_accumulator& acc);

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/stats/impl/reliability.ipp>
#endif
