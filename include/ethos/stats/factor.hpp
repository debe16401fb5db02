/// \file
/// \brief Confirmatory factor analysis by maximum likelihood (as lavaan's `cfa(..., estimator = "ML")`) and omega
/// total, from a covariance matrix.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/status.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace ethos {

/// Which items measure which factor: every item loads on exactly one factor (simple structure).
struct factor_structure {
  std::size_t items = 0;                         ///< the observed variables, 0..items-1
  std::vector<std::vector<std::size_t>> factors; ///< per factor: its items (at least one), each item in one factor
  /// false (lavaan's default): each factor's first item has loading 1 and the factor's variance is estimated
  /// (marker variable); true (lavaan's `std.lv = TRUE`): every loading is estimated and each factor's variance is 1.
  bool unit_variance = false;
};

/// How the estimates are searched for.
struct cfa_options {
  std::size_t max_iterations = 500; ///< Fisher-scoring steps before giving up (the result then says not converged)
  double tolerance = 1e-12;         ///< converged when the discrepancy changes by less than this (relative)
};

/// One estimated parameter with its standard error (from the expected information) and its completely
/// standardised value (lavaan's `std.all`). A fixed parameter (a marker's loading of 1) has no standard error.
struct cfa_parameter {
  double estimate = 0;      ///< the estimate (1 for a marker's loading, fixed)
  std::optional<double> se; ///< its standard error; empty for a fixed parameter
  double standardized = 0;  ///< with every variable's variance 1 (lavaan's std.all)
};

/// Fit of a factor model, with lavaan's definitions (N, not N - 1, throughout: the normal likelihood).
struct cfa_fit {
  double fmin = 0;                    ///< half the ML discrepancy at the estimates (lavaan's `fmin`)
  double chisq = 0;                   ///< N x the ML discrepancy
  std::size_t df = 0;                 ///< p(p + 1)/2 - free parameters
  double pvalue = 0;                  ///< upper tail of chi-square(df) at chisq (NaN when df is 0)
  double baseline_chisq = 0;          ///< of the independence model (every covariance 0, variances free)
  std::size_t baseline_df = 0;        ///< p(p - 1)/2
  double cfi = 0;                     ///< comparative fit index
  std::optional<double> tli;          ///< Tucker-Lewis index (empty when df is 0)
  std::optional<double> rmsea;        ///< sqrt(max(chisq/N/df - 1/N, 0)) (empty when df is 0)
  std::optional<double> rmsea_lower;  ///< 90% interval, from the noncentral chi-square
  std::optional<double> rmsea_upper;  ///< 90% interval, from the noncentral chi-square
  std::optional<double> rmsea_pvalue; ///< P(RMSEA <= .05) of the test of close fit
  double srmr = 0;                    ///< root mean square of the covariance residuals standardised by the observed SDs
  double logl = 0;                    ///< log-likelihood of the model
  double unrestricted_logl = 0;       ///< log-likelihood of the saturated model
};

/// A confirmatory factor analysis. When `code` is not `none` the search failed or the input cannot be fitted, and
/// `reason` says which and why; the numbers are then empty or those of the last step (see `converged`).
struct cfa_result {
  bool converged = false;                                     ///< the search reached the minimum of the discrepancy
  std::size_t iterations = 0;                                 ///< Fisher-scoring steps taken
  std::size_t n = 0;                                          ///< observations the covariance matrix comes from
  std::vector<cfa_parameter> loadings;                        ///< per item: its loading on its factor
  std::vector<cfa_parameter> residuals;                       ///< per item: its residual variance
  std::vector<std::vector<cfa_parameter>> factor_covariances; ///< factors x factors (standardized: correlations)
  std::optional<cfa_fit> fit;                                 ///< when converged
  std::vector<std::size_t> heywood;     ///< items whose residual variance is negative (a Heywood case)
  std::string reason;                   ///< why a result is missing or suspect, if it is
  reason_code code = reason_code::none; ///< `reason` as a code
};

/// Fits `model` to the covariance matrix `s` (row-major p x p with divisor N, as lavaan's sample covariance of the
/// listwise-complete rows) of `n` observations by maximum likelihood (Fisher scoring on lavaan's discrepancy
/// log|Sigma| + tr(S Sigma^-1) - log|S| - p), with lavaan 0.6's identification, standard errors from the expected
/// information and its fit measures.
/// \throws ethos::error for input that is not a model of `s`: sizes that disagree, an item in no factor or in two,
/// a factor without items, n below 2.
ETHOS_DECL cfa_result confirmatory_factor_analysis(const std::vector<double>& s, std::size_t n,
                                                   const factor_structure& model, const cfa_options& opt = {});

/// Omega total of one set of items from a one-factor model with the factor's variance fixed to 1:
/// (sum of loadings)^2 / ((sum of loadings)^2 + sum of residual variances).
struct omega_result {
  std::optional<double> omega;          ///< omega total, when the model gives a proper solution
  cfa_result model;                     ///< the one-factor model it comes from
  std::string reason;                   ///< why omega is empty, if it is
  reason_code code = reason_code::none; ///< `reason` as a code
};

/// Omega total of the items of the covariance matrix `s` (p x p, divisor N) of `n` observations.
ETHOS_DECL omega_result omega_total(const std::vector<double>& s, std::size_t n, const cfa_options& opt = {});

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/stats/impl/factor.ipp>
#endif
