// Tests of the SVG line chart with uncertainty bands: what is drawn for the data (lines, bands, markers, legend),
// where it is drawn (the scale agrees with the axis ticks), escaping, validation messages, well-formed XML and a
// rasterised image that is not blank. Expected values come from the inputs, never from the output.
// Needs xmllint, rsvg-convert and python3 on PATH (declared test dependencies: a missing one fails the test).
#include "../support/checks.hpp"
#include "../support/svg_checks.hpp"

#include <ethos/report/line_chart.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <utility>
#include <vector>

using namespace ethos;
using ethos_test::attributes;
using ethos_test::count;
using ethos_test::element_text;
using ethos_test::error_of;
using ethos_test::has_problem;
using ethos_test::parse_points;
using ethos_test::render;
using ethos_test::require_well_formed;

namespace {

// ---- data ----------------------------------------------------------------------------------------------------------

// A model's forecast of the share of favourable ratings, 2015-2030, with 50% and 90% intervals that widen after
// the last observed year (2023), and the observed shares 2015-2023.
struct forecast_data {
  std::vector<double> years{};
  std::vector<double> mean{};
  std::vector<double> lo50{}, hi50{}, lo90{}, hi90{};
  std::vector<double> observed_years{};
  std::vector<double> observed{};
};

forecast_data forecast() {
  forecast_data d;
  for (int year = 2015; year <= 2030; ++year) {
    const double t = year - 2015;
    const double m = 0.45 + 0.02 * t + 0.03 * std::sin(t);
    const double w = t < 9 ? 0.02 : 0.02 + 0.025 * (t - 8);
    d.years.push_back(year);
    d.mean.push_back(m);
    d.lo50.push_back(m - 0.7 * w - 0.01);
    d.hi50.push_back(m + 0.7 * w + 0.01);
    d.lo90.push_back(m - 1.6 * w - 0.02);
    d.hi90.push_back(m + 1.6 * w + 0.02);
    if (year <= 2023) {
      d.observed_years.push_back(year);
      d.observed.push_back(m + 0.03 * std::cos(3 * t));
    }
  }
  return d;
}

std::vector<svg::line_series> forecast_series() {
  const auto d = forecast();
  return {{"Model forecast", d.years, d.mean, {{"90% interval", d.lo90, d.hi90}, {"50% interval", d.lo50, d.hi50}}},
          {"Observed", d.observed_years, d.observed, {}, true}};
}

// ---- reading the chart -------------------------------------------------------------------------------------------

double number(const std::string& s) { return std::stod(s); }

// The markers of series `s`: their centres, in drawing order (the data's order).
std::vector<svg::point> markers(const std::string& svg, std::size_t s) {
  const std::string g = element_text(svg, "<g class=\"series series-" + std::to_string(s) + "\">");
  std::vector<svg::point> out;
  for (auto pos = g.find("<circle"); pos != std::string::npos; pos = g.find("<circle", pos + 1)) {
    const std::string c = g.substr(pos, g.find('>', pos) - pos);
    REQUIRE(c.find("class=\"marker\"") != std::string::npos);
    out.push_back({number(attributes(c, "cx").at(0)), number(attributes(c, "cy").at(0))});
  }
  return out;
}

// The band polygons of series `s`, in drawing order: (outline points, fill-opacity).
std::vector<std::pair<std::vector<svg::point>, double>> bands(const std::string& svg, std::size_t s) {
  const std::string g = element_text(svg, "<g class=\"series-bands series-" + std::to_string(s) + "\">");
  std::vector<std::pair<std::vector<svg::point>, double>> out;
  for (auto pos = g.find("<polygon"); pos != std::string::npos; pos = g.find("<polygon", pos + 1)) {
    const std::string p = g.substr(pos, g.find('>', pos) - pos);
    REQUIRE(p.find("class=\"band\"") != std::string::npos);
    out.emplace_back(parse_points(attributes(p, "points").at(0)), number(attributes(p, "fill-opacity").at(0)));
  }
  return out;
}

struct tick {
  std::string label{};
  double pixel = 0.0; // y of a y tick, x of an x tick
};

// The ticks of an axis ("x-axis" or "y-axis"): printed value and position of the tick mark.
std::vector<tick> ticks(const std::string& svg, const std::string& axis) {
  const std::string a = element_text(svg, "<g class=\"axis " + axis + "\">");
  std::vector<tick> out;
  for (auto pos = a.find("<g class=\"tick\">"); pos != std::string::npos; pos = a.find("<g class=\"tick\">", pos + 1)) {
    const std::string t = element_text(a.substr(pos), "<g class=\"tick\">");
    const auto begin = t.find('>', t.find("<text")) + 1;
    out.push_back({t.substr(begin, t.find("</text>", begin) - begin),
                   number(attributes(t, axis == "y-axis" ? "y1" : "x1").at(0))});
  }
  return out;
}

// The contents of the element `tag` (e.g. "desc"), unescaped only as far as tests need.
std::string contents(const std::string& svg, const std::string& tag) {
  const auto begin = svg.find("<" + tag + ">");
  REQUIRE(begin != std::string::npos);
  const auto from = begin + tag.size() + 2;
  return svg.substr(from, svg.find("</" + tag + ">", from) - from);
}

constexpr double px = 0.011; // coordinates are written with two decimals

} // namespace

// ---- structure -----------------------------------------------------------------------------------------------------

TEST_CASE("line chart: a line, markers and bands per series, a legend entry for each", "[report][svg][line]") {
  const auto series = forecast_series();
  const std::string s = svg::line_chart(series, {.title = "Favourable share", .x_label = "Year"});
  require_well_formed(s, "line_structure");
  CHECK(s.find("<title>Favourable share</title>") != std::string::npos);
  CHECK(count(s, "<desc>") == 1);

  std::size_t lines = 0;
  std::size_t points = 0;
  std::size_t band_count = 0;
  for (const auto& ser : series) {
    lines += ser.x.size() > 1 ? 1 : 0;
    points += ser.x.size();
    band_count += ser.bands.size();
  }
  CHECK(count(s, "<polyline") == lines);
  CHECK(count(s, "class=\"line\"") == lines);
  CHECK(count(s, "class=\"marker\"") == points);
  CHECK(count(s, "<polygon") == band_count);
  CHECK(count(s, "class=\"band\"") == band_count);
  for (std::size_t k = 0; k < series.size(); ++k) {
    const std::string g = element_text(s, "<g class=\"series series-" + std::to_string(k) + "\">");
    CHECK(count(g, "<polyline") == 1);
    CHECK(parse_points(attributes(g, "points").at(0)).size() == series[k].x.size());
    CHECK(markers(s, k).size() == series[k].y.size());
  }
  // Every band is drawn before (under) every line.
  CHECK(s.find("<g class=\"bands\">") < s.find("<g class=\"series series-"));
  CHECK(s.rfind("class=\"band\"") < s.find("<polyline"));

  // The legend names every series and band.
  const std::string legend = element_text(s, "<g class=\"legend\">");
  CHECK(count(legend, "class=\"legend-item\"") == series.size());
  CHECK(count(legend, "class=\"legend-item legend-band\"") == band_count);
  for (const auto& ser : series) {
    CHECK(legend.find(">" + ser.name + "<") != std::string::npos);
    for (const auto& b : ser.bands) {
      CHECK(legend.find(">" + b.label + "<") != std::string::npos);
    }
  }

  // Tooltips: "name, x: y" on markers, followed by the intervals; the band names its series and label.
  const auto d = forecast();
  const std::size_t i = 5; // 2020
  const std::string tip = "Model forecast, 2020: " + svg::format_fixed(d.mean[i], 2) + " (90% interval " +
                          svg::format_fixed(d.lo90[i], 2) + " to " + svg::format_fixed(d.hi90[i], 2) +
                          "; 50% interval " + svg::format_fixed(d.lo50[i], 2) + " to " +
                          svg::format_fixed(d.hi50[i], 2) + ")</title>";
  CHECK(s.find(tip) != std::string::npos);
  CHECK(s.find("<title>Observed, 2015: " + svg::format_fixed(d.observed[0], 2) + "</title>") != std::string::npos);
  CHECK(s.find("<title>Model forecast \xE2\x80\x94 90% interval, 2015 to 2030</title>") != std::string::npos);

  // The dashed series has a dashed line and hollow markers; the solid one neither.
  const std::string solid = element_text(s, "<g class=\"series series-0\">");
  const std::string dashed = element_text(s, "<g class=\"series series-1\">");
  CHECK(solid.find("stroke-dasharray") == std::string::npos);
  CHECK(dashed.find("stroke-dasharray") != std::string::npos);
  CHECK(dashed.find("fill=\"#ffffff\"") != std::string::npos);
  CHECK(solid.find("fill=\"#ffffff\"") == std::string::npos);
  // Different series, different colours; a band has its series' colour.
  const auto solid_strokes = attributes(solid, "stroke");
  const auto dashed_strokes = attributes(dashed, "stroke");
  CHECK(solid_strokes.at(0) != dashed_strokes.at(0));
  const std::string band_group = element_text(s, "<g class=\"series-bands series-0\">");
  for (const auto& fill : attributes(band_group, "fill")) {
    CHECK(fill == solid_strokes.at(0));
  }

  // The description is generated from the data; a given one replaces it.
  const std::string desc = contents(s, "desc");
  CHECK(desc.find("2 series") != std::string::npos);
  CHECK(desc.find("Model forecast: 16 points") != std::string::npos);
  CHECK(desc.find("Observed (dashed): 9 points") != std::string::npos);
  CHECK(desc.find("with bands 90% interval, 50% interval") != std::string::npos);
  CHECK(desc.find("x (Year) from 2015 to 2030") != std::string::npos);
  const std::string custom = svg::line_chart(series, {.description = "Custom text"});
  CHECK(contents(custom, "desc") == "Custom text");
}

// ---- scale ---------------------------------------------------------------------------------------------------------

TEST_CASE("line chart: points sit where the axis ticks of their values are", "[report][svg][line]") {
  // Values that are ticks of any nice scale from 0 to 1 with a step of 0.1, 0.2, 0.25 or 0.5.
  const svg::line_series ser{"Index", {1, 2, 3, 4, 5}, {0.0, 0.5, 1.0, 0.25, 0.75}};
  const svg::line_chart_options o{.title = "Scale", .y_min = 0.0, .y_max = 1.0};
  const std::string s = svg::line_chart({ser}, o);
  require_well_formed(s, "line_scale");
  const auto m = markers(s, 0);
  REQUIRE(m.size() == 5);

  SECTION("against the printed ticks") {
    const auto yt = ticks(s, "y-axis");
    REQUIRE(yt.size() >= 3);
    CHECK(std::stod(yt.front().label) == 0.0);
    CHECK(std::stod(yt.back().label) == 1.0);
    // 0 and 1 are ticks; the markers of 0 and 1 are at their tick marks.
    CHECK(m[0].y == Approx(yt.front().pixel).margin(px));
    CHECK(m[2].y == Approx(yt.back().pixel).margin(px));
    // Every tick lies on the line through those two: the axis is linear, and so is every marker.
    const auto y_of = [&](double v) { return yt.front().pixel + v * (yt.back().pixel - yt.front().pixel); };
    for (const auto& t : yt) {
      CHECK(t.pixel == Approx(y_of(std::stod(t.label))).margin(px));
    }
    for (std::size_t i = 0; i < m.size(); ++i) {
      CHECK(m[i].y == Approx(y_of(ser.y[i])).margin(px));
    }
    // Higher values are higher up.
    CHECK(m[2].y < m[4].y);
    CHECK(m[4].y < m[1].y);
    CHECK(m[1].y < m[3].y);
    // Whole-number x: whole-number ticks, one per period here, at the markers.
    const auto xt = ticks(s, "x-axis");
    REQUIRE(xt.size() == 5);
    for (std::size_t i = 0; i < xt.size(); ++i) {
      CHECK(xt[i].label == svg::format_fixed(ser.x[i], 0));
      CHECK(m[i].x == Approx(xt[i].pixel).margin(px));
    }
  }
  SECTION("against the exposed geometry") {
    const auto g = svg::line_chart_layout({ser}, o);
    CHECK(g.y_min == 0.0);
    CHECK(g.y_max == 1.0);
    CHECK(g.integer_x);
    CHECK(g.y_at(0.0) == Approx(g.plot_top + g.plot_height));
    CHECK(g.y_at(1.0) == Approx(g.plot_top));
    for (std::size_t i = 0; i < m.size(); ++i) {
      CHECK(m[i].x == Approx(g.x_at(ser.x[i])).margin(px));
      CHECK(m[i].y == Approx(g.y_at(ser.y[i])).margin(px));
    }
    // Inside the plot area, with room at the sides.
    CHECK(m.front().x > g.plot_left);
    CHECK(m.back().x < g.plot_left + g.plot_width);
    // The document has the size asked for, and the axis lines frame the plot area.
    CHECK(attributes(s, "width").at(0) == "720");
    CHECK(attributes(s, "height").at(0) == "420");
    const std::string y_axis = element_text(s, "<g class=\"axis y-axis\">");
    CHECK(number(attributes(y_axis, "y1").at(0)) == Approx(g.plot_top).margin(px));
    CHECK(number(attributes(y_axis, "y2").at(0)) == Approx(g.plot_top + g.plot_height).margin(px));
  }
}

TEST_CASE("line chart: the automatic range is nice and covers lines, bands and the reference", "[report][svg][line]") {
  const auto series = forecast_series();
  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  for (const auto& ser : series) {
    for (double v : ser.y) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    for (const auto& b : ser.bands) {
      lo = std::min(lo, *std::min_element(b.lower.begin(), b.lower.end()));
      hi = std::max(hi, *std::max_element(b.upper.begin(), b.upper.end()));
    }
  }
  const auto g = svg::line_chart_layout(series, {});
  CHECK(g.y_min <= lo);
  CHECK(g.y_max >= hi);
  CHECK(g.y_max - g.y_min < 2 * (hi - lo)); // covering, not wasting the plot
  // The ends and every tick are multiples of the step, which is 1, 2, 2.5 or 5 times a power of ten.
  const double mantissa = g.y_step / std::pow(10.0, std::floor(std::log10(g.y_step)));
  CHECK((mantissa == Approx(1) || mantissa == Approx(2) || mantissa == Approx(2.5) || mantissa == Approx(5)));
  for (double t : g.y_ticks) {
    CHECK(std::abs(t / g.y_step - std::round(t / g.y_step)) < 1e-9);
  }
  CHECK(g.y_ticks.front() == Approx(g.y_min));
  CHECK(g.y_ticks.back() == Approx(g.y_max));
  for (double t : g.x_ticks) {
    CHECK(t == std::round(t));
    CHECK(t >= 2015);
    CHECK(t <= 2030);
  }
  CHECK(g.x_ticks.size() >= 3);

  SECTION("a reference line far from the data widens the range to show it") {
    const std::string s = svg::line_chart(series, {.reference = 0.0, .reference_label = "No effect"});
    require_well_formed(s, "line_reference");
    const auto gr = svg::line_chart_layout(series, {.reference = 0.0});
    CHECK(gr.y_min <= 0.0);
    const std::string ref = element_text(s, "<g class=\"reference\">");
    CHECK(ref.find("<title>No effect: 0</title>") != std::string::npos);
    CHECK(ref.find(">No effect<") != std::string::npos);
    CHECK(number(attributes(ref, "y1").at(0)) == Approx(gr.y_at(0.0)).margin(px));
    CHECK(number(attributes(ref, "y1").at(0)) == Approx(gr.plot_top + gr.plot_height).margin(px));
    CHECK(contents(s, "desc").find("reference line marks 0 (No effect)") != std::string::npos);
  }
  SECTION("no reference line unless asked for") {
    CHECK(svg::line_chart(series, {}).find("class=\"reference\"") == std::string::npos);
  }
  SECTION("fractional x gives fractional ticks, linear in x") {
    const svg::line_series q{"Quarterly", {0.25, 0.5, 0.75, 1.0, 1.25}, {3, 4, 2, 5, 4}};
    const auto gq = svg::line_chart_layout({q}, {});
    CHECK_FALSE(gq.integer_x);
    CHECK(std::any_of(gq.x_ticks.begin(), gq.x_ticks.end(), [](double t) { return t != std::round(t); }));
    const std::string s = svg::line_chart({q}, {});
    const auto m = markers(s, 0);
    REQUIRE(m.size() == 5);
    // Equal steps in x are equal steps in pixels.
    for (std::size_t i = 1; i + 1 < m.size(); ++i) {
      CHECK(m[i + 1].x - m[i].x == Approx(m[i].x - m[i - 1].x).margin(2 * px));
    }
    // Three known values: pixel differences in proportion to value differences (y grows upwards).
    CHECK((m[3].y - m[2].y) / (m[1].y - m[2].y) == Approx((5.0 - 2.0) / (4.0 - 2.0)).epsilon(0.01));
  }
}

TEST_CASE("line chart: single points and constant series still get a proper scale", "[report][svg][line]") {
  SECTION("one point") {
    const svg::line_series one{"Pilot", {2024}, {61.5}, {{"90% interval", {55.0}, {68.0}}}};
    const std::string s = svg::line_chart({one}, {.title = "Pilot wave"});
    require_well_formed(s, "line_single");
    const auto g = svg::line_chart_layout({one}, {});
    CHECK(g.x_min < 2024);
    CHECK(g.x_max > 2024);
    CHECK(g.y_min <= 55.0);
    CHECK(g.y_max >= 68.0);
    CHECK(g.y_ticks.size() >= 2);
    CHECK(g.x_ticks.size() >= 1);
    CHECK(std::find(g.x_ticks.begin(), g.x_ticks.end(), 2024.0) != g.x_ticks.end());
    CHECK(count(s, "<polyline") == 0); // a line needs two points
    const auto m = markers(s, 0);
    REQUIRE(m.size() == 1);
    CHECK(m[0].x == Approx(g.plot_left + g.plot_width / 2).margin(px)); // centred
    // The band of a single point is a box of some width around its marker, from its lower to its upper bound.
    const auto b = bands(s, 0);
    REQUIRE(b.size() == 1);
    const auto& box = b[0].first;
    REQUIRE(box.size() == 4);
    double left = box[0].x, right = box[0].x, top = box[0].y, bottom = box[0].y;
    for (const auto& p : box) {
      left = std::min(left, p.x);
      right = std::max(right, p.x);
      top = std::min(top, p.y);
      bottom = std::max(bottom, p.y);
    }
    CHECK(right - left > 4);
    CHECK(left < m[0].x);
    CHECK(right > m[0].x);
    CHECK(top == Approx(g.y_at(68.0)).margin(px));
    CHECK(bottom == Approx(g.y_at(55.0)).margin(px));
    CHECK(s.find("<title>Pilot \xE2\x80\x94 90% interval at 2024: 55.00 to 68.00</title>") != std::string::npos);
  }
  SECTION("constant values") {
    for (double v : {0.0, 50.0, -3.5, 1e6, 1e-7}) {
      CAPTURE(v);
      const svg::line_series flat{"Flat", {1, 2, 3}, {v, v, v}};
      const auto g = svg::line_chart_layout({flat}, {});
      CHECK(g.y_min < v);
      CHECK(g.y_max > v);
      CHECK(g.y_ticks.size() >= 2);
      const std::string s = svg::line_chart({flat}, {});
      require_well_formed(s, "line_flat");
      for (const auto& p : markers(s, 0)) {
        CHECK(p.y > g.plot_top);
        CHECK(p.y < g.plot_top + g.plot_height);
      }
    }
  }
  SECTION("a constant series against one explicit end") {
    const svg::line_series flat{"Flat", {1, 2}, {5, 5}};
    const auto g = svg::line_chart_layout({flat}, {.y_min = 5.0});
    CHECK(g.y_min == 5.0);
    CHECK(g.y_max > 5.0);
  }
}

TEST_CASE("line chart: bands enclose their line, the wider band lighter", "[report][svg][line]") {
  const auto series = forecast_series();
  const auto d = forecast();
  const std::string s = svg::line_chart(series, {});
  require_well_formed(s, "line_bands");
  const auto m = markers(s, 0);
  const auto b = bands(s, 0);
  REQUIRE(b.size() == 2);
  const std::size_t n = d.years.size();
  // Drawn widest first: the 90% interval, then the 50% one; the 90% one is lighter.
  const auto& wide = b[0].first;
  const auto& narrow = b[1].first;
  REQUIRE(wide.size() == 2 * n);
  REQUIRE(narrow.size() == 2 * n);
  CHECK(b[0].second < b[1].second);
  // Upper bounds left to right, then lower bounds right to left; pixel y grows downwards.
  for (std::size_t i = 0; i < n; ++i) {
    CAPTURE(i);
    const svg::point wide_upper = wide[i];
    const svg::point wide_lower = wide[2 * n - 1 - i];
    const svg::point narrow_upper = narrow[i];
    const svg::point narrow_lower = narrow[2 * n - 1 - i];
    CHECK(wide_upper.x == Approx(m[i].x).margin(px));
    CHECK(wide_lower.x == Approx(m[i].x).margin(px));
    CHECK(wide_upper.y <= narrow_upper.y + px);
    CHECK(narrow_upper.y < m[i].y);
    CHECK(m[i].y < narrow_lower.y);
    CHECK(narrow_lower.y <= wide_lower.y + px);
  }
  // The widening after 2023 shows in pixels too: the last 90% band is taller than the first.
  CHECK(wide[n].y - wide[n - 1].y > 2 * (wide[2 * n - 1].y - wide[0].y));
  // The legend's swatches are as light as the bands look: the 90% one lighter than the 50% one.
  const std::string legend = element_text(s, "<g class=\"legend\">");
  const auto opacities = attributes(legend, "fill-opacity");
  REQUIRE(opacities.size() == 2);
  CHECK(number(opacities[0]) < number(opacities[1]));
  CHECK(number(opacities[0]) == Approx(b[0].second));

  SECTION("the order of the bands in the input does not matter") {
    auto swapped = series;
    std::swap(swapped[0].bands[0], swapped[0].bands[1]);
    const auto bs = bands(svg::line_chart(swapped, {}), 0);
    REQUIRE(bs.size() == 2);
    CHECK(bs[0].first.front().y == Approx(wide.front().y).margin(px)); // still the 90% band first
    CHECK(bs[0].second < bs[1].second);
  }
}

// ---- labels --------------------------------------------------------------------------------------------------------

TEST_CASE("line chart: labels are escaped and long ones cut, keeping the full text", "[report][svg][line]") {
  const std::string long_name = "Engagement index of the customer contact centres in the northern region";
  const std::vector<svg::line_series> series{
      {"R&D <core> \"pulse\"", {1, 2, 3}, {1, 2, 3}, {{"50% <interval> & more", {0.5, 1.5, 2.5}, {1.5, 2.5, 3.5}}}},
      {long_name, {1, 2, 3}, {2, 2.5, 2}}};
  const std::string s = svg::line_chart(series, {.title = "Trends & <forecasts>",
                                                 .x_label = "Wave <n>",
                                                 .y_label = "Score \"raw\" & weighted",
                                                 .reference = 2.0,
                                                 .reference_label = "Baseline <2019>"});
  require_well_formed(s, "line_labels");
  for (const char* raw : {"R&D", "<core>", "<forecasts>", "<n>", "<interval>", "<2019>"}) {
    CAPTURE(raw);
    CHECK(s.find(raw) == std::string::npos);
  }
  CHECK(s.find("<title>Trends &amp; &lt;forecasts&gt;</title>") != std::string::npos);
  CHECK(s.find(">R&amp;D &lt;core&gt; &quot;pulse&quot;<") != std::string::npos);
  CHECK(s.find(">50% &lt;interval&gt; &amp; more<") != std::string::npos);
  CHECK(s.find(">Wave &lt;n&gt;<") != std::string::npos);
  CHECK(s.find(">Score &quot;raw&quot; &amp; weighted<") != std::string::npos);
  CHECK(s.find(">Baseline &lt;2019&gt;<") != std::string::npos);
  CHECK(s.find("<title>R&amp;D &lt;core&gt; &quot;pulse&quot;, 2: 2.00 (50% &lt;interval&gt; &amp; more 1.50 to "
               "2.50)</title>") != std::string::npos);
  // The long name is cut in the legend, whole in its tooltip and in the markers' tooltips.
  const std::string legend = element_text(s, "<g class=\"legend\">");
  CHECK(legend.find("<title>" + long_name + "</title>") != std::string::npos);
  CHECK(legend.find(">" + svg::truncate(long_name, 30) + "<") != std::string::npos);
  CHECK(svg::truncate(long_name, 30) != long_name);
  CHECK(s.find("<title>" + long_name + ", 1: 2.00</title>") != std::string::npos);
}

TEST_CASE("line chart: a long legend wraps and the chart grows to keep the plot", "[report][svg][line]") {
  std::vector<svg::line_series> series;
  for (int k = 0; k < 6; ++k) {
    svg::line_series ser{"Business unit number " + std::to_string(k + 1), {1, 2, 3}, {1.0 * k, 1.0 * k + 1, 2.0}};
    for (const char* label : {"95% interval", "80% interval", "50% interval"}) {
      ser.bands.push_back({label, {ser.y[0] - 0.5, ser.y[1] - 0.5, 1.5}, {ser.y[0] + 0.5, ser.y[1] + 0.5, 2.5}});
    }
    series.push_back(std::move(ser));
  }
  const std::string s = svg::line_chart(series, {.height = 240});
  require_well_formed(s, "line_long_legend");
  const auto g = svg::line_chart_layout(series, {.height = 240});
  CHECK(g.plot_height >= 140);
  CHECK(g.height > 240);
  CHECK(number(attributes(s, "height").at(0)) == Approx(g.height));
  const std::string legend = element_text(s, "<g class=\"legend\">");
  double lowest = 0;
  for (const auto& y : attributes(legend, "y")) {
    lowest = std::max(lowest, number(y));
  }
  CHECK(lowest < g.plot_top); // the legend stays above the plot
  CHECK(count(legend, "class=\"legend-item") == 6 + 18);
  for (const auto& x : attributes(legend, "x")) {
    CHECK(number(x) < 720);
  }
}

// ---- validation ----------------------------------------------------------------------------------------------------

TEST_CASE("line chart: bad input is rejected with every problem named", "[report][svg][line]") {
  const double nan = std::nan("");
  const double inf = std::numeric_limits<double>::infinity();

  SECTION("data problems, all in one message") {
    const std::vector<svg::line_series> series{
        {"A", {1, 2, 3}, {1, 2}},                                    // lengths differ
        {"", {1, 2}, {1, 2}},                                        // empty name
        {"C", {1, 3, 2, 2}, {1, 2, 3, 4}},                           // x not increasing, twice
        {"D", {}, {}},                                               // no points
        {"E", {1, nan, 3}, {1, inf, -inf}},                          // NaN and infinities
        {"F", {1, 2, 3}, {1, 2, 3}, {{"90%", {0, 2}, {2, 1.5, 4}}}}, // short band; lower > upper at #2
        {"G", {1, 2}, {1, 2}, {{" ", {0, nan}, {2, 3}}}},            // empty band label, NaN bound
        {"a", {1, 2}, {1, 2}}};                                      // repeats "A"
    try {
      (void)svg::line_chart(series, {.title = "T"});
      FAIL("expected a validation_error");
    } catch (const ethos::validation_error& e) {
      const std::string m = e.what();
      CAPTURE(m);
      const auto& ps = e.problems();
      CHECK(m.find("line chart 'T': " + std::to_string(ps.size()) + " problems") == 0);
      CHECK(has_problem(ps, "series #1 'A'", "has 3 x values and 2 y values"));
      CHECK(has_problem(ps, "series #2", "has an empty name"));
      CHECK(has_problem(ps, "series #3 'C' x #3", "2 does not follow 3 (x must increase strictly)"));
      CHECK(has_problem(ps, "series #3 'C' x #4", "2 does not follow 2"));
      CHECK(has_problem(ps, "series #4 'D'", "has no points"));
      CHECK(has_problem(ps, "series #5 'E' x #2", "is not a number (NaN)"));
      CHECK(has_problem(ps, "series #5 'E' y #2", "is +infinite"));
      CHECK(has_problem(ps, "series #5 'E' y #3", "is -infinite"));
      CHECK(has_problem(ps, "series #6 'F' band #1 '90%'", "has 2 lower bounds for 3 points"));
      CHECK(has_problem(ps, "series #6 'F' band #1 '90%' point #2 (x 2)", "lower 2 is above upper 1.5"));
      CHECK(has_problem(ps, "series #7 'G' band #1", "has an empty label"));
      CHECK(has_problem(ps, "series #7 'G' band #1 ' ' lower #2", "is not a number (NaN)"));
      CHECK(has_problem(ps, "series #8 'a'", "duplicates series #1 'A'"));
      CHECK(has_problem(ps, "series", "6 series at most can be told apart by colour, got 8"));
      CHECK(ps.size() == 14);
    }
  }
  SECTION("lower above upper names series, band and point") {
    const svg::line_series s{"Forecast", {2020, 2021, 2022}, {1, 2, 3}, {{"50% interval", {0, 2.5, 2}, {2, 2.2, 4}}}};
    const auto ps = svg::check({s}, svg::line_chart_options{});
    REQUIRE(ps.size() == 1);
    CHECK(ps[0].where == "series #1 'Forecast' band #1 '50% interval' point #2 (x 2021)");
    CHECK(ps[0].what == "lower 2.5 is above upper 2.2");
  }
  SECTION("values outside an explicit range are rejected, not clamped") {
    const svg::line_series s{"Share", {1, 2, 3}, {0.2, 1.2, 0.5}, {{"90%", {-0.1, 0.9, 0.4}, {0.4, 1.3, 0.6}}}};
    const auto ps = svg::check({s}, {.y_min = 0.0, .y_max = 1.0, .reference = 2.0});
    CHECK(has_problem(ps, "series #1 'Share' y #2", "1.2 is outside the y range 0..1"));
    CHECK(has_problem(ps, "band #1 '90%' lower #1", "-0.1 is outside the y range 0..1"));
    CHECK(has_problem(ps, "band #1 '90%' upper #2", "1.3 is outside the y range 0..1"));
    CHECK(has_problem(ps, "reference", "2 is outside the y range 0..1"));
    CHECK(ps.size() == 4);
    CHECK(has_problem(svg::check({s}, {.y_min = 0.3}), "y #1", "0.2 is below y_min 0.3"));
    CHECK(has_problem(svg::check({s}, {.y_max = 1.25}), "upper #2", "1.3 is above y_max 1.25"));
    CHECK(svg::check({s}, {.y_min = -0.1, .y_max = 1.3}).empty()); // the ends themselves are inside
  }
  SECTION("options") {
    const svg::line_series s{"S", {1, 2}, {1, 2}};
    const auto ps = svg::check({s}, {.y_min = 3.0, .y_max = 3.0, .decimals = 7, .width = 100, .height = nan});
    CHECK(has_problem(ps, "y_min", "3 is not below y_max 3"));
    CHECK(has_problem(ps, "decimals", "7 is outside 0..6"));
    CHECK(has_problem(ps, "width", "100 is below the minimum of 320 pixels"));
    CHECK(has_problem(ps, "height", "is not a finite number"));
    CHECK(has_problem(svg::check({s}, {.y_min = nan}), "y_min", "is not a number (NaN)"));
    CHECK(has_problem(svg::check({s}, {.y_max = -inf}), "y_max", "is -infinite"));
    const auto bad_end = svg::check({s}, {.y_min = nan, .y_max = 1.5}); // the good end still applies
    CHECK(has_problem(bad_end, "y_min", "is not a number (NaN)"));
    CHECK(has_problem(bad_end, "y #2", "2 is above y_max 1.5"));
    CHECK(has_problem(svg::check({s}, {.reference = inf}), "reference", "is +infinite"));
    CHECK(has_problem(svg::check({s}, {.decimals = -1}), "decimals", "-1 is outside 0..6"));
    CHECK(
        has_problem(svg::check({{"Big", {1, 2}, {1, 2e15}}}, svg::line_chart_options{}), "y #2", "too large to draw"));
  }
  SECTION("series count") {
    CHECK(error_of([] { (void)svg::line_chart({}, {}); }).find("series: a line chart needs at least one series") !=
          std::string::npos);
    std::vector<svg::line_series> seven;
    for (int k = 0; k < 7; ++k) {
      seven.push_back({"S" + std::to_string(k), {1, 2}, {1, 2}});
    }
    CHECK(error_of([&] {
            (void)svg::line_chart(seven, {});
          }).find("series: 6 series at most can be told apart by colour, got 7") != std::string::npos);
    seven.pop_back();
    CHECK_NOTHROW(svg::line_chart(seven, {}));
  }
  SECTION("the layout validates too") {
    CHECK_THROWS_AS(svg::line_chart_layout({}, {}), ethos::validation_error);
    CHECK_THROWS_AS(svg::line_chart_document({{"S", {2, 1}, {1, 2}}}), ethos::validation_error);
  }
}

// ---- rendering -----------------------------------------------------------------------------------------------------

TEST_CASE("line charts rasterise to images that are not blank", "[report][svg][line]") {
  SECTION("forecast with bands, observations and a reference line") {
    const auto st = render(svg::line_chart(forecast_series(), {.title = "Share of favourable ratings, 2015-2030",
                                                               .x_label = "Year",
                                                               .y_label = "Share favourable",
                                                               .reference = 0.5,
                                                               .reference_label = "Target"}),
                           "line_forecast");
    CHECK(st.width == 720);
    CHECK(st.height == 420);
    CHECK(st.non_background > st.width * st.height / 25);
    CHECK(st.distinct >= 20);
    CHECK(st.major >= 4); // ground, line colour, two band shades
  }
  SECTION("single points and a flat line") {
    const auto st = render(svg::line_chart({{"Pilot", {2024}, {61.5}, {{"90% interval", {55.0}, {68.0}}}},
                                            {"Flat", {2022, 2023, 2024}, {60, 60, 60}, {}, true}},
                                           {.title = "Pilot wave"}),
                           "line_single");
    CHECK(st.non_background > st.width * st.height / 50);
    CHECK(st.major >= 3);
  }
}
