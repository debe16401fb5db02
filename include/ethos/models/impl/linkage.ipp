// ethos/models/impl/linkage.ipp: definitions of ethos/models/linkage.hpp (compiled into ethos::compiled, or
// included by the header in header-only mode).
#pragma once

#include <ethos/models/linkage.hpp>

#include <ethos/detail/text.hpp>
#include <ethos/error.hpp>

#include <boost/math/distributions/fisher_f.hpp>
#include <boost/math/distributions/students_t.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <utility>

namespace ethos {

// ---- unit_table -------------------------------------------------------------------------------------------------

ETHOS_DECL unit_table::unit_table(std::vector<std::string> units) : units_(std::move(units)) {
  for (std::size_t i = 0; i < units_.size(); ++i) {
    if (units_[i].empty()) {
      throw error("unit table: unit " + std::to_string(i + 1) + " has an empty id");
    }
    const auto at = static_cast<std::uint32_t>(i);
    if (index_.find_or_insert(
            detail::hash_text(units_[i]), [&](std::uint32_t k) { return units_[k] == units_[i]; }, at) != at) {
      throw error("unit table: unit " + detail::quote_unit(units_[i]) + " appears twice");
    }
  }
}

ETHOS_DECL bool unit_table::has_column(std::string_view name) const {
  return std::find(names_.begin(), names_.end(), name) != names_.end();
}

ETHOS_DECL unit_table& unit_table::add_column(std::string name, std::vector<std::optional<double>> values) {
  const std::string where = "unit table: column " + detail::quote_unit(name);
  if (name.empty()) {
    throw error("unit table: a column has an empty name");
  }
  if (has_column(name)) {
    throw error(where + " is already in the table");
  }
  if (values.size() != units_.size()) {
    throw error(where + " has " + std::to_string(values.size()) + " values for " + std::to_string(units_.size()) +
                " units");
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i] && !std::isfinite(*values[i])) {
      throw error(where + ", unit " + detail::quote_unit(units_[i]) + ": value is not a finite number");
    }
  }
  names_.push_back(std::move(name));
  columns_.push_back(std::move(values));
  return *this;
}

ETHOS_DECL std::span<const std::optional<double>> unit_table::column(std::string_view name) const {
  const auto it = std::find(names_.begin(), names_.end(), name);
  if (it == names_.end()) {
    throw error("unit table: no column " + detail::quote_unit(name) + detail::did_you_mean(name, names_) +
                "; columns: " + column_list());
  }
  return columns_[static_cast<std::size_t>(it - names_.begin())];
}

ETHOS_DECL std::optional<double> unit_table::value(std::string_view name, std::string_view unit) const {
  const auto row = row_of(unit);
  return row ? column(name)[*row] : std::nullopt;
}

ETHOS_DECL unit_table& unit_table::join(const unit_table& other) {
  std::vector<std::string> unknown;
  for (const std::string& u : other.units_) {
    if (!row_of(u)) {
      unknown.push_back(u);
    }
  }
  if (!unknown.empty()) {
    std::string list;
    for (std::size_t i = 0; i < unknown.size() && i < 5; ++i) {
      list += (i ? ", " : "") + detail::quote_unit(unknown[i]) + detail::did_you_mean(unknown[i], units_);
    }
    throw error("unit table: " + std::to_string(unknown.size()) + " unit" + (unknown.size() == 1 ? "" : "s") +
                " of the joined table " + (unknown.size() == 1 ? "is" : "are") + " not in this one: " + list +
                (unknown.size() > 5 ? ", ..." : ""));
  }
  for (std::size_t c = 0; c < other.names_.size(); ++c) {
    std::vector<std::optional<double>> values(units_.size());
    for (std::size_t r = 0; r < other.units_.size(); ++r) {
      values[*row_of(other.units_[r])] = other.columns_[c][r];
    }
    add_column(other.names_[c], std::move(values));
  }
  return *this;
}

ETHOS_DECL std::string unit_table::column_list() const {
  std::string out;
  for (const std::string& n : names_) {
    out += (out.empty() ? "" : ", ") + n;
  }
  return out.empty() ? "(none)" : out;
}

ETHOS_DECL unit_table unit_table_from_rollup(const org_rollup& r, std::size_t depth) {
  std::vector<std::string> ids;
  std::size_t deepest = 0;
  for (const unit_result& u : r.units) {
    deepest = std::max(deepest, u.depth);
    if (u.depth == depth && !u.id.empty()) {
      ids.push_back(u.id);
    }
  }
  if (ids.empty()) {
    throw error("unit table from roll-up: no unit has depth " + std::to_string(depth) + " (depths 1.." +
                std::to_string(deepest) + ")");
  }
  unit_table t(ids);
  for (std::size_t c = 0; c < r.constructs.size(); ++c) {
    std::vector<std::optional<double>> means;
    for (const unit_result& u : r.units) {
      if (u.depth == depth && !u.id.empty()) {
        const unit_cell& cell = u.constructs.at(c);
        means.push_back(cell.shown() ? cell.mean : std::nullopt);
      }
    }
    t.add_column(r.constructs[c].key, std::move(means));
  }
  return t;
}

ETHOS_DECL unit_table unit_table_from_internal_service(const internal_service_result& r) {
  unit_table t(r.units);
  const auto shown_means = [](const std::vector<internal_cell>& cells) {
    std::vector<std::optional<double>> out;
    for (const internal_cell& c : cells) {
      out.push_back(c.status == suppression::none ? c.mean : std::nullopt);
    }
    return out;
  };
  t.add_column("internal_service_received", shown_means(r.received));
  t.add_column("internal_service_given", shown_means(r.given));
  return t;
}

// ---- linear_fit -------------------------------------------------------------------------------------------------

ETHOS_DECL const regression_term& linear_fit::term(std::string_view name) const {
  for (const regression_term& t : terms) {
    if (t.name == name) {
      return t;
    }
  }
  std::vector<std::string> names;
  for (const regression_term& t : terms) {
    names.push_back(t.name);
  }
  throw error("linear fit of " + detail::quote_unit(outcome) + ": no term " + detail::quote_unit(name) +
              detail::did_you_mean(name, names));
}
ETHOS_DECL link_strength linear_fit::strength(std::string_view name) const {
  if (name == "(Intercept)") {
    throw error("linear fit of " + detail::quote_unit(outcome) + ": the intercept is not a link strength");
  }
  const regression_term& t = term(name);
  return {t.estimate, t.standard_error, static_cast<double>(clusters > 0 ? clusters - 1 : df_residual)};
}
// ---- the estimator ----------------------------------------------------------------------------------------------

namespace detail {

// Householder QR of the n x k design [1 | X], column-major, as LINPACK's dqrdc2 under lm() (without its pivoting:
// a column that is a combination of the ones before it is reported instead of moved, since a linkage model with
// an aliased predictor is a mistake the user should see, not an NA coefficient).
struct qr_solution {
  std::vector<double> coefficients;
  std::vector<double> r_inverse; // k x k upper triangular, column-major
  std::size_t aliased = static_cast<std::size_t>(-1);
};

ETHOS_DECL qr_solution householder_least_squares(std::vector<double> a, std::vector<double> y, std::size_t n,
                                                 std::size_t k) {
  qr_solution s;
  std::vector<double> norms(k);
  for (std::size_t j = 0; j < k; ++j) {
    double ss = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      ss += a[j * n + i] * a[j * n + i];
    }
    norms[j] = std::sqrt(ss);
  }
  for (std::size_t j = 0; j < k; ++j) {
    double* col = &a[j * n];
    double ss = 0.0;
    for (std::size_t i = j; i < n; ++i) {
      ss += col[i] * col[i];
    }
    const double norm = std::sqrt(ss);
    // dqrdc2's tolerance: what is left of a column after projecting out the earlier ones is noise below 1e-7 of
    // its length.
    if (!(norm > 1e-7 * norms[j])) {
      s.aliased = j;
      return s;
    }
    const double alpha = col[j] > 0 ? -norm : norm;
    col[j] -= alpha;
    double vv = 0.0;
    for (std::size_t i = j; i < n; ++i) {
      vv += col[i] * col[i];
    }
    const auto reflect = [&](double* target) {
      double dot = 0.0;
      for (std::size_t i = j; i < n; ++i) {
        dot += col[i] * target[i];
      }
      const double f = 2.0 * dot / vv;
      for (std::size_t i = j; i < n; ++i) {
        target[i] -= f * col[i];
      }
    };
    for (std::size_t c = j + 1; c < k; ++c) {
      reflect(&a[c * n]);
    }
    reflect(y.data());
    // Store R's diagonal in place of the reflector's head; the reflector is not needed any more.
    col[j] = alpha;
  }
  // Back substitution: R b = (Q'y)[0..k), and R^-1 for the covariance of the estimates.
  s.coefficients.assign(k, 0.0);
  for (std::size_t jj = k; jj-- > 0;) {
    double v = y[jj];
    for (std::size_t c = jj + 1; c < k; ++c) {
      v -= a[c * n + jj] * s.coefficients[c];
    }
    s.coefficients[jj] = v / a[jj * n + jj];
  }
  s.r_inverse.assign(k * k, 0.0);
  for (std::size_t c = 0; c < k; ++c) {
    s.r_inverse[c * k + c] = 1.0 / a[c * n + c];
    for (std::size_t rr = c; rr-- > 0;) {
      double v = 0.0;
      for (std::size_t m = rr + 1; m <= c; ++m) {
        v += a[m * n + rr] * s.r_inverse[c * k + m];
      }
      s.r_inverse[c * k + rr] = -v / a[rr * n + rr];
    }
  }
  return s;
}

ETHOS_DECL double sample_sd(std::span<const double> v) {
  double mean = 0.0;
  for (double x : v) {
    mean += x;
  }
  mean /= static_cast<double>(v.size());
  double ss = 0.0;
  for (double x : v) {
    ss += (x - mean) * (x - mean);
  }
  return std::sqrt(ss / static_cast<double>(v.size() - 1));
}

} // namespace detail

namespace detail {

// Solves the symmetric positive definite system A z = b (A is m x m, row-major) by Cholesky; false when A is not
// positive definite.
ETHOS_DECL bool cholesky_solve(std::vector<double> a, std::vector<double>& b, std::size_t m) {
  for (std::size_t j = 0; j < m; ++j) {
    double d = a[j * m + j];
    for (std::size_t c = 0; c < j; ++c) {
      d -= a[j * m + c] * a[j * m + c];
    }
    if (!(d > 0.0)) {
      return false;
    }
    a[j * m + j] = std::sqrt(d);
    for (std::size_t r = j + 1; r < m; ++r) {
      double v = a[r * m + j];
      for (std::size_t c = 0; c < j; ++c) {
        v -= a[r * m + c] * a[j * m + c];
      }
      a[r * m + j] = v / a[j * m + j];
    }
  }
  for (std::size_t r = 0; r < m; ++r) {
    for (std::size_t c = 0; c < r; ++c) {
      b[r] -= a[r * m + c] * b[c];
    }
    b[r] /= a[r * m + r];
  }
  for (std::size_t r = m; r-- > 0;) {
    for (std::size_t c = r + 1; c < m; ++c) {
      b[r] -= a[c * m + r] * b[c];
    }
    b[r] /= a[r * m + r];
  }
  return true;
}

} // namespace detail

namespace detail {

// Replaces the classical standard errors, t, p and F of `f` by cluster-robust ones, one cluster per unit:
// V = c (X'X)^-1 [sum over units of s_g s_g'] (X'X)^-1, s_g = X_g' e_g, c = G / (G - 1) (n - 1) / (n - k), as
// sandwich::vcovCL's default for lm; t and the Wald F of the slopes against G - 1 degrees of freedom.
ETHOS_DECL void cluster_standard_errors(linear_fit& f, const regression_data& d, const std::vector<double>& r_inverse,
                                        std::size_t k) {
  const std::string what = "linkage model for " + quote_unit(d.outcome);
  const std::size_t n = d.y.size();
  if (d.units.size() != n) {
    throw error(what + ": cluster-robust standard errors need the unit of every observation (" +
                std::to_string(d.units.size()) + " units for " + std::to_string(n) + " observations)");
  }
  std::map<std::string_view, std::size_t> cluster_of;
  for (const std::string& u : d.units) {
    cluster_of.emplace(u, cluster_of.size());
  }
  const std::size_t g = cluster_of.size();
  if (g <= k) {
    throw error(what + ": " + std::to_string(g) + " units for " + std::to_string(k) +
                " terms; cluster-robust standard errors need more units than terms");
  }
  // A = (X'X)^-1 = R^-1 R^-T; r_inverse holds R^-1 column-major.
  std::vector<double> a(k * k, 0.0);
  for (std::size_t j = 0; j < k; ++j) {
    for (std::size_t l = 0; l < k; ++l) {
      for (std::size_t m = std::max(j, l); m < k; ++m) {
        a[j * k + l] += r_inverse[m * k + j] * r_inverse[m * k + l];
      }
    }
  }
  std::vector<double> scores(g * k, 0.0); // s_g = sum of x_i e_i over the unit's observations
  for (std::size_t i = 0; i < n; ++i) {
    double* sg = &scores[cluster_of.find(d.units[i])->second * k];
    sg[0] += f.residuals[i];
    for (std::size_t j = 1; j < k; ++j) {
      sg[j] += d.x[j - 1][i] * f.residuals[i];
    }
  }
  std::vector<double> meat(k * k, 0.0);
  for (std::size_t c = 0; c < g; ++c) {
    for (std::size_t j = 0; j < k; ++j) {
      for (std::size_t l = 0; l < k; ++l) {
        meat[j * k + l] += scores[c * k + j] * scores[c * k + l];
      }
    }
  }
  const double gd = static_cast<double>(g);
  const double adjust = gd / (gd - 1.0) * (static_cast<double>(n) - 1.0) / static_cast<double>(n - k);
  std::vector<double> am(k * k, 0.0); // A meat
  for (std::size_t j = 0; j < k; ++j) {
    for (std::size_t l = 0; l < k; ++l) {
      for (std::size_t m = 0; m < k; ++m) {
        am[j * k + l] += a[j * k + m] * meat[m * k + l];
      }
    }
  }
  std::vector<double> v(k * k, 0.0); // adjust A meat A
  for (std::size_t j = 0; j < k; ++j) {
    for (std::size_t l = 0; l < k; ++l) {
      for (std::size_t m = 0; m < k; ++m) {
        v[j * k + l] += am[j * k + m] * a[m * k + l];
      }
      v[j * k + l] *= adjust;
    }
  }
  const double df = gd - 1.0;
  const boost::math::students_t_distribution<double> t_dist(df);
  for (std::size_t j = 0; j < k; ++j) {
    regression_term& t = f.terms[j];
    t.standard_error = std::sqrt(v[j * k + j]);
    t.t = t.estimate / t.standard_error;
    t.p = 2.0 * boost::math::cdf(boost::math::complement(t_dist, std::abs(t.t)));
  }
  const std::size_t p = k - 1;
  std::vector<double> vs(p * p);
  std::vector<double> z(p);
  for (std::size_t j = 0; j < p; ++j) {
    z[j] = f.terms[j + 1].estimate;
    for (std::size_t l = 0; l < p; ++l) {
      vs[j * p + l] = v[(j + 1) * k + (l + 1)];
    }
  }
  if (!cholesky_solve(vs, z, p)) {
    throw error(what + ": the cluster-robust covariance of the slopes is singular; too few units vary");
  }
  double wald = 0.0;
  for (std::size_t j = 0; j < p; ++j) {
    wald += f.terms[j + 1].estimate * z[j];
  }
  f.f = wald / static_cast<double>(p);
  const boost::math::fisher_f_distribution<double> f_dist(static_cast<double>(p), df);
  f.f_p = boost::math::cdf(boost::math::complement(f_dist, f.f));
  f.clusters = g;
  if (g < 20) {
    f.warnings.push_back({warning_code::model_note,
                          "only " + std::to_string(g) +
                              " units to cluster by: cluster-robust standard errors are too small with few clusters"});
  }
}

} // namespace detail

ETHOS_DECL linear_fit fit_ols(const regression_data& d, const linkage_options& options) {
  const std::size_t p = d.predictors.size();
  const std::size_t n = d.y.size();
  const std::string what = "linkage model for " + detail::quote_unit(d.outcome);
  if (p == 0) {
    throw error(what + ": no predictors");
  }
  if (d.x.size() != p || d.ids.size() != n) {
    throw error(what + ": " + std::to_string(d.x.size()) + " predictor columns for " + std::to_string(p) + " names, " +
                std::to_string(d.ids.size()) + " ids for " + std::to_string(n) + " observations");
  }
  for (std::size_t j = 0; j < p; ++j) {
    if (d.x[j].size() != n) {
      throw error(what + ": predictor " + detail::quote_unit(d.predictors[j]) + " has " +
                  std::to_string(d.x[j].size()) + " values for " + std::to_string(n) + " observations");
    }
  }
  const auto non_finite = [](const std::vector<double>& v) {
    return std::any_of(v.begin(), v.end(), [](double x) { return !std::isfinite(x); });
  };
  if (non_finite(d.y) || std::any_of(d.x.begin(), d.x.end(), non_finite)) {
    throw error(what + ": a value is not a finite number");
  }
  if (n < p + 2) {
    throw error(what + ": " + std::to_string(n) + " complete observation" + (n == 1 ? "" : "s") + " for " +
                std::to_string(p) + " predictor" + (p == 1 ? "" : "s") + "; a regression needs at least " +
                std::to_string(p + 2) + " (one more than its terms) to estimate its error");
  }
  const double sd_y = detail::sample_sd(d.y);
  if (!(sd_y > 0.0)) {
    throw error(what + ": the outcome has the same value in all " + std::to_string(n) + " observations");
  }
  std::vector<double> sd_x(p);
  for (std::size_t j = 0; j < p; ++j) {
    sd_x[j] = detail::sample_sd(d.x[j]);
    if (!(sd_x[j] > 0.0)) {
      throw error(what + ": predictor " + detail::quote_unit(d.predictors[j]) + " has the same value in all " +
                  std::to_string(n) + " observations");
    }
  }

  const std::size_t k = p + 1;
  std::vector<double> design(n * k, 1.0);
  for (std::size_t j = 0; j < p; ++j) {
    std::copy(d.x[j].begin(), d.x[j].end(), design.begin() + static_cast<std::ptrdiff_t>((j + 1) * n));
  }
  const detail::qr_solution s = detail::householder_least_squares(std::move(design), d.y, n, k);
  if (s.aliased != static_cast<std::size_t>(-1)) {
    throw error(what + ": predictor " + detail::quote_unit(d.predictors[s.aliased - 1]) +
                " is a linear combination of the intercept and the predictors before it; drop one of them");
  }

  linear_fit f;
  f.outcome = d.outcome;
  f.n = n;
  f.df_residual = n - k;
  f.observations = d.ids;
  f.dropped = d.dropped;
  f.fitted.resize(n);
  f.residuals.resize(n);
  double rss = 0.0;
  double mean_fitted = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    double v = s.coefficients[0];
    for (std::size_t j = 0; j < p; ++j) {
      v += s.coefficients[j + 1] * d.x[j][i];
    }
    f.fitted[i] = v;
    f.residuals[i] = d.y[i] - v;
    rss += f.residuals[i] * f.residuals[i];
    mean_fitted += v;
  }
  mean_fitted /= static_cast<double>(n);
  double mss = 0.0;
  for (double v : f.fitted) {
    mss += (v - mean_fitted) * (v - mean_fitted);
  }
  const double df = static_cast<double>(f.df_residual);
  // lm() itself warns of an "essentially perfect fit": t and p are meaningless then, so say so instead.
  if (!(rss > 1e-28 * (mss + rss))) {
    throw error(what + ": the predictors reproduce the outcome exactly (no residual variance), so standard "
                       "errors, t and p are undefined");
  }
  f.sigma = std::sqrt(rss / df);
  f.r_squared = mss / (mss + rss);
  f.adj_r_squared = 1.0 - (1.0 - f.r_squared) * (static_cast<double>(n) - 1.0) / df;
  f.f = (mss / static_cast<double>(p)) / (rss / df);
  const boost::math::fisher_f_distribution<double> f_dist(static_cast<double>(p), df);
  f.f_p = boost::math::cdf(boost::math::complement(f_dist, f.f));
  const boost::math::students_t_distribution<double> t_dist(df);
  for (std::size_t j = 0; j < k; ++j) {
    double ss = 0.0;
    for (std::size_t c = j; c < k; ++c) {
      ss += s.r_inverse[c * k + j] * s.r_inverse[c * k + j];
    }
    regression_term t;
    t.name = j == 0 ? "(Intercept)" : d.predictors[j - 1];
    t.estimate = s.coefficients[j];
    t.standard_error = f.sigma * std::sqrt(ss);
    t.t = t.estimate / t.standard_error;
    t.p = 2.0 * boost::math::cdf(boost::math::complement(t_dist, std::abs(t.t)));
    if (j > 0) {
      t.standardized = t.estimate * sd_x[j - 1] / sd_y;
    }
    f.terms.push_back(std::move(t));
  }
  if (options.cluster_by_unit) {
    detail::cluster_standard_errors(f, d, s.r_inverse, k);
  }
  if (n < options.min_units_per_predictor * p) {
    f.warnings.push_back({warning_code::few_units_per_predictor,
                          std::to_string(n) + " observations for " + std::to_string(p) + " predictor" +
                              (p == 1 ? "" : "s") + ": fewer than " + std::to_string(options.min_units_per_predictor) +
                              " per predictor, so the estimates are unstable; use fewer predictors or more units"});
  }
  return f;
}

ETHOS_DECL regression_data linkage_data(std::span<const linkage_wave> waves, const linkage_model& model) {
  const std::string what = "linkage model for " + detail::quote_unit(model.outcome);
  if (waves.empty()) {
    throw error(what + ": no survey waves");
  }
  if (model.predictors.empty()) {
    throw error(what + ": no predictors");
  }
  if (model.lag >= waves.size()) {
    throw error(what + ": a lag of " + std::to_string(model.lag) + " wave" + (model.lag == 1 ? "" : "s") +
                " needs at least " + std::to_string(model.lag + 1) + " waves; the data have " +
                std::to_string(waves.size()));
  }
  for (std::size_t j = 0; j < model.predictors.size(); ++j) {
    const std::string& name = model.predictors[j];
    if (name == model.outcome) {
      throw error(what + ": the outcome is also a predictor");
    }
    if (std::find(model.predictors.begin(), model.predictors.begin() + static_cast<std::ptrdiff_t>(j), name) !=
        model.predictors.begin() + static_cast<std::ptrdiff_t>(j)) {
      throw error(what + ": predictor " + detail::quote_unit(name) + " is given twice");
    }
  }
  std::size_t first = 0;
  std::size_t last = waves.size() - model.lag; // predictor waves [first, last)
  if (model.wave) {
    if (*model.wave >= last) {
      throw error(what + ": predictor wave " + std::to_string(*model.wave) + " has no outcome wave " +
                  std::to_string(model.lag) + " later; with " + std::to_string(waves.size()) +
                  " waves the predictor wave is 0.." + std::to_string(last - 1));
    }
    first = *model.wave;
    last = first + 1;
  }
  const bool pooled = last - first > 1;
  regression_data d;
  d.outcome = model.outcome;
  d.predictors = model.predictors;
  d.x.resize(model.predictors.size());
  for (std::size_t w = first; w < last; ++w) {
    const unit_table& now = waves[w].data;
    const unit_table& later = waves[w + model.lag].data;
    const auto in_wave = [&](const unit_table& t, std::size_t index, const std::string& name) {
      if (!t.has_column(name)) {
        throw error(what + ": wave " + detail::quote_unit(waves[index].label) + " has no column " +
                    detail::quote_unit(name) + detail::did_you_mean(name, t.column_names()));
      }
      return t.column(name);
    };
    std::vector<std::span<const std::optional<double>>> xs;
    for (const std::string& name : model.predictors) {
      xs.push_back(in_wave(now, w, name));
    }
    const auto ys = in_wave(later, w + model.lag, model.outcome);
    for (std::size_t r = 0; r < now.rows(); ++r) {
      const std::string& unit = now.units()[r];
      const auto r_later = later.row_of(unit);
      if (!r_later) {
        continue; // the unit has no outcome wave: not an observation at all
      }
      std::string id = pooled ? unit + "@" + waves[w].label : unit;
      const bool complete =
          ys[*r_later] && std::all_of(xs.begin(), xs.end(), [&](const auto& x) { return x[r].has_value(); });
      if (!complete) {
        d.dropped.push_back(std::move(id));
        continue;
      }
      for (std::size_t j = 0; j < xs.size(); ++j) {
        d.x[j].push_back(*xs[j][r]);
      }
      d.y.push_back(*ys[*r_later]);
      d.ids.push_back(std::move(id));
      d.units.push_back(unit);
    }
  }
  return d;
}

ETHOS_DECL linear_fit fit_linkage(std::span<const linkage_wave> waves, const linkage_model& model,
                                  const linkage_options& options) {
  const regression_data d = linkage_data(waves, model);
  linear_fit f = fit_ols(d, options);
  std::vector<std::string> distinct = d.units;
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  if (distinct.size() < d.ids.size() && !options.cluster_by_unit) {
    f.warnings.push_back({warning_code::pooled_repeated_units,
                          std::to_string(d.ids.size()) + " observations come from " + std::to_string(distinct.size()) +
                              " units pooled over waves; repeated units are not independent, so standard errors are "
                              "too small (cluster them by unit with linkage_options::cluster_by_unit, or fit one "
                              "wave)"});
  }
  return f;
}

ETHOS_DECL linear_fit fit_linkage(const unit_table& table, const linkage_model& model, const linkage_options& options) {
  const linkage_wave wave{"", table};
  return fit_linkage(std::span<const linkage_wave>(&wave, 1), model, options);
}

} // namespace ethos
