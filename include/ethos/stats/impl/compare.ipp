// ethos/stats/impl/compare.ipp: definitions of ethos/stats/compare.hpp (compiled into ethos::compiled, or included
// by the header in header-only mode).
#pragma once

#include <ethos/stats/compare.hpp>

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

namespace detail {

ETHOS_DECL void check_summary(const sample_summary& s, const char* which) {
  if (!std::isfinite(s.mean) || !std::isfinite(s.sd) || s.sd < 0.0) {
    throw error(std::string("ethos: sample ") + which + ": the mean must be finite and the SD finite and >= 0");
  }
}

// n, mean and variance of one sample; variance comes straight from M2 for spans (no sd^2 round trip).
struct sample_moments {
  std::size_t n;
  double mean;
  double variance;
};

ETHOS_DECL sample_moments moments_from(const sample_summary& s, const char* which) {
  check_summary(s, which);
  return {s.n, s.mean, s.sd * s.sd};
}

ETHOS_DECL sample_moments moments_from(std::span<const double> xs) {
  const running_moments m = moments_of(xs);
  return {m.n(), m.mean().value_or(0.0), m.variance().value_or(0.0)};
}

// Empty when both samples have at least 2 values, else the reason.
ETHOS_DECL std::string too_small(const sample_moments& a, const sample_moments& b) {
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

ETHOS_DECL welch_result welch(const sample_moments& a, const sample_moments& b) {
  welch_result out;
  if (a.n >= 1 && b.n >= 1) {
    out.mean_difference = a.mean - b.mean;
  }
  out.reason = too_small(a, b);
  if (!out.reason.empty()) {
    out.code = reason_code::too_few_cases;
    return out;
  }
  const double va = a.variance / static_cast<double>(a.n);
  const double vb = b.variance / static_cast<double>(b.n);
  const double v = va + vb;
  out.se = std::sqrt(v);
  if (!(v > 0.0)) {
    out.reason = "both samples have zero variance";
    out.code = reason_code::no_variance;
    return out;
  }
  const double t = (a.mean - b.mean) / *out.se;
  if (!std::isfinite(t)) {
    out.reason = "t overflows";
    out.code = reason_code::undefined;
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

ETHOS_DECL effect_size_result standardized_difference(const sample_moments& a, const sample_moments& b, bool hedges) {
  effect_size_result out;
  out.reason = too_small(a, b);
  if (!out.reason.empty()) {
    out.code = reason_code::too_few_cases;
    return out;
  }
  const double na = static_cast<double>(a.n);
  const double nb = static_cast<double>(b.n);
  const double pooled = ((na - 1.0) * a.variance + (nb - 1.0) * b.variance) / (na + nb - 2.0);
  out.pooled_sd = std::sqrt(pooled);
  if (!(pooled > 0.0)) {
    out.reason = "both samples have zero variance";
    out.code = reason_code::no_variance;
    return out;
  }
  double d = (a.mean - b.mean) / *out.pooled_sd;
  if (hedges) {
    d *= 1.0 - 3.0 / (4.0 * (na + nb) - 9.0);
  }
  out.value = d;
  return out;
}

// Two-sided p of a standard normal z.
ETHOS_DECL double normal_two_sided_p(double z) {
  return 2.0 * boost::math::cdf(boost::math::complement(boost::math::normal(), std::fabs(z)));
}

} // namespace detail

ETHOS_DECL welch_result welch_t(const sample_summary& a, const sample_summary& b) {
  return detail::welch(detail::moments_from(a, "a"), detail::moments_from(b, "b"));
}

ETHOS_DECL welch_result welch_t(std::span<const double> a, std::span<const double> b) {
  return detail::welch(detail::moments_from(a), detail::moments_from(b));
}

ETHOS_DECL effect_size_result cohens_d(const sample_summary& a, const sample_summary& b) {
  return detail::standardized_difference(detail::moments_from(a, "a"), detail::moments_from(b, "b"), false);
}

ETHOS_DECL effect_size_result cohens_d(std::span<const double> a, std::span<const double> b) {
  return detail::standardized_difference(detail::moments_from(a), detail::moments_from(b), false);
}

ETHOS_DECL effect_size_result hedges_g(const sample_summary& a, const sample_summary& b) {
  return detail::standardized_difference(detail::moments_from(a, "a"), detail::moments_from(b, "b"), true);
}

ETHOS_DECL effect_size_result hedges_g(std::span<const double> a, std::span<const double> b) {
  return detail::standardized_difference(detail::moments_from(a), detail::moments_from(b), true);
}

ETHOS_DECL correlation_result pearson(std::span<const double> x, std::span<const double> y) {
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
    out.code = reason_code::too_few_cases;
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
    out.code = reason_code::no_variance;
    return out;
  }
  out.r = std::clamp(sxy / (std::sqrt(sxx) * std::sqrt(syy)), -1.0, 1.0);
  return out;
}

ETHOS_DECL fisher_z_result fisher_z_ci(double r, std::size_t n, double level) {
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
    out.code = reason_code::too_few_cases;
    return out;
  }
  if (!(std::fabs(r) < 1.0)) {
    out.reason = "|r| >= 1: Fisher's z is infinite";
    out.code = reason_code::undefined;
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

ETHOS_DECL fisher_z_result fisher_z_ci(const correlation_result& c, double level) {
  if (!c.r) {
    fisher_z_result out;
    out.reason = c.reason;
    out.code = c.code;
    return out;
  }
  return fisher_z_ci(*c.r, c.n, level);
}

ETHOS_DECL nps_difference_result nps_difference(const nps_counts& a, const nps_counts& b) {
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
    out.code = reason_code::no_data;
    return out;
  }
  out.difference = *out.score_a - *out.score_b;
  out.se = std::sqrt(*out.se_a * *out.se_a + *out.se_b * *out.se_b);
  if (!(*out.se > 0.0)) {
    out.reason = "the standard error is 0: within each group every answer is of one kind (all promoters, passives or "
                 "detractors)";
    out.code = reason_code::no_variance;
    return out;
  }
  out.z = *out.difference / *out.se;
  out.p = detail::normal_two_sided_p(*out.z);
  return out;
}

} // namespace ethos
