// ethos/io/impl/json_results.ipp: definitions of ethos/io/json_results.hpp and of results_to_json
// (ethos/io/json_value.hpp) (compiled into ethos::compiled, or included by the headers in header-only mode).
#pragma once
#include <ethos/io/json_results.hpp>

// The helpers this file shares with the accumulators' JSON (detail::put_optional, detail::reliability_object).
#include <ethos/io/impl/json_accumulator.ipp>

#include <ethos/detail/parallel.hpp>
#include <ethos/error.hpp>
#include <ethos/io/json_value.hpp>
#include <ethos/models/measurement.hpp>
#include <ethos/org/assessment.hpp>
#include <ethos/org/internal_service.hpp>
#include <ethos/org/report.hpp>
#include <ethos/org/rollup.hpp>
#include <ethos/org/trend.hpp>
#include <ethos/org/unit_drivers.hpp>
#include <ethos/status.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <optional>
#include <ostream>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace ethos {
namespace detail {

// put_optional and the reliability object: ethos/io/impl/json_accumulator.ipp.
ETHOS_DECL nlohmann::ordered_json reliability_to_json(const construct_assessment& c) {
  const std::size_t k = std::min(c.reliability.items.size(), c.items.size());
  return reliability_object(c.reliability, std::span<const std::string>(c.items.data(), k), c.omega.omega,
                            c.omega.reason, c.ordinal_alpha.alpha, c.ordinal_alpha.reason);
}

// The sentences of warnings, as "warnings" lists them (their codes are not part of ethos.results/1).
ETHOS_DECL nlohmann::ordered_json warning_messages(std::span<const warning> ws) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& w : ws) {
    out.push_back(w.message);
  }
  return out;
}

ETHOS_DECL std::string suppression_key(suppression s) { return std::string(key(s)); }

// A unit (or unit x level) cell: n and status always; statistics only when shown.
ETHOS_DECL nlohmann::ordered_json unit_cell_to_json(const unit_cell& c, std::size_t k) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  j["n"] = c.n;
  j["status"] = suppression_key(c.status);
  if (!c.shown()) {
    j["status_reason"] = hidden_reason(c.status, k);
    return j;
  }
  const std::string none = c.n == 0 ? "no respondent has a score" : "";
  put_optional(j, "mean", c.mean, none);
  put_optional(j, "sd", c.sd, c.n < 2 ? std::string("fewer than 2 respondents") : none);
  put_optional(j, "favorable", c.favorable, "no answers");
  put_optional(j, "rwg_j", c.rwg_j, std::string(c.rwg_j_reason()));
  return j;
}

ETHOS_DECL nlohmann::ordered_json cells_by_key(const std::vector<unit_cell>& cells, const org_rollup& r) {
  nlohmann::ordered_json cs = nlohmann::ordered_json::object();
  for (std::size_t c = 0; c < cells.size() && c < r.constructs.size(); ++c) {
    cs[r.constructs[c].key] = unit_cell_to_json(cells[c], r.min_group_size);
  }
  return cs;
}

ETHOS_DECL nlohmann::ordered_json internal_cell_to_json(const internal_cell& c, std::size_t k) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  j["ratings"] = c.ratings;
  j["persons"] = c.persons;
  j["status"] = suppression_key(c.status);
  if (c.status != suppression::none) {
    j["status_reason"] = hidden_reason(c.status, k);
    return j;
  }
  put_optional(j, "mean", c.mean, "no ratings");
  put_optional(j, "median", c.median, "no ratings");
  j["distribution"] = c.distribution;
  return j;
}

ETHOS_DECL nlohmann::ordered_json opt_json(const std::optional<double>& x) {
  return x ? nlohmann::ordered_json(*x) : nlohmann::ordered_json(nullptr);
}

} // namespace detail

namespace detail {

// Why a group's cell on a construct is hidden, in the words of the JSON.
ETHOS_DECL std::string group_cell_hidden_reason(suppression status, std::size_t k) {
  return hidden_reason(status, k) + (status == suppression::too_small ? " with a score on this construct" : "");
}

// "groups", one element: the group's counts and, when shown, its cells.
ETHOS_DECL nlohmann::ordered_json group_json(const group_assessment& g, const assessment& a) {
  using json = nlohmann::ordered_json;
  json j = json::object();
  j["id"] = g.id;
  j["n"] = g.n;
  j["suppressed"] = g.suppressed != suppression::none;
  if (g.suppressed != suppression::none) {
    j["suppressed_reason"] = hidden_reason(g.suppressed, a.min_group_size);
    return j;
  }
  json cs = json::object();
  for (std::size_t c = 0; c < g.constructs.size() && c < a.constructs.size(); ++c) {
    const auto& gc = g.constructs[c];
    json x = json::object();
    x["n"] = gc.n;
    if (gc.status != suppression::none) {
      x["status"] = std::string(key(gc.status));
      x["status_reason"] = group_cell_hidden_reason(gc.status, a.min_group_size);
      cs[a.constructs[c].summary.key] = std::move(x);
      continue;
    }
    put_optional(x, "mean", gc.mean, "no respondent of the group has a score");
    put_optional(x, "favorable", gc.favorable, "no answers");
    put_optional(x, "rwg_j", gc.rwg_j, gc.rwg_j_reason);
    cs[a.constructs[c].summary.key] = std::move(x);
  }
  j["constructs"] = std::move(cs);
  return j;
}

// results_to_json(a); with `lazy`, the array of groups is a placeholder (a discarded value) for the streaming writer.
ETHOS_DECL nlohmann::ordered_json assessment_json(const assessment& a, bool lazy) {
  using json = nlohmann::ordered_json;
  json out = json::object();
  out["schema"] = "ethos.results/1";
  out["instrument"] = {{"id", a.instrument_id}, {"title", a.title}};
  out["scale"] = {{"min", a.scale.min()},
                  {"max", a.scale.max()},
                  {"favorable_min", a.scale.bands().favorable_min},
                  {"unfavorable_max", a.scale.bands().unfavorable_max}};
  out["respondents"] = {{"rows", a.counts.rows}, {"used", a.counts.used}, {"invalid", a.counts.invalid}};
  if (!a.group_by.empty()) {
    out["group_by"] = a.group_by;
  } else {
    out["group_by"] = nullptr;
  }
  out["min_group_size"] = a.min_group_size;
  const bool over_all = a.agreement_over == agreement_scope::all;
  if (over_all) { // asked for: the default (shown groups) writes nothing here, as before the option
    out["agreement_over"] = std::string(key(a.agreement_over));
  }

  json constructs = json::array();
  for (const auto& c : a.constructs) {
    const auto& s = c.summary;
    json j = json::object();
    j["key"] = s.key;
    j["label"] = s.label;
    j["items"] = c.items;
    j["n"] = s.n;
    if (c.status != suppression::none) {
      j["status"] = std::string(key(c.status));
    }
    detail::put_optional(j, "mean", s.mean, s.reason);
    detail::put_optional(j, "sd", s.sd, s.reason);
    detail::put_optional(j, "index", s.index, s.reason);
    const std::string no_answers = s.answers == 0 ? std::string("no answers") : s.reason;
    detail::put_optional(j, "favorable", s.favorable, no_answers);
    detail::put_optional(j, "neutral", s.neutral, no_answers);
    detail::put_optional(j, "unfavorable", s.unfavorable, no_answers);
    j["reliability"] = detail::reliability_to_json(c);
    if (c.agreement) {
      const auto& ag = *c.agreement;
      json g = json::object();
      detail::put_optional(g, "icc1", ag.icc.icc1, ag.icc.reason);
      detail::put_optional(g, "icc2", ag.icc.icc2, ag.icc.reason);
      detail::put_optional(g, "rwg_j_mean", ag.rwg_j.mean, ag.rwg_j_reason);
      detail::put_optional(g, "rwg_j_median", ag.rwg_j.median, ag.rwg_j_reason);
      g["groups_with_rwg_j"] = ag.rwg_j.groups;
      if (over_all) {
        g["over"] = std::string(key(ag.over));
        if (!ag.over_reason.empty()) {
          g["over_reason"] = ag.over_reason;
        }
      }
      j["agreement"] = std::move(g);
    }
    constructs.push_back(std::move(j));
  }
  out["constructs"] = std::move(constructs);

  if (a.enps) {
    const auto& e = *a.enps;
    json j = json::object();
    detail::put_optional(j, "score", e.score, e.reason);
    if (a.enps_status == suppression::none) {
      j["promoters"] = e.promoters;
      j["passives"] = e.passives;
      j["detractors"] = e.detractors;
    } else { // counts of answers are answers: a hidden eNPS shows how many answered, nothing more
      j["status"] = std::string(key(a.enps_status));
    }
    j["n"] = e.n;
    detail::put_optional(j, "se", e.se, e.reason);
    out["enps"] = std::move(j);
  }

  if (!a.service_levels.empty()) {
    json levels = json::array();
    for (std::size_t i = 0; i < a.service_levels.size(); ++i) {
      const auto& sl = a.service_levels[i];
      json j = json::object();
      j["item"] = sl.item;
      j["category"] = sl.category ? json(std::string(key(*sl.category))) : json(nullptr);
      j["n"] = i < a.service_level_n.size() ? a.service_level_n[i] : sl.distribution.total();
      const auto status = i < a.service_level_status.size() ? a.service_level_status[i] : suppression::none;
      if (status != suppression::none) {
        j["status"] = std::string(key(status));
        j["status_reason"] = status == suppression::too_small ? hidden_reason(status, a.min_group_size) + " answered it"
                                                              : hidden_reason(status, a.min_group_size);
      } else {
        j["distribution"] = sl.distribution.counts;
        const auto med = sl.distribution.median();
        j["median"] = med ? json(std::string(key(*med))) : json(nullptr);
      }
      levels.push_back(std::move(j));
    }
    out["service_levels"] = std::move(levels);
  }

  if (!a.group_by.empty()) {
    if (lazy) {
      out["groups"] = json(json::value_t::discarded); // written element by element (write_results_json)
    } else {
      json groups = json::array();
      for (const auto& g : a.groups) {
        groups.push_back(detail::group_json(g, a));
      }
      out["groups"] = std::move(groups);
    }
    out["ungrouped"] = a.ungrouped;
  }
  out["warnings"] = detail::warning_messages(a.warnings);
  return out;
}

// The sections of results_to_json(a, extra), each from its source.

// "units": every unit with its counts, participation and cells.
// "units", one element: the unit's counts, participation and cells.
ETHOS_DECL nlohmann::ordered_json unit_json(const unit_result& u, const org_rollup& r) {
  using json = nlohmann::ordered_json;
  json j = json::object();
  j["id"] = u.id;
  j["name"] = u.name;
  j["parent"] = u.depth == 0 ? json(nullptr) : json(u.parent);
  j["depth"] = u.depth;
  j["respondents"] = u.respondents;
  j["direct"] = u.direct;
  j["invited"] = u.invited ? json(*u.invited) : json(nullptr);
  put_optional(j, "participation", u.participation,
               u.invited ? "more respondents than invited" : "no invited headcount");
  j["constructs"] = cells_by_key(u.constructs, r);
  return j;
}

// "cuts", "cells", one element: a unit at one level.
ETHOS_DECL nlohmann::ordered_json cut_cell_json(const cut_row& row, const org_rollup& r) {
  using json = nlohmann::ordered_json;
  json j = json::object();
  j["unit"] = row.unit;
  j["level"] = row.level;
  j["respondents"] = row.respondents;
  j["constructs"] = cells_by_key(row.constructs, r);
  return j;
}

ETHOS_DECL nlohmann::ordered_json units_json(const org_rollup& r) {
  nlohmann::ordered_json units = nlohmann::ordered_json::array();
  for (const auto& u : r.units) {
    units.push_back(unit_json(u, r));
  }
  return units;
}

// "cuts": the roll-up's cut (which it must have), per unit x level; with `lazy`, "cells" is a placeholder.
ETHOS_DECL nlohmann::ordered_json cut_json(const org_rollup& r, bool lazy) {
  using json = nlohmann::ordered_json;
  json cut = json::object();
  cut["column"] = r.cut->column;
  cut["levels"] = r.cut->levels;
  cut["unlabelled"] = r.cut->unlabelled;
  cut["proven"] = r.cut->proven;
  if (lazy) {
    cut["cells"] = json(json::value_t::discarded);
    return cut;
  }
  json cells = json::array();
  for (const auto& row : r.cut->rows) {
    cells.push_back(cut_cell_json(row, r));
  }
  cut["cells"] = std::move(cells);
  return cut;
}

// "internal_service": the matrix's rated cells, the margins, asymmetric pairs and possible silos.
ETHOS_DECL nlohmann::ordered_json internal_service_json(const internal_service_result& is, std::size_t k) {
  using json = nlohmann::ordered_json;
  json j = json::object();
  j["units"] = is.units;
  json matrix = json::array();
  for (std::size_t r = 0; r < is.matrix.size(); ++r) {
    for (std::size_t c = 0; c < is.matrix[r].size(); ++c) {
      if (is.matrix[r][c].ratings == 0) {
        continue;
      }
      json cell = json::object();
      cell["rater"] = is.units[r];
      cell["served"] = is.units[c];
      const json fields = internal_cell_to_json(is.matrix[r][c], k);
      for (const auto& [name, value] : fields.items()) {
        cell[name] = value;
      }
      matrix.push_back(std::move(cell));
    }
  }
  j["matrix"] = std::move(matrix);
  json received = json::object();
  json given = json::object();
  for (std::size_t u = 0; u < is.units.size(); ++u) {
    received[is.units[u]] = internal_cell_to_json(is.received[u], k);
    given[is.units[u]] = internal_cell_to_json(is.given[u], k);
  }
  j["received"] = std::move(received);
  j["given"] = std::move(given);
  j["overall"] = internal_cell_to_json(is.overall, k);
  json asym = json::array();
  for (const auto& f : is.asymmetric) {
    asym.push_back({{"a", f.a}, {"b", f.b}, {"a_rates_b", f.a_rates_b}, {"b_rates_a", f.b_rates_a}});
  }
  j["asymmetric"] = std::move(asym);
  j["possible_silos"] = is.possible_silos;
  j["dropped_self"] = is.dropped_self;
  return j;
}

// "drivers": each unit's key-driver analysis.
// "drivers", one element: a unit's driver analysis.
ETHOS_DECL nlohmann::ordered_json driver_json(const unit_drivers& ud) {
  using json = nlohmann::ordered_json;
  const auto& d = ud.analysis;
  json j = json::object();
  j["unit"] = ud.unit;
  j["outcome"] = d.outcome;
  j["n"] = d.n;
  j["dropped"] = d.dropped;
  put_optional(j, "r_squared", d.r_squared, d.reason);
  j["importance_centre"] = opt_json(d.importance_centre);
  j["performance_centre"] = opt_json(d.performance_centre);
  json list = json::array();
  for (const auto& e : d.drivers) {
    json x = json::object();
    x["key"] = e.key;
    x["r"] = opt_json(e.r);
    x["weight"] = opt_json(e.weight);
    x["share"] = opt_json(e.share);
    x["performance"] = opt_json(e.performance);
    x["quadrant"] = e.quadrant ? json(std::string(key(*e.quadrant))) : json(nullptr);
    list.push_back(std::move(x));
  }
  j["drivers"] = std::move(list);
  if (!d.reason.empty()) {
    j["reason"] = d.reason;
  }
  return j;
}

// "trend": per unit and construct, the change between the waves and its test.
ETHOS_DECL nlohmann::ordered_json trend_json(const rollup_trend& t) {
  using json = nlohmann::ordered_json;
  json j = json::object();
  json keys = json::array();
  for (const auto& c : t.constructs) {
    keys.push_back(c.key);
  }
  j["constructs"] = std::move(keys);
  json units = json::array();
  for (const auto& u : t.units) {
    json ju = json::object();
    ju["unit"] = u.unit;
    json cs = json::object();
    for (std::size_t c = 0; c < u.constructs.size() && c < t.constructs.size(); ++c) {
      const auto& ch = u.constructs[c];
      json x = json::object();
      x["n_before"] = ch.n_before;
      x["n_after"] = ch.n_after;
      x["before"] = opt_json(ch.before);
      x["after"] = opt_json(ch.after);
      x["change"] = opt_json(ch.change);
      x["t"] = opt_json(ch.welch.t);
      x["df"] = opt_json(ch.welch.df);
      x["p"] = opt_json(ch.welch.p);
      x["d"] = opt_json(ch.d.value);
      x["significant"] = ch.significant ? json(*ch.significant) : json(nullptr);
      if (!ch.reason.empty()) {
        x["reason"] = ch.reason;
      }
      cs[t.constructs[c].key] = std::move(x);
    }
    ju["constructs"] = std::move(cs);
    units.push_back(std::move(ju));
  }
  j["units"] = std::move(units);
  j["only_before"] = t.only_before;
  j["only_after"] = t.only_after;
  return j;
}

// "disclosure_audit": the audit's summary, and with earlier releases the audit of them all.
ETHOS_DECL nlohmann::ordered_json audit_json(const report_audit& audit) {
  nlohmann::ordered_json j = {{"cells", audit.cells},
                              {"domains", audit.domains},
                              {"findings", audit.findings},
                              {"complete", audit.complete},
                              {"safe", audit.findings == 0 && audit.complete},
                              {"min_group_size", audit.min_group_size},
                              {"earlier_releases", audit.earlier_releases}};
  if (audit.union_cells) {
    j["with_earlier_releases"] = {{"cells", *audit.union_cells},
                                  {"min_group_size", audit.union_min_group_size},
                                  {"findings", audit.union_findings},
                                  {"complete", audit.union_complete},
                                  {"safe", audit.union_findings == 0 && audit.union_complete}};
  }
  return j;
}

// results_to_json(a, extra); with `lazy`, the long arrays (groups, units, cut cells, drivers) are placeholders.
// A factor model's fit: chi-square and its test, CFI, TLI, RMSEA with its 90% interval, SRMR.
ETHOS_DECL void put_fit(nlohmann::ordered_json& j, const cfa_fit& f) {
  j["chisq"] = f.chisq;
  j["df"] = f.df;
  j["pvalue"] = std::isfinite(f.pvalue) ? nlohmann::ordered_json(f.pvalue) : nlohmann::ordered_json(nullptr);
  j["cfi"] = f.cfi;
  j["tli"] = f.tli ? nlohmann::ordered_json(*f.tli) : nlohmann::ordered_json(nullptr);
  j["rmsea"] = f.rmsea ? nlohmann::ordered_json(*f.rmsea) : nlohmann::ordered_json(nullptr);
  j["rmsea_ci"] = f.rmsea_lower && f.rmsea_upper ? nlohmann::ordered_json::array({*f.rmsea_lower, *f.rmsea_upper})
                                                 : nlohmann::ordered_json(nullptr);
  j["srmr"] = f.srmr;
}

// "measurement_model": the CFA of the instrument's structure over the respondents who answered every item.
ETHOS_DECL nlohmann::ordered_json measurement_json(const measurement_model& mm, std::size_t k) {
  using json = nlohmann::ordered_json;
  json j = json::object();
  j["n"] = mm.complete;
  j["factors"] = mm.factors;
  if (mm.complete < k) {
    j["reason"] = "fewer than " + std::to_string(k) + " respondents answered every item: the model is not shown";
    return j;
  }
  const auto& r = mm.cfa;
  j["converged"] = r.converged;
  if (!r.fit) {
    j["reason"] = r.reason;
    j["code"] = std::string(to_string(r.code));
    return j;
  }
  put_fit(j, *r.fit);
  json loadings = json::object();
  json std_loadings = json::object();
  for (std::size_t i = 0; i < mm.items.size() && i < r.loadings.size(); ++i) {
    loadings[mm.items[i]] = r.loadings[i].estimate;
    std_loadings[mm.items[i]] = r.loadings[i].standardized;
  }
  j["loadings"] = std::move(loadings);
  j["std_loadings"] = std::move(std_loadings);
  json correlations = json::object();
  for (std::size_t a = 0; a < mm.factors.size(); ++a) {
    for (std::size_t b = a + 1; b < mm.factors.size(); ++b) {
      correlations[mm.factors[a] + "~~" + mm.factors[b]] = r.factor_covariances[a][b].standardized;
    }
  }
  j["factor_correlations"] = std::move(correlations);
  json warnings = json::array();
  if (r.code != reason_code::none) {
    warnings.push_back(r.reason);
  }
  j["warnings"] = std::move(warnings);
  return j;
}

// "invariance": configural, metric and scalar models across the levels of a column, and the steps between them.
ETHOS_DECL nlohmann::ordered_json invariance_json(const measurement_invariance_model& mi, std::size_t k) {
  using json = nlohmann::ordered_json;
  json j = json::object();
  j["by"] = mi.by;
  j["groups"] = mi.levels;
  j["left_out"] = mi.left_out;
  std::uint64_t n = 0;
  bool small = false;
  for (const auto c : mi.complete) {
    n += c;
    small = small || c < k;
  }
  j["n"] = n;
  if (small) {
    j["reason"] = "a level compared has fewer than " + std::to_string(k) + " complete rows: the models are not shown";
    return j;
  }
  if (mi.code != reason_code::none) {
    j["reason"] = mi.reason;
    j["code"] = std::string(to_string(mi.code));
    return j;
  }
  const auto& inv = mi.invariance;
  json levels = json::object();
  for (const multigroup_cfa_result* m : {&inv.configural, &inv.metric, &inv.scalar}) {
    json l = json::object();
    l["free_parameters"] = m->free_parameters;
    if (m->fit) {
      put_fit(l, *m->fit);
    }
    if (m->code != reason_code::none) {
      l["reason"] = m->reason;
      l["code"] = std::string(to_string(m->code));
    }
    levels[std::string(to_string(m->level))] = std::move(l);
  }
  j["levels"] = std::move(levels);
  json steps = json::array();
  for (const auto& st : inv.steps) {
    json s = json::object();
    s["from"] = std::string(to_string(st.from));
    s["to"] = std::string(to_string(st.to));
    s["delta_chisq"] = st.delta_chisq;
    s["delta_df"] = st.delta_df;
    s["pvalue"] = std::isfinite(st.pvalue) ? json(st.pvalue) : json(nullptr);
    s["delta_cfi"] = st.delta_cfi;
    s["delta_rmsea"] = st.delta_rmsea;
    s["delta_srmr"] = st.delta_srmr;
    s["noninvariant"] = st.noninvariant;
    steps.push_back(std::move(s));
  }
  j["differences"] = std::move(steps);
  json t = json::object();
  t["cfi_drop"] = inv.thresholds.cfi_drop;
  t["rmsea_rise"] = inv.thresholds.rmsea_rise;
  t["rule"] = "non-invariance when CFI falls by cfi_drop or more while RMSEA rises by rmsea_rise or more (Chen, 2007)";
  j["thresholds"] = std::move(t);
  j["holds"] = inv.holds ? json(std::string(to_string(*inv.holds))) : json(nullptr);
  j["reading"] = inv.reading;
  return j;
}

ETHOS_DECL nlohmann::ordered_json report_json(const assessment& a, const report_sections& extra, bool lazy) {
  using json = nlohmann::ordered_json;
  json out = assessment_json(a, lazy);
  json warnings = out["warnings"];
  out.erase("warnings");
  const auto add_warnings = [&](std::span<const warning> ws) {
    for (const auto& w : ws) {
      warnings.push_back(w.message);
    }
  };
  if (extra.units != nullptr) {
    out["units"] = lazy ? json(json::value_t::discarded) : units_json(*extra.units);
    if (extra.units->cut) {
      out["cuts"] = cut_json(*extra.units, lazy);
    }
    add_warnings(extra.units->warnings);
  }
  if (extra.internal_service != nullptr) {
    out["internal_service"] = internal_service_json(*extra.internal_service, a.min_group_size);
    add_warnings(extra.internal_service->warnings);
  }
  if (!extra.drivers.empty()) {
    if (lazy) {
      out["drivers"] = json(json::value_t::discarded);
    } else {
      json drivers = json::array();
      for (const auto& d : extra.drivers) {
        drivers.push_back(driver_json(d));
      }
      out["drivers"] = std::move(drivers);
    }
  }
  if (extra.trend != nullptr) {
    out["trend"] = trend_json(*extra.trend);
  }
  if (extra.measurement != nullptr) {
    out["measurement_model"] = measurement_json(*extra.measurement, a.min_group_size);
  }
  if (extra.invariance != nullptr) {
    out["invariance"] = invariance_json(*extra.invariance, a.min_group_size);
  }
  if (extra.audit != nullptr) {
    out["disclosure_audit"] = audit_json(*extra.audit);
  }
  add_warnings(extra.warnings);
  out["warnings"] = std::move(warnings);
  return out;
}

// The text of one "units" or "cuts" element appended straight from the results, byte for byte as nlohmann's dump
// writes unit_json and cut_cell_json at that depth (the tests compare the two), without a JSON value per element: at
// 20,000 units and 80,000 cut cells the values cost more than the text.
class json_cell_text {
 public:
  // Appends to `out`, which is sized to the text written when the object goes.
  json_cell_text(std::string& out, int indent) : s_(out), size_(out.size()), indent_(indent) {}
  json_cell_text(const json_cell_text&) = delete;
  json_cell_text& operator=(const json_cell_text&) = delete;
  ~json_cell_text() { s_.resize(size_); }

  void text(std::string_view v) { append(v.data(), v.size()); }
  // A value's text dumped at depth 0, with every line after the first indented for `depth`.
  void dumped(std::string_view s, int depth) {
    if (indent_ <= 0 || depth == 0) {
      text(s);
      return;
    }
    std::size_t from = 0;
    for (std::size_t nl = s.find('\n'); nl != std::string_view::npos; nl = s.find('\n', from)) {
      text(s.substr(from, nl - from));
      newline(depth);
      from = nl + 1;
    }
    text(s.substr(from));
  }

  void unit(const unit_result& u, const org_rollup& r, int depth) {
    open('{');
    key("id", depth + 1, true);
    str(u.id);
    key("name", depth + 1);
    str(u.name);
    key("parent", depth + 1);
    if (u.depth == 0) {
      text("null");
    } else {
      str(u.parent);
    }
    key("depth", depth + 1);
    num(u.depth);
    key("respondents", depth + 1);
    num(u.respondents);
    key("direct", depth + 1);
    num(u.direct);
    key("invited", depth + 1);
    if (u.invited) {
      num(*u.invited);
    } else {
      text("null");
    }
    optional("participation", u.participation, u.invited ? "more respondents than invited" : "no invited headcount",
             depth + 1);
    key("constructs", depth + 1);
    cells(u.constructs, r, depth + 1);
    close('}', depth);
  }

  // group_json's text.
  void group(const group_assessment& g, const assessment& a, int depth) {
    open('{');
    key("id", depth + 1, true);
    str(g.id);
    key("n", depth + 1);
    num(std::size_t{g.n});
    key("suppressed", depth + 1);
    text(g.suppressed != suppression::none ? "true" : "false");
    if (g.suppressed != suppression::none) {
      key("suppressed_reason", depth + 1);
      str(hidden_reason(g.suppressed, a.min_group_size));
      close('}', depth);
      return;
    }
    key("constructs", depth + 1);
    const std::size_t n = std::min(g.constructs.size(), a.constructs.size());
    if (n == 0) {
      text("{}");
    } else {
      open('{');
      for (std::size_t c = 0; c < n; ++c) {
        const auto& gc = g.constructs[c];
        key(a.constructs[c].summary.key, depth + 2, c == 0);
        open('{');
        key("n", depth + 3, true);
        num(std::size_t{gc.n});
        if (gc.status != suppression::none) {
          key("status", depth + 3);
          str(ethos::key(gc.status));
          key("status_reason", depth + 3);
          str(group_cell_hidden_reason(gc.status, a.min_group_size));
        } else {
          optional("mean", gc.mean, "no respondent of the group has a score", depth + 3);
          optional("favorable", gc.favorable, "no answers", depth + 3);
          optional("rwg_j", gc.rwg_j, gc.rwg_j_reason, depth + 3);
        }
        close('}', depth + 2);
      }
      close('}', depth + 1);
    }
    close('}', depth);
  }

  void cut_cell(const cut_row& row, const org_rollup& r, int depth) {
    open('{');
    key("unit", depth + 1, true);
    str(row.unit);
    key("level", depth + 1);
    str(row.level);
    key("respondents", depth + 1);
    num(row.respondents);
    key("constructs", depth + 1);
    cells(row.constructs, r, depth + 1);
    close('}', depth);
  }

 private:
  void cells(const std::vector<unit_cell>& cells, const org_rollup& r, int depth) {
    const std::size_t n = std::min(cells.size(), r.constructs.size());
    if (n == 0) {
      text("{}");
      return;
    }
    open('{');
    for (std::size_t c = 0; c < n; ++c) {
      key(r.constructs[c].key, depth + 1, c == 0);
      cell(cells[c], r.min_group_size, depth + 1);
    }
    close('}', depth);
  }

  void cell(const unit_cell& c, std::size_t k, int depth) {
    open('{');
    key("n", depth + 1, true);
    num(std::size_t{c.n});
    key("status", depth + 1);
    str(ethos::key(c.status));
    if (!c.shown()) {
      key("status_reason", depth + 1);
      str(hidden_reason(c.status, k));
      close('}', depth);
      return;
    }
    const std::string_view none = c.n == 0 ? "no respondent has a score" : "";
    optional("mean", c.mean, none, depth + 1);
    optional("sd", c.sd, c.n < 2 ? std::string_view("fewer than 2 respondents") : none, depth + 1);
    optional("favorable", c.favorable, "no answers", depth + 1);
    optional("rwg_j", c.rwg_j, c.rwg_j_reason(), depth + 1);
    close('}', depth);
  }

  // put_optional's text: the value, or null and "<name>_reason".
  void optional(std::string_view name, const std::optional<double>& value, std::string_view reason, int depth) {
    key(name, depth);
    if (value) {
      num(*value);
      return;
    }
    text("null");
    key(name, depth, false, "_reason");
    str(reason.empty() ? std::string_view("not available") : reason);
  }

  void open(char c) { append(&c, 1); }
  void close(char c, int depth) {
    newline(depth);
    append(&c, 1);
  }
  void newline(int depth) {
    if (indent_ >= 0) {
      const auto n = static_cast<std::size_t>(depth * indent_);
      char* p = room(n + 1);
      *p = '\n';
      std::memset(p + 1, ' ', n);
      size_ += n + 1;
    }
  }
  // `"<k><suffix>": ` after a comma unless first.
  void key(std::string_view k, int depth, bool first = false, std::string_view suffix = {}) {
    if (!first) {
      append(",", 1);
    }
    newline(depth);
    if (!plain(k) || !plain(suffix)) {
      str(std::string(k) + std::string(suffix));
      text(indent_ >= 0 ? ": " : ":");
      return;
    }
    char* p = room(k.size() + suffix.size() + 4);
    *p++ = '"';
    copy(p, k);
    p += k.size();
    copy(p, suffix);
    p += suffix.size();
    *p++ = '"';
    *p++ = ':';
    std::size_t n = k.size() + suffix.size() + 3;
    if (indent_ >= 0) {
      *p = ' ';
      ++n;
    }
    size_ += n;
  }
  // Printable ASCII without quote or backslash is its own text; anything else is escaped by nlohmann itself.
  static bool plain(std::string_view v) {
    return std::all_of(v.begin(), v.end(), [](char ch) {
      const auto u = static_cast<unsigned char>(ch);
      return u >= 0x20 && u < 0x7f && ch != '"' && ch != '\\';
    });
  }
  void str(std::string_view v) {
    if (plain(v)) {
      char* p = room(v.size() + 2);
      *p = '"';
      copy(p + 1, v);
      p[v.size() + 1] = '"';
      size_ += v.size() + 2;
    } else {
      text(nlohmann::ordered_json(std::string(v))
               .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
    }
  }
  void num(std::size_t v) {
    std::array<char, 24> b{};
    const auto res = std::to_chars(b.data(), b.data() + b.size(), v);
    append(b.data(), static_cast<std::size_t>(res.ptr - b.data()));
  }
  void num(double v) {
    if (!std::isfinite(v)) {
      text("null");
      return;
    }
    std::array<char, 64> b{};
    const char* end = nlohmann::detail::to_chars(b.data(), b.data() + b.size(), v); // nlohmann's own digits
    append(b.data(), static_cast<std::size_t>(end - b.data()));
  }

  // Room for n more characters at the end of the text, which grows by doubling; the caller then adds to size_. The
  // string itself is longer than the text until the object goes (std::string's own appends are calls into the
  // shared library, one per character, and cost more than the figures' digits).
  char* room(std::size_t n) {
    if (size_ + n > s_.size()) {
      s_.resize(std::max(2 * s_.size(), size_ + n + 4096));
    }
    return s_.data() + size_;
  }
  void append(const char* p, std::size_t n) {
    copy(room(n), std::string_view(p, n));
    size_ += n;
  }
  // memcpy, which may not be given the null pointer of an empty view.
  static void copy(char* to, std::string_view v) {
    if (!v.empty()) {
      std::memcpy(to, v.data(), v.size());
    }
  }

  std::string& s_;
  std::size_t size_; // the text's length: s_ beyond it is room
  int indent_;
};

// Writes JSON text as nlohmann's dump would, but the long arrays one element at a time (each built, written and
// dropped), so that the text of a report of 20,000 units never needs the whole document in memory.
class json_stream {
 public:
  json_stream(std::ostream& os, int indent, const assessment& a, const report_sections& extra)
      : os_(os), indent_(indent), a_(a), extra_(extra) {}

  void write(const nlohmann::ordered_json& v, int depth, std::string_view path) {
    if (v.is_discarded()) {
      lazy(path, depth);
    } else if (v.is_object() && has_placeholder(v)) {
      os_ << '{';
      std::size_t i = 0;
      for (const auto& [key, x] : v.items()) {
        os_ << (i++ == 0 ? "" : ",") << newline() << pad(depth + 1);
        put(nlohmann::ordered_json(key), 0);
        os_ << (indent_ >= 0 ? ": " : ":");
        write(x, depth + 1, std::string(path) + "/" + key);
      }
      os_ << newline() << pad(depth) << '}';
    } else {
      put(v, depth);
    }
  }

 private:
  static bool has_placeholder(const nlohmann::ordered_json& v) {
    for (const auto& x : v) {
      if (x.is_discarded() || (x.is_object() && has_placeholder(x))) {
        return true;
      }
    }
    return false;
  }

  [[nodiscard]] std::string_view newline() const { return indent_ >= 0 ? "\n" : ""; }
  [[nodiscard]] std::string pad(int depth) const {
    return indent_ >= 0 ? std::string(static_cast<std::size_t>(depth * indent_), ' ') : std::string();
  }

  // Writes v's text with every line after the first indented for nesting depth `depth`.
  void put(const nlohmann::ordered_json& v, int depth) const {
    std::string text;
    {
      json_cell_text t(text, indent_);
      t.dumped(v.dump(indent_, ' ', false, nlohmann::ordered_json::error_handler_t::replace), depth);
    }
    os_.write(text.data(), static_cast<std::streamsize>(text.size()));
  }

  // An array of values made by `make(i)`, each dumped as put would write it at depth + 1, on the report's threads.
  template <class Make>
  void array(std::size_t n, int depth, Make&& make) {
    text_array(n, depth, [&](json_cell_text& t, std::size_t i) {
      t.dumped(make(i).dump(indent_, ' ', false, nlohmann::ordered_json::error_handler_t::replace), depth + 1);
    });
  }

  // As array, with each element's text appended by `text` (a json_cell_text) rather than dumped from a value. Blocks
  // of elements are formatted on the report's threads, each into its own buffer, and written in order.
  template <class Text>
  void text_array(std::size_t n, int depth, Text&& text) {
    if (n == 0) {
      os_ << "[]";
      return;
    }
    constexpr std::size_t block = 128; // elements: buffers of some 100-400 KB, which the system need not hand out again
    const std::size_t workers = thread_count(extra_.threads, (n + block - 1) / block);
    std::vector<std::string> bufs(workers);
    const std::string lead = std::string(newline()) + pad(depth + 1);
    os_ << '[';
    for (std::size_t first = 0; first < n; first += block * workers) {
      parallel_for(workers, workers, [&](std::size_t w) {
        auto& buf = bufs[w];
        buf.clear();
        json_cell_text t(buf, indent_);
        const std::size_t end = std::min(n, first + (w + 1) * block);
        for (std::size_t i = first + w * block; i < end; ++i) {
          t.text(i == 0 ? "" : ",");
          t.text(lead);
          text(t, i);
        }
      });
      for (const auto& buf : bufs) {
        os_.write(buf.data(), static_cast<std::streamsize>(buf.size()));
      }
    }
    os_ << newline() << pad(depth) << ']';
  }

  void lazy(std::string_view path, int depth) {
    if (path == "/groups") {
      text_array(a_.groups.size(), depth,
                 [&](json_cell_text& t, std::size_t i) { t.group(a_.groups[i], a_, depth + 1); });
    } else if (path == "/units") {
      const auto& r = *extra_.units;
      text_array(r.units.size(), depth, [&](json_cell_text& t, std::size_t i) { t.unit(r.units[i], r, depth + 1); });
    } else if (path == "/cuts/cells") {
      const auto& r = *extra_.units;
      text_array(r.cut->rows.size(), depth,
                 [&](json_cell_text& t, std::size_t i) { t.cut_cell(r.cut->rows[i], r, depth + 1); });
    } else if (path == "/drivers") {
      array(extra_.drivers.size(), depth, [&](std::size_t i) { return driver_json(extra_.drivers[i]); });
    } else {
      throw error("results JSON: no writer for '" + std::string(path) + "'"); // a bug, never input
    }
  }

  std::ostream& os_;
  int indent_;
  const assessment& a_;
  const report_sections& extra_;
};

ETHOS_DECL void write_json(std::ostream& os, const assessment& a, const report_sections& extra, int indent) {
  json_stream(os, indent, a, extra).write(report_json(a, extra, true), 0, "");
}

} // namespace detail

ETHOS_DECL nlohmann::ordered_json results_to_json(unaudited<assessment> a) {
  return detail::assessment_json(a.get(), false);
}

namespace detail {

ETHOS_DECL report_sections sections_of(const survey_report& r, const report_audit& audit) {
  report_sections s;
  s.units = r.units ? &*r.units : nullptr;
  s.internal_service = r.internal_service ? &*r.internal_service : nullptr;
  s.drivers = r.drivers;
  s.trend = r.trend ? &*r.trend : nullptr;
  s.audit = &audit;
  s.warnings = r.warnings;
  s.threads = r.threads;
  return s;
}

} // namespace detail

ETHOS_DECL nlohmann::ordered_json results_to_json(const survey_report& r) {
  const report_audit audit = audit_summary(r);
  return detail::report_json(r.summary, detail::sections_of(r, audit), false);
}

ETHOS_DECL void write_results_json(std::ostream& out, unaudited<assessment> a, int indent) {
  detail::json_stream(out, indent, a.get(), report_sections{}).write(detail::assessment_json(a.get(), true), 0, "");
}

ETHOS_DECL void write_results_json(std::ostream& out, const survey_report& r, int indent) {
  const report_audit audit = audit_summary(r);
  detail::write_json(out, r.summary, detail::sections_of(r, audit), indent);
}

ETHOS_DECL void write_results_json(std::ostream& out, const survey_report& r, const measurement_model* measurement,
                                   const measurement_invariance_model* invariance, int indent) {
  const report_audit audit = audit_summary(r);
  auto sections = detail::sections_of(r, audit);
  sections.measurement = measurement;
  sections.invariance = invariance;
  detail::write_json(out, r.summary, sections, indent);
}

ETHOS_DECL std::string results_to_json_string(unaudited<assessment> a, int indent) {
  std::ostringstream os;
  write_results_json(os, a, indent);
  return std::move(os).str();
}

ETHOS_DECL std::string results_to_json_string(const survey_report& r, int indent) {
  std::ostringstream os;
  write_results_json(os, r, indent);
  return std::move(os).str();
}

} // namespace ethos
