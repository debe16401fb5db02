// Wave-to-wave comparisons under the anonymity rules, and key drivers on the importance x performance grid.
// Expected numbers are worked out here from the raw data with the textbook formulas (docs/statistics.md,
// "Comparisons"), not taken from the code under test; R's t.test printed the same values (see below).
#include "../support/checks.hpp"

#include <ethos/org/drivers.hpp>
#include <ethos/org/trend.hpp>
#include <ethos/stats/drivers.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numbers>
#include <numeric>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace {

using ethos_test::error_of;

constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();

// ---- hand statistics, written from the formulas rather than from the library -----------------------------------

ethos::sample_summary summary_of(const std::vector<double>& xs) {
  const double n = static_cast<double>(xs.size());
  const double mean = std::accumulate(xs.begin(), xs.end(), 0.0) / n;
  double ss = 0.0;
  for (double x : xs) {
    ss += (x - mean) * (x - mean);
  }
  return {xs.size(), mean, std::sqrt(ss / (n - 1.0))};
}

// Two-sided p of Student's t with df degrees of freedom: 1 - 2 * integral of the density over [0, |t|], by
// composite Simpson's rule (the density is smooth, so 4000 panels leave an error far below 1e-12).
double student_two_sided_p(double t, double df) {
  const double c = std::exp(std::lgamma((df + 1.0) / 2.0) - std::lgamma(df / 2.0)) / std::sqrt(df * std::numbers::pi);
  const auto f = [&](double x) { return c * std::pow(1.0 + x * x / df, -(df + 1.0) / 2.0); };
  const int panels = 4000;
  const double h = std::fabs(t) / panels;
  double s = f(0.0) + f(std::fabs(t));
  for (int i = 1; i < panels; ++i) {
    s += (i % 2 == 1 ? 4.0 : 2.0) * f(i * h);
  }
  return 1.0 - 2.0 * s * h / 3.0;
}

struct hand_welch {
  double t, df, p, d;
};

// Welch's t of `after` against `before` (m2 - m1 over the SE) and Cohen's d with the pooled SD.
hand_welch welch_by_hand(const ethos::sample_summary& before, const ethos::sample_summary& after) {
  const double n1 = static_cast<double>(before.n);
  const double n2 = static_cast<double>(after.n);
  const double a = before.sd * before.sd / n1;
  const double b = after.sd * after.sd / n2;
  const double t = (after.mean - before.mean) / std::sqrt(a + b);
  const double df = (a + b) * (a + b) / (a * a / (n1 - 1.0) + b * b / (n2 - 1.0));
  const double pooled =
      std::sqrt(((n1 - 1.0) * before.sd * before.sd + (n2 - 1.0) * after.sd * after.sd) / (n1 + n2 - 2.0));
  return {t, df, student_two_sided_p(t, df), (after.mean - before.mean) / pooled};
}

// The two waves of one team: x the earlier answers, y the later ones.
const std::vector<double> wave1{3, 4, 4, 5, 2, 3, 4};
const std::vector<double> wave2{4, 5, 5, 4, 3, 5, 5, 4};

// Checks that a comparison carries no number at all beyond the counts.
void require_no_test(const ethos::construct_change& c) {
  CHECK_FALSE(c.change);
  CHECK_FALSE(c.significant);
  CHECK_FALSE(c.welch.mean_difference);
  CHECK_FALSE(c.welch.se);
  CHECK_FALSE(c.welch.t);
  CHECK_FALSE(c.welch.df);
  CHECK_FALSE(c.welch.p);
  CHECK_FALSE(c.d.value);
  CHECK_FALSE(c.d.pooled_sd);
}

} // namespace

TEST_CASE("compare_waves: Welch's t, df, p and Cohen's d of after vs before, worked by hand and by R", "[org][trend]") {
  const auto s1 = summary_of(wave1);
  const auto s2 = summary_of(wave2);
  const hand_welch h = welch_by_hand(s1, s2);

  // R 4.2: x <- c(3,4,4,5,2,3,4); y <- c(4,5,5,4,3,5,5,4); tt <- t.test(y, x)
  //   print(c(tt$statistic, tt$parameter, tt$p.value), digits = 17)
  //   sp <- sqrt((7 * var(y) + 6 * var(x)) / 13); print((mean(y) - mean(x)) / sp, digits = 17)
  const double r_t = 1.77370750748619588;
  const double r_df = 11.17701725269751556;
  const double r_p = 0.10332513803114096;
  const double r_d = 0.9356276194611205;
  // The hand formulas agree with R, so they are a fair reference for the code.
  CHECK(h.t == Approx(r_t).epsilon(1e-12));
  CHECK(h.df == Approx(r_df).epsilon(1e-12));
  CHECK(h.p == Approx(r_p).epsilon(1e-10));
  CHECK(h.d == Approx(r_d).epsilon(1e-12));

  const auto c = ethos::compare_waves({s1}, {s2});
  CHECK(c.n_before == 7);
  CHECK(c.n_after == 8);
  REQUIRE(c.before);
  REQUIRE(c.after);
  REQUIRE(c.change);
  CHECK(*c.before == Approx(25.0 / 7.0).epsilon(1e-14));
  CHECK(*c.after == Approx(35.0 / 8.0).epsilon(1e-14));
  CHECK(*c.change == Approx(35.0 / 8.0 - 25.0 / 7.0).epsilon(1e-14));
  REQUIRE(c.welch.t);
  REQUIRE(c.welch.df);
  REQUIRE(c.welch.p);
  CHECK(*c.welch.t == Approx(h.t).epsilon(1e-12));
  CHECK(*c.welch.df == Approx(h.df).epsilon(1e-12));
  CHECK(*c.welch.p == Approx(h.p).epsilon(1e-9));
  CHECK(*c.welch.p == Approx(r_p).epsilon(1e-9));
  REQUIRE(c.d.value);
  CHECK(*c.d.value == Approx(h.d).epsilon(1e-12));
  CHECK(*c.d.value == Approx(r_d).epsilon(1e-12));
  REQUIRE(c.significant);
  CHECK_FALSE(*c.significant); // p = 0.103 is not below 0.05
  CHECK(c.reason.empty());
  CHECK(c.welch.reason.empty());
  CHECK(c.d.reason.empty());

  SECTION("alpha decides the verdict") {
    ethos::trend_options opt;
    opt.alpha = 0.15;
    const auto loose = ethos::compare_waves({s1}, {s2}, opt);
    REQUIRE(loose.significant);
    CHECK(*loose.significant);
    opt.alpha = 0.10;
    CHECK_FALSE(*ethos::compare_waves({s1}, {s2}, opt).significant);
  }
  SECTION("a fall is negative in the change, t and d") {
    const auto fall = ethos::compare_waves({s2}, {s1});
    CHECK(*fall.change == Approx(-*c.change).epsilon(1e-14));
    CHECK(*fall.welch.t == Approx(-h.t).epsilon(1e-12));
    CHECK(*fall.welch.p == Approx(h.p).epsilon(1e-9));
    CHECK(*fall.d.value == Approx(-h.d).epsilon(1e-12));
  }
}

TEST_CASE("compare_waves: a hidden or too small side leaks no number", "[org][trend][privacy]") {
  enum state { ok, hidden, small, hidden_small };
  // A side that must not be read carries numbers that would be noticed: NaN (would throw if checked) or 99.
  const auto cell = [](state s) -> ethos::trend_cell {
    switch (s) {
    case ok:
      return {{8, 3.5, 0.9}, true};
    case hidden:
      return {{8, nan_value, nan_value}, false};
    case small:
      return {{4, 99.0, 7.0}, true};
    case hidden_small:
      return {{2, 99.0, -1.0}, false};
    }
    return {};
  };
  struct row {
    state before, after;
    const char* reason;
  };
  const std::vector<row> table{
      {ok, hidden, "hidden in the later wave"},
      {ok, small, "fewer than 5 respondents in the later wave"},
      {ok, hidden_small, "hidden in the later wave"},
      {hidden, ok, "hidden in the earlier wave"},
      {hidden, hidden, "hidden in both waves"},
      {hidden, small, "hidden in the earlier wave; fewer than 5 respondents in the later wave"},
      {hidden, hidden_small, "hidden in both waves"},
      {small, ok, "fewer than 5 respondents in the earlier wave"},
      {small, hidden, "fewer than 5 respondents in the earlier wave; hidden in the later wave"},
      {small, small, "fewer than 5 respondents in both waves"},
      {small, hidden_small, "fewer than 5 respondents in the earlier wave; hidden in the later wave"},
      {hidden_small, ok, "hidden in the earlier wave"},
      {hidden_small, hidden, "hidden in both waves"},
      {hidden_small, small, "hidden in the earlier wave; fewer than 5 respondents in the later wave"},
      {hidden_small, hidden_small, "hidden in both waves"},
  };
  for (const auto& r : table) {
    CAPTURE(static_cast<int>(r.before), static_cast<int>(r.after));
    const auto b = cell(r.before);
    const auto a = cell(r.after);
    const auto c = ethos::compare_waves(b, a);
    CHECK(c.n_before == b.summary.n); // counts are always reported
    CHECK(c.n_after == a.summary.n);
    CHECK(c.before.has_value() == (r.before == ok));
    CHECK(c.after.has_value() == (r.after == ok));
    if (c.before) {
      CHECK(*c.before == 3.5);
    }
    if (c.after) {
      CHECK(*c.after == 3.5);
    }
    require_no_test(c);
    CHECK(c.reason == r.reason);
    CHECK(c.welch.reason == r.reason);
    CHECK(c.d.reason == r.reason);
  }
}

TEST_CASE("compare_waves: the minimum group size is a boundary and shows in the reason", "[org][trend][privacy]") {
  const ethos::trend_cell five{{5, 3.0, 1.0}, true};
  const ethos::trend_cell four{{4, 3.2, 1.0}, true};
  CHECK(ethos::compare_waves(five, five).change);
  CHECK(ethos::compare_waves(five, five).reason.empty());
  CHECK(ethos::compare_waves(four, five).reason == "fewer than 5 respondents in the earlier wave");

  ethos::trend_options opt;
  opt.min_group_size = 10;
  const ethos::trend_cell eight{{8, 3.0, 1.0}, true};
  const auto c = ethos::compare_waves(eight, eight, opt);
  CHECK(c.reason == "fewer than 10 respondents in both waves");
  CHECK_FALSE(c.before);
  CHECK_FALSE(c.after);
  require_no_test(c);

  opt.min_group_size = 3;
  const ethos::trend_cell three{{3, 3.0, 1.0}, true};
  CHECK(ethos::compare_waves(three, three, opt).change);
}

TEST_CASE("compare_waves: options and used summaries are validated", "[org][trend]") {
  const ethos::trend_cell good{{10, 3.0, 1.0}, true};
  for (const double alpha : {0.0, 1.0, -0.05, 1.5, nan_value, std::numeric_limits<double>::infinity()}) {
    CAPTURE(alpha);
    ethos::trend_options opt;
    opt.alpha = alpha;
    CHECK_THROWS_AS(ethos::compare_waves(good, good, opt), ethos::error);
    CHECK(error_of([&] { ethos::compare_waves(good, good, opt); }).find("alpha") != std::string::npos);
  }
  ethos::trend_options opt;
  opt.min_group_size = 2;
  CHECK(error_of([&] { ethos::compare_waves(good, good, opt); }) == "compare_waves: minimum group size 2 is below 3");
  CHECK_THROWS_AS(ethos::compare_waves(good, good, opt), ethos::error);

  // A side that is used must hold real numbers; one that is not used is never read.
  const ethos::trend_cell broken{{10, nan_value, 1.0}, true};
  CHECK(error_of([&] { ethos::compare_waves(broken, good); }).find("earlier wave") != std::string::npos);
  CHECK(error_of([&] { ethos::compare_waves(good, broken); }).find("later wave") != std::string::npos);
  const ethos::trend_cell negative_sd{{10, 3.0, -0.5}, true};
  CHECK_THROWS_AS(ethos::compare_waves(good, negative_sd), ethos::error);
  CHECK_NOTHROW(ethos::compare_waves(good, {{10, nan_value, -1.0}, false}));
}

TEST_CASE("compare_waves: no test when neither wave varies", "[org][trend]") {
  const auto c = ethos::compare_waves({{6, 3.0, 0.0}}, {{7, 4.0, 0.0}});
  REQUIRE(c.change);
  CHECK(*c.change == 1.0);
  CHECK_FALSE(c.welch.t);
  CHECK_FALSE(c.welch.p);
  CHECK_FALSE(c.significant);
  CHECK_FALSE(c.d.value);
  CHECK(c.reason == "no significance test: both samples have zero variance");
  CHECK(c.d.reason == "both samples have zero variance");
}

// ---- drivers ---------------------------------------------------------------------------------------------------

namespace {

// splitmix64: a tiny generator whose output is the same with every standard library.
struct splitmix {
  std::uint64_t state;
  double uniform() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return static_cast<double>(z >> 11) * 0x1.0p-53;
  }
  // Roughly normal, mean 0 and SD 1 (sum of four uniforms, rescaled).
  double noise() { return (uniform() + uniform() + uniform() + uniform() - 2.0) * std::sqrt(3.0); }
};

// Four constructs on a 1-5 scale and an outcome that leans hard on x1, clearly on x2, a little on x3, not on x4.
// Means: x1 and x3 high, x2 and x4 low, so the grid should read strength, priority, maintain, monitor.
struct driver_data {
  std::vector<double> x1, x2, x3, x4, y;
};

driver_data make_driver_data(std::size_t rows) {
  splitmix g{20240611};
  driver_data d;
  for (std::size_t i = 0; i < rows; ++i) {
    const double z1 = g.noise();
    const double z2 = g.noise();
    const double z3 = g.noise();
    const double z4 = g.noise();
    d.x1.push_back(3.9 + 0.6 * z1);
    d.x2.push_back(2.8 + 0.6 * z2);
    d.x3.push_back(4.0 + 0.6 * z3);
    d.x4.push_back(2.9 + 0.6 * z4);
    d.y.push_back(3.5 + 0.9 * z1 + 0.6 * z2 + 0.1 * z3 + 0.3 * g.noise());
  }
  return d;
}

std::vector<ethos::driver_input> inputs_of(const driver_data& d) {
  return {{"x1", "Clarity", d.x1}, {"x2", "Support", d.x2}, {"x3", "Facilities", d.x3}, {"x4", "Social", d.x4}};
}

double hand_mean(const std::vector<double>& xs, const std::vector<bool>& keep) {
  double s = 0.0;
  double n = 0.0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    if (keep[i]) {
      s += xs[i];
      n += 1.0;
    }
  }
  return s / n;
}

double hand_r(const std::vector<double>& x, const std::vector<double>& y, const std::vector<bool>& keep) {
  const double mx = hand_mean(x, keep);
  const double my = hand_mean(y, keep);
  double sxy = 0.0;
  double sxx = 0.0;
  double syy = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (keep[i]) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
  }
  return sxy / std::sqrt(sxx * syy);
}

} // namespace

TEST_CASE("driver_quadrant vocabulary", "[org][drivers]") {
  static_assert(ethos::vocabulary_size<ethos::driver_quadrant> == 4);
  static_assert(ethos::key(ethos::driver_quadrant::priority) == "priority");
  static_assert(ethos::from_string<ethos::driver_quadrant>(" Monitor ") == ethos::driver_quadrant::monitor);
  CHECK(ethos::to_string(ethos::driver_quadrant::strength) == "Strength");
  CHECK(ethos::ordinal(ethos::driver_quadrant::maintain) == 3);
  for (const auto q : ethos::all<ethos::driver_quadrant>) {
    CHECK_FALSE(ethos::describe(q).empty());
  }
}

TEST_CASE("analyse_drivers: a strong and a weak driver land in the expected quadrants", "[org][drivers]") {
  const auto d = make_driver_data(240);
  const auto xs = inputs_of(d);
  const auto a = ethos::analyse_drivers(xs, {"engagement", "Engagement", d.y});
  INFO(a.reason);
  CHECK(a.outcome == "engagement");
  CHECK(a.outcome_label == "Engagement");
  CHECK(a.n == 240);
  CHECK(a.dropped == 0);
  CHECK(a.reason.empty());
  REQUIRE(a.r_squared);
  REQUIRE(a.drivers.size() == 4);

  const std::vector<bool> all_rows(240, true);
  const std::vector<const std::vector<double>*> cols{&d.x1, &d.x2, &d.x3, &d.x4};
  double share_sum = 0.0;
  double weight_sum = 0.0;
  double perf_sum = 0.0;
  for (std::size_t j = 0; j < 4; ++j) {
    const auto& e = a.drivers[j];
    CAPTURE(e.key);
    CHECK(e.key == xs[j].key);
    CHECK(e.label == xs[j].label);
    REQUIRE(e.r);
    REQUIRE(e.weight);
    REQUIRE(e.share);
    REQUIRE(e.performance);
    REQUIRE(e.quadrant);
    CHECK(*e.r == Approx(hand_r(*cols[j], d.y, all_rows)).epsilon(1e-12));
    CHECK(*e.performance == Approx(hand_mean(*cols[j], all_rows)).epsilon(1e-13));
    share_sum += *e.share;
    weight_sum += *e.weight;
    perf_sum += *e.performance;
  }
  CHECK(std::fabs(share_sum - 1.0) < 1e-12);
  CHECK(std::fabs(weight_sum - *a.r_squared) < 1e-12);
  REQUIRE(a.importance_centre);
  REQUIRE(a.performance_centre);
  CHECK(*a.importance_centre == Approx(0.25).epsilon(1e-12));
  CHECK(*a.performance_centre == Approx(perf_sum / 4.0).epsilon(1e-14));

  // Importance follows the weights the outcome was built with.
  CHECK(*a.drivers[0].share > *a.drivers[1].share);
  CHECK(*a.drivers[1].share > *a.drivers[2].share);
  CHECK(*a.drivers[0].share > 0.5);
  CHECK(*a.drivers[2].share < 0.1);
  CHECK(*a.drivers[3].share < 0.1);
  CHECK(*a.r_squared > 0.8);

  CHECK(*a.drivers[0].quadrant == ethos::driver_quadrant::strength);
  CHECK(*a.drivers[1].quadrant == ethos::driver_quadrant::priority);
  CHECK(*a.drivers[2].quadrant == ethos::driver_quadrant::maintain);
  CHECK(*a.drivers[3].quadrant == ethos::driver_quadrant::monitor);

  // The weights are key_drivers' own, passed through unchanged.
  const std::vector<std::vector<double>> raw{d.x1, d.x2, d.x3, d.x4};
  const auto kd = ethos::key_drivers(std::span<const std::vector<double>>(raw), d.y);
  for (std::size_t j = 0; j < 4; ++j) {
    CHECK(*a.drivers[j].share == *kd.drivers[j].rescaled_weight);
    CHECK(*a.drivers[j].weight == *kd.drivers[j].raw_weight);
  }
}

TEST_CASE("analyse_drivers: rows with a missing value are dropped everywhere", "[org][drivers]") {
  auto d = make_driver_data(240);
  for (std::size_t i = 0; i < 10; ++i) {
    d.x2[i] = nan_value; // rows 0-9
  }
  for (std::size_t i = 5; i < 15; ++i) {
    d.y[i] = nan_value; // rows 5-14, overlapping
  }
  d.x4[20] = std::numeric_limits<double>::infinity(); // not finite counts as missing
  std::vector<bool> keep(240, true);
  for (std::size_t i = 0; i < 15; ++i) {
    keep[i] = false;
  }
  keep[20] = false;

  const auto a = ethos::analyse_drivers(inputs_of(d), {"engagement", "Engagement", d.y});
  CHECK(a.n == 224);
  CHECK(a.dropped == 16);
  REQUIRE(a.drivers.size() == 4);
  const std::vector<const std::vector<double>*> cols{&d.x1, &d.x2, &d.x3, &d.x4};
  for (std::size_t j = 0; j < 4; ++j) {
    REQUIRE(a.drivers[j].performance);
    CHECK(*a.drivers[j].performance == Approx(hand_mean(*cols[j], keep)).epsilon(1e-13));
    CHECK(*a.drivers[j].r == Approx(hand_r(*cols[j], d.y, keep)).epsilon(1e-12));
  }

  // The same analysis on the kept rows alone gives the same numbers: the deletion is listwise.
  driver_data kept;
  for (std::size_t i = 0; i < 240; ++i) {
    if (keep[i]) {
      kept.x1.push_back(d.x1[i]);
      kept.x2.push_back(d.x2[i]);
      kept.x3.push_back(d.x3[i]);
      kept.x4.push_back(d.x4[i]);
      kept.y.push_back(d.y[i]);
    }
  }
  const auto b = ethos::analyse_drivers(inputs_of(kept), {"engagement", "Engagement", kept.y});
  CHECK(b.dropped == 0);
  REQUIRE(a.r_squared);
  CHECK(*a.r_squared == Approx(*b.r_squared).epsilon(1e-12));
  for (std::size_t j = 0; j < 4; ++j) {
    CHECK(*a.drivers[j].share == Approx(*b.drivers[j].share).epsilon(1e-12));
    CHECK(a.drivers[j].quadrant == b.drivers[j].quadrant);
  }
}

TEST_CASE("analyse_drivers: too few complete cases give counts and a reason only", "[org][drivers]") {
  const auto d = make_driver_data(20);
  const auto a = ethos::analyse_drivers(inputs_of(d), {"engagement", "Engagement", d.y});
  CHECK(a.n == 20);
  CHECK(a.reason == "fewer than 30 complete cases (has 20)");
  CHECK_FALSE(a.r_squared);
  CHECK_FALSE(a.importance_centre);
  CHECK_FALSE(a.performance_centre);
  REQUIRE(a.drivers.size() == 4);
  for (const auto& e : a.drivers) {
    CHECK_FALSE(e.r);
    CHECK_FALSE(e.weight);
    CHECK_FALSE(e.share);
    CHECK_FALSE(e.performance);
    CHECK_FALSE(e.quadrant);
  }

  // Missing values can push a large enough sample below the minimum.
  auto e = make_driver_data(40);
  for (std::size_t i = 0; i < 12; ++i) {
    e.x3[i] = nan_value;
  }
  const auto b = ethos::analyse_drivers(inputs_of(e), {"engagement", "Engagement", e.y});
  CHECK(b.n == 28);
  CHECK(b.dropped == 12);
  CHECK(b.reason == "fewer than 30 complete cases (has 28)");
  CHECK_FALSE(b.drivers[0].share);

  // A lower minimum, chosen by the caller, lets the small sample through.
  ethos::driver_options opt;
  opt.min_respondents = 20;
  const auto c = ethos::analyse_drivers(inputs_of(d), {"engagement", "Engagement", d.y}, opt);
  CHECK(c.reason.empty());
  CHECK(c.drivers[0].quadrant);
}

TEST_CASE("analyse_drivers: no shares and no quadrants, but r and performance stay", "[org][drivers]") {
  auto d = make_driver_data(60);
  std::fill(d.x3.begin(), d.x3.end(), 4.0);
  const auto a = ethos::analyse_drivers(inputs_of(d), {"engagement", "Engagement", d.y});
  CHECK(a.reason == "predictor #3 is constant over the complete cases");
  CHECK_FALSE(a.r_squared);
  CHECK_FALSE(a.importance_centre);
  REQUIRE(a.performance_centre);
  CHECK(a.drivers[0].r);
  CHECK_FALSE(a.drivers[2].r);
  REQUIRE(a.drivers[2].performance);
  CHECK(*a.drivers[2].performance == 4.0);
  for (const auto& e : a.drivers) {
    CHECK_FALSE(e.share);
    CHECK_FALSE(e.quadrant);
  }
}

TEST_CASE("analyse_drivers: bad input is refused with every problem named", "[org][drivers]") {
  const auto d = make_driver_data(40);
  const ethos::driver_input y{"engagement", "Engagement", d.y};
  const std::span<const double> short_x2(d.x2.data(), 39);

  SECTION("length mismatch names the predictor") {
    const std::vector<ethos::driver_input> xs{{"x1", "Clarity", d.x1}, {"x2", "Support", short_x2}};
    CHECK_THROWS_AS(ethos::analyse_drivers(xs, y), ethos::error);
    CHECK(error_of([&] { ethos::analyse_drivers(xs, y); }) ==
          "analyse_drivers: 1 problem\n  predictor 'x2': has 39 values but the outcome 'engagement' has 40");
  }
  SECTION("duplicate, empty and outcome keys") {
    const std::vector<ethos::driver_input> xs{{"x1", "Clarity", d.x1},
                                              {"x1", "Clarity again", d.x2},
                                              {"", "Nameless", d.x3},
                                              {"engagement", "Outcome twice", d.y}};
    try {
      ethos::analyse_drivers(xs, y);
      FAIL("no exception");
    } catch (const ethos::validation_error& e) {
      REQUIRE(e.problems().size() == 3);
      CHECK(e.problems()[0] == ethos::problem{"predictor 'x1'", "the key is used by predictor #1 too"});
      CHECK(e.problems()[1] == ethos::problem{"predictor #3", "the key is empty"});
      CHECK(e.problems()[2] == ethos::problem{"predictor 'engagement'", "has the same key as the outcome"});
    }
  }
  SECTION("minimum respondents and an empty outcome key") {
    const std::vector<ethos::driver_input> xs{{"x1", "Clarity", d.x1}};
    ethos::driver_options opt;
    opt.min_respondents = 2;
    try {
      ethos::analyse_drivers(xs, {"", "", d.y}, opt);
      FAIL("no exception");
    } catch (const ethos::validation_error& e) {
      REQUIRE(e.problems().size() == 2);
      CHECK(e.problems()[0] == ethos::problem{"min_respondents", "is 2, must be at least 3"});
      CHECK(e.problems()[1] == ethos::problem{"outcome", "the key is empty"});
    }
    opt.min_respondents = 3;
    CHECK_NOTHROW(ethos::analyse_drivers(xs, y, opt));
  }
}

TEST_CASE("compare_waves and analyse_drivers: a code next to each reason", "[org][trend][drivers][status]") {
  const ethos::trend_cell ok{{8, 3.5, 0.9}, true};
  const ethos::trend_cell hidden{{8, 3.5, 0.9}, false};
  const ethos::trend_cell small{{4, 3.5, 0.9}, true};
  CHECK(ethos::compare_waves(ok, ok).code == ethos::reason_code::none);
  CHECK(ethos::compare_waves(ok, hidden).code == ethos::reason_code::withheld);
  CHECK(ethos::compare_waves(small, ok).code == ethos::reason_code::withheld);
  const auto flat = ethos::compare_waves({{6, 3.0, 0.0}}, {{7, 4.0, 0.0}});
  CHECK(flat.reason == "no significance test: both samples have zero variance");
  CHECK(flat.code == ethos::reason_code::depends_on_other);

  const auto d = make_driver_data(20);
  const auto few = ethos::analyse_drivers(inputs_of(d), {"engagement", "Engagement", d.y});
  CHECK(few.reason == "fewer than 30 complete cases (has 20)");
  CHECK(few.code == ethos::reason_code::too_few_cases);
  ethos::driver_options opt;
  opt.min_respondents = 20;
  const auto enough = ethos::analyse_drivers(inputs_of(d), {"engagement", "Engagement", d.y}, opt);
  CHECK(enough.reason.empty());
  CHECK(enough.code == ethos::reason_code::none);

  // A reason of the relative weights comes with their code; a hidden side's with `withheld` on the test too.
  auto flat_predictor = make_driver_data(60);
  std::fill(flat_predictor.x3.begin(), flat_predictor.x3.end(), 4.0);
  const auto nv = ethos::analyse_drivers(inputs_of(flat_predictor), {"engagement", "Engagement", flat_predictor.y});
  CHECK(nv.reason == "predictor #3 is constant over the complete cases");
  CHECK(nv.code == ethos::reason_code::no_variance);
  const auto h = ethos::compare_waves(hidden, ok);
  CHECK(h.welch.code == ethos::reason_code::withheld);
  CHECK(h.d.code == ethos::reason_code::withheld);
}
