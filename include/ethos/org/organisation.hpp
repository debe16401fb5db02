/// \file
/// \brief The organisation layer in one include: units, roll-ups, disclosure control, releases and the ledger,
/// assessment, internal service, drivers (and drivers per unit), trends, and the whole-survey report.
#pragma once

#include <ethos/org/assessment.hpp>
#include <ethos/org/disclosure.hpp>
#include <ethos/org/drivers.hpp>
#include <ethos/org/internal_service.hpp>
#include <ethos/org/protected_groups.hpp>
#include <ethos/org/release.hpp>
#include <ethos/org/report.hpp>
#include <ethos/org/rollup.hpp>
#include <ethos/org/trend.hpp>
#include <ethos/org/unaudited.hpp>
#include <ethos/org/unit_drivers.hpp>
#include <ethos/org/units.hpp>
