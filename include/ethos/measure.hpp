/// \file
/// \brief The scoring-template layer (scales, instruments, responses, the scoring engine, bundled instruments).
/// A program's own structs reflected with Boost.Hana are read by <ethos/measure/records.hpp>, which is not part of this
/// umbrella (nor of <ethos/ethos.hpp>), so that including the umbrellas needs no Boost.Hana.
#pragma once

#include <ethos/measure/allocation.hpp>
#include <ethos/measure/builder.hpp>
#include <ethos/measure/gap.hpp>
#include <ethos/measure/instrument.hpp>
#include <ethos/measure/instruments/service_culture_audit.hpp>
#include <ethos/measure/response_matrix.hpp>
#include <ethos/measure/scale.hpp>
#include <ethos/measure/scoring.hpp>
