// ethos/detail/int128.hpp: 128-bit integer aliases for exact sums of products (GCC and Clang extension).
#pragma once

namespace ethos::detail {

// __extension__ keeps -Wpedantic quiet: the type is a documented extension of both supported compilers.
__extension__ using int128 = __int128;
__extension__ using uint128 = unsigned __int128;

} // namespace ethos::detail
