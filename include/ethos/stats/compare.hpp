// ethos/stats/compare.hpp: Welch's t, Cohen's d, Hedges' g, Pearson r with Fisher's z CI, eNPS differences.
#pragma once

#include <ethos/detail/nps.hpp>
#include <ethos/error.hpp>
#include <ethos/stats/moments.hpp>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include <algorithm>
#include <cmath>
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
};

/// A standardised mean difference (Cohen's d or Hedges' g) of samples a and b.
struct effect_size_result {
  std::optional<double> value;     ///< (mean_a - mean_b) / pooled_sd, times Hedges' correction for g
  std::optional<double> pooled_sd; ///< sqrt(((n_a - 1) s_a^2 + (n_b - 1) s_b^2) / (n_a + n_b - 2))
  std::string reason;              ///< why value is empty, if it is
};

/// Fisher's z transform of a correlation and its confidence interval, as R's `cor.test(x, y)$conf.int`.
struct fisher_z_result {
  std::optional<double> z;     ///< atanh(r)
  std::optional<double> se;    ///< 1 / sqrt(n - 3)
  std::optional<double> lower; ///< tanh(z - q se), q the normal quantile at (1 + level) / 2
  std::optional<double> upper; ///< tanh(z + q se)
  std::string reason;          ///< why the interval is empty, if it is
};

/// Pearson's r over the pairs where both values are present.
struct correlation_result {
  std::optional<double> r; ///< empty when n < 2 or either variable is constant over the complete pairs
  std::size_t n = 0;       ///< complete pairs used
  std::size_t missing = 0; ///< pairs skipped because a value was NaN (or infinite)
  std::string reason;      ///< why r is empty, if it is
};

/// Answer counts of one 0-10 "how likely to recommend" item: promoters 9-10, passives 7-8, detractors 0-6.
struct nps_counts {
  std::size_t promoters = 0;
  std::size_t passives = 0;
  std::size_t detractors = 0;
};

/// Difference of two independent eNPS scores (a - b) with its standard error and a two-sided z test.
struct nps_difference_result {
  std::optional<double> score_a;    ///< 100 (p - d) of a, in [-100, 100]
  std::optional<double> se_a;       ///< 100 sqrt((p + d - (p - d)^2) / n) of a
  std::optional<double> score_b;    ///< likewise for b
  std::optional<double> se_b;       ///< likewise for b
  std::optional<double> difference; ///< score_a - score_b, in NPS points
  std::optional<double> se;         ///< sqrt(se_a^2 + se_b^2)
  std::optional<double> z;          ///< difference / se
  std::optional<double> p;          ///< two-sided, standard normal
  std::string reason;               ///< why a number is empty, if one is
};

namespace detail {

inline void check_summary(const sample_summary& s, const char* which) {
  if (!std::isfinite(s.mean) || !std::isfinite(s.sd) || s.sd < 0.0) {
    throw error(std::string("ethos: sample ") + which + ": the mean must be finite and the SD finite and >= 0");
  }
}

/// n, mean and variance of one sample; variance comes straight from M2 for spans (no sd^2 round trip).
struct sample_moments {
  std::size_t n;
  double mean;
  double variance;
};

inline sample_moments moments_from(const sample_summary& s, const char* which) {
  check_summary(s, which);
  return {s.n, s.mean, s.sd * s.sd};
}

inline sample_moments moments_from(std::span<const double> xs) {
  const running_moments m = moments_of(xs);
  return {m.n(), m.mean().value_or(0.0), m.variance().value_or(0.0)};
}

/// Empty when both samples have at least 2 values, else the reason.
inline std::string too_small(const sample_moments& a, const sample_moments& b) {
  if (a.n < 2 && b.n < 2) {
    return "both samples have fewer than 2 values";
  }
  if (a.n < 2) {
    return "sample a has fewer than 2 values";
  }
  if (b.n < 2) {
    return "sample b has fewer than 2 values";
  }
  return {};
}

inline welch_result welch(const sample_moments& a, const sample_moments& b) {
  welch_result out;
  if (a.n >= 1 && b.n >= 1) {
    out.mean_difference = a.mean - b.mean;
  }
  out.reason = too_small(a, b);
  if (!out.reason.empty()) {
    return out;
  }
  const double va = a.variance / static_cast<double>(a.n);
  const double vb = b.variance / static_cast<double>(b.n);
  const double v = va + vb;
  out.se = std::sqrt(v);
  if (!(v > 0.0)) {
    out.reason = "both samples have zero variance";
    return out;
  }
  const double t = (a.mean - b.mean) / *out.se;
  if (!std::isfinite(t)) {
    out.reason = "t overflows";
    return out;
  }
  // df = v^2 / (va^2 / (n_a - 1) + vb^2 / (n_b - 1)), written with shares of v so that tiny variances cannot
  // underflow to 0 / 0.
  const double sa = va / v;
  const double sb = vb / v;
  const double df = 1.0 / (sa * sa / static_cast<double>(a.n - 1) + sb * sb / static_cast<double>(b.n - 1));
  out.t = t;
  out.df = df;
  const boost::math::students_t dist(df);
  out.p = 2.0 * boost::math::cdf(boost::math::complement(dist, std::fabs(t)));
  return out;
}

inline effect_size_result standardized_difference(const sample_moments& a, const sample_moments& b, bool hedges) {
  effect_size_result out;
  out.reason = too_small(a, b);
  if (!out.reason.empty()) {
    return out;
  }
  const double na = static_cast<double>(a.n);
  const double nb = static_cast<double>(b.n);
  const double pooled = ((na - 1.0) * a.variance + (nb - 1.0) * b.variance) / (na + nb - 2.0);
  out.pooled_sd = std::sqrt(pooled);
  if (!(pooled > 0.0)) {
    out.reason = "both samples have zero variance";
    return out;
  }
  double d = (a.mean - b.mean) / *out.pooled_sd;
  if (hedges) {
    d *= 1.0 - 3.0 / (4.0 * (na + nb) - 9.0);
  }
  out.value = d;
  return out;
}

/// Two-sided p of a standard normal z.
inline double normal_two_sided_p(double z) {
  return 2.0 * boost::math::cdf(boost::math::complement(boost::math::normal(), std::fabs(z)));
}

} // namespace detail

/// Welch's t test from summaries, matching R's `t.test(a_values, b_values)` (var.equal = FALSE) in sign:
/// t = (mean_a - mean_b) / se. Empty t with a reason when a sample has fewer than 2 values or both SDs are 0.
/// \code
///   auto w = ethos::welch_t({40, 3.9, 0.8}, {35, 3.5, 1.1}); // *w.t > 0: a scores higher
/// \endcode
/// \throws ethos::error when a mean or SD is not finite or an SD is negative.
inline welch_result welch_t(const sample_summary& a, const sample_summary& b) {
  return detail::welch(detail::moments_from(a, "a"), detail::moments_from(b, "b"));
}

/// Welch's t test of two samples of raw values; NaN (and infinite) values are missing and skipped,
/// as `t.test` drops NA.
inline welch_result welch_t(std::span<const double> a, std::span<const double> b) {
  return detail::welch(detail::moments_from(a), detail::moments_from(b));
}

/// Cohen's d = (mean_a - mean_b) / pooled SD. Needs at least 2 values per sample and a pooled SD above 0.
/// \throws ethos::error when a mean or SD is not finite or an SD is negative.
inline effect_size_result cohens_d(const sample_summary& a, const sample_summary& b) {
  return detail::standardized_difference(detail::moments_from(a, "a"), detail::moments_from(b, "b"), false);
}

/// Cohen's d of two samples of raw values (NaN = missing).
inline effect_size_result cohens_d(std::span<const double> a, std::span<const double> b) {
  return detail::standardized_difference(detail::moments_from(a), detail::moments_from(b), false);
}

/// Hedges' g = d (1 - 3 / (4 (n_a + n_b) - 9)), Cohen's d with the small-sample bias correction.
/// \throws ethos::error when a mean or SD is not finite or an SD is negative.
inline effect_size_result hedges_g(const sample_summary& a, const sample_summary& b) {
  return detail::standardized_difference(detail::moments_from(a, "a"), detail::moments_from(b, "b"), true);
}

/// Hedges' g of two samples of raw values (NaN = missing).
inline effect_size_result hedges_g(std::span<const double> a, std::span<const double> b) {
  return detail::standardized_difference(detail::moments_from(a), detail::moments_from(b), true);
}

/// Pearson's r of x and y over the rows where both are present (NaN = missing), as R's
/// `cor(x, y, use = "complete.obs")`. The result is kept within [-1, 1] against rounding, as R does.
/// \throws ethos::error when x and y differ in length.
inline correlation_result pearson(std::span<const double> x, std::span<const double> y) {
  if (x.size() != y.size()) {
    throw error("ethos: pearson: x has " + std::to_string(x.size()) + " values but y has " + std::to_string(y.size()));
  }
  correlation_result out;
  double sx = 0.0;
  double sy = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (std::isfinite(x[i]) && std::isfinite(y[i])) {
      ++out.n;
      sx += x[i];
      sy += y[i];
    }
  }
  out.missing = x.size() - out.n;
  if (out.n < 2) {
    out.reason = "fewer than 2 complete pairs";
    return out;
  }
  // Two passes: centring first avoids the cancellation of sum(xy) - n mean_x mean_y.
  const double nn = static_cast<double>(out.n);
  const double mx = sx / nn;
  const double my = sy / nn;
  double sxx = 0.0;
  double syy = 0.0;
  double sxy = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (std::isfinite(x[i]) && std::isfinite(y[i])) {
      const double dx = x[i] - mx;
      const double dy = y[i] - my;
      sxx += dx * dx;
      syy += dy * dy;
      sxy += dx * dy;
    }
  }
  if (!(sxx > 0.0) || !(syy > 0.0)) {
    out.reason = !(sxx > 0.0) ? "x is constant over the complete pairs" : "y is constant over the complete pairs";
    return out;
  }
  out.r = std::clamp(sxy / (std::sqrt(sxx) * std::sqrt(syy)), -1.0, 1.0);
  return out;
}

/// Fisher's z confidence interval of a correlation r from n pairs, matching R's `cor.test(x, y,
/// conf.level = level)$conf.int`. Empty with a reason when n <= 3 or |r| >= 1.
/// \code
///   auto ci = ethos::fisher_z_ci(0.42, 120); // *ci.lower ~ 0.26, *ci.upper ~ 0.56
/// \endcode
/// \throws ethos::error when r is NaN or level is not strictly between 0 and 1.
inline fisher_z_result fisher_z_ci(double r, std::size_t n, double level = 0.95) {
  if (std::isnan(r)) {
    throw error("ethos: fisher_z_ci: r is NaN");
  }
  if (!(level > 0.0 && level < 1.0)) {
    throw error("ethos: fisher_z_ci: the confidence level must be strictly between 0 and 1, not " +
                std::to_string(level));
  }
  fisher_z_result out;
  if (n <= 3) {
    out.reason = "needs more than 3 pairs (SE = 1 / sqrt(n - 3))";
    return out;
  }
  if (!(std::fabs(r) < 1.0)) {
    out.reason = "|r| >= 1: Fisher's z is infinite";
    return out;
  }
  const double z = std::atanh(r);
  const double se = 1.0 / std::sqrt(static_cast<double>(n - 3));
  const double q = boost::math::quantile(boost::math::normal(), (1.0 + level) / 2.0);
  out.z = z;
  out.se = se;
  out.lower = std::tanh(z - q * se);
  out.upper = std::tanh(z + q * se);
  return out;
}

/// Fisher's z confidence interval of a `pearson` result; empty with its reason when r is.
inline fisher_z_result fisher_z_ci(const correlation_result& c, double level = 0.95) {
  if (!c.r) {
    fisher_z_result out;
    out.reason = c.reason;
    return out;
  }
  return fisher_z_ci(*c.r, c.n, level);
}

/// Difference a - b of the eNPS of two independent groups, given their answer counts. Each score and SE is as
/// DOMAIN.md (score = 100 (p - d), SE = 100 sqrt((p + d - (p - d)^2) / n)); the difference has
/// SE = sqrt(se_a^2 + se_b^2), z = difference / SE and a two-sided normal p.
/// \code
///   auto d = ethos::nps_difference({50, 30, 20}, {30, 40, 30}); // *d.difference == 30 - 0 == 30
/// \endcode
inline nps_difference_result nps_difference(const nps_counts& a, const nps_counts& b) {
  nps_difference_result out;
  const auto side = [](const nps_counts& c, std::optional<double>& score, std::optional<double>& se) {
    const auto e = detail::nps_from_counts(c.promoters, c.passives, c.detractors);
    if (e) {
      score = e->score;
      se = e->se;
    }
    return e.has_value();
  };
  const bool has_a = side(a, out.score_a, out.se_a);
  const bool has_b = side(b, out.score_b, out.se_b);
  if (!has_a || !has_b) {
    out.reason = !has_a && !has_b ? "neither group has NPS answers"
                 : !has_a         ? "group a has no NPS answers"
                                  : "group b has no NPS answers";
    return out;
  }
  out.difference = *out.score_a - *out.score_b;
  out.se = std::sqrt(*out.se_a * *out.se_a + *out.se_b * *out.se_b);
  if (!(*out.se > 0.0)) {
    out.reason = "the standard error is 0: within each group every answer is of one kind (all promoters, passives or "
                 "detractors)";
    return out;
  }
  out.z = *out.difference / *out.se;
  out.p = detail::normal_two_sided_p(*out.z);
  return out;
}

} // namespace ethos
