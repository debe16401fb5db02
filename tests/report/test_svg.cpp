// Tests of the SVG writer and the report charts: well-formed output, escaping, what is drawn for the data
// (and what must never be), validation messages, and rasterised images that are not blank.
// Needs xmllint, rsvg-convert and python3 on PATH (declared test dependencies: a missing one fails the test).
// With ETHOS_SVG_KEEP=<dir> in the environment the SVG and PNG files are kept there for a human to look at.
#include "../support/checks.hpp"
#include "../support/svg_checks.hpp"

#include <ethos/framework.hpp>
#include <ethos/report/svg.hpp>

#include <catch2/catch.hpp>

#include <clocale>
#include <cmath>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#ifndef ETHOS_TEST_DATA_DIR
#error "ETHOS_TEST_DATA_DIR must be the absolute path of tests/ (the build defines it)"
#endif

using namespace ethos;
using ethos_test::attributes;
using ethos_test::count;
using ethos_test::element_text;
using ethos_test::error_of;
using ethos_test::parse_points;
using ethos_test::plain_text_lines;
using ethos_test::render;
using ethos_test::require_well_formed;

namespace {

// ---- realistic data ------------------------------------------------------------------------------------------------

using opt = std::optional<double>;

// Culture index per building block (0-100), this wave and the previous one.
svg::radar_series this_wave() {
  return {
      "Wave 2 (2024)",
      {opt{72}, opt{64.5}, opt{48}, opt{55}, opt{81}, opt{42}, opt{77}, opt{59}, opt{66}, opt{51}, opt{45}, opt{85}}};
}
svg::radar_series last_wave() {
  return {"Wave 1 (2023)",
          {opt{65}, opt{60}, opt{50}, opt{47}, opt{74}, opt{40}, opt{70}, opt{52}, opt{61}, opt{49}, opt{43}, opt{79}}};
}

// 10 groups x 12 constructs of % favourable; two groups under the reporting threshold, one cell without data.
svg::heatmap_data engagement_by_department() {
  svg::heatmap_data d;
  d.row_labels = {"Front Desk & Reception",
                  "Housekeeping",
                  "Food and Beverage <Restaurant>",
                  "Kitchen",
                  "Engineering and Maintenance",
                  "Sales & Marketing",
                  "Finance",
                  "Human Resources",
                  "Night Audit Team",
                  "Spa and Wellness Centre (Level 3, East Wing)"};
  d.column_labels = svg::building_block_labels();
  for (std::size_t r = 0; r < d.row_labels.size(); ++r) {
    std::vector<svg::heatmap_cell> row;
    for (std::size_t c = 0; c < d.column_labels.size(); ++c) {
      const double v = 35 + static_cast<double>((r * 37 + c * 23) % 60) + 0.4;
      row.push_back({v, r == 7 || r == 8}); // HR and Night Audit: fewer than 5 respondents
    }
    d.cells.push_back(std::move(row));
  }
  d.cells[3][6].value.reset(); // Kitchen was not asked about Voice of the Customer
  return d;
}

ethos::transaction hotel_stay() {
  ethos::transaction t{"Hotel stay"};
  t.add_process("Booking", "Reservations")
      .add_process("Arrival", "Front Office")
      .add_process("Stay", "Housekeeping")
      .add_process("Departure", "Front Office")
      .add_perception("Online booking confirmation", value_category::delivery_system, "Booking")
      .add_perception("Welcome at check-in", value_category::service_mindset, "Arrival")
      .add_perception("Room cleanliness", value_category::primary_product, "Stay")
      .add_perception("Response to a complaint about noise at night", value_category::service_mindset, "Stay")
      .add_perception("Invoice accuracy", value_category::delivery_system, "Departure")
      .add_perception("Follow-up after the stay", value_category::ongoing_relationship, "Departure");
  return t;
}

std::vector<perception_rating> hotel_ratings() {
  std::vector<perception_rating> r;
  const auto add = [&](const char* point, std::array<int, 6> counts) {
    for (int level = 1; level <= 6; ++level) {
      for (int k = 0; k < counts[static_cast<std::size_t>(level - 1)]; ++k) {
        r.push_back({point, level});
      }
    }
  };
  add("Online booking confirmation", {0, 2, 14, 18, 7, 1});
  add("Welcome at check-in", {1, 3, 9, 15, 10, 4});
  add("Room cleanliness", {3, 6, 12, 13, 5, 2});
  add("Response to a complaint about noise at night", {4, 5, 2, 1, 0, 0});
  add("Invoice accuracy", {0, 0, 30, 4, 0, 0});
  return r; // nobody rated the follow-up
}

} // namespace

// ---- the writer ----------------------------------------------------------------------------------------------------

TEST_CASE("svg writer: numbers are compact, rounded and locale-independent", "[report][svg]") {
  CHECK(svg::format_number(12.0) == "12");
  CHECK(svg::format_number(12.5) == "12.5");
  CHECK(svg::format_number(1.0 / 3) == "0.33");
  CHECK(svg::format_number(2.0 / 3, 4) == "0.6667");
  CHECK(svg::format_number(-0.001) == "0");
  CHECK(svg::format_number(-0.0) == "0");
  CHECK(svg::format_number(-7.25) == "-7.25");
  CHECK(svg::format_number(1e21) == "1000000000000000000000");
  CHECK(svg::format_number(0.1 + 0.2) == "0.3");
  CHECK(svg::format_fixed(72.5, 0) == "73");
  CHECK(svg::format_fixed(-72.5, 0) == "-73");
  CHECK(svg::format_fixed(-0.2, 0) == "0");
  CHECK(svg::format_fixed(64.0, 1) == "64.0");
  CHECK(error_of([] { (void)svg::format_number(std::nan("")); }).find("NaN") != std::string::npos);
  CHECK_THROWS_AS(svg::format_fixed(std::numeric_limits<double>::infinity(), 0), ethos::error);
  // A decimal comma in the C locale must not leak into coordinates.
  const std::string saved = std::setlocale(LC_ALL, nullptr);
  if (std::setlocale(LC_ALL, "de_DE.UTF-8") != nullptr || std::setlocale(LC_ALL, "fr_FR.UTF-8") != nullptr) {
    CHECK(svg::format_number(1234.5) == "1234.5");
    CHECK(svg::format_fixed(0.25, 2) == "0.25");
  }
  std::setlocale(LC_ALL, saved.c_str());
}

TEST_CASE("svg writer: text and attributes are escaped, bad bytes replaced", "[report][svg]") {
  CHECK(svg::escape("R&D <core> \"q\" 'a'") == "R&amp;D &lt;core&gt; &quot;q&quot; &apos;a&apos;");
  CHECK(svg::escape("Caf\xC3\xA9") == "Caf\xC3\xA9"); // valid UTF-8 passes through
  CHECK(svg::escape("a\x01"
                    "b") == "a\xEF\xBF\xBD"
                            "b"); // control character
  CHECK(svg::escape("x\xFF"
                    "y") == "x\xEF\xBF\xBD"
                            "y");                               // not UTF-8
  CHECK(svg::escape("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD"); // overlong '/'
  CHECK(svg::escape("tab\tnew\nline") == "tab\tnew\nline");
  CHECK(svg::text_length("Caf\xC3\xA9") == 4);
  CHECK(svg::truncate("Service Recognition and Rewards", 12) == "Service Rec\xE2\x80\xA6");
  CHECK(svg::truncate("Service Recognition", 9) == "Service\xE2\x80\xA6"); // no space before the ellipsis
  CHECK(svg::truncate("Caf\xC3\xA9 au lait", 5) == "Caf\xC3\xA9\xE2\x80\xA6");
  CHECK(svg::truncate("short", 5) == "short");

  svg::element e("text");
  e.set("data-label", "R&D <core> \"x\"").set("x", 3.14159).add_text("R&D <core>");
  CHECK(e.str() == "<text data-label=\"R&amp;D &lt;core&gt; &quot;x&quot;\" x=\"3.14\">R&amp;D &lt;core&gt;</text>\n");
  CHECK(e.get("data-label") == std::optional<std::string_view>("R&D <core> \"x\""));
  e.set("x", 1);
  CHECK(e.get("x") == std::optional<std::string_view>("1"));
}

TEST_CASE("svg writer: a document with title and desc is well-formed XML", "[report][svg]") {
  svg::document doc(640, 480.5, "R&D <core> survey", "Chart of \"things\" & 'stuff'\x02");
  svg::element g = svg::group("series", "tooltip <1>");
  const std::vector<svg::point> pts{{0, 0}, {10.126, 5}, {20, -1.5}};
  g.add(svg::polygon(pts)).add(svg::polyline(pts)).add(svg::rect(1, 2, -3, 4)).add(svg::circle(5, 5, 2));
  g.add(svg::line(0, 0, 1, 1)).add(svg::path("M0,0 L10,10")).add(svg::text(5, 6, "a < b & c"));
  svg::element t = svg::text(1, 2, "mixed ");
  svg::element span("tspan");
  span.add_text("bold");
  t.add(std::move(span));
  g.add(std::move(t));
  doc.add(std::move(g));
  const std::string s = doc.str();
  std::ostringstream os;
  doc.write(os);
  CHECK(os.str() == s);
  CHECK(s.find("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" "
               "height=\"480.5\" viewBox=\"0 0 640 480.5\" role=\"img\" font-family=\"sans-serif\">\n"
               "  <title>R&amp;D &lt;core&gt; survey</title>\n  <desc>") == 0);
  CHECK(s.find("points=\"0,0 10.13,5 20,-1.5\"") != std::string::npos);
  CHECK(s.find("width=\"0\"") != std::string::npos); // negative width clamped
  CHECK(s.find("<title>tooltip &lt;1&gt;</title>") != std::string::npos);
  CHECK(s.find(">mixed <tspan>bold</tspan></text>") != std::string::npos); // no line break inside text
  CHECK(s.find('\x02') == std::string::npos);
  require_well_formed(s, "writer");
}

// ---- radar ---------------------------------------------------------------------------------------------------------

TEST_CASE("radar chart: one axis per building block, series drawn from the data", "[report][svg][radar]") {
  const std::string s = svg::radar_chart({this_wave(), last_wave()}, {.title = "Service culture index"});
  require_well_formed(s, "radar_structure");
  CHECK(s.find("<title>Service culture index</title>") != std::string::npos);
  CHECK(count(s, "<desc>") == 1);
  // Axis labels, clockwise from the top, are the building blocks in order, each whole on one or two lines.
  const std::string axis_labels = element_text(s, "<g class=\"axis-labels\">");
  std::vector<std::string> shown;
  for (auto pos = axis_labels.find("<g class=\"axis-label\""); pos != std::string::npos;
       pos = axis_labels.find("<g class=\"axis-label\"", pos + 1)) {
    shown.push_back(plain_text_lines(element_text(axis_labels.substr(pos), "<g class=\"axis-label\"")));
  }
  CHECK(shown == svg::building_block_labels());
  CHECK(s.find(">Voice of the Customer<") != std::string::npos);
  CHECK(s.find(">Service Recognition<") != std::string::npos); // wrapped before "and Rewards"
  CHECK(s.find(">and Rewards<") != std::string::npos);

  for (int k = 0; k < 2; ++k) {
    const std::string series = element_text(s, "<g class=\"series series-" + std::to_string(k) + "\">");
    CHECK(count(series, "<polygon") == 1);
    CHECK(count(series, "<polyline") == 0);
    CHECK(count(series, "class=\"value\"") == 12);
    CHECK(parse_points(attributes(series, "points").at(0)).size() == 12);
  }
  // The subject is filled and solid, the comparison an unfilled dashed outline.
  const std::string subject = element_text(s, "<g class=\"series series-0\">");
  const std::string comparison = element_text(s, "<g class=\"series series-1\">");
  CHECK(subject.find("fill-opacity") != std::string::npos);
  CHECK(subject.find("stroke-dasharray") == std::string::npos);
  CHECK(comparison.find("stroke-dasharray") != std::string::npos);
  // Values are printed under the labels and in tooltips.
  CHECK(s.find(">85</tspan>") != std::string::npos);
  CHECK(s.find("Service Role Modeling \xE2\x80\x94 Wave 2 (2024): 85</title>") != std::string::npos);
  CHECK(s.find("Engaging Service Vision \xE2\x80\x94 Wave 2 (2024): 65</title>") != std::string::npos); // 64.5 up
}

TEST_CASE("radar chart: a missing value is a gap marked 'no data', not a zero", "[report][svg][radar]") {
  auto gappy = this_wave();
  gappy.values[3].reset();
  gappy.values[9].reset();
  auto at_min = this_wave();
  at_min.values[3] = 0.0;
  const std::string s = svg::radar_chart({gappy}, {});
  const std::string z = svg::radar_chart({at_min}, {});
  require_well_formed(s, "radar_gaps");

  const std::string grid = element_text(s, "<g class=\"grid\"");
  const auto spoke = grid.substr(grid.find("<line"));
  const svg::point centre{std::stod(attributes(spoke, "x1").at(0)), std::stod(attributes(spoke, "y1").at(0))};
  const auto points_of = [](const std::string& series) {
    std::vector<svg::point> pts;
    for (const auto& p : attributes(series, "points")) {
      const auto v = parse_points(p);
      pts.insert(pts.end(), v.begin(), v.end());
    }
    const auto cx = attributes(series, "cx");
    const auto cy = attributes(series, "cy");
    for (std::size_t i = 0; i < cx.size(); ++i) {
      pts.push_back({std::stod(cx[i]), std::stod(cy[i])});
    }
    return pts;
  };
  const auto near_centre = [&](const std::vector<svg::point>& pts) {
    return std::any_of(pts.begin(), pts.end(),
                       [&](const svg::point& p) { return std::hypot(p.x - centre.x, p.y - centre.y) < 0.5; });
  };

  const std::string series = element_text(s, "<g class=\"series series-0\">");
  CHECK(count(series, "class=\"value\"") == 10);
  CHECK(count(series, "<polygon") == 0);  // a closed, filled shape would bridge the gaps
  CHECK(count(series, "<polyline") == 2); // blocks 5-9 and 11-12-1-2-3
  CHECK(count(series, "class=\"no-data\"") == 2);
  CHECK_FALSE(near_centre(points_of(series)));
  CHECK(series.find("New Staff Orientation \xE2\x80\x94 Wave 2 (2024): no data</title>") != std::string::npos);
  CHECK(s.find("no data (not plotted)") != std::string::npos);
  CHECK(s.find("no data for 2 axes") != std::string::npos); // in the desc
  // The same chart with a real minimum does put a point at the centre: the check above can fail.
  CHECK(near_centre(points_of(element_text(z, "<g class=\"series series-0\">"))));
  CHECK(z.find("no data") == std::string::npos);

  SECTION("an isolated value between two gaps is a marker without a line") {
    auto lone = this_wave();
    lone.values[0].reset();
    lone.values[2].reset();
    const std::string l = element_text(svg::radar_chart({lone}, {}), "<g class=\"series series-0\">");
    CHECK(count(l, "<polyline") == 1); // blocks 4..12
    CHECK(parse_points(attributes(l, "points").at(0)).size() == 9);
    CHECK(count(l, "class=\"value\"") == 10);
  }
  SECTION("a series with no data at all draws no line") {
    svg::radar_series none{"Benchmark", std::vector<std::optional<double>>(12)};
    const std::string n = svg::radar_chart({this_wave(), none}, {});
    require_well_formed(n, "radar_empty_series");
    const std::string b = element_text(n, "<g class=\"series series-1\">");
    CHECK(count(b, "<polyline") == 0);
    CHECK(count(b, "class=\"value\"") == 0);
    CHECK(count(b, "class=\"no-data\"") == 12);
  }
}

TEST_CASE("radar chart: caller labels are escaped and cut, other scales work", "[report][svg][radar]") {
  svg::radar_options o;
  o.title = "R&D <core> \"pulse\"";
  o.labels = {"R&D <core>", "Quality & Safety", "Customer \"first\"",
              "A label that is far too long to fit beside the chart"};
  o.min = 1;
  o.max = 5;
  o.decimals = 1;
  const std::string s = svg::radar_chart({{"Team <A>", {opt{3.25}, opt{4.5}, opt{1}, opt{5}}}}, o);
  require_well_formed(s, "radar_labels");
  CHECK(s.find("R&D <core>") == std::string::npos);
  CHECK(s.find(">R&amp;D &lt;core&gt;<") != std::string::npos);
  CHECK(s.find("<title>R&amp;D &lt;core&gt; &quot;pulse&quot;</title>") != std::string::npos);
  CHECK(s.find("Team &lt;A&gt;") != std::string::npos);
  CHECK(s.find("<title>A label that is far too long to fit beside the chart</title>") != std::string::npos);
  CHECK(s.find("\xE2\x80\xA6<") != std::string::npos); // the shown label ends with an ellipsis
  CHECK(s.find(">3.3</tspan>") != std::string::npos);  // 3.25 rounded half up to one decimal
  CHECK(s.find("scale 1\xE2\x80\x93"
               "5") != std::string::npos);
  CHECK(parse_points(attributes(element_text(s, "<g class=\"series series-0\">"), "points").at(0)).size() == 4);
}

TEST_CASE("radar chart: bad input is rejected with every problem named", "[report][svg][radar]") {
  SECTION("wrong count, NaN, infinity and values off the scale") {
    auto a = this_wave();
    a.values.pop_back();
    auto b = last_wave();
    b.values[2] = std::nan("");
    b.values[3] = std::numeric_limits<double>::infinity();
    b.values[4] = 105.0;
    try {
      (void)svg::radar_chart({a, b}, {.title = "Index"});
      FAIL("expected a validation_error");
    } catch (const ethos::validation_error& e) {
      const std::string m = e.what();
      CHECK(m.find("radar chart 'Index': 4 problems") == 0);
      CHECK(m.find("series #1 'Wave 2 (2024)': has 11 values for 12 axes") != std::string::npos);
      CHECK(m.find("series #2 'Wave 1 (2023)' value #3 (Service Staff Recruitment): is not a number (NaN)") !=
            std::string::npos);
      CHECK(m.find("value #4 (New Staff Orientation): is +infinite") != std::string::npos);
      CHECK(m.find("value #5 (Service Communications): 105 is outside the scale 0..100") != std::string::npos);
    }
  }
  SECTION("scale, axes and series count") {
    CHECK(error_of([] {
            (void)svg::radar_chart({this_wave()}, {.min = 100, .max = 0});
          }).find("scale: min 100 is not below max 0") != std::string::npos);
    CHECK(error_of([] { (void)svg::radar_chart({}, {}); }).find("series: 1 to 3 series are drawn, got 0") !=
          std::string::npos);
    CHECK(error_of([] {
            (void)svg::radar_chart({this_wave(), this_wave(), this_wave(), this_wave()}, {});
          }).find("got 4") != std::string::npos);
    CHECK(error_of([] {
            (void)svg::radar_chart({{"", {opt{1}, opt{2}}}}, {.labels = {"a", " "}});
          }).find("needs 3 axes or more, got 2") != std::string::npos);
    const auto ps = svg::check({{"", {opt{1}, opt{2}}}}, svg::radar_options{.labels = {"a", " "}, .decimals = 9});
    CHECK(ethos_test::has_problem(ps, "axis label #2", "is empty"));
    CHECK(ethos_test::has_problem(ps, "series #1", "empty name"));
    CHECK(ethos_test::has_problem(ps, "decimals", "9 is outside 0..6"));
  }
}

// ---- heatmap -------------------------------------------------------------------------------------------------------

TEST_CASE("heatmap: one cell per group and construct, values printed", "[report][svg][heatmap]") {
  const auto d = engagement_by_department();
  const std::string s = svg::heatmap(d, {.title = "Favourable % by department", .minimum_respondents = 5});
  require_well_formed(s, "heatmap_structure");
  CHECK(count(s, "class=\"cell\"") + count(s, "class=\"cell ") == 120);
  CHECK(count(s, "class=\"cell suppressed\"") == 24);
  CHECK(count(s, "class=\"cell empty\"") == 1);
  CHECK(count(s, "class=\"cell\"") == 95);
  CHECK(s.find("Suppressed: fewer than 5 respondents") != std::string::npos);
  CHECK(s.find("No data") != std::string::npos);
  CHECK(s.find("Kitchen \xE2\x80\x94 Voice of the Customer: no data</title>") != std::string::npos);
  // Labels are escaped; a long one is cut with its full text in a tooltip.
  CHECK(s.find(">Front Desk &amp; Reception<") != std::string::npos);
  CHECK(s.find("Food and Beverage &lt;Restaurant&gt;") != std::string::npos);
  CHECK(s.find("<title>Spa and Wellness Centre (Level 3, East Wing)</title>") != std::string::npos);
  CHECK(s.find(">Spa and Wellness Centre (Level\xE2\x80\xA6<") != std::string::npos);
  CHECK(s.find(">Service Recognition and Rewards<") != std::string::npos); // 31 characters fit
  // Front Desk x Common Service Language: 35 + 0 + 0.4 -> "35"; printed and in its tooltip.
  CHECK(s.find(">35<") != std::string::npos);
  CHECK(s.find("Front Desk &amp; Reception \xE2\x80\x94 Common Service Language: 35</title>") != std::string::npos);
  CHECK(s.find("url(#ethos-hatch)") != std::string::npos);
  CHECK(s.find("<linearGradient id=\"ethos-scale-") != std::string::npos);
}

TEST_CASE("heatmap: a suppressed cell's value appears nowhere", "[report][svg][heatmap]") {
  svg::heatmap_data d;
  d.row_labels = {"Sales", "Legal"};
  d.column_labels = {"Voice of the Customer", "Service Recovery"};
  d.cells = {{{61.0}, {48.0}}, {{83.217, true}, {27.689, true}}};
  const std::string s = svg::heatmap(d, {.decimals = 1});
  require_well_formed(s, "heatmap_suppressed");
  for (const char* leak : {"83.217", "83.22", "83.2", "27.689", "27.69", "27.7"}) {
    CAPTURE(leak);
    CHECK(s.find(leak) == std::string::npos);
  }
  CHECK(s.find(">61.0<") != std::string::npos);
  CHECK(s.find("Legal \xE2\x80\x94 Voice of the Customer: suppressed (too few respondents)</title>") !=
        std::string::npos);
  // Stronger: the output does not depend on the suppressed values at all, even absurd ones.
  auto other = d;
  other.cells[1][0].value = 3.5;
  other.cells[1][1].value = std::nan("");
  CHECK(svg::heatmap(other, {.decimals = 1}) == s);
  other.cells[1][1].value = 1e9; // off the scale, yet not an error: it is never shown
  CHECK(svg::heatmap(other, {.decimals = 1}) == s);
  other.cells[1][0].value.reset();
  CHECK(svg::heatmap(other, {.decimals = 1}) == s);
}

TEST_CASE("heatmap: empty cells differ from suppressed ones and from low values", "[report][svg][heatmap]") {
  svg::heatmap_data d{{"Only group"}, {"A", "B", "C"}, {{{0.0}, {}, {std::nullopt, true}}}};
  const std::string s = svg::heatmap(d, {});
  require_well_formed(s, "heatmap_one_row");
  const std::string cells = element_text(s, "<g class=\"cells\">");
  const auto fills = attributes(cells, "fill");
  REQUIRE(fills.size() >= 3);
  CHECK(fills[0] != "#ffffff"); // the lowest value is tinted
  CHECK(cells.find("class=\"cell empty\" fill=\"#ffffff\"") != std::string::npos);
  CHECK(cells.find("class=\"cell suppressed\" fill=\"url(#ethos-hatch)\"") != std::string::npos);
  CHECK(cells.find(">0<") != std::string::npos);
}

TEST_CASE("heatmap: diverging scale, 60 rows, and colours that follow the values", "[report][svg][heatmap]") {
  svg::heatmap_data d;
  d.column_labels = {"Engagement", "Enablement", "Service"};
  for (int r = 0; r < 60; ++r) {
    d.row_labels.push_back("Store " + std::to_string(r + 1));
    d.cells.push_back({{r * 100.0 / 59}, {50.0}, {100.0 - r * 100.0 / 59}});
  }
  const std::string s = svg::heatmap(d, {.title = "Stores", .midpoint = 50.0});
  require_well_formed(s, "heatmap_60");
  CHECK(count(s, "class=\"cell\"") == 180);
  const auto svg_height = std::stod(attributes(s, "height").at(0));
  CHECK(svg_height > 60 * 20);
  CHECK(svg_height < 60 * 30 + 400);
  // Low is red, the midpoint a light grey, high is blue.
  CHECK(s.find("class=\"cell\" fill=\"#b2182b\"") != std::string::npos);
  CHECK(s.find("class=\"cell\" fill=\"#ecebe8\"") != std::string::npos);
  CHECK(s.find("class=\"cell\" fill=\"#2166ac\"") != std::string::npos);
  CHECK(s.find("red below 50, blue above") != std::string::npos);
}

TEST_CASE("heatmap: bad input is rejected with every problem named", "[report][svg][heatmap]") {
  svg::heatmap_data d{{"Sales", ""}, {"A", "B"}, {{{10.0}, {std::nan("")}}, {{120.0}}}};
  try {
    (void)svg::heatmap(d, {.title = "T", .midpoint = 100.0});
    FAIL("expected a validation_error");
  } catch (const ethos::validation_error& e) {
    const std::string m = e.what();
    CAPTURE(m);
    CHECK(m.find("heatmap 'T': 5 problems") == 0);
    CHECK(ethos_test::has_problem(e.problems(), "midpoint", "100 is not strictly inside the scale 0..100"));
    CHECK(ethos_test::has_problem(e.problems(), "row label #2", "is empty"));
    CHECK(ethos_test::has_problem(e.problems(), "row #1 'Sales' column #2 'B'", "is not a number (NaN)"));
    CHECK(ethos_test::has_problem(e.problems(), "row #2 ''", "has 1 cell for 2 columns"));
    CHECK(ethos_test::has_problem(e.problems(), "row #2 '' column #1 'A'", "120 is outside the scale 0..100"));
  }
  CHECK(error_of([] { (void)svg::heatmap({}, {}); }).find("rows: a heatmap needs at least one row") !=
        std::string::npos);
  CHECK(error_of([] {
          (void)svg::heatmap({{"a"}, {"b"}, {}}, {});
        }).find("cells: has 0 rows for 1 row label") != std::string::npos);
}

// ---- level distribution --------------------------------------------------------------------------------------------

TEST_CASE("level distribution chart: stacked bars of a transaction summary", "[report][svg][levels]") {
  const auto summary = summarize(hotel_stay(), hotel_ratings());
  const std::string s = svg::level_distribution_chart(summary, {.title = "Hotel stay: service levels"});
  require_well_formed(s, "levels_structure");
  for (service_level l : all<service_level>) {
    CHECK(s.find(">" + std::string(to_string(l)) + "<") != std::string::npos);
  }
  // One segment per non-zero count; one boundary tick per rated point; the unrated point says so.
  std::size_t non_zero = 0;
  for (const auto& p : summary.points) {
    non_zero += static_cast<std::size_t>(
        std::count_if(p.distribution.counts.begin(), p.distribution.counts.end(), [](std::size_t c) { return c > 0; }));
  }
  CHECK(count(s, "class=\"segment\"") == non_zero);
  CHECK(count(s, "class=\"expected-boundary\"") == 5);
  CHECK(count(s, "class=\"no-ratings\"") == 1);
  CHECK(s.find(">no ratings<") != std::string::npos);
  CHECK(s.find(">n = 42<") != std::string::npos); // booking confirmation
  CHECK(s.find(">n = 0<") != std::string::npos);
  CHECK(s.find("Invoice accuracy \xE2\x80\x94 Expected: 30 of 34 (88%)</title>") != std::string::npos);
  CHECK(s.find(">88%<") != std::string::npos);
  // Segments of a bar tile it exactly: widths add up to the bar's width.
  const std::string first = element_text(s, "<g class=\"bar\">");
  double total = 0;
  for (const auto& w : attributes(first, "width")) {
    total += std::stod(w);
  }
  CHECK(total == Approx(460).margin(0.05));
  // The boundary of "Invoice accuracy" (nothing below expected) sits at the bar's start.
  const auto bars = std::string_view(s).substr(s.find("<g class=\"bars\">"));
  CHECK(count(bars, "x1=\"250\" y1=") >= 1);
}

TEST_CASE("level distribution chart: plain bars, escaping, and validation", "[report][svg][levels]") {
  const std::vector<svg::level_bar> bars{{"R&D <core> \"handover\"", {1, 2, 3, 4, 5, 6}},
                                         {"A perception point with a name much longer than the label column", {}}};
  const std::string s = svg::level_distribution_chart(bars, {.show_percentages = false});
  require_well_formed(s, "levels_plain");
  CHECK(s.find(">R&amp;D &lt;core&gt; &quot;handover&quot;<") != std::string::npos);
  CHECK(s.find("<title>A perception point with a name much longer than the label column</title>") != std::string::npos);
  CHECK(count(s, "class=\"segment\"") == 6);
  CHECK(count(s, "%<") == 5); // only the axis (0% .. 100%) has percentages
  CHECK(error_of([] {
          (void)svg::level_distribution_chart(std::vector<svg::level_bar>{});
        }).find("bars: a level distribution chart needs at least one bar") != std::string::npos);
  CHECK(error_of([] {
          (void)svg::level_distribution_chart(std::vector<svg::level_bar>{{" ", {}}});
        }).find("bar #1: has an empty label") != std::string::npos);
}

// ---- rendering -----------------------------------------------------------------------------------------------------

TEST_CASE("charts rasterise to images that are not blank", "[report][svg][render]") {
  SECTION("radar") {
    auto previous = last_wave();
    const auto st =
        render(svg::radar_chart({this_wave(), previous}, {.title = "Service culture index, 2024 vs 2023"}), "radar");
    CHECK(st.width == 820);
    CHECK(st.non_background > st.width * st.height / 25);
    CHECK(st.distinct >= 20);
    CHECK(st.major >= 4);
  }
  SECTION("radar with gaps") {
    auto gappy = this_wave();
    gappy.values[6].reset();
    auto previous = last_wave();
    previous.values[10].reset();
    const auto st = render(svg::radar_chart({gappy, previous}, {.title = "Service culture index (incomplete data)"}),
                           "radar_missing");
    CHECK(st.non_background > st.width * st.height / 25);
    CHECK(st.major >= 4);
  }
  SECTION("heatmap") {
    const auto st =
        render(svg::heatmap(engagement_by_department(),
                            {.title = "Favourable % by department and building block", .minimum_respondents = 5}),
               "heatmap");
    CHECK(st.non_background > st.width * st.height / 5);
    CHECK(st.major >= 8);
  }
  SECTION("heatmap, diverging") {
    const auto st =
        render(svg::heatmap(engagement_by_department(), {.title = "Favourable % by department (diverging around 60)",
                                                         .midpoint = 60.0,
                                                         .minimum_respondents = 5}),
               "heatmap_diverging");
    CHECK(st.non_background > st.width * st.height / 5);
    CHECK(st.major >= 8);
  }
  SECTION("level distribution") {
    const auto st =
        render(svg::level_distribution_chart(summarize(hotel_stay(), hotel_ratings()),
                                             {.title = "Hotel stay: service level at each perception point"}),
               "levels");
    CHECK(st.non_background > st.width * st.height / 8);
    CHECK(st.major >= 7); // six level colours and the ground
  }
}
