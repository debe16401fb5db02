/// \file
/// \brief The common service language layer (vocabulary, core values, transaction maps).
#pragma once

#include <ethos/framework/building_block.hpp>
#include <ethos/framework/core_values.hpp>
#include <ethos/framework/leadership_rule.hpp>
#include <ethos/framework/responsibility.hpp>
#include <ethos/framework/service_cycle.hpp>
#include <ethos/framework/service_level.hpp>
#include <ethos/framework/service_mode.hpp>
#include <ethos/framework/transaction.hpp>
#include <ethos/framework/value_category.hpp>
#include <ethos/framework/vocabulary.hpp>
