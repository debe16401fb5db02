// ethos/report/impl/driver_chart.ipp: definitions of ethos/report/driver_chart.hpp (compiled into ethos::compiled,
// or included by the header in header-only mode).
#pragma once

#include <ethos/report/driver_chart.hpp>

#include <ethos/error.hpp>
#include <ethos/framework/vocabulary.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ethos::svg {

namespace detail {

// Okabe and Ito's palette (2008), which stays apart under every common colour-vision deficiency; each quadrant
// also has its own marker shape.
struct quadrant_style {
  std::string_view colour;
  std::string_view shape; // circle, square, diamond, triangle
};

inline constexpr std::array<quadrant_style, 4> quadrant_styles{{
    {"#009e73", "circle"},   // strength: bluish green
    {"#d55e00", "diamond"},  // priority: vermilion
    {"#0072b2", "square"},   // maintain: blue
    {"#8a6d00", "triangle"}, // monitor: a dark ochre (Okabe-Ito's yellow-orange darkened to be legible on white)
}};

ETHOS_DECL element quadrant_marker(point p, driver_quadrant q) {
  const auto& s = quadrant_styles[static_cast<std::size_t>(q)];
  element e("g");
  if (s.shape == "circle") {
    e = circle(p.x, p.y, 6);
  } else if (s.shape == "square") {
    e = rect(p.x - 5.5, p.y - 5.5, 11, 11);
  } else if (s.shape == "diamond") {
    const std::array<point, 4> pts{{{p.x, p.y - 7.5}, {p.x + 7.5, p.y}, {p.x, p.y + 7.5}, {p.x - 7.5, p.y}}};
    e = polygon(pts);
  } else {
    const std::array<point, 3> pts{{{p.x, p.y - 7.5}, {p.x + 7, p.y + 5.5}, {p.x - 7, p.y + 5.5}}};
    e = polygon(pts);
  }
  e.set("fill", s.colour).set("stroke", "#ffffff").set("stroke-width", 1.2);
  return e;
}

// Initials of a label's words (without "of", "the", "and", "&"), upper case.
ETHOS_DECL std::string initials(std::string_view label) {
  std::string out;
  std::size_t pos = 0;
  while (pos < label.size()) {
    const std::size_t end = std::min(label.find(' ', pos), label.size());
    const std::string_view w = label.substr(pos, end - pos);
    if (!w.empty() && w != "of" && w != "the" && w != "and" && w != "&" && out.size() < 4) {
      const char c = w[0];
      out += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    }
    pos = end + 1;
  }
  return out.empty() ? std::string("?") : out;
}

struct box {
  double x0, y0, x1, y1;
  bool overlaps(const box& o) const noexcept { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
};

} // namespace detail

ETHOS_DECL document driver_chart_document(const driver_analysis& a, const driver_chart_options& options) {
  using namespace detail;
  struct placed {
    std::size_t index;
    double share;
    double perf;
    driver_quadrant q;
  };
  std::vector<placed> pts;
  for (std::size_t i = 0; i < a.drivers.size(); ++i) {
    const auto& d = a.drivers[i];
    if (d.share && d.performance && d.quadrant && std::isfinite(*d.share) && std::isfinite(*d.performance)) {
      pts.push_back({i, 100.0 * *d.share, *d.performance, *d.quadrant});
    }
  }
  if (pts.size() < 2 || !a.importance_centre || !a.performance_centre) {
    throw ethos::error("driver chart of '" + a.outcome +
                       "': fewer than 2 drivers have an importance and a "
                       "performance" +
                       (a.reason.empty() ? std::string() : " (" + a.reason + ")"));
  }
  if (!options.short_labels.empty() && options.short_labels.size() != a.drivers.size()) {
    throw ethos::error("driver chart: " + std::to_string(options.short_labels.size()) + " short labels for " +
                       std::to_string(a.drivers.size()) + " drivers");
  }
  const auto short_label = [&](std::size_t i) {
    return options.short_labels.empty() ? initials(a.drivers[i].label) : options.short_labels[i];
  };

  const double width = 640;
  const double height = 470;
  const double left = 70;
  const double right = width - 24;
  const double top = 56;
  const double bottom = height - 92;
  // Axes: importance from 0 to a little past the largest share; performance around the points and the centre.
  double xmax = 100.0 * *a.importance_centre;
  double ymin = *a.performance_centre;
  double ymax = *a.performance_centre;
  for (const auto& p : pts) {
    xmax = std::max(xmax, p.share);
    ymin = std::min(ymin, p.perf);
    ymax = std::max(ymax, p.perf);
  }
  const double xstep = nice_step(xmax * 1.1, 5);
  xmax = std::ceil(xmax * 1.08 / xstep) * xstep;
  const double pad = std::max((ymax - ymin) * 0.15, 0.05);
  const double ystep = nice_step(ymax - ymin + 2 * pad, 5);
  ymin = std::floor((ymin - pad) / ystep) * ystep;
  ymax = std::ceil((ymax + pad) / ystep) * ystep;
  const auto X = [&](double v) { return left + (right - left) * v / xmax; };
  const auto Y = [&](double v) { return bottom - (bottom - top) * (v - ymin) / (ymax - ymin); };

  const std::string title =
      options.title.empty() ? "Drivers of " + (a.outcome_label.empty() ? a.outcome : a.outcome_label) : options.title;
  std::string desc = options.description;
  if (desc.empty()) {
    desc = "Importance (share of the explained variance, percent) across, mean score up, for " +
           plural(pts.size(), "driver", "drivers") + " over " + std::to_string(a.n) +
           " complete cases; dashed lines at the mean importance (" + format_fixed(100.0 * *a.importance_centre, 1) +
           "%) and the mean score (" + format_fixed(*a.performance_centre, 2) +
           ") divide strengths (upper right), priorities (lower right), maintain (upper left) and monitor (lower "
           "left).";
    for (const auto& p : pts) {
      desc += " " + a.drivers[p.index].label + ": " + format_fixed(p.share, 1) + "%, " + format_fixed(p.perf, 2) +
              ", " + std::string(ethos::to_string(p.q)) + ".";
    }
  }
  document doc(width, height, title, desc);
  doc.add(background(width, height));
  doc.add(chart_title(title));

  // Quadrant grounds (light tints) and names.
  const double cx = X(100.0 * *a.importance_centre);
  const double cy = Y(*a.performance_centre);
  const struct {
    driver_quadrant q;
    double x0, y0, x1, y1;
    std::string_view anchor;
  } grounds[] = {{driver_quadrant::maintain, left, top, cx, cy, "start"},
                 {driver_quadrant::strength, cx, top, right, cy, "end"},
                 {driver_quadrant::monitor, left, cy, cx, bottom, "start"},
                 {driver_quadrant::priority, cx, cy, right, bottom, "end"}};
  element quads = group("quadrants");
  for (const auto& g : grounds) {
    element r = rect(g.x0, g.y0, g.x1 - g.x0, g.y1 - g.y0);
    r.set("fill", quadrant_styles[static_cast<std::size_t>(g.q)].colour).set("fill-opacity", 0.06);
    quads.add(std::move(r));
    const bool upper = g.y0 == top;
    const double tx = g.anchor == "start" ? g.x0 + 8 : g.x1 - 8;
    const double ty = upper ? g.y0 + 18 : g.y1 - 8;
    element name = text_at(tx, ty, ethos::to_string(g.q), 13, g.anchor, "#333333");
    name.set("font-weight", "bold");
    quads.add(std::move(name));
  }
  doc.add(std::move(quads));

  // Grid, axes and ticks.
  element axes = group("axes");
  for (double t = 0; t <= xmax + 1e-9; t += xstep) {
    element gl = line(X(t), top, X(t), bottom);
    gl.set("stroke", "#e4e4e4").set("stroke-width", 1);
    axes.add(std::move(gl));
    axes.add(text_at(X(t), bottom + 18, format_number(t, 1) + "%", 11, "middle", "#555555"));
  }
  for (double t = ymin; t <= ymax + 1e-9; t += ystep) {
    element gl = line(left, Y(t), right, Y(t));
    gl.set("stroke", "#e4e4e4").set("stroke-width", 1);
    axes.add(std::move(gl));
    axes.add(text_at(left - 8, Y(t) + 4, format_fixed(t, ystep < 0.1 ? 2 : 1), 11, "end", "#555555"));
  }
  element frame = rect(left, top, right - left, bottom - top);
  frame.set("fill", "none").set("stroke", "#8a8a8a").set("stroke-width", 1);
  axes.add(std::move(frame));
  axes.add(text_at((left + right) / 2, bottom + 40, "Importance: share of the explained variance (relative weight)", 12,
                   "middle", "#333333"));
  element ylab = text_at(0, 0, "Performance: mean score", 12, "middle", "#333333");
  ylab.set("transform", "translate(20 " + format_number((top + bottom) / 2) + ") rotate(-90)");
  axes.add(std::move(ylab));
  for (const auto& [x1, y1, x2, y2] : {std::array<double, 4>{cx, top, cx, bottom}, {left, cy, right, cy}}) {
    element c = line(x1, y1, x2, y2);
    c.set("stroke", "#444444").set("stroke-width", 1.25).set("stroke-dasharray", "6 3");
    axes.add(std::move(c));
  }
  doc.add(std::move(axes));

  // Points, then their labels placed greedily where they overlap neither another label nor a point.
  std::vector<box> taken;
  for (const auto& p : pts) {
    taken.push_back({X(p.share) - 8, Y(p.perf) - 8, X(p.share) + 8, Y(p.perf) + 8});
  }
  // Every marker first, then the labels over them (each with a white halo), so that no marker covers a label.
  element marks = group("drivers");
  element labels = group("driver-labels");
  for (const auto& p : pts) {
    const auto& d = a.drivers[p.index];
    const point at{X(p.share), Y(p.perf)};
    element g = group("driver", d.label + ": importance " + format_fixed(p.share, 1) + "%, mean " +
                                    format_fixed(p.perf, 2) + ", " + std::string(ethos::to_string(p.q)));
    g.add(quadrant_marker(at, p.q));
    marks.add(std::move(g));
    const std::string lab = short_label(p.index);
    const double w = text_width(lab, 11);
    const std::array<std::pair<double, double>, 8> offsets{
        {{10, 4}, {-10 - w, 4}, {-w / 2, -11}, {-w / 2, 19}, {10, -8}, {10, 16}, {-10 - w, -8}, {-10 - w, 16}}};
    box best{at.x + 10, at.y - 6, at.x + 10 + w, at.y + 6};
    for (const auto& [dx, dy] : offsets) {
      const box b{at.x + dx, at.y + dy - 10, at.x + dx + w, at.y + dy + 2};
      const bool inside = b.x0 >= left && b.x1 <= right && b.y0 >= top && b.y1 <= bottom;
      const bool free = std::none_of(taken.begin(), taken.end(), [&](const box& t) { return t.overlaps(b); });
      if (inside && free) {
        best = b;
        break;
      }
    }
    taken.push_back(best);
    element t = text_at(best.x0, best.y1 - 2, lab, 11, "start", "#222222");
    t.set("stroke", "#ffffff").set("stroke-width", 3).set("paint-order", "stroke");
    labels.add(std::move(t));
  }
  doc.add(std::move(marks));
  doc.add(std::move(labels));

  // Legend: the four marks.
  element legend = group("legend");
  double lx = left;
  const double ly = height - 22;
  for (const auto q :
       {driver_quadrant::strength, driver_quadrant::priority, driver_quadrant::maintain, driver_quadrant::monitor}) {
    legend.add(quadrant_marker({lx + 7, ly - 4}, q));
    legend.add(text_at(lx + 18, ly, ethos::to_string(q), 12, "start", "#333333"));
    lx += 30 + text_width(ethos::to_string(q), 12);
  }
  legend.add(text_at(right, ly,
                     "n " + std::to_string(a.n) +
                         (a.r_squared ? ", R\xc2\xb2 " + format_fixed(*a.r_squared, 2) : std::string()),
                     12, "end", "#333333"));
  doc.add(std::move(legend));
  return doc;
}

} // namespace ethos::svg
