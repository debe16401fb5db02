// ethos/stats/impl/polychoric.ipp: definitions of ethos/stats/polychoric.hpp (compiled into ethos::compiled, or
// included by the header in header-only mode).
#pragma once

#include <ethos/stats/polychoric.hpp>

#include <ethos/error.hpp>

#include <Eigen/Core>
#include <Eigen/Eigenvalues>
#include <boost/math/special_functions/erf.hpp>
#include <boost/math/tools/toms748_solve.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <optional>
#include <string>
#include <utility>

namespace ethos {

namespace detail::polychoric_impl {

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

/// Phi(x), the standard normal distribution function, to a few ulps in both tails.
inline double norm_cdf(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }

/// Phi^-1(p); -inf for p <= 0, +inf for p >= 1.
inline double norm_quantile(double p) {
  if (p <= 0.0) {
    return -inf;
  }
  if (p >= 1.0) {
    return inf;
  }
  return -std::numbers::sqrt2 * boost::math::erfc_inv(2.0 * p);
}

// Gauss-Legendre abscissae (the negative half) and weights for 6, 12 and 20 points.
constexpr std::array<std::array<double, 10>, 3> gl_w = {{
    {0.1713244923791705, 0.3607615730481384, 0.4679139345726904},
    {0.04717533638651177, 0.1069393259953183, 0.1600783285433464, 0.2031674267230659, 0.2334925365383547,
     0.2491470458134029},
    {0.01761400713915212, 0.04060142980038694, 0.06267204833410906, 0.08327674157670475, 0.1019301198172404,
     0.1181945319615184, 0.1316886384491766, 0.1420961093183821, 0.1491729864726037, 0.1527533871307259},
}};
constexpr std::array<std::array<double, 10>, 3> gl_x = {{
    {-0.9324695142031522, -0.6612093864662647, -0.2386191860831970},
    {-0.9815606342467191, -0.9041172563704750, -0.7699026741943050, -0.5873179542866171, -0.3678314989981802,
     -0.1252334085114692},
    {-0.9931285991850949, -0.9639719272779138, -0.9122344282513259, -0.8391169718222188, -0.7463319064601508,
     -0.6360536807265150, -0.5108670019508271, -0.3737060887154196, -0.2277858511416451, -0.07652652113349733},
}};

/// P(X > h, Y > k) for a standard bivariate normal with correlation r (finite h, k), by the method of Drezner and
/// Wesolowsky (1990) as refined by Genz (2004): Gauss-Legendre quadrature of Plackett's integral in asin(r) for
/// |r| < 0.925, otherwise of a series expansion around |r| = 1; about 1e-15 absolute.
inline double bvn_upper(double h, double k, double r) {
  constexpr double two_pi = 2.0 * std::numbers::pi;
  const double ar = std::abs(r);
  std::size_t ng = 2;
  std::size_t lg = 10;
  if (ar < 0.3) {
    ng = 0;
    lg = 3;
  } else if (ar < 0.75) {
    ng = 1;
    lg = 6;
  }
  double hk = h * k;
  double bvn = 0.0;
  if (ar < 0.925) {
    const double hs = (h * h + k * k) / 2.0;
    const double asr = std::asin(r);
    for (std::size_t i = 0; i < lg; ++i) {
      for (const double sign : {1.0, -1.0}) {
        const double sn = std::sin(asr * (sign * gl_x[ng][i] + 1.0) / 2.0);
        bvn += gl_w[ng][i] * std::exp((sn * hk - hs) / (1.0 - sn * sn));
      }
    }
    return bvn * asr / (2.0 * two_pi) + norm_cdf(-h) * norm_cdf(-k);
  }
  if (r < 0.0) {
    k = -k;
    hk = -hk;
  }
  if (ar < 1.0) {
    const double as = (1.0 - r) * (1.0 + r);
    double a = std::sqrt(as);
    const double bs = (h - k) * (h - k);
    const double c = (4.0 - hk) / 8.0;
    const double d = (12.0 - hk) / 16.0;
    const double e0 = -(bs / as + hk) / 2.0;
    if (e0 > -100.0) {
      bvn = a * std::exp(e0) * (1.0 - c * (bs - as) * (1.0 - d * bs / 5.0) / 3.0 + c * d * as * as / 5.0);
    }
    if (-hk < 100.0) {
      const double b = std::sqrt(bs);
      bvn -=
          std::exp(-hk / 2.0) * std::sqrt(two_pi) * norm_cdf(-b / a) * b * (1.0 - c * bs * (1.0 - d * bs / 5.0) / 3.0);
    }
    a /= 2.0;
    for (std::size_t i = 0; i < lg; ++i) {
      for (const double sign : {1.0, -1.0}) {
        const double t = a * (sign * gl_x[ng][i] + 1.0);
        const double xs = t * t;
        const double e = -(bs / xs + hk) / 2.0;
        if (e > -100.0) {
          const double rs = std::sqrt(1.0 - xs);
          bvn += a * gl_w[ng][i] * std::exp(e) *
                 (std::exp(-hk * (1.0 - rs) / (2.0 * (1.0 + rs))) / rs - (1.0 + c * xs * (1.0 + d * xs)));
        }
      }
    }
    bvn = -bvn / two_pi;
  }
  if (r > 0.0) {
    return bvn + norm_cdf(-std::max(h, k));
  }
  bvn = -bvn;
  if (k > h) {
    bvn += h < 0.0 ? norm_cdf(k) - norm_cdf(h) : norm_cdf(-h) - norm_cdf(-k);
  }
  return bvn;
}

/// Phi_2(h, k; r) = P(X <= h, Y <= k), h and k possibly infinite.
inline double bvn_cdf(double h, double k, double r) {
  if (h == -inf || k == -inf) {
    return 0.0;
  }
  if (h == inf) {
    return k == inf ? 1.0 : norm_cdf(k);
  }
  if (k == inf) {
    return norm_cdf(h);
  }
  return bvn_upper(-h, -k, r);
}

/// The bivariate normal density at (h, k), 0 at an infinite corner: d Phi_2(h, k; r) / dr.
inline double bvn_pdf(double h, double k, double r) {
  if (!std::isfinite(h) || !std::isfinite(k)) {
    return 0.0;
  }
  const double s = (1.0 - r) * (1.0 + r);
  return std::exp(-(h * h - 2.0 * r * h * k + k * k) / (2.0 * s)) / (2.0 * std::numbers::pi * std::sqrt(s));
}

/// One pair's estimation problem: the row and column cuts (-inf, thresholds..., +inf) and the cell weights.
struct pair_problem {
  std::vector<double> a; // rows + 1 cuts
  std::vector<double> b; // cols + 1 cuts
  std::vector<double> w; // rows x cols
  bool corrected = false;
};

/// L, dL/drho and the size of dL/drho's terms at rho; `complete` is false when a weighted cell has P <= 0 (such
/// cells are left out, as psych leaves out the cells whose log it cannot take).
struct evaluation {
  polychoric_pair_likelihood value;
  bool complete = true;
};

inline evaluation evaluate(const pair_problem& p, double rho) {
  const std::size_t nr = p.a.size();
  const std::size_t nc = p.b.size();
  std::vector<double> g(nr * nc);
  std::vector<double> f(nr * nc);
  for (std::size_t u = 0; u < nr; ++u) {
    for (std::size_t v = 0; v < nc; ++v) {
      g[u * nc + v] = bvn_cdf(p.a[u], p.b[v], rho);
      f[u * nc + v] = bvn_pdf(p.a[u], p.b[v], rho);
    }
  }
  evaluation out;
  for (std::size_t u = 0; u + 1 < nr; ++u) {
    for (std::size_t v = 0; v + 1 < nc; ++v) {
      const double w = p.w[u * (nc - 1) + v];
      if (w <= 0.0) {
        continue;
      }
      const std::size_t i00 = u * nc + v;
      const std::size_t i10 = (u + 1) * nc + v;
      const double prob = g[i10 + 1] - g[i00 + 1] - g[i10] + g[i00];
      if (!(prob > 0.0)) {
        out.complete = false;
        continue;
      }
      const double dprob = f[i10 + 1] - f[i00 + 1] - f[i10] + f[i00];
      out.value.log_likelihood += w * std::log(prob);
      out.value.score += w * dprob / prob;
      out.value.scale += std::abs(w * dprob / prob);
    }
  }
  return out;
}

/// The rho in [-1, 1] that maximises the pair's likelihood: the grid -0.95, -0.90, ..., 0.95 locates the
/// maximum, a walk from there (on to the bounds if need be) brackets the root of the likelihood equation, and
/// TOMS 748 solves it to double precision. +-1 when the likelihood rises all the way to a bound.
inline double solve(const pair_problem& p) {
  std::vector<double> grid;
  for (int g = -19; g <= 19; ++g) {
    grid.push_back(0.05 * g);
  }
  std::size_t best = grid.size();
  double best_l = -inf;
  for (std::size_t g = 0; g < grid.size(); ++g) {
    const auto e = evaluate(p, grid[g]);
    if (e.complete && e.value.log_likelihood > best_l) {
      best_l = e.value.log_likelihood;
      best = g;
    }
  }
  if (best == grid.size()) {
    best = grid.size() / 2;
  }
  const auto score = [&p](double r) { return evaluate(p, r).value.score; };
  // Points beyond the grid, towards the bound.
  const std::array<double, 12> tail = {0.98,   0.99,   0.995,      0.998,      0.999,      0.9995,
                                       0.9998, 0.9999, 1.0 - 1e-5, 1.0 - 1e-6, 1.0 - 1e-7, 1.0 - 1e-8};
  double x0 = grid[best];
  double s0 = score(x0);
  if (s0 == 0.0) {
    return x0;
  }
  const bool up = s0 > 0.0;
  std::vector<double> path;
  if (up) {
    for (std::size_t g = best + 1; g < grid.size(); ++g) {
      path.push_back(grid[g]);
    }
    path.insert(path.end(), tail.begin(), tail.end());
  } else {
    for (std::size_t g = best; g-- > 0;) {
      path.push_back(grid[g]);
    }
    for (const double t : tail) {
      path.push_back(-t);
    }
  }
  for (const double x1 : path) {
    const double s1 = score(x1);
    if (s1 == 0.0) {
      return x1;
    }
    if ((s1 > 0.0) != up) {
      double lo = x0;
      double hi = x1;
      double slo = s0;
      double shi = s1;
      if (lo > hi) {
        std::swap(lo, hi);
        std::swap(slo, shi);
      }
      std::uintmax_t iterations = 200;
      const auto r = boost::math::tools::toms748_solve(
          score, lo, hi, slo, shi, boost::math::tools::eps_tolerance<double>(std::numeric_limits<double>::digits),
          iterations);
      // The end whose score is nearer zero.
      return std::abs(score(r.first)) <= std::abs(score(r.second)) ? r.first : r.second;
    }
    x0 = x1;
    s0 = s1;
  }
  return up ? 1.0 : -1.0;
}

/// What psych decides from the items' margins: which items stay, their thresholds, global or per-pair thresholds.
struct plan {
  std::vector<bool> kept;
  std::vector<std::vector<double>> tau;
  std::vector<std::string> item_reason;
  bool global = true;
};

inline plan make_plan(std::size_t k, std::size_t cats, int min, const std::vector<std::uint64_t>& counts) {
  plan out;
  out.kept.assign(k, false);
  out.tau.resize(k);
  out.item_reason.resize(k);
  std::optional<std::size_t> highest;
  for (std::size_t i = 0; i < k; ++i) {
    const std::uint64_t* c = counts.data() + i * cats;
    std::uint64_t n = 0;
    std::size_t used = 0;
    std::size_t last = 0;
    for (std::size_t a = 0; a < cats; ++a) {
      n += c[a];
      if (c[a] > 0) {
        ++used;
        last = a;
      }
    }
    if (used < 2) {
      out.item_reason[i] = n == 0 ? "item " + std::to_string(i + 1) + " has no answers: no polychoric correlation"
                                  : "item " + std::to_string(i + 1) + ": all " + std::to_string(n) + " answers are " +
                                        std::to_string(min + static_cast<int>(last)) +
                                        " (keyed), a single category: no polychoric correlation, left out as psych "
                                        "does";
      continue;
    }
    out.kept[i] = true;
    if (highest && *highest != last) {
      out.global = false;
    }
    highest = last;
    std::uint64_t cum = 0;
    out.tau[i].resize(cats - 1);
    for (std::size_t a = 0; a + 1 < cats; ++a) {
      cum += c[a];
      out.tau[i][a] = norm_quantile(static_cast<double>(cum) / static_cast<double>(n));
    }
  }
  return out;
}

/// The estimation problem of items i and j from their table (rows: item i), as psych prepares it; empty when the
/// pair has no estimate (no row answers both, or, per pair, one item's answers among those rows in one category).
inline std::optional<pair_problem> make_pair(const plan& pl, std::size_t i, std::size_t j,
                                             const std::vector<std::uint64_t>& table, std::size_t cats) {
  std::uint64_t tot = 0;
  for (const auto c : table) {
    tot += c;
  }
  if (tot == 0) {
    return std::nullopt;
  }
  pair_problem p;
  if (pl.global) {
    p.a.push_back(-inf);
    p.a.insert(p.a.end(), pl.tau[i].begin(), pl.tau[i].end());
    p.a.push_back(inf);
    p.b.push_back(-inf);
    p.b.insert(p.b.end(), pl.tau[j].begin(), pl.tau[j].end());
    p.b.push_back(inf);
    p.w.resize(table.size());
    for (std::size_t c = 0; c < table.size(); ++c) {
      p.w[c] = static_cast<double>(table[c]);
    }
    return p;
  }
  // Per pair: the table without its empty rows and columns, empty cells set to 0.5 (psych's correct = .5, as a
  // proportion .5 / n), thresholds from the corrected margins over n.
  std::vector<std::size_t> rows;
  std::vector<std::size_t> cols;
  for (std::size_t a = 0; a < cats; ++a) {
    std::uint64_t rs = 0;
    std::uint64_t cs = 0;
    for (std::size_t b = 0; b < cats; ++b) {
      rs += table[a * cats + b];
      cs += table[b * cats + a];
    }
    if (rs > 0) {
      rows.push_back(a);
    }
    if (cs > 0) {
      cols.push_back(a);
    }
  }
  if (rows.size() < 2 || cols.size() < 2) {
    return std::nullopt;
  }
  const std::size_t nr = rows.size();
  const std::size_t nc = cols.size();
  p.w.resize(nr * nc);
  std::vector<double> rsum(nr, 0.0);
  std::vector<double> csum(nc, 0.0);
  for (std::size_t a = 0; a < nr; ++a) {
    for (std::size_t b = 0; b < nc; ++b) {
      double w = static_cast<double>(table[rows[a] * cats + cols[b]]);
      if (w == 0.0) {
        w = 0.5;
        p.corrected = true;
      }
      p.w[a * nc + b] = w;
      rsum[a] += w;
      csum[b] += w;
    }
  }
  const auto n = static_cast<double>(tot);
  const auto cuts = [n](const std::vector<double>& sums) {
    std::vector<double> out{-inf};
    double cum = 0.0;
    for (std::size_t a = 0; a + 1 < sums.size(); ++a) {
      cum += sums[a];
      out.push_back(norm_quantile(cum / n));
    }
    out.push_back(inf);
    return out;
  };
  p.a = cuts(rsum);
  p.b = cuts(csum);
  return p;
}

/// psych's cor.smooth: when the smallest eigenvalue of the correlation matrix `r` (n x n) is below the machine
/// epsilon, eigenvalues below 1e-12 become 1e-10, all are rescaled to sum to n, the matrix is rebuilt and turned
/// back into a correlation matrix. True when it smoothed.
inline bool smooth(std::vector<double>& r, std::size_t n) {
  const auto en = static_cast<Eigen::Index>(n);
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(Eigen::Map<const Eigen::MatrixXd>(r.data(), en, en));
  Eigen::VectorXd values = eig.eigenvalues();
  if (eig.info() != Eigen::Success || values.minCoeff() >= std::numeric_limits<double>::epsilon()) {
    return false;
  }
  for (auto& v : values) {
    if (v < 1e-12) {
      v = 1e-10;
    }
  }
  values *= static_cast<double>(n) / values.sum();
  const Eigen::MatrixXd x = eig.eigenvectors() * values.asDiagonal() * eig.eigenvectors().transpose();
  for (std::size_t p = 0; p < n; ++p) {
    for (std::size_t q = 0; q < n; ++q) {
      const auto ep = static_cast<Eigen::Index>(p);
      const auto eq = static_cast<Eigen::Index>(q);
      r[p * n + q] = p == q ? 1.0 : x(ep, eq) / std::sqrt(x(ep, ep) * x(eq, eq));
    }
  }
  return true;
}

} // namespace detail::polychoric_impl

ETHOS_DECL polychoric_accumulator::polychoric_accumulator(std::size_t columns, int min, int max,
                                                          std::vector<bool> reverse)
    : k_(columns), min_(min), max_(max), cats_(0), reverse_(std::move(reverse)) {
  if (k_ == 0) {
    throw error("polychoric: no columns");
  }
  if (!(0 <= min_ && min_ < max_ && max_ <= 250)) {
    throw error("polychoric: scale " + std::to_string(min_) + ".." + std::to_string(max_) +
                " must satisfy 0 <= min < max <= 250");
  }
  cats_ = static_cast<std::size_t>(max_ - min_ + 1);
  if (cats_ > 20) {
    throw error("polychoric: scale " + std::to_string(min_) + ".." + std::to_string(max_) + " has " +
                std::to_string(cats_) + " categories, more than 20 (psych refuses more than 8)");
  }
  if (reverse_.empty()) {
    reverse_.assign(k_, false);
  }
  if (reverse_.size() != k_) {
    throw error("polychoric: " + std::to_string(reverse_.size()) + " reverse flags for " + std::to_string(k_) +
                " columns");
  }
  counts_.assign(k_ * cats_, 0);
  tables_.assign(k_ * (k_ - 1) / 2 * cats_ * cats_, 0);
}

ETHOS_DECL void polychoric_accumulator::add(std::span<const std::uint8_t* const> columns, std::size_t rows) {
  if (columns.size() != k_) {
    throw error("polychoric: " + std::to_string(columns.size()) + " columns given to an accumulator of " +
                std::to_string(k_));
  }
  // Each byte's keyed category per column (-1: missing, -2: off the scale), checked before anything is added.
  std::vector<std::array<int, 256>> keyed(k_);
  for (std::size_t i = 0; i < k_; ++i) {
    keyed[i].fill(-2);
    keyed[i][255] = -1;
    for (int x = min_; x <= max_; ++x) {
      keyed[i][static_cast<std::size_t>(x)] = reverse_[i] ? max_ - x : x - min_;
    }
  }
  for (std::size_t i = 0; i < k_; ++i) {
    for (std::size_t r = 0; r < rows; ++r) {
      if (keyed[i][columns[i][r]] == -2) {
        throw error("polychoric: column " + std::to_string(i + 1) + ", row " + std::to_string(r + 1) + ": answer " +
                    std::to_string(columns[i][r]) + " is off the scale " + std::to_string(min_) + ".." +
                    std::to_string(max_));
      }
    }
  }
  const std::size_t kk = cats_ * cats_;
  std::vector<int> x(k_);
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t i = 0; i < k_; ++i) {
      x[i] = keyed[i][columns[i][r]];
      if (x[i] >= 0) {
        ++counts_[i * cats_ + static_cast<std::size_t>(x[i])];
      }
    }
    for (std::size_t i = 1; i < k_; ++i) {
      if (x[i] < 0) {
        continue;
      }
      std::uint64_t* row = tables_.data() + i * (i - 1) / 2 * kk + static_cast<std::size_t>(x[i]) * cats_;
      for (std::size_t j = 0; j < i; ++j) {
        if (x[j] >= 0) {
          ++row[j * kk + static_cast<std::size_t>(x[j])];
        }
      }
    }
  }
  rows_ += rows;
}

ETHOS_DECL void polychoric_accumulator::add_keyed(std::span<const std::uint8_t> digits, std::uint64_t count) {
  if (digits.size() != k_) {
    throw error("polychoric: " + std::to_string(digits.size()) + " keyed answers given to an accumulator of " +
                std::to_string(k_));
  }
  for (std::size_t i = 0; i < k_; ++i) {
    if (digits[i] > cats_) {
      throw error("polychoric: column " + std::to_string(i + 1) + ": keyed answer digit " + std::to_string(digits[i]) +
                  " is off the scale " + std::to_string(min_) + ".." + std::to_string(max_));
    }
  }
  const std::size_t kk = cats_ * cats_;
  for (std::size_t i = 0; i < k_; ++i) {
    if (digits[i] == 0) {
      continue;
    }
    const std::size_t a = digits[i] - 1U;
    counts_[i * cats_ + a] += count;
    if (i == 0) {
      continue;
    }
    std::uint64_t* row = tables_.data() + i * (i - 1) / 2 * kk + a * cats_;
    for (std::size_t j = 0; j < i; ++j) {
      if (digits[j] != 0) {
        row[j * kk + digits[j] - 1U] += count;
      }
    }
  }
  rows_ += count;
}

ETHOS_DECL polychoric_accumulator& polychoric_accumulator::merge(const polychoric_accumulator& other) {
  if (k_ != other.k_ || min_ != other.min_ || max_ != other.max_ || reverse_ != other.reverse_) {
    throw error("polychoric: cannot merge accumulators of different designs (" + std::to_string(k_) + " columns on " +
                std::to_string(min_) + ".." + std::to_string(max_) + " and " + std::to_string(other.k_) +
                " columns on " + std::to_string(other.min_) + ".." + std::to_string(other.max_) +
                (reverse_ != other.reverse_ ? ", other reverse keying)" : ")"));
  }
  rows_ += other.rows_;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    counts_[i] += other.counts_[i];
  }
  for (std::size_t i = 0; i < tables_.size(); ++i) {
    tables_[i] += other.tables_[i];
  }
  return *this;
}

ETHOS_DECL std::span<const std::uint64_t> polychoric_accumulator::counts(std::size_t i) const {
  if (i >= k_) {
    throw error("polychoric: item " + std::to_string(i + 1) + " of " + std::to_string(k_));
  }
  return {counts_.data() + i * cats_, cats_};
}

ETHOS_DECL std::vector<std::uint64_t> polychoric_accumulator::table(std::size_t i, std::size_t j) const {
  if (i >= k_ || j >= k_ || i == j) {
    throw error("polychoric: no table of items " + std::to_string(i + 1) + " and " + std::to_string(j + 1) + " of " +
                std::to_string(k_));
  }
  const std::size_t kk = cats_ * cats_;
  const std::size_t hi = std::max(i, j);
  const std::size_t lo = std::min(i, j);
  const std::uint64_t* t = tables_.data() + (hi * (hi - 1) / 2 + lo) * kk;
  std::vector<std::uint64_t> out(kk);
  for (std::size_t a = 0; a < cats_; ++a) {
    for (std::size_t b = 0; b < cats_; ++b) {
      // stored with rows of the later item
      out[a * cats_ + b] = i > j ? t[a * cats_ + b] : t[b * cats_ + a];
    }
  }
  return out;
}

ETHOS_DECL polychoric_result polychoric_accumulator::polychoric() const {
  namespace impl = detail::polychoric_impl;
  const auto pl = impl::make_plan(k_, cats_, min_, counts_);
  polychoric_result out;
  out.rho.assign(k_ * k_, impl::nan);
  out.estimates.assign(k_ * k_, impl::nan);
  out.n.assign(k_ * k_, 0);
  out.thresholds = pl.tau;
  out.item_reason = pl.item_reason;
  out.global = pl.global;
  std::vector<std::size_t> kept;
  for (std::size_t i = 0; i < k_; ++i) {
    out.rho[i * k_ + i] = 1.0;
    out.estimates[i * k_ + i] = 1.0;
    for (std::size_t a = 0; a < cats_; ++a) {
      out.n[i * k_ + i] += counts_[i * cats_ + a];
    }
    if (pl.kept[i]) {
      kept.push_back(i);
    } else {
      out.dropped.push_back(i);
    }
  }
  for (std::size_t i = 1; i < k_; ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      const auto t = table(i, j);
      std::uint64_t n = 0;
      for (const auto c : t) {
        n += c;
      }
      out.n[i * k_ + j] = n;
      out.n[j * k_ + i] = n;
    }
  }
  if (kept.size() < 2) {
    out.code = reason_code::too_few_items;
    out.reason = std::to_string(kept.size()) + " of the " + std::to_string(k_) +
                 " items have answers in two or more categories: a polychoric correlation needs two";
    return out;
  }
  bool all = true;
  for (std::size_t a = 1; a < kept.size(); ++a) {
    for (std::size_t b = 0; b < a; ++b) {
      const std::size_t i = kept[a];
      const std::size_t j = kept[b];
      const auto p = impl::make_pair(pl, i, j, table(i, j), cats_);
      if (!p) {
        all = false;
        continue;
      }
      if (p->corrected) {
        ++out.corrected_pairs;
      }
      const double r = impl::solve(*p);
      out.estimates[i * k_ + j] = r;
      out.estimates[j * k_ + i] = r;
    }
  }
  out.rho = out.estimates;
  if (all) {
    // psych smooths only a matrix without missing correlations
    const std::size_t m = kept.size();
    std::vector<double> r(m * m);
    for (std::size_t a = 0; a < m; ++a) {
      for (std::size_t b = 0; b < m; ++b) {
        r[a * m + b] = out.estimates[kept[a] * k_ + kept[b]];
      }
    }
    if (impl::smooth(r, m)) {
      out.smoothed = true;
      for (std::size_t a = 0; a < m; ++a) {
        for (std::size_t b = 0; b < m; ++b) {
          out.rho[kept[a] * k_ + kept[b]] = r[a * m + b];
        }
      }
    }
  }
  return out;
}

ETHOS_DECL polychoric_pair_likelihood polychoric_accumulator::pair_likelihood(std::size_t i, std::size_t j,
                                                                              double rho) const {
  namespace impl = detail::polychoric_impl;
  if (i >= k_ || j >= k_ || i == j) {
    throw error("polychoric: no pair of items " + std::to_string(i + 1) + " and " + std::to_string(j + 1) + " of " +
                std::to_string(k_));
  }
  const auto pl = impl::make_plan(k_, cats_, min_, counts_);
  std::optional<impl::pair_problem> p;
  if (pl.kept[i] && pl.kept[j]) {
    p = impl::make_pair(pl, i, j, table(i, j), cats_);
  }
  if (!p) {
    return {impl::nan, impl::nan, impl::nan};
  }
  return impl::evaluate(*p, rho).value;
}

ETHOS_DECL ordinal_alpha_result ordinal_alpha(const polychoric_result& r) {
  ordinal_alpha_result out;
  if (r.code != reason_code::none) {
    out.code = reason_code::depends_on_other;
    out.reason = "no polychoric correlation matrix: " + r.reason;
    return out;
  }
  const std::size_t k = r.item_reason.size();
  if (r.rho.size() != k * k) {
    throw error("polychoric: ordinal alpha of a result with " + std::to_string(r.rho.size()) + " correlations for " +
                std::to_string(k) + " items");
  }
  std::vector<std::size_t> kept;
  for (std::size_t i = 0; i < k; ++i) {
    if (std::find(r.dropped.begin(), r.dropped.end(), i) == r.dropped.end()) {
      kept.push_back(i);
    }
  }
  out.items = kept.size();
  if (kept.size() < 2) {
    out.code = reason_code::too_few_items;
    out.reason = "ordinal alpha needs two items, " + std::to_string(kept.size()) + " left";
    return out;
  }
  double sum = 0.0;
  double trace = 0.0;
  for (const std::size_t i : kept) {
    for (const std::size_t j : kept) {
      const double v = r.rho[i * k + j];
      if (!std::isfinite(v)) {
        out.code = reason_code::depends_on_other;
        out.reason = "the polychoric correlation of items " + std::to_string(std::min(i, j) + 1) + " and " +
                     std::to_string(std::max(i, j) + 1) + " is missing (too few rows answer both)";
        return out;
      }
      sum += v;
      if (i == j) {
        trace += v;
      }
    }
  }
  if (!(sum != 0.0)) {
    out.code = reason_code::undefined;
    out.reason = "the polychoric correlations sum to zero";
    return out;
  }
  const auto m = static_cast<double>(kept.size());
  out.alpha = (1.0 - trace / sum) * m / (m - 1.0);
  return out;
}

} // namespace ethos
