// ethos/report/impl/org_text.ipp: definitions of ethos/report/org_text.hpp (compiled into ethos::compiled, or
// included by the header in header-only mode).
#pragma once

#include <ethos/report/org_text.hpp>

#include <ethos/org/drivers.hpp>
#include <ethos/org/internal_service.hpp>
#include <ethos/org/rollup.hpp>
#include <ethos/org/trend.hpp>
#include <ethos/org/unit_drivers.hpp>
#include <ethos/status.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <vector>

namespace ethos {

namespace detail {

inline constexpr const char* hidden_mark = "-";

ETHOS_DECL std::string unit_label(const std::string& id, const std::string& name, std::size_t depth) {
  return std::string(2 * depth, ' ') + (depth == 0 ? name : name.empty() ? id : name);
}

// Short column heads for the constructs of a roll-up (as the assessment's group table does).
ETHOS_DECL std::vector<std::string> rollup_abbreviations(const std::vector<rollup_construct>& cs) {
  std::vector<construct_assessment> tmp(cs.size());
  for (std::size_t i = 0; i < cs.size(); ++i) {
    tmp[i].summary.key = cs[i].key;
    tmp[i].summary.label = cs[i].label;
  }
  return construct_abbreviations(tmp);
}

struct table_layout {
  std::size_t label_w = 0;
  std::size_t col_w = 5;
  bool fits = true;
};

ETHOS_DECL table_layout layout_for(std::size_t longest, std::size_t fixed, std::size_t columns,
                                   const std::vector<std::string>& abbr, std::size_t width) {
  table_layout l;
  for (const auto& x : abbr) {
    l.col_w = std::max(l.col_w, x.size() + 1);
  }
  const std::size_t cols_w = l.col_w * columns;
  const std::size_t room = width > cols_w + fixed + 12 ? width - cols_w - fixed : 12;
  l.label_w = std::min({std::max<std::size_t>(longest, 12), std::size_t{40}, room});
  l.fits = l.label_w + fixed + cols_w <= width;
  return l;
}

ETHOS_DECL std::string cell_text(const unit_cell& c) {
  if (!c.shown()) {
    return hidden_mark;
  }
  return c.favorable ? fmt::format("{:.0f}", 100.0 * *c.favorable) : std::string("n/a");
}

ETHOS_DECL std::string legend_of(const std::vector<std::string>& abbr, const std::vector<rollup_construct>& cs,
                                 std::size_t width) {
  std::string legend;
  for (std::size_t c = 0; c < cs.size(); ++c) {
    legend += (c == 0 ? "" : "; ") + abbr[c] + " " + cs[c].label;
  }
  return wrap(legend + ".", width, "  ", "  ");
}

// The units table: each unit down to max_depth with its respondents, participation and favourable shares, then
// the legend of the column heads and what the hidden mark means.
ETHOS_DECL std::string org_units_text(const org_rollup& r, const std::vector<std::string>& abbr,
                                      const org_text_options& opt, std::size_t width, const std::string& hidden_note) {
  std::size_t longest = 5;
  for (const auto& u : r.units) {
    if (u.depth <= opt.max_depth) {
      longest = std::max(longest, display_width(unit_label(u.id, u.name, u.depth)));
    }
  }
  const auto l = layout_for(longest, 11, r.constructs.size(), abbr, width);
  std::string out = "\nUnits (each with its sub-units): favourable share (%) per construct\n";
  if (l.fits) {
    out += pad_right("Unit", l.label_w) + pad_left("n", 5) + pad_left("resp%", 6);
    for (const auto& x : abbr) {
      out += pad_left(x, l.col_w);
    }
    out += "\n" + rule(l.label_w + 11 + l.col_w * abbr.size());
  }
  for (const auto& u : r.units) {
    if (u.depth > opt.max_depth) {
      continue;
    }
    out += pad_right(fit(unit_label(u.id, u.name, u.depth), l.label_w), l.label_w) +
           pad_left(std::to_string(u.respondents), 5) +
           pad_left(u.participation ? fmt::format("{:.0f}", 100.0 * *u.participation) : "", 6);
    if (l.fits) {
      for (const auto& c : u.constructs) {
        out += pad_left(cell_text(c), l.col_w);
      }
    }
    out += "\n";
  }
  out += legend_of(abbr, r.constructs, width);
  out += wrap(hidden_note, width, "  ", "  ");
  return out;
}

// The cut table (the roll-up has a cut): each unit down to depth 1 by each level of the cut column.
ETHOS_DECL std::string org_cut_text(const org_rollup& r, const std::vector<std::string>& abbr,
                                    const org_text_options& opt, std::size_t width) {
  const auto& cut = *r.cut;
  std::size_t cl = 5;
  for (const auto& row : cut.rows) {
    const auto idx =
        std::find_if(r.units.begin(), r.units.end(), [&](const unit_result& u) { return u.id == row.unit; });
    if (idx != r.units.end() && idx->depth <= std::min<std::size_t>(opt.max_depth, 1)) {
      cl = std::max(cl, display_width(unit_label(idx->id, idx->name, idx->depth) + " / " + row.level));
    }
  }
  const auto lc = layout_for(cl, 5, r.constructs.size(), abbr, width);
  std::string out = "\n" + fit("Units by '" + cut.column + "': favourable share (%) per construct", width) + "\n";
  if (lc.fits) {
    out += pad_right("Unit / " + cut.column, lc.label_w) + pad_left("n", 5);
    for (const auto& x : abbr) {
      out += pad_left(x, lc.col_w);
    }
    out += "\n" + rule(lc.label_w + 5 + lc.col_w * abbr.size());
  }
  for (const auto& row : cut.rows) {
    const auto idx =
        std::find_if(r.units.begin(), r.units.end(), [&](const unit_result& u) { return u.id == row.unit; });
    if (idx == r.units.end() || idx->depth > std::min<std::size_t>(opt.max_depth, 1)) {
      continue;
    }
    out += pad_right(fit(unit_label(idx->id, idx->name, idx->depth) + " / " + row.level, lc.label_w), lc.label_w) +
           pad_left(std::to_string(row.respondents), 5);
    if (lc.fits) {
      for (const auto& c : row.constructs) {
        out += pad_left(cell_text(c), lc.col_w);
      }
    }
    out += "\n";
  }
  if (cut.unlabelled > 0) {
    out += wrap(fmt::format("{} respondent(s) have no '{}' value and are in no cut cell.", cut.unlabelled, cut.column),
                width, "  ", "  ");
  }
  return out;
}

// The trend table: each unit's change of mean score since the earlier wave, significant ones starred.
ETHOS_DECL std::string org_trend_text(const org_rollup& r, const rollup_trend& t, const org_text_options& opt,
                                      std::size_t width, std::size_t k) {
  const auto tabbr = rollup_abbreviations(t.constructs);
  std::size_t tl = 5;
  std::vector<const unit_result*> rows;
  for (const auto& ut : t.units) {
    const auto it = std::find_if(r.units.begin(), r.units.end(), [&](const unit_result& u) { return u.id == ut.unit; });
    rows.push_back(it == r.units.end() ? nullptr : &*it);
    if (it != r.units.end() && it->depth <= std::min<std::size_t>(opt.max_depth, 1)) {
      tl = std::max(tl, display_width(unit_label(it->id, it->name, it->depth)));
    }
  }
  auto lt = layout_for(tl, 0, t.constructs.size(), tabbr, width);
  lt.col_w = std::max<std::size_t>(lt.col_w, 7);
  lt.fits = lt.label_w + lt.col_w * t.constructs.size() <= width;
  std::string out = "\nChange since the previous wave: mean score, later minus earlier ('*': p < .05, Welch)\n";
  if (lt.fits) {
    out += pad_right("Unit", lt.label_w);
    for (const auto& x : tabbr) {
      out += pad_left(x, lt.col_w);
    }
    out += "\n" + rule(lt.label_w + lt.col_w * tabbr.size());
    for (std::size_t i = 0; i < t.units.size(); ++i) {
      const auto* u = rows[i];
      if (u == nullptr || u->depth > std::min<std::size_t>(opt.max_depth, 1)) {
        continue;
      }
      out += pad_right(fit(unit_label(u->id, u->name, u->depth), lt.label_w), lt.label_w);
      for (const auto& ch : t.units[i].constructs) {
        out += pad_left(ch.change ? fmt::format("{:+.2f}{}", *ch.change, ch.significant.value_or(false) ? "*" : " ")
                                  : std::string(hidden_mark) + " ",
                        lt.col_w);
      }
      out += "\n";
    }
  }
  out +=
      wrap(fmt::format("'{}': no change shown (hidden or fewer than {} respondents in either wave).", hidden_mark, k),
           width, "  ", "  ");
  if (!t.only_before.empty() || !t.only_after.empty()) {
    out += wrap(fmt::format("{} unit(s) only in the earlier wave, {} only in the later one.", t.only_before.size(),
                            t.only_after.size()),
                width, "  ", "  ");
  }
  return out;
}

// One driver analysis: its constructs by relative weight, with r, mean and quadrant, or why there are no weights.
ETHOS_DECL std::string org_drivers_text(const unit_drivers& ud, std::size_t width) {
  const auto& d = ud.analysis;
  std::string out =
      "\n" +
      fit(fmt::format("Drivers of '{}' in {} (n {})", d.outcome_label.empty() ? d.outcome : d.outcome_label,
                      ud.unit.empty() ? std::string("the organisation") : "'" + ud.unit + "'", d.n),
          width) +
      "\n";
  if (!d.r_squared) {
    out += wrap("No weights: " + d.reason, width, "  ", "  ");
    return out;
  }
  const std::size_t lw = std::min<std::size_t>(40, width - 36);
  out += pad_right("Construct", lw) + pad_left("r", 7) + pad_left("share", 8) + pad_left("mean", 7) +
         pad_left("quadrant", 12) + "\n" + rule(lw + 34);
  std::vector<const driver_entry*> sorted;
  for (const auto& e : d.drivers) {
    sorted.push_back(&e);
  }
  std::stable_sort(sorted.begin(), sorted.end(), [](const driver_entry* a, const driver_entry* b) {
    return a->share.value_or(-1.0) > b->share.value_or(-1.0);
  });
  for (const auto* e : sorted) {
    out += pad_right(fit(e->label, lw), lw) + pad_left(e->r ? fmt::format("{:.2f}", *e->r) : "n/a", 7) +
           pad_left(e->share ? fmt::format("{:.0f}%", 100.0 * *e->share) : "n/a", 8) +
           pad_left(e->performance ? fmt::format("{:.2f}", *e->performance) : "n/a", 7) +
           pad_left(e->quadrant ? std::string(to_string(*e->quadrant)) : "n/a", 12) + "\n";
  }
  out += wrap(fmt::format("R^2 {:.2f}. share: the construct's part of R^2 (relative weights); quadrants "
                          "split at the mean share and the mean score.",
                          *d.r_squared),
              width, "  ", "  ");
  return out;
}

// The internal-service matrix: mean rating of each unit by each other one, with the margins, then possible silos
// and asymmetric pairs.
ETHOS_DECL std::string org_internal_service_text(const internal_service_result& is, std::size_t width,
                                                 const std::string& hidden_note) {
  const std::size_t n = is.units.size();
  std::size_t longest = 5;
  for (const auto& u : is.units) {
    longest = std::max(longest, display_width(u) + 3); // "12 " before the name
  }
  const std::size_t col_w = 6;
  const std::size_t room = width > col_w * (n + 1) + 12 ? width - col_w * (n + 1) : 12;
  const std::size_t lw = std::min({std::max<std::size_t>(longest, 10), std::size_t{30}, room});
  std::string out = "\nInternal service: mean rating, rows rate columns (columns numbered as the rows)\n";
  if (lw + col_w * (n + 1) <= width) {
    out += pad_right("Rater", lw);
    for (std::size_t c = 0; c < n; ++c) {
      out += pad_left(std::to_string(c + 1), col_w);
    }
    out += pad_left("gives", col_w) + "\n" + rule(lw + col_w * (n + 1));
    const auto mean_text = [](const internal_cell& c) {
      if (c.ratings == 0) {
        return std::string("");
      }
      if (c.status != suppression::none) {
        return std::string(hidden_mark);
      }
      return c.mean ? fmt::format("{:.2f}", *c.mean) : std::string("n/a");
    };
    for (std::size_t r = 0; r < n; ++r) {
      out += pad_right(fit(std::to_string(r + 1) + " " + is.units[r], lw), lw);
      for (std::size_t c = 0; c < n; ++c) {
        out += pad_left(mean_text(is.matrix[r][c]), col_w);
      }
      out += pad_left(mean_text(is.given[r]), col_w) + "\n";
    }
    out += pad_right("receives", lw);
    for (std::size_t c = 0; c < n; ++c) {
      out += pad_left(mean_text(is.received[c]), col_w);
    }
    out += pad_left(mean_text(is.overall), col_w) + "\n";
  } else {
    out += "  (too many units for this width; see the JSON output)\n";
  }
  out += wrap(hidden_note, width, "  ", "  ");
  for (const auto& silo : is.possible_silos) {
    out += wrap("Possible silo: '" + silo + "' is rated below the expected level by every unit shown.", width, "  - ",
                "    ");
  }
  for (const auto& f : is.asymmetric) {
    out += wrap(fmt::format("Asymmetric: '{}' rates '{}' {:.2f}, but '{}' rates '{}' {:.2f}.", f.a, f.b, f.a_rates_b,
                            f.b, f.a, f.b_rates_a),
                width, "  - ", "    ");
  }
  return out;
}

ETHOS_DECL std::string org_text_report(const report_sections& s, const org_text_options& opt) {
  const std::size_t width = std::max<std::size_t>(opt.width, 60);
  const std::size_t k = s.units != nullptr ? s.units->min_group_size : s.min_group_size;
  const std::string hidden_note =
      fmt::format("'{}': {}, or {}.", detail::hidden_mark, hidden_reason(suppression::too_small, k),
                  hidden_reason(suppression::secondary, k));
  std::string out;
  if (s.units != nullptr) {
    const auto& r = *s.units;
    const auto abbr = detail::rollup_abbreviations(r.constructs);
    out += detail::org_units_text(r, abbr, opt, width, hidden_note);
    if (r.cut) {
      out += detail::org_cut_text(r, abbr, opt, width);
    }
    if (s.trend != nullptr) {
      out += detail::org_trend_text(r, *s.trend, opt, width, k);
    }
  }
  for (const auto& ud : s.drivers) {
    out += detail::org_drivers_text(ud, width);
  }
  if (s.internal_service != nullptr) {
    out += detail::org_internal_service_text(*s.internal_service, width, hidden_note);
  }
  return out;
}

} // namespace detail

ETHOS_DECL std::string report_text(const survey_report& r, const text_report_options& text,
                                   const org_text_options& org) {
  std::string out = detail::assessment_text(r.summary, text);
  report_sections ts;
  ts.units = r.units ? &*r.units : nullptr;
  ts.drivers = r.drivers;
  ts.trend = r.trend ? &*r.trend : nullptr;
  ts.internal_service = r.internal_service ? &*r.internal_service : nullptr;
  ts.min_group_size = r.min_group_size;
  out += detail::org_text_report(ts, org);
  const std::size_t width = std::max<std::size_t>(text.width, 80);
  out += "\n" + detail::wrap(fmt::format("Disclosure audit: every figure of this report ({} cells in {} domains) "
                                         "checked together; no sum or difference of them, whatever the signs, "
                                         "isolates fewer than {} people.",
                                         r.audit.cells, r.audit.domains, r.min_group_size),
                             width, "", "  ");
  if (r.union_audit) {
    out += detail::wrap(fmt::format("With the {} earlier release(s) to the same audience ({} cells in all): none "
                                    "of them together isolates fewer than {} people.",
                                    r.earlier_releases, r.union_audit->cells, r.union_min_group_size),
                        width, "  ", "  ");
  }
  // Every warning of the organisation sections, in order: the units', the internal service's, the report's own.
  std::vector<const warning*> more;
  if (r.units) {
    for (const auto& w : r.units->warnings) {
      more.push_back(&w);
    }
  }
  if (r.internal_service) {
    for (const auto& w : r.internal_service->warnings) {
      more.push_back(&w);
    }
  }
  for (const auto& w : r.warnings) {
    more.push_back(&w);
  }
  if (!more.empty()) {
    out += "\nOrganisation warnings\n";
    for (const auto* w : more) {
      out += detail::wrap(w->message, width, "  - ", "    ");
    }
  }
  return out;
}

} // namespace ethos
