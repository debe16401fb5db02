/// \file
/// \brief The io layer: CSV readers and writers (responses, units, unit-level data, internal-service ratings,
/// results) and the portable binary state of the accumulators (io/state.hpp).
///
/// Everything here needs no library beyond the core. JSON (instruments, results, schema ethos.instrument/1 and
/// ethos.results/1) is <ethos/io/json.hpp>, the optional component ethos::json, which needs nlohmann_json.
#pragma once

#include <ethos/io/csv.hpp>
#include <ethos/io/internal_service_csv.hpp>
#include <ethos/io/state.hpp>
#include <ethos/io/unit_table_csv.hpp>
#include <ethos/io/units_csv.hpp>
