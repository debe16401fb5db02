// ethos/report/fmt.hpp: opt-in fmt::formatter specialisations for ethos's public types.
#pragma once

#include <ethos/framework/vocabulary.hpp>
#include <ethos/measure/scoring.hpp>
#include <ethos/stats/agreement.hpp>
#include <ethos/stats/reliability.hpp>

#include <fmt/format.h>

#include <optional>
#include <string>
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

namespace ethos::detail {

// "3.62" for a value, "n/a" for an empty one: a missing statistic is never printed as 0.
inline std::string fmt_opt(const std::optional<double>& x, int decimals) {
  return x ? fmt::format("{:.{}f}", *x, decimals) : std::string("n/a");
}
inline std::string fmt_share(const std::optional<double>& x) {
  return x ? fmt::format("{:.0f}%", 100.0 * *x) : std::string("n/a");
}
inline std::string fmt_reason(const std::string& reason) { return reason.empty() ? "" : " (" + reason + ")"; }

inline std::string describe_result(const construct_summary& c) {
  if (!c.mean) {
    return fmt::format("{}: no score{}", c.label, fmt_reason(c.reason));
  }
  return fmt::format("{}: mean {} (sd {}, n {}), index {}, {} favourable", c.label, fmt_opt(c.mean, 2),
                     fmt_opt(c.sd, 2), c.n, fmt_opt(c.index, 1), fmt_share(c.favorable));
}
inline std::string describe_result(const enps_result& e) {
  if (!e.score) {
    return fmt::format("eNPS n/a{}", fmt_reason(e.reason));
  }
  return fmt::format("eNPS {:+.1f} (se {:.1f}; {} promoters, {} passives, {} detractors)", *e.score, *e.se, e.promoters,
                     e.passives, e.detractors);
}
inline std::string describe_result(const reliability_result& r) {
  if (!r.alpha) {
    return fmt::format("alpha n/a{}", fmt_reason(r.reason));
  }
  return fmt::format("alpha {:.3f} [{}, {}], standardised {}, average r {}, {} items", *r.alpha,
                     fmt_opt(r.feldt_lower, 3), fmt_opt(r.feldt_upper, 3), fmt_opt(r.std_alpha, 3),
                     fmt_opt(r.average_r, 3), r.items_used);
}
inline std::string describe_result(const icc_result& r) {
  if (!r.icc1) {
    return fmt::format("ICC n/a{}", fmt_reason(r.reason));
  }
  return fmt::format("ICC(1) {:.3f}, ICC(2) {} ({} respondents in {} groups)", *r.icc1, fmt_opt(r.icc2, 3), r.n,
                     r.groups);
}
inline std::string describe_result(const group_agreement& g) {
  return fmt::format("rwg(j) {}, awg {}, AD(M) {} (n {}){}", fmt_opt(g.rwg_j, 3), fmt_opt(g.awg, 3), fmt_opt(g.ad_m, 3),
                     g.n, fmt_reason(g.reason));
}
inline std::string describe_result(const agreement_summary& s) {
  if (!s.mean) {
    return "no group with a value";
  }
  return fmt::format("mean {:.3f}, median {}, {} of groups at or above 0.70 ({} groups)", *s.mean, fmt_opt(s.median, 3),
                     fmt_share(s.share_ge_070), s.groups);
}

// Formatters of result structs build one string and hand it to the string_view formatter, so width and
// alignment specs apply to the whole text.
template <class T>
struct text_formatter : fmt::formatter<std::string_view> {
  template <class FormatContext>
  auto format(const T& x, FormatContext& ctx) const -> decltype(ctx.out()) {
    const std::string s = describe_result(x);
    return fmt::formatter<std::string_view>::format(s, ctx);
  }
};

} // namespace ethos::detail

/// `fmt::format("{}", summary)`: "Voice of the Customer: mean 3.62 (sd 0.71, n 580), index 65.5, 62% favourable".
template <>
struct fmt::formatter<ethos::construct_summary> : ethos::detail::text_formatter<ethos::construct_summary> {};
/// "eNPS +12.0 (se 4.1; 150 promoters, 200 passives, 90 detractors)".
template <>
struct fmt::formatter<ethos::enps_result> : ethos::detail::text_formatter<ethos::enps_result> {};
/// "alpha 0.812 [0.785, 0.837], standardised 0.815, average r 0.520, 4 items".
template <>
struct fmt::formatter<ethos::reliability_result> : ethos::detail::text_formatter<ethos::reliability_result> {};
/// "ICC(1) 0.120, ICC(2) 0.650 (580 respondents in 45 groups)".
template <>
struct fmt::formatter<ethos::icc_result> : ethos::detail::text_formatter<ethos::icc_result> {};
/// "rwg(j) 0.910, awg 0.700, AD(M) 0.550 (n 12)".
template <>
struct fmt::formatter<ethos::group_agreement> : ethos::detail::text_formatter<ethos::group_agreement> {};
/// "mean 0.850, median 0.880, 80% of groups at or above 0.70 (40 groups)".
template <>
struct fmt::formatter<ethos::agreement_summary> : ethos::detail::text_formatter<ethos::agreement_summary> {};
