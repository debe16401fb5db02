// ethos/report/impl/heatmap.ipp: definitions of ethos/report/heatmap.hpp (compiled into ethos::compiled, or
// included by the header in header-only mode).
#pragma once

#include <ethos/report/heatmap.hpp>

#include <ethos/detail/text.hpp>
#include <ethos/detail/validation.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <string_view>
#include <utility>

namespace ethos::svg {

namespace detail {

inline constexpr std::array<colour_stop, 4> sequential_stops{
    {{0.0, "#deebf7"}, {0.35, "#9ecae1"}, {0.65, "#4292c6"}, {1.0, "#08306b"}}};
// The middle is a light warm grey, not white, so that a cell at the midpoint still differs from a no-data cell.
inline constexpr std::array<colour_stop, 5> diverging_stops{
    {{0.0, "#b2182b"}, {0.25, "#ef8a62"}, {0.5, "#ecebe8"}, {0.75, "#67a9cf"}, {1.0, "#2166ac"}}};

ETHOS_DECL rgb heat_colour(double v, const heatmap_options& o) {
  if (!o.midpoint) {
    return interpolate(sequential_stops, (v - o.min) / (o.max - o.min));
  }
  const double m = *o.midpoint;
  const double t = v < m ? 0.5 * (v - o.min) / (m - o.min) : 0.5 + 0.5 * (v - m) / (o.max - m);
  return interpolate(diverging_stops, t);
}

ETHOS_DECL std::string suppressed_note(const heatmap_options& o) {
  if (!o.suppressed_note.empty()) {
    return o.suppressed_note;
  }
  return o.minimum_respondents > 0 ? "fewer than " + std::to_string(o.minimum_respondents) + " respondents"
                                   : std::string("too few respondents");
}

// FNV-1a: gradient ids derived from their content, so that two charts inlined in one HTML page share an id only
// when their gradients are identical.
ETHOS_DECL std::uint32_t fnv1a(std::string_view s) noexcept {
  std::uint32_t h = 2166136261u;
  for (char c : s) {
    h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  }
  return h;
}

// Where a heatmap puts things: the label columns, the grid of cells and the legend, sized for the labels.
struct heatmap_frame {
  static constexpr double margin = 16.0;
  static constexpr double label_font = 12.0;
  static constexpr double cell_font = 11.0;
  static constexpr std::size_t row_chars = 32;
  static constexpr std::size_t column_chars = 32;     // the longest building block has 31
  static constexpr double diag = 0.70710678118654752; // cos 45 degrees: column labels rise at 45 degrees

  std::size_t rows = 0;
  std::size_t cols = 0;
  double grid_x = 0.0;
  double grid_y = 0.0;
  double cell_w = 0.0;
  double cell_h = 0.0;
  double legend_y = 0.0;
  std::string suppressed_text;
  double width = 0.0;
  double height = 0.0;
};

ETHOS_DECL heatmap_frame heatmap_frame_of(const heatmap_data& data, const heatmap_options& options) {
  using f_t = heatmap_frame;
  heatmap_frame f;
  f.rows = data.row_labels.size();
  f.cols = data.column_labels.size();
  std::size_t longest_row = 0;
  for (const auto& l : data.row_labels) {
    longest_row = std::max(longest_row, std::min(text_length(ethos::detail::trim(l)), f_t::row_chars));
  }
  const double row_label_width = static_cast<double>(longest_row) * 0.6 * f_t::label_font + 10;
  std::vector<double> column_label_width;
  double tallest_column = 0;
  for (const auto& l : data.column_labels) {
    column_label_width.push_back(text_width(truncate(ethos::detail::trim(l), f_t::column_chars), f_t::label_font));
    tallest_column = std::max(tallest_column, column_label_width.back());
  }
  f.grid_x = f_t::margin + row_label_width;
  const double last_overhang = column_label_width.back() * f_t::diag;
  f.cell_w =
      std::clamp(std::floor((880 - f.grid_x - f_t::margin - last_overhang) / static_cast<double>(f.cols)), 44.0, 96.0);
  f.cell_h = f.rows > 30 ? 22.0 : 26.0;
  f.grid_y = 50 + tallest_column * f_t::diag + 12;
  const double grid_w = f.cell_w * static_cast<double>(f.cols);
  const double grid_h = f.cell_h * static_cast<double>(f.rows);
  double right = f.grid_x + grid_w;
  for (std::size_t c = 0; c < f.cols; ++c) {
    right =
        std::max(right, f.grid_x + (static_cast<double>(c) + 0.5) * f.cell_w + column_label_width[c] * f_t::diag + 4);
  }
  f.legend_y = f.grid_y + grid_h + 30;
  f.suppressed_text = "Suppressed: " + suppressed_note(options);
  const double legend_right = f_t::margin + 220 + 40 + 26 + text_width(f.suppressed_text, f_t::label_font);
  f.width = std::ceil(std::max({640.0, right + f_t::margin, legend_right + f_t::margin,
                                text_width(truncate(options.title, 80), 18) + 2 * f_t::margin}));
  f.height = std::ceil(f.legend_y + 62);
  return f;
}

ETHOS_DECL std::string heatmap_description(const heatmap_data& data, const heatmap_options& options,
                                           const heatmap_frame& f) {
  std::size_t suppressed = 0;
  std::size_t empty = 0;
  for (const auto& row : data.cells) {
    for (const auto& cell : row) {
      suppressed += cell.suppressed ? 1 : 0;
      empty += !cell.suppressed && !cell.value ? 1 : 0;
    }
  }
  return "Heatmap of " + plural(f.rows, "group", "groups") + " (rows) by " + plural(f.cols, "construct", "constructs") +
         " (columns); " + options.value_label + " from " + format_number(options.min) + " to " +
         format_number(options.max) + ", " +
         (options.midpoint ? "red below " + format_number(*options.midpoint) + ", blue above"
                           : std::string("darker blue is higher")) +
         ". " + plural(suppressed, "cell is", "cells are") + " suppressed (" + suppressed_note(options) + "), " +
         plural(empty, "cell has", "cells have") + " no data.";
}

// The legend's gradient, sampled from the same scale as the cells: 21 colours from min to max.
ETHOS_DECL std::vector<std::string> heatmap_scale_colours(const heatmap_options& options) {
  std::vector<std::string> scale_colours;
  for (int k = 0; k <= 20; ++k) {
    scale_colours.push_back(to_hex(heat_colour(options.min + k / 20.0 * (options.max - options.min), options)));
  }
  return scale_colours;
}

// The hatch pattern of suppressed cells and the legend's gradient.
ETHOS_DECL element heatmap_defs(const std::vector<std::string>& scale_colours, const std::string& gradient_id) {
  element defs("defs");
  element hatch("pattern");
  hatch.set("id", "ethos-hatch")
      .set("width", 6)
      .set("height", 6)
      .set("patternUnits", "userSpaceOnUse")
      .set("patternTransform", "rotate(45)");
  element hatch_bg = rect(0, 0, 6, 6);
  hatch_bg.set("fill", "#e4e4e4");
  hatch.add(std::move(hatch_bg));
  element hatch_line = line(0, 0, 0, 6);
  hatch_line.set("stroke", "#8c8c8c").set("stroke-width", 2.5);
  hatch.add(std::move(hatch_line));
  defs.add(std::move(hatch));

  element gradient("linearGradient");
  gradient.set("id", gradient_id).set("x1", "0").set("x2", "1").set("y1", "0").set("y2", "0");
  for (std::size_t k = 0; k < scale_colours.size(); ++k) {
    element st("stop");
    st.set("offset", format_number(static_cast<double>(k) * 5) + "%").set("stop-color", scale_colours[k]);
    gradient.add(std::move(st));
  }
  defs.add(std::move(gradient));
  return defs;
}

ETHOS_DECL element heatmap_column_labels(const heatmap_data& data, const heatmap_frame& f) {
  element column_labels = group("column-labels");
  for (std::size_t c = 0; c < f.cols; ++c) {
    const std::string full(ethos::detail::trim(data.column_labels[c]));
    const std::string shown = truncate(full, heatmap_frame::column_chars);
    const double x = f.grid_x + (static_cast<double>(c) + 0.5) * f.cell_w;
    element t = text_at(0, 0, shown, heatmap_frame::label_font);
    t.set("transform", "translate(" + format_number(x) + "," + format_number(f.grid_y - 8) + ") rotate(-45)");
    column_labels.add(fitted_label(std::move(t), full, shown != full));
  }
  return column_labels;
}

ETHOS_DECL element heatmap_row_labels(const heatmap_data& data, const heatmap_frame& f) {
  element row_labels = group("row-labels");
  for (std::size_t r = 0; r < f.rows; ++r) {
    const std::string full(ethos::detail::trim(data.row_labels[r]));
    const std::string shown = truncate(full, heatmap_frame::row_chars);
    const double y = f.grid_y + (static_cast<double>(r) + 0.5) * f.cell_h + 4;
    row_labels.add(
        fitted_label(text_at(f.grid_x - 8, y, shown, heatmap_frame::label_font, "end"), full, shown != full));
  }
  return row_labels;
}

ETHOS_DECL element heatmap_cells(const heatmap_data& data, const heatmap_options& options, const heatmap_frame& f) {
  element cells = group("cells");
  for (std::size_t r = 0; r < f.rows; ++r) {
    for (std::size_t c = 0; c < f.cols; ++c) {
      const heatmap_cell& cell = data.cells[r][c];
      const double x = f.grid_x + static_cast<double>(c) * f.cell_w;
      const double y = f.grid_y + static_cast<double>(r) * f.cell_h;
      const std::string where = std::string(ethos::detail::trim(data.row_labels[r])) + " " + std::string(em_dash) +
                                " " + std::string(ethos::detail::trim(data.column_labels[c])) + ": ";
      // 1 px inset leaves white gaps between cells, which keep neighbours of similar colour apart.
      element box = rect(x + 1, y + 1, f.cell_w - 2, f.cell_h - 2);
      element g = group();
      if (cell.suppressed) {
        box.set("class", "cell suppressed").set("fill", "url(#ethos-hatch)");
        g.tooltip(where + "suppressed (" + suppressed_note(options) + ")");
        g.add(std::move(box));
      } else if (!cell.value) {
        box.set("class", "cell empty").set("fill", "#ffffff").set("stroke", "#b0b0b0").set("stroke-dasharray", "3 2");
        g.tooltip(where + "no data");
        g.add(std::move(box));
        g.add(text_at(x + f.cell_w / 2, y + f.cell_h / 2 + 5, en_dash, 15, "middle", "#8a8a8a"));
      } else {
        const rgb fill = heat_colour(*cell.value, options);
        const std::string shown = format_fixed(*cell.value, options.decimals);
        box.set("class", "cell").set("fill", to_hex(fill));
        g.tooltip(where + shown);
        g.add(std::move(box));
        g.add(text_at(x + f.cell_w / 2, y + f.cell_h / 2 + 4, shown, heatmap_frame::cell_font, "middle", ink_on(fill)));
      }
      cells.add(std::move(g));
    }
  }
  return cells;
}

// The legend: the colour scale with its ends and middle, the suppressed swatch with its rule, the no-data mark.
ETHOS_DECL element heatmap_legend(const heatmap_options& options, const heatmap_frame& f,
                                  const std::string& gradient_id) {
  constexpr double margin = heatmap_frame::margin;
  constexpr double label_font = heatmap_frame::label_font;
  const double legend_y = f.legend_y;
  element legend = group("legend");
  legend.add(text_at(margin, legend_y, truncate(options.value_label, 40), label_font));
  element bar = rect(margin, legend_y + 8, 220, 14);
  bar.set("fill", "url(#" + gradient_id + ")").set("stroke", "#9a9a9a").set("stroke-width", 0.5);
  legend.add(std::move(bar));
  std::vector<double> ticks{options.min, options.midpoint.value_or((options.min + options.max) / 2), options.max};
  for (std::size_t k = 0; k < ticks.size(); ++k) {
    const double x = margin + 220 * (ticks[k] - options.min) / (options.max - options.min);
    element tick = line(x, legend_y + 22, x, legend_y + 26);
    tick.set("stroke", "#707070");
    legend.add(std::move(tick));
    legend.add(text_at(x, legend_y + 38, format_number(ticks[k]), 11,
                       k == 0   ? "start"
                       : k == 2 ? "end"
                                : "middle",
                       "#555555"));
  }
  const double sx = margin + 220 + 40;
  element hatch_swatch = rect(sx, legend_y + 4, 18, 14);
  hatch_swatch.set("fill", "url(#ethos-hatch)");
  legend.add(std::move(hatch_swatch));
  legend.add(text_at(sx + 26, legend_y + 15, f.suppressed_text, label_font));
  element empty_swatch = rect(sx, legend_y + 26, 18, 14);
  empty_swatch.set("fill", "#ffffff").set("stroke", "#b0b0b0").set("stroke-dasharray", "3 2");
  legend.add(std::move(empty_swatch));
  legend.add(text_at(sx + 9, legend_y + 38, en_dash, 15, "middle", "#8a8a8a"));
  legend.add(text_at(sx + 26, legend_y + 37, "No data", label_font));
  return legend;
}

} // namespace detail

ETHOS_DECL std::vector<problem> check(const heatmap_data& data, const heatmap_options& options) {
  std::vector<problem> out;
  detail::check_scale(options.min, options.max, out);
  detail::check_decimals(options.decimals, out);
  if (options.midpoint && !(*options.midpoint > options.min && *options.midpoint < options.max)) {
    out.push_back({"midpoint", format_number(*options.midpoint, 6) + " is not strictly inside the scale " +
                                   format_number(options.min, 6) + ".." + format_number(options.max, 6)});
  }
  if (data.row_labels.empty()) {
    out.push_back({"rows", "a heatmap needs at least one row"});
  }
  if (data.column_labels.empty()) {
    out.push_back({"columns", "a heatmap needs at least one column"});
  }
  for (std::size_t r = 0; r < data.row_labels.size(); ++r) {
    if (ethos::detail::trim(data.row_labels[r]).empty()) {
      out.push_back({"row label #" + std::to_string(r + 1), "is empty"});
    }
  }
  for (std::size_t c = 0; c < data.column_labels.size(); ++c) {
    if (ethos::detail::trim(data.column_labels[c]).empty()) {
      out.push_back({"column label #" + std::to_string(c + 1), "is empty"});
    }
  }
  if (data.cells.size() != data.row_labels.size()) {
    out.push_back({"cells", "has " + detail::plural(data.cells.size(), "row", "rows") + " for " +
                                detail::plural(data.row_labels.size(), "row label", "row labels")});
  }
  for (std::size_t r = 0; r < data.cells.size(); ++r) {
    const std::string row = "row #" + std::to_string(r + 1) +
                            (r < data.row_labels.size() ? " " + ethos::detail::quoted(data.row_labels[r]) : "");
    if (data.cells[r].size() != data.column_labels.size()) {
      out.push_back({row, "has " + detail::plural(data.cells[r].size(), "cell", "cells") + " for " +
                              detail::plural(data.column_labels.size(), "column", "columns")});
    }
    for (std::size_t c = 0; c < data.cells[r].size(); ++c) {
      const auto& cell = data.cells[r][c];
      if (cell.suppressed || !cell.value) {
        continue; // a suppressed value must not even reach an error message
      }
      if (auto p = detail::value_problem(*cell.value, options.min, options.max)) {
        const std::string col = c < data.column_labels.size() ? " " + ethos::detail::quoted(data.column_labels[c]) : "";
        out.push_back({row + " column #" + std::to_string(c + 1) + col, *p});
      }
    }
  }
  return out;
}

ETHOS_DECL document heatmap_document(const heatmap_data& data, const heatmap_options& options) {
  throw_if_problems("heatmap " + ethos::detail::quoted(options.title), check(data, options));
  const detail::heatmap_frame f = detail::heatmap_frame_of(data, options);
  const std::string desc =
      options.description.empty() ? detail::heatmap_description(data, options, f) : options.description;

  // The legend's gradient is sampled from the same scale as the cells; its id comes from its colours.
  const std::vector<std::string> scale_colours = detail::heatmap_scale_colours(options);
  std::string scale_key;
  for (const auto& c : scale_colours) {
    scale_key += c;
  }
  const std::string gradient_id = "ethos-scale-" + std::to_string(detail::fnv1a(scale_key));

  document doc(f.width, f.height, options.title, desc);
  doc.add(detail::heatmap_defs(scale_colours, gradient_id));
  doc.add(detail::background(f.width, f.height));
  doc.add(detail::chart_title(options.title));
  doc.add(detail::heatmap_column_labels(data, f));
  doc.add(detail::heatmap_row_labels(data, f));
  doc.add(detail::heatmap_cells(data, options, f));
  doc.add(detail::heatmap_legend(options, f, gradient_id));
  return doc;
}

ETHOS_DECL std::string heatmap(const heatmap_data& data, const heatmap_options& options) {
  return heatmap_document(data, options).str();
}

} // namespace ethos::svg
