// ethos/detail/validation.hpp: shared helpers for validators that report every problem at once.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/detail/text.hpp>
#include <ethos/error.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ethos::detail {

/// `s` in single quotes, as problems quote names.
ETHOS_DECL std::string quoted(std::string_view s);

/// Reports empty names ("<kind> #i: has an empty name") and names that repeat an earlier one, comparing
/// trimmed and case-insensitively ("<kind> #i 'x': duplicates <kind> #j 'X'"). `name(element)` gives the name.
template <class Range, class Name>
void check_unique_names(const Range& elements, Name name, std::string_view kind, std::vector<problem>& out) {
  const std::size_t n = std::size(elements);
  for (std::size_t i = 0; i < n; ++i) {
    const std::string_view ni = name(elements[i]);
    const std::string where = std::string(kind) + " #" + std::to_string(i + 1);
    if (trim(ni).empty()) {
      out.push_back({where, "has an empty name"});
      continue;
    }
    for (std::size_t j = 0; j < i; ++j) {
      const std::string_view nj = name(elements[j]);
      if (iequals(trim(nj), trim(ni))) {
        out.push_back({where + " " + detail::quoted(ni),
                       "duplicates " + std::string(kind) + " #" + std::to_string(j + 1) + " " + detail::quoted(nj)});
        break;
      }
    }
  }
}

} // namespace ethos::detail

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/detail/impl/validation.ipp>
#endif
