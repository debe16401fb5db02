// ethos/version.hpp: the library's version as macros and as constexpr values.
#pragma once

#define ETHOS_VERSION_MAJOR 0
#define ETHOS_VERSION_MINOR 1
#define ETHOS_VERSION_PATCH 0

#include <string_view>

namespace ethos {

/// The library version, e.g. `static_assert(ethos::version.major == 0);`.
struct version_info {
  int major;
  int minor;
  int patch;
};

inline constexpr version_info version{ETHOS_VERSION_MAJOR, ETHOS_VERSION_MINOR, ETHOS_VERSION_PATCH};

/// The version as "major.minor.patch".
inline constexpr std::string_view version_string = "0.1.0";

} // namespace ethos
