/// \file
/// \brief Opt-in fmt::formatter specialisations for ethos's public types: vocabulary enums by their labels, result
/// structs as one line of text (`fmt::format("{}", summary)`).
///
/// With `ETHOS_SEPARATE_COMPILATION` this header includes only <fmt/core.h>: the text is built, and for
/// fmt::format and fmt::print written with the specs, by the compiled library. Other format contexts (e.g.
/// FMT_COMPILE) need <fmt/format.h>, which they include anyway.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/framework/vocabulary.hpp>
#include <ethos/measure/scoring.hpp>
#include <ethos/stats/agreement.hpp>
#include <ethos/stats/reliability.hpp>

#include <fmt/core.h>

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace ethos::detail {

// Writes `s` under the width, fill and alignment specs `f` has parsed, in the context of fmt::format and
// fmt::print. Compiled once with <fmt/format.h>, which holds fmt::formatter<std::string_view>::format.
ETHOS_DECL fmt::format_context::iterator write_text(const fmt::formatter<std::string_view>& f, std::string_view s,
                                                    fmt::format_context& ctx);

// `f.format(s, ctx)`: through write_text in fmt's usual context, directly (needing <fmt/format.h>) in any other.
template <class FormatContext>
auto format_text(const fmt::formatter<std::string_view>& f, std::string_view s, FormatContext& ctx)
    -> decltype(ctx.out()) {
  if constexpr (std::is_same_v<FormatContext, fmt::format_context>) {
    return write_text(f, s, ctx);
  } else {
    return f.format(s, ctx);
  }
}

// "3.62" for a value, "n/a" for an empty one: a missing statistic is never printed as 0.
ETHOS_DECL std::string fmt_opt(const std::optional<double>& x, int decimals);
ETHOS_DECL std::string fmt_share(const std::optional<double>& x);
ETHOS_DECL std::string fmt_reason(const std::string& reason);

// One line of text per result struct, as the formatters below print it.
ETHOS_DECL std::string describe_result(const construct_summary& c);
ETHOS_DECL std::string describe_result(const enps_result& e);
ETHOS_DECL std::string describe_result(const reliability_result& r);
ETHOS_DECL std::string describe_result(const icc_result& r);
ETHOS_DECL std::string describe_result(const group_agreement& g);
ETHOS_DECL std::string describe_result(const agreement_summary& s);

// Formatters of result structs build one string and hand it to the string_view formatter, so width and
// alignment specs apply to the whole text.
template <class T>
struct text_formatter : fmt::formatter<std::string_view> {
  template <class FormatContext>
  auto format(const T& x, FormatContext& ctx) const -> decltype(ctx.out()) {
    const std::string s = describe_result(x);
    return format_text(*this, s, ctx);
  }
};

} // namespace ethos::detail

// The specialisations are written inside namespace fmt (rather than as fmt::formatter<...>) so that Doxygen finds
// their scope.
namespace fmt {

/// Formats any vocabulary enum by its display label; format specs of string_view apply:
/// `fmt::format("{:>24}", ethos::building_block::voice_of_the_customer)`.
template <ethos::vocabulary_enum E>
struct formatter<E> : formatter<std::string_view> {
  /// Writes the label of `e` under the parsed specs.
  template <class FormatContext>
  auto format(E e, FormatContext& ctx) const -> decltype(ctx.out()) {
    return ethos::detail::format_text(*this, ethos::to_string(e), ctx);
  }
};

/// `fmt::format("{}", summary)`: "Voice of the Customer: mean 3.62 (sd 0.71, n 580), index 65.5, 62% favourable".
template <>
struct formatter<ethos::construct_summary> : ethos::detail::text_formatter<ethos::construct_summary> {};
/// "eNPS +12.0 (se 4.1; 150 promoters, 200 passives, 90 detractors)".
template <>
struct formatter<ethos::enps_result> : ethos::detail::text_formatter<ethos::enps_result> {};
/// "alpha 0.812 [0.785, 0.837], standardised 0.815, average r 0.520, 4 items".
template <>
struct formatter<ethos::reliability_result> : ethos::detail::text_formatter<ethos::reliability_result> {};
/// "ICC(1) 0.120, ICC(2) 0.650 (580 respondents in 45 groups)".
template <>
struct formatter<ethos::icc_result> : ethos::detail::text_formatter<ethos::icc_result> {};
/// "rwg(j) 0.910, awg 0.700, AD(M) 0.550 (n 12)".
template <>
struct formatter<ethos::group_agreement> : ethos::detail::text_formatter<ethos::group_agreement> {};
/// "mean 0.850, median 0.880, 80% of groups at or above 0.70 (40 groups)".
template <>
struct formatter<ethos::agreement_summary> : ethos::detail::text_formatter<ethos::agreement_summary> {};

} // namespace fmt

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/report/impl/fmt.ipp>
#endif
