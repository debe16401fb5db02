// ethos/report/impl/measurement_text.ipp: definitions of ethos/report/measurement_text.hpp (compiled into
// ethos::compiled, or included by the header in header-only mode).
#pragma once

#include <ethos/report/fmt.hpp>
#include <ethos/report/measurement_text.hpp>
#include <ethos/report/text.hpp>

#include <fmt/format.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace ethos {

namespace detail {

// One line of fit figures.
inline std::string fit_line(const cfa_fit& f) {
  std::string p = std::isfinite(f.pvalue) ? fmt::format("{:.3g}", f.pvalue) : "n/a";
  std::string ci =
      f.rmsea_lower && f.rmsea_upper ? fmt::format(" [{:.3f}, {:.3f}]", *f.rmsea_lower, *f.rmsea_upper) : std::string();
  return fmt::format("chi-square {:.2f} on {} df (p {}), CFI {:.3f}, TLI {}, RMSEA {}{}, SRMR {:.3f}", f.chisq, f.df, p,
                     f.cfi, fmt_opt(f.tli, 3), fmt_opt(f.rmsea, 3), ci, f.srmr);
}

} // namespace detail

ETHOS_DECL std::string measurement_text(const measurement_model& mm, std::size_t k) {
  std::string out = "\nMeasurement model (confirmatory factor analysis of the constructs, as lavaan's cfa)\n";
  if (mm.complete < k) {
    return out + fmt::format("  Not shown: fewer than {} respondents answered every item.\n", k);
  }
  const auto& r = mm.cfa;
  if (!r.fit) {
    return out + detail::wrap(fmt::format("No fit ({} rows answered every item): {}.", mm.complete, r.reason), 100,
                              "  ", "    ");
  }
  const auto& f = *r.fit;
  out += fmt::format("  {} respondents answered all {} items. {}\n", mm.complete, mm.items.size(), detail::fit_line(f));
  const double rmsea = f.rmsea.value_or(0.0);
  const char* reading = f.cfi >= 0.95 && rmsea <= 0.06 && f.srmr <= 0.08 ? "fits well"
                        : f.cfi >= 0.90 && rmsea <= 0.08                 ? "fits acceptably"
                                                                         : "does not fit well";
  out +=
      detail::wrap(fmt::format("Reading: the instrument's structure {} (CFI >= .95 with RMSEA <= .06 and SRMR <= .08 "
                               "is a good fit, CFI >= .90 with RMSEA <= .08 acceptable; Hu and Bentler, 1999).",
                               reading),
                   100, "  ", "    ");
  if (r.code != reason_code::none) {
    out += detail::wrap("Warning: " + r.reason, 100, "  ", "    ");
  }
  out += "  Standardised loadings:\n";
  for (std::size_t c = 0; c < mm.factors.size(); ++c) {
    std::string line = mm.factors[c] + ":";
    for (std::size_t i = 0; i < mm.items.size() && i < r.loadings.size(); ++i) {
      if (mm.factor_of[i] == c) {
        line += fmt::format(" {} {:.2f}", mm.items[i], r.loadings[i].standardized);
      }
    }
    out += detail::wrap(line, 100, "    ", "      ");
  }
  double highest = 0.0;
  std::string pair;
  for (std::size_t a = 0; a < mm.factors.size(); ++a) {
    for (std::size_t b = a + 1; b < mm.factors.size(); ++b) {
      const double v = r.factor_covariances[a][b].standardized;
      if (std::abs(v) > std::abs(highest)) {
        highest = v;
        pair = mm.factors[a] + " and " + mm.factors[b];
      }
    }
  }
  if (!pair.empty()) {
    out += fmt::format("  Highest factor correlation: {:.2f} ({}).\n", highest, pair);
  }
  return out;
}

ETHOS_DECL std::string invariance_text(const measurement_invariance_model& mi, std::size_t k) {
  std::string out = "\nMeasurement invariance by " + mi.by + " (configural, metric, scalar, as lavaan's group.equal)\n";
  std::uint64_t n = 0;
  for (const auto c : mi.complete) {
    n += c;
    if (c < k) {
      return out + fmt::format("  Not shown: a level compared has fewer than {} complete rows.\n", k);
    }
  }
  if (mi.code != reason_code::none) {
    return out + detail::wrap("No comparison: " + mi.reason + ".", 100, "  ", "    ");
  }
  std::string groups;
  for (const auto& l : mi.levels) {
    groups += (groups.empty() ? "" : ", ") + l;
  }
  std::string head = fmt::format("{} levels ({}), {} respondents who answered every item", mi.levels.size(), groups, n);
  if (!mi.left_out.empty()) {
    head += fmt::format("; {} level(s) with too few such rows left out", mi.left_out.size());
  }
  out += detail::wrap(head + ".", 100, "  ", "    ");
  const auto& inv = mi.invariance;
  out += fmt::format("  {:<12}{:>10}{:>6}{:>8}{:>8}{:>8}{:>8}\n", "model", "chi2", "df", "CFI", "TLI", "RMSEA", "SRMR");
  for (const multigroup_cfa_result* m : {&inv.configural, &inv.metric, &inv.scalar}) {
    if (!m->fit) {
      out += detail::wrap(fmt::format("{:<12}no fit: {}", to_string(m->level), m->reason), 100, "  ", "    ");
      continue;
    }
    const auto& f = *m->fit;
    out += fmt::format("  {:<12}{:>10.2f}{:>6}{:>8.3f}{:>8}{:>8}{:>8.3f}\n", to_string(m->level), f.chisq, f.df, f.cfi,
                       detail::fmt_opt(f.tli, 3), detail::fmt_opt(f.rmsea, 3), f.srmr);
  }
  out += fmt::format("  {:<22}{:>9}{:>6}{:>10}{:>8}{:>8}\n", "change", "d.chi2", "d.df", "p", "dCFI", "dRMSEA");
  for (const auto& st : inv.steps) {
    out += fmt::format("  {:<22}{:>9.2f}{:>6}{:>10.3g}{:>8.3f}{:>8.3f}{}\n",
                       std::string(to_string(st.from)) + " -> " + std::string(to_string(st.to)), st.delta_chisq,
                       st.delta_df, st.pvalue, st.delta_cfi, st.delta_rmsea, st.noninvariant ? "  non-invariant" : "");
  }
  out += detail::wrap("Reading: " + inv.reading + ".", 100, "  ", "    ");
  return out;
}

} // namespace ethos
