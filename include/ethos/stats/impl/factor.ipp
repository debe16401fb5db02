// ethos/stats/impl/factor.ipp: definitions of ethos/stats/factor.hpp (compiled into ethos::compiled, or included
// by the header in header-only mode).
#pragma once

#include <ethos/stats/factor.hpp>

#include <ethos/stats/covariance.hpp>

#include <ethos/error.hpp>

#include <Eigen/Cholesky>
#include <Eigen/Core>
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

using dense_matrix = Eigen::MatrixXd;
using dense_vector = Eigen::VectorXd;

// Every product and solve of the factor models goes through these few functions: a header-only build then
// instantiates Eigen's kernels once per shape (a b, a' b, a v, a' v, one Cholesky solve and one triangular inverse)
// instead of once per expression written out (10.8 -> 6.4 s to compile <ethos/stats/factor.hpp> header-only).
inline void multiply(const dense_matrix& a, const dense_matrix& b, dense_matrix& out) { out.noalias() = a * b; }
inline dense_matrix product(const dense_matrix& a, const dense_matrix& b) {
  dense_matrix out;
  multiply(a, b, out);
  return out;
}
// a' b
inline void multiply_t(const dense_matrix& a, const dense_matrix& b, dense_matrix& out) {
  out.noalias() = a.transpose() * b;
}
inline dense_matrix product_t(const dense_matrix& a, const dense_matrix& b) {
  dense_matrix out;
  multiply_t(a, b, out);
  return out;
}
inline dense_vector product(const dense_matrix& a, const dense_vector& v) {
  dense_vector out;
  out.noalias() = a * v;
  return out;
}
// a' v
inline dense_vector product_t(const dense_matrix& a, const dense_vector& v) {
  dense_vector out;
  out.noalias() = a.transpose() * v;
  return out;
}
// r -= d d'
inline void subtract_outer(dense_matrix& r, const dense_vector& d) {
  for (Eigen::Index j = 0; j < r.cols(); ++j) {
    for (Eigen::Index i = 0; i < r.rows(); ++i) {
      r(i, j) -= d(i) * d(j);
    }
  }
}
// The solution x of a x = b from a's Cholesky factor.
inline dense_vector cholesky_solve(const Eigen::LLT<dense_matrix>& llt, const dense_vector& b) { return llt.solve(b); }
// L^-1 of a's Cholesky factor L (a = L L', so a^-1 = L^-T L^-1).
inline dense_matrix lower_inverse(const Eigen::LLT<dense_matrix>& llt) {
  return llt.matrixL().solve(dense_matrix::Identity(llt.rows(), llt.cols()));
}

// log|a| and a^-1 of a symmetric positive definite matrix through its Cholesky factor; false when it is not
// positive definite (or not finite).
inline bool spd_inverse(const dense_matrix& a, dense_matrix& inv, double& logdet) {
  const Eigen::LLT<dense_matrix> llt(a);
  if (llt.info() != Eigen::Success) {
    return false;
  }
  logdet = 2.0 * llt.matrixL().nestedExpression().diagonal().array().log().sum();
  if (!std::isfinite(logdet)) {
    return false;
  }
  const dense_matrix l_inv = lower_inverse(llt);
  multiply_t(l_inv, l_inv, inv);
  return inv.allFinite();
}

// One group's data: its sample covariance (divisor N) and means, its share of all observations, log|S|.
struct sem_group {
  dense_matrix s;
  dense_vector mean;
  double n = 0.0;
  double weight = 0.0;
  double logdet_s = 0.0;
};

// A simple-structure factor model over one or more groups, optionally with a mean structure, with parameters held
// equal across groups as an invariance level asks. Every model entry of every group is either a free parameter (an
// index into theta; equal entries share one) or fixed: a marker's loading 1, a unit factor variance 1, a factor
// mean 0.
class sem_model {
 public:
  enum class kind : unsigned char { loading, residual, factor_cov, intercept, factor_mean };
  // One free entry of one group: what it is, where (item i; factors i >= j; factor i), and its parameter.
  struct slot {
    kind what;
    std::size_t i;
    std::size_t j;
    std::size_t index;
  };

  sem_model(const factor_structure& m, std::size_t groups, bool means, invariance_level level)
      : p_(m.items), m_(m.factors.size()), groups_(groups), means_(means) {
    factor_of_.assign(p_, 0);
    std::vector<bool> marker(p_, false);
    for (std::size_t f = 0; f < m_; ++f) {
      for (std::size_t k = 0; k < m.factors[f].size(); ++k) {
        factor_of_[m.factors[f][k]] = f;
        marker[m.factors[f][k]] = !m.unit_variance && k == 0;
      }
    }
    const bool equal_loadings = level != invariance_level::configural;
    const bool equal_intercepts = level == invariance_level::scalar;
    slots_.resize(groups_);
    const auto add = [&](std::size_t g, kind what, std::size_t i, std::size_t j, std::optional<std::size_t> shared) {
      const std::size_t index = shared ? *shared : q_++;
      slots_[g].push_back({what, i, j, index});
      if (!shared) {
        first_.push_back({what, i, j, index});
        group_of_.push_back(g);
      }
      return index;
    };
    std::vector<std::size_t> loading_index(p_);
    std::vector<std::size_t> intercept_index(p_);
    for (std::size_t g = 0; g < groups_; ++g) {
      for (std::size_t i = 0; i < p_; ++i) {
        if (!marker[i]) {
          const std::optional<std::size_t> shared =
              equal_loadings && g > 0 ? std::optional<std::size_t>(loading_index[i]) : std::nullopt;
          loading_index[i] = add(g, kind::loading, i, 0, shared);
        }
      }
      for (std::size_t i = 0; i < p_; ++i) {
        add(g, kind::residual, i, 0, std::nullopt);
      }
      // With unit variances the loadings carry the scale; once they are equal across groups, only the first
      // group's factor variances stay fixed (lavaan frees the others).
      const bool fixed_variance = m.unit_variance && (g == 0 || !equal_loadings);
      for (std::size_t f = 0; f < m_; ++f) {
        for (std::size_t h = 0; h <= f; ++h) {
          if (!(f == h && fixed_variance)) {
            add(g, kind::factor_cov, f, h, std::nullopt);
          }
        }
      }
      if (means_) {
        for (std::size_t i = 0; i < p_; ++i) {
          const std::optional<std::size_t> shared =
              equal_intercepts && g > 0 ? std::optional<std::size_t>(intercept_index[i]) : std::nullopt;
          intercept_index[i] = add(g, kind::intercept, i, 0, shared);
        }
        if (equal_intercepts && g > 0) {
          for (std::size_t f = 0; f < m_; ++f) {
            add(g, kind::factor_mean, f, 0, std::nullopt);
          }
        }
      }
    }
  }

  [[nodiscard]] std::size_t items() const noexcept { return p_; }
  [[nodiscard]] std::size_t factors() const noexcept { return m_; }
  [[nodiscard]] std::size_t groups() const noexcept { return groups_; }
  [[nodiscard]] bool means() const noexcept { return means_; }
  [[nodiscard]] std::size_t parameters() const noexcept { return q_; }
  [[nodiscard]] std::size_t factor_of(std::size_t i) const noexcept { return factor_of_[i]; }
  [[nodiscard]] const std::vector<slot>& slots(std::size_t g) const noexcept { return slots_[g]; }
  // Each parameter where it first appears, and that group.
  [[nodiscard]] const std::vector<slot>& distinct() const noexcept { return first_; }
  [[nodiscard]] std::size_t group_of(std::size_t a) const noexcept { return group_of_[a]; }

  // One group's model matrices at theta: Lambda (p x m), Psi (diagonal), Phi (m x m), nu (p), kappa (m).
  struct matrices {
    dense_matrix lambda;
    dense_vector psi;
    dense_matrix phi;
    dense_vector nu;
    dense_vector kappa;
  };
  [[nodiscard]] matrices unpack(std::size_t g, const dense_vector& theta) const {
    matrices x{dense_matrix::Zero(static_cast<Eigen::Index>(p_), static_cast<Eigen::Index>(m_)),
               dense_vector::Zero(static_cast<Eigen::Index>(p_)),
               dense_matrix::Identity(static_cast<Eigen::Index>(m_), static_cast<Eigen::Index>(m_)),
               dense_vector::Zero(static_cast<Eigen::Index>(p_)), dense_vector::Zero(static_cast<Eigen::Index>(m_))};
    for (std::size_t i = 0; i < p_; ++i) {
      x.lambda(ix(i), ix(factor_of_[i])) = 1.0; // a marker's, unless free below
    }
    for (const auto& sl : slots_[g]) {
      const double v = theta(ix(sl.index));
      switch (sl.what) {
      case kind::loading:
        x.lambda(ix(sl.i), ix(factor_of_[sl.i])) = v;
        break;
      case kind::residual:
        x.psi(ix(sl.i)) = v;
        break;
      case kind::factor_cov:
        x.phi(ix(sl.i), ix(sl.j)) = v;
        x.phi(ix(sl.j), ix(sl.i)) = v;
        break;
      case kind::intercept:
        x.nu(ix(sl.i)) = v;
        break;
      case kind::factor_mean:
        x.kappa(ix(sl.i)) = v;
        break;
      }
    }
    return x;
  }

  // Sigma = Lambda Phi Lambda' + Psi and mu = nu + Lambda kappa.
  [[nodiscard]] static dense_matrix sigma(const matrices& x) {
    const dense_matrix lambda_t = x.lambda.transpose();
    dense_matrix s = product(product(x.lambda, x.phi), lambda_t);
    s.diagonal() += x.psi;
    return s;
  }
  [[nodiscard]] static dense_vector mu(const matrices& x) { return x.nu + product(x.lambda, x.kappa); }

  // The derivatives of one group's Sigma and mu by its free entries: dSigma/d(entry k) = U_k V_k' + V_k U_k'
  // (every derivative has rank at most two) and dmu/d(entry k) = M_k. A loading of item i on factor f: U = e_i,
  // V = Lambda Phi[:, f], M = e_i kappa_f; a residual variance: U = e_i, V = e_i / 2; a factor covariance (f, h):
  // U = Lambda[:, f], V = Lambda[:, h] (halved for a variance; with simple structure a loading column is zero
  // outside its factor's items); an intercept: M = e_i; a factor mean: M = Lambda[:, f]. Every U, V and M is thus
  // a multiple of a column of B = [I_p, Lambda, Lambda Phi] (p x (p + 2m)): each entry's direction names those
  // columns, the product of the multiples of U and V, and the multiple of M (0 where there is no such part).
  struct direction {
    Eigen::Index u;
    Eigen::Index v;
    Eigen::Index m;
    double uv;
    double mean;
  };
  void directions(std::size_t g, const matrices& x, dense_matrix& basis, std::vector<direction>& out) const {
    const auto p = ix(p_);
    const auto m = ix(m_);
    basis.resize(p, p + 2 * m);
    basis.leftCols(p).setIdentity();
    basis.middleCols(p, m) = x.lambda;
    basis.rightCols(m) = product(x.lambda, x.phi);
    out.clear();
    for (const auto& s : slots_[g]) {
      const auto i = ix(s.i);
      switch (s.what) {
      case kind::loading: {
        const auto f = ix(factor_of_[s.i]);
        out.push_back({i, p + m + f, i, 1.0, means_ ? x.kappa(f) : 0.0});
        break;
      }
      case kind::residual:
        out.push_back({i, i, 0, 0.5, 0.0});
        break;
      case kind::factor_cov:
        out.push_back({p + i, p + ix(s.j), 0, s.i == s.j ? 0.5 : 1.0, 0.0});
        break;
      case kind::intercept:
        out.push_back({0, 0, i, 0.0, 1.0});
        break;
      case kind::factor_mean:
        out.push_back({0, 0, p + i, 0.0, 1.0});
        break;
      }
    }
  }

  // Starting values (the estimates do not depend on them), from each group's moments where a parameter first
  // appears: residuals half the item variance, a factor's variance half its first item's variance, other loadings
  // by regression on that item, covariances half those of first items (so that Phi is half the first items'
  // covariance matrix, positive definite as S is; 0 with unit variances, where loadings start at the square root of
  // half the item variance), intercepts the means, factor means 0.
  [[nodiscard]] dense_vector start(const std::vector<sem_group>& data, const factor_structure& m) const {
    dense_vector theta = dense_vector::Zero(ix(q_));
    std::vector<std::size_t> first(m_);
    for (std::size_t f = 0; f < m_; ++f) {
      first[f] = m.factors[f][0];
    }
    for (std::size_t a = 0; a < q_; ++a) {
      const auto& sl = first_[a];
      const auto& s = data[group_of_[a]].s;
      const auto var = [&](std::size_t i) { return s(ix(i), ix(i)); };
      double v = 0.0;
      switch (sl.what) {
      case kind::loading: {
        const std::size_t f = factor_of_[sl.i];
        v = m.unit_variance ? std::sqrt(std::max(0.5 * var(sl.i), 1e-6))
                            : s(ix(sl.i), ix(first[f])) / (0.5 * var(first[f]));
        break;
      }
      case kind::residual:
        v = 0.5 * var(sl.i);
        break;
      case kind::factor_cov:
        if (sl.i == sl.j) {
          v = m.unit_variance ? 1.0 : 0.5 * var(first[sl.i]);
        } else {
          v = m.unit_variance ? 0.0 : 0.5 * s(ix(first[sl.i]), ix(first[sl.j]));
        }
        break;
      case kind::intercept:
        v = data[group_of_[a]].mean(ix(sl.i));
        break;
      case kind::factor_mean:
        v = 0.0;
        break;
      }
      theta(ix(a)) = v;
    }
    return theta;
  }

  static Eigen::Index ix(std::size_t i) noexcept { return static_cast<Eigen::Index>(i); }

 private:
  std::size_t p_;
  std::size_t m_;
  std::size_t groups_;
  bool means_;
  std::size_t q_ = 0;
  std::vector<std::size_t> factor_of_;
  std::vector<std::vector<slot>> slots_;
  std::vector<slot> first_;
  std::vector<std::size_t> group_of_;
};

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

// Checks that `model` is a simple-structure model of p items; throws naming the problem otherwise.
inline void check_factor_structure(const factor_structure& model, std::size_t p) {
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
  }
}

// Checks one group's covariance (and means, when `means`) and makes its data; throws naming the problem otherwise.
inline sem_group make_group(const std::vector<double>& s, const std::vector<double>* mean, std::size_t n, std::size_t p,
                            const std::string& where) {
  if (s.size() != p * p) {
    throw error("cfa: " + where + "the covariance matrix has " + std::to_string(s.size()) + " values for " +
                std::to_string(p) + " items (needs items x items)");
  }
  if (n < 2) {
    throw error("cfa: " + where + std::to_string(n) + " observations; at least 2 are needed");
  }
  for (std::size_t i = 0; i < p; ++i) {
    for (std::size_t j = 0; j < p; ++j) {
      if (!std::isfinite(s[i * p + j]) || s[i * p + j] != s[j * p + i]) {
        throw error("cfa: " + where + "the covariance matrix is not finite and symmetric at (" + std::to_string(i + 1) +
                    ", " + std::to_string(j + 1) + ")");
      }
    }
  }
  sem_group g;
  g.s = Eigen::Map<const dense_matrix>(s.data(), sem_model::ix(p), sem_model::ix(p));
  g.n = static_cast<double>(n);
  if (mean != nullptr) {
    if (mean->size() != p) {
      throw error("cfa: " + where + std::to_string(mean->size()) + " means for " + std::to_string(p) + " items");
    }
    for (std::size_t i = 0; i < p; ++i) {
      if (!std::isfinite((*mean)[i])) {
        throw error("cfa: " + where + "the mean of item #" + std::to_string(i + 1) + " is not finite");
      }
    }
    g.mean = Eigen::Map<const dense_vector>(mean->data(), sem_model::ix(p));
  } else {
    g.mean = dense_vector::Zero(sem_model::ix(p));
  }
  return g;
}

// The fit of a model: estimates, their standard errors and the discrepancy, or why there are none.
struct sem_fit {
  dense_vector theta;
  double f = 0.0;              // sum over groups of weight x (log|Sigma| + tr(S Sigma^-1) - log|S| - p + mean part)
  std::vector<double> f_group; // each group's discrepancy
  std::optional<dense_vector> variances; // the sampling variances, diag((N I)^-1)
  bool converged = false;
  std::size_t iterations = 0;
  std::string reason;
  reason_code code = reason_code::none;
};

// The discrepancy of every group at theta (false when an implied covariance matrix is not positive definite).
inline bool discrepancy(const sem_model& model, const std::vector<sem_group>& data, const dense_vector& theta,
                        double& f, std::vector<double>& per_group) {
  f = 0.0;
  per_group.assign(data.size(), 0.0);
  for (std::size_t g = 0; g < data.size(); ++g) {
    const auto x = model.unpack(g, theta);
    dense_matrix c;
    double logdet = 0.0;
    if (!spd_inverse(sem_model::sigma(x), c, logdet)) {
      return false;
    }
    double fg = logdet + (data[g].s.cwiseProduct(c)).sum() - data[g].logdet_s - static_cast<double>(model.items());
    if (model.means()) {
      const dense_vector d = data[g].mean - sem_model::mu(x);
      fg += d.dot(product(c, d));
    }
    per_group[g] = fg;
    f += data[g].weight * fg;
  }
  return std::isfinite(f);
}

// The gradient of the pooled discrepancy in closed form, per free entry of each group, with C = Sigma^-1,
// d = ybar - mu and W = C (Sigma - S - d d') C: a loading 2 (W Lambda Phi)_{i,f} - 2 kappa_f (C d)_i; a residual
// variance W_ii; a factor covariance 2 (Lambda' W Lambda)_{f,h} (a variance once); an intercept -2 (C d)_i; a factor
// mean -2 (Lambda' C d)_f. It costs O(p^2 m) a group, not O(p^2 q), for the Newton phase's differences.
inline bool discrepancy_gradient(const sem_model& model, const std::vector<sem_group>& data, const dense_vector& theta,
                                 dense_vector& gradient) {
  gradient.setZero(sem_model::ix(model.parameters()));
  for (std::size_t g = 0; g < data.size(); ++g) {
    const auto x = model.unpack(g, theta);
    const dense_matrix sig = sem_model::sigma(x);
    dense_matrix c;
    double logdet = 0.0;
    if (!spd_inverse(sig, c, logdet)) {
      return false;
    }
    dense_matrix r = sig - data[g].s;
    dense_vector cd;
    if (model.means()) {
      const dense_vector d = data[g].mean - sem_model::mu(x);
      subtract_outer(r, d);
      cd = product(c, d);
    }
    const dense_matrix w = product(product(c, r), c);
    const dense_matrix w_lambda = product(w, x.lambda);
    const dense_matrix w_lambda_phi = product(w_lambda, x.phi);
    const dense_matrix lambda_w_lambda = product_t(x.lambda, w_lambda);
    const double weight = data[g].weight;
    for (const auto& sl : model.slots(g)) {
      const auto i = sem_model::ix(sl.i);
      const auto j = sem_model::ix(sl.j);
      double v = 0.0;
      switch (sl.what) {
      case sem_model::kind::loading: {
        const auto f = sem_model::ix(model.factor_of(sl.i));
        v = 2.0 * w_lambda_phi(i, f);
        if (model.means()) {
          v -= 2.0 * x.kappa(f) * cd(i);
        }
        break;
      }
      case sem_model::kind::residual:
        v = w(i, i);
        break;
      case sem_model::kind::factor_cov:
        v = (sl.i == sl.j ? 1.0 : 2.0) * lambda_w_lambda(i, j);
        break;
      case sem_model::kind::intercept:
        v = -2.0 * cd(i);
        break;
      case sem_model::kind::factor_mean:
        v = -2.0 * x.lambda.col(i).dot(cd);
        break;
      }
      gradient(sem_model::ix(sl.index)) += weight * v;
    }
  }
  return gradient.allFinite();
}

// What information() and hessian() reuse from step to step: one group's C = Sigma^-1, W and G below, the basis B
// of the derivative directions, B'C B, B'G B and B'C d. Everything is small (p + 2m square at most): the pooled
// matrices are built entry by entry from these, with no product of q-wide matrices (q^2 p multiplications, and
// temporaries whose first touch cost more than the arithmetic).
struct sem_workspace {
  dense_matrix c;
  dense_matrix w;
  dense_matrix gm;
  dense_matrix basis;
  dense_matrix cb;
  dense_matrix kc;
  dense_matrix kg;
  dense_matrix w_lambda;
  dense_vector cd;
  dense_vector bcd;
  std::vector<sem_model::direction> dir;
};

// The expected information per observation (I, such that the Fisher-scoring step solves I d = -gradient / 2), pooled
// over the groups by their weights. With C = Sigma^-1 and dSigma_k = U_k V_k' + V_k U_k': tr(C dSigma_k C dSigma_l) /
// 2 = (U_k'C U_l)(V_k'C V_l) + (U_k'C V_l)(V_k'C U_l), plus M_k' C M_l for the means; each factor an entry of
// K = B'C B times the directions' multiples.
inline bool information(const sem_model& model, const std::vector<sem_group>& data, const dense_vector& theta,
                        dense_matrix& info, sem_workspace& ws) {
  const auto q = sem_model::ix(model.parameters());
  info.setZero(q, q);
  for (std::size_t g = 0; g < data.size(); ++g) {
    const auto x = model.unpack(g, theta);
    double logdet = 0.0;
    if (!spd_inverse(sem_model::sigma(x), ws.c, logdet)) {
      return false;
    }
    model.directions(g, x, ws.basis, ws.dir);
    multiply(ws.c, ws.basis, ws.cb);
    multiply_t(ws.basis, ws.cb, ws.kc);
    const auto& k = ws.kc;
    const auto& slots = model.slots(g);
    const double weight = data[g].weight;
    for (std::size_t a = 0; a < slots.size(); ++a) {
      const auto& da = ws.dir[a];
      const auto ia = sem_model::ix(slots[a].index);
      for (std::size_t b = 0; b < slots.size(); ++b) {
        const auto& db = ws.dir[b];
        double v = 0.0;
        if (da.uv != 0.0 && db.uv != 0.0) {
          v += da.uv * db.uv * (k(da.u, db.u) * k(da.v, db.v) + k(da.u, db.v) * k(da.v, db.u));
        }
        if (da.mean != 0.0 && db.mean != 0.0) {
          v += da.mean * db.mean * k(da.m, db.m);
        }
        info(ia, sem_model::ix(slots[b].index)) += weight * v;
      }
    }
  }
  return info.allFinite();
}

// The Hessian of the pooled discrepancy in closed form (what a Newton step solves with). With C = Sigma^-1,
// d = ybar - mu, W = C (Sigma - S - d d') C, G = C - W and the rank-two derivatives of information():
//   H_kl = tr(d2Sigma_kl W) - tr(C dSigma_k C dSigma_l) + 2 tr(dSigma_k C dSigma_l G)
//          + 2 d'C dSigma_k C M_l + 2 d'C dSigma_l C M_k + 2 M_k'C M_l - 2 d'C d2mu_kl,
// where tr(dSigma_k C dSigma_l G) = (V_k'C U_l)(U_k'G V_l) + (V_k'C V_l)(U_k'G U_l) + (U_k'C U_l)(V_k'G V_l)
// + (U_k'C V_l)(V_k'G U_l) and d'C dSigma_k C M_l = (U_k'C d)(V_k'C M_l) + (V_k'C d)(U_k'C M_l), each factor an
// entry of B'C B, B'G B or B'C d. The second derivatives of Sigma and mu are non-zero only for two loadings
// (Phi_fh (e_i e_j' + e_j e_i')), a loading and a factor covariance of its factor, and a loading and its factor's
// mean (e_i). At a perfect fit (W = 0, d = 0) H is twice the expected information.
inline bool hessian(const sem_model& model, const std::vector<sem_group>& data, const dense_vector& theta,
                    dense_matrix& out, sem_workspace& ws) {
  const auto q = sem_model::ix(model.parameters());
  out.setZero(q, q);
  for (std::size_t g = 0; g < data.size(); ++g) {
    const auto x = model.unpack(g, theta);
    const dense_matrix sig = sem_model::sigma(x);
    double logdet = 0.0;
    if (!spd_inverse(sig, ws.c, logdet)) {
      return false;
    }
    ws.w = sig - data[g].s;
    ws.cd.setZero(sig.rows());
    if (model.means()) {
      const dense_vector d = data[g].mean - sem_model::mu(x);
      subtract_outer(ws.w, d);
      ws.cd = product(ws.c, d);
    }
    multiply(ws.c, ws.w, ws.gm);
    multiply(ws.gm, ws.c, ws.w); // W = C (Sigma - S - d d') C
    ws.gm = ws.c - ws.w;         // G
    model.directions(g, x, ws.basis, ws.dir);
    multiply(ws.c, ws.basis, ws.cb);
    multiply_t(ws.basis, ws.cb, ws.kc);
    multiply(ws.gm, ws.basis, ws.cb);
    multiply_t(ws.basis, ws.cb, ws.kg);
    ws.bcd = product_t(ws.basis, ws.cd);
    multiply(ws.w, x.lambda, ws.w_lambda);
    const auto& kc = ws.kc;
    const auto& kg = ws.kg;
    const auto& slots = model.slots(g);
    const double weight = data[g].weight;
    // d'C dSigma_k C M_l for the directions of k (its Sigma part) and l (its mean part).
    const auto mean_cross = [&](const sem_model::direction& k, const sem_model::direction& l) {
      return k.uv == 0.0 || l.mean == 0.0 ? 0.0
                                          : k.uv * l.mean * (ws.bcd(k.u) * kc(k.v, l.m) + ws.bcd(k.v) * kc(k.u, l.m));
    };
    const auto at = [&](std::size_t a, std::size_t b) -> double& {
      return out(sem_model::ix(slots[a].index), sem_model::ix(slots[b].index));
    };
    for (std::size_t a = 0; a < slots.size(); ++a) {
      const auto& da = ws.dir[a];
      for (std::size_t b = 0; b < slots.size(); ++b) {
        const auto& db = ws.dir[b];
        double v = 0.0;
        if (da.uv != 0.0 && db.uv != 0.0) {
          const double cuu = kc(da.u, db.u);
          const double cvv = kc(da.v, db.v);
          const double cuv = kc(da.u, db.v);
          const double cvu = kc(da.v, db.u);
          v += da.uv * db.uv *
               (-2.0 * (cuu * cvv + cuv * cvu) +
                2.0 * (cvu * kg(da.u, db.v) + cvv * kg(da.u, db.u) + cuu * kg(da.v, db.v) + cuv * kg(da.v, db.u)));
        }
        v += 2.0 * (mean_cross(da, db) + mean_cross(db, da));
        if (da.mean != 0.0 && db.mean != 0.0) {
          v += 2.0 * da.mean * db.mean * kc(da.m, db.m);
        }
        at(a, b) += weight * v;
      }
    }
    // The second-derivative terms, from a loading's side of each pair.
    for (std::size_t a = 0; a < slots.size(); ++a) {
      const auto& sa = slots[a];
      if (sa.what != sem_model::kind::loading) {
        continue;
      }
      const auto i = sem_model::ix(sa.i);
      const std::size_t f = model.factor_of(sa.i);
      for (std::size_t b = 0; b < slots.size(); ++b) {
        const auto& sb = slots[b];
        double e = 0.0;
        switch (sb.what) {
        case sem_model::kind::loading:
          e = 2.0 * x.phi(sem_model::ix(f), sem_model::ix(model.factor_of(sb.i))) * ws.w(i, sem_model::ix(sb.i));
          break;
        case sem_model::kind::factor_cov:
          if (sb.i == sb.j) {
            e = sb.i == f ? 2.0 * ws.w_lambda(i, sem_model::ix(f)) : 0.0;
          } else {
            e = (sb.i == f ? 2.0 * ws.w_lambda(i, sem_model::ix(sb.j)) : 0.0) +
                (sb.j == f ? 2.0 * ws.w_lambda(i, sem_model::ix(sb.i)) : 0.0);
          }
          break;
        case sem_model::kind::factor_mean:
          e = sb.i == f ? -2.0 * ws.cd(i) : 0.0;
          break;
        case sem_model::kind::residual:
        case sem_model::kind::intercept:
          break;
        }
        if (e != 0.0) {
          at(a, b) += weight * e;
          if (sb.what != sem_model::kind::loading) {
            at(b, a) += weight * e; // the pair seen from its other side
          }
        }
      }
    }
  }
  for (Eigen::Index i = 0; i < q; ++i) {
    for (Eigen::Index j = 0; j < i; ++j) {
      out(i, j) = out(j, i) = 0.5 * (out(i, j) + out(j, i));
    }
  }
  return out.allFinite();
}

// The largest step relative to max(1, |value|).
inline double relative_size(const dense_vector& step, const dense_vector& theta) {
  return (step.array().abs() / theta.array().abs().max(1.0)).maxCoeff();
}

// The search step at theta: Fisher scoring (solving I d = -gradient / 2) until scoring slows down near the minimum
// (a step of at most 1e-3 that shrank by less than four times: scoring converges only linearly when the model does
// not fit, as the expected information then differs from the Hessian), Newton steps from then on. A Hessian that
// is not positive definite falls back to scoring for that step. Empty when the information is singular.
class sem_search {
 public:
  explicit sem_search(sem_workspace& ws) : ws_(ws) {}

  bool step(const sem_model& model, const std::vector<sem_group>& data, const dense_vector& theta,
            const dense_vector& grad, dense_vector& step) {
    if (newton_ && newton_step(model, data, theta, grad, step)) {
      return true;
    }
    if (!information(model, data, theta, info_, ws_)) {
      return false;
    }
    llt_.compute(info_);
    if (llt_.info() != Eigen::Success) {
      step.resize(0);
      return true;
    }
    step = cholesky_solve(llt_, -0.5 * grad);
    const double size = step.allFinite() ? relative_size(step, theta) : 1.0;
    const bool slow = last_ > 0.0 && size > 0.25 * last_;
    last_ = size;
    if (!newton_ && size <= 1e-3 && slow) {
      newton_ = true;
      dense_vector d;
      if (newton_step(model, data, theta, grad, d)) {
        step = d;
      }
    }
    return true;
  }

 private:
  bool newton_step(const sem_model& model, const std::vector<sem_group>& data, const dense_vector& theta,
                   const dense_vector& grad, dense_vector& step) {
    if (!hessian(model, data, theta, h_, ws_)) {
      return false;
    }
    llt_.compute(h_);
    if (llt_.info() != Eigen::Success) {
      return false;
    }
    step = cholesky_solve(llt_, -grad);
    return step.allFinite();
  }

  sem_workspace& ws_;
  dense_matrix info_;
  dense_matrix h_;
  Eigen::LLT<dense_matrix> llt_;
  double last_ = 0.0;
  bool newton_ = false;
};

// Fisher scoring then Newton (sem_search) on the pooled discrepancy from lavaan-like starting values, the step
// halved until the discrepancy goes down. Converged when no parameter's step exceeds the tolerance (relative to
// max(1, |value|)).
inline sem_fit fit_sem(const sem_model& model, const std::vector<sem_group>& data, const factor_structure& structure,
                       const cfa_options& opt) {
  sem_fit out;
  out.theta = model.start(data, structure);
  if (!discrepancy(model, data, out.theta, out.f, out.f_group)) {
    out.reason = "the starting values give a covariance matrix that is not positive definite";
    out.code = reason_code::not_converged;
    return out;
  }
  dense_vector grad;
  dense_vector step;
  std::vector<double> f_group;
  sem_workspace ws;
  sem_search search(ws);
  const auto singular = [&] {
    out.reason = "the information matrix is singular at step " + std::to_string(out.iterations + 1) +
                 ": the model is not identified by these data";
    out.code = reason_code::singular;
  };
  for (out.iterations = 0; out.iterations < opt.max_iterations; ++out.iterations) {
    if (!discrepancy_gradient(model, data, out.theta, grad) || !search.step(model, data, out.theta, grad, step)) {
      out.reason =
          "the implied covariance matrix is not positive definite at step " + std::to_string(out.iterations + 1);
      out.code = reason_code::not_converged;
      return out;
    }
    if (step.size() == 0 || !step.allFinite()) {
      singular();
      return out;
    }
    const double size = relative_size(step, out.theta);
    double scale = 1.0;
    bool moved = false;
    const double f_old = out.f;
    double f_new = out.f;
    for (int half = 0; half < 40; ++half, scale *= 0.5) {
      const dense_vector next = out.theta + scale * step;
      if (discrepancy(model, data, next, f_new, f_group) && f_new <= out.f) {
        out.theta = next;
        out.f = f_new;
        out.f_group = f_group;
        moved = true;
        break;
      }
    }
    // The discrepancy changes by rounding only (a few ulps): the step is then as small as the gradient's own
    // rounding lets it be.
    const bool flat = !moved || f_old - out.f <= 16.0 * std::numeric_limits<double>::epsilon() * std::abs(f_old);
    if (size <= opt.tolerance || (flat && size <= std::sqrt(opt.tolerance))) {
      // At the minimum: the step is below the tolerance (taken when it lowers F at all), or the discrepancy no longer
      // changes beyond rounding and the remaining step is small.
      out.converged = true;
      ++out.iterations;
      break;
    }
    if (!moved) {
      out.reason = "the search stalled at step " + std::to_string(out.iterations + 1) +
                   ": no step along the scoring direction lowers the discrepancy";
      out.code = reason_code::not_converged;
      return out;
    }
  }
  if (!out.converged) {
    out.reason = "the estimates did not converge in " + std::to_string(opt.max_iterations) + " steps";
    out.code = reason_code::not_converged;
  }
  // The sampling variances: the diagonal of (N I)^-1 at the estimates, as the squared column norms of L^-1 (I = L L').
  // The information must be positive definite and not nearly singular (a reciprocal condition number below 1e-12:
  // a parameter the data do not pin down, as when a two-item factor is unrelated to every other).
  double n_total = 0.0;
  for (const auto& g : data) {
    n_total += g.n;
  }
  dense_matrix info;
  bool invertible = information(model, data, out.theta, info, ws);
  if (invertible) {
    const Eigen::LLT<dense_matrix> llt(info);
    invertible = llt.info() == Eigen::Success && llt.rcond() >= 1e-12;
    if (invertible) {
      const dense_matrix l_inv = lower_inverse(llt);
      const dense_vector var = l_inv.colwise().squaredNorm().transpose() / n_total;
      invertible = var.allFinite();
      if (invertible) {
        out.variances = var;
      }
    }
  }
  if (!invertible && out.code == reason_code::none) {
    out.reason = "the information matrix is singular at the estimates: no standard errors";
    out.code = reason_code::singular;
  }
  return out;
}

// A configural model shares no parameter between groups, so it is each group's own model with a mean structure:
// fitted group by group (its information and Hessian block-diagonal, each block solved alone), the estimates put
// together in the joint model's order (each group's parameters are one block there, in the single-group order) and
// the discrepancy pooled by the groups' weights. The steps are the most any group took.
inline sem_fit fit_configural(const sem_model& model, const std::vector<sem_group>& data,
                              const factor_structure& structure, const cfa_options& opt,
                              const std::vector<std::string>& labels) {
  const sem_model one(structure, 1, true, invariance_level::configural);
  sem_fit out;
  out.theta.resize(sem_model::ix(model.parameters()));
  dense_vector var(out.theta.size());
  bool all_variances = true;
  out.converged = true;
  Eigen::Index at = 0;
  const auto size = sem_model::ix(one.parameters());
  for (std::size_t g = 0; g < data.size(); ++g) {
    std::vector<sem_group> alone{data[g]};
    alone[0].weight = 1.0;
    auto est = fit_sem(one, alone, structure, opt);
    if (est.code != reason_code::none && out.code == reason_code::none) {
      out.code = est.code;
      out.reason = "group '" + labels[g] + "': " + est.reason;
    }
    if (est.f_group.empty()) {
      out.f_group.clear();
      out.converged = false;
      return out;
    }
    out.converged = out.converged && est.converged;
    out.iterations = std::max(out.iterations, est.iterations);
    out.theta.segment(at, size) = est.theta;
    out.f += data[g].weight * est.f;
    out.f_group.push_back(est.f);
    if (est.variances) {
      var.segment(at, size) = *est.variances;
    } else {
      all_variances = false;
    }
    at += size;
  }
  if (all_variances) {
    out.variances = var;
  }
  return out;
}

// The groups' data from their moments, with their weights n_g / N and log|S_g|; when S_g is not positive definite,
// `reason` says so and the result is empty.
inline std::vector<sem_group> prepare_groups(std::vector<sem_group> data, std::string& reason,
                                             const std::vector<std::string>& labels) {
  double n_total = 0.0;
  for (const auto& g : data) {
    n_total += g.n;
  }
  for (std::size_t g = 0; g < data.size(); ++g) {
    dense_matrix inv;
    if (!spd_inverse(data[g].s, inv, data[g].logdet_s)) {
      reason = "the sample covariance matrix" + (labels.empty() ? std::string() : " of group '" + labels[g] + "'") +
               " is not positive definite (an item is constant or a combination of others)";
      return {};
    }
    data[g].weight = data[g].n / n_total;
  }
  return data;
}

// The fit measures of a converged model, as lavaan 0.6 defines them for one group or several (N = n throughout).
inline cfa_fit fit_measures(const sem_model& model, const std::vector<sem_group>& data, const sem_fit& est) {
  cfa_fit fit;
  const std::size_t p = model.items();
  const auto pd = static_cast<double>(p);
  const std::size_t groups = data.size();
  const auto gd = static_cast<double>(groups);
  double nn = 0.0;
  for (const auto& g : data) {
    nn += g.n;
  }
  const std::size_t moments = groups * (p * (p + 1) / 2 + (model.means() ? p : 0));
  fit.fmin = 0.5 * est.f;
  fit.chisq = nn * est.f;
  fit.df = moments - model.parameters();
  const auto df = static_cast<double>(fit.df);
  fit.pvalue = fit.df == 0 ? std::numeric_limits<double>::quiet_NaN()
                           : boost::math::cdf(boost::math::complement(boost::math::chi_squared_distribution<double>(df),
                                                                      std::max(fit.chisq, 0.0)));
  // The baseline: every group's independence model (variances and means free, covariances 0).
  fit.baseline_chisq = 0.0;
  for (const auto& g : data) {
    fit.baseline_chisq += g.n * (g.s.diagonal().array().log().sum() - g.logdet_s);
  }
  fit.baseline_df = groups * (p * (p - 1) / 2);
  const auto dfb = static_cast<double>(fit.baseline_df);
  const double t1 = std::max(fit.chisq - df, 0.0);
  const double t2 = std::max({fit.chisq - df, fit.baseline_chisq - dfb, 0.0});
  fit.cfi = t2 == 0.0 ? 1.0 : 1.0 - t1 / t2;
  if (fit.df > 0 && fit.baseline_df > 0) {
    fit.tli = (fit.baseline_chisq / dfb - fit.chisq / df) / (fit.baseline_chisq / dfb - 1.0);
  }
  if (fit.df > 0) {
    const double g_root = std::sqrt(gd);
    fit.rmsea = std::sqrt(std::max(fit.chisq / nn / df - 1.0 / nn, 0.0)) * g_root;
    fit.rmsea_lower = std::sqrt(noncentrality_at(fit.chisq, df, 0.95) / (nn * df)) * g_root;
    fit.rmsea_upper = std::sqrt(noncentrality_at(fit.chisq, df, 0.05) / (nn * df)) * g_root;
    fit.rmsea_pvalue = boost::math::cdf(boost::math::complement(
        boost::math::non_central_chi_squared_distribution<double>(df, nn * df * 0.05 * 0.05 / gd), fit.chisq));
  }
  // SRMR: per group, the covariance residuals standardised by the observed SDs (and, with means, the mean
  // residuals by the SDs too), then the groups weighted by their share of N.
  fit.srmr = 0.0;
  double logl = 0.0;
  double unrestricted = 0.0;
  const double log2pi = std::log(2.0 * std::numbers::pi);
  for (std::size_t g = 0; g < groups; ++g) {
    const auto x = model.unpack(g, est.theta);
    const dense_matrix sig = sem_model::sigma(x);
    const auto& s = data[g].s;
    double sq = 0.0;
    for (Eigen::Index i = 0; i < s.rows(); ++i) {
      for (Eigen::Index j = 0; j <= i; ++j) {
        const double r = (s(i, j) - sig(i, j)) / std::sqrt(s(i, i) * s(j, j));
        sq += r * r;
      }
    }
    std::size_t count = p * (p + 1) / 2;
    if (model.means()) {
      const dense_vector d = data[g].mean - sem_model::mu(x);
      for (Eigen::Index i = 0; i < s.rows(); ++i) {
        const double r = d(i) / std::sqrt(s(i, i));
        sq += r * r;
      }
      count += p;
    }
    fit.srmr += data[g].weight * std::sqrt(sq / static_cast<double>(count));
    // log|Sigma| + tr(S Sigma^-1) (+ the mean part) = F_g + log|S| + p at the estimates.
    logl += -0.5 * data[g].n * (est.f_group[g] + data[g].logdet_s + pd + pd * log2pi);
    unrestricted += -0.5 * data[g].n * (data[g].logdet_s + pd + pd * log2pi);
  }
  fit.logl = logl;
  fit.unrestricted_logl = unrestricted;
  return fit;
}

// The reason of an improper solution: a negative residual variance (a Heywood case) or a factor variance that is
// not positive.
inline void say_improper(const std::vector<std::size_t>& heywood, const std::vector<std::size_t>& factors,
                         const std::string& where, std::string& reason, reason_code& code) {
  if (!heywood.empty()) {
    reason = "Heywood case: item #" + std::to_string(heywood.front() + 1) + " has a negative residual variance" +
             where + ", so the solution is improper";
    code = reason_code::improper;
  } else if (!factors.empty()) {
    reason = "factor #" + std::to_string(factors.front() + 1) + " has a variance that is not positive" + where +
             ", so the solution is improper";
    code = reason_code::improper;
  }
}

// One group's estimates: values, standard errors and std.all from the group's own implied moments.
inline cfa_group group_estimates(const sem_model& model, const std::vector<sem_group>& data, const sem_fit& est,
                                 std::size_t g) {
  const std::size_t p = model.items();
  const std::size_t m = model.factors();
  const auto x = model.unpack(g, est.theta);
  const dense_matrix sig = sem_model::sigma(x);
  using opt_index = std::optional<std::size_t>;
  std::vector<opt_index> lam(p);
  std::vector<opt_index> psi(p);
  std::vector<opt_index> nu(p);
  std::vector<opt_index> kap(m);
  std::vector<opt_index> phi(m * m);
  for (const auto& sl : model.slots(g)) {
    switch (sl.what) {
    case sem_model::kind::loading:
      lam[sl.i] = sl.index;
      break;
    case sem_model::kind::residual:
      psi[sl.i] = sl.index;
      break;
    case sem_model::kind::factor_cov:
      phi[sl.i * m + sl.j] = sl.index;
      phi[sl.j * m + sl.i] = sl.index;
      break;
    case sem_model::kind::intercept:
      nu[sl.i] = sl.index;
      break;
    case sem_model::kind::factor_mean:
      kap[sl.i] = sl.index;
      break;
    }
  }
  const auto se = [&](opt_index a) -> std::optional<double> {
    if (!a || !est.variances) {
      return std::nullopt;
    }
    const double v = (*est.variances)(sem_model::ix(*a));
    return v >= 0.0 ? std::optional<double>(std::sqrt(v)) : std::nullopt;
  };
  const auto ix = [](std::size_t i) { return sem_model::ix(i); };
  cfa_group out;
  out.n = static_cast<std::size_t>(data[g].n);
  out.chisq = data[g].n * (est.f_group.empty() ? 0.0 : est.f_group[g]);
  out.loadings.resize(p);
  out.residuals.resize(p);
  for (std::size_t i = 0; i < p; ++i) {
    const std::size_t f = model.factor_of(i);
    const double sd = std::sqrt(sig(ix(i), ix(i)));
    const double l = x.lambda(ix(i), ix(f));
    out.loadings[i] = {l, se(lam[i]), l * std::sqrt(x.phi(ix(f), ix(f))) / sd};
    const double r = x.psi(ix(i));
    out.residuals[i] = {r, se(psi[i]), r / (sd * sd)};
    if (r < 0.0) {
      out.heywood.push_back(i);
    }
    if (model.means()) {
      out.intercepts.push_back({x.nu(ix(i)), se(nu[i]), x.nu(ix(i)) / sd});
    }
  }
  out.factor_covariances.assign(m, std::vector<cfa_parameter>(m));
  for (std::size_t f = 0; f < m; ++f) {
    if (!(x.phi(ix(f), ix(f)) > 0.0)) {
      out.improper_factors.push_back(f);
    }
    for (std::size_t h = 0; h < m; ++h) {
      const double v = x.phi(ix(f), ix(h));
      out.factor_covariances[f][h] = {v, se(phi[f * m + h]), v / std::sqrt(x.phi(ix(f), ix(f)) * x.phi(ix(h), ix(h)))};
    }
    if (model.means()) {
      const double k = x.kappa(ix(f));
      out.factor_means.push_back({k, se(kap[f]), k / std::sqrt(x.phi(ix(f), ix(f)))});
    }
  }
  return out;
}

} // namespace detail

ETHOS_DECL cfa_result confirmatory_factor_analysis(const std::vector<double>& s, std::size_t n,
                                                   const factor_structure& model, const cfa_options& opt) {
  const std::size_t p = model.items;
  if (p == 0) {
    throw error("cfa: the covariance matrix has " + std::to_string(s.size()) + " values for 0 items");
  }
  std::vector<detail::sem_group> data{detail::make_group(s, nullptr, n, p, "")};
  detail::check_factor_structure(model, p);

  cfa_result out;
  out.n = n;
  data = detail::prepare_groups(std::move(data), out.reason, {});
  if (data.empty()) {
    out.code = reason_code::singular;
    return out;
  }
  const detail::sem_model sem(model, 1, false, invariance_level::configural);
  const std::size_t moments = p * (p + 1) / 2;
  if (sem.parameters() > moments) {
    out.reason = "the model has " + std::to_string(sem.parameters()) +
                 " free parameters but the covariances give only " + std::to_string(moments) + ": it is not identified";
    out.code = reason_code::not_identified;
    return out;
  }
  const auto est = detail::fit_sem(sem, data, model, opt);
  out.converged = est.converged;
  out.iterations = est.iterations;
  out.reason = est.reason;
  out.code = est.code;
  if (est.f_group.empty()) {
    return out;
  }
  auto g = detail::group_estimates(sem, data, est, 0);
  out.loadings = std::move(g.loadings);
  out.residuals = std::move(g.residuals);
  out.factor_covariances = std::move(g.factor_covariances);
  out.heywood = std::move(g.heywood);
  out.improper_factors = std::move(g.improper_factors);
  if (out.code == reason_code::none) {
    detail::say_improper(out.heywood, out.improper_factors, "", out.reason, out.code);
  }
  if (out.converged) {
    out.fit = detail::fit_measures(sem, data, est);
  }
  return out;
}

ETHOS_DECL multigroup_cfa_result multigroup_cfa(const std::vector<sample_moments>& groups,
                                                const factor_structure& model, invariance_level level,
                                                const cfa_options& opt) {
  if (groups.size() < 2) {
    throw error("cfa: a multi-group model needs at least 2 groups (got " + std::to_string(groups.size()) + ")");
  }
  const std::size_t p = model.items;
  if (p == 0) {
    throw error("cfa: the model has no items");
  }
  std::vector<detail::sem_group> data;
  std::vector<std::string> labels;
  for (const auto& g : groups) {
    data.push_back(detail::make_group(g.covariance, &g.mean, g.n, p, "group '" + g.label + "': "));
    labels.push_back(g.label);
  }
  detail::check_factor_structure(model, p);

  multigroup_cfa_result out;
  out.level = level;
  for (const auto& g : groups) {
    out.n += g.n;
  }
  data = detail::prepare_groups(std::move(data), out.reason, labels);
  if (data.empty()) {
    out.code = reason_code::singular;
    return out;
  }
  const detail::sem_model sem(model, groups.size(), true, level);
  out.free_parameters = sem.parameters();
  const std::size_t moments = groups.size() * (p * (p + 1) / 2 + p);
  if (sem.parameters() > moments) {
    out.reason = "the model has " + std::to_string(sem.parameters()) +
                 " free parameters but the groups' covariances and means give only " + std::to_string(moments) +
                 ": it is not identified";
    out.code = reason_code::not_identified;
    return out;
  }
  const auto est = level == invariance_level::configural ? detail::fit_configural(sem, data, model, opt, labels)
                                                         : detail::fit_sem(sem, data, model, opt);
  out.converged = est.converged;
  out.iterations = est.iterations;
  out.reason = est.reason;
  out.code = est.code;
  if (est.f_group.empty()) {
    return out;
  }
  for (std::size_t g = 0; g < groups.size(); ++g) {
    out.groups.push_back(detail::group_estimates(sem, data, est, g));
    out.groups.back().label = groups[g].label;
    if (out.code == reason_code::none) {
      detail::say_improper(out.groups.back().heywood, out.groups.back().improper_factors,
                           " in group '" + groups[g].label + "'", out.reason, out.code);
    }
  }
  if (out.converged) {
    out.fit = detail::fit_measures(sem, data, est);
  }
  return out;
}

namespace detail {

inline std::string three_decimals(double v) {
  const double r = std::round(v * 1000.0) / 1000.0;
  std::string s = std::to_string(r == 0.0 ? 0.0 : r);
  return s.substr(0, s.find('.') + 4);
}

} // namespace detail

ETHOS_DECL invariance_result measurement_invariance(const std::vector<sample_moments>& groups,
                                                    const factor_structure& model, const cfa_options& opt,
                                                    const invariance_thresholds& thresholds) {
  invariance_result out;
  out.thresholds = thresholds;
  out.configural = multigroup_cfa(groups, model, invariance_level::configural, opt);
  out.metric = multigroup_cfa(groups, model, invariance_level::metric, opt);
  out.scalar = multigroup_cfa(groups, model, invariance_level::scalar, opt);
  const std::string rule = " (non-invariance: CFI falls by " + detail::three_decimals(thresholds.cfi_drop) +
                           " or more while RMSEA rises by " + detail::three_decimals(thresholds.rmsea_rise) +
                           " or more; Chen, 2007)";
  if (!out.configural.fit) {
    out.reading = "no verdict: the configural model did not give a fit (" + out.configural.reason + ")";
    return out;
  }
  out.holds = invariance_level::configural;
  const multigroup_cfa_result* before = &out.configural;
  std::string last;
  for (const multigroup_cfa_result* next : {&out.metric, &out.scalar}) {
    if (!next->fit) {
      out.reading = std::string(to_string(*out.holds)) + " invariance holds; the " +
                    std::string(to_string(next->level)) + " model did not give a fit (" + next->reason + ")" + rule;
      return out;
    }
    invariance_step st;
    st.from = before->level;
    st.to = next->level;
    const auto& a = *before->fit;
    const auto& b = *next->fit;
    st.delta_chisq = b.chisq - a.chisq;
    st.delta_df = b.df - a.df;
    st.pvalue = st.delta_df == 0 ? std::numeric_limits<double>::quiet_NaN()
                                 : boost::math::cdf(boost::math::complement(
                                       boost::math::chi_squared_distribution<double>(static_cast<double>(st.delta_df)),
                                       std::max(st.delta_chisq, 0.0)));
    st.delta_cfi = b.cfi - a.cfi;
    st.delta_rmsea = b.rmsea.value_or(0.0) - a.rmsea.value_or(0.0);
    st.delta_srmr = b.srmr - a.srmr;
    st.rejected_by_chisq = st.pvalue < thresholds.alpha;
    st.noninvariant = -st.delta_cfi >= thresholds.cfi_drop && st.delta_rmsea >= thresholds.rmsea_rise;
    out.steps.push_back(st);
    const std::string figures = "from " + std::string(to_string(st.from)) + " to " + std::string(to_string(st.to)) +
                                " CFI changes by " + detail::three_decimals(st.delta_cfi) + " and RMSEA by " +
                                detail::three_decimals(st.delta_rmsea);
    if (st.noninvariant) {
      out.reading = std::string(to_string(*out.holds)) + " invariance holds, " + std::string(to_string(st.to)) +
                    " does not: " + figures + rule;
      return out;
    }
    out.holds = st.to;
    last = figures;
    before = next;
  }
  out.reading = "scalar invariance holds: " + last + rule;
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
  if (out.model.code == reason_code::improper) {
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

ETHOS_DECL omega_result omega_total(const covariance_accumulator& cov, const cfa_options& opt) {
  omega_result out;
  if (cov.columns() < 3) {
    out.reason = "omega needs at least 3 items";
    out.code = reason_code::too_few_items;
  } else if (cov.complete() < 2) {
    out.reason = "fewer than 2 respondents answered every item";
    out.code = reason_code::too_few_cases;
  } else {
    out = omega_total(cov.covariance(), static_cast<std::size_t>(cov.complete()), opt);
  }
  return out;
}

} // namespace ethos
