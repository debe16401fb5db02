/// \file
/// \brief Welch's t, Cohen's d, Hedges' g, Pearson r with Fisher's z CI, eNPS differences.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/error.hpp>
#include <ethos/stats/moments.hpp>
#include <ethos/status.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <string>

namespace ethos {

// Every result below is a plain struct whose numbers are std::optional: a number that cannot be computed
// (too few values, zero variance, |r| = 1 ...) is empty and `reason` says why, so no NaN ever leaks out.
// Invalid arguments (a NaN mean, a negative SD, a confidence level outside (0, 1)) throw ethos::error.

/// Welch's unequal-variance t test of two independent samples a and b, as R's `t.test(a, b)`.
struct welch_result {
  std::optional<double> mean_difference; ///< mean_a - mean_b
  std::optional<double> se;              ///< sqrt(s_a^2 / n_a + s_b^2 / n_b); empty when n_a < 2 or n_b < 2
  std::optional<double> t;               ///< (mean_a - mean_b) / se: positive when a has the larger mean
  std::optional<double> df;              ///< Welch-Satterthwaite degrees of freedom
  std::optional<double> p;               ///< two-sided, from Student's t with df degrees of freedom
  std::string reason;                    ///< why t, df or p is empty, if they are
  reason_code code = reason_code::none;  ///< `reason` as a code (too_few_cases, no_variance, undefined)
};

/// A standardised mean difference (Cohen's d or Hedges' g) of samples a and b.
struct effect_size_result {
  std::optional<double> value;          ///< (mean_a - mean_b) / pooled_sd, times Hedges' correction for g
  std::optional<double> pooled_sd;      ///< sqrt(((n_a - 1) s_a^2 + (n_b - 1) s_b^2) / (n_a + n_b - 2))
  std::string reason;                   ///< why value is empty, if it is
  reason_code code = reason_code::none; ///< `reason` as a code (too_few_cases, no_variance)
};

/// Fisher's z transform of a correlation and its confidence interval, as R's `cor.test(x, y)$conf.int`.
struct fisher_z_result {
  std::optional<double> z;     ///< atanh(r)
  std::optional<double> se;    ///< 1 / sqrt(n - 3)
  std::optional<double> lower; ///< tanh(z - q se), q the normal quantile at (1 + level) / 2
  std::optional<double> upper; ///< tanh(z + q se)
  std::string reason;          ///< why the interval is empty, if it is
  reason_code code =
      reason_code::none; ///< `reason` as a code (too_few_cases, undefined; a `pearson` result's own code)
};

/// Pearson's r over the pairs where both values are present.
struct correlation_result {
  std::optional<double> r;              ///< empty when n < 2 or either variable is constant over the complete pairs
  std::size_t n = 0;                    ///< complete pairs used
  std::size_t missing = 0;              ///< pairs skipped because a value was NaN (or infinite)
  std::string reason;                   ///< why r is empty, if it is
  reason_code code = reason_code::none; ///< `reason` as a code (too_few_cases, no_variance)
};

/// Answer counts of one 0-10 "how likely to recommend" item: promoters 9-10, passives 7-8, detractors 0-6.
struct nps_counts {
  std::size_t promoters = 0;  ///< answers 9-10
  std::size_t passives = 0;   ///< answers 7-8
  std::size_t detractors = 0; ///< answers 0-6
};

/// Difference of two independent eNPS scores (a - b) with its standard error and a two-sided z test.
struct nps_difference_result {
  std::optional<double> score_a;        ///< 100 (p - d) of a, in [-100, 100]
  std::optional<double> se_a;           ///< 100 sqrt((p + d - (p - d)^2) / n) of a
  std::optional<double> score_b;        ///< likewise for b
  std::optional<double> se_b;           ///< likewise for b
  std::optional<double> difference;     ///< score_a - score_b, in NPS points
  std::optional<double> se;             ///< sqrt(se_a^2 + se_b^2)
  std::optional<double> z;              ///< difference / se
  std::optional<double> p;              ///< two-sided, standard normal
  std::string reason;                   ///< why a number is empty, if one is
  reason_code code = reason_code::none; ///< `reason` as a code (no_data, no_variance)
};

namespace detail {

/// Throws ethos::error unless the summary of sample `which` has a finite mean and a finite SD >= 0.
ETHOS_DECL void check_summary(const sample_summary& s, const char* which);

} // namespace detail

/// Welch's t test from summaries, matching R's `t.test(a_values, b_values)` (var.equal = FALSE) in sign:
/// t = (mean_a - mean_b) / se. Empty t with a reason when a sample has fewer than 2 values or both SDs are 0.
/// \code
///   auto w = ethos::welch_t({40, 3.9, 0.8}, {35, 3.5, 1.1}); // *w.t > 0: a scores higher
/// \endcode
/// \throws ethos::error when a mean or SD is not finite or an SD is negative.
ETHOS_DECL welch_result welch_t(const sample_summary& a, const sample_summary& b);

/// Welch's t test of two samples of raw values; NaN (and infinite) values are missing and skipped,
/// as `t.test` drops NA.
ETHOS_DECL welch_result welch_t(std::span<const double> a, std::span<const double> b);

/// Cohen's d = (mean_a - mean_b) / pooled SD. Needs at least 2 values per sample and a pooled SD above 0.
/// \throws ethos::error when a mean or SD is not finite or an SD is negative.
ETHOS_DECL effect_size_result cohens_d(const sample_summary& a, const sample_summary& b);

/// Cohen's d of two samples of raw values (NaN = missing).
ETHOS_DECL effect_size_result cohens_d(std::span<const double> a, std::span<const double> b);

/// Hedges' g = d (1 - 3 / (4 (n_a + n_b) - 9)), Cohen's d with the small-sample bias correction.
/// \throws ethos::error when a mean or SD is not finite or an SD is negative.
ETHOS_DECL effect_size_result hedges_g(const sample_summary& a, const sample_summary& b);

/// Hedges' g of two samples of raw values (NaN = missing).
ETHOS_DECL effect_size_result hedges_g(std::span<const double> a, std::span<const double> b);

/// Pearson's r of x and y over the rows where both are present (NaN = missing), as R's
/// `cor(x, y, use = "complete.obs")`. The result is kept within [-1, 1] against rounding, as R does.
/// \throws ethos::error when x and y differ in length.
ETHOS_DECL correlation_result pearson(std::span<const double> x, std::span<const double> y);

/// Fisher's z confidence interval of a correlation r from n pairs, matching R's `cor.test(x, y,
/// conf.level = level)$conf.int`. Empty with a reason when n <= 3 or |r| >= 1.
/// \code
///   auto ci = ethos::fisher_z_ci(0.42, 120); // *ci.lower ~ 0.26, *ci.upper ~ 0.56
/// \endcode
/// \throws ethos::error when r is NaN or level is not strictly between 0 and 1.
ETHOS_DECL fisher_z_result fisher_z_ci(double r, std::size_t n, double level = 0.95);

/// Fisher's z confidence interval of a `pearson` result; empty with its reason when r is.
ETHOS_DECL fisher_z_result fisher_z_ci(const correlation_result& c, double level = 0.95);

/// Difference a - b of the eNPS of two independent groups, given their answer counts. Each score and SE is as
/// docs/statistics.md gives them (score = 100 (p - d), SE = 100 sqrt((p + d - (p - d)^2) / n)); the difference has
/// SE = sqrt(se_a^2 + se_b^2), z = difference / SE and a two-sided normal p.
/// \code
///   auto d = ethos::nps_difference({50, 30, 20}, {30, 40, 30}); // *d.difference == 30 - 0 == 30
/// \endcode
ETHOS_DECL nps_difference_result nps_difference(const nps_counts& a, const nps_counts& b);

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/stats/impl/compare.ipp>
#endif
