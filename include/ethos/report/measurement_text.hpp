/// \file
/// \brief The measurement models of an instrument (its confirmatory factor analysis and measurement invariance) as
/// text for a terminal: a table and a one-line reading each.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/models/measurement.hpp>

#include <cstddef>
#include <string>

namespace ethos {

/// The CFA of an instrument's structure: its fit, a reading of it (Hu and Bentler's 1999 cut-offs: CFI at least
/// .95 with RMSEA at most .06 and SRMR at most .08 fit well; CFI at least .90 with RMSEA at most .08
/// acceptably), each construct's standardised loadings and the highest factor correlation. Nothing but the reason
/// when fewer than `k` respondents answered every item.
ETHOS_DECL std::string measurement_text(const measurement_model& mm, std::size_t k);

/// Measurement invariance: the fit of the configural, metric and scalar models, the changes between them and the
/// verdict with its thresholds. Nothing but the reason when a level compared has fewer than `k` complete rows.
ETHOS_DECL std::string invariance_text(const measurement_invariance_model& mi, std::size_t k);

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/report/impl/measurement_text.ipp>
#endif
