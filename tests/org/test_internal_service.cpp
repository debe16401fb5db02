// Tests of the internal-service matrix (org/internal_service.hpp) and its CSV reader
// (io/internal_service_csv.hpp). Expected means and medians are worked out here from the raw ratings; the
// anonymity checks rebuild the published cells from the raw ratings too and hand them to disclosure_audit and
// is_derivable, so that nothing is taken from the code under test except which cells it chose to show.
#include "../support/checks.hpp"
#include "../support/string_makers.hpp"

#include <ethos/io/internal_service_csv.hpp>
#include <ethos/org/internal_service.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

using namespace ethos;
using ethos_test::error_of;

namespace {

// ---- hand statistics ------------------------------------------------------------------------------------------

double mean_of(const std::vector<int>& xs) {
  return static_cast<double>(std::accumulate(xs.begin(), xs.end(), 0)) / static_cast<double>(xs.size());
}

double median_of(std::vector<int> xs) {
  std::sort(xs.begin(), xs.end());
  const std::size_t n = xs.size();
  return n % 2 == 1 ? xs[n / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2.0;
}

std::vector<std::size_t> distribution_of(const std::vector<int>& xs, int lo, int hi) {
  std::vector<std::size_t> d(static_cast<std::size_t>(hi - lo + 1), 0);
  for (const int x : xs) {
    ++d[static_cast<std::size_t>(x - lo)];
  }
  return d;
}

// ---- building ratings -----------------------------------------------------------------------------------------

struct builder {
  std::vector<internal_rating> ratings;
  // One person of `rater` gives each served unit the value listed, on consecutive lines from 2 (the header is 1).
  void person(const std::string& id, const std::string& rater, const std::vector<std::pair<std::string, int>>& to) {
    for (const auto& [served, value] : to) {
      ratings.push_back({id, rater, served, value, ratings.size() + 2});
    }
  }
  // `count` persons of `rater` named prefix1.. each rate `served` with the value chosen by `value(i)`.
  template <class F>
  void people(const std::string& prefix, std::size_t count, const std::string& rater,
              const std::vector<std::string>& served, F value) {
    for (std::size_t i = 0; i < count; ++i) {
      for (const auto& s : served) {
        ratings.push_back({prefix + std::to_string(i + 1), rater, s, value(i, s), ratings.size() + 2});
      }
    }
  }
};

// Raw values of one cell, straight from the ratings.
std::vector<int> values(const std::vector<internal_rating>& rs, const std::string& rater, const std::string& served) {
  std::vector<int> out;
  for (const auto& r : rs) {
    if (r.rater_unit == rater && r.served_unit == served) {
      out.push_back(r.value);
    }
  }
  return out;
}

std::vector<int> received_values(const std::vector<internal_rating>& rs, const std::string& unit) {
  std::vector<int> out;
  for (const auto& r : rs) {
    if (r.served_unit == unit && r.rater_unit != unit) {
      out.push_back(r.value);
    }
  }
  return out;
}

std::vector<int> given_values(const std::vector<internal_rating>& rs, const std::string& unit) {
  std::vector<int> out;
  for (const auto& r : rs) {
    if (r.rater_unit == unit && r.served_unit != unit) {
      out.push_back(r.value);
    }
  }
  return out;
}

std::size_t index_of(const internal_service_result& r, const std::string& unit) {
  const auto it = std::find(r.units.begin(), r.units.end(), unit);
  REQUIRE(it != r.units.end());
  return static_cast<std::size_t>(it - r.units.begin());
}

// A cell shows exactly the figures of `xs`, or (hidden) nothing but its counts.
void check_cell(const internal_cell& c, const std::vector<int>& xs, int lo, int hi) {
  CHECK(c.ratings == xs.size());
  if (c.status != suppression::none || xs.empty()) {
    CHECK_FALSE(c.mean.has_value());
    CHECK_FALSE(c.median.has_value());
    CHECK(c.distribution.empty());
    return;
  }
  REQUIRE(c.mean.has_value());
  REQUIRE(c.median.has_value());
  CHECK(*c.mean == Approx(mean_of(xs)).epsilon(1e-12));
  CHECK(*c.median == median_of(xs));
  CHECK(c.distribution == distribution_of(xs, lo, hi));
}

// ---- the published cells, rebuilt from the raw ratings --------------------------------------------------------

struct published {
  std::vector<disclosure_cell> cells;   // matrix row by row, received, given, overall
  std::vector<suppression> status;      // as the result reports them
  std::vector<std::size_t> persons;     // distinct persons per cell, counted here
  std::vector<std::uint32_t> person_of; // element -> person
};

published rebuild(const std::vector<internal_rating>& rs, const internal_service_result& res, bool include_self) {
  const std::size_t n = res.units.size();
  published p;
  p.cells.resize(n * n + 2 * n + 1);
  std::map<std::string, std::uint32_t> person;
  std::uint32_t e = 0;
  for (const auto& r : rs) {
    const std::size_t a = index_of(res, r.rater_unit);
    const std::size_t b = index_of(res, r.served_unit);
    if (a == b && !include_self) {
      continue;
    }
    const auto [it, fresh] = person.emplace(r.person, static_cast<std::uint32_t>(person.size()));
    p.person_of.push_back(it->second);
    p.cells[a * n + b].members.push_back(e);
    if (a != b) {
      p.cells[n * n + b].members.push_back(e);
      p.cells[n * n + n + a].members.push_back(e);
    }
    p.cells[n * n + 2 * n].members.push_back(e);
    ++e;
  }
  for (std::size_t a = 0; a < n; ++a) {
    for (std::size_t b = 0; b < n; ++b) {
      p.status.push_back(res.matrix[a][b].status);
      p.cells[a * n + b].label = res.units[a] + " rates " + res.units[b];
    }
  }
  for (std::size_t a = 0; a < n; ++a) {
    p.status.push_back(res.received[a].status);
    p.cells[n * n + a].label = res.units[a] + " received";
  }
  for (std::size_t a = 0; a < n; ++a) {
    p.status.push_back(res.given[a].status);
    p.cells[n * n + n + a].label = res.units[a] + " given";
  }
  p.status.push_back(res.overall.status);
  p.cells[n * n + 2 * n].label = "overall";
  for (const auto& c : p.cells) {
    std::set<std::uint32_t> ps;
    for (const auto m : c.members) {
      ps.insert(p.person_of[m]);
    }
    p.persons.push_back(ps.size());
  }
  return p;
}

// The shown cells pass the audit, no hidden cell can be worked out from them, small cells are never shown, and
// the counts the result reports match the raw data. Returns the number of hidden non-empty cells.
std::size_t check_anonymity(const std::vector<internal_rating>& rs, const internal_service_result& res,
                            const internal_service_options& opt) {
  const published p = rebuild(rs, res, opt.include_self);
  std::vector<disclosure_cell> shown;
  for (std::size_t c = 0; c < p.cells.size(); ++c) {
    if (p.status[c] == suppression::none) {
      shown.push_back(p.cells[c]);
      INFO(p.cells[c].label);
      CHECK((p.persons[c] == 0 || p.persons[c] >= opt.min_group_size));
    } else if (p.status[c] == suppression::too_small) {
      INFO(p.cells[c].label);
      CHECK((p.persons[c] > 0 && p.persons[c] < opt.min_group_size));
    }
  }
  disclosure_options dopt;
  dopt.min_group_size = opt.min_group_size;
  dopt.person_of = p.person_of;
  const auto audit = disclosure_audit(shown, dopt);
  std::string findings;
  for (const auto& f : audit.findings) {
    findings += f.message + "; ";
  }
  INFO("audit findings: " << findings);
  CHECK(audit.safe());
  std::size_t hidden = 0;
  for (std::size_t c = 0; c < p.cells.size(); ++c) {
    if (p.status[c] != suppression::none && !p.cells[c].members.empty()) {
      ++hidden;
      INFO(p.cells[c].label << " (" << p.persons[c] << " persons) is hidden but derivable");
      CHECK_FALSE(is_derivable(shown, p.cells[c].members, dopt));
    }
  }
  // Counts of every cell, shown or not.
  const std::size_t n = res.units.size();
  for (std::size_t a = 0; a < n; ++a) {
    for (std::size_t b = 0; b < n; ++b) {
      CHECK(res.matrix[a][b].persons == p.persons[a * n + b]);
    }
    CHECK(res.received[a].persons == p.persons[n * n + a]);
    CHECK(res.given[a].persons == p.persons[n * n + n + a]);
  }
  CHECK(res.overall.persons == p.persons.back());
  return hidden;
}

internal_service_options with_k(std::size_t k) {
  internal_service_options o;
  o.min_group_size = k;
  return o;
}

bool has_warning(const internal_service_result& r, const std::string& part) {
  return std::any_of(r.warnings.begin(), r.warnings.end(),
                     [&](const ethos::warning& w) { return w.message.find(part) != std::string::npos; });
}

std::vector<internal_rating> read_csv(const std::string& text, const internal_service_options& opt = {}) {
  std::istringstream in(text);
  return read_internal_ratings(in, "r.csv", opt);
}

std::string csv_error_of(const std::string& text, const internal_service_options& opt = {}) {
  return error_of([&] { (void)read_csv(text, opt); });
}

std::string analyse_error_of(const std::vector<internal_rating>& rs, const internal_service_options& opt = {}) {
  return error_of([&] { (void)analyse_internal_service(rs, opt); });
}

} // namespace

// ---- figures ----------------------------------------------------------------------------------------------------

TEST_CASE("internal service: a fully shown matrix gives each cell's mean, median and distribution", "[org][internal]") {
  builder d;
  // Finance (4 people) rates IT and Sales; IT (3) rates Finance and Sales; Sales (3) rates Finance and IT.
  const std::vector<int> f_it{4, 5, 3, 4};
  const std::vector<int> f_sales{2, 2, 3, 5};
  const std::vector<int> it_f{1, 2, 5};
  const std::vector<int> it_sales{3, 4, 4};
  const std::vector<int> sales_f{2, 2, 4};
  const std::vector<int> sales_it{5, 5, 4};
  for (std::size_t i = 0; i < 4; ++i) {
    d.person("f" + std::to_string(i), "Finance", {{"IT", f_it[i]}, {"Sales", f_sales[i]}});
  }
  for (std::size_t i = 0; i < 3; ++i) {
    d.person("i" + std::to_string(i), "IT", {{"Finance", it_f[i]}, {"Sales", it_sales[i]}});
    d.person("s" + std::to_string(i), "Sales", {{"Finance", sales_f[i]}, {"IT", sales_it[i]}});
  }
  const auto opt = with_k(3);
  const auto r = analyse_internal_service(d.ratings, opt);

  CHECK(r.units == std::vector<std::string>{"Finance", "IT", "Sales"});
  REQUIRE(r.matrix.size() == 3);
  for (const auto& row : r.matrix) {
    REQUIRE(row.size() == 3);
  }
  // Every cell holds 3 or more persons and no two of them share a rating, so nothing needs hiding.
  for (std::size_t a = 0; a < 3; ++a) {
    for (std::size_t b = 0; b < 3; ++b) {
      INFO(r.units[a] << " rates " << r.units[b]);
      CHECK(r.matrix[a][b].status == suppression::none);
      check_cell(r.matrix[a][b], values(d.ratings, r.units[a], r.units[b]), 1, 5);
    }
    check_cell(r.received[a], received_values(d.ratings, r.units[a]), 1, 5);
    check_cell(r.given[a], given_values(d.ratings, r.units[a]), 1, 5);
    CHECK(r.received[a].status == suppression::none);
    CHECK(r.given[a].status == suppression::none);
  }
  std::vector<int> all;
  for (const auto& x : d.ratings) {
    all.push_back(x.value);
  }
  check_cell(r.overall, all, 1, 5);
  CHECK(r.overall.persons == 10);
  CHECK(r.overall.ratings == 20);
  // Spot checks against numbers worked out on paper: Finance -> Sales is 2, 2, 3, 5.
  CHECK(*r.matrix[0][2].mean == 3.0);
  CHECK(*r.matrix[0][2].median == 2.5);
  CHECK(r.matrix[0][2].distribution == std::vector<std::size_t>{0, 2, 1, 0, 1});
  CHECK(r.given[0].persons == 4);
  CHECK(r.given[0].ratings == 8);
  CHECK(r.received[0].persons == 6);
  // The diagonal is empty: nobody rated their own unit.
  CHECK(r.matrix[1][1].ratings == 0);
  CHECK_FALSE(r.matrix[1][1].mean.has_value());
  CHECK(r.dropped_self == 0);
  CHECK(r.warnings.empty());
  CHECK(check_anonymity(d.ratings, r, opt) == 0);
}

TEST_CASE("internal service: six-level ratings", "[org][internal]") {
  builder d;
  const std::vector<int> a_b{1, 3, 3, 6};
  const std::vector<int> b_a{4, 4, 5, 2};
  for (std::size_t i = 0; i < 4; ++i) {
    d.person("a" + std::to_string(i), "A", {{"B", a_b[i]}});
    d.person("b" + std::to_string(i), "B", {{"A", b_a[i]}});
  }
  internal_service_options opt = with_k(3);
  opt.scale = internal_scale_kind::service_levels;
  opt.min = 1; // ignored for the six levels
  opt.max = 3;
  const auto r = analyse_internal_service(d.ratings, opt);
  check_cell(r.matrix[0][1], a_b, 1, 6);
  check_cell(r.matrix[1][0], b_a, 1, 6);
  CHECK(r.matrix[0][1].distribution.size() == 6);
  // A rated B at 3.25 on average, B rated A at 3.75: a gap of 0.5, under the threshold of 1.
  CHECK(r.asymmetric.empty());
  CHECK(check_anonymity(d.ratings, r, opt) == 0);
}

// ---- anonymity --------------------------------------------------------------------------------------------------

TEST_CASE("internal service: a cell of three raters is hidden, and so are the cells that would give it away",
          "[org][internal][anonymity]") {
  builder d;
  const std::vector<std::string> units{"A", "B", "C", "D"};
  // A has 10 people: all rate C and D, the first three also rate B. B, C and D have 10 people who rate every
  // other unit. So A -> B rests on 3 persons, while its row (A given) and column (B received) are large.
  d.people("a", 10, "A", {"C", "D"}, [](std::size_t i, const std::string&) { return static_cast<int>(i % 5) + 1; });
  d.people("a", 3, "A", {"B"}, [](std::size_t i, const std::string&) { return static_cast<int>(i) + 2; });
  for (const std::string u : {"B", "C", "D"}) {
    std::vector<std::string> others;
    for (const auto& v : units) {
      if (v != u) {
        others.push_back(v);
      }
    }
    d.people(u, 10, u, others, [](std::size_t i, const std::string& s) {
      return static_cast<int>((i + s.size() + static_cast<std::size_t>(s[0])) % 5) + 1;
    });
  }
  const auto opt = with_k(5);
  const auto r = analyse_internal_service(d.ratings, opt);
  REQUIRE(r.units == units);
  const auto& ab = r.matrix[0][1];
  CHECK(ab.status == suppression::too_small);
  CHECK(ab.ratings == 3);
  CHECK(ab.persons == 3);
  CHECK_FALSE(ab.mean.has_value());
  // A given = A->B + A->C + A->D, so one of A->C, A->D must go; B received = A->B + C->B + D->B, so one of
  // C->B, D->B must go. Matrix cells go before margins, so every margin and the overall cell stay.
  const auto hidden = [&](std::size_t a, std::size_t b) { return r.matrix[a][b].status == suppression::secondary; };
  CHECK((hidden(0, 2) || hidden(0, 3)));
  CHECK((hidden(2, 1) || hidden(3, 1)));
  for (std::size_t u = 0; u < 4; ++u) {
    CHECK(r.received[u].status == suppression::none);
    CHECK(r.given[u].status == suppression::none);
    check_cell(r.received[u], received_values(d.ratings, units[u]), 1, 5);
    check_cell(r.given[u], given_values(d.ratings, units[u]), 1, 5);
  }
  CHECK(r.overall.status == suppression::none);
  std::size_t secondary = 0;
  for (std::size_t a = 0; a < 4; ++a) {
    for (std::size_t b = 0; b < 4; ++b) {
      check_cell(r.matrix[a][b], values(d.ratings, units[a], units[b]), 1, 5);
      secondary += hidden(a, b) ? 1U : 0U;
    }
  }
  // In a table with all margins shown, a hidden cell needs a partner in its row and in its column, and those
  // partners need partners: four cells on a rectangle at the least.
  CHECK(secondary >= 3);
  CHECK(check_anonymity(d.ratings, r, opt) == 1 + secondary);
  CHECK(has_warning(r, "1 cell(s) rest on fewer than 5 persons"));
  CHECK(std::any_of(r.warnings.begin(), r.warnings.end(),
                    [](const ethos::warning& w) { return w.code == ethos::warning_code::small_groups_hidden; }));
}

TEST_CASE("internal service: a rater unit too small to show cannot be worked out from the overall cell",
          "[org][internal][anonymity]") {
  // A has only 4 people, who all rate B and C; B, C and D have 10 people each who rate every other unit. A's
  // ratings (8 of them, by 4 persons) are the overall cell minus the given margins of B, C and D, so unless
  // one of those is hidden the total of 4 persons is out.
  builder d;
  d.people("a", 4, "A", {"B", "C"}, [](std::size_t i, const std::string&) { return static_cast<int>(i) + 1; });
  const std::vector<std::string> units{"A", "B", "C", "D"};
  for (const std::string u : {"B", "C", "D"}) {
    std::vector<std::string> others;
    for (const auto& v : units) {
      if (v != u) {
        others.push_back(v);
      }
    }
    d.people(u, 10, u, others, [](std::size_t i, const std::string&) { return static_cast<int>(i % 5) + 1; });
  }
  const auto opt = with_k(5);
  const auto r = analyse_internal_service(d.ratings, opt);
  CHECK(r.given[0].status == suppression::too_small);
  CHECK(r.matrix[0][1].status == suppression::too_small);
  CHECK(r.matrix[0][2].status == suppression::too_small);
  check_anonymity(d.ratings, r, opt);
}

TEST_CASE("internal service: fewer than k raters in all hides everything", "[org][internal][anonymity]") {
  builder d;
  d.person("p1", "A", {{"B", 4}, {"C", 2}});
  d.person("p2", "B", {{"A", 3}, {"C", 5}});
  d.person("p3", "C", {{"A", 1}, {"B", 2}});
  const auto opt = with_k(5);
  const auto r = analyse_internal_service(d.ratings, opt);
  CHECK(r.overall.status == suppression::too_small);
  CHECK(r.overall.ratings == 6);
  CHECK(r.overall.persons == 3);
  for (std::size_t a = 0; a < 3; ++a) {
    CHECK(r.received[a].status == suppression::too_small);
    CHECK(r.given[a].status == suppression::too_small);
    for (std::size_t b = 0; b < 3; ++b) {
      CHECK_FALSE(r.matrix[a][b].mean.has_value());
    }
  }
  CHECK(r.asymmetric.empty());
  CHECK(r.possible_silos.empty());
  check_anonymity(d.ratings, r, opt);
}

// ---- silos and asymmetry ----------------------------------------------------------------------------------------

namespace {

// Four units of three people each; everyone rates every other unit. The values are chosen so that D is rated
// below 3 by everyone, C is rated low overall but well by D, and A and B are rated well.
builder four_units() {
  builder d;
  const std::map<std::pair<std::string, std::string>, std::vector<int>> v{
      {{"A", "B"}, {4, 4, 5}}, {{"A", "C"}, {1, 1, 1}}, {{"A", "D"}, {1, 2, 2}}, //
      {{"B", "A"}, {4, 5, 4}}, {{"B", "C"}, {2, 2, 2}}, {{"B", "D"}, {2, 2, 1}}, //
      {{"C", "A"}, {4, 4, 4}}, {{"C", "B"}, {4, 4, 4}}, {{"C", "D"}, {2, 3, 2}}, //
      {{"D", "A"}, {4, 4, 4}}, {{"D", "B"}, {5, 4, 4}}, {{"D", "C"}, {5, 5, 4}}};
  for (const std::string u : {"A", "B", "C", "D"}) {
    for (std::size_t i = 0; i < 3; ++i) {
      std::vector<std::pair<std::string, int>> to;
      for (const auto& [key, xs] : v) {
        if (key.first == u) {
          to.emplace_back(key.second, xs[i]);
        }
      }
      d.person(u + std::to_string(i), u, to);
    }
  }
  return d;
}

} // namespace

TEST_CASE("internal service: possible silos are rated below expected by every shown cell", "[org][internal]") {
  const builder d = four_units();
  auto opt = with_k(3);
  const auto r = analyse_internal_service(d.ratings, opt);
  REQUIRE(r.units == std::vector<std::string>{"A", "B", "C", "D"});
  // C received (1+1+1 + 2+2+2 + 5+5+4) / 9 = 23/9, below 3, but D rates C at 14/3: not a silo.
  CHECK(mean_of(received_values(d.ratings, "C")) < 3.0);
  CHECK(mean_of(values(d.ratings, "D", "C")) > 3.0);
  // D: 5/3, 5/3 and 7/3 from A, B and C.
  CHECK(r.possible_silos == std::vector<std::string>{"D"});
  // Raising the bar to 4.5 makes every unit's received mean fall short, but A and B have cells at or above it.
  opt.expected = 4.5;
  const auto high = analyse_internal_service(d.ratings, opt);
  std::vector<std::string> silos;
  for (const std::string u : {"A", "B", "C", "D"}) {
    bool every_cell_low = true;
    for (const std::string v : {"A", "B", "C", "D"}) {
      if (u != v && mean_of(values(d.ratings, v, u)) >= 4.5) {
        every_cell_low = false;
      }
    }
    if (mean_of(received_values(d.ratings, u)) < 4.5 && every_cell_low) {
      silos.push_back(u);
    }
  }
  // By hand: A gets 37/9 with cells 13/3, 4, 4; B gets 37/9 with cells 13/3, 4, 13/3; D is low everywhere;
  // C has D's 14/3 above the bar.
  CHECK(silos == std::vector<std::string>{"A", "B", "D"});
  CHECK(high.possible_silos == silos);
}

TEST_CASE("internal service: a silo is judged on shown cells only", "[org][internal][anonymity]") {
  // B is rated 1 by the 6 people of A, C and D, and 6 by two people of E. E -> B is too small to show, so
  // the only shown cells rating B are low: B is a possible silo although a hidden cell rates it highly.
  builder d;
  d.people("a", 6, "A", {"B", "C"}, [](std::size_t, const std::string& s) { return s == "B" ? 1 : 4; });
  d.people("c", 6, "C", {"B", "A"}, [](std::size_t, const std::string& s) { return s == "B" ? 1 : 4; });
  d.people("d", 6, "D", {"B", "A", "C"}, [](std::size_t, const std::string& s) { return s == "B" ? 1 : 4; });
  d.people("e", 2, "E", {"B"}, [](std::size_t, const std::string&) { return 5; });
  d.people("f", 6, "E", {"A", "C"}, [](std::size_t, const std::string&) { return 4; });
  const auto opt = with_k(5);
  const auto r = analyse_internal_service(d.ratings, opt);
  const std::size_t b = index_of(r, "B");
  const std::size_t e = index_of(r, "E");
  CHECK(r.matrix[e][b].status == suppression::too_small);
  REQUIRE(r.received[b].mean.has_value());
  CHECK(*r.received[b].mean < 3.0);
  bool shown_low = true;
  for (std::size_t a = 0; a < r.units.size(); ++a) {
    if (r.matrix[a][b].mean && *r.matrix[a][b].mean >= 3.0) {
      shown_low = false;
    }
  }
  CHECK(shown_low);
  CHECK(r.possible_silos == std::vector<std::string>{"B"});
  check_anonymity(d.ratings, r, opt);
}

TEST_CASE("internal service: asymmetric pairs, largest gap first, the threshold included", "[org][internal]") {
  const builder d = four_units();
  auto opt = with_k(3);
  opt.asymmetry = 2.0;
  const auto r = analyse_internal_service(d.ratings, opt);
  // Expected flags, from the raw means.
  struct flag {
    std::string a, b;
    double ab, ba;
  };
  std::vector<flag> want;
  const std::vector<std::string> units{"A", "B", "C", "D"};
  for (std::size_t i = 0; i < 4; ++i) {
    for (std::size_t j = i + 1; j < 4; ++j) {
      const double ab = mean_of(values(d.ratings, units[i], units[j]));
      const double ba = mean_of(values(d.ratings, units[j], units[i]));
      if (std::abs(ab - ba) >= 2.0 - 1e-12) {
        want.push_back({units[i], units[j], ab, ba});
      }
    }
  }
  std::stable_sort(want.begin(), want.end(),
                   [](const flag& x, const flag& y) { return std::abs(x.ab - x.ba) > std::abs(y.ab - y.ba); });
  // A-C: 1 vs 4 (gap 3); A-D: 5/3 vs 4 and C-D: 7/3 vs 14/3 (gap 7/3 each); B-C: 2 vs 4 (exactly 2);
  // B-D: 5/3 vs 13/3 (gap 8/3). A-B (13/3 vs 13/3) is not flagged.
  REQUIRE(want.size() == 5);
  REQUIRE(r.asymmetric.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    CHECK(r.asymmetric[i].a == want[i].a);
    CHECK(r.asymmetric[i].b == want[i].b);
    CHECK(r.asymmetric[i].a_rates_b == Approx(want[i].ab));
    CHECK(r.asymmetric[i].b_rates_a == Approx(want[i].ba));
  }
  CHECK(r.asymmetric.front().a == "A");
  CHECK(r.asymmetric.front().b == "C");
  CHECK(r.asymmetric.back().a == "B");
  CHECK(r.asymmetric.back().b == "C");
}

TEST_CASE("internal service: a pair with a hidden side is never flagged", "[org][internal][anonymity]") {
  // X rates Y at 1 (6 people), Y rates X at 5 but only 2 people do: the gap cannot be published.
  builder d;
  d.people("x", 6, "X", {"Y", "Z"}, [](std::size_t, const std::string& s) { return s == "Y" ? 1 : 3; });
  d.people("y", 2, "Y", {"X"}, [](std::size_t, const std::string&) { return 5; });
  d.people("z", 6, "Z", {"X", "Y"}, [](std::size_t, const std::string&) { return 3; });
  const auto opt = with_k(5);
  const auto r = analyse_internal_service(d.ratings, opt);
  CHECK(r.matrix[1][0].status == suppression::too_small);
  CHECK(r.asymmetric.empty());
  check_anonymity(d.ratings, r, opt);
}

// ---- self ratings -----------------------------------------------------------------------------------------------

TEST_CASE("internal service: ratings of one's own unit are left out unless asked for", "[org][internal]") {
  builder d;
  d.people("a", 3, "A", {"A", "B"},
           [](std::size_t i, const std::string& s) { return s == "A" ? 5 : static_cast<int>(i) + 1; });
  d.people("b", 3, "B", {"A", "B"},
           [](std::size_t i, const std::string& s) { return s == "B" ? 5 : static_cast<int>(i) + 2; });
  auto opt = with_k(3);
  const auto r = analyse_internal_service(d.ratings, opt);
  CHECK(r.dropped_self == 6);
  CHECK(has_warning(r, "6 ratings of the rater's own unit were left out"));
  for (std::size_t u = 0; u < 2; ++u) {
    CHECK(r.matrix[u][u].ratings == 0);
    CHECK(r.matrix[u][u].persons == 0);
    CHECK_FALSE(r.matrix[u][u].mean.has_value());
    CHECK(r.matrix[u][u].distribution.empty());
  }
  check_cell(r.matrix[0][1], {1, 2, 3}, 1, 5);
  check_cell(r.received[1], {1, 2, 3}, 1, 5);
  check_cell(r.overall, {1, 2, 3, 2, 3, 4}, 1, 5);
  check_anonymity(d.ratings, r, opt);

  opt.include_self = true;
  const auto s = analyse_internal_service(d.ratings, opt);
  CHECK(s.dropped_self == 0);
  CHECK_FALSE(has_warning(s, "own unit"));
  check_cell(s.matrix[0][0], {5, 5, 5}, 1, 5);
  check_cell(s.matrix[1][1], {5, 5, 5}, 1, 5);
  // The margins stay about service between units; the overall cell counts everything.
  CHECK(s.received[1].ratings == 3);
  CHECK(s.given[0].ratings == 3);
  CHECK(s.overall.ratings == 12);
  CHECK(s.overall.persons == 6);
  check_anonymity(d.ratings, s, opt);
}

TEST_CASE("internal service: a unit that only rates itself still appears", "[org][internal]") {
  builder d;
  d.people("a", 5, "A", {"B"}, [](std::size_t, const std::string&) { return 3; });
  d.person("z1", "Z", {{"Z", 4}});
  const auto r = analyse_internal_service(d.ratings, with_k(5));
  CHECK(r.units == std::vector<std::string>{"A", "B", "Z"});
  CHECK(r.dropped_self == 1);
  CHECK(r.given[2].ratings == 0);
  CHECK(r.matrix[2][2].ratings == 0);
}

TEST_CASE("internal service: the scale kinds are vocabulary", "[org][internal]") {
  STATIC_REQUIRE(key(internal_scale_kind::service_levels) == "service_levels");
  STATIC_REQUIRE(from_string<internal_scale_kind>("Likert scale") == internal_scale_kind::likert);
  STATIC_REQUIRE(all<internal_scale_kind>.size() == 2);
}

// ---- validation -------------------------------------------------------------------------------------------------

TEST_CASE("internal service: invalid ratings are reported with their line", "[org][internal][errors]") {
  const auto one = [](internal_rating r) {
    std::vector<internal_rating> rs{{"p1", "A", "B", 3, 2}};
    rs.push_back(std::move(r));
    return rs;
  };
  CHECK(analyse_error_of(one({"", "A", "C", 3, 3})) == "line 3: empty person");
  CHECK(analyse_error_of(one({"  ", "A", "C", 3, 3})) == "line 3: empty person");
  CHECK(analyse_error_of(one({"p2", "", "C", 3, 3})) == "line 3: empty rater unit");
  CHECK(analyse_error_of(one({"p2", "A", "", 3, 3})) == "line 3: empty served unit");
  CHECK(analyse_error_of(one({"p2", "A", "C", 6, 3})) == "line 3: rating 6 is outside the scale 1..5");
  CHECK(analyse_error_of(one({"p2", "A", "C", 0, 3})) == "line 3: rating 0 is outside the scale 1..5");
  CHECK(analyse_error_of(one({"p1", "A", "B", 4, 9})) ==
        "line 9: person 'p1' rates unit 'B' twice (line 2 and line 9)");
  CHECK(analyse_error_of(one({"p1", "C", "D", 4, 7})) ==
        "line 7: person 'p1' is in unit 'A' on line 2 but in unit 'C' on line 7");
  // Ratings built in code have no line: their position is named instead.
  CHECK(analyse_error_of(one({"p1", "A", "B", 4, 0})) ==
        "rating #2: person 'p1' rates unit 'B' twice (line 2 and rating #2)");
  internal_service_options six;
  six.scale = internal_scale_kind::service_levels;
  CHECK(analyse_error_of(one({"p2", "A", "C", 7, 3}), six) == "line 3: rating 7 is outside the service levels 1..6");
  internal_service_options wide;
  wide.min = 0;
  wide.max = 10;
  CHECK(analyse_error_of(one({"p2", "A", "C", 10, 3}), wide) == "(no exception)");
  CHECK(analyse_error_of(one({"p2", "A", "C", -1, 3}), wide) == "line 3: rating -1 is outside the scale 0..10");
}

TEST_CASE("internal service: invalid options are refused", "[org][internal][errors]") {
  const std::vector<internal_rating> rs{{"p1", "A", "B", 3, 2}};
  CHECK(analyse_error_of(rs, with_k(2)) == "internal service options: minimum group size 2 is below 3");
  internal_service_options o;
  o.min = 5;
  o.max = 5;
  CHECK(analyse_error_of(rs, o) ==
        "internal service options: Likert scale 5..5 must have min < max and at most 101 points");
  o.min = 0;
  o.max = 200;
  CHECK(analyse_error_of(rs, o) ==
        "internal service options: Likert scale 0..200 must have min < max and at most 101 points");
  o = {};
  o.expected = 7.0;
  CHECK(analyse_error_of(rs, o) == "internal service options: expected level 7 is outside the scale 1..5");
  o = {};
  o.asymmetry = -1.0;
  CHECK(analyse_error_of(rs, o) == "internal service options: asymmetry threshold -1 must be a finite number >= 0");
  CHECK(analyse_error_of({}, {}) == "(no exception)");
  const auto empty = analyse_internal_service({}, {});
  CHECK(empty.units.empty());
  CHECK(empty.overall.ratings == 0);
}

// ---- CSV --------------------------------------------------------------------------------------------------------

TEST_CASE("internal ratings csv: columns in any order, names kept as written", "[io][internal]") {
  const auto rs = read_csv("rating,served_unit,person,rater_unit\n"
                           "4,IT,p1,Finance\n"
                           " 2 ,Sales,p1,Finance\n"
                           "5,\"Finance, Legal\",p2,IT\n");
  REQUIRE(rs.size() == 3);
  CHECK(rs[0].person == "p1");
  CHECK(rs[0].rater_unit == "Finance");
  CHECK(rs[0].served_unit == "IT");
  CHECK(rs[0].value == 4);
  CHECK(rs[0].line == 2);
  CHECK(rs[1].value == 2);
  CHECK(rs[2].served_unit == "Finance, Legal");
  CHECK(rs[2].line == 4);
}

TEST_CASE("internal ratings csv: six levels by number or by name", "[io][internal]") {
  internal_service_options six;
  six.scale = internal_scale_kind::service_levels;
  const auto rs = read_csv("person,rater_unit,served_unit,rating\n"
                           "p1,A,B,criminal\n"
                           "p1,A,C,Desired\n"
                           "p2,A,B, unbelievable \n"
                           "p2,A,C,3\n"
                           "p3,A,B,6\n",
                           six);
  REQUIRE(rs.size() == 5);
  CHECK(rs[0].value == 1);
  CHECK(rs[1].value == 4);
  CHECK(rs[2].value == 6);
  CHECK(rs[3].value == 3);
  CHECK(rs[4].value == 6);
  // A level name on a Likert scale is not a number.
  CHECK(csv_error_of("person,rater_unit,served_unit,rating\np1,A,B,desired\n") ==
        "r.csv:2:8: rating 'desired' is not a whole number");
}

TEST_CASE("internal ratings csv: header problems", "[io][internal][errors]") {
  CHECK(csv_error_of("") == "r.csv:1:1: missing header: the file has no rows");
  CHECK(csv_error_of("\nperson,rater_unit,served_unit,rating\n") == "r.csv:1:1: blank line where the header should be");
  CHECK(csv_error_of("person,rater_unit,served_unit,ratng\n") ==
        "r.csv:1:31: unknown column 'ratng' (did you mean 'rating'?); expected person, rater_unit, served_unit, "
        "rating");
  CHECK(csv_error_of("person,Rater_Unit,served_unit,rating\n") ==
        "r.csv:1:8: unknown column 'Rater_Unit' (did you mean 'rater_unit'?); expected person, rater_unit, "
        "served_unit, rating");
  CHECK(csv_error_of("person,rater_unit,served_unit,rating,comment\n") ==
        "r.csv:1:38: unknown column 'comment'; expected person, rater_unit, served_unit, rating");
  CHECK(csv_error_of("person,rater_unit,person,served_unit,rating\n") ==
        "r.csv:1:19: duplicate column 'person' (columns 1 and 3)");
  CHECK(csv_error_of("person,rater_unit,rating\n") == "r.csv:1:1: no column 'served_unit'");
  CHECK(csv_error_of("person,,served_unit,rating\n") == "r.csv:1:8: empty column name");
}

TEST_CASE("internal ratings csv: row problems name line and column", "[io][internal][errors]") {
  const std::string h = "person,rater_unit,served_unit,rating\n";
  CHECK(csv_error_of(h + "p1,A,B,4\n\np2,A,B,3\n") == "r.csv:3:1: blank line");
  CHECK(csv_error_of(h + "p1,A,B\n") == "r.csv:2:1: ragged row: 3 fields, the header has 4");
  CHECK(csv_error_of(h + "p1,A,B,4,x\n") == "r.csv:2:10: ragged row: 5 fields, the header has 4");
  CHECK(csv_error_of(h + "p1,A,B,4.5\n") == "r.csv:2:8: rating '4.5' is not a whole number");
  CHECK(csv_error_of(h + "p1,A,B,four\n") == "r.csv:2:8: rating 'four' is not a whole number");
  CHECK(csv_error_of(h + "p1,A,B,\n") == "r.csv:2:8: missing rating");
  CHECK(csv_error_of(h + "p1,A,B,7\n") == "r.csv:2:8: rating 7 is outside the scale 1..5");
  CHECK(csv_error_of(h + "p1,A,B,99999999999999999999\n") ==
        "r.csv:2:8: rating '99999999999999999999' is outside the scale 1..5");
  CHECK(csv_error_of(h + ",A,B,4\n") == "r.csv:2:1: empty person");
  CHECK(csv_error_of(h + "p1, ,B,4\n") == "r.csv:2:4: empty rater unit");
  CHECK(csv_error_of(h + "p1,A,,4\n") == "r.csv:2:6: empty served unit");
  // The leftmost problem of a row is the one reported.
  CHECK(csv_error_of(h + ",A,B,9\n") == "r.csv:2:1: empty person");
  CHECK(csv_error_of("rating,person,rater_unit,served_unit\n9,,A,B\n") ==
        "r.csv:2:1: rating 9 is outside the scale 1..5");
  // Problems across rows point at the field that clashes and name both lines.
  CHECK(csv_error_of(h + "p1,A,B,4\np2,A,C,4\np1,A,B,2\n") ==
        "r.csv:4:6: person 'p1' rates unit 'B' twice (line 2 and line 4)");
  CHECK(csv_error_of(h + "p1,A,B,4\np1,C,D,2\n") ==
        "r.csv:3:4: person 'p1' is in unit 'A' on line 2 but in unit 'C' on line 3");
  internal_service_options six;
  six.scale = internal_scale_kind::service_levels;
  CHECK(csv_error_of(h + "p1,A,B,desird\n", six) ==
        "r.csv:2:8: unknown service level 'desird' (did you mean 'desired'?); expected 1..6 or one of criminal, "
        "basic, expected, desired, surprising, unbelievable");
  CHECK(csv_error_of(h + "p1,A,B,great\n", six) ==
        "r.csv:2:8: unknown service level 'great'; expected 1..6 or one of criminal, basic, expected, desired, "
        "surprising, unbelievable");
  CHECK(csv_error_of(h + "p1,A,B,0\n", six) == "r.csv:2:8: rating 0 is outside the service levels 1..6");
  CHECK(csv_error_of(h + "p1,A,B,\"4\"x\n") == "r.csv:2:11: characters after a closing quote");
}

TEST_CASE("internal ratings csv: files", "[io][internal]") {
  const auto dir = std::filesystem::temp_directory_path();
  const auto missing = dir / "ethos-internal-service-no-such-file.csv";
  const std::string m = error_of([&] { (void)read_internal_ratings_file(missing); });
  CHECK(m.rfind(missing.string() + ": cannot open: ", 0) == 0);
  const auto path = dir / "ethos-internal-service-test.csv";
  {
    std::ofstream out(path, std::ios::binary);
    out << "person,rater_unit,served_unit,rating\r\np1,A,B,4\r\np2,B,A,2\r\n";
  }
  const auto rs = read_internal_ratings_file(path);
  std::filesystem::remove(path);
  REQUIRE(rs.size() == 2);
  CHECK(rs[1].value == 2);
  const auto r = analyse_internal_service(rs, with_k(3));
  CHECK(r.units == std::vector<std::string>{"A", "B"});
  CHECK(r.matrix[0][1].status == suppression::too_small);
  CHECK(r.overall.status == suppression::too_small);
}

// ---- property -------------------------------------------------------------------------------------------------

TEST_CASE("internal service: random rating sets are published without a derivable small group",
          "[org][internal][anonymity][property]") {
  std::mt19937 rng(20240611);
  std::size_t hidden_total = 0;
  std::size_t cells_total = 0;
  for (int round = 0; round < 30; ++round) {
    const auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    const auto n_units = static_cast<std::size_t>(pick(5, 8));
    const auto n_persons = static_cast<std::size_t>(pick(40, 120));
    internal_service_options opt;
    opt.min_group_size = static_cast<std::size_t>(pick(3, 5));
    opt.include_self = pick(0, 3) == 0;
    if (pick(0, 1) == 0) {
      opt.scale = internal_scale_kind::service_levels;
    }
    const int hi = opt.scale == internal_scale_kind::service_levels ? 6 : 5;
    // Uneven unit sizes, so that some units are too small to show and some cells rest on a handful of people.
    std::vector<double> weight;
    for (std::size_t u = 0; u < n_units; ++u) {
      weight.push_back(std::uniform_real_distribution<double>(0.2, 3.0)(rng));
    }
    std::discrete_distribution<std::size_t> unit_of(weight.begin(), weight.end());
    const double p_rate = std::uniform_real_distribution<double>(0.15, 0.8)(rng);
    std::vector<internal_rating> rs;
    for (std::size_t p = 0; p < n_persons; ++p) {
      const std::size_t u = unit_of(rng);
      for (std::size_t s = 0; s < n_units; ++s) {
        const double chance = s == u ? 0.2 : p_rate;
        if (std::uniform_real_distribution<double>(0.0, 1.0)(rng) < chance) {
          rs.push_back(
              {"p" + std::to_string(p), "unit " + std::to_string(u), "unit " + std::to_string(s), pick(1, hi), 0});
        }
      }
    }
    std::shuffle(rs.begin(), rs.end(), rng);
    for (std::size_t i = 0; i < rs.size(); ++i) {
      rs[i].line = i + 2;
    }
    INFO("round " << round << ": " << n_units << " units, " << n_persons << " persons, k = " << opt.min_group_size);
    const auto r = analyse_internal_service(rs, opt);
    hidden_total += check_anonymity(rs, r, opt);
    const std::size_t n = r.units.size();
    cells_total += n * n + 2 * n + 1;
    for (std::size_t a = 0; a < n; ++a) {
      for (std::size_t b = 0; b < n; ++b) {
        if (a != b || opt.include_self) {
          check_cell(r.matrix[a][b], values(rs, r.units[a], r.units[b]), 1, hi);
        }
      }
      check_cell(r.received[a], received_values(rs, r.units[a]), 1, hi);
      check_cell(r.given[a], given_values(rs, r.units[a]), 1, hi);
    }
  }
  // The generator must exercise the protection: some cells hidden, most shown.
  CHECK(hidden_total > 30);
  CHECK(hidden_total < cells_total / 2);
}
