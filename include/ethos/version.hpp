/// \file
/// \brief The library's version as macros and as constexpr values.
#pragma once

/// Major version.
#define ETHOS_VERSION_MAJOR 0
/// Minor version.
#define ETHOS_VERSION_MINOR 2
/// Patch version.
#define ETHOS_VERSION_PATCH 0

#include <string_view>

namespace ethos {

/// The library version, e.g. `static_assert(ethos::version.major == 0);`.
struct version_info {
  int major; ///< incompatible changes
  int minor; ///< new features
  int patch; ///< fixes
};

/// This library's version.
inline constexpr version_info version{ETHOS_VERSION_MAJOR, ETHOS_VERSION_MINOR, ETHOS_VERSION_PATCH};

/// The version as "major.minor.patch".
inline constexpr std::string_view version_string = "0.2.0";

} // namespace ethos
