/// \file
/// \brief Confirmatory factor analysis by maximum likelihood (as lavaan's `cfa(..., estimator = "ML")`) and omega
/// total, from a covariance matrix.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/status.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
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
  /// converged when no parameter's Fisher-scoring step exceeds this times max(1, |its value|)
  double tolerance = 1e-10;
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
  std::vector<std::size_t> heywood;          ///< items whose residual variance is negative (a Heywood case)
  std::vector<std::size_t> improper_factors; ///< factors whose variance is not positive
  std::string reason;                        ///< why a result is missing or suspect, if it is
  reason_code code = reason_code::none;      ///< `reason` as a code
};

/// Fits `model` to the covariance matrix `s` (row-major p x p with divisor N, as lavaan's sample covariance of the
/// listwise-complete rows) of `n` observations by maximum likelihood (Fisher scoring on lavaan's discrepancy
/// log|Sigma| + tr(S Sigma^-1) - log|S| - p), with lavaan 0.6's identification, standard errors from the expected
/// information and its fit measures.
/// \throws ethos::error for input that is not a model of `s`: sizes that disagree, an item in no factor or in two,
/// a factor without items, n below 2.
ETHOS_DECL cfa_result confirmatory_factor_analysis(const std::vector<double>& s, std::size_t n,
                                                   const factor_structure& model, const cfa_options& opt = {});

/// The sample moments of one group (covariances and means of its complete rows), as a multi-group model is fitted
/// to them.
struct sample_moments {
  std::string label;              ///< the group's name (a level of the grouping column)
  std::size_t n = 0;              ///< observations: the group's listwise-complete rows
  std::vector<double> covariance; ///< p x p, row-major, divisor N (lavaan's sample covariance)
  std::vector<double> mean;       ///< the p means of the same rows
};

/// Which parameters a multi-group model holds equal across the groups (lavaan's `group.equal`). Every level has a
/// mean structure: intercepts free per group, factor means 0 (configural, metric) or 0 in the first group and free
/// in the others (scalar).
enum class invariance_level : unsigned char {
  configural, ///< the same structure in every group, every parameter free per group
  metric,     ///< loadings equal across groups (`group.equal = "loadings"`)
  scalar,     ///< loadings and intercepts equal (`group.equal = c("loadings", "intercepts")`)
};

/// "configural", "metric" or "scalar".
[[nodiscard]] constexpr std::string_view to_string(invariance_level l) noexcept {
  return l == invariance_level::configural ? "configural" : l == invariance_level::metric ? "metric" : "scalar";
}

/// One group's estimates in a multi-group model (standardised within the group, as lavaan's std.all).
struct cfa_group {
  std::string label;                                          ///< the group's name
  std::size_t n = 0;                                          ///< its observations
  std::vector<cfa_parameter> loadings;                        ///< per item: its loading on its factor
  std::vector<cfa_parameter> residuals;                       ///< per item: its residual variance
  std::vector<cfa_parameter> intercepts;                      ///< per item: its intercept
  std::vector<std::vector<cfa_parameter>> factor_covariances; ///< factors x factors (standardized: correlations)
  std::vector<cfa_parameter> factor_means;                    ///< per factor (fixed 0 unless scalar and not first)
  double chisq = 0;                                           ///< this group's part of the chi-square
  std::vector<std::size_t> heywood;                           ///< items whose residual variance is negative here
  std::vector<std::size_t> improper_factors;                  ///< factors whose variance is not positive here
};

/// A multi-group confirmatory factor analysis at one level of invariance. `fit` pools the groups as lavaan does:
/// chi-square the sum of the groups' parts, RMSEA times sqrt(groups), SRMR the groups' SRMR (means included)
/// weighted by their share of N, the baseline the independence model of every group.
struct multigroup_cfa_result {
  invariance_level level = invariance_level::configural; ///< what is held equal
  bool converged = false;                                ///< the search reached the minimum of the discrepancy
  std::size_t iterations = 0;                            ///< Fisher-scoring steps taken
  std::size_t n = 0;                                     ///< observations over all groups
  std::size_t free_parameters = 0;                       ///< distinct free parameters (equal ones counted once)
  std::vector<cfa_group> groups;                         ///< per group, in input order
  std::optional<cfa_fit> fit;                            ///< when converged
  std::string reason;                                    ///< why a result is missing or suspect, if it is
  reason_code code = reason_code::none;                  ///< `reason` as a code
};

/// Fits `model` to every group of `groups` at once at invariance `level` by maximum likelihood with a mean
/// structure (lavaan's `cfa(..., group = , group.equal = )`: marker identification, or `unit_variance`, where the
/// factor variances of the groups after the first are free once loadings are equal).
/// \throws ethos::error for fewer than 2 groups, a group whose moments do not fit the model's items, or a model
/// that is not one (as `confirmatory_factor_analysis`).
ETHOS_DECL multigroup_cfa_result multigroup_cfa(const std::vector<sample_moments>& groups,
                                                const factor_structure& model, invariance_level level,
                                                const cfa_options& opt = {});

/// The change of fit from one level of invariance to the next, more constrained one (`to` minus `from`).
struct invariance_step {
  invariance_level from = invariance_level::configural; ///< the less constrained model
  invariance_level to = invariance_level::metric;       ///< the more constrained model
  double delta_chisq = 0;                               ///< chi-square difference (likelihood-ratio test)
  std::size_t delta_df = 0;                             ///< its degrees of freedom
  double pvalue = 0;                                    ///< its upper tail
  double delta_cfi = 0;                                 ///< CFI(to) - CFI(from): negative when fit worsens
  double delta_rmsea = 0;                               ///< RMSEA(to) - RMSEA(from)
  double delta_srmr = 0;                                ///< SRMR(to) - SRMR(from)
  bool rejected_by_chisq = false;                       ///< pvalue below the thresholds' alpha
  bool noninvariant = false; ///< CFI drops by at least cfi_drop and RMSEA rises by at least rmsea_rise
};

/// The verdict thresholds (Chen, 2007, Structural Equation Modeling 14(3): a drop of CFI of .010 or more together
/// with a rise of RMSEA of .015 or more marks non-invariance).
struct invariance_thresholds {
  double cfi_drop = 0.010;   ///< a fall of CFI at least this large ...
  double rmsea_rise = 0.015; ///< ... with a rise of RMSEA at least this large is non-invariance
  double alpha = 0.05;       ///< the chi-square difference test's level
};

/// Configural, metric and scalar invariance of one structure across groups.
struct invariance_result {
  multigroup_cfa_result configural;   ///< same structure, parameters free per group
  multigroup_cfa_result metric;       ///< loadings equal
  multigroup_cfa_result scalar;       ///< loadings and intercepts equal
  std::vector<invariance_step> steps; ///< configural to metric, metric to scalar, for the models that converged
  invariance_thresholds thresholds;   ///< what the verdicts use
  /// the most constrained level whose step (and every step before it) is not non-invariant by the thresholds;
  /// empty when the configural model itself did not converge
  std::optional<invariance_level> holds;
  std::string reading; ///< one sentence: what holds, by which figures, under which thresholds
};

/// Fits the configural, metric and scalar models of `model` over `groups` and compares each with the one before.
/// \throws ethos::error as `multigroup_cfa`.
ETHOS_DECL invariance_result measurement_invariance(const std::vector<sample_moments>& groups,
                                                    const factor_structure& model, const cfa_options& opt = {},
                                                    const invariance_thresholds& thresholds = {});

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

class covariance_accumulator; // ethos/stats/covariance.hpp

/// Omega total over the complete rows `cov` holds; empty with a reason for fewer than 3 items or 2 complete rows.
ETHOS_DECL omega_result omega_total(const covariance_accumulator& cov, const cfa_options& opt = {});

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/stats/impl/factor.ipp>
#endif
