/// \file
/// \brief ethos data as JSON (nlohmann/json): instruments (schema ethos.instrument/1) and results
/// (ethos.results/1). The optional component ethos::json; an umbrella of its parts.
///
/// These are the only ethos headers that need nlohmann/json, so that the rest of the library does not.
/// Readers report every problem of a document at once in a validation_error whose `where` is a JSON path
/// (`$.items[3].reverse`); JSON syntax errors and I/O failures are plain ethos::error naming `file:line:column`.
///
/// - io/json_instrument.hpp: parse_instrument, load_instrument(_file), instrument_to_json_string
/// - io/json_results.hpp: results_to_json_string
/// - io/json_value.hpp: instrument_from_json, to_json and results_to_json, on nlohmann values
/// - io/json_plumbing.hpp, io/json_dom.hpp: the readers' plumbing (ethos::detail)
///
/// With ETHOS_SEPARATE_COMPILATION this header declares the text API only and includes no nlohmann_json;
/// include <ethos/io/json_value.hpp> too for the functions on nlohmann values.
#pragma once

#include <ethos/io/json_accumulator.hpp>
#include <ethos/io/json_instrument.hpp>
#include <ethos/io/json_plumbing.hpp>
#include <ethos/io/json_results.hpp>

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/io/json_dom.hpp>
#include <ethos/io/json_value.hpp>
#endif
