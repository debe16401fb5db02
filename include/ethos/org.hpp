/// \file
/// \brief The organisation layer (units, roll-ups, disclosure control and its audit, reports, internal service,
/// drivers, trends), in one include; the same as <ethos/org/organisation.hpp>.
#pragma once

#include <ethos/org/organisation.hpp>
