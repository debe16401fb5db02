/// \file
/// \brief How the library is compiled: header-only (the default) or separately (`ETHOS_SEPARATE_COMPILATION`).
///
/// Header-only: every public header carries its definitions (`inline`); include and go.
/// Separate compilation: link `ethos::compiled` (CMake) or `ethos-compiled` (pkg-config), which defines
/// `ETHOS_SEPARATE_COMPILATION` for you. The public headers then declare the library's non-template functions
/// and leave their definitions (and the heavy headers they need: Boost.Math, nlohmann_json, streams) to the
/// compiled library, which holds them once.
#pragma once

#if defined(ETHOS_SEPARATE_COMPILATION)
/// Linkage of a non-template library function: defined once in the compiled library.
#define ETHOS_DECL
#else
/// Defined when the definitions are in the headers (the default).
#define ETHOS_HEADER_ONLY 1
/// Linkage of a non-template library function: `inline`, defined in the headers.
#define ETHOS_DECL inline
#endif
