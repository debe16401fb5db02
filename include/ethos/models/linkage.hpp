/// \file
/// \brief Linkage analysis: unit-level culture results against unit-level outcomes by OLS.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/detail/hash_slots.hpp>
#include <ethos/models/chain.hpp>
#include <ethos/org/internal_service.hpp>
#include <ethos/org/rollup.hpp>
#include <ethos/status.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ethos {

// A linkage study relates what units' people say (culture means, eNPS, internal service received) to what the
// units achieve (customer satisfaction, complaints, retention, revenue per head). The unit is the observation,
// so a study has tens of rows, not thousands: the estimator favours accuracy (Householder QR, as R's lm())
// over speed, and the fit says plainly when the units are too few for the predictors.

/// Named numeric columns over units: one row per unit id, a missing value is empty. Culture results, eNPS,
/// internal-service ratings and outcomes of one survey wave all go into one table, joined by unit id.
///
///     ethos::unit_table t({"north", "south", "west"});
///     t.add_column("csat", {81.5, 77.0, std::nullopt});
class unit_table {
 public:
  /// A table of no units and no columns.
  unit_table() = default;

  /// A table of these units and no columns. Throws ethos::error for an empty or repeated id.
  explicit unit_table(std::vector<std::string> units);

  /// Unit ids, in row order.
  [[nodiscard]] const std::vector<std::string>& units() const noexcept { return units_; }
  /// Column names, in the order they were added.
  [[nodiscard]] const std::vector<std::string>& column_names() const noexcept { return names_; }
  /// Number of units (rows).
  [[nodiscard]] std::size_t rows() const noexcept { return units_.size(); }

  /// Row of `unit`, if the table has it.
  [[nodiscard]] std::optional<std::size_t> row_of(std::string_view unit) const {
    const std::uint32_t r = index_.find(detail::hash_text(unit), [&](std::uint32_t at) { return units_[at] == unit; });
    return r == detail::hash_slots::none ? std::nullopt : std::optional<std::size_t>(r);
  }

  /// True when the table has a column called `name`.
  [[nodiscard]] bool has_column(std::string_view name) const;

  /// Adds a column, one value per unit in row order. Throws ethos::error for an empty or repeated name, a
  /// length that is not the number of units, or a value that is NaN or infinite (name and unit given).
  unit_table& add_column(std::string name, std::vector<std::optional<double>> values);

  /// The values of column `name`, in row order. Throws ethos::error naming the columns there are.
  [[nodiscard]] std::span<const std::optional<double>> column(std::string_view name) const;

  /// Value of column `name` for `unit`; empty when missing or when the table has no such unit.
  [[nodiscard]] std::optional<double> value(std::string_view name, std::string_view unit) const;

  /// Adds every column of `other`, matched by unit id; units of this table that `other` lacks get missing
  /// values. A unit of `other` that this table does not have is an error, not silently dropped: it usually is a
  /// misspelt label (the first five are named, with a did-you-mean). Repeated column names are an error too.
  unit_table& join(const unit_table& other);

 private:
  [[nodiscard]] std::string column_list() const;

  std::vector<std::string> units_;
  detail::hash_slots index_; // row by unit id
  std::vector<std::string> names_;
  std::vector<std::vector<std::optional<double>>> columns_;
};

/// The construct means of a roll-up's units at `depth` (1: top-level units, 2: their sub-units ...), one column
/// per construct key. Only shown cells give a value: a cell withheld for anonymity is missing, so a linkage study
/// can never use what the report does not publish. Throws ethos::error when no unit has that depth.
ETHOS_DECL unit_table unit_table_from_rollup(const org_rollup& r, std::size_t depth);

/// The internal service each unit received and gave, as two columns, `internal_service_received` (mean rating of
/// the unit's service by other units' people) and `internal_service_given` (mean of its people's ratings of
/// others), over the units of the matrix. A margin withheld for anonymity is missing.
ETHOS_DECL unit_table unit_table_from_internal_service(const internal_service_result& r);

/// One term of a fitted regression.
struct regression_term {
  std::string name;                        ///< "(Intercept)" or the predictor's column name
  double estimate = 0.0;                   ///< change of the outcome per unit of the predictor, others fixed
  double standard_error = 0.0;             ///< as summary(lm(...)) reports it
  double t = 0.0;                          ///< estimate / standard_error
  double p = 1.0;                          ///< two-sided, Student's t with df_residual degrees of freedom
  std::optional<double> standardized = {}; ///< estimate * sd(predictor) / sd(outcome); empty for the intercept
};

/// An ordinary least squares fit with an intercept, numbers as R's `summary(lm(y ~ x1 + ...))`.
struct linear_fit {
  std::string outcome;                   ///< outcome column
  std::vector<regression_term> terms;    ///< the intercept first, then the predictors in the order given
  std::size_t n = 0;                     ///< observations used (complete on outcome and predictors)
  std::size_t df_residual = 0;           ///< n - number of terms
  double r_squared = 0.0;                ///< share of the outcome's variance the predictors account for
  double adj_r_squared = 0.0;            ///< R^2 adjusted for the number of predictors
  double sigma = 0.0;                    ///< residual standard error
  double f = 0.0;                        ///< F statistic of all predictors together
  double f_p = 1.0;                      ///< its p value
  std::vector<std::string> observations; ///< ids of the observations used, in order
  std::vector<std::string> dropped;      ///< ids dropped for a missing value (as lm's na.omit)
  std::vector<double> fitted;            ///< fitted values, one per observation used
  std::vector<double> residuals;         ///< outcome - fitted
  std::size_t clusters = 0;              ///< units the standard errors are clustered by; 0: classical errors
  /// Too few units for the predictors (warning_code::few_units_per_predictor), pooled repeated units
  /// (pooled_repeated_units), few clusters (model_note): a code and a sentence each.
  std::vector<warning> warnings;

  /// The term called `name` ("(Intercept)" or a predictor). Throws ethos::error naming the terms there are.
  [[nodiscard]] const regression_term& term(std::string_view name) const;

  /// The slope of predictor `name` with its standard error and degrees of freedom, as a service-profit chain link
  /// strength: a linkage estimate carried into a scenario with its uncertainty (Monte Carlo draws it from
  /// estimate + SE x t(df), df = n - terms, or units - 1 when clustered).
  ///
  ///     chain.add(ethos::building_block::voice_of_the_customer, ethos::chain_node::measure("csat"),
  ///               fit.strength("voice_of_the_customer"), 1);
  [[nodiscard]] link_strength strength(std::string_view name) const;
};

/// What a linkage fit warns about and refuses.
struct linkage_options {
  /// Fewer complete units than this many per predictor gives a warning: estimates from so few units move a lot
  /// from sample to sample. 10 is the usual rule of thumb.
  std::size_t min_units_per_predictor = 10;
  /// Cluster-robust standard errors with one cluster per unit (as `sandwich::vcovCL(m, cluster = unit)`; t and
  /// the Wald F against G - 1 degrees of freedom for G units). Use it when waves are pooled: a unit observed in
  /// three waves is not three independent observations, and the classical standard errors are then too small.
  bool cluster_by_unit = false;
};

/// Complete observations for one regression: predictors by column, then the outcome.
struct regression_data {
  std::string outcome;                 ///< the outcome's name
  std::vector<std::string> predictors; ///< the predictors' names
  std::vector<std::vector<double>> x;  ///< one vector per predictor, all of length y.size()
  std::vector<double> y;               ///< the outcome, one per observation
  std::vector<std::string> ids;        ///< one per observation
  std::vector<std::string> units;      ///< the unit of each observation (an id repeats when waves are pooled)
  std::vector<std::string> dropped;    ///< observations left out for a missing value
};

/// Fits `d.y` on the predictors with an intercept by ordinary least squares; every number as R's
/// `summary(lm(y ~ x1 + ... + xp))` (coefficients, standard errors, t, p, R^2, adjusted R^2, sigma, F) plus the
/// standardised coefficients (those of the model on z-scored variables). Throws ethos::error, naming the variable,
/// when there are no predictors, fewer than p + 2 observations (no residual degree of freedom left), a constant
/// outcome or predictor, a predictor that is a linear combination of the others, or a perfect fit.
ETHOS_DECL linear_fit fit_ols(const regression_data& d, const linkage_options& options = {});

/// One survey wave of a linkage study: the wave's label (e.g. "2025") and its unit table, which holds the culture
/// results of the wave and the outcomes measured in the same period.
struct linkage_wave {
  std::string label; ///< e.g. "2025"; names the wave in messages and pooled observation ids
  unit_table data;   ///< the wave's culture results and outcomes, one row per unit
};

/// Which regression to fit: the outcome, the predictors and how many waves the outcome lags behind them.
struct linkage_model {
  std::string outcome;                  ///< outcome column, read from wave w + lag
  std::vector<std::string> predictors;  ///< predictor columns, read from wave w
  std::size_t lag = 0;                  ///< 0: concurrent; 1: culture of one wave against outcomes of the next
  std::optional<std::size_t> wave = {}; ///< index of the one predictor wave to use; empty: pool every wave
};

/// The observations a linkage model uses: for every predictor wave w (the given one, or all that have a wave
/// w + lag) and every unit in both waves, the predictors of wave w and the outcome of wave w + lag; ids are
/// "unit" for a single wave, "unit@label" when pooling. Rows with a missing value go to `dropped`.
/// Throws ethos::error for no waves, a lag as long as the data (lag >= number of waves), a wave index out of
/// range, an unknown or repeated column, the outcome among the predictors, or no predictors.
ETHOS_DECL regression_data linkage_data(std::span<const linkage_wave> waves, const linkage_model& model);

/// Fits a linkage model over survey waves: concurrent (lag 0) or lagged, one wave or pooled. Warns when the
/// units are too few for the predictors, and when pooling puts the same unit in several observations (they are
/// not independent, so the standard errors are too small; fit one wave with `model.wave` to avoid that).
///
///     auto fit = ethos::fit_linkage(waves, {.outcome = "csat", .predictors = {"voice_of_the_customer"}, .lag = 1});
///     double b = fit.term("voice_of_the_customer").estimate;
ETHOS_DECL linear_fit fit_linkage(std::span<const linkage_wave> waves, const linkage_model& model,
                                  const linkage_options& options = {});

/// A single-wave (concurrent) linkage fit on one unit table.
ETHOS_DECL linear_fit fit_linkage(const unit_table& table, const linkage_model& model,
                                  const linkage_options& options = {});

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/models/impl/linkage.ipp>
#endif
