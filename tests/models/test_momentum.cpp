// Culture momentum: a lift above the baseline that fades at rate lambda unless the building blocks reinforce it at
// rate rho. Expected numbers come from the closed forms of dx/dt = -lambda x + rho r written out here (or from an
// RK4 integration and a plain linear regression, also written here), never from the code under test.
#include "../support/checks.hpp"

#include <ethos/models/momentum.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numbers>
#include <optional>
#include <string>
#include <vector>

namespace {

using Catch::Matchers::Contains;
using ethos_test::error_of;

using ethos_test::inf_value;
using ethos_test::nan_value;
constexpr std::size_t blocks = 12;
using scores_t = std::array<std::optional<double>, blocks>;

// ---- closed forms and reference integrators, written from the model equation ---------------------------------

// Deviation after time t of constant reinforcement r, from x0: x* + (x0 - x*) e^{-lambda t}, x* = rho r / lambda;
// with no decay the lift just accumulates, x0 + rho r t.
double closed_form(double x0, double lambda, double rho, double r, double t) {
  if (lambda == 0.0) {
    return x0 + rho * r * t;
  }
  const double star = rho * r / lambda;
  return star + (x0 - star) * std::exp(-lambda * t);
}

// Classical fourth-order Runge-Kutta on dx/dt = -lambda x + rho r over one period of constant r.
double rk4_period(double x, double lambda, double rho, double r, double dt, int substeps) {
  const double h = dt / substeps;
  const auto f = [&](double v) { return -lambda * v + rho * r; };
  for (int i = 0; i < substeps; ++i) {
    const double k1 = f(x);
    const double k2 = f(x + h / 2 * k1);
    const double k3 = f(x + h / 2 * k2);
    const double k4 = f(x + h * k3);
    x += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
  }
  return x;
}

// Deterministic pseudo-noise in [-amplitude / 2, amplitude / 2): a 64-bit linear congruential generator.
struct lcg {
  std::uint64_t state;
  double next(double amplitude) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const double u = static_cast<double>(state >> 11U) * 0x1.0p-53;
    return (u - 0.5) * amplitude;
  }
};

// The plan of one unit's waves: its start, wave times and the reinforcement of each interval.
struct unit_plan {
  std::string name;
  double baseline;
  double x0;
  std::vector<double> times;
  std::vector<double> r; // one per interval (times.size() - 1)
};

// Waves that follow the closed form exactly; `noise` (if given) is added to every observed level afterwards.
ethos::momentum_series generate(const unit_plan& p, double lambda, double rho, lcg* noise = nullptr,
                                double amplitude = 0.0) {
  ethos::momentum_series s;
  s.unit = p.name;
  s.baseline = p.baseline;
  double x = p.x0;
  for (std::size_t k = 0; k < p.times.size(); ++k) {
    const double r = k < p.r.size() ? p.r[k] : 0.0;
    s.waves.push_back({p.times[k], p.baseline + x, r});
    if (k + 1 < p.times.size()) {
      x = closed_form(x, lambda, rho, r, p.times[k + 1] - p.times[k]);
    }
  }
  if (noise != nullptr) {
    for (auto& w : s.waves) {
      w.level += noise->next(amplitude);
    }
  }
  return s;
}

// Least squares of y = a x + c r (no intercept) over every interval of equally spaced waves (dt = 1), by the 2x2
// normal equations; with dt = 1, a = e^{-lambda} and c = rho (1 - a) / lambda.
struct regression {
  double a;
  double c;
  double ssr;
  std::size_t n;
  double lambda() const { return -std::log(a); }
  double rho() const { return c * lambda() / (1.0 - a); }
};

regression regress(const std::vector<ethos::momentum_series>& units) {
  double sxx = 0, sxr = 0, srr = 0, sxy = 0, sry = 0;
  for (const auto& s : units) {
    for (std::size_t k = 0; k + 1 < s.waves.size(); ++k) {
      const double x = s.waves[k].level - s.baseline;
      const double y = s.waves[k + 1].level - s.baseline;
      const double r = s.waves[k].reinforcement;
      sxx += x * x;
      sxr += x * r;
      srr += r * r;
      sxy += x * y;
      sry += r * y;
    }
  }
  const double det = sxx * srr - sxr * sxr;
  regression out{(sxy * srr - sxr * sry) / det, (sxx * sry - sxr * sxy) / det, 0.0, 0};
  for (const auto& s : units) {
    for (std::size_t k = 0; k + 1 < s.waves.size(); ++k) {
      const double e = (s.waves[k + 1].level - s.baseline) - out.a * (s.waves[k].level - s.baseline) -
                       out.c * s.waves[k].reinforcement;
      out.ssr += e * e;
      ++out.n;
    }
  }
  return out;
}

// a = sum x y / sum x^2: the no-reinforcement regression through the origin.
double decay_factor_without_reinforcement(const std::vector<ethos::momentum_series>& units) {
  double sxx = 0, sxy = 0;
  for (const auto& s : units) {
    for (std::size_t k = 0; k + 1 < s.waves.size(); ++k) {
      const double x = s.waves[k].level - s.baseline;
      sxx += x * x;
      sxy += x * (s.waves[k + 1].level - s.baseline);
    }
  }
  return sxy / sxx;
}

scores_t no_scores() { return scores_t{}; }

std::size_t block_index(ethos::building_block b) { return static_cast<std::size_t>(ethos::ordinal(b) - 1); }

// Three units with unequal, irregular wave spacing and mixed reinforcement.
std::vector<unit_plan> irregular_plans() {
  return {
      {"North", 3.2, 0.9, {0.0, 1.0, 2.5, 4.0, 7.0}, {0.8, 0.2, 0.0, 0.6}},
      {"South", 2.7, 1.4, {0.0, 0.5, 3.0, 3.25}, {0.0, 1.0, 0.4}},
      {"East", 4.1, -0.3, {1.0, 4.0, 6.0}, {0.5, 0.9}},
  };
}

// Units surveyed once a period (dt = 1).
std::vector<unit_plan> yearly_plans() {
  return {
      {"North", 3.2, 0.9, {0, 1, 2, 3, 4, 5, 6}, {0.8, 0.2, 0.0, 0.6, 1.0, 0.3}},
      {"South", 2.7, 1.4, {0, 1, 2, 3, 4}, {0.0, 1.0, 0.4, 0.1}},
      {"East", 4.1, -0.3, {2, 3, 4, 5}, {0.5, 0.9, 0.0}},
      {"West", 3.6, 0.5, {0, 1, 2, 3, 4, 5}, {0.0, 0.0, 0.7, 0.7, 0.2}},
  };
}

std::vector<ethos::momentum_series> generate_all(const std::vector<unit_plan>& plans, double lambda, double rho,
                                                 lcg* noise = nullptr, double amplitude = 0.0) {
  std::vector<ethos::momentum_series> out;
  for (const auto& p : plans) {
    out.push_back(generate(p, lambda, rho, noise, amplitude));
  }
  return out;
}

} // namespace

// ---- closed forms ------------------------------------------------------------------------------------------------

TEST_CASE("momentum: half-life and equilibrium follow ln 2 / lambda and rho r / lambda", "[models][momentum]") {
  const ethos::momentum_params p{.decay_rate = 0.2, .reinforcement_rate = 0.5};
  REQUIRE(ethos::momentum_half_life(p));
  CHECK(*ethos::momentum_half_life(p) == Approx(std::log(2.0) / 0.2).epsilon(1e-15));
  REQUIRE(ethos::momentum_equilibrium(p, 0.8));
  CHECK(*ethos::momentum_equilibrium(p, 0.8) == Approx(0.5 * 0.8 / 0.2).epsilon(1e-15));
  CHECK(*ethos::momentum_equilibrium(p, 0.0) == 0.0);

  SECTION("no decay: no half-life and no single equilibrium") {
    const ethos::momentum_params still{.decay_rate = 0.0, .reinforcement_rate = 0.5};
    CHECK_FALSE(ethos::momentum_half_life(still));
    CHECK_FALSE(ethos::momentum_equilibrium(still, 0.3)); // grows without bound
    CHECK_FALSE(ethos::momentum_equilibrium(still, 0.0)); // stays wherever it starts
  }
  SECTION("a half-life beyond the range of double is empty, not infinite") {
    CHECK_FALSE(ethos::momentum_half_life({.decay_rate = 1e-320}));
  }
  SECTION("momentum_advance is the exact step, with the lambda -> 0 limit") {
    CHECK(ethos::momentum_advance(p, 1.5, 0.4, 2.5) == Approx(closed_form(1.5, 0.2, 0.5, 0.4, 2.5)).epsilon(1e-14));
    CHECK(ethos::momentum_advance({.decay_rate = 0.0, .reinforcement_rate = 0.8}, 2.0, 0.5, 3.0) ==
          Approx(2.0 + 0.8 * 0.5 * 3.0).epsilon(1e-15));
    // lambda = 1e-10: (1 - e^{-z}) / lambda = dt (1 - z / 2 + z^2 / 6 - ...), here summed by hand.
    const double lambda = 1e-10;
    const double z = lambda * 3.0;
    const double expected = std::exp(-z) * 2.0 + 0.8 * 0.5 * 3.0 * (1.0 - z / 2.0 + z * z / 6.0);
    CHECK(ethos::momentum_advance({.decay_rate = lambda, .reinforcement_rate = 0.8}, 2.0, 0.5, 3.0) ==
          Approx(expected).epsilon(1e-15));
    // lambda dt overflows: the lift is gone and only rho r / lambda is left.
    CHECK(ethos::momentum_advance({.decay_rate = 1e300, .reinforcement_rate = 0.8}, 2.0, 0.5, 1e10) ==
          Approx(0.8 * 0.5 / 1e300).epsilon(1e-15));
    CHECK(ethos::momentum_advance(p, 1.5, 0.4, 0.0) == 1.5);
  }
}

TEST_CASE("simulate_momentum without reinforcement decays as x0 e^{-lambda t}", "[models][momentum]") {
  const double lambda = 0.3;
  const ethos::momentum_model m{
      .params = {.decay_rate = lambda, .reinforcement_rate = 0.7}, .baseline = 3.1, .initial_lift = 0.8};
  const std::vector<double> r(30, 0.0);
  const auto path = ethos::simulate_momentum(m, r);
  REQUIRE(path.level.size() == 31);
  REQUIRE(path.deviation.size() == 31);
  REQUIRE(path.time.size() == 31);
  CHECK(path.reinforcement == r);
  for (std::size_t k = 0; k <= 30; ++k) {
    const double t = static_cast<double>(k);
    CHECK(path.time[k] == t);
    CHECK(path.deviation[k] == Approx(0.8 * std::exp(-lambda * t)).epsilon(1e-12));
    CHECK(path.level[k] == Approx(3.1 + 0.8 * std::exp(-lambda * t)).epsilon(1e-12));
  }
  REQUIRE(path.half_life);
  CHECK(*path.half_life == Approx(std::log(2.0) / lambda).epsilon(1e-15));

  SECTION("with lambda = ln 2 / 4 the level is half-way back after 4 periods") {
    const ethos::momentum_model h{.params = {.decay_rate = std::log(2.0) / 4.0}, .baseline = 3.0, .initial_lift = 1.0};
    const auto hp = ethos::simulate_momentum(h, std::vector<double>(8, 0.0));
    CHECK(hp.level[4] == Approx(3.5).epsilon(1e-14));
    CHECK(hp.level[8] == Approx(3.25).epsilon(1e-14));
    REQUIRE(hp.half_life);
    CHECK(*hp.half_life == Approx(4.0).epsilon(1e-15));
    CHECK(*ethos::momentum_half_life(h.params) == Approx(4.0).epsilon(1e-15));
  }
  SECTION("lambda = 0 keeps the lift") {
    const ethos::momentum_model still{.params = {.decay_rate = 0.0}, .baseline = 3.0, .initial_lift = 0.6};
    const auto sp = ethos::simulate_momentum(still, std::vector<double>(10, 0.0));
    for (const double x : sp.deviation) {
      CHECK(x == 0.6);
    }
    CHECK_FALSE(sp.half_life);
  }
  SECTION("no periods give just the starting point") {
    const auto p0 = ethos::simulate_momentum(m, std::vector<double>{});
    REQUIRE(p0.level.size() == 1);
    CHECK(p0.time == std::vector<double>{0.0});
    CHECK(p0.level[0] == 3.1 + 0.8);
    CHECK(p0.deviation[0] == 0.8);
    CHECK(p0.reinforcement.empty());
  }
  SECTION("a setback (negative lift) recovers toward the baseline the same way") {
    const ethos::momentum_model down{.params = {.decay_rate = lambda}, .baseline = 3.1, .initial_lift = -0.5};
    const auto dp = ethos::simulate_momentum(down, std::vector<double>(5, 0.0));
    CHECK(dp.deviation[5] == Approx(-0.5 * std::exp(-lambda * 5.0)).epsilon(1e-12));
  }
}

TEST_CASE("simulate_momentum under constant reinforcement settles at x* = rho r / lambda", "[models][momentum]") {
  const double lambda = 0.15;
  const double rho = 0.4;
  const double r = 0.75;
  const double star = rho * r / lambda; // 2
  const ethos::momentum_model m{
      .params = {.decay_rate = lambda, .reinforcement_rate = rho}, .baseline = 2.5, .initial_lift = 0.3};
  const auto path = ethos::simulate_momentum(m, std::vector<double>(200, r));
  for (std::size_t k = 0; k <= 200; ++k) {
    const double t = static_cast<double>(k);
    CHECK(path.deviation[k] == Approx(star + (0.3 - star) * std::exp(-lambda * t)).epsilon(1e-12));
  }
  CHECK(std::fabs(path.deviation[200] - star) < 1e-9);
  CHECK(std::fabs(path.level[200] - (2.5 + star)) < 1e-9);
  CHECK(*ethos::momentum_equilibrium(m.params, r) == Approx(star).epsilon(1e-15));

  SECTION("starting at x* it stays there") {
    ethos::momentum_model at = m;
    at.initial_lift = star;
    const auto sp = ethos::simulate_momentum(at, std::vector<double>(50, r));
    for (const double x : sp.deviation) {
      CHECK(x == Approx(star).epsilon(1e-14));
    }
  }
  SECTION("starting above x* it falls to x*") {
    ethos::momentum_model above = m;
    above.initial_lift = 5.0;
    const auto sp = ethos::simulate_momentum(above, std::vector<double>(60, r));
    CHECK(sp.deviation[60] == Approx(star + (5.0 - star) * std::exp(-lambda * 60.0)).epsilon(1e-12));
    CHECK(sp.deviation[60] < sp.deviation[59]);
  }
  SECTION("with no decay reinforcement accumulates linearly") {
    const ethos::momentum_model lin{.params = {.decay_rate = 0.0, .reinforcement_rate = rho}, .initial_lift = 0.3};
    const auto sp = ethos::simulate_momentum(lin, std::vector<double>(40, r));
    for (std::size_t k = 0; k <= 40; ++k) {
      CHECK(sp.deviation[k] == Approx(0.3 + rho * r * static_cast<double>(k)).epsilon(1e-13));
    }
  }
}

TEST_CASE("simulate_momentum with a period length other than 1 follows the closed form at t = k dt",
          "[models][momentum]") {
  const double lambda = 0.4;
  const double rho = 0.9;
  const double r = 0.6;
  for (const double dt : {0.25, 2.5, 1.0 / 3.0}) {
    const ethos::momentum_model m{.params = {.decay_rate = lambda, .reinforcement_rate = rho},
                                  .baseline = 1.0,
                                  .initial_lift = -0.2,
                                  .period_length = dt};
    const auto path = ethos::simulate_momentum(m, std::vector<double>(24, r));
    for (std::size_t k = 0; k <= 24; ++k) {
      const double t = static_cast<double>(k) * dt;
      CHECK(path.time[k] == Approx(t).epsilon(1e-15));
      CHECK(path.deviation[k] == Approx(closed_form(-0.2, lambda, rho, r, t)).epsilon(1e-12));
    }
    REQUIRE(path.half_life);
    CHECK(*path.half_life == Approx(std::log(2.0) / lambda).epsilon(1e-15));
  }
}

TEST_CASE("simulate_momentum with piecewise reinforcement matches an RK4 integration", "[models][momentum]") {
  const double lambda = 0.3;
  const double rho = 0.8;
  const double dt = 1.5;
  const std::vector<double> r{0.2, 1.0, 0.0, 0.5, 0.75, 0.0, 0.0, 1.0, 0.33, 0.9};
  const ethos::momentum_model m{.params = {.decay_rate = lambda, .reinforcement_rate = rho},
                                .baseline = 3.4,
                                .initial_lift = -0.4,
                                .period_length = dt};
  const auto path = ethos::simulate_momentum(m, r);
  double x = -0.4;
  CHECK(path.deviation[0] == x);
  for (std::size_t k = 0; k < r.size(); ++k) {
    x = rk4_period(x, lambda, rho, r[k], dt, 1000);
    CHECK(path.deviation[k + 1] == Approx(x).epsilon(1e-11));
    CHECK(path.level[k + 1] == Approx(3.4 + x).epsilon(1e-11));
  }
}

// ---- reinforcement from building-block scores ----------------------------------------------------------------

TEST_CASE("momentum_reinforcement: weighted mean of scores placed on the unit interval", "[models][momentum]") {
  using ethos::building_block;
  SECTION("default weights and scale 1..5; missing blocks skipped") {
    scores_t s = no_scores();
    s[block_index(building_block::common_service_language)] = 5.0; // 1
    s[block_index(building_block::voice_of_the_customer)] = 2.0;   // 0.25
    CHECK(ethos::momentum_reinforcement(s) == Approx((1.0 + 0.25) / 2.0).epsilon(1e-15));
    s[block_index(building_block::service_benchmarking)] = 3.0; // 0.5
    CHECK(ethos::momentum_reinforcement(s) == Approx((1.0 + 0.25 + 0.5) / 3.0).epsilon(1e-15));
  }
  SECTION("weights, with a weight of 0 leaving a scored block out") {
    ethos::momentum_block_weights w;
    w.weight(building_block::service_role_modeling) = 2.0;
    w.weight(building_block::voice_of_the_customer) = 0.0;
    CHECK(w.weights[11] == 2.0);
    CHECK(w.weight(building_block::common_service_language) == 1.0);
    scores_t s = no_scores();
    s[block_index(building_block::common_service_language)] = 3.0; // 0.5, weight 1
    s[block_index(building_block::service_role_modeling)] = 4.0;   // 0.75, weight 2
    s[block_index(building_block::voice_of_the_customer)] = 1.0;   // weight 0: not counted
    CHECK(ethos::momentum_reinforcement(s, w) == Approx((0.5 + 2.0 * 0.75) / 3.0).epsilon(1e-15));
  }
  SECTION("another scale") {
    ethos::momentum_block_weights w;
    w.scale_min = 0.0;
    w.scale_max = 10.0;
    scores_t s = no_scores();
    s[0] = 10.0;
    s[4] = 0.0;
    s[8] = 7.5;
    CHECK(ethos::momentum_reinforcement(s, w) == Approx((1.0 + 0.0 + 0.75) / 3.0).epsilon(1e-15));
  }
  SECTION("every block at the top gives exactly 1, at the bottom exactly 0") {
    scores_t top;
    scores_t bottom;
    top.fill(5.0);
    bottom.fill(1.0);
    ethos::momentum_block_weights w;
    w.weights = {0.3, 1.7, 2.9, 0.1, 1.1, 3.3, 0.7, 1.3, 0.9, 2.3, 0.2, 5.1};
    CHECK(ethos::momentum_reinforcement(top, w) == 1.0);
    CHECK(ethos::momentum_reinforcement(bottom, w) == 0.0);
  }
  SECTION("a vector of 12 works too, and a run of periods gives one share each") {
    std::vector<std::optional<double>> v(12);
    v[2] = 4.0;
    CHECK(ethos::momentum_reinforcement(v) == Approx(0.75).epsilon(1e-15));
    std::vector<scores_t> periods(3, no_scores());
    periods[0][0] = 5.0;
    periods[1][0] = 1.0;
    periods[1][1] = 3.0;
    periods[2].fill(2.0);
    const auto r = ethos::momentum_reinforcement_path(periods);
    REQUIRE(r.size() == 3);
    CHECK(r[0] == 1.0);
    CHECK(r[1] == Approx(0.25).epsilon(1e-15));
    CHECK(r[2] == Approx(0.25).epsilon(1e-15));
    CHECK(ethos::momentum_reinforcement_path(std::vector<scores_t>{}).empty());
  }
}

TEST_CASE("momentum_reinforcement: rejected scores and weights name the block and the reason", "[models][momentum]") {
  using ethos::building_block;
  scores_t s = no_scores();
  s[block_index(building_block::common_service_language)] = 4.0;

  SECTION("score outside the scale") {
    scores_t bad = s;
    bad[block_index(building_block::voice_of_the_customer)] = 6.0;
    const auto msg = error_of([&] { (void)ethos::momentum_reinforcement(bad); });
    CHECK_THAT(msg, Contains("momentum reinforcement"));
    CHECK_THAT(msg, Contains("Voice of the Customer: score 6 is outside the scale 1..5"));
    bad[block_index(building_block::voice_of_the_customer)] = 0.5;
    CHECK_THAT(error_of([&] { (void)ethos::momentum_reinforcement(bad); }),
               Contains("Voice of the Customer: score 0.5 is outside the scale 1..5"));
  }
  SECTION("NaN and infinite scores") {
    scores_t bad = s;
    bad[block_index(building_block::service_benchmarking)] = nan_value;
    bad[block_index(building_block::service_communications)] = inf_value;
    const auto msg = error_of([&] { (void)ethos::momentum_reinforcement(bad); });
    CHECK_THAT(msg, Contains("2 problems"));
    CHECK_THAT(msg, Contains("Service Benchmarking: score is NaN"));
    CHECK_THAT(msg, Contains("Service Communications: score inf is infinite"));
  }
  SECTION("no block scored, or only blocks of weight 0") {
    CHECK_THAT(error_of([] { (void)ethos::momentum_reinforcement(no_scores()); }),
               Contains("no building block has a score"));
    ethos::momentum_block_weights w;
    w.weight(building_block::common_service_language) = 0.0;
    CHECK_THAT(error_of([&] { (void)ethos::momentum_reinforcement(s, w); }),
               Contains("only blocks with weight 0 have a score"));
  }
  SECTION("negative, NaN and all-zero weights") {
    ethos::momentum_block_weights w;
    w.weight(building_block::service_benchmarking) = -1.0;
    w.weight(building_block::new_staff_orientation) = nan_value;
    const auto msg = error_of([&] { (void)ethos::momentum_reinforcement(s, w); });
    CHECK_THAT(msg, Contains("weight of Service Benchmarking: -1 is negative"));
    CHECK_THAT(msg, Contains("weight of New Staff Orientation: is NaN"));
    ethos::momentum_block_weights zero;
    zero.weights.fill(0.0);
    CHECK_THAT(error_of([&] { (void)ethos::momentum_reinforcement(s, zero); }), Contains("all twelve are 0"));
    CHECK(ethos::check(zero).size() == 1);
  }
  SECTION("a scale whose min is not below its max") {
    ethos::momentum_block_weights w;
    w.scale_min = 5.0;
    const auto msg = error_of([&] { (void)ethos::momentum_reinforcement(s, w); });
    CHECK_THAT(msg, Contains("scale: min 5 is not below max 5"));
    CHECK_THAT(msg, Contains("1 problem")); // the score itself is not judged against a broken scale
    w.scale_min = 6.0;
    CHECK_THAT(error_of([&] { (void)ethos::momentum_reinforcement(s, w); }), Contains("min 6 is not below max 5"));
    w.scale_min = nan_value;
    CHECK_THAT(error_of([&] { (void)ethos::momentum_reinforcement(s, w); }), Contains("must be finite"));
  }
  SECTION("not 12 scores") {
    const std::vector<std::optional<double>> eleven(11, 3.0);
    CHECK_THAT(error_of([&] { (void)ethos::momentum_reinforcement(eleven); }), Contains("has 11 entries"));
  }
  SECTION("a run of periods names the period") {
    std::vector<scores_t> periods(2, s);
    periods[1][block_index(building_block::service_role_modeling)] = 9.0;
    CHECK_THAT(error_of([&] { (void)ethos::momentum_reinforcement_path(periods); }),
               Contains("period #2, Service Role Modeling: score 9 is outside the scale 1..5"));
  }
  SECTION("a value that is not a building block") {
    ethos::momentum_block_weights w;
    CHECK_THAT(error_of([&] { (void)w.weight(static_cast<building_block>(40)); }),
               Contains("value 40 is not one of the twelve building blocks"));
  }
}

// ---- invalid model input -------------------------------------------------------------------------------------

TEST_CASE("momentum: invalid rates, reinforcement and model settings are rejected", "[models][momentum]") {
  SECTION("rates") {
    const auto ps = ethos::check(ethos::momentum_params{.decay_rate = -0.1, .reinforcement_rate = nan_value});
    REQUIRE(ps.size() == 2);
    CHECK(ethos_test::has_problem(ps, "decay rate", "-0.1 is negative"));
    CHECK(ethos_test::has_problem(ps, "decay rate", "a share of the lift lost per period, 0 or more"));
    CHECK(ethos_test::has_problem(ps, "reinforcement rate", "is NaN"));
    CHECK(ethos::check(ethos::momentum_params{.decay_rate = 0.0, .reinforcement_rate = 0.0}).empty());
    CHECK_THAT(error_of([] { (void)ethos::momentum_half_life({.decay_rate = -0.1}); }),
               Contains("momentum model: 1 problem\n  decay rate: -0.1 is negative"));
    CHECK_THAT(error_of([] { (void)ethos::momentum_half_life({.decay_rate = inf_value}); }),
               Contains("decay rate: inf is infinite"));
    CHECK_THAT(error_of([] { (void)ethos::momentum_equilibrium({.decay_rate = 1, .reinforcement_rate = -2}, 0.5); }),
               Contains("reinforcement rate: -2 is negative"));
  }
  SECTION("reinforcement outside [0, 1]") {
    CHECK_THAT(error_of([] { (void)ethos::momentum_equilibrium({.decay_rate = 1}, 1.5); }),
               Contains("reinforcement 1.5 is outside [0, 1]"));
    CHECK_THAT(error_of([] { (void)ethos::momentum_equilibrium({.decay_rate = 1}, nan_value); }),
               Contains("reinforcement is NaN"));
    CHECK_THAT(error_of([] { (void)ethos::momentum_advance({.decay_rate = 1}, 1.0, -0.1, 1.0); }),
               Contains("reinforcement -0.1 is outside [0, 1]"));
    CHECK_THAT(error_of([] { (void)ethos::momentum_advance({.decay_rate = 1}, 1.0, 0.5, -1.0); }),
               Contains("time step: -1 is negative"));
    CHECK_THAT(error_of([] { (void)ethos::momentum_advance({.decay_rate = 1}, nan_value, 0.5, 1.0); }),
               Contains("deviation: nan is not a finite"));
  }
  const ethos::momentum_model m{.params = {.decay_rate = 0.2, .reinforcement_rate = 0.5}, .baseline = 3.0};
  SECTION("simulation: bad reinforcement is named by its period") {
    const std::vector<double> r{0.5, 0.2, 1.2, 0.1, nan_value};
    const auto msg = error_of([&] { (void)ethos::simulate_momentum(m, r); });
    CHECK_THAT(msg, Contains("momentum simulation: 2 problems"));
    CHECK_THAT(msg, Contains("period #3 (index 2): reinforcement 1.2 is outside [0, 1]"));
    CHECK_THAT(msg, Contains("period #5 (index 4): reinforcement is NaN"));
  }
  SECTION("simulation: many bad periods are counted after the first 20") {
    const std::vector<double> r(25, -1.0);
    try {
      (void)ethos::simulate_momentum(m, r);
      FAIL("no exception");
    } catch (const ethos::validation_error& e) {
      REQUIRE(e.problems().size() == 21);
      CHECK(e.problems().back().what == "5 more periods are outside [0, 1] (not listed)");
    }
  }
  SECTION("simulation: rates, baseline, lift and period length, all at once") {
    ethos::momentum_model bad = m;
    bad.params.decay_rate = -1.0;
    bad.baseline = nan_value;
    bad.initial_lift = inf_value;
    bad.period_length = 0.0;
    try {
      (void)ethos::simulate_momentum(bad, std::vector<double>{0.5});
      FAIL("no exception");
    } catch (const ethos::validation_error& e) {
      const auto& ps = e.problems();
      CHECK(ps.size() == 4);
      CHECK(ethos_test::has_problem(ps, "decay rate", "-1 is negative"));
      CHECK(ethos_test::has_problem(ps, "baseline", "nan is not a finite level"));
      CHECK(ethos_test::has_problem(ps, "initial lift", "inf is not a finite"));
      CHECK(ethos_test::has_problem(ps, "period length", "0 is not a finite length above 0"));
    }
    bad = m;
    bad.period_length = -inf_value;
    CHECK_THAT(error_of([&] { (void)ethos::simulate_momentum(bad, std::vector<double>{}); }),
               Contains("period length: -inf is not a finite length above 0"));
  }
  SECTION("simulation: a level that leaves the range of double is an error, not an infinity") {
    const ethos::momentum_model wild{.params = {.decay_rate = 0.0, .reinforcement_rate = 1e308}};
    CHECK_THAT(error_of([&] { (void)ethos::simulate_momentum(wild, std::vector<double>(3, 1.0)); }),
               Contains("leaves the range of double"));
  }
}

// ---- calibration ---------------------------------------------------------------------------------------------

TEST_CASE("fit_momentum recovers the rates from noise-free waves with unequal spacing", "[models][momentum]") {
  for (const auto& truth :
       {std::array<double, 2>{0.35, 0.6}, std::array<double, 2>{0.05, 0.1}, std::array<double, 2>{2.0, 3.0}}) {
    const double lambda = truth[0];
    const double rho = truth[1];
    CAPTURE(lambda, rho);
    const auto units = generate_all(irregular_plans(), lambda, rho);
    const auto fit = ethos::fit_momentum(units);
    REQUIRE(fit.decay_rate);
    REQUIRE(fit.reinforcement_rate);
    CHECK(*fit.decay_rate == Approx(lambda).epsilon(1e-7));
    CHECK(*fit.reinforcement_rate == Approx(rho).epsilon(1e-7));
    REQUIRE(fit.half_life);
    CHECK(*fit.half_life == Approx(std::log(2.0) / lambda).epsilon(1e-7));
    CHECK(fit.units == 3);
    CHECK(fit.intervals == 4 + 3 + 2);
    CHECK(fit.ssr < 1e-20);
    REQUIRE(fit.residual_sd);
    CHECK(*fit.residual_sd < 1e-10);
    CHECK(fit.warnings.empty());
    CHECK(fit.reason.empty());
    CHECK_FALSE(fit.no_decay_detected);
    CHECK_FALSE(fit.decay_at_upper_limit);
    CHECK_FALSE(fit.reinforcement_constrained);
    REQUIRE(fit.fitted.size() == 9);
    // The fitted intervals are in input order and carry the observed data.
    const auto& f = fit.fitted[5]; // South, second interval: waves at 0.5 and 3.0
    CHECK(f.series == 1);
    CHECK(f.wave == 1);
    CHECK(f.dt == 2.5);
    CHECK(f.reinforcement == 1.0);
    CHECK(f.start_level == units[1].waves[1].level);
    CHECK(f.observed_level == units[1].waves[2].level);
    for (const auto& i : fit.fitted) {
      CHECK(i.fitted_level == Approx(i.observed_level).epsilon(1e-10));
      CHECK(i.residual == Approx(i.observed_level - i.fitted_level).margin(1e-15));
    }
  }
}

TEST_CASE("fit_momentum with waves one period apart equals a linear regression y = a x + c r", "[models][momentum]") {
  const double lambda = 0.3;
  const double rho = 0.5;
  SECTION("noise-free") {
    const auto units = generate_all(yearly_plans(), lambda, rho);
    const auto reg = regress(units);
    CHECK(reg.lambda() == Approx(lambda).epsilon(1e-10)); // the reference itself is right
    CHECK(reg.rho() == Approx(rho).epsilon(1e-10));
    const auto fit = ethos::fit_momentum(units);
    REQUIRE(fit.decay_rate);
    REQUIRE(fit.reinforcement_rate);
    CHECK(*fit.decay_rate == Approx(reg.lambda()).epsilon(1e-9));
    CHECK(*fit.reinforcement_rate == Approx(reg.rho()).epsilon(1e-9));
  }
  SECTION("with noise") {
    for (const std::uint64_t seed : {1ULL, 42ULL, 20240601ULL}) {
      lcg noise{seed};
      const auto units = generate_all(yearly_plans(), lambda, rho, &noise, 0.1);
      const auto reg = regress(units);
      REQUIRE(reg.a > 0.0);
      REQUIRE(reg.a < 1.0);
      REQUIRE(reg.c > 0.0);
      const auto fit = ethos::fit_momentum(units);
      REQUIRE(fit.decay_rate);
      REQUIRE(fit.reinforcement_rate);
      CAPTURE(seed, reg.lambda(), reg.rho());
      CHECK(*fit.decay_rate == Approx(reg.lambda()).epsilon(1e-9));
      CHECK(*fit.reinforcement_rate == Approx(reg.rho()).epsilon(1e-9));
      CHECK(fit.ssr == Approx(reg.ssr).epsilon(1e-9));
      CHECK(fit.intervals == reg.n);
      REQUIRE(fit.residual_sd);
      CHECK(*fit.residual_sd == Approx(std::sqrt(reg.ssr / static_cast<double>(reg.n - 2))).epsilon(1e-9));
      double ssr = 0.0;
      for (const auto& f : fit.fitted) {
        ssr += f.residual * f.residual;
      }
      CHECK(ssr == Approx(reg.ssr).epsilon(1e-9));
      CHECK(fit.warnings.empty());
    }
  }
}

TEST_CASE("fit_momentum holds the reinforcement rate at 0 when the data would make it negative", "[models][momentum]") {
  // Generated with rho = -0.4: levels fall faster where reinforcement is higher. Least squares with rho >= 0 is a
  // convex problem in (a, c) for dt = 1, so its optimum lies on c = 0: a = sum x y / sum x^2.
  const auto units = generate_all(yearly_plans(), 0.25, -0.4);
  const double a = decay_factor_without_reinforcement(units);
  const auto fit = ethos::fit_momentum(units);
  CHECK(fit.reinforcement_constrained);
  REQUIRE(fit.reinforcement_rate);
  CHECK(*fit.reinforcement_rate == 0.0);
  REQUIRE(fit.decay_rate);
  CHECK(*fit.decay_rate == Approx(-std::log(a)).epsilon(1e-9));
  REQUIRE(fit.warnings.size() == 1);
  CHECK_THAT(fit.warnings[0].message, Contains("would be negative"));
  CHECK_THAT(fit.warnings[0].message, Contains("held at 0"));
  CHECK(fit.warnings[0].code == ethos::warning_code::model_note);
}

TEST_CASE("fit_momentum with reinforcement 0 throughout estimates the decay rate alone", "[models][momentum]") {
  SECTION("noise-free, unequal spacing") {
    std::vector<unit_plan> plans{{"A", 3.0, 1.0, {0.0, 0.7, 2.0, 5.5}, {0, 0, 0}}, {"B", 2.0, -0.5, {1, 3}, {0}}};
    const auto units = generate_all(plans, 0.45, 0.0);
    const auto fit = ethos::fit_momentum(units);
    REQUIRE(fit.decay_rate);
    CHECK(*fit.decay_rate == Approx(0.45).epsilon(1e-7));
    CHECK_FALSE(fit.reinforcement_rate);
    CHECK_THAT(fit.reason, Contains("reinforcement is 0 in every interval"));
    CHECK(fit.code == ethos::reason_code::no_variance);
    REQUIRE(fit.residual_sd); // 4 intervals, 1 rate
  }
  SECTION("a single interval is enough: lambda = -ln(x1 / x0) / dt") {
    std::vector<ethos::momentum_series> one{{"Solo", 2.0, {{1.0, 3.0, 0.0}, {3.0, 2.4, 0.0}}}};
    const auto fit = ethos::fit_momentum(one);
    REQUIRE(fit.decay_rate);
    CHECK(*fit.decay_rate == Approx(-std::log(0.4 / 1.0) / 2.0).epsilon(1e-9));
    CHECK_FALSE(fit.reinforcement_rate);
    CHECK_FALSE(fit.residual_sd);
    CHECK_THAT(fit.reason, Contains("1 interval leaves no degrees of freedom"));
  }
  SECTION("with noise and dt = 1: the regression through the origin") {
    lcg noise{7};
    auto plans = yearly_plans();
    for (auto& p : plans) {
      for (auto& r : p.r) {
        r = 0.0;
      }
    }
    const auto units = generate_all(plans, 0.3, 0.5, &noise, 0.1);
    const auto fit = ethos::fit_momentum(units);
    REQUIRE(fit.decay_rate);
    CHECK(*fit.decay_rate == Approx(-std::log(decay_factor_without_reinforcement(units))).epsilon(1e-9));
    CHECK_FALSE(fit.reinforcement_rate);
  }
}

TEST_CASE("fit_momentum flags a decay rate at either end of the search", "[models][momentum]") {
  SECTION("no decay: the lift only accumulates") {
    const auto units = generate_all(irregular_plans(), 0.0, 0.4);
    const auto fit = ethos::fit_momentum(units);
    CHECK(fit.no_decay_detected);
    REQUIRE(fit.decay_rate);
    CHECK(*fit.decay_rate <= 1e-9);
    REQUIRE(fit.reinforcement_rate);
    CHECK(*fit.reinforcement_rate == Approx(0.4).epsilon(1e-7));
    REQUIRE_FALSE(fit.warnings.empty());
    CHECK_THAT(fit.warnings[0].message, Contains("No decay detected"));
  }
  SECTION("decay far faster than the waves: the rate sits at max_decay_rate") {
    const auto units = generate_all(irregular_plans(), 40.0, 2.0);
    const auto fit = ethos::fit_momentum(units);
    CHECK(fit.decay_at_upper_limit);
    REQUIRE(fit.decay_rate);
    CHECK(*fit.decay_rate == 10.0);
    REQUIRE_FALSE(fit.warnings.empty());
    CHECK_THAT(fit.warnings[0].message, Contains("faster than one period can resolve"));
    // A wider search finds the true rate.
    const auto wide = ethos::fit_momentum(units, {.max_decay_rate = 100.0});
    CHECK_FALSE(wide.decay_at_upper_limit);
    REQUIRE(wide.decay_rate);
    CHECK(*wide.decay_rate == Approx(40.0).epsilon(1e-6));
  }
  SECTION("levels on the baseline throughout say nothing about decay") {
    std::vector<ethos::momentum_series> flat{{"A", 3.0, {{0, 3.0, 0.5}, {1, 3.0, 0.0}, {2, 3.0, 0.0}}},
                                             {"B", 2.0, {{0, 2.0, 0.0}, {2, 2.0, 0.0}}}};
    const auto fit = ethos::fit_momentum(flat);
    CHECK_FALSE(fit.decay_rate);
    CHECK_FALSE(fit.reinforcement_rate);
    CHECK_FALSE(fit.half_life);
    CHECK_THAT(fit.reason, Contains("the decay rate cannot be estimated"));
    CHECK(fit.code == ethos::reason_code::no_variance);
    REQUIRE_FALSE(fit.warnings.empty());
    CHECK(fit.warnings[0].code == ethos::warning_code::rates_not_estimated);
    CHECK(fit.ssr == 0.0);
  }
}

TEST_CASE("fit_momentum rejects invalid series, naming the unit and the wave", "[models][momentum]") {
  const auto good = [] { return generate_all(irregular_plans(), 0.35, 0.6); };
  const auto fit_of = [](const std::vector<ethos::momentum_series>& s) {
    return error_of([&] { (void)ethos::fit_momentum(s); });
  };

  CHECK_THAT(fit_of({}), Contains("momentum calibration: 1 problem\n  input: no unit series"));
  SECTION("a unit with one wave or none") {
    auto s = good();
    s[1].waves.resize(1);
    CHECK_THAT(fit_of(s), Contains("unit #2 'South': has 1 wave; a unit needs at least 2 waves"));
    s[1].waves.clear();
    CHECK_THAT(fit_of(s), Contains("unit #2 'South': has 0 waves"));
  }
  SECTION("wave times not strictly increasing, or not finite") {
    auto s = good();
    s[0].waves[2].time = 1.0; // same as wave #2
    s[2].waves[1].time = 0.5; // before wave #1 at 1
    const auto msg = fit_of(s);
    CHECK_THAT(msg, Contains("unit #1 'North', wave #3: time 1 is not after wave #2's time 1"));
    CHECK_THAT(msg, Contains("unit #3 'East', wave #2: time 0.5 is not after wave #1's time 1"));
    s = good();
    s[0].waves[0].time = nan_value;
    CHECK_THAT(fit_of(s), Contains("unit #1 'North', wave #1: time nan is not finite"));
  }
  SECTION("levels and baselines that are not finite") {
    auto s = good();
    s[0].waves[1].level = nan_value;
    s[2].baseline = -inf_value;
    const auto msg = fit_of(s);
    CHECK_THAT(msg, Contains("unit #1 'North', wave #2: level nan is not finite"));
    CHECK_THAT(msg, Contains("unit #3 'East': baseline -inf is not a finite level"));
  }
  SECTION("reinforcement outside [0, 1]; the last wave's is not read") {
    auto s = good();
    s[1].waves[0].reinforcement = 1.5;
    s[2].waves[0].reinforcement = nan_value;
    s[0].waves.back().reinforcement = 7.0; // starts no interval
    const auto msg = fit_of(s);
    CHECK_THAT(msg, Contains("2 problems"));
    CHECK_THAT(msg, Contains("unit #2 'South', wave #1: reinforcement 1.5 is outside [0, 1]"));
    CHECK_THAT(msg, Contains("unit #3 'East', wave #1: reinforcement is NaN"));
  }
  SECTION("too few intervals in all") {
    std::vector<ethos::momentum_series> one{{"Solo", 2.0, {{0, 3.0, 0.5}, {1, 2.8, 0.0}}}};
    CHECK_THAT(fit_of(one), Contains("only 1 interval between waves; estimating both the decay and the "
                                     "reinforcement rate needs at least 2"));
    std::vector<ethos::momentum_series> none{{"Solo", 2.0, {{0, 3.0, 0.0}}}};
    const auto msg = fit_of(none);
    CHECK_THAT(msg, Contains("has 1 wave"));
    CHECK_THAT(msg, Contains("no interval between waves; estimating the decay rate needs at least 1"));
  }
  SECTION("empty or repeated unit names") {
    auto s = good();
    s[2].unit = "north ";
    s[1].unit = "";
    const auto msg = fit_of(s);
    CHECK_THAT(msg, Contains("unit #2: has an empty name"));
    CHECK_THAT(msg, Contains("unit #3 'north ': duplicates unit #1 'North'"));
  }
  SECTION("options") {
    const auto s = good();
    for (const double bad : {0.0, -1.0, nan_value, inf_value}) {
      CHECK_THAT(error_of([&] { (void)ethos::fit_momentum(s, {.max_decay_rate = bad}); }),
                 Contains("options: max decay rate"));
    }
  }
  SECTION("every problem is listed at once") {
    auto s = good();
    s[0].waves[1].level = nan_value;
    s[1].waves.resize(1);
    s[2].waves[0].reinforcement = -0.5;
    try {
      (void)ethos::fit_momentum(s);
      FAIL("no exception");
    } catch (const ethos::validation_error& e) {
      CHECK(e.problems().size() == 3);
    }
  }
}
