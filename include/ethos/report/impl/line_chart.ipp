// ethos/report/impl/line_chart.ipp: definitions of ethos/report/line_chart.hpp (compiled into ethos::compiled, or
// included by the header in header-only mode).
#pragma once

#include <ethos/report/line_chart.hpp>

#include <ethos/detail/text.hpp>
#include <ethos/detail/validation.hpp>
#include <ethos/report/radar.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string_view>
#include <utility>

namespace ethos::svg {

namespace detail {

// Series colours: the radar's three (blue, orange, purple), then green, magenta and grey; neighbours differ in hue
// and lightness for colour-blind readers. More series than colours are rejected rather than repeating one.
inline constexpr std::array<std::string_view, 6> line_colours{
    radar_styles[0].colour, radar_styles[1].colour, radar_styles[2].colour, "#1b7837", "#c51b7d", "#525252"};

inline constexpr double line_margin = 16.0;
inline constexpr double line_legend_baseline = 58.0; // of the first legend row
inline constexpr double line_legend_row = 20.0;
inline constexpr double line_min_plot_height = 140.0;
inline constexpr std::size_t line_name_chars = 30; // series names and band labels in the legend

// Values beyond this magnitude are rejected: numbers that large cannot be rounded to `decimals` (see rounded())
// and would make unreadable tick labels.
inline constexpr double line_value_limit = 1e15;

ETHOS_DECL series_style line_style(std::size_t s, bool dashed) {
  return {line_colours[s % line_colours.size()], dashed ? "7 4" : "", 2.0, 0.0, dashed};
}

// Fill opacity of the band of `rank` among a series' bands ordered widest first: wider bands are lighter.
ETHOS_DECL double band_opacity(std::size_t rank) { return std::min(0.12 + 0.08 * static_cast<double>(rank), 0.5); }

// The opacity a reader sees inside the band of `rank` where the bands nest: it and every wider band on top of
// each other. The legend's swatches use it, so that they match the chart.
ETHOS_DECL double band_seen_opacity(std::size_t rank) {
  double clear = 1.0;
  for (std::size_t r = 0; r <= rank; ++r) {
    clear *= 1.0 - band_opacity(r);
  }
  return 1.0 - clear;
}

// Ranks of a series' bands, 0 for the widest (by mean width; ties keep their order).
ETHOS_DECL std::vector<std::size_t> band_ranks(const line_series& s) {
  const std::size_t n = s.bands.size();
  std::vector<double> mean_width(n, 0.0);
  for (std::size_t b = 0; b < n; ++b) {
    const auto& band = s.bands[b];
    const std::size_t k = std::min(band.lower.size(), band.upper.size());
    double sum = 0.0;
    for (std::size_t i = 0; i < k; ++i) {
      sum += band.upper[i] - band.lower[i];
    }
    mean_width[b] = k > 0 ? sum / static_cast<double>(k) : 0.0;
  }
  std::vector<std::size_t> order(n);
  for (std::size_t b = 0; b < n; ++b) {
    order[b] = b;
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return mean_width[a] > mean_width[b]; });
  std::vector<std::size_t> rank(n, 0);
  for (std::size_t r = 0; r < n; ++r) {
    rank[order[r]] = r;
  }
  return rank;
}

// Fraction digits that show every multiple of `step` exactly (0..6).
ETHOS_DECL int step_decimals(double step) {
  for (int d = 0; d <= 6; ++d) {
    const double scaled = step * std::pow(10.0, d);
    if (std::abs(scaled - std::round(scaled)) < 1e-6 * std::max(1.0, scaled)) {
      return d;
    }
  }
  return 6;
}

// True when hi - lo is too small, absolutely or relative to the values, to span an axis.
ETHOS_DECL bool degenerate_range(double lo, double hi) {
  return !(hi - lo > 1e-100) || hi - lo <= 1e-9 * std::max(std::abs(lo), std::abs(hi));
}

// Half the width of the axis around the single value `v`: 1 for whole numbers (periods), else a tenth of it.
ETHOS_DECL double degenerate_pad(double v, bool whole) {
  return whole || std::abs(v) <= 1e-100 ? 1.0 : std::abs(v) * 0.1;
}

// Multiples of `step` in lo..hi (with a little tolerance), by index so that the loop always ends.
ETHOS_DECL std::vector<double> ticks_between(double lo, double hi, double step) {
  const double first = std::ceil(lo / step - 1e-9);
  const double last = std::floor(hi / step + 1e-9);
  std::vector<double> out;
  for (int k = 0; first + k <= last && k <= 100; ++k) {
    const double t = (first + k) * step;
    out.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
  }
  return out;
}

// `v` moved out to a multiple of `step` (down when `down`), or kept when it already is one (up to rounding).
ETHOS_DECL double snap_out(double v, double step, bool down) {
  const double q = v / step;
  if (std::abs(q - std::round(q)) < 1e-9) {
    return v;
  }
  return (down ? std::floor(q) : std::ceil(q)) * step;
}

struct line_values {
  double x_lo = 0.0;
  double x_hi = 0.0;
  double y_lo = 0.0;
  double y_hi = 0.0;
  bool integer_x = true;
};

// Extremes of the data: x of every point; y of every point, band bound and the reference.
ETHOS_DECL line_values extremes(const std::vector<line_series>& series, const line_chart_options& options) {
  line_values v;
  v.x_lo = v.y_lo = std::numeric_limits<double>::infinity();
  v.x_hi = v.y_hi = -std::numeric_limits<double>::infinity();
  const auto take_y = [&](double y) {
    v.y_lo = std::min(v.y_lo, y);
    v.y_hi = std::max(v.y_hi, y);
  };
  for (const auto& s : series) {
    for (double x : s.x) {
      v.x_lo = std::min(v.x_lo, x);
      v.x_hi = std::max(v.x_hi, x);
      v.integer_x = v.integer_x && x == std::round(x);
    }
    for (double y : s.y) {
      take_y(y);
    }
    for (const auto& b : s.bands) {
      for (double y : b.lower) {
        take_y(y);
      }
      for (double y : b.upper) {
        take_y(y);
      }
    }
  }
  if (options.reference) {
    take_y(*options.reference);
  }
  return v;
}

ETHOS_DECL std::string x_text(double x, bool integer_x) { return integer_x ? format_fixed(x, 0) : format_number(x, 6); }

struct legend_entry {
  std::size_t series = 0;
  std::optional<std::size_t> band{}; // empty: the series' line
  double x = 0.0;                    // left edge
  double baseline = 0.0;             // of its text
  std::string full{};                // the name or label, trimmed
  std::string shown{};               // as printed (cut to line_name_chars)
};

// The legend: the line of each series followed by its bands, flowed left to right in rows of the chart's width.
ETHOS_DECL std::vector<legend_entry> line_legend(const std::vector<line_series>& series, double width) {
  std::vector<legend_entry> out;
  double x = line_margin;
  double baseline = line_legend_baseline;
  const auto place = [&](legend_entry e, double sample_width) {
    const double w = sample_width + 6 + text_width(e.shown, 12);
    if (x > line_margin && x + w > width - line_margin) {
      x = line_margin;
      baseline += line_legend_row;
    }
    e.x = x;
    e.baseline = baseline;
    out.push_back(std::move(e));
    x += w + 18;
  };
  for (std::size_t s = 0; s < series.size(); ++s) {
    legend_entry e;
    e.series = s;
    e.full = std::string(ethos::detail::trim(series[s].name));
    e.shown = truncate(e.full, line_name_chars);
    place(std::move(e), 28);
    for (std::size_t b = 0; b < series[s].bands.size(); ++b) {
      legend_entry be;
      be.series = s;
      be.band = b;
      be.full = std::string(ethos::detail::trim(series[s].bands[b].label));
      be.shown = truncate(be.full, line_name_chars);
      place(std::move(be), 18);
    }
  }
  return out;
}

// Adds "<where>: <problem>" when `v` is NaN, infinite or too large; returns whether it is usable.
ETHOS_DECL bool check_line_value(double v, const std::string& where, std::vector<problem>& out) {
  if (auto p = value_problem(v, std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN())) {
    out.push_back({where, *p});
    return false;
  }
  if (std::abs(v) >= line_value_limit) {
    out.push_back({where, format_number(v, 0) + " is too large to draw (magnitude 1e15 or more)"});
    return false;
  }
  return true;
}

// Adds a problem when a finite `v` lies outside the explicit ends of the y axis.
ETHOS_DECL void check_in_y_range(double v, const std::string& where, const line_chart_options& o,
                                 std::vector<problem>& out) {
  const bool has_min = o.y_min && std::isfinite(*o.y_min); // a bad end is a problem of its own
  const bool has_max = o.y_max && std::isfinite(*o.y_max);
  const bool below = has_min && v < *o.y_min;
  const bool above = has_max && v > *o.y_max;
  if (!below && !above) {
    return;
  }
  std::string what = format_number(v, 6);
  if (has_min && has_max) {
    what += " is outside the y range " + format_number(*o.y_min, 6) + ".." + format_number(*o.y_max, 6);
  } else if (below) {
    what += " is below y_min " + format_number(*o.y_min, 6);
  } else {
    what += " is above y_max " + format_number(*o.y_max, 6);
  }
  out.push_back({where, what});
}

} // namespace detail

ETHOS_DECL std::vector<problem> check(const std::vector<line_series>& series, const line_chart_options& options) {
  std::vector<problem> out;
  detail::check_decimals(options.decimals, out);
  const auto check_size = [&](double v, double minimum, const char* name) {
    if (!std::isfinite(v)) {
      out.push_back({name, "is not a finite number"});
    } else if (v < minimum) {
      out.push_back({name, format_number(v) + " is below the minimum of " + format_number(minimum) + " pixels"});
    }
  };
  check_size(options.width, 320, "width");
  check_size(options.height, 240, "height");
  const bool min_ok = !options.y_min || detail::check_line_value(*options.y_min, "y_min", out);
  const bool max_ok = !options.y_max || detail::check_line_value(*options.y_max, "y_max", out);
  if (options.y_min && options.y_max && min_ok && max_ok && !(*options.y_min < *options.y_max)) {
    out.push_back(
        {"y_min", format_number(*options.y_min, 6) + " is not below y_max " + format_number(*options.y_max, 6)});
  }
  if (options.reference && detail::check_line_value(*options.reference, "reference", out)) {
    detail::check_in_y_range(*options.reference, "reference", options, out);
  }

  if (series.empty()) {
    out.push_back({"series", "a line chart needs at least one series"});
  } else if (series.size() > detail::line_colours.size()) {
    out.push_back({"series", std::to_string(detail::line_colours.size()) +
                                 " series at most can be told apart by colour, got " + std::to_string(series.size())});
  }
  ethos::detail::check_unique_names(
      series, [](const line_series& s) -> std::string_view { return s.name; }, "series", out);

  for (std::size_t s = 0; s < series.size(); ++s) {
    const line_series& ser = series[s];
    const std::string where = "series #" + std::to_string(s + 1) + " " + ethos::detail::quoted(ser.name);
    const std::size_t n = ser.x.size();
    if (ser.x.empty() && ser.y.empty()) {
      out.push_back({where, "has no points"});
    } else if (ser.x.size() != ser.y.size()) {
      out.push_back({where, "has " + detail::plural(ser.x.size(), "x value", "x values") + " and " +
                                detail::plural(ser.y.size(), "y value", "y values")});
    }
    // The index of the last usable x before i (none: ser.x.size()), rather than a copy of it in a
    // std::optional, which g++ 12 at -O2 takes for possibly uninitialised (-Wmaybe-uninitialized).
    std::size_t previous = ser.x.size();
    for (std::size_t i = 0; i < ser.x.size(); ++i) {
      const std::string at = where + " x #" + std::to_string(i + 1);
      if (!detail::check_line_value(ser.x[i], at, out)) {
        previous = ser.x.size();
        continue;
      }
      if (previous < i && !(ser.x[i] > ser.x[previous])) {
        out.push_back({at, format_number(ser.x[i], 6) + " does not follow " + format_number(ser.x[previous], 6) +
                               " (x must increase strictly)"});
      }
      previous = i;
    }
    for (std::size_t i = 0; i < ser.y.size(); ++i) {
      const std::string at = where + " y #" + std::to_string(i + 1);
      if (detail::check_line_value(ser.y[i], at, out)) {
        detail::check_in_y_range(ser.y[i], at, options, out);
      }
    }
    for (std::size_t b = 0; b < ser.bands.size(); ++b) {
      const line_band& band = ser.bands[b];
      const std::string bw = where + " band #" + std::to_string(b + 1);
      const std::string bwhere = bw + " " + ethos::detail::quoted(band.label);
      if (ethos::detail::trim(band.label).empty()) {
        out.push_back({bw, "has an empty label"});
      }
      if (band.lower.size() != n) {
        out.push_back({bwhere, "has " + detail::plural(band.lower.size(), "lower bound", "lower bounds") + " for " +
                                   detail::plural(n, "point", "points")});
      }
      if (band.upper.size() != n) {
        out.push_back({bwhere, "has " + detail::plural(band.upper.size(), "upper bound", "upper bounds") + " for " +
                                   detail::plural(n, "point", "points")});
      }
      std::vector<bool> lower_ok(band.lower.size());
      for (std::size_t i = 0; i < band.lower.size(); ++i) {
        const std::string at = bwhere + " lower #" + std::to_string(i + 1);
        lower_ok[i] = detail::check_line_value(band.lower[i], at, out);
        if (lower_ok[i]) {
          detail::check_in_y_range(band.lower[i], at, options, out);
        }
      }
      for (std::size_t i = 0; i < band.upper.size(); ++i) {
        const std::string at = bwhere + " upper #" + std::to_string(i + 1);
        if (!detail::check_line_value(band.upper[i], at, out)) {
          continue;
        }
        detail::check_in_y_range(band.upper[i], at, options, out);
        if (i < band.lower.size() && lower_ok[i] && band.lower[i] > band.upper[i]) {
          const std::string x =
              i < ser.x.size() && std::isfinite(ser.x[i]) ? " (x " + format_number(ser.x[i], 6) + ")" : std::string{};
          out.push_back(
              {bwhere + " point #" + std::to_string(i + 1) + x,
               "lower " + format_number(band.lower[i], 6) + " is above upper " + format_number(band.upper[i], 6)});
        }
      }
    }
  }
  return out;
}

ETHOS_DECL line_chart_geometry line_chart_layout(const std::vector<line_series>& series,
                                                 const line_chart_options& options) {
  throw_if_problems("line chart " + ethos::detail::quoted(options.title), check(series, options));
  const detail::line_values v = detail::extremes(series, options);
  line_chart_geometry g;
  g.integer_x = v.integer_x;
  g.width = options.width;

  // Vertical: legend rows, then the plot, then tick labels and the x caption.
  const auto legend = detail::line_legend(series, options.width);
  const double last_row = legend.empty() ? detail::line_legend_baseline : legend.back().baseline;
  g.plot_top = last_row + 24;
  const double below = options.x_label.empty() ? 32.0 : 54.0;
  g.plot_height = std::max(options.height - g.plot_top - below, detail::line_min_plot_height);
  g.height = std::ceil(g.plot_top + g.plot_height + below);

  // y range and ticks.
  double y_lo = options.y_min.value_or(v.y_lo);
  double y_hi = options.y_max.value_or(v.y_hi);
  if (detail::degenerate_range(y_lo, y_hi)) {
    if (!options.y_min) {
      y_lo -= detail::degenerate_pad(options.y_max ? y_hi : y_lo, false);
    }
    if (!options.y_max) {
      y_hi += detail::degenerate_pad(options.y_min ? y_lo : y_hi, false);
    }
  }
  const int y_target = std::clamp(static_cast<int>(g.plot_height / 50), 3, 8);
  g.y_step = detail::nice_step(y_hi - y_lo, y_target);
  g.y_min = options.y_min ? y_lo : detail::snap_out(y_lo, g.y_step, true);
  g.y_max = options.y_max ? y_hi : detail::snap_out(y_hi, g.y_step, false);
  g.y_ticks = detail::ticks_between(g.y_min, g.y_max, g.y_step);
  const int y_decimals = detail::step_decimals(g.y_step);
  double y_label_width = 0.0;
  for (double t : g.y_ticks) {
    y_label_width = std::max(y_label_width, text_width(format_fixed(t, y_decimals), 11));
  }

  // Horizontal: y caption, y tick labels, the plot, room for half of the last x tick label.
  double x_lo = v.x_lo;
  double x_hi = v.x_hi;
  if (detail::degenerate_range(x_lo, x_hi)) {
    const double pad = detail::degenerate_pad(x_lo, v.integer_x);
    x_lo -= pad;
    x_hi += pad;
  } else {
    const double room = 0.04 * (x_hi - x_lo);
    x_lo -= room;
    x_hi += room;
  }
  const auto edge_label = [&](double x) { return v.integer_x ? format_fixed(x, 0) : format_number(x, 2); };
  const double x_label_width = std::max(text_width(edge_label(v.x_lo), 11), text_width(edge_label(v.x_hi), 11));
  g.plot_left = detail::line_margin + (options.y_label.empty() ? 0.0 : 22.0) + y_label_width + 10;
  const double right = std::max(24.0, x_label_width / 2 + 8);
  g.plot_width = options.width - g.plot_left - right;
  const int x_target = std::clamp(static_cast<int>(g.plot_width / (x_label_width + 28)), 2, 12);
  g.x_step = detail::nice_step(x_hi - x_lo, x_target);
  if (v.integer_x) {
    g.x_step = g.x_step < 1.0 ? 1.0 : g.x_step == 2.5 ? 2.0 : g.x_step;
  }
  g.x_min = x_lo;
  g.x_max = x_hi;
  g.x_ticks = detail::ticks_between(g.x_min, g.x_max, g.x_step);
  return g;
}

namespace detail {

// What every phase of drawing a line chart reads: the data, the options and the layout, with the formatting of
// values they share.
struct line_chart_frame {
  const std::vector<line_series>& series;
  const line_chart_options& options;
  line_chart_geometry g;
  double plot_right = 0.0;
  double plot_bottom = 0.0;
  int y_decimals = 0;
  int x_decimals = 0;

  std::string x_of(double x) const { return x_text(x, g.integer_x); }
  std::string y_of(double y) const { return format_fixed(y, options.decimals); }
  std::string name_of(std::size_t s) const { return std::string(ethos::detail::trim(series[s].name)); }
  std::string band_label_of(std::size_t s, std::size_t b) const {
    return std::string(ethos::detail::trim(series[s].bands[b].label));
  }
};

ETHOS_DECL line_chart_frame line_chart_frame_of(const std::vector<line_series>& series,
                                                const line_chart_options& options) {
  line_chart_frame f{series, options, line_chart_layout(series, options)};
  f.plot_right = f.g.plot_left + f.g.plot_width;
  f.plot_bottom = f.g.plot_top + f.g.plot_height;
  f.y_decimals = step_decimals(f.g.y_step);
  f.x_decimals = f.g.integer_x ? 0 : step_decimals(f.g.x_step);
  return f;
}

// The generated `<desc>`: the axes' ranges, each series' points, ends and bands, and the reference line.
ETHOS_DECL std::string line_description(const line_chart_frame& f) {
  const auto& series = f.series;
  const auto& options = f.options;
  const auto caption = [](const std::string& label) {
    return label.empty() ? std::string{} : " (" + std::string(ethos::detail::trim(label)) + ")";
  };
  double x_last = series.front().x.back();
  double x_first = series.front().x.front();
  for (const auto& s : series) {
    x_first = std::min(x_first, s.x.front());
    x_last = std::max(x_last, s.x.back());
  }
  std::string desc = "Line chart of " + plural(series.size(), "series", "series") + "; x" + caption(options.x_label) +
                     " from " + f.x_of(x_first) + " to " + f.x_of(x_last) + ", y" + caption(options.y_label) +
                     " on an axis from " + format_fixed(f.g.y_min, f.y_decimals) + " to " +
                     format_fixed(f.g.y_max, f.y_decimals) + ".";
  for (std::size_t s = 0; s < series.size(); ++s) {
    const auto& ser = series[s];
    desc += " " + f.name_of(s) + (ser.dashed ? " (dashed)" : "") + ": " + plural(ser.x.size(), "point", "points") +
            ", " + f.y_of(ser.y.front()) + " at " + f.x_of(ser.x.front());
    if (ser.x.size() > 1) {
      desc += " to " + f.y_of(ser.y.back()) + " at " + f.x_of(ser.x.back());
    }
    if (!ser.bands.empty()) {
      desc += ", with bands ";
      for (std::size_t b = 0; b < ser.bands.size(); ++b) {
        desc += (b > 0 ? ", " : "") + f.band_label_of(s, b);
      }
    }
    desc += ".";
  }
  if (options.reference) {
    desc += " A dashed reference line marks " + format_number(*options.reference, 6) +
            (options.reference_label.empty() ? std::string{}
                                             : " (" + std::string(ethos::detail::trim(options.reference_label)) + ")") +
            ".";
  }
  return desc;
}

// Legend: a line sample per series, a swatch per band as it looks where the bands nest.
ETHOS_DECL element line_legend_group(const line_chart_frame& f) {
  element legend = group("legend");
  for (const auto& e : line_legend(f.series, f.g.width)) {
    const auto& ser = f.series[e.series];
    const auto st = line_style(e.series, ser.dashed);
    const double mid = e.baseline - 4;
    element item = group(e.band ? "legend-item legend-band" : "legend-item");
    double text_x = e.x;
    if (e.band) {
      const std::vector<std::size_t> ranks = band_ranks(ser);
      element swatch = rect(e.x, mid - 6, 18, 12);
      swatch.set("fill", st.colour).set("fill-opacity", format_number(band_seen_opacity(ranks[*e.band]), 3));
      item.add(std::move(swatch));
      text_x += 24;
    } else {
      element sample = line(e.x, mid, e.x + 28, mid);
      apply_stroke(sample, st);
      item.add(std::move(sample));
      item.add(series_marker({e.x + 14, mid}, st));
      text_x += 34;
    }
    item.add(fitted_label(text_at(text_x, e.baseline, e.shown, 12), e.full, e.shown != e.full));
    legend.add(std::move(item));
  }
  return legend;
}

// Grid lines at every tick of both axes.
ETHOS_DECL element line_grid(const line_chart_frame& f) {
  const line_chart_geometry& g = f.g;
  element grid = group("grid");
  for (double t : g.y_ticks) {
    element l = line(g.plot_left, g.y_at(t), f.plot_right, g.y_at(t));
    l.set("stroke", "#e4e4e4").set("stroke-width", 1);
    grid.add(std::move(l));
  }
  for (double t : g.x_ticks) {
    element l = line(g.x_at(t), g.plot_top, g.x_at(t), f.plot_bottom);
    l.set("stroke", "#e4e4e4").set("stroke-width", 1);
    grid.add(std::move(l));
  }
  return grid;
}

// The outline of one band of a series: along the upper bounds and back along the lower ones.
ETHOS_DECL std::vector<point> band_outline(const line_chart_geometry& g, const line_series& ser,
                                           const line_band& band) {
  const std::size_t n = ser.x.size();
  std::vector<point> outline;
  if (n == 1) {
    // A single point has no extent in x: a narrow box shows its interval.
    const double x = g.x_at(ser.x[0]);
    outline = {{x - 5, g.y_at(band.upper[0])},
               {x + 5, g.y_at(band.upper[0])},
               {x + 5, g.y_at(band.lower[0])},
               {x - 5, g.y_at(band.lower[0])}};
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      outline.push_back({g.x_at(ser.x[i]), g.y_at(band.upper[i])});
    }
    for (std::size_t i = n; i-- > 0;) {
      outline.push_back({g.x_at(ser.x[i]), g.y_at(band.lower[i])});
    }
  }
  return outline;
}

// Bands of every series behind every line; within a series the widest first.
ETHOS_DECL element line_bands(const line_chart_frame& f) {
  element bands = group("bands");
  for (std::size_t s = 0; s < f.series.size(); ++s) {
    const auto& ser = f.series[s];
    if (ser.bands.empty()) {
      continue;
    }
    const auto st = line_style(s, ser.dashed);
    const std::vector<std::size_t> ranks = band_ranks(ser);
    std::vector<std::size_t> order(ser.bands.size());
    for (std::size_t b = 0; b < order.size(); ++b) {
      order[ranks[b]] = b;
    }
    element sg = group("series-bands series-" + std::to_string(s));
    for (std::size_t b : order) {
      const line_band& band = ser.bands[b];
      const std::size_t n = ser.x.size();
      element p = polygon(band_outline(f.g, ser, band));
      p.set("class", "band")
          .set("fill", st.colour)
          .set("fill-opacity", format_number(band_opacity(ranks[b]), 3))
          .set("stroke", "none");
      p.tooltip(n == 1 ? f.name_of(s) + " " + std::string(em_dash) + " " + f.band_label_of(s, b) + " at " +
                             f.x_of(ser.x[0]) + ": " + f.y_of(band.lower[0]) + " to " + f.y_of(band.upper[0])
                       : f.name_of(s) + " " + std::string(em_dash) + " " + f.band_label_of(s, b) + ", " +
                             f.x_of(ser.x.front()) + " to " + f.x_of(ser.x.back()));
      sg.add(std::move(p));
    }
    bands.add(std::move(sg));
  }
  return bands;
}

// The y axis: its line, ticks with their values, the caption.
ETHOS_DECL element line_y_axis(const line_chart_frame& f) {
  const line_chart_geometry& g = f.g;
  element y_axis = group("axis y-axis");
  element yl = line(g.plot_left, g.plot_top, g.plot_left, f.plot_bottom);
  yl.set("stroke", "#8a8a8a").set("stroke-width", 1);
  y_axis.add(std::move(yl));
  for (double t : g.y_ticks) {
    element tick = group("tick");
    element mark = line(g.plot_left - 5, g.y_at(t), g.plot_left, g.y_at(t));
    mark.set("stroke", "#8a8a8a").set("stroke-width", 1);
    tick.add(std::move(mark));
    tick.add(text_at(g.plot_left - 8, g.y_at(t) + 4, format_fixed(t, f.y_decimals), 11, "end", "#555555"));
    y_axis.add(std::move(tick));
  }
  if (!f.options.y_label.empty()) {
    const std::string full(ethos::detail::trim(f.options.y_label));
    const std::string shown = truncate(full, static_cast<std::size_t>(g.plot_height / (0.6 * 12)));
    element caption = text_at(0, 0, shown, 12, "middle");
    caption.set("class", "axis-label")
        .set("transform", "translate(" + format_number(line_margin + 12) + "," +
                              format_number(g.plot_top + g.plot_height / 2) + ") rotate(-90)");
    y_axis.add(fitted_label(std::move(caption), full, shown != full));
  }
  return y_axis;
}

// The x axis: its line, ticks with their values, the caption.
ETHOS_DECL element line_x_axis(const line_chart_frame& f) {
  const line_chart_geometry& g = f.g;
  element x_axis = group("axis x-axis");
  element xl = line(g.plot_left, f.plot_bottom, f.plot_right, f.plot_bottom);
  xl.set("stroke", "#8a8a8a").set("stroke-width", 1);
  x_axis.add(std::move(xl));
  for (double t : g.x_ticks) {
    element tick = group("tick");
    element mark = line(g.x_at(t), f.plot_bottom, g.x_at(t), f.plot_bottom + 5);
    mark.set("stroke", "#8a8a8a").set("stroke-width", 1);
    tick.add(std::move(mark));
    tick.add(text_at(g.x_at(t), f.plot_bottom + 18, format_fixed(t, f.x_decimals), 11, "middle", "#555555"));
    x_axis.add(std::move(tick));
  }
  if (!f.options.x_label.empty()) {
    const std::string full(ethos::detail::trim(f.options.x_label));
    const std::string shown = truncate(full, static_cast<std::size_t>(g.plot_width / (0.6 * 12)));
    element caption = text_at(g.plot_left + g.plot_width / 2, f.plot_bottom + 40, shown, 12, "middle");
    caption.set("class", "axis-label");
    x_axis.add(fitted_label(std::move(caption), full, shown != full));
  }
  return x_axis;
}

// The reference line (the options have one), over the bands and under the lines.
ETHOS_DECL element line_reference(const line_chart_frame& f) {
  const line_chart_geometry& g = f.g;
  const auto& options = f.options;
  const double y = g.y_at(*options.reference);
  const std::string label(ethos::detail::trim(options.reference_label));
  element ref = group("reference",
                      (label.empty() ? std::string("Reference") : label) + ": " + format_number(*options.reference, 6));
  element l = line(g.plot_left, y, f.plot_right, y);
  l.set("stroke", "#444444").set("stroke-width", 1.25).set("stroke-dasharray", "6 3");
  ref.add(std::move(l));
  if (!label.empty()) {
    const std::string shown = truncate(label, static_cast<std::size_t>(g.plot_width / 2 / (0.6 * 11)));
    // Above the line, unless a series ends just above it there (a path settling on a baseline) and nothing
    // ends just below it: then under the line, where the label stays clear of the data.
    bool crowded_above = false;
    bool crowded_below = false;
    for (const auto& ser : f.series) {
      const double end = g.y_at(ser.y.back());
      crowded_above = crowded_above || (end <= y && y - end < 18);
      crowded_below = crowded_below || (end > y && end - y < 18);
    }
    const bool under = crowded_above && !crowded_below && y + 16 <= g.plot_top + g.plot_height;
    element t = text_at(f.plot_right - 4, under ? y + 14 : y - 5, shown, 11, "end", "#444444");
    // A white halo keeps the label legible over bands and grid lines.
    t.set("stroke", "#ffffff").set("stroke-width", 3).set("paint-order", "stroke");
    ref.add(std::move(t));
  }
  return ref;
}

// The line and markers of series `s`; each marker's tooltip gives the point and its intervals.
ETHOS_DECL element line_series_group(const line_chart_frame& f, std::size_t s) {
  const line_chart_geometry& g = f.g;
  const auto& ser = f.series[s];
  const auto st = line_style(s, ser.dashed);
  element sg = group("series series-" + std::to_string(s));
  std::vector<point> pts;
  for (std::size_t i = 0; i < ser.x.size(); ++i) {
    pts.push_back({g.x_at(ser.x[i]), g.y_at(ser.y[i])});
  }
  if (pts.size() > 1) {
    element pl = polyline(pts);
    apply_stroke(pl, st);
    pl.set("class", "line").set("fill", "none");
    sg.add(std::move(pl));
  }
  for (std::size_t i = 0; i < pts.size(); ++i) {
    element m = series_marker(pts[i], st);
    m.set("class", "marker");
    std::string tip = f.name_of(s) + ", " + f.x_of(ser.x[i]) + ": " + f.y_of(ser.y[i]);
    for (std::size_t b = 0; b < ser.bands.size(); ++b) {
      tip += (b == 0 ? " (" : "; ") + f.band_label_of(s, b) + " " + f.y_of(ser.bands[b].lower[i]) + " to " +
             f.y_of(ser.bands[b].upper[i]);
    }
    tip += ser.bands.empty() ? "" : ")";
    m.tooltip(tip);
    sg.add(std::move(m));
  }
  return sg;
}

} // namespace detail

ETHOS_DECL document line_chart_document(const std::vector<line_series>& series, const line_chart_options& options) {
  const detail::line_chart_frame f = detail::line_chart_frame_of(series, options);
  const line_chart_geometry& g = f.g;
  const std::string desc = options.description.empty() ? detail::line_description(f) : options.description;

  document doc(g.width, g.height, options.title, desc);
  doc.add(detail::background(g.width, g.height));
  const auto title_chars = static_cast<std::size_t>((g.width - 2 * detail::line_margin) / (0.6 * 18));
  doc.add(detail::chart_title(truncate(options.title, title_chars)));
  doc.add(detail::line_legend_group(f));
  doc.add(detail::line_grid(f));
  doc.add(detail::line_bands(f));
  doc.add(detail::line_y_axis(f));
  doc.add(detail::line_x_axis(f));
  if (options.reference) {
    doc.add(detail::line_reference(f));
  }
  // Lines and markers, the first series on top.
  for (std::size_t s = series.size(); s-- > 0;) {
    doc.add(detail::line_series_group(f, s));
  }
  return doc;
}

ETHOS_DECL std::string line_chart(const std::vector<line_series>& series, const line_chart_options& options) {
  return line_chart_document(series, options).str();
}

} // namespace ethos::svg
