// ethos/report/impl/fmt.ipp: definitions of ethos/report/fmt.hpp (compiled into ethos::compiled, or included by
// the header in header-only mode).
#pragma once

#include <ethos/report/fmt.hpp>

#include <fmt/format.h>

namespace ethos::detail {

ETHOS_DECL fmt::format_context::iterator write_text(const fmt::formatter<std::string_view>& f, std::string_view s,
                                                    fmt::format_context& ctx) {
  return f.format(s, ctx);
}

ETHOS_DECL std::string fmt_opt(const std::optional<double>& x, int decimals) {
  return x ? fmt::format("{:.{}f}", *x, decimals) : std::string("n/a");
}

ETHOS_DECL std::string fmt_share(const std::optional<double>& x) {
  return x ? fmt::format("{:.0f}%", 100.0 * *x) : std::string("n/a");
}

ETHOS_DECL std::string fmt_reason(const std::string& reason) { return reason.empty() ? "" : " (" + reason + ")"; }

ETHOS_DECL std::string describe_result(const construct_summary& c) {
  if (!c.mean) {
    return fmt::format("{}: no score{}", c.label, fmt_reason(c.reason));
  }
  return fmt::format("{}: mean {} (sd {}, n {}), index {}, {} favourable", c.label, fmt_opt(c.mean, 2),
                     fmt_opt(c.sd, 2), c.n, fmt_opt(c.index, 1), fmt_share(c.favorable));
}
ETHOS_DECL std::string describe_result(const enps_result& e) {
  if (!e.score) {
    return fmt::format("eNPS n/a{}", fmt_reason(e.reason));
  }
  return fmt::format("eNPS {:+.1f} (se {:.1f}; {} promoters, {} passives, {} detractors)", *e.score, *e.se, e.promoters,
                     e.passives, e.detractors);
}
ETHOS_DECL std::string describe_result(const reliability_result& r) {
  if (!r.alpha) {
    return fmt::format("alpha n/a{}", fmt_reason(r.reason));
  }
  return fmt::format("alpha {:.3f} [{}, {}], standardised {}, average r {}, {} items", *r.alpha,
                     fmt_opt(r.feldt_lower, 3), fmt_opt(r.feldt_upper, 3), fmt_opt(r.std_alpha, 3),
                     fmt_opt(r.average_r, 3), r.items_used);
}
ETHOS_DECL std::string describe_result(const icc_result& r) {
  if (!r.icc1) {
    return fmt::format("ICC n/a{}", fmt_reason(r.reason));
  }
  return fmt::format("ICC(1) {:.3f}, ICC(2) {} ({} respondents in {} groups)", *r.icc1, fmt_opt(r.icc2, 3), r.n,
                     r.groups);
}
ETHOS_DECL std::string describe_result(const group_agreement& g) {
  return fmt::format("rwg(j) {}, awg {}, AD(M) {} (n {}){}", fmt_opt(g.rwg_j, 3), fmt_opt(g.awg, 3), fmt_opt(g.ad_m, 3),
                     g.n, fmt_reason(g.reason));
}
ETHOS_DECL std::string describe_result(const agreement_summary& s) {
  if (!s.mean) {
    return "no group with a value";
  }
  return fmt::format("mean {:.3f}, median {}, {} of groups at or above 0.70 ({} groups)", *s.mean, fmt_opt(s.median, 3),
                     fmt_share(s.share_ge_070), s.groups);
}

} // namespace ethos::detail
