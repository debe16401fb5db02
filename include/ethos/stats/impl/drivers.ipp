// ethos/stats/impl/drivers.ipp: definitions of ethos/stats/drivers.hpp (compiled into ethos::compiled, or included
// by the header in header-only mode).
#pragma once

#include <ethos/stats/drivers.hpp>

#include <ethos/error.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ethos {

namespace detail {

ETHOS_DECL bool jacobi_eigen(std::span<double> a, std::span<double> v, std::size_t k) {
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t j = 0; j < k; ++j) {
      v[i * k + j] = i == j ? 1.0 : 0.0;
    }
  }
  const auto at = [k](std::span<double> m, std::size_t i, std::size_t j) -> double& { return m[i * k + j]; };
  double scale = 0.0;
  for (std::size_t i = 0; i < k * k; ++i) {
    scale += a[i] * a[i];
  }
  constexpr int max_sweeps = 100;
  for (int sweep = 0; sweep < max_sweeps; ++sweep) {
    double off = 0.0;
    for (std::size_t p = 0; p < k; ++p) {
      for (std::size_t q = p + 1; q < k; ++q) {
        off += at(a, p, q) * at(a, p, q);
      }
    }
    // Converged once the off-diagonal mass is below rounding level of the whole matrix.
    if (off <= scale * std::numeric_limits<double>::epsilon() * std::numeric_limits<double>::epsilon()) {
      return true;
    }
    for (std::size_t p = 0; p < k; ++p) {
      for (std::size_t q = p + 1; q < k; ++q) {
        const double apq = at(a, p, q);
        if (apq == 0.0) {
          continue;
        }
        // The rotation angle that zeroes a[p][q]; t = tan(angle) is the smaller root, for stability.
        const double theta = (at(a, q, q) - at(a, p, p)) / (2.0 * apq);
        const double t = std::fabs(theta) > 1e150
                             ? 0.5 / theta
                             : std::copysign(1.0, theta) / (std::fabs(theta) + std::sqrt(theta * theta + 1.0));
        const double c = 1.0 / std::sqrt(t * t + 1.0);
        const double s = t * c;
        at(a, p, p) -= t * apq;
        at(a, q, q) += t * apq;
        at(a, p, q) = 0.0;
        at(a, q, p) = 0.0;
        for (std::size_t r = 0; r < k; ++r) {
          if (r != p && r != q) {
            const double arp = at(a, r, p);
            const double arq = at(a, r, q);
            at(a, r, p) = at(a, p, r) = c * arp - s * arq;
            at(a, r, q) = at(a, q, r) = s * arp + c * arq;
          }
          const double vrp = at(v, r, p);
          const double vrq = at(v, r, q);
          at(v, r, p) = c * vrp - s * vrq;
          at(v, r, q) = s * vrp + c * vrq;
        }
      }
    }
  }
  return false;
}

} // namespace detail

ETHOS_DECL key_driver_result detail::key_drivers_of_cross_products(std::size_t k, std::size_t n, std::size_t rows,
                                                                   std::span<const double> cp) {
  if (n > rows) {
    throw error("ethos: key_drivers: " + std::to_string(n) + " complete cases out of " + std::to_string(rows) +
                " rows");
  }
  key_driver_result out;
  out.drivers.resize(k);
  out.n = n;
  out.dropped = rows - n;
  if (k == 0) {
    out.reason = "no predictors";
    out.code = reason_code::no_data;
    return out;
  }
  if (out.n < 2) {
    out.reason = "fewer than 2 complete cases";
    out.code = reason_code::too_few_cases;
    return out;
  }
  const std::size_t m = k + 1;
  if (cp.size() < m * m) {
    throw error("ethos: key_drivers: " + std::to_string(m) + " x " + std::to_string(m) + " cross-products expected, " +
                std::to_string(cp.size()) + " given");
  }
  std::vector<double> sd(m);
  for (std::size_t i = 0; i < m; ++i) {
    sd[i] = std::sqrt(cp[i * m + i]);
  }
  const auto corr = [&](std::size_t i, std::size_t j) {
    return std::clamp(cp[std::min(i, j) * m + std::max(i, j)] / (sd[i] * sd[j]), -1.0, 1.0);
  };
  const bool outcome_varies = sd[k] > 0.0;
  for (std::size_t j = 0; j < k; ++j) {
    if (outcome_varies && sd[j] > 0.0) {
      out.drivers[j].r = corr(j, k);
    }
  }
  if (!outcome_varies) {
    out.reason = "the outcome is constant over the complete cases";
    out.code = reason_code::no_variance;
    return out;
  }
  for (std::size_t j = 0; j < k; ++j) {
    if (!(sd[j] > 0.0)) {
      out.reason = "predictor #" + std::to_string(j + 1) + " is constant over the complete cases";
      out.code = reason_code::no_variance;
      return out;
    }
  }
  if (out.n <= k + 1) {
    out.reason = "needs more than k + 1 = " + std::to_string(k + 1) + " complete cases, has " + std::to_string(out.n);
    out.code = reason_code::too_few_cases;
    return out;
  }

  std::vector<double> rxx(k * k);
  std::vector<double> rxy(k);
  for (std::size_t i = 0; i < k; ++i) {
    rxy[i] = *out.drivers[i].r;
    for (std::size_t j = 0; j < k; ++j) {
      rxx[i * k + j] = i == j ? 1.0 : corr(i, j);
    }
  }
  std::vector<double> vec(k * k);
  if (!detail::jacobi_eigen(rxx, vec, k)) {
    out.reason = "the eigen decomposition of the predictors' correlation matrix did not converge";
    out.code = reason_code::not_converged;
    return out;
  }
  std::vector<double> lambda(k);
  for (std::size_t i = 0; i < k; ++i) {
    lambda[i] = rxx[i * k + i];
  }
  const auto [lo, hi] = std::minmax_element(lambda.begin(), lambda.end());
  if (!(*lo > detail::singular_tolerance * *hi)) {
    out.reason = "the predictors are collinear (their correlation matrix is singular)";
    out.code = reason_code::singular;
    return out;
  }

  // Lambda = V diag(sqrt(lambda)) V' and Lambda^-1 = V diag(1 / sqrt(lambda)) V' share the eigenvectors, so
  // beta = Lambda^-1 r_xy needs no separate solve.
  std::vector<double> big_lambda(k * k, 0.0);
  std::vector<double> vt_rxy(k, 0.0); // V' r_xy
  for (std::size_t c = 0; c < k; ++c) {
    for (std::size_t i = 0; i < k; ++i) {
      vt_rxy[c] += vec[i * k + c] * rxy[i];
    }
  }
  std::vector<double> beta(k, 0.0);
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t c = 0; c < k; ++c) {
      beta[i] += vec[i * k + c] * vt_rxy[c] / std::sqrt(lambda[c]);
      for (std::size_t j = 0; j < k; ++j) {
        big_lambda[i * k + j] += vec[i * k + c] * std::sqrt(lambda[c]) * vec[j * k + c];
      }
    }
  }
  double r2 = 0.0;
  for (std::size_t i = 0; i < k; ++i) {
    r2 += beta[i] * beta[i];
  }
  out.r_squared = r2;
  for (std::size_t j = 0; j < k; ++j) {
    double w = 0.0;
    for (std::size_t c = 0; c < k; ++c) {
      w += big_lambda[j * k + c] * big_lambda[j * k + c] * beta[c] * beta[c];
    }
    out.drivers[j].raw_weight = w;
    if (r2 > 0.0) {
      out.drivers[j].rescaled_weight = w / r2;
    }
  }
  if (!(r2 > 0.0)) {
    out.reason = "R^2 is 0: no predictor is correlated with the outcome, so shares of R^2 are undefined";
    out.code = reason_code::undefined;
  }
  return out;
}

ETHOS_DECL key_driver_result key_drivers(std::span<const std::span<const double>> predictors,
                                         std::span<const double> outcome) {
  const std::size_t k = predictors.size();
  const std::size_t rows = outcome.size();
  for (std::size_t j = 0; j < k; ++j) {
    if (predictors[j].size() != rows) {
      throw error("ethos: key_drivers: predictor #" + std::to_string(j + 1) + " has " +
                  std::to_string(predictors[j].size()) + " values but the outcome has " + std::to_string(rows));
    }
  }
  // Column m is predictor m for m < k and the outcome for m == k.
  const std::size_t m = k + 1;
  std::vector<const double*> column(m);
  for (std::size_t col = 0; col < k; ++col) {
    column[col] = predictors[col].data();
  }
  column[k] = outcome.data();

  // Two passes over the complete cases (means, then centred cross-products), the rows that are complete marked in
  // the first. Each sum adds its terms in row order, as a plain loop would.
  std::vector<unsigned char> complete(rows, 0);
  std::vector<double> mean(m, 0.0);
  std::size_t n = 0;
  for (std::size_t row = 0; row < rows; ++row) {
    bool all = true;
    for (std::size_t col = 0; col < m; ++col) {
      all = all && std::isfinite(column[col][row]);
    }
    if (!all) {
      continue;
    }
    complete[row] = 1;
    ++n;
    for (std::size_t col = 0; col < m; ++col) {
      mean[col] += column[col][row];
    }
  }
  std::vector<double> cp(m * m, 0.0); // upper triangle of the cross-product matrix
  if (k > 0 && n >= 2) {
    for (double& x : mean) {
      x /= static_cast<double>(n);
    }
    std::vector<double> centred(m);
    for (std::size_t row = 0; row < rows; ++row) {
      if (complete[row] == 0) {
        continue;
      }
      for (std::size_t col = 0; col < m; ++col) {
        centred[col] = column[col][row] - mean[col];
      }
      detail::add_cross_products(cp.data(), centred.data(), m);
    }
  }
  return detail::key_drivers_of_cross_products(k, n, rows, cp);
}

ETHOS_DECL key_driver_result key_drivers(std::span<const std::vector<double>> predictors,
                                         std::span<const double> outcome) {
  std::vector<std::span<const double>> cols(predictors.begin(), predictors.end());
  return key_drivers(std::span<const std::span<const double>>(cols), outcome);
}

} // namespace ethos
