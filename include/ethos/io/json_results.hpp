/// \file
/// \brief The results of a report (or, named unaudited, of an assessment on its own) as JSON text (schema
/// ethos.results/1).
///
/// No nlohmann_json in these declarations; results_to_json, which returns the nlohmann value, is in
/// io/json_value.hpp. Part of the optional component ethos::json (see io/json.hpp).
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/models/measurement.hpp>
#include <ethos/org/assessment.hpp>
#include <ethos/org/report.hpp>
#include <ethos/org/unaudited.hpp>

#include <iosfwd>
#include <string>

namespace ethos {

/// Writes results_to_json(r) as text to `out`, indented by `indent` spaces (-1: one line): the same text as
/// results_to_json_string, written as it is made. The long arrays (groups, units, cut cells, driver analyses) are
/// built one element at a time, so the memory a report of 20,000 units takes does not grow with its text.
ETHOS_DECL void write_results_json(std::ostream& out, const survey_report& r, int indent = 2);

/// The report's JSON with the measurement models of its instrument: "measurement_model" (the CFA of the structure,
/// fit_measurement_model) and "invariance" (fit_measurement_invariance), each when not null. Both are figures over
/// all the respondents who answered every item (of the levels compared, for invariance): the caller fits them on the
/// report's responses and withholds them when fewer than the report's k respondents are behind them (the writer
/// writes no figure of a model over fewer than k rows, only its reason).
ETHOS_DECL void write_results_json(std::ostream& out, const survey_report& r, const measurement_model* measurement,
                                   const measurement_invariance_model* invariance, int indent = 2);

/// results_to_json(a) written to `out`: an assessment on its own, not audited (see unaudited).
ETHOS_DECL void write_results_json(std::ostream& out, unaudited<assessment> a, int indent = 2);

/// results_to_json(r) as text, indented by `indent` spaces (-1: one line).
/// Text that is not valid UTF-8 (a group label from a Latin-1 CSV, say) is written with U+FFFD in place of the
/// bad bytes rather than failing the whole report.
ETHOS_DECL std::string results_to_json_string(const survey_report& r, int indent = 2);

/// results_to_json(a) as text: an assessment on its own, not audited (see unaudited).
ETHOS_DECL std::string results_to_json_string(unaudited<assessment> a, int indent = 2);

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/io/impl/json_results.ipp>
#endif
