// ethos/stats/impl/factor.ipp: definitions of ethos/stats/factor.hpp (compiled into ethos::compiled, or included
// by the header in header-only mode).
#pragma once

#include <ethos/stats/factor.hpp>

#include <ethos/error.hpp>

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/non_central_chi_squared.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numbers>
#include <optional>
#include <string>
#include <vector>

namespace ethos {

namespace detail {

// Small dense symmetric matrices, row-major, for the factor models (p is the number of items: tens, not thousands).
// The Cholesky factor L of the p x p matrix `a` (lower triangle; false when `a` is not positive definite).
inline bool cholesky(const std::vector<double>& a, std::size_t p, std::vector<double>& l) {
  l.assign(p * p, 0.0);
  for (std::size_t j = 0; j < p; ++j) {
    double d = a[j * p + j];
    for (std::size_t k = 0; k < j; ++k) {
      d -= l[j * p + k] * l[j * p + k];
    }
    if (!(d > 0.0) || !std::isfinite(d)) {
      return false;
    }
    l[j * p + j] = std::sqrt(d);
    for (std::size_t i = j + 1; i < p; ++i) {
      double v = a[i * p + j];
      for (std::size_t k = 0; k < j; ++k) {
        v -= l[i * p + k] * l[j * p + k];
      }
      l[i * p + j] = v / l[j * p + j];
    }
  }
  return true;
}

// log|a| and a^-1 of a positive definite matrix through its Cholesky factor; false when it is not positive definite.
inline bool spd_inverse(const std::vector<double>& a, std::size_t p, std::vector<double>& inv, double& logdet) {
  std::vector<double> l;
  if (!cholesky(a, p, l)) {
    return false;
  }
  logdet = 0.0;
  for (std::size_t i = 0; i < p; ++i) {
    logdet += 2.0 * std::log(l[i * p + i]);
  }
  // L^-1, lower triangular, then a^-1 = L^-T L^-1.
  std::vector<double> li(p * p, 0.0);
  for (std::size_t j = 0; j < p; ++j) {
    li[j * p + j] = 1.0 / l[j * p + j];
    for (std::size_t i = j + 1; i < p; ++i) {
      double v = 0.0;
      for (std::size_t k = j; k < i; ++k) {
        v -= l[i * p + k] * li[k * p + j];
      }
      li[i * p + j] = v / l[i * p + i];
    }
  }
  inv.assign(p * p, 0.0);
  for (std::size_t i = 0; i < p; ++i) {
    for (std::size_t j = 0; j <= i; ++j) {
      double v = 0.0;
      for (std::size_t k = i; k < p; ++k) {
        v += li[k * p + i] * li[k * p + j];
      }
      inv[i * p + j] = v;
      inv[j * p + i] = v;
    }
  }
  return true;
}

// Solves the symmetric positive definite system a x = b in place of b; false when a is not positive definite.
inline bool spd_solve(const std::vector<double>& a, std::size_t q, std::vector<double>& b) {
  std::vector<double> l;
  if (!cholesky(a, q, l)) {
    return false;
  }
  for (std::size_t i = 0; i < q; ++i) {
    double v = b[i];
    for (std::size_t k = 0; k < i; ++k) {
      v -= l[i * q + k] * b[k];
    }
    b[i] = v / l[i * q + i];
  }
  for (std::size_t i = q; i-- > 0;) {
    double v = b[i];
    for (std::size_t k = i + 1; k < q; ++k) {
      v -= l[k * q + i] * b[k];
    }
    b[i] = v / l[i * q + i];
  }
  return true;
}

// The free parameters of a simple-structure factor model and the model-implied covariance they give.
class factor_model {
 public:
  enum class kind : unsigned char { loading, residual, factor_cov };
  struct parameter {
    kind what;
    std::size_t i; // loading: the item; residual: the item; factor_cov: the first factor
    std::size_t j; // factor_cov: the second factor (j <= i)
  };

  factor_model(const factor_structure& m) : p_(m.items), m_(m.factors.size()), unit_variance_(m.unit_variance) {
    factor_of_.assign(p_, npos);
    marker_.assign(p_, false);
    for (std::size_t f = 0; f < m_; ++f) {
      for (std::size_t k = 0; k < m.factors[f].size(); ++k) {
        const std::size_t i = m.factors[f][k];
        factor_of_[i] = f;
        marker_[i] = !unit_variance_ && k == 0;
      }
    }
    for (std::size_t i = 0; i < p_; ++i) {
      if (!marker_[i]) {
        params_.push_back({kind::loading, i, 0});
      }
    }
    for (std::size_t i = 0; i < p_; ++i) {
      params_.push_back({kind::residual, i, 0});
    }
    for (std::size_t f = 0; f < m_; ++f) {
      for (std::size_t g = 0; g <= f; ++g) {
        if (f == g && unit_variance_) {
          continue;
        }
        params_.push_back({kind::factor_cov, f, g});
      }
    }
    lambda_.assign(p_, 1.0);
    psi_.assign(p_, 0.0);
    phi_.assign(m_ * m_, 0.0);
    for (std::size_t f = 0; f < m_; ++f) {
      phi_[f * m_ + f] = 1.0;
    }
  }

  [[nodiscard]] std::size_t items() const noexcept { return p_; }
  [[nodiscard]] std::size_t factors() const noexcept { return m_; }
  [[nodiscard]] const std::vector<parameter>& parameters() const noexcept { return params_; }
  [[nodiscard]] std::size_t factor_of(std::size_t i) const noexcept { return factor_of_[i]; }
  [[nodiscard]] bool marker(std::size_t i) const noexcept { return marker_[i]; }
  [[nodiscard]] double lambda(std::size_t i) const noexcept { return lambda_[i]; }
  [[nodiscard]] double psi(std::size_t i) const noexcept { return psi_[i]; }
  [[nodiscard]] double phi(std::size_t f, std::size_t g) const noexcept { return phi_[f * m_ + g]; }

  [[nodiscard]] std::vector<double> values() const {
    std::vector<double> v;
    for (const auto& q : params_) {
      v.push_back(q.what == kind::loading ? lambda_[q.i] : q.what == kind::residual ? psi_[q.i] : phi(q.i, q.j));
    }
    return v;
  }
  void set(const std::vector<double>& v) {
    for (std::size_t a = 0; a < params_.size(); ++a) {
      const auto& q = params_[a];
      if (q.what == kind::loading) {
        lambda_[q.i] = v[a];
      } else if (q.what == kind::residual) {
        psi_[q.i] = v[a];
      } else {
        phi_[q.i * m_ + q.j] = v[a];
        phi_[q.j * m_ + q.i] = v[a];
      }
    }
  }

  // Sigma = Lambda Phi Lambda' + Psi.
  [[nodiscard]] std::vector<double> sigma() const {
    std::vector<double> s(p_ * p_, 0.0);
    for (std::size_t i = 0; i < p_; ++i) {
      for (std::size_t j = 0; j < p_; ++j) {
        s[i * p_ + j] = lambda_[i] * lambda_[j] * phi(factor_of_[i], factor_of_[j]) + (i == j ? psi_[i] : 0.0);
      }
    }
    return s;
  }

  // dSigma / d(parameter a) = u w' + w u' (every derivative has rank at most two): a loading of item i on factor f
  // gives u = e_i, w = Lambda Phi[:, f]; a residual variance u = e_i, w = e_i / 2; a factor covariance (f, g) the
  // loading columns of f and g (halved once for a variance).
  void derivative(std::size_t a, std::vector<double>& u, std::vector<double>& w) const {
    const auto& q = params_[a];
    u.assign(p_, 0.0);
    w.assign(p_, 0.0);
    if (q.what == kind::residual) {
      u[q.i] = 1.0;
      w[q.i] = 0.5;
    } else if (q.what == kind::loading) {
      u[q.i] = 1.0;
      for (std::size_t j = 0; j < p_; ++j) {
        w[j] = lambda_[j] * phi(factor_of_[q.i], factor_of_[j]);
      }
    } else {
      for (std::size_t j = 0; j < p_; ++j) {
        if (factor_of_[j] == q.i) {
          u[j] = lambda_[j];
        }
        if (factor_of_[j] == q.j) {
          w[j] = q.i == q.j ? 0.5 * lambda_[j] : lambda_[j];
        }
      }
    }
  }

  // Starting values (the estimates do not depend on them): residuals half the item variance, a factor's variance
  // half its first item's variance, other loadings by regression on that item, covariances those of first items
  // (0 with unit variances, where loadings start at the square root of half the item variance).
  void start(const std::vector<double>& s, const factor_structure& m) {
    for (std::size_t i = 0; i < p_; ++i) {
      psi_[i] = 0.5 * s[i * p_ + i];
    }
    std::vector<std::size_t> first(m_);
    for (std::size_t f = 0; f < m_; ++f) {
      first[f] = m.factors[f][0];
    }
    for (std::size_t f = 0; f < m_; ++f) {
      const double v0 = 0.5 * s[first[f] * p_ + first[f]];
      for (std::size_t g = 0; g <= f; ++g) {
        const double c = f == g ? v0 : unit_variance_ ? 0.0 : s[first[f] * p_ + first[g]];
        if (!(unit_variance_ && f == g)) {
          phi_[f * m_ + g] = c;
          phi_[g * m_ + f] = c;
        }
      }
      for (const auto i : m.factors[f]) {
        if (unit_variance_) {
          lambda_[i] = std::sqrt(std::max(0.5 * s[i * p_ + i], 1e-6));
        } else if (!marker_[i]) {
          lambda_[i] = s[i * p_ + first[f]] / v0;
        }
      }
    }
  }

 private:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  std::size_t p_;
  std::size_t m_;
  bool unit_variance_;
  std::vector<std::size_t> factor_of_;
  std::vector<bool> marker_;
  std::vector<parameter> params_;
  std::vector<double> lambda_;
  std::vector<double> psi_;
  std::vector<double> phi_;
};

// The ML discrepancy log|Sigma| + tr(S Sigma^-1) - log|S| - p, with Sigma^-1 (false when Sigma is not positive
// definite).
inline bool ml_discrepancy(const std::vector<double>& s, double logdet_s, const std::vector<double>& sigma,
                           std::size_t p, double& f, std::vector<double>& inv) {
  double logdet = 0.0;
  if (!spd_inverse(sigma, p, inv, logdet)) {
    return false;
  }
  double tr = 0.0;
  for (std::size_t i = 0; i < p * p; ++i) {
    tr += s[i] * inv[i];
  }
  f = logdet + tr - logdet_s - static_cast<double>(p);
  return std::isfinite(f);
}

// The noncentrality at which the noncentral chi-square(df) has cumulative probability `target` at x (0 when it is
// below target already at 0), by bisection.
inline double noncentrality_at(double x, double df, double target) {
  const auto cdf = [&](double lambda) {
    if (lambda <= 0.0) {
      return boost::math::cdf(boost::math::chi_squared_distribution<double>(df), x);
    }
    return boost::math::cdf(boost::math::non_central_chi_squared_distribution<double>(df, lambda), x);
  };
  if (cdf(0.0) < target) {
    return 0.0;
  }
  double lo = 0.0;
  double hi = std::max(1.0, x);
  while (cdf(hi) > target) {
    hi *= 2.0;
  }
  for (int it = 0; it < 200 && hi - lo > 1e-12 * std::max(1.0, hi); ++it) {
    const double mid = 0.5 * (lo + hi);
    (cdf(mid) > target ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

} // namespace detail

ETHOS_DECL cfa_result confirmatory_factor_analysis(const std::vector<double>& s, std::size_t n,
                                                   const factor_structure& model, const cfa_options& opt) {
  const std::size_t p = model.items;
  if (p == 0 || s.size() != p * p) {
    throw error("cfa: the covariance matrix has " + std::to_string(s.size()) + " values for " + std::to_string(p) +
                " items (needs items x items)");
  }
  if (n < 2) {
    throw error("cfa: " + std::to_string(n) + " observations; at least 2 are needed");
  }
  if (model.factors.empty()) {
    throw error("cfa: the model has no factor");
  }
  std::vector<int> seen(p, 0);
  for (std::size_t f = 0; f < model.factors.size(); ++f) {
    if (model.factors[f].empty()) {
      throw error("cfa: factor #" + std::to_string(f + 1) + " has no items");
    }
    for (const auto i : model.factors[f]) {
      if (i >= p) {
        throw error("cfa: factor #" + std::to_string(f + 1) + " names item #" + std::to_string(i + 1) + " of " +
                    std::to_string(p));
      }
      if (++seen[i] > 1) {
        throw error("cfa: item #" + std::to_string(i + 1) + " is in more than one factor");
      }
    }
  }
  for (std::size_t i = 0; i < p; ++i) {
    if (seen[i] == 0) {
      throw error("cfa: item #" + std::to_string(i + 1) + " is in no factor");
    }
    for (std::size_t j = 0; j < p; ++j) {
      if (!std::isfinite(s[i * p + j]) || s[i * p + j] != s[j * p + i]) {
        throw error("cfa: the covariance matrix is not finite and symmetric at (" + std::to_string(i + 1) + ", " +
                    std::to_string(j + 1) + ")");
      }
    }
  }

  cfa_result out;
  out.n = n;
  std::vector<double> s_inv;
  double logdet_s = 0.0;
  if (!detail::spd_inverse(s, p, s_inv, logdet_s)) {
    out.reason = "the sample covariance matrix is not positive definite (an item is constant or a combination of "
                 "others)";
    out.code = reason_code::singular;
    return out;
  }
  detail::factor_model fm(model);
  const std::size_t q = fm.parameters().size();
  const std::size_t moments = p * (p + 1) / 2;
  if (q > moments) {
    out.reason = "the model has " + std::to_string(q) + " free parameters but the covariances give only " +
                 std::to_string(moments) + ": it is not identified";
    out.code = reason_code::too_few_items;
    return out;
  }
  fm.start(s, model);

  // Fisher scoring on F: the step solves I d = -g/2 with g = dF and I the expected information per observation,
  // I_ab = tr(Sigma^-1 D_a Sigma^-1 D_b) / 2; the step is halved until F goes down.
  std::vector<double> inv;
  double f = 0.0;
  if (!detail::ml_discrepancy(s, logdet_s, fm.sigma(), p, f, inv)) {
    out.reason = "the starting values give a covariance matrix that is not positive definite";
    out.code = reason_code::not_converged;
    return out;
  }
  // With D_a = u_a w_a' + w_a u_a' and C = Sigma^-1: tr(C D_a C D_b) = 2 [(u_a'C u_b)(w_a'C w_b) + (u_a'C w_b)(w_a'C
  // u_b)], so I_ab is the bracket, and the gradient tr(W D_a) = 2 w_a' W u_a with W = C (Sigma - S) C.
  const auto mat_vec = [p](const std::vector<double>& a, const std::vector<double>& x, std::vector<double>& y) {
    y.assign(p, 0.0);
    for (std::size_t i = 0; i < p; ++i) {
      double v = 0.0;
      for (std::size_t k = 0; k < p; ++k) {
        v += a[i * p + k] * x[k];
      }
      y[i] = v;
    }
  };
  const auto dot = [p](const std::vector<double>& x, const std::vector<double>& y) {
    double v = 0.0;
    for (std::size_t i = 0; i < p; ++i) {
      v += x[i] * y[i];
    }
    return v;
  };
  std::vector<double> info(q * q);
  std::vector<std::vector<double>> us(q);
  std::vector<std::vector<double>> ws(q);
  std::vector<std::vector<double>> cus(q);
  std::vector<std::vector<double>> cws(q);
  const auto information = [&](std::vector<double>* gradient) {
    std::vector<double> w;
    if (gradient != nullptr) {
      const std::vector<double> sig = fm.sigma();
      std::vector<double> r(p * p, 0.0); // (Sigma - S) C
      for (std::size_t i = 0; i < p; ++i) {
        for (std::size_t j = 0; j < p; ++j) {
          double v = 0.0;
          for (std::size_t k = 0; k < p; ++k) {
            v += (sig[i * p + k] - s[i * p + k]) * inv[k * p + j];
          }
          r[i * p + j] = v;
        }
      }
      w.assign(p * p, 0.0);
      for (std::size_t i = 0; i < p; ++i) {
        for (std::size_t j = 0; j < p; ++j) {
          double v = 0.0;
          for (std::size_t k = 0; k < p; ++k) {
            v += inv[i * p + k] * r[k * p + j];
          }
          w[i * p + j] = v;
        }
      }
      gradient->assign(q, 0.0);
    }
    std::vector<double> wu;
    for (std::size_t a = 0; a < q; ++a) {
      fm.derivative(a, us[a], ws[a]);
      mat_vec(inv, us[a], cus[a]);
      mat_vec(inv, ws[a], cws[a]);
      if (gradient != nullptr) {
        mat_vec(w, us[a], wu);
        (*gradient)[a] = 2.0 * dot(ws[a], wu);
      }
    }
    for (std::size_t a = 0; a < q; ++a) {
      for (std::size_t b = 0; b <= a; ++b) {
        const double t = dot(us[a], cus[b]) * dot(ws[a], cws[b]) + dot(us[a], cws[b]) * dot(ws[a], cus[b]);
        info[a * q + b] = t;
        info[b * q + a] = t;
      }
    }
  };
  std::vector<double> grad;
  for (out.iterations = 0; out.iterations < opt.max_iterations; ++out.iterations) {
    information(&grad);
    std::vector<double> step(q);
    for (std::size_t a = 0; a < q; ++a) {
      step[a] = -0.5 * grad[a];
    }
    if (!detail::spd_solve(info, q, step)) {
      out.reason = "the information matrix is singular at step " + std::to_string(out.iterations + 1) +
                   ": the model is not identified by these data";
      out.code = reason_code::singular;
      return out;
    }
    const auto theta = fm.values();
    double scale = 1.0;
    bool moved = false;
    double f_new = f;
    std::vector<double> inv_new;
    for (int half = 0; half < 40; ++half, scale *= 0.5) {
      std::vector<double> next(theta);
      for (std::size_t a = 0; a < q; ++a) {
        next[a] += scale * step[a];
      }
      fm.set(next);
      if (detail::ml_discrepancy(s, logdet_s, fm.sigma(), p, f_new, inv_new) && f_new <= f) {
        moved = true;
        break;
      }
    }
    if (!moved) {
      fm.set(theta);
      out.converged = true; // no step lowers F: at the minimum to rounding
      break;
    }
    const double change = f - f_new;
    f = f_new;
    inv = std::move(inv_new);
    if (change <= opt.tolerance * std::max(1.0, std::abs(f))) {
      out.converged = true;
      ++out.iterations;
      break;
    }
  }
  if (!out.converged) {
    out.reason = "the estimates did not converge in " + std::to_string(opt.max_iterations) + " steps";
    out.code = reason_code::not_converged;
  }
  information(nullptr);
  // vcov = (N I)^-1: one inversion (a solve per column would factor I once per parameter).
  std::vector<double> vcov;
  double logdet_info = 0.0;
  const bool have_se = detail::spd_inverse(info, q, vcov, logdet_info);
  for (auto& v : vcov) {
    v /= static_cast<double>(n);
  }
  if (!have_se && out.code == reason_code::none) {
    out.reason = "the information matrix is singular at the estimates: no standard errors";
    out.code = reason_code::singular;
  }

  // Estimates, standard errors, standardised values.
  const auto sig = fm.sigma();
  const std::size_t m = fm.factors();
  std::vector<std::optional<double>> se_of(q);
  const auto& params = fm.parameters();
  std::vector<std::size_t> loading_param(p, q);
  std::vector<std::size_t> residual_param(p, q);
  std::vector<std::size_t> cov_param(m * m, q);
  for (std::size_t a = 0; a < q; ++a) {
    if (have_se && vcov[a * q + a] >= 0.0) {
      se_of[a] = std::sqrt(vcov[a * q + a]);
    }
    const auto& par = params[a];
    if (par.what == detail::factor_model::kind::loading) {
      loading_param[par.i] = a;
    } else if (par.what == detail::factor_model::kind::residual) {
      residual_param[par.i] = a;
    } else {
      cov_param[par.i * m + par.j] = a;
      cov_param[par.j * m + par.i] = a;
    }
  }
  out.loadings.resize(p);
  out.residuals.resize(p);
  for (std::size_t i = 0; i < p; ++i) {
    const std::size_t fi = fm.factor_of(i);
    auto& l = out.loadings[i];
    l.estimate = fm.lambda(i);
    if (loading_param[i] < q) {
      l.se = se_of[loading_param[i]];
    }
    l.standardized = fm.lambda(i) * std::sqrt(fm.phi(fi, fi)) / std::sqrt(sig[i * p + i]);
    auto& r = out.residuals[i];
    r.estimate = fm.psi(i);
    r.se = se_of[residual_param[i]];
    r.standardized = fm.psi(i) / sig[i * p + i];
    if (fm.psi(i) < 0.0) {
      out.heywood.push_back(i);
    }
  }
  out.factor_covariances.assign(m, std::vector<cfa_parameter>(m));
  for (std::size_t f1 = 0; f1 < m; ++f1) {
    for (std::size_t f2 = 0; f2 < m; ++f2) {
      auto& c = out.factor_covariances[f1][f2];
      c.estimate = fm.phi(f1, f2);
      if (cov_param[f1 * m + f2] < q) {
        c.se = se_of[cov_param[f1 * m + f2]];
      }
      c.standardized = fm.phi(f1, f2) / std::sqrt(fm.phi(f1, f1) * fm.phi(f2, f2));
    }
  }
  if (!out.heywood.empty() && out.code == reason_code::none) {
    out.reason = "Heywood case: item #" + std::to_string(out.heywood.front() + 1) +
                 " has a negative residual variance, so the solution is improper";
    out.code = reason_code::undefined;
  }
  if (!out.converged) {
    return out;
  }

  // Fit measures, as lavaan 0.6 defines them (N = n throughout).
  cfa_fit fit;
  const auto nn = static_cast<double>(n);
  fit.fmin = 0.5 * f;
  fit.chisq = nn * f;
  fit.df = moments - q;
  const auto df = static_cast<double>(fit.df);
  fit.pvalue = fit.df == 0 ? std::numeric_limits<double>::quiet_NaN()
                           : boost::math::cdf(boost::math::complement(boost::math::chi_squared_distribution<double>(df),
                                                                      std::max(fit.chisq, 0.0)));
  double logdet_diag = 0.0;
  for (std::size_t i = 0; i < p; ++i) {
    logdet_diag += std::log(s[i * p + i]);
  }
  fit.baseline_chisq = nn * (logdet_diag - logdet_s);
  fit.baseline_df = p * (p - 1) / 2;
  const auto dfb = static_cast<double>(fit.baseline_df);
  const double t1 = std::max(fit.chisq - df, 0.0);
  const double t2 = std::max({fit.chisq - df, fit.baseline_chisq - dfb, 0.0});
  fit.cfi = t2 == 0.0 ? 1.0 : 1.0 - t1 / t2;
  if (fit.df > 0 && fit.baseline_df > 0) {
    fit.tli = (fit.baseline_chisq / dfb - fit.chisq / df) / (fit.baseline_chisq / dfb - 1.0);
  }
  if (fit.df > 0) {
    fit.rmsea = std::sqrt(std::max(fit.chisq / nn / df - 1.0 / nn, 0.0));
    fit.rmsea_lower = std::sqrt(detail::noncentrality_at(fit.chisq, df, 0.95) / (nn * df));
    fit.rmsea_upper = std::sqrt(detail::noncentrality_at(fit.chisq, df, 0.05) / (nn * df));
    fit.rmsea_pvalue = boost::math::cdf(boost::math::complement(
        boost::math::non_central_chi_squared_distribution<double>(df, nn * df * 0.05 * 0.05), fit.chisq));
  }
  double sq = 0.0;
  for (std::size_t i = 0; i < p; ++i) {
    for (std::size_t j = 0; j <= i; ++j) {
      const double r = (s[i * p + j] - sig[i * p + j]) / std::sqrt(s[i * p + i] * s[j * p + j]);
      sq += r * r;
    }
  }
  fit.srmr = std::sqrt(sq / static_cast<double>(moments));
  // log|Sigma| + tr(S Sigma^-1) = F + log|S| + p at the estimates.
  const double log2pi = std::log(2.0 * std::numbers::pi);
  fit.logl = -0.5 * nn * (f + logdet_s + static_cast<double>(p) + static_cast<double>(p) * log2pi);
  fit.unrestricted_logl = -0.5 * nn * (logdet_s + static_cast<double>(p) + static_cast<double>(p) * log2pi);
  out.fit = fit;
  return out;
}

ETHOS_DECL omega_result omega_total(const std::vector<double>& s, std::size_t n, const cfa_options& opt) {
  const auto p = static_cast<std::size_t>(std::llround(std::sqrt(static_cast<double>(s.size()))));
  factor_structure one;
  one.items = p;
  one.unit_variance = true;
  one.factors.emplace_back();
  for (std::size_t i = 0; i < p; ++i) {
    one.factors[0].push_back(i);
  }
  omega_result out;
  if (p < 3) {
    out.reason = "omega needs at least 3 items (a one-factor model of fewer is not identified with fit to spare)";
    out.code = reason_code::too_few_items;
    return out;
  }
  out.model = confirmatory_factor_analysis(s, n, one, opt);
  if (!out.model.converged || out.model.code == reason_code::singular || out.model.code == reason_code::not_converged) {
    out.reason = "the one-factor model failed: " + out.model.reason;
    out.code = reason_code::depends_on_other;
    return out;
  }
  if (!out.model.heywood.empty()) {
    out.reason = "the one-factor model is improper: " + out.model.reason;
    out.code = reason_code::depends_on_other;
    return out;
  }
  double sum = 0.0;
  double resid = 0.0;
  for (std::size_t i = 0; i < p; ++i) {
    sum += out.model.loadings[i].estimate;
    resid += out.model.residuals[i].estimate;
  }
  out.omega = sum * sum / (sum * sum + resid);
  return out;
}

} // namespace ethos
