// ethos/report/fmt.hpp: opt-in fmt::formatter specialisations for ethos's public types.
#pragma once

#include <ethos/framework/vocabulary.hpp>

#include <fmt/format.h>

#include <string_view>

/// Formats any vocabulary enum by its display label; format specs of string_view apply:
/// `fmt::format("{:>24}", ethos::building_block::voice_of_the_customer)`.
template <ethos::vocabulary_enum E>
struct fmt::formatter<E> : fmt::formatter<std::string_view> {
  template <class FormatContext>
  auto format(E e, FormatContext& ctx) const -> decltype(ctx.out()) {
    return fmt::formatter<std::string_view>::format(ethos::to_string(e), ctx);
  }
};
