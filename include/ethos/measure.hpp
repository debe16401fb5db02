/// \file
/// \brief The scoring-template layer (scales, instruments, responses, the scoring engine, bundled instruments).
#pragma once

#include <ethos/measure/allocation.hpp>
#include <ethos/measure/builder.hpp>
#include <ethos/measure/gap.hpp>
#include <ethos/measure/instrument.hpp>
#include <ethos/measure/instruments/service_culture_audit.hpp>
#include <ethos/measure/records.hpp>
#include <ethos/measure/response_matrix.hpp>
#include <ethos/measure/scale.hpp>
#include <ethos/measure/scoring.hpp>
