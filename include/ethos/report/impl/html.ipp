// ethos/report/impl/html.ipp: definitions of ethos/report/html.hpp (compiled into ethos::compiled, or included by
// the header in header-only mode).
#pragma once

#include <ethos/report/html.hpp>

#include <ethos/error.hpp>
#include <ethos/framework/vocabulary.hpp>
#include <ethos/models/measurement.hpp>
#include <ethos/org/disclosure.hpp>
#include <ethos/org/report.hpp>
#include <ethos/report/charts.hpp>
#include <ethos/report/driver_chart.hpp>
#include <ethos/report/org_text.hpp>
#include <ethos/report/svg_writer.hpp>
#include <ethos/report/text.hpp>
#include <ethos/version.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ethos {

namespace detail::html {

// ---- colours ------------------------------------------------------------------------------------------------------

// The page's palette. Cell colours: ColorBrewer's sequential "Blues" and diverging "RdBu" (Brewer and Harrower,
// colorbrewer2.org), both marked safe for colour-blind readers there; the driver chart's quadrants: Okabe and Ito
// (2008). Text is black or white, whichever contrasts more with its cell (never less than 4.5:1).
inline constexpr std::array<svg::detail::colour_stop, 4> blues{
    {{0.0, "#deebf7"}, {0.35, "#9ecae1"}, {0.65, "#4292c6"}, {1.0, "#08306b"}}};

ETHOS_DECL double contrast(const svg::detail::rgb& a, const svg::detail::rgb& b) noexcept {
  const double la = svg::detail::luminance(a);
  const double lb = svg::detail::luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

// `style` of a cell coloured for `share` (0..1) on the Blues scale, with the better of black and white ink.
ETHOS_DECL std::string cell_style(double share) {
  const auto fill = svg::detail::interpolate(blues, share);
  const bool white = contrast(fill, {255, 255, 255}) > contrast(fill, {0, 0, 0});
  return "background:" + svg::detail::to_hex(fill) + ";color:" + (white ? "#ffffff" : "#000000");
}

// ---- the stylesheet ------------------------------------------------------------------------------------------------

inline constexpr std::string_view stylesheet = R"(
:root{color-scheme:light}
*{box-sizing:border-box}
body{margin:0;background:#ffffff;color:#1a1a1a;font:15px/1.45 "DejaVu Sans","Liberation Sans",Arial,Helvetica,sans-serif}
main{max-width:1040px;margin:0 auto;padding:24px 28px 48px}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:20px;margin:0 0 6px;padding-top:10px;border-top:3px solid #1f5fa8;break-after:avoid}
h3{font-size:16px;margin:18px 0 6px;break-after:avoid}
section{margin:28px 0 0}
p{margin:6px 0}
.subtitle{color:#4d4d4d;margin:0 0 12px}
.reading{break-after:avoid;margin:0 0 12px;padding:6px 10px;background:#f1f5fa;border-left:4px solid #1f5fa8;color:#1a1a1a}
.note{color:#4d4d4d;font-size:13px}
.tiles{display:grid;grid-template-columns:repeat(4,1fr);gap:10px;margin:10px 0}
.tile{border:1px solid #c4cdd8;border-radius:6px;padding:8px 10px;break-inside:avoid}
.tile dt{font-size:13px;color:#4d4d4d}
.tile dd{margin:2px 0 0;font-size:24px;font-weight:bold}
.tile dd small{display:block;font-size:12px;font-weight:normal;color:#4d4d4d}
.lists{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.lists ol{margin:4px 0;padding-left:22px}
table{border-collapse:collapse;margin:8px 0 14px;break-inside:avoid;font-size:13px}
caption{caption-side:top;text-align:left;font-weight:bold;padding:4px 0;color:#1a1a1a}
th,td{border:1px solid #c9c9c9;padding:3px 6px}
thead th{background:#e9edf2;color:#1a1a1a;vertical-align:bottom}
th[scope=row]{text-align:left;font-weight:normal;white-space:nowrap;background:#ffffff}
td{text-align:right;font-variant-numeric:tabular-nums}
td.text{text-align:left}
tr{break-inside:avoid}
thead{display:table-header-group}
.heat td{text-align:center;min-width:34px}
.heat th.d1{font-weight:bold}
.heat th.d2{padding-left:18px}
td.hid{position:relative;background:#ececec;color:#1a1a1a;font-size:11px;text-align:center}
svg.hatch{position:absolute;left:0;top:0;width:100%;height:100%}
td.hid span{position:relative;background:#ffffff;padding:0 2px}
td.low{font-weight:bold}
.flag{display:inline-block;margin-left:4px;padding:0 4px;border:1px solid #8c2d04;border-radius:3px;color:#8c2d04;font-size:11px;font-weight:bold;background:#ffffff}
.sig{font-weight:bold}
abbr{text-decoration:none}
figure{margin:8px 0 14px;break-inside:avoid}
figure svg{max-width:100%;height:auto;display:block}
figcaption{font-size:13px;color:#4d4d4d}
.swatch{position:relative;display:inline-block;width:16px;height:12px;border:1px solid #8c8c8c;vertical-align:middle;margin:0 3px 0 8px;background:#ececec}
dl.key dt{font-weight:bold;margin-top:6px;break-after:avoid}
dl.key dd{break-inside:avoid}
dl.key dd{margin:0 0 0 18px}
ul.warnings li{margin:3px 0;break-inside:avoid}
#warnings{break-inside:avoid}
footer{margin-top:32px;color:#4d4d4d;font-size:12px}
@media print{
  @page{size:A4;margin:14mm 12mm 14mm 12mm}
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  body{font-size:11pt}
  main{max-width:none;padding:0}
  .tiles{grid-template-columns:repeat(4,1fr)}
  table{font-size:8.5pt}
  th,td{padding:2px 4px}
  .heat td{min-width:0}
  section{margin-top:14px}
  section.page{break-before:page}
  figure svg{max-height:120mm;width:auto;margin:0 auto}
  .reading{background:#ffffff;border-left:3px solid #1f5fa8}
}
)";

// ---- building blocks -------------------------------------------------------------------------------------------

struct page {
  std::string out;
  void raw(std::string_view s) { out += s; }
  void text(std::string_view s) { out += svg::escape(s); }
  void open_section(std::string_view id, std::string_view heading, std::string_view reading, bool new_page) {
    out += "<section id=\"";
    out += id;
    out += "\" aria-labelledby=\"h-";
    out += id;
    out += '"';
    if (new_page) {
      out += " class=\"page\"";
    }
    out += ">\n<h2 id=\"h-";
    out += id;
    out += "\">";
    out += svg::escape(heading);
    out += "</h2>\n<p class=\"reading\">";
    out += svg::escape(reading);
    out += "</p>\n";
  }
  void close_section() { out += "</section>\n"; }
};

ETHOS_DECL std::string attr(std::string_view name, std::string_view value) {
  return std::string(name) + "=\"" + svg::escape(value) + "\"";
}

ETHOS_DECL std::string fixed_or(const std::optional<double>& v, int decimals, std::string_view otherwise = "n/a") {
  return v && std::isfinite(*v) ? svg::format_fixed(*v, decimals) : std::string(otherwise);
}

ETHOS_DECL std::string percent(const std::optional<double>& share) {
  return share && std::isfinite(*share) ? svg::format_fixed(100.0 * *share, 0) + "%" : std::string("n/a");
}

ETHOS_DECL std::string signed_fixed(double v, int decimals) {
  const std::string s = svg::format_fixed(v, decimals);
  if (s.front() == '-') {
    return "\xe2\x88\x92" + s.substr(1); // a minus sign
  }
  return (v > 0 && s.find_first_not_of("0.") != std::string::npos ? "+" : "") + s;
}

// The word a hidden cell shows, and the reason its tooltip gives.
ETHOS_DECL std::string hidden_word(suppression s) { return s == suppression::too_small ? "too few" : "withheld"; }

// The hatching of hidden cells: a vector pattern defined once (a CSS gradient or image would be rasterised into a
// printed PDF, 35 MB and more for the sample report), drawn by a decorative SVG that fills the cell.
inline constexpr std::string_view hatch_pattern =
    "<svg width=\"0\" height=\"0\" style=\"position:absolute\" aria-hidden=\"true\" focusable=\"false\"><defs>"
    "<pattern id=\"hatch\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" "
    "patternTransform=\"rotate(45)\"><rect width=\"3\" height=\"8\" fill=\"#c4c4c4\"/></pattern></defs></svg>\n";
inline constexpr std::string_view hatch =
    "<svg class=\"hatch\" aria-hidden=\"true\" focusable=\"false\"><rect width=\"100%\" height=\"100%\" "
    "fill=\"url(#hatch)\"/></svg>";

// A hidden cell: hatched, `words` as its text and `title` as its tooltip, and nothing else (no value, no count).
ETHOS_DECL std::string hatched_cell(std::string_view title, std::string_view words, std::size_t colspan = 1) {
  std::string td = "<td class=\"hid\"";
  if (colspan > 1) {
    td += " colspan=\"" + std::to_string(colspan) + "\"";
  }
  td += " " + attr("title", title) + ">";
  td += hatch;
  td += "<span>" + svg::escape(words) + "</span></td>";
  return td;
}

// The hidden cell of a figure suppressed as `s`: the reason's word (the whole sentence across several columns).
ETHOS_DECL std::string hidden_cell(suppression s, std::size_t k, std::size_t colspan = 1) {
  const suppression why = s == suppression::none ? suppression::secondary : s;
  const std::string reason = hidden_reason(why, k);
  return hatched_cell(reason, colspan > 1 ? reason : hidden_word(why), colspan);
}

// A heatmap cell of a favourable share: hatched when hidden, coloured with its percentage when shown.
ETHOS_DECL std::string share_cell(suppression status, const std::optional<double>& favorable, std::size_t k) {
  if (status != suppression::none) {
    return hidden_cell(status, k);
  }
  if (!favorable) {
    return "<td>n/a</td>";
  }
  return "<td " + attr("style", cell_style(*favorable)) + ">" + svg::format_fixed(100.0 * *favorable, 0) + "</td>";
}

// A unit's name in the tables: "Organisation" for the root, else its name (its id when it has none).
ETHOS_DECL std::string unit_name(const unit_result& u) {
  return u.depth == 0 ? std::string("Organisation") : u.name.empty() ? u.id : u.name;
}

// Column heads for the constructs: short names with the full label for screen readers and tooltips.
ETHOS_DECL std::string construct_heads(const std::vector<std::string>& abbr, const std::vector<std::string>& labels) {
  std::string out;
  for (std::size_t c = 0; c < abbr.size(); ++c) {
    out += "<th scope=\"col\" " + attr("data-construct", std::to_string(c)) + "><abbr " + attr("title", labels[c]) +
           ">" + svg::escape(abbr[c]) + "</abbr></th>";
  }
  return out;
}

// The key to the abbreviations under a table.
ETHOS_DECL std::string abbreviation_note(const std::vector<std::string>& abbr, const std::vector<std::string>& labels) {
  std::string out = "<p class=\"note\">";
  for (std::size_t c = 0; c < abbr.size(); ++c) {
    out += (c == 0 ? "" : "; ") + std::string("<b>") + svg::escape(abbr[c]) + "</b> " + svg::escape(labels[c]);
  }
  return out + ".</p>\n";
}

ETHOS_DECL std::string hatch_legend(std::size_t k) {
  return std::string("<p class=\"note\">Colour: favourable share, light (low) to dark blue (high).") +
         "<span class=\"swatch\">" + std::string(hatch) +
         "</span><b>too few</b>: " + svg::escape(hidden_reason(suppression::too_small, k)) +
         "; <b>withheld</b>: " + svg::escape(hidden_reason(suppression::secondary, k)) + ".</p>\n";
}

// An inline SVG chart: its <svg> element (title and desc first) inside a figure with a caption.
ETHOS_DECL std::string figure_of(const svg::document& d, std::string_view caption) {
  std::string out = "<figure>\n";
  d.root().write_to(out);
  out += "<figcaption>" + svg::escape(caption) + "</figcaption>\n</figure>\n";
  return out;
}

// Tables longer than this many rows are written as several tables of at most this many, each with its header and
// its caption numbered ("(2 of 3)"): a printed table is never cut across pages, and one of this size fits on one.
inline constexpr std::size_t max_table_rows = 30;

// An internal-service matrix of more units than this is too wide for a page: the units' margins are shown instead.
inline constexpr std::size_t max_matrix_units = 16;

// Splits every table of `page` with more than max_table_rows body rows (each row ends in "</tr>\n").
ETHOS_DECL std::string split_long_tables(const std::string& page) {
  std::string out;
  out.reserve(page.size() + page.size() / 16);
  std::size_t at = 0;
  for (std::size_t t = page.find("<table class=\"", at); t != std::string::npos; t = page.find("<table class=\"", at)) {
    const std::size_t cap = page.find("<caption>", t);
    const std::size_t cap_end = page.find("</caption>", cap);
    const std::size_t body = page.find("<tbody>\n", cap_end);
    const std::size_t end = page.find("</tbody>\n</table>\n", body);
    std::vector<std::size_t> row_ends;
    for (std::size_t r = page.find("</tr>\n", body); r != std::string::npos && r < end;
         r = page.find("</tr>\n", r + 1)) {
      row_ends.push_back(r + 6);
    }
    out.append(page, at, t - at);
    at = end + 17;
    if (row_ends.size() <= max_table_rows) {
      out.append(page, t, at - t);
      continue;
    }
    const std::string open(page, t, cap + 9 - t);                // <table ...>\n<caption>
    const std::string caption(page, cap + 9, cap_end - cap - 9); // its text
    const std::string head(page, cap_end, body + 8 - cap_end);   // </caption>\n<thead>...<tbody>\n
    const std::size_t parts = (row_ends.size() + max_table_rows - 1) / max_table_rows;
    for (std::size_t part = 0; part < parts; ++part) {
      const std::size_t first = part * max_table_rows;
      const std::size_t last = std::min(row_ends.size(), first + max_table_rows);
      const std::size_t from = first == 0 ? body + 8 : row_ends[first - 1];
      out += open + caption + " (" + std::to_string(part + 1) + " of " + std::to_string(parts) + ")" + head;
      out.append(page, from, row_ends[last - 1] - from);
      out += "</tbody>\n</table>\n";
    }
  }
  out.append(page, at, std::string::npos);
  return out;
}

} // namespace detail::html

namespace detail {

// ---- sections ------------------------------------------------------------------------------------------------

ETHOS_DECL void html_summary(html::page& p, const survey_report& r) {
  using namespace html;
  const assessment& a = r.summary;
  const std::size_t k = r.min_group_size;
  p.open_section("summary", "Summary",
                 "Start here: how many people took part, the overall level of the culture and where it is strongest "
                 "and weakest.",
                 false);
  p.raw("<dl class=\"tiles\">\n");
  const auto tile = [&](std::string_view term, const std::string& value, const std::string& small) {
    p.raw("<div class=\"tile\"><dt>" + svg::escape(term) + "</dt><dd>" + svg::escape(value));
    if (!small.empty()) {
      p.raw("<small>" + svg::escape(small) + "</small>");
    }
    p.raw("</dd></div>\n");
  };
  std::string read = std::to_string(a.counts.used) + " used";
  if (a.counts.invalid > 0) {
    read = std::to_string(a.counts.rows) + " rows read, " + std::to_string(a.counts.invalid) + " invalid left out";
  }
  tile("Respondents", std::to_string(a.counts.used), read);
  if (r.units && !r.units->units.empty() && r.units->units.front().participation) {
    const auto& org = r.units->units.front();
    tile("Participation", svg::format_fixed(100.0 * *org.participation, 0) + "%",
         "of " + std::to_string(org.invited.value_or(0)) + " invited");
  } else {
    tile("Participation", "not known", "no invited headcount was given");
  }
  // The overall index: the plain mean of the shown constructs' indexes (a figure of published figures).
  double sum = 0.0;
  std::size_t shown = 0;
  std::vector<const construct_assessment*> ranked;
  for (const auto& c : a.constructs) {
    if (c.status == suppression::none && c.summary.index) {
      sum += *c.summary.index;
      ++shown;
      ranked.push_back(&c);
    }
  }
  if (shown > 0) {
    tile("Overall index", svg::format_fixed(sum / static_cast<double>(shown), 1),
         "mean of " + std::to_string(shown) + " construct indexes, 0-100");
  } else {
    tile("Overall index", "not shown", hidden_reason(suppression::too_small, k));
  }
  if (a.enps && a.enps_status == suppression::none && a.enps->score) {
    const double s = *a.enps->score;
    std::string interval;
    if (a.enps->se) {
      const double lo = std::max(-100.0, s - 1.96 * *a.enps->se);
      const double hi = std::min(100.0, s + 1.96 * *a.enps->se);
      interval = "95% interval " + signed_fixed(lo, 1) + " to " + signed_fixed(hi, 1) + ", ";
    }
    tile("eNPS", signed_fixed(s, 1), interval + "n " + std::to_string(a.enps->n));
  } else if (a.enps) {
    tile("eNPS", "not shown", a.enps_status != suppression::none ? hidden_reason(a.enps_status, k) : a.enps->reason);
  }
  p.raw("</dl>\n");
  std::stable_sort(ranked.begin(), ranked.end(), [](const construct_assessment* x, const construct_assessment* y) {
    return *x->summary.index > *y->summary.index;
  });
  const std::size_t each = std::min<std::size_t>(3, ranked.size() / 2);
  if (each > 0) {
    const auto list = [&](std::string_view heading, bool top) {
      p.raw("<div><h3>" + svg::escape(heading) + "</h3><ol>\n");
      for (std::size_t i = 0; i < each; ++i) {
        const auto* c = top ? ranked[i] : ranked[ranked.size() - 1 - i];
        p.raw("<li>" + svg::escape(c->summary.label) + ": index " + svg::format_fixed(*c->summary.index, 1) + " (" +
              percent(c->summary.favorable) + " favourable)</li>\n");
      }
      p.raw("</ol></div>\n");
    };
    p.raw("<div class=\"lists\">\n");
    list("Strongest", true);
    list("Weakest", false);
    p.raw("</div>\n");
  }
  p.raw("<p class=\"note\">No figure of this report describes fewer than " + std::to_string(k) +
        " people, and no sum or difference of its figures does: the disclosure audit checked " +
        std::to_string(r.audit.cells) + " published cells together.</p>\n");
  p.close_section();
}

ETHOS_DECL void html_constructs(html::page& p, const survey_report& r, const html_report_options& o) {
  using namespace html;
  const assessment& a = r.summary;
  const std::size_t k = r.min_group_size;
  const bool grouped = !a.group_by.empty();
  p.open_section("constructs", "Constructs",
                 "Read each construct's index and favourable share for its level, and trust it less where "
                 "reliability is marked low.",
                 false);
  p.raw("<table class=\"constructs\">\n<caption>Each construct over the respondents with a score on it</caption>\n");
  p.raw("<thead><tr><th scope=\"col\">Construct</th><th scope=\"col\">n</th><th scope=\"col\">Mean</th>"
        "<th scope=\"col\">SD</th><th scope=\"col\">Index</th><th scope=\"col\">Fav.</th>"
        "<th scope=\"col\">Unfav.</th><th scope=\"col\"><abbr title=\"Cronbach's alpha\">Alpha</abbr></th>"
        "<th scope=\"col\"><abbr title=\"McDonald's omega total\">Omega</abbr></th>");
  if (grouped) {
    p.raw("<th scope=\"col\">ICC(1)</th><th scope=\"col\">ICC(2)</th><th scope=\"col\">rwg(j)</th>");
  }
  p.raw("</tr></thead>\n<tbody>\n");
  const std::size_t figures = grouped ? 10 : 7;
  for (const auto& c : a.constructs) {
    const auto& s = c.summary;
    p.raw("<tr " + attr("data-construct", s.key) + "><th scope=\"row\">" + svg::escape(s.label) + "</th><td>" +
          std::to_string(s.n) + "</td>");
    if (c.status != suppression::none) {
      p.raw(hidden_cell(c.status, k, figures) + "</tr>\n");
      continue;
    }
    p.raw("<td>" + fixed_or(s.mean, 2) + "</td><td>" + fixed_or(s.sd, 2) + "</td><td>" + fixed_or(s.index, 1) +
          "</td><td>" + percent(s.favorable) + "</td><td>" + percent(s.unfavorable) + "</td>");
    const auto rel = [&](const std::optional<double>& v) {
      if (v && std::isfinite(*v) && *v < o.low_reliability) {
        p.raw("<td class=\"low\">" + svg::format_fixed(*v, 2) + "<span class=\"flag\">low</span></td>");
      } else {
        p.raw("<td>" + fixed_or(v, 2) + "</td>");
      }
    };
    rel(c.reliability.alpha);
    rel(c.omega.omega);
    if (grouped) {
      if (c.agreement) {
        p.raw("<td>" + fixed_or(c.agreement->icc.icc1, 2) + "</td><td>" + fixed_or(c.agreement->icc.icc2, 2) +
              "</td><td>" + fixed_or(c.agreement->rwg_j.mean, 2) + "</td>");
      } else {
        p.raw("<td>n/a</td><td>n/a</td><td>n/a</td>");
      }
    }
    p.raw("</tr>\n");
  }
  p.raw("</tbody>\n</table>\n");
  p.raw("<p class=\"note\">Scale " + std::to_string(a.scale.min()) + "-" + std::to_string(a.scale.max()) +
        "; <span class=\"flag\">low</span> marks alpha or omega below " + svg::format_fixed(o.low_reliability, 2) +
        ": the items may not measure one thing." +
        (grouped ? " ICC and rwg(j) are over the groups of '" + svg::escape(a.group_by) + "'." : std::string()) +
        "</p>\n");
  p.close_section();
}

ETHOS_DECL void html_profile(html::page& p, const survey_report& r) {
  using namespace html;
  bool radar = false;
  if (r.summary.constructs.size() >= 3) {
    for (const auto& c : r.summary.constructs) {
      radar = radar || (c.status == suppression::none && c.summary.index.has_value());
    }
  }
  // The six-level chart has a bar for each item answered by at least k people; without one there is no chart.
  bool levels = false;
  for (const auto st : r.summary.service_level_status) {
    levels = levels || st == suppression::none;
  }
  if (!radar && !levels) {
    return;
  }
  p.open_section("profile", "Profile",
                 "The further out a building block reaches, the higher its index; dents show where the culture is "
                 "thinnest.",
                 true);
  if (radar) {
    p.raw(figure_of(assessment_radar(r), "The 0-100 index of each construct; a construct without data is marked, "
                                         "never drawn as zero."));
  }
  if (levels) {
    p.raw(figure_of(assessment_levels(r),
                    "The six-level ratings: the share of answers at each level of service, for items with at least " +
                        std::to_string(r.min_group_size) + " answers."));
  }
  p.close_section();
}

// The groups table of an assessment.
ETHOS_DECL void html_groups_table(html::page& p, const assessment& a, const std::vector<std::string>& abbr,
                                  const std::vector<std::string>& labels) {
  using namespace html;
  const std::size_t k = a.min_group_size;
  p.raw("<table class=\"heat groups\">\n<caption>Favourable share (%) by " + svg::escape(a.group_by) +
        "</caption>\n<thead><tr><th scope=\"col\">" + svg::escape(a.group_by) + "</th><th scope=\"col\">n</th>" +
        construct_heads(abbr, labels) + "</tr></thead>\n<tbody>\n");
  for (const auto& g : a.groups) {
    p.raw("<tr " + attr("data-group", g.id) + "><th scope=\"row\">" + svg::escape(g.id) + "</th><td>" +
          std::to_string(g.n) + "</td>");
    if (g.suppressed != suppression::none) {
      p.raw(hidden_cell(g.suppressed, k, labels.size()));
    } else {
      for (const auto& gc : g.constructs) {
        p.raw(share_cell(gc.status, gc.favorable, k));
      }
    }
    p.raw("</tr>\n");
  }
  p.raw("</tbody>\n</table>\n");
}

// The depth the unit tables list: max_unit_depth, or 1 when more units than max_unit_rows would be listed, or 0 (the
// organisation alone) when even the top-level units are more.
ETHOS_DECL std::size_t listed_depth(const org_rollup& u, const html_report_options& o) {
  const auto units_to = [&](std::size_t d) {
    return static_cast<std::size_t>(
        std::count_if(u.units.begin(), u.units.end(), [&](const unit_result& x) { return x.depth <= d; }));
  };
  std::size_t d = o.max_unit_depth;
  if (d > 1 && units_to(d) > o.max_unit_rows) {
    d = 1;
  }
  if (d == 1 && units_to(1) > o.max_unit_rows + 1) {
    d = 0;
  }
  return d;
}

ETHOS_DECL std::string too_many_note(std::size_t n, std::string_view what, std::size_t depth, std::string_view file) {
  return "<p class=\"note\">" + std::to_string(n) + " " + std::string(what) + " are more than a page can list: " +
         (depth == 0 ? std::string("the organisation alone is shown")
                     : "units are shown down to depth " + std::to_string(depth)) +
         " (every one is in the " + std::string(file) + ").</p>\n";
}

// The units of a roll-up by id: the cut and the trend find a row's unit once each (a search would be quadratic: 80,000
// cut rows of 20,000 units).
inline std::unordered_map<std::string_view, const unit_result*> units_by_id(const org_rollup& u) {
  std::unordered_map<std::string_view, const unit_result*> by;
  by.reserve(u.units.size());
  for (const auto& x : u.units) {
    by.emplace(x.id, &x);
  }
  return by;
}

// One table of units: `rows` in tree order.
ETHOS_DECL void html_units_table(html::page& p, const org_rollup& r, const std::vector<const unit_result*>& rows,
                                 std::string_view caption, const std::vector<std::string>& abbr,
                                 const std::vector<std::string>& labels, bool participation) {
  using namespace html;
  p.raw("<table class=\"heat units\">\n<caption>" + svg::escape(caption) +
        "</caption>\n<thead><tr><th scope=\"col\">Unit</th><th scope=\"col\">n</th>" +
        (participation ? "<th scope=\"col\"><abbr title=\"participation: respondents of the invited\">Resp.</abbr>"
                         "</th>"
                       : "") +
        construct_heads(abbr, labels) + "</tr></thead>\n<tbody>\n");
  for (const auto* u : rows) {
    const std::string name = unit_name(*u);
    p.raw("<tr " + attr("data-unit", u->id) + "><th scope=\"row\" class=\"d" +
          std::to_string(std::min<std::size_t>(u->depth, 2)) + "\">" + svg::escape(name) + "</th><td>" +
          std::to_string(u->respondents) + "</td>");
    if (participation) {
      p.raw("<td>" + (u->participation ? svg::format_fixed(100.0 * *u->participation, 0) + "%" : std::string()) +
            "</td>");
    }
    for (const auto& c : u->constructs) {
      p.raw(share_cell(c.status, c.favorable, r.min_group_size));
    }
    p.raw("</tr>\n");
  }
  p.raw("</tbody>\n</table>\n");
}

ETHOS_DECL void html_heatmap(html::page& p, const survey_report& r, const html_report_options& o) {
  using namespace html;
  const assessment& a = r.summary;
  const bool grouped = !a.group_by.empty() && !a.groups.empty();
  if (!grouped && !r.units) {
    return;
  }
  p.open_section("heatmap", "Groups and units",
                 "Darker cells have a larger favourable share; compare across a row for a group's own pattern and "
                 "down a column for where a construct is weak.",
                 true);
  std::vector<std::string> labels;
  for (const auto& c : a.constructs) {
    labels.push_back(c.summary.label);
  }
  const auto abbr = construct_abbreviations(a.constructs);
  if (grouped && a.groups.size() > o.max_unit_rows) {
    p.raw("<p class=\"note\">" + std::to_string(a.groups.size()) + " groups of '" + svg::escape(a.group_by) +
          "' are more than a page can list (every one is in the group results CSV).</p>\n");
  } else if (grouped) {
    html_groups_table(p, a, abbr, labels);
  }
  if (r.units && !r.units->units.empty()) {
    const org_rollup& u = *r.units;
    const std::size_t depth = listed_depth(u, o);
    const std::size_t listed = static_cast<std::size_t>(std::count_if(
        u.units.begin(), u.units.end(), [&](const unit_result& x) { return x.depth <= o.max_unit_depth; }));
    const bool cut_down = depth < o.max_unit_depth && listed > 1;
    bool participation = false;
    for (const auto& x : u.units) {
      participation = participation || x.participation.has_value();
    }
    // The organisation and its top-level units in one table, then each top-level unit's sub-units in a table of
    // their own, so that no table is longer than a printed page.
    std::vector<const unit_result*> top;
    for (const auto& x : u.units) {
      if (x.depth <= std::min<std::size_t>(depth, 1)) {
        top.push_back(&x);
      }
    }
    html_units_table(p, u, top, "Favourable share (%) by unit, each with its sub-units", abbr, labels, participation);
    if (depth >= 2) {
      for (std::size_t i = 0; i < u.units.size(); ++i) {
        if (u.units[i].depth != 1) {
          continue;
        }
        std::vector<const unit_result*> rows{&u.units[i]};
        for (std::size_t j = i + 1; j < u.units.size() && u.units[j].depth > 1; ++j) {
          if (u.units[j].depth <= depth) {
            rows.push_back(&u.units[j]);
          }
        }
        if (rows.size() > 1) {
          const std::string& name = u.units[i].name.empty() ? u.units[i].id : u.units[i].name;
          html_units_table(p, u, rows, name + ": favourable share (%) by sub-unit", abbr, labels, participation);
        }
      }
    }
    if (cut_down) {
      p.raw(
          too_many_note(listed, "units down to depth " + std::to_string(o.max_unit_depth), depth, "unit results CSV"));
    }
    if (u.cut && !u.cut->rows.empty()) {
      p.raw("<table class=\"heat cut\">\n<caption>Favourable share (%) by unit and " + svg::escape(u.cut->column) +
            "</caption>\n<thead><tr><th scope=\"col\">Unit</th><th scope=\"col\">" + svg::escape(u.cut->column) +
            "</th><th scope=\"col\">n</th>" + construct_heads(abbr, labels) + "</tr></thead>\n<tbody>\n");
      const auto by = units_by_id(u);
      for (const auto& row : u.cut->rows) {
        const auto found = by.find(row.unit);
        if (found == by.end() || found->second->depth > std::min<std::size_t>(depth, 1)) {
          continue;
        }
        const unit_result* it = found->second;
        const std::string name = unit_name(*it);
        p.raw("<tr " + attr("data-unit", row.unit) + " " + attr("data-level", row.level) + "><th scope=\"row\">" +
              svg::escape(name) + "</th><td class=\"text\">" + svg::escape(row.level) + "</td><td>" +
              std::to_string(row.respondents) + "</td>");
        for (const auto& c : row.constructs) {
          p.raw(share_cell(c.status, c.favorable, u.min_group_size));
        }
        p.raw("</tr>\n");
      }
      p.raw("</tbody>\n</table>\n");
    }
  }
  p.raw(abbreviation_note(abbr, labels));
  p.raw(hatch_legend(r.min_group_size));
  p.close_section();
}

ETHOS_DECL void html_drivers(html::page& p, const survey_report& r, const html_report_options& o) {
  using namespace html;
  if (r.drivers.empty()) {
    return;
  }
  const auto& first = r.drivers.front().analysis;
  p.open_section("drivers", "Drivers",
                 "Constructs on the right matter most to '" +
                     (first.outcome_label.empty() ? first.outcome : first.outcome_label) +
                     "'; those lower right (priorities) matter and score below the rest, so they promise the largest "
                     "gain.",
                 true);
  std::vector<std::string> labels;
  for (const auto& c : r.summary.constructs) {
    labels.push_back(c.summary.label);
  }
  const auto abbr = construct_abbreviations(r.summary.constructs);
  const auto short_of = [&](const driver_analysis& a) {
    std::vector<std::string> s;
    for (const auto& d : a.drivers) {
      const auto it = std::find_if(r.summary.constructs.begin(), r.summary.constructs.end(),
                                   [&](const construct_assessment& c) { return c.summary.key == d.key; });
      s.push_back(it == r.summary.constructs.end() ? d.key
                                                   : abbr[static_cast<std::size_t>(it - r.summary.constructs.begin())]);
    }
    return s;
  };
  std::vector<const unit_drivers*> others;
  for (const auto& ud : r.drivers) {
    if (!ud.unit.empty()) {
      others.push_back(&ud);
      continue;
    }
    const auto& a = ud.analysis;
    bool placed = false;
    std::size_t with = 0;
    for (const auto& d : a.drivers) {
      with += d.share && d.performance && d.quadrant ? 1 : 0;
    }
    placed = with >= 2 && a.importance_centre && a.performance_centre;
    if (!placed) {
      p.raw("<p>No driver chart for the organisation: " + svg::escape(a.reason.empty() ? "no weights" : a.reason) +
            ".</p>\n");
      continue;
    }
    svg::driver_chart_options dco;
    dco.short_labels = short_of(a);
    dco.title = "Drivers of " + (a.outcome_label.empty() ? a.outcome : a.outcome_label) + ": the organisation";
    p.raw(figure_of(svg::driver_chart_document(a, dco),
                    "Each construct placed by its importance (its share of R\xc2\xb2, by relative weights) and its "
                    "mean score; dashed lines at the means of both."));
    p.raw("<table class=\"drivers\">\n<caption>Drivers in the organisation (n " + std::to_string(a.n) +
          (a.r_squared ? ", R\xc2\xb2 " + svg::format_fixed(*a.r_squared, 2) : std::string()) +
          ")</caption>\n<thead><tr><th scope=\"col\">Construct</th><th scope=\"col\">r</th>"
          "<th scope=\"col\">Importance</th><th scope=\"col\">Mean</th><th scope=\"col\">Quadrant</th></tr></thead>\n"
          "<tbody>\n");
    std::vector<std::size_t> order(a.drivers.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
      order[i] = i;
    }
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
      return a.drivers[x].share.value_or(-1.0) > a.drivers[y].share.value_or(-1.0);
    });
    for (const std::size_t i : order) {
      const auto& d = a.drivers[i];
      p.raw("<tr " + attr("data-construct", d.key) + "><th scope=\"row\">" + svg::escape(d.label) + "</th><td>" +
            fixed_or(d.r, 2) + "</td><td>" + percent(d.share) + "</td><td>" + fixed_or(d.performance, 2) +
            "</td><td class=\"text\">" +
            (d.quadrant ? std::string(ethos::to_string(*d.quadrant)) : std::string("n/a")) + "</td></tr>\n");
    }
    p.raw("</tbody>\n</table>\n");
  }
  if (others.size() > o.max_unit_rows) {
    p.raw("<p class=\"note\">" + std::to_string(others.size()) +
          " units' driver analyses are more than a page can list (every one is in the JSON report).</p>\n");
  } else if (!others.empty()) {
    p.raw("<table class=\"unit-drivers\">\n<caption>Priorities and strengths by unit</caption>\n<thead><tr>"
          "<th scope=\"col\">Unit</th><th scope=\"col\">n</th><th scope=\"col\">Priorities</th>"
          "<th scope=\"col\">Strengths</th></tr></thead>\n<tbody>\n");
    for (const auto* ud : others) {
      const auto& a = ud->analysis;
      p.raw("<tr " + attr("data-unit", ud->unit) + "><th scope=\"row\">" + svg::escape(ud->unit) + "</th><td>" +
            std::to_string(a.n) + "</td>");
      // Each construct by its short name, with the full label for screen readers and tooltips.
      const auto names = short_of(a);
      std::string pri;
      std::string str;
      for (std::size_t i = 0; i < a.drivers.size(); ++i) {
        const auto& d = a.drivers[i];
        const std::string mark = "<abbr " + attr("title", d.label) + ">" + svg::escape(names[i]) + "</abbr>";
        if (d.quadrant == driver_quadrant::priority) {
          pri += (pri.empty() ? "" : ", ") + mark;
        } else if (d.quadrant == driver_quadrant::strength) {
          str += (str.empty() ? "" : ", ") + mark;
        }
      }
      if (pri.empty() && str.empty()) {
        p.raw("<td class=\"text\" colspan=\"2\">" + svg::escape(a.reason.empty() ? "no quadrants" : a.reason) +
              "</td>");
      } else {
        p.raw("<td class=\"text\">" + (pri.empty() ? std::string("none") : pri) + "</td><td class=\"text\">" +
              (str.empty() ? std::string("none") : str) + "</td>");
      }
      p.raw("</tr>\n");
    }
    p.raw("</tbody>\n</table>\n");
    p.raw(abbreviation_note(abbr, labels));
  }
  p.close_section();
}

ETHOS_DECL void html_trend(html::page& p, const survey_report& r, const html_report_options& o) {
  using namespace html;
  if (!r.trend || !r.units) {
    return;
  }
  const auto& t = *r.trend;
  const auto& u = *r.units;
  p.open_section("trend", "Change since the previous wave",
                 "A bold change with an arrow is larger than chance would explain (p < .05); a plain one may be "
                 "noise.",
                 true);
  std::vector<std::string> labels;
  for (const auto& c : t.constructs) {
    labels.push_back(c.label);
  }
  const auto abbr = rollup_abbreviations(t.constructs);
  const std::size_t depth = std::min<std::size_t>(listed_depth(u, o), 1);
  if (depth == 0) {
    p.raw(too_many_note(static_cast<std::size_t>(std::count_if(u.units.begin(), u.units.end(),
                                                               [](const unit_result& x) { return x.depth == 1; })),
                        "top-level units", 0, "JSON report"));
  }
  p.raw("<table class=\"trend\">\n<caption>Change of the mean score, later wave minus earlier</caption>\n<thead><tr>"
        "<th scope=\"col\">Unit</th>" +
        construct_heads(abbr, labels) + "</tr></thead>\n<tbody>\n");
  const auto by = units_by_id(u);
  for (const auto& ut : t.units) {
    const auto found = by.find(ut.unit);
    if (found == by.end() || found->second->depth > depth) {
      continue;
    }
    const unit_result* it = found->second;
    const std::string name = unit_name(*it);
    p.raw("<tr " + attr("data-unit", ut.unit) + "><th scope=\"row\" class=\"d" + std::to_string(it->depth) + "\">" +
          svg::escape(name) + "</th>");
    for (const auto& ch : ut.constructs) {
      if (!ch.change) {
        const bool hidden = ch.code == reason_code::withheld;
        p.raw(hidden ? hatched_cell(ch.reason, "withheld")
                     : "<td class=\"text\" " + attr("title", ch.reason) + ">n/a</td>");
        continue;
      }
      const bool sig = ch.significant.value_or(false);
      std::string tip = "from " + fixed_or(ch.before, 2) + " to " + fixed_or(ch.after, 2);
      if (ch.welch.p) {
        tip += ", p " + svg::format_fixed(*ch.welch.p, 3);
      }
      if (ch.d.value) {
        tip += ", d " + svg::format_fixed(*ch.d.value, 2);
      }
      const std::string arrow = !sig ? "" : *ch.change > 0 ? "\xe2\x96\xb2 " : "\xe2\x96\xbc ";
      p.raw("<td " + std::string(sig ? "class=\"sig\" " : "") + attr("title", tip) + ">" + arrow +
            signed_fixed(*ch.change, 2) + "</td>");
    }
    p.raw("</tr>\n");
  }
  p.raw("</tbody>\n</table>\n");
  p.raw(abbreviation_note(abbr, labels));
  p.raw("<p class=\"note\">\xe2\x96\xb2 / \xe2\x96\xbc: a significant rise or fall (Welch's t, p < .05); the tooltip "
        "gives both means, p and Cohen's d. <b>withheld</b>: one of the two waves hides the cell, so no change is "
        "shown.</p>\n");
  p.close_section();
}

// The rater x served matrix with its margins.
template <class Cell>
void html_internal_matrix(html::page& p, const internal_service_result& is, const Cell& cell) {
  using namespace html;
  p.raw("<table class=\"internal\">\n<caption>Mean rating: rows rate columns</caption>\n<thead><tr>"
        "<th scope=\"col\">Rater \xe2\x86\x93 / served \xe2\x86\x92</th>");
  for (const auto& u : is.units) {
    p.raw("<th scope=\"col\">" + svg::escape(u) + "</th>");
  }
  p.raw("<th scope=\"col\">Gives</th></tr></thead>\n<tbody>\n");
  for (std::size_t i = 0; i < is.units.size(); ++i) {
    p.raw("<tr " + attr("data-unit", is.units[i]) + "><th scope=\"row\">" + svg::escape(is.units[i]) + "</th>");
    for (std::size_t j = 0; j < is.units.size(); ++j) {
      p.raw(i == j && is.matrix[i][j].ratings == 0 ? std::string("<td class=\"text\">&#8211;</td>")
                                                   : cell(is.matrix[i][j]));
    }
    p.raw(cell(is.given[i]) + "</tr>\n");
  }
  p.raw("<tr><th scope=\"row\">Receives</th>");
  for (std::size_t j = 0; j < is.units.size(); ++j) {
    p.raw(cell(is.received[j]));
  }
  p.raw(cell(is.overall) + "</tr>\n</tbody>\n</table>\n");
}

ETHOS_DECL void html_internal_service(html::page& p, const survey_report& r) {
  using namespace html;
  if (!r.internal_service) {
    return;
  }
  const auto& is = *r.internal_service;
  const std::size_t k = r.min_group_size;
  p.open_section("internal-service", "Internal service",
                 "Each row is how one unit's people rate the service of the units across the top; low rows and "
                 "columns show strained links.",
                 true);
  const auto cell = [&](const internal_cell& c) -> std::string {
    if (c.status != suppression::none) {
      return hidden_cell(c.status, k);
    }
    if (!c.mean) {
      return "<td class=\"text\">&#8211;</td>";
    }
    return "<td>" + svg::format_fixed(*c.mean, 2) + "</td>";
  };
  if (is.units.size() > max_matrix_units) {
    // Too wide for a page: each unit's margins, one row each.
    p.raw("<p class=\"note\">The matrix of " + std::to_string(is.units.size()) +
          " units is too wide for a page: each unit's margins are shown (the JSON report has every cell).</p>\n");
    p.raw("<table class=\"internal-margins\">\n<caption>Mean rating each unit receives from other units and gives "
          "them</caption>\n<thead><tr><th scope=\"col\">Unit</th><th scope=\"col\">Receives</th>"
          "<th scope=\"col\">Gives</th></tr></thead>\n<tbody>\n");
    for (std::size_t i = 0; i < is.units.size(); ++i) {
      p.raw("<tr " + attr("data-unit", is.units[i]) + "><th scope=\"row\">" + svg::escape(is.units[i]) + "</th>" +
            cell(is.received[i]) + cell(is.given[i]) + "</tr>\n");
    }
    p.raw("<tr><th scope=\"row\">All ratings</th>" + cell(is.overall) + cell(is.overall) +
          "</tr>\n</tbody>\n</table>\n");
  } else {
    html_internal_matrix(p, is, cell);
  }
  if (!is.possible_silos.empty() || !is.asymmetric.empty()) {
    p.raw("<ul>\n");
    for (const auto& s : is.possible_silos) {
      p.raw("<li>Possible silo: <b>" + svg::escape(s) +
            "</b> is rated below the expected level by every unit shown.</li>\n");
    }
    for (std::size_t i = 0; i < is.asymmetric.size() && i < max_matrix_units; ++i) {
      const auto& f = is.asymmetric[i];
      p.raw("<li>Asymmetric pair: " + svg::escape(f.a) + " rates " + svg::escape(f.b) + " " +
            svg::format_fixed(f.a_rates_b, 2) + ", " + svg::escape(f.b) + " rates " + svg::escape(f.a) + " " +
            svg::format_fixed(f.b_rates_a, 2) + ".</li>\n");
    }
    if (is.asymmetric.size() > max_matrix_units) {
      p.raw("<li>... and " + std::to_string(is.asymmetric.size() - max_matrix_units) +
            " more asymmetric pairs (the JSON report has them all).</li>\n");
    }
    p.raw("</ul>\n");
  }
  p.close_section();
}

ETHOS_DECL void html_measurement(html::page& p, const survey_report& r, const html_report_options& o) {
  using namespace html;
  if (o.measurement == nullptr && o.invariance == nullptr) {
    return;
  }
  const std::size_t k = r.min_group_size;
  p.open_section("measurement", "Measurement model",
                 "A good fit means the items group into the constructs as the instrument intends, so the construct "
                 "scores can be compared.",
                 true);
  const auto fit_cells = [](const cfa_fit& f) {
    return "<td>" + svg::format_fixed(f.chisq, 2) + "</td><td>" + std::to_string(f.df) + "</td><td>" +
           svg::format_fixed(f.cfi, 3) + "</td><td>" + fixed_or(f.tli, 3) + "</td><td>" + fixed_or(f.rmsea, 3) +
           "</td><td>" + svg::format_fixed(f.srmr, 3) + "</td>";
  };
  const std::string fit_heads = "<th scope=\"col\">Chi-square</th><th scope=\"col\">df</th><th scope=\"col\">CFI</th>"
                                "<th scope=\"col\">TLI</th><th scope=\"col\">RMSEA</th><th scope=\"col\">SRMR</th>";
  if (o.measurement != nullptr) {
    const auto& mm = *o.measurement;
    if (mm.complete < k) {
      p.raw("<p>Not shown: fewer than " + std::to_string(k) + " respondents answered every item.</p>\n");
    } else if (!mm.cfa.fit) {
      p.raw("<p>No fit (" + std::to_string(mm.complete) + " rows answered every item): " + svg::escape(mm.cfa.reason) +
            ".</p>\n");
    } else {
      const auto& f = *mm.cfa.fit;
      const double rmsea = f.rmsea.value_or(0.0);
      const char* reading = f.cfi >= 0.95 && rmsea <= 0.06 && f.srmr <= 0.08 ? "fits well"
                            : f.cfi >= 0.90 && rmsea <= 0.08                 ? "fits acceptably"
                                                                             : "does not fit well";
      p.raw("<table class=\"fit\">\n<caption>Confirmatory factor analysis: " + std::to_string(mm.complete) +
            " respondents who answered all " + std::to_string(mm.items.size()) +
            " items</caption>\n<thead><tr><th scope=\"col\">Model</th>" + fit_heads +
            "</tr></thead>\n<tbody><tr><th scope=\"row\">each construct a factor</th>" + fit_cells(f) +
            "</tr></tbody>\n</table>\n");
      p.raw("<p>The instrument's structure <b>" + std::string(reading) +
            "</b> (CFI at least .95 with RMSEA at most .06 and SRMR at most .08 is a good fit; CFI at least .90 with "
            "RMSEA at most .08 acceptable: Hu and Bentler, 1999).</p>\n");
      p.raw("<table class=\"loadings\">\n<caption>Standardised loadings of each construct's items</caption>\n"
            "<thead><tr><th scope=\"col\">Construct</th><th scope=\"col\">Items and loadings</th></tr></thead>\n"
            "<tbody>\n");
      for (std::size_t c = 0; c < mm.factors.size(); ++c) {
        std::string line;
        for (std::size_t i = 0; i < mm.items.size() && i < mm.cfa.loadings.size(); ++i) {
          if (mm.factor_of[i] == c) {
            line +=
                (line.empty() ? "" : ", ") + mm.items[i] + " " + svg::format_fixed(mm.cfa.loadings[i].standardized, 2);
          }
        }
        std::string name = mm.factors[c];
        for (const auto& ca : r.summary.constructs) {
          if (ca.summary.key == name) {
            name = ca.summary.label;
          }
        }
        p.raw("<tr><th scope=\"row\">" + svg::escape(name) + "</th><td class=\"text\">" + svg::escape(line) +
              "</td></tr>\n");
      }
      p.raw("</tbody>\n</table>\n");
    }
  }
  if (o.invariance != nullptr) {
    const auto& mi = *o.invariance;
    p.raw("<h3>Measurement invariance by " + svg::escape(mi.by) + "</h3>\n");
    bool small = false;
    for (const auto c : mi.complete) {
      small = small || c < k;
    }
    if (small) {
      p.raw("<p>Not shown: a level compared has fewer than " + std::to_string(k) + " complete rows.</p>\n");
    } else if (mi.code != reason_code::none) {
      p.raw("<p>No comparison: " + svg::escape(mi.reason) + ".</p>\n");
    } else {
      std::string levels;
      for (std::size_t i = 0; i < mi.levels.size(); ++i) {
        levels += (i == 0 ? "" : ", ") + mi.levels[i] + " (" + std::to_string(mi.complete[i]) + ")";
      }
      p.raw("<p>Levels compared, with their respondents who answered every item: " + svg::escape(levels) + "." +
            (mi.left_out.empty()
                 ? std::string()
                 : " " + std::to_string(mi.left_out.size()) + " level(s) with too few such rows are left out.") +
            "</p>\n");
      p.raw("<table class=\"invariance\">\n<caption>Fit of each level of equality</caption>\n<thead><tr>"
            "<th scope=\"col\">Model</th>" +
            fit_heads + "</tr></thead>\n<tbody>\n");
      for (const multigroup_cfa_result* m : {&mi.invariance.configural, &mi.invariance.metric, &mi.invariance.scalar}) {
        p.raw("<tr><th scope=\"row\">" + svg::escape(ethos::to_string(m->level)) + "</th>" +
              (m->fit ? fit_cells(*m->fit)
                      : "<td class=\"text\" colspan=\"6\">no fit: " + svg::escape(m->reason) + "</td>") +
              "</tr>\n");
      }
      p.raw("</tbody>\n</table>\n");
      p.raw("<table class=\"invariance-steps\">\n<caption>Changes of fit between the levels</caption>\n<thead><tr>"
            "<th scope=\"col\">Step</th><th scope=\"col\">Change of chi-square</th><th scope=\"col\">df</th>"
            "<th scope=\"col\">p</th><th scope=\"col\">Change of CFI</th><th scope=\"col\">Change of RMSEA</th>"
            "<th scope=\"col\">Holds</th></tr></thead>\n<tbody>\n");
      for (const auto& st : mi.invariance.steps) {
        p.raw("<tr><th scope=\"row\">" +
              svg::escape(std::string(ethos::to_string(st.from)) + " to " + std::string(ethos::to_string(st.to))) +
              "</th><td>" + svg::format_fixed(st.delta_chisq, 2) + "</td><td>" + std::to_string(st.delta_df) +
              "</td><td>" + (std::isfinite(st.pvalue) ? svg::format_fixed(st.pvalue, 3) : std::string("n/a")) +
              "</td><td>" + signed_fixed(st.delta_cfi, 3) + "</td><td>" + signed_fixed(st.delta_rmsea, 3) +
              "</td><td class=\"text\">" + (st.noninvariant ? "no" : "yes") + "</td></tr>\n");
      }
      p.raw("</tbody>\n</table>\n");
      p.raw("<p>" + svg::escape(mi.invariance.reading) + ".</p>\n");
    }
  }
  p.close_section();
}

ETHOS_DECL void html_warnings(html::page& p, const survey_report& r) {
  using namespace html;
  p.open_section("warnings", "Warnings",
                 "Read these before acting on the figures: they say what is missing, hidden or less certain.", false);
  std::vector<const warning*> all;
  for (const auto& w : r.summary.warnings) {
    all.push_back(&w);
  }
  if (r.units) {
    for (const auto& w : r.units->warnings) {
      all.push_back(&w);
    }
  }
  if (r.internal_service) {
    for (const auto& w : r.internal_service->warnings) {
      all.push_back(&w);
    }
  }
  for (const auto& w : r.warnings) {
    all.push_back(&w);
  }
  if (all.empty()) {
    p.raw("<p>None.</p>\n");
  } else {
    p.raw("<ul class=\"warnings\">\n");
    for (const auto* w : all) {
      p.raw("<li>" + svg::escape(w->message) + "</li>\n");
    }
    p.raw("</ul>\n");
  }
  p.raw("<p class=\"note\">Disclosure audit: every figure of this report (" + std::to_string(r.audit.cells) +
        " cells in " + std::to_string(r.audit.domains) +
        " domains) was checked together; no sum or difference of them, whatever the signs, isolates fewer than " +
        std::to_string(r.min_group_size) + " people.");
  if (r.union_audit) {
    p.raw(" With the " + std::to_string(r.earlier_releases) + " earlier release(s) to the same audience (" +
          std::to_string(r.union_audit->cells) + " cells in all), none of them together isolates fewer than " +
          std::to_string(r.union_min_group_size) + " people.");
  }
  p.raw("</p>\n");
  p.close_section();
}

ETHOS_DECL void html_key(html::page& p, const survey_report& r, const html_report_options& o) {
  using namespace html;
  const auto& a = r.summary;
  const std::size_t k = r.min_group_size;
  p.open_section("key", "Key", "What each column and mark of this report means, in plain words.", false);
  const std::string scale = std::to_string(a.scale.min()) + "-" + std::to_string(a.scale.max());
  const auto bands = a.scale.bands();
  std::vector<std::pair<std::string, std::string>> entries{
      {"n", "The number of people behind a figure: respondents with a score on the construct (they answered enough "
            "of its items)."},
      {"Mean, SD", "The average person score on the " + scale +
                       " scale (reverse-worded items turned round), and how far scores spread around it."},
      {"Index", "The mean rescaled to 0-100: 0 is the lowest answer, 100 the highest. The overall index is the plain "
                "average of the construct indexes."},
      {"Fav., Unfav.", "The share of answers at " + std::to_string(bands.favorable_min) +
                           " or above (agreeing) and at " + std::to_string(bands.unfavorable_max) +
                           " or below (disagreeing)."},
      {"Alpha, Omega", "How consistently a construct's items move together (Cronbach's alpha; McDonald's omega from a "
                       "one-factor model). Below " +
                           svg::format_fixed(o.low_reliability, 2) + " the items may not measure one thing."}};
  if (!a.group_by.empty()) {
    entries.emplace_back("ICC(1), ICC(2), rwg(j)",
                         "How much scores differ between groups rather than within them, how reliable the group means "
                         "are, and how far the people of a group agree (1 is full agreement).");
  }
  if (a.enps) {
    entries.emplace_back("eNPS", "Employee net promoter score: the share of 9-10 answers minus the share of 0-6 "
                                 "answers to the recommendation question, from -100 to +100, with its 95% interval.");
  }
  if (!a.group_by.empty() || r.units) {
    entries.emplace_back("Heatmap cells", "The favourable share, in percent, of a group's or unit's answers; a unit "
                                          "includes its sub-units. Resp. is the share of the invited who answered.");
  }
  entries.emplace_back("too few", "The cell has " + hidden_reason(suppression::too_small, k) +
                                      ", so it shows nothing but its reason.");
  entries.emplace_back("withheld", "The cell is " + hidden_reason(suppression::secondary, k) + ".");
  if (!r.drivers.empty()) {
    entries.emplace_back("Drivers", "r: the correlation with the outcome. Importance: the construct's share of the "
                                    "outcome's explained variance (relative weights). Quadrants split at the average "
                                    "importance and the average mean: strength (important, scoring well), priority "
                                    "(important, scoring below the rest), maintain and monitor (less important).");
  }
  if (r.trend) {
    entries.emplace_back("Change", "The later wave's mean minus the earlier's, per unit; \xe2\x96\xb2 or "
                                   "\xe2\x96\xbc marks a change that Welch's t test finds significant at p < .05.");
  }
  if (r.internal_service) {
    entries.emplace_back("Internal service",
                         "The mean rating one unit's people give another unit's service; Gives "
                         "and Receives are all ratings a unit gives to, or gets from, other units.");
  }
  if (o.measurement != nullptr || o.invariance != nullptr) {
    entries.emplace_back("CFI, TLI, RMSEA, SRMR", "How well the instrument's structure fits the answers: CFI and TLI "
                                                  "near 1, RMSEA and SRMR near 0 are good.");
  }
  entries.emplace_back("n/a", "The figure cannot be computed (too few items, cases or groups, or no variance); the "
                              "warnings say why.");
  p.raw("<dl class=\"key\">\n");
  for (const auto& [t, d] : entries) {
    p.raw("<dt>" + svg::escape(t) + "</dt><dd>" + svg::escape(d) + "</dd>\n");
  }
  p.raw("</dl>\n");
  p.close_section();
}

} // namespace detail

ETHOS_DECL std::string report_html(const survey_report& r, const html_report_options& options) {
  detail::html::page p;
  const std::string title = !options.title.empty()    ? options.title
                            : r.summary.title.empty() ? r.summary.instrument_id + " report"
                                                      : r.summary.title + " report";
  p.out.reserve(256 * 1024);
  p.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta name=\"generator\" content=\"ethos ");
  p.raw(std::string(version_string));
  p.raw("\">\n<title>");
  p.text(title);
  p.raw("</title>\n<style>");
  p.raw(detail::html::stylesheet);
  p.raw("</style>\n</head>\n<body>\n<main>\n<header>\n<h1>");
  p.text(title);
  p.raw("</h1>\n<p class=\"subtitle\">");
  std::string sub = std::to_string(r.summary.counts.used) + " respondents";
  if (!r.summary.group_by.empty()) {
    sub += "; groups by '" + r.summary.group_by + "'";
  }
  sub += "; minimum group size " + std::to_string(r.min_group_size);
  p.text(sub);
  p.raw("</p>\n</header>\n");
  p.raw(detail::html::hatch_pattern);
  detail::html_summary(p, r);
  detail::html_constructs(p, r, options);
  detail::html_profile(p, r);
  detail::html_heatmap(p, r, options);
  detail::html_drivers(p, r, options);
  detail::html_trend(p, r, options);
  detail::html_internal_service(p, r);
  detail::html_measurement(p, r, options);
  detail::html_warnings(p, r);
  detail::html_key(p, r, options);
  p.raw("<footer>Made by ethos ");
  p.raw(std::string(version_string));
  p.raw(". Every figure of fewer than the minimum group size is hidden, and the whole report was audited "
        "before it was written.</footer>\n</main>\n</body>\n</html>\n");
  return detail::html::split_long_tables(p.out);
}

ETHOS_DECL void write_report_html(std::ostream& os, const survey_report& r, const html_report_options& options) {
  const std::string s = report_html(r, options);
  os.write(s.data(), static_cast<std::streamsize>(s.size()));
}

} // namespace ethos
