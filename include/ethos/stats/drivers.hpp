/// \file
/// \brief Key-driver analysis: correlations and Johnson's relative weights against an outcome.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/error.hpp>
#include <ethos/status.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ethos {

/// Importance of one predictor of the outcome.
struct driver_importance {
  std::optional<double> r;               ///< Pearson r with the outcome over the complete cases
  std::optional<double> raw_weight;      ///< Johnson's relative weight; the k weights sum to r_squared
  std::optional<double> rescaled_weight; ///< raw_weight / r_squared: the predictor's share of R^2 (shares sum to 1)
};

/// Key-driver analysis of k predictors of one outcome over the complete cases.
struct key_driver_result {
  std::size_t n = 0;                      ///< complete cases (rows where every predictor and the outcome are present)
  std::size_t dropped = 0;                ///< rows left out because at least one value was missing
  std::optional<double> r_squared;        ///< R^2 of the OLS regression of the outcome on all predictors
  std::vector<driver_importance> drivers; ///< one per predictor, in input order (empty when k == 0)
  std::string reason;                     ///< why weights are empty, if they are
  reason_code code = reason_code::none;   ///< `reason` as a code (no_data, too_few_cases, no_variance, singular ...)
};

namespace detail {

/// Eigen decomposition of the symmetric k x k matrix `a` (row-major) by cyclic Jacobi rotations, meant for
/// the small matrices of driver analysis. On return the diagonal of `a` holds the eigenvalues and column j of
/// `v` (row-major, k x k) the unit eigenvector of eigenvalue a[j][j]; the off-diagonal of `a` is destroyed.
/// Returns false when the rotations did not converge (not seen in practice for symmetric input).
ETHOS_DECL bool jacobi_eigen(std::span<double> a, std::span<double> v, std::size_t k);

/// Smallest eigenvalue relative to the largest below which the predictors' correlation matrix counts as singular:
/// weights would then be dominated by rounding (a condition number of 1e10 leaves about 6 good digits).
inline constexpr double singular_tolerance = 1e-10;

/// cp[i * m + j] += x[i] * x[j] for j >= i (the upper triangle of x x', row-major m x m). cp and x do not overlap,
/// so the compiler may add the terms side by side; each element still gets its terms in call order.
inline void add_cross_products(double* __restrict cp, const double* __restrict x, std::size_t m) {
  for (std::size_t i = 0; i < m; ++i) {
    const double xi = x[i];
    double* __restrict row = cp + i * m;
    for (std::size_t j = i; j < m; ++j) {
      row[j] += xi * x[j];
    }
  }
}

/// What `key_drivers` gives from its sums: k predictors, n complete cases out of `rows`, and `cp` the upper triangle
/// of the complete cases' centred cross-products (row-major m x m, m = k + 1, the outcome last; each sum over the
/// complete cases in row order, centred on their means). `cp` is read only when k > 0 and n >= 2. The results of
/// key_drivers and of this are the same bits when the sums are.
ETHOS_DECL key_driver_result key_drivers_of_cross_products(std::size_t k, std::size_t n, std::size_t rows,
                                                           std::span<const double> cp);

} // namespace detail

/// Key-driver analysis: for each predictor column, Pearson r with the outcome and Johnson's (2000) relative
/// weight, over the complete cases (rows where every column is present; NaN or infinite = missing).
///
/// Johnson's method: with R_xx = V diag(lambda) V' the predictors' correlation matrix and r_xy their correlations
/// with the outcome, Lambda = V diag(sqrt(lambda)) V', beta = Lambda^-1 r_xy and the raw weight of predictor j is
/// sum_k Lambda_jk^2 beta_k^2. The raw weights sum to R^2 of the OLS regression of the outcome on all predictors.
/// \code
///   std::vector<std::span<const double>> xs{clarity, support, growth};
///   auto kd = ethos::key_drivers(xs, engagement);
///   // kd.drivers[j].rescaled_weight: share of the explained variance owed to predictor j
/// \endcode
/// Weights are empty with a reason when k == 0, n <= k + 1, a column is constant over the complete cases or the
/// predictors are (nearly) collinear; r is still given for every predictor where it exists.
/// \throws ethos::error when a predictor column and the outcome differ in length.
ETHOS_DECL key_driver_result key_drivers(std::span<const std::span<const double>> predictors,
                                         std::span<const double> outcome);

/// Key-driver analysis of predictor columns held as vectors; see the overload on spans.
ETHOS_DECL key_driver_result key_drivers(std::span<const std::vector<double>> predictors,
                                         std::span<const double> outcome);

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/stats/impl/drivers.ipp>
#endif
