// ethos/report/impl/level_chart.ipp: definitions of ethos/report/level_chart.hpp (compiled into ethos::compiled, or
// included by the header in header-only mode).
#pragma once

#include <ethos/report/level_chart.hpp>

#include <ethos/detail/text.hpp>
#include <ethos/detail/validation.hpp>
#include <ethos/framework/service_level.hpp>

#include <algorithm>
#include <string_view>
#include <utility>

namespace ethos::svg {

namespace detail {

// Dark red (criminal) to dark green (unbelievable) through a pale yellow "expected"; lightness changes along the
// scale too, so that neighbours stay apart for readers who confuse red and green.
inline constexpr std::array<std::string_view, 6> level_colours{"#a50026", "#f46d43", "#fee08b",
                                                               "#a6d96a", "#1a9850", "#005a32"};

} // namespace detail

ETHOS_DECL std::vector<problem> check(const std::vector<level_bar>& bars) {
  std::vector<problem> out;
  if (bars.empty()) {
    out.push_back({"bars", "a level distribution chart needs at least one bar"});
  }
  for (std::size_t i = 0; i < bars.size(); ++i) {
    if (ethos::detail::trim(bars[i].label).empty()) {
      out.push_back({"bar #" + std::to_string(i + 1), "has an empty label"});
    }
  }
  return out;
}

ETHOS_DECL document level_distribution_document(const std::vector<level_bar>& bars,
                                                const level_chart_options& options) {
  throw_if_problems("level distribution chart " + ethos::detail::quoted(options.title), check(bars));
  using detail::text_at;
  constexpr double width = 820.0;
  constexpr double margin = 16.0;
  constexpr double bar_x = 250.0;
  constexpr double bar_w = 460.0;
  constexpr double bar_h = 22.0;
  constexpr double row_h = 34.0;
  constexpr std::size_t label_chars = 31; // two lines of this fit left of the bars
  const double legend_y = 58.0;
  const double top = legend_y + 44;
  const double height = top + row_h * static_cast<double>(bars.size()) + 36;

  std::size_t unrated = 0;
  for (const auto& b : bars) {
    unrated += std::all_of(b.counts.begin(), b.counts.end(), [](std::size_t c) { return c == 0; }) ? 1 : 0;
  }
  std::string desc = options.description;
  if (desc.empty()) {
    desc = "Horizontal 100% stacked bars for " + detail::plural(bars.size(), "perception point", "perception points") +
           ": the share of ratings at each of the six service levels, Criminal at the left to Unbelievable at the "
           "right. A black tick marks where Expected begins; n is the number of ratings.";
    if (unrated > 0) {
      desc += " " + detail::plural(unrated, "point has", "points have") + " no ratings.";
    }
  }

  document doc(width, height, options.title, desc);
  doc.add(detail::background(width, height));
  doc.add(detail::chart_title(options.title));

  element legend = group("legend");
  double lx = margin;
  for (service_level l : all<service_level>) {
    const auto i = static_cast<std::size_t>(level_number(l) - 1);
    element sw = rect(lx, legend_y - 11, 14, 14);
    sw.set("fill", detail::level_colours[i]).set("stroke", "#777777").set("stroke-width", 0.5);
    legend.add(std::move(sw));
    legend.add(text_at(lx + 19, legend_y, to_string(l), 12));
    lx += 19 + text_width(to_string(l), 12) + 16;
  }
  element mark = line(lx + 4, legend_y - 13, lx + 4, legend_y + 5);
  mark.set("stroke", "#111111").set("stroke-width", 2.5);
  legend.add(std::move(mark));
  legend.add(text_at(lx + 12, legend_y, "start of Expected", 12));
  doc.add(std::move(legend));

  // Percentage axis under the bars; the grid lines show through only where a point has no ratings.
  element axis = group("axis");
  const double bottom = top + row_h * static_cast<double>(bars.size());
  for (int k = 0; k <= 4; ++k) {
    const double x = bar_x + bar_w * k / 4.0;
    element gl = line(x, top - 6, x, bottom - row_h + bar_h + 6);
    gl.set("stroke", "#e2e2e2").set("stroke-width", 1);
    axis.add(std::move(gl));
    axis.add(text_at(x, bottom + 4, std::to_string(k * 25) + "%", 11, "middle", "#555555"));
  }
  doc.add(std::move(axis));

  element rows = group("bars");
  for (std::size_t b = 0; b < bars.size(); ++b) {
    const level_bar& bar = bars[b];
    const double y = top + row_h * static_cast<double>(b);
    std::size_t total = 0;
    for (auto c : bar.counts) {
      total += c;
    }
    element row = group("bar");
    const std::string full(ethos::detail::trim(bar.label));
    bool cut = false;
    const std::vector<std::string> lines = detail::wrap_two_lines(full, label_chars, cut);
    element label = group("bar-label", cut ? std::string_view(full) : std::string_view{});
    for (std::size_t l = 0; l < lines.size(); ++l) {
      const double baseline = y + bar_h / 2 + (lines.size() == 1 ? 4.0 : l == 0 ? -3.0 : 11.0);
      label.add(text_at(bar_x - 10, baseline, lines[l], 12, "end"));
    }
    row.add(std::move(label));
    row.add(text_at(bar_x + bar_w + 10, y + bar_h / 2 + 4, "n = " + std::to_string(total), 12, "start", "#444444"));
    if (total == 0) {
      element box = rect(bar_x, y, bar_w, bar_h);
      box.set("class", "no-ratings").set("fill", "#f4f4f4").set("stroke", "#b0b0b0").set("stroke-dasharray", "4 3");
      box.tooltip(full + ": no ratings");
      row.add(std::move(box));
      element note = text_at(bar_x + bar_w / 2, y + bar_h / 2 + 4, "no ratings", 12, "middle", "#666666");
      note.set("font-style", "italic");
      row.add(std::move(note));
      rows.add(std::move(row));
      continue;
    }
    double x = bar_x;
    double boundary = bar_x;
    for (std::size_t i = 0; i < 6; ++i) {
      const double share = static_cast<double>(bar.counts[i]) / static_cast<double>(total);
      const double w = share * bar_w;
      if (i == 2) {
        boundary = x;
      }
      if (bar.counts[i] == 0) {
        continue;
      }
      element seg = rect(x, y, w, bar_h);
      seg.set("class", "segment").set("fill", detail::level_colours[i]);
      const std::string pct = format_fixed(share * 100, 0) + "%";
      seg.tooltip(full + " " + std::string(em_dash) + " " +
                  std::string(to_string(*service_level_from_number(static_cast<int>(i) + 1))) + ": " +
                  std::to_string(bar.counts[i]) + " of " + std::to_string(total) + " (" + pct + ")");
      row.add(std::move(seg));
      // The margin keeps the text clear of the boundary tick, which may sit on either edge.
      if (options.show_percentages && w >= text_width(pct, 11) + 12) {
        row.add(text_at(x + w / 2, y + bar_h / 2 + 4, pct, 11, "middle",
                        detail::ink_on(detail::parse_hex(detail::level_colours[i]))));
      }
      x += w;
    }
    // Drawn over the segments and a little beyond the bar, so that it stays visible at either end.
    element tick = line(boundary, y - 4, boundary, y + bar_h + 4);
    tick.set("class", "expected-boundary").set("stroke", "#111111").set("stroke-width", 2.5);
    row.add(std::move(tick));
    rows.add(std::move(row));
  }
  doc.add(std::move(rows));
  return doc;
}

ETHOS_DECL std::string level_distribution_chart(const std::vector<level_bar>& bars,
                                                const level_chart_options& options) {
  return level_distribution_document(bars, options).str();
}

ETHOS_DECL std::string level_distribution_chart(const transaction_summary& summary,
                                                const level_chart_options& options) {
  std::vector<level_bar> bars;
  for (const auto& p : summary.points) {
    bars.push_back({p.point.name, p.distribution.counts});
  }
  return level_distribution_chart(bars, options);
}

} // namespace ethos::svg
