/// \file
/// \brief The statistics layer (accumulators, reliability, agreement, ICC, comparisons, key drivers).
#pragma once

#include <ethos/stats/accumulator.hpp>
#include <ethos/stats/agreement.hpp>
#include <ethos/stats/compare.hpp>
#include <ethos/stats/covariance.hpp>
#include <ethos/stats/drivers.hpp>
#include <ethos/stats/factor.hpp>
#include <ethos/stats/moments.hpp>
#include <ethos/stats/polychoric.hpp>
#include <ethos/stats/reliability.hpp>
