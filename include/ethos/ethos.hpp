// ethos/ethos.hpp: the umbrella header; includes the whole library except optional pieces (io/json.hpp).
#pragma once

#include <ethos/error.hpp>
#include <ethos/framework.hpp>
#include <ethos/measure.hpp>
#include <ethos/stats.hpp>
#include <ethos/version.hpp>
