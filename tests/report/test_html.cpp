// The HTML report (ethos/report/html.hpp) and the driver chart (ethos/report/driver_chart.hpp): sections and their
// order, what a page may hold (nothing loaded from elsewhere, no script), escaping, the low-reliability mark, the
// units cut down for a large organisation, and the driver chart's checks. The page is checked against the JSON
// report cell by cell by tests/report/check_html.py, and rendered in Chromium by tests/report/check_browser.py.
#include <ethos/io/csv.hpp>
#include <ethos/measure.hpp>
#include <ethos/measure/instruments/service_culture_audit.hpp>
#include <ethos/org/drivers.hpp>
#include <ethos/org/internal_service.hpp>
#include <ethos/org/report.hpp>
#include <ethos/report/driver_chart.hpp>
#include <ethos/report/html.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <fstream>
#include <random>
#include <span>
#include <sstream>
#include <string>
#include <vector>

namespace html_test {

const ethos::instrument_view& audit() {
  static const ethos::instrument_view v = ethos::instruments::service_culture_audit.view();
  return v;
}

std::string sample_csv() {
  std::ifstream f(std::string(ETHOS_TEST_DATA_DIR) + "/../examples/data/sample_survey.csv");
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// A survey of `n` people answering at random (so every construct's alpha is near 0), in groups named `groups`;
// without `nps`, nobody answers the NPS item.
std::string random_csv(std::size_t n, const std::vector<std::string>& groups, bool nps) {
  std::mt19937 rng(20261206);
  std::uniform_int_distribution<int> likert(1, 5);
  std::uniform_int_distribution<int> eleven(0, 10);
  std::string csv = "id";
  if (!groups.empty()) {
    csv += ",grp";
  }
  for (const auto& it : audit().items) {
    csv += "," + std::string(it.id);
  }
  csv += "\n";
  for (std::size_t r = 0; r < n; ++r) {
    csv += "p" + std::to_string(r);
    if (!groups.empty()) {
      std::string g;
      for (const char c : groups[r % groups.size()]) {
        g += c == '"' ? std::string("\"\"") : std::string(1, c);
      }
      csv += ",\"" + g + "\"";
    }
    for (const auto& it : audit().items) {
      if (it.format == ethos::response_format::likert) {
        csv += "," + std::to_string(likert(rng));
      } else if (it.format == ethos::response_format::nps) {
        csv += nps ? "," + std::to_string(eleven(rng)) : std::string(",");
      } else {
        csv += "," + std::to_string(1 + likert(rng)); // six levels, 2..6
      }
    }
    csv += "\n";
  }
  return csv;
}

ethos::response_matrix read(const std::string& csv) {
  std::istringstream in(csv);
  return ethos::read_responses(in, "survey.csv", audit()).matrix;
}

std::vector<std::string> section_ids(const std::string& page) {
  std::vector<std::string> ids;
  for (std::size_t at = page.find("<section id=\""); at != std::string::npos;
       at = page.find("<section id=\"", at + 1)) {
    const std::size_t from = at + 13;
    ids.push_back(page.substr(from, page.find('"', from) - from));
  }
  return ids;
}

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) {
    ++n;
  }
  return n;
}

TEST_CASE("html report: the sample's sections in order, one page that loads nothing", "[report][html]") {
  const auto m = read(sample_csv());
  ethos::prepare_options po;
  po.report.group_by = "department";
  po.unit_column = "team";
  po.report.drivers = ethos::unit_driver_options{};
  const auto rep = ethos::prepare_report(audit(), m, po);
  const std::string page = ethos::report_html(rep);
  CHECK(section_ids(page) ==
        std::vector<std::string>{"summary", "constructs", "profile", "heatmap", "drivers", "warnings", "key"});
  // Each section is in the library's list, in its order.
  std::vector<std::string> order(std::begin(ethos::html_report_sections), std::end(ethos::html_report_sections));
  std::size_t last = 0;
  for (const auto& id : section_ids(page)) {
    const auto at = static_cast<std::size_t>(std::find(order.begin(), order.end(), id) - order.begin());
    REQUIRE(at < order.size());
    CHECK(at >= last);
    last = at;
  }
  CHECK(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
  CHECK(page.find("<script") == std::string::npos);
  CHECK(page.find("<link") == std::string::npos);
  CHECK(page.find("<!--") == std::string::npos);
  CHECK(page.find("@import") == std::string::npos);
  // The only address is the SVG namespace of the inline charts (radar, six levels, drivers).
  CHECK(count(page, "http") == count(page, "xmlns=\"http://www.w3.org/2000/svg\""));
  CHECK(count(page, "xmlns=\"http://www.w3.org/2000/svg\"") == 3);
  CHECK(page.find("@page{size:A4") != std::string::npos);
  // One table per top-level unit's sub-units, after the groups and the top-level units.
  CHECK(count(page, "by sub-unit</caption>") == 8); // the sample's 8 departments
  // The sample's hidden cells: hatched, with the reason as a title.
  CHECK(count(page, "<td class=\"hid\"") > 100);
  CHECK(page.find("title=\"fewer than 5 respondents\"><svg class=\"hatch\"") != std::string::npos);
  // The same bytes from the stream writer.
  std::ostringstream os;
  ethos::write_report_html(os, rep);
  CHECK(os.str() == page);
}

TEST_CASE("html report: low reliability is marked and labels are escaped", "[report][html]") {
  const std::vector<std::string> groups{"<b>Sales & \"Bids\"</b>", "Ops", "Finance"};
  const auto m = read(random_csv(60, groups, false));
  ethos::prepare_options po;
  po.report.group_by = "grp";
  const auto rep = ethos::prepare_report(audit(), m, po);
  const std::string page = ethos::report_html(rep);
  // Random answers: every construct's alpha is low, and each is marked in the table (not by colour alone).
  CHECK(count(page, "<td class=\"low\">") >= 12);
  CHECK(count(page, "<span class=\"flag\">low</span></td>") >= 12);
  CHECK(page.find("&lt;b&gt;Sales &amp; &quot;Bids&quot;&lt;/b&gt;") != std::string::npos);
  CHECK(page.find("<b>Sales") == std::string::npos);
  CHECK(section_ids(page) ==
        std::vector<std::string>{"summary", "constructs", "profile", "heatmap", "warnings", "key"});
  // Nobody answered the NPS item: no eNPS figure, the reason instead; no units: participation not known.
  CHECK(page.find("<dt>eNPS</dt><dd>not shown<small>") != std::string::npos);
  CHECK(page.find("not known") != std::string::npos);
  ethos::html_report_options o;
  o.low_reliability = -1.0;
  CHECK(count(ethos::report_html(rep, o), "<td class=\"low\">") == 0);
  o.title = "Wave 2 <draft>";
  CHECK(ethos::report_html(rep, o).find("<h1>Wave 2 &lt;draft&gt;</h1>") != std::string::npos);
}

TEST_CASE("html report: a survey without groups or units has no heatmap, and too few people show nothing",
          "[report][html]") {
  const auto m = read(random_csv(40, {}, true));
  const auto rep = ethos::prepare_report(audit(), m);
  const std::string page = ethos::report_html(rep);
  CHECK(section_ids(page) == std::vector<std::string>{"summary", "constructs", "profile", "warnings", "key"});
  CHECK(page.find("<dt>eNPS</dt>") != std::string::npos);
  // Four people: below k, so no construct figure and no eNPS at all.
  const auto few = read(random_csv(4, {}, true));
  const auto small = ethos::prepare_report(audit(), few);
  const std::string sp = ethos::report_html(small);
  CHECK(count(sp, "title=\"fewer than 5 respondents\"") == 12);
  CHECK(sp.find("Overall index</dt><dd>not shown") != std::string::npos);
  CHECK(sp.find("<dt>eNPS</dt><dd>not shown") != std::string::npos);
  CHECK(sp.find("<ol>") == std::string::npos);
  CHECK(section_ids(sp) == std::vector<std::string>{"summary", "constructs", "warnings", "key"});
}

TEST_CASE("html report: a large organisation's units are listed down to depth 1", "[report][html]") {
  const auto m = read(sample_csv());
  ethos::prepare_options po;
  po.unit_column = "team";
  const auto rep = ethos::prepare_report(audit(), m, po);
  ethos::html_report_options o;
  o.max_unit_rows = 20; // the sample has 62 units down to depth 2
  const std::string page = ethos::report_html(rep, o);
  CHECK(count(page, "by sub-unit</caption>") == 0);
  CHECK(page.find(" units down to depth 2 are more than a page can list") != std::string::npos);
  o.max_unit_depth = 1;
  CHECK(count(ethos::report_html(rep, o), "are more than a page can list") == 0);
}

TEST_CASE("html report: an internal-service matrix too wide for a page shows each unit's margins", "[report][html]") {
  const auto m = read(random_csv(60, {}, true));
  const auto scores = ethos::score(audit(), m);
  for (const std::size_t units : {std::size_t{5}, std::size_t{20}}) {
    INFO(units << " units");
    std::mt19937 rng(7);
    std::vector<ethos::internal_rating> ratings;
    for (std::size_t person = 0; person < 40 * units; ++person) {
      const std::size_t own = person % units;
      for (std::size_t step = 1; step <= 3; ++step) {
        ratings.push_back({"p" + std::to_string(person), "U" + std::to_string(100 + own),
                           "U" + std::to_string(100 + (own + step) % units), 1 + static_cast<int>(rng() % 5), 0});
      }
    }
    ethos::report_request q;
    q.instrument = &audit();
    q.current.matrix = &m;
    q.current.scores = &scores;
    q.ratings = std::span<const ethos::internal_rating>(ratings);
    const auto rep = ethos::build_report(q);
    const std::string page = ethos::report_html(rep);
    CHECK(section_ids(page) ==
          std::vector<std::string>{"summary", "constructs", "profile", "internal-service", "warnings", "key"});
    if (units <= 16) {
      CHECK(count(page, "<table class=\"internal\">") == 1);
      CHECK(page.find("internal-margins") == std::string::npos);
    } else {
      CHECK(page.find("<table class=\"internal\">") == std::string::npos);
      CHECK(count(page, "<table class=\"internal-margins\">") == 1);
      CHECK(page.find("The matrix of 20 units is too wide for a page") != std::string::npos);
      CHECK(count(page, "<tr data-unit=\"U1") == 20);
    }
  }
}

TEST_CASE("html report: a table longer than a page is written in numbered parts", "[report][html]") {
  std::vector<std::string> groups;
  for (int g = 0; g < 70; ++g) {
    groups.push_back("Group " + std::to_string(100 + g));
  }
  const auto m = read(random_csv(70 * 6, groups, false));
  ethos::prepare_options po;
  po.report.group_by = "grp";
  const std::string page = ethos::report_html(ethos::prepare_report(audit(), m, po));
  CHECK(count(page, "<table class=\"heat groups\">") == 3);
  CHECK(page.find("Favourable share (%) by grp (1 of 3)</caption>") != std::string::npos);
  CHECK(page.find("Favourable share (%) by grp (3 of 3)</caption>") != std::string::npos);
  CHECK(count(page, "<tr data-group=") == 70);
  // Each part has its own header row.
  CHECK(count(page, "<thead><tr><th scope=\"col\">grp</th>") == 3);
}

TEST_CASE("driver chart: the quadrants, a point per placed driver, and what it refuses", "[report][html][svg]") {
  ethos::driver_analysis a;
  a.outcome = "enps";
  a.outcome_label = "Recommendation";
  a.n = 120;
  a.r_squared = 0.4;
  a.importance_centre = 0.25;
  a.performance_centre = 3.5;
  const char* names[] = {"Voice of the Customer", "Service Benchmarking", "Role Modeling", "Recovery"};
  const ethos::driver_quadrant qs[] = {ethos::driver_quadrant::strength, ethos::driver_quadrant::priority,
                                       ethos::driver_quadrant::maintain, ethos::driver_quadrant::monitor};
  const double shares[] = {0.40, 0.30, 0.20, 0.10};
  const double perf[] = {3.9, 3.2, 3.7, 3.1};
  for (int i = 0; i < 4; ++i) {
    ethos::driver_entry d;
    d.key = "k" + std::to_string(i);
    d.label = names[i];
    d.share = shares[i];
    d.performance = perf[i];
    d.quadrant = qs[i];
    a.drivers.push_back(d);
  }
  const std::string svg = ethos::svg::driver_chart_document(a).str();
  CHECK(svg.find("<title>Drivers of Recommendation</title>") != std::string::npos);
  CHECK(svg.find("<desc>Importance") != std::string::npos);
  CHECK(count(svg, "<g class=\"driver\">") == 4);
  CHECK(svg.find("Service Benchmarking: importance 30.0%, mean 3.20, Priority") != std::string::npos);
  for (const char* q : {">Strength<", ">Priority<", ">Maintain<", ">Monitor<"}) {
    CHECK(count(svg, q) == 2); // the quadrant's name and its legend entry
  }
  CHECK(svg.find(">VC<") != std::string::npos); // initials when no short labels are given
  ethos::svg::driver_chart_options o;
  o.short_labels = {"A", "B", "C", "D"};
  CHECK(ethos::svg::driver_chart_document(a, o).str().find(">D<") != std::string::npos);
  o.short_labels = {"A"};
  CHECK_THROWS_WITH(ethos::svg::driver_chart_document(a, o), Catch::Contains("1 short labels for 4 drivers"));
  // A withheld analysis has nothing to place.
  for (auto& d : a.drivers) {
    d.share.reset();
  }
  a.reason = "fewer than 30 complete cases";
  CHECK_THROWS_WITH(ethos::svg::driver_chart_document(a),
                    Catch::Contains("fewer than 2 drivers have an importance and a performance") &&
                        Catch::Contains("fewer than 30 complete cases"));
}

} // namespace html_test
