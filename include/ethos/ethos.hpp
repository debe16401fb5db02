/// \file
/// \brief The umbrella header: the whole library, layer by layer, except the optional JSON component
/// (<ethos/io/json.hpp>, which needs nlohmann_json in header-only mode).
///
/// Header-only by default; link ethos::compiled (which defines ETHOS_SEPARATE_COMPILATION) and this header costs a
/// translation unit declarations only (see ethos/detail/config.hpp). The {fmt} formatters of ethos's types are
/// opt-in: include <ethos/report/fmt.hpp>.
#pragma once

#include <ethos/error.hpp>
#include <ethos/framework.hpp>
#include <ethos/io.hpp>
#include <ethos/measure.hpp>
#include <ethos/models.hpp>
#include <ethos/org.hpp>
#include <ethos/report.hpp>
#include <ethos/stats.hpp>
#include <ethos/status.hpp>
#include <ethos/version.hpp>
