// ethos/report/impl/charts.ipp: definitions of ethos/report/charts.hpp (compiled into ethos::compiled, or included
// by the header in header-only mode).
#pragma once

#include <ethos/report/charts.hpp>

#include <ethos/error.hpp>
#include <ethos/framework/building_block.hpp>
#include <ethos/org/report.hpp>
#include <ethos/report/heatmap.hpp>
#include <ethos/report/level_chart.hpp>
#include <ethos/report/radar.hpp>

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

namespace ethos {

namespace detail {

ETHOS_DECL svg::document radar_of(const assessment& a) {
  svg::radar_options o;
  o.title = a.title.empty() ? std::string("Construct index") : a.title + ": index by construct";
  o.min = 0.0;
  o.max = 100.0;
  svg::radar_series s;
  s.name = "Index (0-100)";
  bool all_blocks = !a.constructs.empty();
  for (const auto& c : a.constructs) {
    all_blocks = all_blocks && from_string<building_block>(c.summary.key).has_value();
  }
  if (all_blocks) {
    o.labels = svg::building_block_labels();
    s.values.assign(o.labels.size(), std::nullopt);
    for (const auto& c : a.constructs) {
      const auto b = *from_string<building_block>(c.summary.key);
      s.values[static_cast<std::size_t>(ordinal(b) - 1)] = c.summary.index;
    }
  } else {
    for (const auto& c : a.constructs) {
      o.labels.push_back(c.summary.label);
      s.values.push_back(c.summary.index);
    }
  }
  o.description = "The 0-100 index of each construct: the mean person score rescaled from the " +
                  std::to_string(a.scale.min()) + "-" + std::to_string(a.scale.max()) + " scale.";
  return svg::radar_document({s}, o);
}

ETHOS_DECL svg::document group_heatmap_of(const assessment& a) {
  svg::heatmap_data d;
  for (const auto& c : a.constructs) {
    d.column_labels.push_back(c.summary.label);
  }
  for (const auto& g : a.groups) {
    d.row_labels.push_back(g.id + " (n " + std::to_string(g.n) + ")");
    std::vector<svg::heatmap_cell> row(a.constructs.size());
    for (std::size_t c = 0; c < a.constructs.size(); ++c) {
      if (g.suppressed != suppression::none || g.constructs[c].status != suppression::none) {
        row[c].suppressed = true;
      } else if (g.constructs[c].favorable) {
        row[c].value = 100.0 * *g.constructs[c].favorable;
      }
    }
    d.cells.push_back(std::move(row));
  }
  svg::heatmap_options o;
  o.title = "Favourable share (%) by " + a.group_by + " and construct";
  o.minimum_respondents = a.min_group_size;
  bool secondary = false;
  for (const auto& g : a.groups) {
    secondary = secondary || g.suppressed == suppression::secondary;
  }
  if (secondary) {
    o.suppressed_note = hidden_reason(suppression::too_small, a.min_group_size) + ", or " +
                        hidden_reason(suppression::secondary, a.min_group_size);
  }
  o.value_label = "% favourable";
  o.description = "Share of each group's answers in the favourable band. Groups with fewer than " +
                  std::to_string(a.min_group_size) +
                  " respondents, and groups hidden so that those cannot be derived, show no values.";
  return svg::heatmap_document(d, o);
}

ETHOS_DECL svg::document unit_heatmap_of(const org_rollup& r, const rollup_heatmap_options& opt) {
  svg::heatmap_data d;
  for (const auto& c : r.constructs) {
    d.column_labels.push_back(c.label);
  }
  bool secondary = false;
  for (const auto& u : r.units) {
    if (u.depth > opt.max_depth) {
      continue;
    }
    d.row_labels.push_back((u.depth == 0 ? u.name : u.id) + " (n " + std::to_string(u.respondents) + ")");
    std::vector<svg::heatmap_cell> row(r.constructs.size());
    for (std::size_t c = 0; c < r.constructs.size() && c < u.constructs.size(); ++c) {
      const auto& cell = u.constructs[c];
      if (!cell.shown()) {
        row[c].suppressed = true;
        secondary = secondary || cell.status == suppression::secondary;
      } else if (cell.favorable) {
        row[c].value = 100.0 * *cell.favorable;
      }
    }
    d.cells.push_back(std::move(row));
  }
  svg::heatmap_options o;
  o.title = opt.title.empty() ? std::string("Favourable share (%) by unit and construct") : opt.title;
  o.minimum_respondents = r.min_group_size;
  if (secondary) {
    o.suppressed_note = hidden_reason(suppression::too_small, r.min_group_size) + ", or " +
                        hidden_reason(suppression::secondary, r.min_group_size);
  }
  o.value_label = "% favourable";
  o.description = "Share of favourable answers per unit (with its sub-units) and construct. Cells with fewer than " +
                  std::to_string(r.min_group_size) +
                  " respondents, and cells hidden so that those cannot be derived, show no values.";
  return svg::heatmap_document(d, o);
}

ETHOS_DECL svg::document levels_of(const assessment& a) {
  std::vector<svg::level_bar> bars;
  for (std::size_t i = 0; i < a.service_levels.size(); ++i) {
    const auto& sl = a.service_levels[i];
    if (i < a.service_level_status.size() && a.service_level_status[i] != suppression::none) {
      continue; // answered by fewer than k: no bar at all
    }
    bars.push_back(
        {sl.category ? sl.item + ": " + std::string(to_string(*sl.category)) : sl.item, sl.distribution.counts});
  }
  svg::level_chart_options o;
  o.title = "Ratings on the six levels of service";
  return svg::level_distribution_document(bars, o);
}

ETHOS_DECL std::string charts_of(const assessment& a, const org_rollup* units) {
  std::vector<svg::document> charts;
  if (a.constructs.size() >= 3) {
    charts.push_back(radar_of(a));
  }
  if (std::count(a.service_level_status.begin(), a.service_level_status.end(), suppression::none) > 0) {
    charts.push_back(levels_of(a));
  }
  if (!a.group_by.empty() && !a.groups.empty()) {
    charts.push_back(group_heatmap_of(a));
  }
  if (units != nullptr && units->units.size() > 1) {
    rollup_heatmap_options o;
    o.max_depth = units->units.size() > 60 ? 1 : 2;
    charts.push_back(unit_heatmap_of(*units, o));
  }
  if (charts.empty()) {
    throw error("assessment '" + a.instrument_id +
                "': nothing to chart (fewer than 3 constructs, no six-level items and no groups)");
  }
  return svg::stack(charts, a.title.empty() ? a.instrument_id : a.title).str();
}

} // namespace detail

ETHOS_DECL svg::document assessment_radar(const survey_report& r) { return detail::radar_of(r.summary); }

ETHOS_DECL svg::document assessment_radar(unaudited<assessment> a) { return detail::radar_of(a.get()); }

ETHOS_DECL svg::document assessment_heatmap(const survey_report& r) { return detail::group_heatmap_of(r.summary); }

ETHOS_DECL svg::document assessment_heatmap(unaudited<assessment> a) { return detail::group_heatmap_of(a.get()); }

ETHOS_DECL svg::document rollup_heatmap(const survey_report& r, const rollup_heatmap_options& opt) {
  if (!r.units) {
    throw error("rollup_heatmap: the report of '" + r.summary.instrument_id + "' has no units section");
  }
  return detail::unit_heatmap_of(*r.units, opt);
}

ETHOS_DECL svg::document rollup_heatmap(unaudited<org_rollup> r, const rollup_heatmap_options& opt) {
  return detail::unit_heatmap_of(r.get(), opt);
}

ETHOS_DECL svg::document assessment_levels(const survey_report& r) { return detail::levels_of(r.summary); }

ETHOS_DECL svg::document assessment_levels(unaudited<assessment> a) { return detail::levels_of(a.get()); }

ETHOS_DECL std::string assessment_svg(const survey_report& r) {
  return detail::charts_of(r.summary, r.units ? &*r.units : nullptr);
}

ETHOS_DECL std::string assessment_svg(unaudited<assessment> a) { return detail::charts_of(a.get(), nullptr); }

} // namespace ethos
