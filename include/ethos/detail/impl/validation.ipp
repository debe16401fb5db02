// ethos/detail/impl/validation.ipp: definitions of ethos/detail/validation.hpp (compiled into ethos::compiled, or
// included by the header in header-only mode).
#pragma once

#include <ethos/detail/validation.hpp>

#include <string>
#include <string_view>

namespace ethos::detail {

ETHOS_DECL std::string quoted(std::string_view s) {
  // Appended rather than "'" + std::string(s) + "'", which g++ 12 -O3 misreads as an overlapping copy (-Wrestrict).
  std::string out;
  out.reserve(s.size() + 2);
  out.append(1, '\'').append(s).append(1, '\'');
  return out;
}

} // namespace ethos::detail
