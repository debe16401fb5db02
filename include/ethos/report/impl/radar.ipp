// ethos/report/impl/radar.ipp: definitions of ethos/report/radar.hpp (compiled into ethos::compiled, or included by
// the header in header-only mode).
#pragma once

#include <ethos/report/radar.hpp>

#include <ethos/detail/text.hpp>
#include <ethos/detail/validation.hpp>
#include <ethos/framework/building_block.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <utility>

namespace ethos::svg {

ETHOS_DECL std::vector<std::string> building_block_labels() {
  std::vector<std::string> out;
  for (building_block b : all<building_block>) {
    out.emplace_back(to_string(b));
  }
  return out;
}

namespace detail {

ETHOS_DECL void apply_stroke(element& e, const series_style& s) {
  e.set("stroke", s.colour).set("stroke-width", s.width).set("stroke-linejoin", "round");
  if (!s.dash.empty()) {
    e.set("stroke-dasharray", s.dash);
  }
}

ETHOS_DECL element series_marker(point p, const series_style& s) {
  element c = circle(p.x, p.y, s.hollow_marker ? 3.5 : 4.0);
  c.set("fill", s.hollow_marker ? "#ffffff" : s.colour).set("stroke", s.colour).set("stroke-width", 1.5);
  return c;
}

// A small "x" cross: the mark of a missing value, unlike any value marker.
ETHOS_DECL element cross(point p, double half, std::string_view colour) {
  element e =
      path("M" + format_number(p.x - half) + "," + format_number(p.y - half) + " L" + format_number(p.x + half) + "," +
           format_number(p.y + half) + " M" + format_number(p.x - half) + "," + format_number(p.y + half) + " L" +
           format_number(p.x + half) + "," + format_number(p.y - half));
  e.set("stroke", colour).set("stroke-width", 2).set("fill", "none");
  return e;
}

// Where a radar chart puts things: the axes and their labels, the scale, and the centre and radius of the ring.
struct radar_frame {
  static constexpr double width = 820.0;
  static constexpr double radius = 200.0;
  static constexpr double label_gap = 22.0;       // from the outer ring to the label anchor; missing-value crosses
                                                  // sit inside
  static constexpr double line_height = 14.0;     // of 12 px labels
  static constexpr std::size_t side_chars = 20;   // labels beside the chart share the width with it
  static constexpr std::size_t middle_chars = 30; // labels above and below have the whole width
  static constexpr double legend_y = 58.0;
  static constexpr double pi = 3.14159265358979323846;

  std::vector<std::string> labels;
  std::size_t n = 0;
  double lo = 0.0;
  double hi = 0.0;
  double cx = width / 2;
  double cy = legend_y + 24 + 3 * line_height + label_gap + radius;
  double height = cy + radius + label_gap + 3 * line_height + 16;

  double angle(std::size_t i) const { return 2 * pi * static_cast<double>(i) / static_cast<double>(n); }
  point at(std::size_t i, double r) const { return point{cx + r * std::sin(angle(i)), cy - r * std::cos(angle(i))}; }
  double radius_of(double v) const { return radius * (v - lo) / (hi - lo); }
};

ETHOS_DECL radar_frame radar_frame_of(const radar_options& options) {
  radar_frame f;
  f.labels = options.labels.empty() ? building_block_labels() : options.labels;
  f.n = f.labels.size();
  f.lo = options.min;
  f.hi = options.max;
  return f;
}

// Description for screen readers: what is drawn and what is missing.
ETHOS_DECL std::string radar_description(const std::vector<radar_series>& series, const radar_frame& f) {
  std::string desc = "Radar chart with " + plural(f.n, "axis", "axes") + " on a scale from " + format_number(f.lo) +
                     " (centre) to " + format_number(f.hi) + " (outer ring). Series: ";
  for (std::size_t s = 0; s < series.size(); ++s) {
    const auto missing = static_cast<std::size_t>(
        std::count_if(series[s].values.begin(), series[s].values.end(), [](const auto& v) { return !v; }));
    desc += (s > 0 ? "; " : "") + series[s].name + (s == 0 ? " (solid)" : " (dashed)");
    if (missing > 0) {
      desc += ", no data for " + plural(missing, "axis", "axes");
    }
  }
  desc += ".";
  return desc;
}

// Legend: one sample per series, the no-data mark when it is used, and the scale.
ETHOS_DECL element radar_legend(const std::vector<radar_series>& series, const radar_frame& f) {
  constexpr double legend_y = radar_frame::legend_y;
  bool any_missing = false;
  element legend = group("legend");
  double x = 16;
  for (std::size_t s = 0; s < series.size(); ++s) {
    const auto& st = radar_styles[s];
    element sample = line(x, legend_y - 4, x + 28, legend_y - 4);
    apply_stroke(sample, st);
    legend.add(std::move(sample));
    legend.add(series_marker({x + 14, legend_y - 4}, st));
    const std::string name = truncate(series[s].name, 30);
    legend.add(text_at(x + 34, legend_y, name, 12));
    x += 34 + text_width(name, 12) + 20;
    for (const auto& v : series[s].values) {
      any_missing = any_missing || !v;
    }
  }
  if (any_missing) {
    legend.add(cross({x + 5, legend_y - 4}, 4, "#555555"));
    legend.add(text_at(x + 16, legend_y, "no data (not plotted)", 12));
    x += 16 + text_width("no data (not plotted)", 12) + 20;
  }
  const std::string scale_note =
      "scale " + format_number(f.lo) + std::string(en_dash) + format_number(f.hi) + ", centre = " + format_number(f.lo);
  legend.add(text_at(std::max(x, radar_frame::width - 16 - text_width(scale_note, 11)), legend_y, scale_note, 11,
                     "start", "#555555"));
  return legend;
}

// Grid: rings at round values, spokes, ring values along the top spoke.
ETHOS_DECL element radar_grid(const radar_frame& f) {
  const double lo = f.lo;
  const double hi = f.hi;
  element grid = group("grid");
  grid.set("fill", "none");
  std::vector<double> rings;
  const double step = nice_step(hi - lo, 5);
  for (double t = std::ceil(lo / step) * step; t < hi - 0.3 * step; t += step) {
    if (t > lo + 1e-9 * step) {
      rings.push_back(t);
    }
  }
  rings.push_back(hi);
  for (double t : rings) {
    std::vector<point> ring;
    for (std::size_t i = 0; i < f.n; ++i) {
      ring.push_back(f.at(i, f.radius_of(t)));
    }
    element p = polygon(ring);
    p.set("stroke", t == hi ? "#9a9a9a" : "#d6d6d6").set("stroke-width", 1);
    grid.add(std::move(p));
  }
  for (std::size_t i = 0; i < f.n; ++i) {
    const point end = f.at(i, radar_frame::radius);
    element spoke = line(f.cx, f.cy, end.x, end.y);
    spoke.set("stroke", "#d6d6d6").set("stroke-width", 1);
    grid.add(std::move(spoke));
  }
  for (double t : rings) {
    element tick = text_at(f.cx + 4, f.cy - f.radius_of(t) + 11, format_number(t), 10, "start", "#707070");
    // A white halo keeps ring values legible where a series outline crosses them.
    tick.set("stroke", "#ffffff").set("stroke-width", 3).set("paint-order", "stroke");
    grid.add(std::move(tick));
  }
  return grid;
}

// Series `s`: its outline (a filled polygon when complete, open runs around the gaps otherwise), a marker per
// value and a cross outside the ring per missing one.
ETHOS_DECL element radar_series_group(const std::vector<radar_series>& series, std::size_t s,
                                      const radar_options& options, const radar_frame& f) {
  const std::size_t n = f.n;
  const auto& st = radar_styles[s];
  const auto& values = series[s].values;
  element g = group("series series-" + std::to_string(s));
  const bool complete = std::all_of(values.begin(), values.end(), [](const auto& v) { return v.has_value(); });
  if (complete) {
    std::vector<point> pts;
    for (std::size_t i = 0; i < n; ++i) {
      pts.push_back(f.at(i, f.radius_of(*values[i])));
    }
    element shape = polygon(pts);
    apply_stroke(shape, st);
    if (st.fill_opacity > 0) {
      shape.set("fill", st.colour).set("fill-opacity", st.fill_opacity);
    } else {
      shape.set("fill", "none");
    }
    g.add(std::move(shape));
  } else {
    // Runs of consecutive present values (wrapping round), each an open line; no fill, since a filled area
    // would bridge the gap as if the missing value were known.
    std::size_t start = 0;
    while (values[start].has_value()) {
      ++start;
    }
    std::vector<point> run;
    const auto flush = [&] {
      if (run.size() >= 2) {
        element pl = polyline(run);
        apply_stroke(pl, st);
        pl.set("fill", "none");
        g.add(std::move(pl));
      }
      run.clear();
    };
    for (std::size_t k = 1; k <= n; ++k) {
      const std::size_t i = (start + k) % n;
      if (values[i]) {
        run.push_back(f.at(i, f.radius_of(*values[i])));
      } else {
        flush();
      }
    }
    flush();
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (values[i]) {
      element m = series_marker(f.at(i, f.radius_of(*values[i])), st);
      m.set("class", "value");
      m.tooltip(f.labels[i] + " " + std::string(em_dash) + " " + series[s].name + ": " +
                format_fixed(*values[i], options.decimals));
      g.add(std::move(m));
    } else {
      // Outside the outer ring, so that the mark cannot be read as a value; series side by side.
      const double offset = (static_cast<double>(s) - static_cast<double>(series.size() - 1) / 2) * 9;
      const point base = f.at(i, radar_frame::radius + 9);
      const double a = f.angle(i);
      element x = cross({base.x + offset * std::cos(a), base.y + offset * std::sin(a)}, 3.5, st.colour);
      x.set("class", "no-data");
      x.tooltip(f.labels[i] + " " + std::string(em_dash) + " " + series[s].name + ": no data");
      g.add(std::move(x));
    }
  }
  return g;
}

// Axis labels: the label on up to two lines, then the series' values in their colours.
ETHOS_DECL element radar_axis_labels(const std::vector<radar_series>& series, const radar_options& options,
                                     const radar_frame& f) {
  constexpr double line_height = radar_frame::line_height;
  element axis_labels = group("axis-labels");
  for (std::size_t i = 0; i < f.n; ++i) {
    const double sn = std::sin(f.angle(i));
    const double cs = std::cos(f.angle(i));
    const point anchor_pt = f.at(i, radar_frame::radius + radar_frame::label_gap);
    const std::string_view anchor = sn > 0.3 ? "start" : sn < -0.3 ? "end" : "middle";
    bool cut = false;
    const std::vector<std::string> lines =
        wrap_two_lines(f.labels[i], anchor == "middle" ? radar_frame::middle_chars : radar_frame::side_chars, cut);
    const double block = static_cast<double>(lines.size() + 1) * line_height;
    // First baseline: blocks above the centre end at the anchor, those below start at it, side ones centre on it.
    const double first = cs > 0.3    ? anchor_pt.y - block + 10
                         : cs < -0.3 ? anchor_pt.y + 10
                                     : anchor_pt.y - block / 2 + 10;
    element g = group("axis-label", cut ? std::string_view(f.labels[i]) : std::string_view{});
    for (std::size_t l = 0; l < lines.size(); ++l) {
      g.add(text_at(anchor_pt.x, first + static_cast<double>(l) * line_height, lines[l], 12, anchor));
    }
    element values_line("text");
    values_line.set("x", anchor_pt.x)
        .set("y", first + static_cast<double>(lines.size()) * line_height)
        .set("font-size", 12);
    if (anchor != "start") {
      values_line.set("text-anchor", anchor);
    }
    for (std::size_t s = 0; s < series.size(); ++s) {
      if (s > 0) {
        element sep("tspan");
        sep.set("fill", "#999999").add_text(" / ");
        values_line.add(std::move(sep));
      }
      element v("tspan");
      const auto& val = series[s].values[i];
      v.set("fill", radar_styles[s].colour);
      if (val) {
        v.set("font-weight", "bold").add_text(format_fixed(*val, options.decimals));
      } else {
        v.set("font-style", "italic").add_text("no data");
      }
      values_line.add(std::move(v));
    }
    g.add(std::move(values_line));
    axis_labels.add(std::move(g));
  }
  return axis_labels;
}

} // namespace detail

ETHOS_DECL std::vector<problem> check(const std::vector<radar_series>& series, const radar_options& options) {
  std::vector<problem> out;
  detail::check_scale(options.min, options.max, out);
  detail::check_decimals(options.decimals, out);
  const std::vector<std::string> labels = options.labels.empty() ? building_block_labels() : options.labels;
  if (labels.size() < 3) {
    out.push_back({"axes", "a radar chart needs 3 axes or more, got " + std::to_string(labels.size())});
  }
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (ethos::detail::trim(labels[i]).empty()) {
      out.push_back({"axis label #" + std::to_string(i + 1), "is empty"});
    }
  }
  if (series.empty() || series.size() > detail::radar_styles.size()) {
    out.push_back({"series", "1 to " + std::to_string(detail::radar_styles.size()) + " series are drawn, got " +
                                 std::to_string(series.size())});
  }
  for (std::size_t s = 0; s < series.size(); ++s) {
    const auto& ser = series[s];
    const std::string where = "series #" + std::to_string(s + 1) + " " + ethos::detail::quoted(ser.name);
    if (ethos::detail::trim(ser.name).empty()) {
      out.push_back({"series #" + std::to_string(s + 1), "has an empty name"});
    }
    if (ser.values.size() != labels.size()) {
      out.push_back({where, "has " + detail::plural(ser.values.size(), "value", "values") + " for " +
                                detail::plural(labels.size(), "axis", "axes")});
    }
    for (std::size_t i = 0; i < ser.values.size(); ++i) {
      if (!ser.values[i]) {
        continue;
      }
      if (auto p = detail::value_problem(*ser.values[i], options.min, options.max)) {
        const std::string axis = i < labels.size() ? " (" + labels[i] + ")" : "";
        out.push_back({where + " value #" + std::to_string(i + 1) + axis, *p});
      }
    }
  }
  return out;
}

ETHOS_DECL document radar_document(const std::vector<radar_series>& series, const radar_options& options) {
  throw_if_problems("radar chart " + ethos::detail::quoted(options.title), check(series, options));
  const detail::radar_frame f = detail::radar_frame_of(options);
  const std::string desc = options.description.empty() ? detail::radar_description(series, f) : options.description;

  document doc(detail::radar_frame::width, f.height, options.title, desc);
  doc.add(detail::background(detail::radar_frame::width, f.height));
  doc.add(detail::chart_title(options.title));
  doc.add(detail::radar_legend(series, f));
  doc.add(detail::radar_grid(f));
  // Series, comparisons first so that the subject is drawn on top.
  for (std::size_t s = series.size(); s-- > 0;) {
    doc.add(detail::radar_series_group(series, s, options, f));
  }
  doc.add(detail::radar_axis_labels(series, options, f));
  return doc;
}

ETHOS_DECL std::string radar_chart(const std::vector<radar_series>& series, const radar_options& options) {
  return radar_document(series, options).str();
}

} // namespace ethos::svg
