/// \file
/// \brief The models layer: the research models (linkage analysis, service-profit chain, culture momentum) and the
/// seeded generator of their simulations.
#pragma once

#include <ethos/models/chain.hpp>
#include <ethos/models/group_analysis.hpp>
#include <ethos/models/linkage.hpp>
#include <ethos/models/measurement.hpp>
#include <ethos/models/momentum.hpp>
#include <ethos/models/random.hpp>
