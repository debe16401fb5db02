// Tests of allocation (ipsative) scoring: design checks, validation, type profiles, dominant type and the gap.
// Every expected value is worked out by hand in the comments next to it.
#include "../support/checks.hpp"
#include "../support/string_makers.hpp"

#include <ethos/measure/allocation.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

using namespace ethos;
using ethos_test::has_problem;

namespace {

// Stands for an empty optional index, so that a failing check prints numbers rather than {?}.
constexpr std::size_t none = std::numeric_limits<std::size_t>::max();

double sum_of(const std::vector<double>& v) {
  double s = 0.0;
  for (double x : v) {
    s += x;
  }
  return s;
}

// 2 dimensions x 3 types, 10 points per dimension. Points are {Speed: X, Y, Z, Care: X, Y, Z}.
allocation_design small_design() { return {{"Speed", "Care"}, {"X", "Y", "Z"}, {10}}; }

// r1: X = (5+3)/2 = 4, Y = (3+3)/2 = 3, Z = (2+4)/2 = 3
const allocation_response r1{"r1", {5, 3, 2, 3, 3, 4}};
// r2: X = (2+0)/2 = 1, Y = (6+4)/2 = 5, Z = (2+6)/2 = 4
const allocation_response r2{"r2", {2, 6, 2, 0, 4, 6}};
// r3: X = (1+3)/2 = 2, Y = (1+5)/2 = 3, Z = (8+2)/2 = 5
const allocation_response r3{"r3", {1, 1, 8, 3, 5, 2}};

// The same 24 points in each of the six OCAI dimensions.
std::vector<int> repeat6(int clan, int adhocracy, int market, int hierarchy) {
  std::vector<int> v;
  for (int d = 0; d < 6; ++d) {
    v.insert(v.end(), {clan, adhocracy, market, hierarchy});
  }
  return v;
}

} // namespace

TEST_CASE("allocation: the OCAI design is sound and has 6 dimensions x 4 types of 100 points",
          "[measure][allocation]") {
  const auto d = ocai_design();
  CHECK(check(d).empty());
  CHECK(d.dimensions.size() == 6);
  CHECK(d.dimensions[3] == "Organisational glue");
  CHECK(d.types == std::vector<std::string>{"Clan", "Adhocracy", "Market", "Hierarchy"});
  CHECK(d.scale.total == 100);
  CHECK(check(small_design()).empty());
}

TEST_CASE("allocation: respondent profiles are means over dimensions and sum to the total", "[measure][allocation]") {
  const std::vector<allocation_response> rs{r1, r2, r3};
  const auto p = score_allocation(small_design(), rs);
  REQUIRE(p.n == 3);
  REQUIRE(p.respondents.size() == 3);
  CHECK(p.respondents[0] == std::vector<double>{4.0, 3.0, 3.0});
  CHECK(p.respondents[1] == std::vector<double>{1.0, 5.0, 4.0});
  CHECK(p.respondents[2] == std::vector<double>{2.0, 3.0, 5.0});
  for (const auto& profile : p.respondents) {
    CHECK(sum_of(profile) == Approx(10.0));
  }
  // Group: X = (4+1+2)/3 = 7/3, Y = (3+5+3)/3 = 11/3, Z = (3+4+5)/3 = 4; sum = 30/3 = 10.
  REQUIRE(p.group.has_value());
  REQUIRE(p.group->size() == 3);
  CHECK((*p.group)[0] == Approx(7.0 / 3.0));
  CHECK((*p.group)[1] == Approx(11.0 / 3.0));
  CHECK((*p.group)[2] == Approx(4.0));
  CHECK(sum_of(*p.group) == Approx(10.0));
  // Z (4) is the largest.
  CHECK(p.dominant.value_or(none) == 2);
}

TEST_CASE("allocation: a tie for the dominant type goes to the first type in design order", "[measure][allocation]") {
  SECTION("tie between the first and second type") {
    // r1 = (4, 3, 3); s = (4, 5, 1). Group: X = 4, Y = 4, Z = 2: X and Y tie, X comes first.
    const std::vector<allocation_response> rs{r1, {"s", {4, 5, 1, 4, 5, 1}}};
    const auto p = score_allocation(small_design(), rs);
    REQUIRE(p.group.has_value());
    CHECK(*p.group == std::vector<double>{4.0, 4.0, 2.0});
    CHECK(p.dominant.value_or(none) == 0);
  }
  SECTION("tie between the second and third type") {
    // t = (2, 4, 4): Y and Z tie, Y comes first.
    const std::vector<allocation_response> rs{{"t", {2, 4, 4, 2, 4, 4}}};
    const auto p = score_allocation(small_design(), rs);
    CHECK(p.dominant.value_or(none) == 1);
  }
}

TEST_CASE("allocation: the real OCAI design, now and preferred", "[measure][allocation]") {
  const auto d = ocai_design();
  // a: (40, 30, 20, 10) in every dimension -> profile (40, 30, 20, 10).
  // b: (10, 20, 30, 40) in dimensions 1-3, (30, 30, 20, 20) in 4-6 ->
  //    Clan (30+90)/6 = 20, Adhocracy (60+90)/6 = 25, Market (90+60)/6 = 25, Hierarchy (120+60)/6 = 30.
  std::vector<int> b_points;
  for (int i = 0; i < 3; ++i) {
    b_points.insert(b_points.end(), {10, 20, 30, 40});
  }
  for (int i = 0; i < 3; ++i) {
    b_points.insert(b_points.end(), {30, 30, 20, 20});
  }
  const std::vector<allocation_response> now{{"a", repeat6(40, 30, 20, 10)}, {"b", b_points}};
  // c: (20, 40, 30, 10) everywhere; e: (30, 40, 20, 10) everywhere.
  const std::vector<allocation_response> preferred{{"c", repeat6(20, 40, 30, 10)}, {"e", repeat6(30, 40, 20, 10)}};

  const auto p = score_allocation(d, now);
  REQUIRE(p.n == 2);
  CHECK(p.respondents[0] == std::vector<double>{40.0, 30.0, 20.0, 10.0});
  CHECK(p.respondents[1] == std::vector<double>{20.0, 25.0, 25.0, 30.0});
  // Now group: Clan (40+20)/2 = 30, Adhocracy (30+25)/2 = 27.5, Market (20+25)/2 = 22.5, Hierarchy (10+30)/2 = 20.
  REQUIRE(p.group.has_value());
  CHECK(*p.group == std::vector<double>{30.0, 27.5, 22.5, 20.0});
  CHECK(p.dominant.value_or(none) == 0); // Clan

  const auto g = compare_allocation(d, now, preferred);
  CHECK(g.now.group == p.group);
  // Preferred group: Clan (20+30)/2 = 25, Adhocracy 40, Market (30+20)/2 = 25, Hierarchy 10; Adhocracy dominates.
  REQUIRE(g.preferred.group.has_value());
  CHECK(*g.preferred.group == std::vector<double>{25.0, 40.0, 25.0, 10.0});
  CHECK(g.preferred.dominant.value_or(none) == 1);
  // Gap = preferred - now: Clan 25-30 = -5, Adhocracy 40-27.5 = 12.5, Market 25-22.5 = 2.5, Hierarchy 10-20 = -10.
  REQUIRE(g.gap.has_value());
  CHECK(*g.gap == std::vector<double>{-5.0, 12.5, 2.5, -10.0});
  CHECK(g.largest_increase.value_or(none) == 1); // Adhocracy
  CHECK(g.largest_decrease.value_or(none) == 3); // Hierarchy
}

TEST_CASE("allocation: the gap between groups of different sizes", "[measure][allocation]") {
  // Now {r1, r2}: X = (4+1)/2 = 2.5, Y = (3+5)/2 = 4, Z = (3+4)/2 = 3.5.
  // Preferred {p}: X = (6+4)/2 = 5, Y = (2+2)/2 = 2, Z = (2+4)/2 = 3.
  // Gap: X 5-2.5 = 2.5, Y 2-4 = -2, Z 3-3.5 = -0.5; the gaps sum to 0 because both profiles sum to 10.
  const std::vector<allocation_response> now{r1, r2};
  const std::vector<allocation_response> preferred{{"p", {6, 2, 2, 4, 2, 4}}};
  const auto g = compare_allocation(small_design(), now, preferred);
  CHECK(g.now.n == 2);
  CHECK(g.preferred.n == 1);
  REQUIRE(g.gap.has_value());
  CHECK(*g.gap == std::vector<double>{2.5, -2.0, -0.5});
  CHECK(sum_of(*g.gap) == Approx(0.0).margin(1e-12));
  CHECK(g.largest_increase.value_or(none) == 0);
  CHECK(g.largest_decrease.value_or(none) == 1);
}

TEST_CASE("allocation: ties in the gap go to the first type in design order", "[measure][allocation]") {
  SECTION("two types with the same exact increase, which doubles would break") {
    // Now {n1}: Speed (0, 1, 9), Care (0, 1, 9) -> (0, 1, 9).
    // Preferred: pa = ((1+0)/2, (3+0)/2, (6+10)/2) = (0.5, 1.5, 8); pb = pc = ((0+0)/2, (2+0)/2, (8+10)/2) = (0, 1, 9).
    // Preferred group: X = 0.5/3 = 1/6, Y = 3.5/3 = 7/6, Z = 26/3.
    // Gap: X = 1/6 - 0 = 1/6, Y = 7/6 - 1 = 1/6, Z = 26/3 - 9 = -1/3. X and Y tie exactly, so X (first) wins.
    // In doubles 7/6 - 1 rounds above 1/6, so comparing the rounded gaps would wrongly pick Y.
    const std::vector<allocation_response> now{{"n1", {0, 1, 9, 0, 1, 9}}};
    const std::vector<allocation_response> preferred{
        {"pa", {1, 3, 6, 0, 0, 10}}, {"pb", {0, 2, 8, 0, 0, 10}}, {"pc", {0, 2, 8, 0, 0, 10}}};
    const auto g = compare_allocation(small_design(), now, preferred);
    REQUIRE(g.gap.has_value());
    CHECK((*g.gap)[0] == Approx(1.0 / 6.0));
    CHECK((*g.gap)[1] == Approx(1.0 / 6.0));
    CHECK((*g.gap)[2] == Approx(-1.0 / 3.0));
    CHECK(g.largest_increase.value_or(none) == 0);
    CHECK(g.largest_decrease.value_or(none) == 2);
  }
  SECTION("two types with the same decrease") {
    // Now {r1} = (4, 3, 3); preferred {q} = (6, 2, 2). Gap (2, -1, -1): Y and Z tie, Y comes first.
    const std::vector<allocation_response> now{r1};
    const std::vector<allocation_response> preferred{{"q", {6, 2, 2, 6, 2, 2}}};
    const auto g = compare_allocation(small_design(), now, preferred);
    REQUIRE(g.gap.has_value());
    CHECK(*g.gap == std::vector<double>{2.0, -1.0, -1.0});
    CHECK(g.largest_increase.value_or(none) == 0);
    CHECK(g.largest_decrease.value_or(none) == 1);
  }
  SECTION("no change: no type gains or loses") {
    // Now = preferred = {r1}: the gap is (0, 0, 0), so there is no largest increase or decrease.
    const std::vector<allocation_response> rs{r1};
    const auto g = compare_allocation(small_design(), rs, rs);
    REQUIRE(g.gap.has_value());
    CHECK(*g.gap == std::vector<double>{0.0, 0.0, 0.0});
    CHECK_FALSE(g.largest_increase.has_value());
    CHECK_FALSE(g.largest_decrease.has_value());
  }
}

TEST_CASE("allocation: fractions are compared exactly", "[measure][allocation]") {
  using detail::alloc::compare_fractions;
  STATIC_REQUIRE(compare_fractions(1, 3, 2, 6) == 0);     // 1/3 = 2/6
  STATIC_REQUIRE(compare_fractions(7, 2, 10, 3) == 1);    // 3.5 > 3.33..
  STATIC_REQUIRE(compare_fractions(-7, 2, -10, 3) == -1); // -3.5 < -3.33..
  STATIC_REQUIRE(compare_fractions(-1, 3, -1, 2) == 1);   // -0.33.. > -0.5
  STATIC_REQUIRE(compare_fractions(0, 5, 0, 7) == 0);
  STATIC_REQUIRE(compare_fractions(2, 7, 3, 10) == -1); // 0.2857.. < 0.3
  constexpr auto big = std::numeric_limits<std::int64_t>::max();
  STATIC_REQUIRE(compare_fractions(big, big - 1, 1, 1) == 1);             // just above 1, without overflow
  STATIC_REQUIRE(compare_fractions(big - 1, big, big - 2, big - 1) == 1); // 1 - 1/big > 1 - 1/(big-1)
}

TEST_CASE("allocation: every invalid response is reported, naming respondent and dimension", "[measure][allocation]") {
  const auto d = ocai_design();
  std::vector<int> short_points = repeat6(40, 30, 20, 10);
  short_points.pop_back(); // 23 points
  std::vector<int> long_points = repeat6(40, 30, 20, 10);
  long_points.push_back(0); // 25 points
  std::vector<int> glue = repeat6(40, 30, 20, 10);
  glue[3 * 4 + 2] = 10; // dimension 4 (Organisational glue): 40 + 30 + 10 + 10 = 90
  std::vector<int> negative = repeat6(40, 30, 20, 10);
  negative[0] = -10; // dimension 1: -10, 50, 30, 30 sums to 100 but Clan is negative
  negative[1] = 50;
  negative[2] = 30;
  negative[3] = 30;
  std::vector<int> too_big = repeat6(40, 30, 20, 10);
  too_big[4] = 120; // dimension 2: 120, -20, 0, 0 sums to 100 but Clan is above the total, Adhocracy negative
  too_big[5] = -20;
  too_big[6] = 0;
  too_big[7] = 0;
  const std::vector<allocation_response> rs{{"ok", repeat6(40, 30, 20, 10)},
                                            {"short", short_points},
                                            {"r17", glue},
                                            {"neg", negative},
                                            {"big", too_big},
                                            {"long", long_points}};

  const auto ps = check(d, rs);
  REQUIRE(ps.size() == 6);
  CHECK(ps[0] == problem{"respondent #2 'short'", "has 23 points, expected 24 (6 dimensions x 4 types)"});
  CHECK(ps[1] == problem{"respondent #3 'r17', dimension 'Organisational glue'", "points sum to 90, not 100"});
  CHECK(has_problem(ps, "respondent #4 'neg', dimension 'Dominant characteristics'", "'Clan' has -10 points"));
  CHECK(has_problem(ps, "respondent #4 'neg'", "negative"));
  CHECK(has_problem(ps, "respondent #5 'big', dimension 'Organisational leadership'",
                    "'Clan' has 120 points, more than the total of 100"));
  CHECK(has_problem(ps, "respondent #5 'big', dimension 'Organisational leadership'", "'Adhocracy' has -20 points"));
  CHECK(has_problem(ps, "respondent #6 'long'", "has 25 points, expected 24"));
  CHECK_FALSE(has_problem(ps, "'ok'", ""));

  try {
    (void)score_allocation(d, rs);
    FAIL("score_allocation accepted invalid responses");
  } catch (const validation_error& e) {
    CHECK(e.problems() == ps);
    CHECK(std::string(e.what()).find("allocation responses: 6 problems") != std::string::npos);
  }
  CHECK_THROWS_AS(score_allocation(d, rs), error);
}

TEST_CASE("allocation: a comparison reports the problems of both sets at once", "[measure][allocation]") {
  // now #2 'x': Speed 5 + 3 + 1 = 9; preferred #1 'y': 5 points instead of 2 x 3 = 6.
  const std::vector<allocation_response> now{r1, {"x", {5, 3, 1, 3, 3, 4}}};
  const std::vector<allocation_response> preferred{{"y", {5, 3, 2, 3, 3}}, r2};
  try {
    (void)compare_allocation(small_design(), now, preferred);
    FAIL("compare_allocation accepted invalid responses");
  } catch (const validation_error& e) {
    REQUIRE(e.problems().size() == 2);
    CHECK(e.problems()[0] == problem{"now, respondent #2 'x', dimension 'Speed'", "points sum to 9, not 10"});
    CHECK(e.problems()[1] ==
          problem{"preferred, respondent #1 'y'", "has 5 points, expected 6 (2 dimensions x 3 types)"});
    CHECK(std::string(e.what()).find("allocation comparison: 2 problems") != std::string::npos);
  }
}

TEST_CASE("allocation: empty response sets give no group profile, dominant type or gap", "[measure][allocation]") {
  const auto p = score_allocation(small_design(), {});
  CHECK(p.n == 0);
  CHECK(p.respondents.empty());
  CHECK_FALSE(p.group.has_value());
  CHECK_FALSE(p.dominant.has_value());

  const std::vector<allocation_response> one{r1};
  SECTION("now is empty") {
    const auto g = compare_allocation(small_design(), {}, one);
    CHECK(g.now.n == 0);
    CHECK(g.preferred.n == 1);
    CHECK(g.preferred.group == std::optional<std::vector<double>>{std::vector<double>{4.0, 3.0, 3.0}});
    CHECK_FALSE(g.gap.has_value());
    CHECK_FALSE(g.largest_increase.has_value());
    CHECK_FALSE(g.largest_decrease.has_value());
  }
  SECTION("preferred is empty") {
    const auto g = compare_allocation(small_design(), one, {});
    CHECK(g.now.dominant.value_or(none) == 0);
    CHECK_FALSE(g.gap.has_value());
  }
  SECTION("both are empty") {
    const auto g = compare_allocation(small_design(), {}, {});
    CHECK_FALSE(g.now.group.has_value());
    CHECK_FALSE(g.preferred.group.has_value());
    CHECK_FALSE(g.gap.has_value());
  }
}

TEST_CASE("allocation: an unsound design is reported and nothing is scored", "[measure][allocation]") {
  SECTION("one type, an empty and a duplicate dimension, zero total") {
    const allocation_design d{{"Speed", " ", "speed "}, {"X"}, {0}};
    const auto ps = check(d);
    REQUIRE(ps.size() == 4);
    CHECK(has_problem(ps, "design", "has 1 type; needs at least 2"));
    CHECK(has_problem(ps, "design scale", "total is 0; must be greater than 0"));
    CHECK(ps[2] == problem{"dimension #2", "has an empty name"});
    CHECK(has_problem(ps, "dimension #3 'speed '", "duplicates dimension #1 'Speed'"));
  }
  SECTION("no dimensions, duplicate types, negative total") {
    const allocation_design d{{}, {"Clan", "CLAN", "Market"}, {-5}};
    const auto ps = check(d);
    REQUIRE(ps.size() == 3);
    CHECK(has_problem(ps, "design", "has no dimensions; needs at least 1"));
    CHECK(has_problem(ps, "design scale", "total is -5"));
    CHECK(has_problem(ps, "type #2 'CLAN'", "duplicates type #1 'Clan'"));
  }
  SECTION("scoring and comparing throw the design's problems; responses wait for a sound design") {
    const allocation_design d{{"Speed"}, {"X"}, {10}};
    const std::vector<allocation_response> rs{{"bad", {1, 2, 3}}};
    try {
      (void)score_allocation(d, rs);
      FAIL("score_allocation accepted an unsound design");
    } catch (const validation_error& e) {
      CHECK(e.problems() == std::vector<problem>{{"design", "has 1 type; needs at least 2"}});
    }
    try {
      (void)compare_allocation(d, rs, rs);
      FAIL("compare_allocation accepted an unsound design");
    } catch (const validation_error& e) {
      CHECK(e.problems() == std::vector<problem>{{"design", "has 1 type; needs at least 2"}});
    }
  }
}
