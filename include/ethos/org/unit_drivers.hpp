/// \file
/// \brief Key-driver analysis per unit of a roll-up: the constructs as predictors of an outcome (a construct or
/// the NPS item) for the organisation and each unit the roll-up shows.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/measure/instrument.hpp>
#include <ethos/measure/response_matrix.hpp>
#include <ethos/measure/scoring.hpp>
#include <ethos/org/drivers.hpp>
#include <ethos/org/rollup.hpp>
#include <ethos/org/units.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace ethos {

/// Driver analysis of one unit ("" for the organisation).
struct unit_drivers {
  std::string unit;         ///< unit id
  driver_analysis analysis; ///< constructs as predictors of the outcome over the unit's respondents
};

/// What the drivers are analysed against, and where.
struct unit_driver_options {
  /// Outcome: a construct key, or empty for the instrument's NPS item (its 0-10 answer).
  std::string outcome;
  std::size_t max_depth = 1; ///< units down to this depth (0: the organisation only)
  driver_options analysis;   ///< min_respondents (30) and the rest
  std::size_t threads = 1;   ///< units analysed at once (0: one per hardware thread); the result is the same
};

/// Key-driver analysis of every construct (except the outcome) against the outcome, for the organisation and
/// for each unit down to `opt.max_depth` that the roll-up shows on every construct and that has at least
/// `opt.analysis.min_respondents` respondents. Units hidden on any construct are left out: correlations over
/// a hidden unit would describe people the roll-up protects. r, the weights and R^2 are computed over the unit's
/// complete cases (rows of the unit with every construct and the outcome); each driver's performance is the unit's
/// published mean of the construct (everyone in the unit with a score on it), and the quadrants are placed with it.
/// \throws ethos::error when the outcome is neither a construct key nor available as an NPS item.
ETHOS_DECL std::vector<unit_drivers> drivers_by_unit(const instrument_view& inst, const response_matrix& m,
                                                     const scoring_result& scored, const unit_tree& tree,
                                                     const unit_assignment& units, const org_rollup& r,
                                                     const unit_driver_options& opt = {});

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/org/impl/unit_drivers.ipp>
#endif
