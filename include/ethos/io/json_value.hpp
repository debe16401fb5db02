/// \file
/// \brief ethos data as nlohmann_json values: instruments (instrument_from_json, to_json) and results
/// (results_to_json). Includes <nlohmann/json.hpp>.
///
/// io/json.hpp includes this header in header-only mode. With ETHOS_SEPARATE_COMPILATION io/json.hpp stays free
/// of nlohmann_json (it declares the text API: parse_instrument, instrument_to_json_string,
/// results_to_json_string ...); include this header as well for the functions that take or return JSON values.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/io/json_instrument.hpp>
#include <ethos/io/json_results.hpp>

#include <nlohmann/json.hpp>

namespace ethos {

/// The instrument described by a JSON document of schema ethos.instrument/1. Throws validation_error
/// (context "instrument JSON") listing every problem, each at its JSON path.
ETHOS_DECL instrument instrument_from_json(const nlohmann::json& doc);

/// The JSON of any instrument (compile-time or run-time), every field written, null for "none".
/// Reading it back gives an equal definition. Throws validation_error for what JSON cannot hold
/// (text that is not UTF-8, an infinite weight).
ETHOS_DECL nlohmann::json to_json(const instrument_view& v);

/// The results JSON of a report built by build_report (schema "ethos.results/1", README "Results JSON"):
/// respondents, constructs with reliability and agreement, eNPS, groups, and the organisation sections it holds:
/// "units" (per unit with its sub-units: counts, participation and per construct n, status, mean, SD, favourable
/// share, rwg(j)), "cuts" (the same per unit x level), "internal_service", "drivers", "trend", then
/// "disclosure_audit" and the warnings. A statistic that cannot be computed is null with a sibling
/// "<name>_reason"; a hidden cell carries its count, status and reason only. Numbers are written in the shortest
/// form that reads back to the same double.
ETHOS_DECL nlohmann::ordered_json results_to_json(const survey_report& r);

/// The results JSON of an assessment on its own (no organisation sections, no audit); see unaudited.
ETHOS_DECL nlohmann::ordered_json results_to_json(unaudited<assessment> a);

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/io/impl/json_instrument.ipp>
#include <ethos/io/impl/json_results.ipp>
#endif
