// Tests of the service-profit chain model and of the seeded generator behind its Monte Carlo bands.
// Expected values come from closed forms written here (products of slopes along paths, sums over paths, weighted
// means, normal quantiles typed from tables) or from a reference generator written here from the published
// algorithms, never from the output of the code under test.
#include "../support/checks.hpp"
#include "../support/string_makers.hpp"

#include <ethos/models/chain.hpp>
#include <ethos/models/random.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

namespace {

using Catch::Matchers::Contains;
using ethos::building_block;
using ethos::chain_link;
using ethos::chain_node;
using ethos::chain_stage;
using ethos::link_strength;
using ethos_test::error_of;
using ethos_test::has_problem;

using ethos_test::inf_value;
using ethos_test::nan_value;

// ---- a reference generator, written from Vigna's published C code ------------------------------------------------

// splitmix64 as in splitmix64.c: the state advances by the golden gamma, then the output is mixed.
struct ref_splitmix64 {
  std::uint64_t x;
  std::uint64_t next() {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
};

// xoshiro256** as in xoshiro256starstar.c, its four words filled from splitmix64 as the authors suggest.
struct ref_xoshiro256ss {
  std::uint64_t s[4];
  explicit ref_xoshiro256ss(std::uint64_t seed) {
    ref_splitmix64 sm{seed};
    for (auto& w : s) {
      w = sm.next();
    }
  }
  static std::uint64_t rotl(const std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s[1] * 5, 7) * 9;
    const std::uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
  }
  double uniform() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); } // 2^53
  // Marsaglia's polar method, as in the textbooks: the first value of each accepted pair.
  std::array<double, 2> polar_pair() {
    for (;;) {
      const double u = 2.0 * uniform() - 1.0;
      const double v = 2.0 * uniform() - 1.0;
      const double s2 = u * u + v * v;
      if (s2 > 0.0 && s2 < 1.0) {
        const double m = std::sqrt(-2.0 * std::log(s2) / s2);
        return {u * m, v * m};
      }
    }
  }
};

// Standard normal quantiles z_p from printed tables (Abramowitz and Stegun, table 26.5, to 10 places).
constexpr double z05 = -1.6448536270;
constexpr double z25 = -0.6744897502;
constexpr double z75 = 0.6744897502;
constexpr double z95 = 1.6448536270;

// ---- helpers -----------------------------------------------------------------------------------------------------

ethos::chain_intervention shock(chain_node node, double change, std::size_t period) {
  return {.node = std::move(node), .change = change, .start_period = period, .end_period = period};
}

ethos::chain_intervention sustained(chain_node node, double change, std::size_t from = 0) {
  return {.node = std::move(node), .change = change, .start_period = from};
}

ethos::chain_scenario scenario_of(std::vector<ethos::chain_intervention> ivs) {
  return {.name = "test", .interventions = std::move(ivs)};
}

ethos::chain_simulation_options periods(std::size_t n) { return {.periods = n}; }

// Every value of a node's organisation path, as {period: value}; all other periods must be exactly 0.
void require_path(const std::vector<double>& path, const std::vector<std::pair<std::size_t, double>>& expected) {
  for (std::size_t t = 0; t < path.size(); ++t) {
    CAPTURE(t);
    double want = 0.0;
    for (const auto& [period, value] : expected) {
      if (period == t) {
        want = value;
      }
    }
    if (want == 0.0) {
      CHECK(path[t] == 0.0);
    } else {
      CHECK(path[t] == Approx(want).epsilon(1e-12));
    }
  }
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

bool same_bits(const ethos::chain_monte_carlo_result& a, const ethos::chain_monte_carlo_result& b) {
  if (a.nodes.size() != b.nodes.size()) {
    return false;
  }
  for (std::size_t k = 0; k < a.nodes.size(); ++k) {
    const auto& x = a.nodes[k];
    const auto& y = b.nodes[k];
    if (!(x.node == y.node) || !same_bits(x.mean, y.mean) || !same_bits(x.sd, y.sd) ||
        !same_bits(x.at_estimates, y.at_estimates) || x.quantiles.size() != y.quantiles.size()) {
      return false;
    }
    for (std::size_t q = 0; q < x.quantiles.size(); ++q) {
      if (!same_bits(x.quantiles[q], y.quantiles[q])) {
        return false;
      }
    }
  }
  return true;
}

// The problems of the validation_error `f` throws (empty when it throws something else or nothing).
template <class F>
std::vector<ethos::problem> problems_of(F&& f) {
  try {
    f();
  } catch (const ethos::validation_error& e) {
    return e.problems();
  } catch (...) {
  }
  return {};
}

// A standard chain with distinct slopes and lags, all known exactly.
ethos::service_profit_chain example_standard_chain() {
  return ethos::standard_service_profit_chain({
      .service_quality_to_employee_satisfaction = {link_strength{0.5, 0.0}, 1},
      .employee_satisfaction_to_retention = {link_strength{0.4, 0.0}, 2},
      .employee_satisfaction_to_productivity = {link_strength{0.3, 0.0}, 1},
      .retention_to_service_value = {link_strength{0.6, 0.0}, 1},
      .productivity_to_service_value = {link_strength{0.7, 0.0}, 0},
      .service_value_to_customer_satisfaction = {link_strength{0.8, 0.0}, 1},
      .customer_satisfaction_to_loyalty = {link_strength{0.9, 0.0}, 2},
      .loyalty_to_revenue_growth = {link_strength{0.25, 0.0}, 1},
  });
}

} // namespace

// ---- random_engine -----------------------------------------------------------------------------------------------

static_assert(std::uniform_random_bit_generator<ethos::random_engine>);
static_assert(ethos::random_engine::min() == 0 && ethos::random_engine::max() == ~std::uint64_t{0});

TEST_CASE("random_engine: xoshiro256** seeded through splitmix64, as the reference code", "[models][chain][random]") {
  // The reference splitmix64 itself, against its widely quoted first output for seed 0.
  CHECK(ref_splitmix64{0}.next() == 0xE220A8397B1DCDAFULL);

  for (const std::uint64_t seed : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{42}, ~std::uint64_t{0}}) {
    CAPTURE(seed);
    ethos::random_engine e(seed);
    ref_xoshiro256ss r(seed);
    for (int i = 0; i < 20; ++i) {
      CHECK(e.next() == r.next());
    }
    ethos::random_engine f(seed);
    ref_xoshiro256ss s(seed);
    CHECK(f() == s.next()); // operator() is next()
    for (int i = 0; i < 20; ++i) {
      CHECK(f.uniform() == s.uniform());
    }
  }
}

TEST_CASE("random_engine: uniform lies in the half-open unit interval", "[models][chain][random]") {
  ethos::random_engine e(2024);
  double lo = 1.0;
  double hi = 0.0;
  double sum = 0.0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    const double u = e.uniform();
    lo = std::min(lo, u);
    hi = std::max(hi, u);
    sum += u;
  }
  CHECK(lo >= 0.0);
  CHECK(hi < 1.0);
  CHECK(lo < 0.001);
  CHECK(hi > 0.999);
  CHECK(sum / n == Approx(0.5).margin(0.005)); // SE 0.29 / sqrt(n) = 0.0009
}

TEST_CASE("random_engine: normal by the polar method, reproducible, mean 0 and variance 1", "[models][chain][random]") {
  SECTION("the same values as the polar method on the reference generator, the cached second value included") {
    ethos::random_engine e(7);
    ref_xoshiro256ss r(7);
    for (int pair = 0; pair < 10; ++pair) {
      const auto [first, second] = r.polar_pair();
      CHECK(e.normal() == first);
      CHECK(e.normal() == second);
    }
  }
  SECTION("mean and variance over 200000 draws") {
    ethos::random_engine e(99);
    const int n = 200000;
    double sum = 0.0;
    double sum2 = 0.0;
    for (int i = 0; i < n; ++i) {
      const double z = e.normal();
      sum += z;
      sum2 += z * z;
    }
    const double mean = sum / n;
    const double var = sum2 / n - mean * mean;
    CHECK(mean == Approx(0.0).margin(0.012)); // about 5 SE (1 / sqrt(n) = 0.0022)
    CHECK(var == Approx(1.0).margin(0.016));  // about 5 SE (sqrt(2 / n) = 0.0032)
  }
  SECTION("the same seed gives the same bits") {
    ethos::random_engine a(123);
    ethos::random_engine b(123);
    for (int i = 0; i < 1001; ++i) {
      const double x = a.normal();
      const double y = b.normal();
      CHECK(std::memcmp(&x, &y, sizeof x) == 0);
    }
    CHECK(a == b);
  }
}

TEST_CASE("random_engine: numbered streams are reproducible and differ", "[models][chain][random]") {
  using ethos::random_engine;
  CHECK(random_engine::stream(5, 3) == random_engine::stream(5, 3));
  std::vector<std::uint64_t> firsts;
  for (std::uint64_t seed = 0; seed < 4; ++seed) {
    for (std::uint64_t index = 0; index < 50; ++index) {
      auto e = random_engine::stream(seed, index);
      firsts.push_back(e.next());
    }
  }
  std::sort(firsts.begin(), firsts.end());
  CHECK(std::adjacent_find(firsts.begin(), firsts.end()) == firsts.end());
  // A stream is not the plain engine of the same seed either.
  auto s = random_engine::stream(5, 0);
  random_engine p(5);
  CHECK(s.next() != p.next());
}

// ---- vocabulary, nodes and typed links ---------------------------------------------------------------------------

TEST_CASE("chain_stage: the eight stages in the order of the chain", "[models][chain]") {
  const std::vector<std::string> keys{"internal_service_quality", "employee_satisfaction",  "employee_retention",
                                      "employee_productivity",    "external_service_value", "customer_satisfaction",
                                      "customer_loyalty",         "revenue_growth"};
  REQUIRE(ethos::all<chain_stage>.size() == keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const chain_stage s = ethos::all<chain_stage>[i];
    CHECK(ethos::key(s) == keys[i]);
    CHECK(ethos::ordinal(s) == static_cast<int>(i) + 1);
    CHECK(ethos::from_string<chain_stage>(ethos::to_string(s)) == s);
    CHECK(ethos::describe(s).back() == '.');
  }
  CHECK(ethos::to_string(chain_stage::external_service_value) == "External Service Value");
}

TEST_CASE("chain_node: stages, building blocks and measures", "[models][chain]") {
  const chain_node es = chain_stage::employee_satisfaction;
  const chain_node voc = building_block::voice_of_the_customer;
  const chain_node enps = chain_node::measure("enps");
  CHECK(es.kind() == ethos::chain_node_kind::stage);
  CHECK(es.stage() == chain_stage::employee_satisfaction);
  CHECK_FALSE(es.block());
  CHECK(es.key() == "employee_satisfaction");
  CHECK(es.label() == "Employee Satisfaction");
  CHECK(voc.kind() == ethos::chain_node_kind::building_block);
  CHECK(voc.block() == building_block::voice_of_the_customer);
  CHECK(voc.key() == "voice_of_the_customer");
  CHECK(voc.label() == "Voice of the Customer");
  CHECK(enps.kind() == ethos::chain_node_kind::measure);
  CHECK(enps.key() == "enps");
  CHECK(enps.label() == "enps");
  CHECK_FALSE(enps.stage());
  CHECK(enps == chain_node::measure("enps"));
  CHECK_FALSE(enps == chain_node::measure("ENPS")); // keys are names, compared as written
  CHECK_FALSE(es == voc);
  CHECK(chain_node{} == chain_node(chain_stage::internal_service_quality));
  // Same underlying number, different kinds: never equal.
  CHECK_FALSE(chain_node(chain_stage::employee_satisfaction) == chain_node(building_block::engaging_service_vision));

  CHECK_THAT(error_of([] { (void)chain_node::measure(""); }), Contains("the key is empty"));
  CHECK_THAT(error_of([] { (void)chain_node::measure(" enps"); }), Contains("white space around it"));
  CHECK_THAT(error_of([] { (void)chain_node::measure("en\nps"); }), Contains("control character"));
  CHECK_THAT(error_of([] { (void)chain_node::measure("Customer Satisfaction"); }),
             Contains("is the name of chain stage customer_satisfaction; use chain_stage::customer_satisfaction"));
  CHECK_THAT(error_of([] { (void)chain_node::measure("voice_of_the_customer"); }),
             Contains("use building_block::voice_of_the_customer"));
}

// stage_link checks its direction at compile time. Naming the type of a call instantiates it (the return type is
// deduced), so these lines would not compile if the static_assert fired. An upstream pair, such as
// stage_link<chain_stage::customer_loyalty, chain_stage::employee_satisfaction>, stops the build with
// "stage_link: a service-profit chain link must run downstream ..."; that is not a test here, since the suite has
// no compile-fail case for it.
static_assert(std::is_same_v<decltype(ethos::stage_link<chain_stage::employee_satisfaction,
                                                        chain_stage::employee_retention>(link_strength{0.4, 0.1}, 1)),
                             chain_link>);
static_assert(std::is_same_v<decltype(ethos::stage_link<chain_stage::internal_service_quality,
                                                        chain_stage::revenue_growth>(link_strength{})),
                             chain_link>);
static_assert(ethos::runs_downstream<chain_stage::customer_satisfaction, chain_stage::customer_loyalty>);
static_assert(!ethos::runs_downstream<chain_stage::customer_loyalty, chain_stage::customer_satisfaction>);
static_assert(!ethos::runs_downstream<chain_stage::employee_retention, chain_stage::employee_retention>);

TEST_CASE("stage_link: builds the link it names", "[models][chain]") {
  const chain_link l =
      ethos::stage_link<chain_stage::employee_satisfaction, chain_stage::employee_retention>({0.4, 0.1}, 3);
  CHECK(l.from == chain_node(chain_stage::employee_satisfaction));
  CHECK(l.to == chain_node(chain_stage::employee_retention));
  CHECK(l.strength == link_strength{0.4, 0.1});
  CHECK(l.lag == 3);
}

// ---- the chain ---------------------------------------------------------------------------------------------------

TEST_CASE("service_profit_chain: the standard chain, nodes and composition", "[models][chain]") {
  const auto c = example_standard_chain();
  REQUIRE(c.links().size() == 8);
  for (std::size_t i = 0; i < 8; ++i) {
    CHECK(c.links()[i].from == chain_node(ethos::standard_chain_pairs[i].from));
    CHECK(c.links()[i].to == chain_node(ethos::standard_chain_pairs[i].to));
  }
  CHECK(c.links()[1].strength == link_strength{0.4, 0.0});
  CHECK(c.links()[1].lag == 2);
  const auto nodes = c.nodes();
  REQUIRE(nodes.size() == 8);
  for (std::size_t i = 0; i < 8; ++i) {
    CHECK(nodes[i] == chain_node(ethos::all<chain_stage>[i]));
  }
  CHECK(c.check().empty());

  // Composition: the union, a's links first.
  ethos::service_profit_chain levers;
  levers.add(building_block::voice_of_the_customer, chain_stage::external_service_value, {0.2, 0.05}, 1)
      .add(chain_node::measure("enps"), chain_stage::employee_retention, {0.1, 0.02});
  const auto both = c + levers;
  REQUIRE(both.links().size() == 10);
  CHECK(both.links()[8].from == chain_node(building_block::voice_of_the_customer));
  CHECK(both.links()[9].from == chain_node::measure("enps"));
  CHECK(both.contains(chain_node::measure("enps")));
  CHECK_FALSE(c.contains(chain_node::measure("enps")));
  REQUIRE(both.find(chain_stage::customer_loyalty, chain_stage::revenue_growth) != nullptr);
  CHECK(both.find(chain_stage::customer_loyalty, chain_stage::revenue_growth)->strength.estimate == 0.25);
  CHECK(both.find(chain_stage::revenue_growth, chain_stage::customer_loyalty) == nullptr);
  CHECK(both.check().empty());

  // A pair present in both is an error, each one named.
  ethos::service_profit_chain overlap{
      ethos::stage_link<chain_stage::customer_loyalty, chain_stage::revenue_growth>({0.3}, 1),
      ethos::stage_link<chain_stage::employee_satisfaction, chain_stage::employee_retention>({0.3}, 1),
      {building_block::service_recovery_and_guarantees, chain_stage::customer_loyalty, {0.1}, 0}};
  const std::string m = error_of([&] { (void)ethos::compose(c, overlap); });
  CHECK_THAT(m, Contains("composing service-profit chains: 2 problems"));
  CHECK_THAT(m, Contains("link customer_loyalty -> revenue_growth: is in both chains"));
  CHECK_THAT(m, Contains("link employee_satisfaction -> employee_retention: is in both chains"));
}

TEST_CASE("chain_monte_carlo: a link with degrees of freedom gives Student's t quantiles",
          "[models][chain][montecarlo]") {
  // A regression slope with 5 residual degrees of freedom: its draws follow b + se t(5), whose tails are wider than
  // the Normal's. Quantiles of t(5) from tables: 0.05 -> -2.015048, 0.25 -> -0.7266868.
  const double b = 0.5;
  const double se = 0.2;
  const ethos::service_profit_chain chain{
      {chain_node::measure("enps"), chain_stage::employee_retention, {b, se, 5.0}, 0}};
  const ethos::chain_monte_carlo_options opt{.simulation = {.periods = 1}, .draws = 40000, .seed = 77};
  const auto mc = ethos::chain_monte_carlo(chain, scenario_of({shock(chain_node::measure("enps"), 1.0, 0)}), opt);
  const auto& r = mc.at(chain_stage::employee_retention);
  const std::array<double, 5> t5{-2.015048, -0.7266868, 0.0, 0.7266868, 2.015048};
  // Quantile SE at p = 0.05: sqrt(p (1 - p) / n) / f(q) = 0.0011 / 0.0650 = 0.017 in t units; 5 SE is 0.085.
  for (std::size_t q = 0; q < 5; ++q) {
    CAPTURE(q);
    CHECK(r.quantiles[q][0] == Approx(b + se * t5[q]).margin(0.085 * se));
  }
  // The t(5) SD is sqrt(5 / 3) = 1.291: the draws are wider than Normal ones would be.
  CHECK(r.sd[0] == Approx(se * std::sqrt(5.0 / 3.0)).margin(0.05 * se));
  // Same seed, same bits, with t draws too.
  const auto again = ethos::chain_monte_carlo(chain, scenario_of({shock(chain_node::measure("enps"), 1.0, 0)}), opt);
  CHECK(again.at(chain_stage::employee_retention).quantiles == r.quantiles);
  // Degrees of freedom must be positive and finite.
  ethos::service_profit_chain bad{
      {chain_node::measure("enps"), chain_stage::employee_retention, {b, se, 0.0}, 0},
      {chain_stage::employee_retention, chain_stage::revenue_growth, {b, se, nan_value}, 0}};
  CHECK(has_problem(bad.check(), "link enps -> employee_retention",
                    "degrees of freedom 0 must be a finite number above 0"));
  CHECK(has_problem(bad.check(), "link employee_retention -> revenue_growth", "degrees of freedom nan must be"));
}

TEST_CASE("random_engine: gamma and Student's t draws have their textbook moments", "[models][chain][random]") {
  ethos::random_engine rng(99);
  for (const double shape : {0.5, 1.0, 2.5, 20.0}) {
    CAPTURE(shape);
    double sum = 0.0;
    double sum_sq = 0.0;
    int non_positive = 0;
    constexpr int n = 200000;
    for (int i = 0; i < n; ++i) {
      const double g = rng.gamma(shape);
      non_positive += g > 0.0 ? 0 : 1;
      sum += g;
      sum_sq += g * g;
    }
    CHECK(non_positive == 0);
    const double mean = sum / n;
    const double var = sum_sq / n - mean * mean;
    // Gamma(shape, 1): mean and variance both equal the shape; SE of the mean sqrt(shape / n).
    CHECK(mean == Approx(shape).margin(6.0 * std::sqrt(shape / n)));
    CHECK(var == Approx(shape).epsilon(0.03));
  }
  // t(10): variance 10 / 8.
  double sum_sq = 0.0;
  constexpr int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double t = rng.student_t(10.0);
    sum_sq += t * t;
  }
  CHECK(sum_sq / n == Approx(1.25).epsilon(0.03));
}

TEST_CASE("service_profit_chain: check lists every problem", "[models][chain][errors]") {
  SECTION("an empty chain") {
    const ethos::service_profit_chain empty;
    CHECK(has_problem(empty.check(), "service-profit chain", "has no links"));
    CHECK_THAT(error_of([&] { empty.validate(); }), Contains("service-profit chain: 1 problem"));
  }
  SECTION("bad numbers, self links, duplicates and cycles together") {
    ethos::service_profit_chain c;
    c.add(chain_stage::internal_service_quality, chain_stage::employee_satisfaction, {nan_value, 0.1})
        .add(chain_stage::employee_satisfaction, chain_stage::employee_retention, {0.5, -0.1})
        .add(chain_stage::employee_retention, chain_stage::external_service_value, {inf_value, inf_value})
        .add(chain_stage::customer_loyalty, chain_stage::customer_loyalty, {0.5})
        .add(chain_stage::employee_satisfaction, chain_stage::employee_retention, {0.6})
        .add(chain_stage::external_service_value, chain_stage::employee_satisfaction, {0.2}, 1)
        .add(static_cast<chain_stage>(42), chain_stage::revenue_growth, {0.1});
    const auto ps = c.check();
    CHECK(has_problem(ps, "link internal_service_quality -> employee_satisfaction", "estimate nan is not finite"));
    CHECK(has_problem(ps, "link employee_retention -> external_service_value", "estimate inf is not finite"));
    CHECK(has_problem(ps, "link employee_retention -> external_service_value", "standard error inf is not finite"));
    CHECK(has_problem(ps, "link customer_loyalty -> customer_loyalty", "links a node to itself"));
    CHECK(has_problem(ps, "link employee_satisfaction -> employee_retention", "is given twice (links #2 and #5)"));
    CHECK(has_problem(ps, "link #7", "the from node is not one of the eight chain stages"));
    CHECK(has_problem(ps, "service-profit chain",
                      "cycle employee_satisfaction -> employee_retention -> external_service_value -> "
                      "employee_satisfaction"));
    CHECK(ps.size() == 8);
    const std::string m = error_of([&] { c.validate(); });
    CHECK_THAT(m, Contains("service-profit chain: 8 problems"));
    CHECK_THAT(m, Contains("link employee_satisfaction -> employee_retention: standard error -0.1 is negative"));
  }
  SECTION("two separate cycles are both named") {
    ethos::service_profit_chain c{{chain_node::measure("a"), chain_node::measure("b"), {0.5}},
                                  {chain_node::measure("b"), chain_node::measure("a"), {0.5}},
                                  {chain_node::measure("c"), chain_node::measure("d"), {0.5}},
                                  {chain_node::measure("d"), chain_node::measure("c"), {0.5}}};
    const auto ps = c.check();
    CHECK(ps.size() == 2);
    CHECK(has_problem(ps, "service-profit chain", "cycle a -> b -> a"));
    CHECK(has_problem(ps, "service-profit chain", "cycle c -> d -> c"));
  }
  SECTION("the standard chain names each link left out") {
    const std::string m = error_of([] {
      (void)ethos::standard_service_profit_chain({.service_quality_to_employee_satisfaction = {link_strength{0.5}, 1},
                                                  .loyalty_to_revenue_growth = {link_strength{0.2}, 1}});
    });
    CHECK_THAT(m, Contains("standard service-profit chain: 6 problems"));
    CHECK_THAT(m, Contains("link employee_satisfaction -> employee_retention: no strength given (member "
                           "employee_satisfaction_to_retention)"));
    CHECK_THAT(m, Contains("link customer_satisfaction -> customer_loyalty: no strength given"));
  }
}

// ---- deterministic propagation -----------------------------------------------------------------------------------

TEST_CASE("simulate_chain: a straight chain carries the product of slopes after the sum of lags",
          "[models][chain][simulate]") {
  const double b1 = 0.5;
  const double b2 = 0.8;
  const double b3 = 0.4;
  const ethos::service_profit_chain c{
      ethos::stage_link<chain_stage::internal_service_quality, chain_stage::employee_satisfaction>({b1}, 1),
      ethos::stage_link<chain_stage::employee_satisfaction, chain_stage::employee_retention>({b2}, 2),
      ethos::stage_link<chain_stage::employee_retention, chain_stage::external_service_value>({b3}, 1)};
  const double change = 2.0;

  SECTION("a one-period shock appears once, at period 1 + 2 + 1") {
    const auto sim =
        ethos::simulate_chain(c, scenario_of({shock(chain_stage::internal_service_quality, change, 0)}), periods(7));
    CHECK(sim.periods == 7);
    CHECK(sim.scenario == "test");
    REQUIRE(sim.units == std::vector<std::string>{"organisation"});
    REQUIRE(sim.nodes.size() == 4);
    CHECK(sim.nodes[3].node == chain_node(chain_stage::external_service_value));
    require_path(sim.at(chain_stage::internal_service_quality).organisation, {{0, change}});
    require_path(sim.at(chain_stage::employee_satisfaction).organisation, {{1, change * b1}});
    require_path(sim.at(chain_stage::employee_retention).organisation, {{3, change * b1 * b2}});
    require_path(sim.at(chain_stage::external_service_value).organisation, {{4, change * b1 * b2 * b3}});
    // One unit: its path is the organisation's.
    CHECK(sim.at(chain_stage::external_service_value).by_unit.at(0) ==
          sim.at(chain_stage::external_service_value).organisation);
  }
  SECTION("a lasting change is a step from the sum of lags on") {
    const auto sim =
        ethos::simulate_chain(c, scenario_of({sustained(chain_stage::internal_service_quality, change)}), periods(7));
    const auto& esv = sim.at(chain_stage::external_service_value).organisation;
    for (std::size_t t = 0; t < 7; ++t) {
      CAPTURE(t);
      CHECK(esv[t] == Approx(t >= 4 ? change * b1 * b2 * b3 : 0.0).margin(1e-15));
    }
  }
  SECTION("a lag of 0 moves the target in the same period") {
    const ethos::service_profit_chain same{{chain_stage::customer_loyalty, chain_stage::revenue_growth, {0.3}, 0}};
    const auto sim =
        ethos::simulate_chain(same, scenario_of({shock(chain_stage::customer_loyalty, 1.0, 2)}), periods(4));
    require_path(sim.at(chain_stage::revenue_growth).organisation, {{2, 0.3}});
  }
  SECTION("no interventions: nothing moves") {
    const auto sim = ethos::simulate_chain(c, {}, periods(5));
    for (const auto& n : sim.nodes) {
      require_path(n.organisation, {});
    }
  }
}

TEST_CASE("simulate_chain: a diamond adds the products of both paths, each at its own lag",
          "[models][chain][simulate]") {
  const double a1 = 0.6; // satisfaction -> retention, lag 1
  const double a2 = 0.5; // retention -> service value, lag 2
  const double p1 = 0.4; // satisfaction -> productivity, lag 0
  const double p2 = 0.7; // productivity -> service value, lag 1
  const ethos::service_profit_chain c{
      ethos::stage_link<chain_stage::employee_satisfaction, chain_stage::employee_retention>({a1}, 1),
      ethos::stage_link<chain_stage::employee_retention, chain_stage::external_service_value>({a2}, 2),
      ethos::stage_link<chain_stage::employee_satisfaction, chain_stage::employee_productivity>({p1}, 0),
      ethos::stage_link<chain_stage::employee_productivity, chain_stage::external_service_value>({p2}, 1)};
  const double change = 1.5;
  SECTION("a shock arrives twice: through productivity at 0 + 1, through retention at 1 + 2") {
    const auto sim =
        ethos::simulate_chain(c, scenario_of({shock(chain_stage::employee_satisfaction, change, 0)}), periods(6));
    require_path(sim.at(chain_stage::external_service_value).organisation,
                 {{1, change * p1 * p2}, {3, change * a1 * a2}});
    require_path(sim.at(chain_stage::employee_productivity).organisation, {{0, change * p1}});
  }
  SECTION("a lasting change: the paths add up once both have arrived") {
    const auto sim =
        ethos::simulate_chain(c, scenario_of({sustained(chain_stage::employee_satisfaction, change)}), periods(6));
    const auto& esv = sim.at(chain_stage::external_service_value).organisation;
    CHECK(esv[0] == 0.0);
    CHECK(esv[1] == Approx(change * p1 * p2));
    CHECK(esv[2] == Approx(change * p1 * p2));
    for (std::size_t t = 3; t < 6; ++t) {
      CHECK(esv[t] == Approx(change * (a1 * a2 + p1 * p2)));
    }
  }
}

TEST_CASE("simulate_chain: an intervention lasts from its start to its end period, both included",
          "[models][chain][simulate]") {
  const double b = 0.5;
  const ethos::service_profit_chain c{
      {building_block::voice_of_the_customer, chain_stage::customer_satisfaction, {b}, 1}};
  ethos::chain_intervention iv{
      .node = building_block::voice_of_the_customer, .change = 0.3, .start_period = 2, .end_period = 4};
  const auto sim = ethos::simulate_chain(c, scenario_of({iv}), periods(8));
  require_path(sim.at(building_block::voice_of_the_customer).organisation, {{2, 0.3}, {3, 0.3}, {4, 0.3}});
  require_path(sim.at(chain_stage::customer_satisfaction).organisation, {{3, 0.3 * b}, {4, 0.3 * b}, {5, 0.3 * b}});

  // Two interventions on the same node add up where they overlap.
  ethos::chain_intervention later{.node = building_block::voice_of_the_customer, .change = 0.1, .start_period = 4};
  const auto both = ethos::simulate_chain(c, scenario_of({iv, later}), periods(8));
  require_path(both.at(building_block::voice_of_the_customer).organisation,
               {{2, 0.3}, {3, 0.3}, {4, 0.4}, {5, 0.1}, {6, 0.1}, {7, 0.1}});
}

TEST_CASE("simulate_chain: only the named units change, and the organisation change is their weighted mean",
          "[models][chain][simulate]") {
  const double b = 0.5;
  const ethos::service_profit_chain c{
      {building_block::voice_of_the_customer, chain_stage::customer_satisfaction, {b}, 1},
      {chain_stage::customer_satisfaction, chain_stage::customer_loyalty, {0.8}, 0}};
  const ethos::chain_simulation_options opt{.periods = 3, .units = {{"North", 100}, {"South", 300}, {"Lab", 0}}};
  const ethos::chain_scenario s{
      .name = "Listen more",
      .interventions = {{.node = building_block::voice_of_the_customer, .change = 0.4, .units = {"North", "lab"}},
                        {.node = building_block::voice_of_the_customer, .change = 0.2, .units = {" South "}}}};
  const auto sim = ethos::simulate_chain(c, s, opt);
  REQUIRE(sim.units == std::vector<std::string>{"North", "South", "Lab"});
  const auto& voc = sim.at(building_block::voice_of_the_customer);
  const auto& cs = sim.at(chain_stage::customer_satisfaction);
  const auto& loyalty = sim.at(chain_stage::customer_loyalty);
  REQUIRE(voc.by_unit.size() == 3);
  CHECK(voc.by_unit[0] == std::vector<double>{0.4, 0.4, 0.4});
  CHECK(voc.by_unit[1] == std::vector<double>{0.2, 0.2, 0.2});
  CHECK(voc.by_unit[2] == std::vector<double>{0.4, 0.4, 0.4}); // weight 0: still simulated, not counted
  const double org = (100 * 0.4 + 300 * 0.2 + 0 * 0.4) / 400.0;
  for (std::size_t t = 0; t < 3; ++t) {
    CHECK(voc.organisation[t] == Approx(org));
  }
  CHECK(cs.by_unit[0][0] == 0.0);
  CHECK(cs.by_unit[0][1] == Approx(0.4 * b));
  CHECK(cs.by_unit[1][2] == Approx(0.2 * b));
  CHECK(cs.organisation[1] == Approx(org * b));
  CHECK(loyalty.organisation[2] == Approx(org * b * 0.8));
  // The organisation path is the weighted mean of the unit paths, period by period.
  for (const auto& n : sim.nodes) {
    for (std::size_t t = 0; t < 3; ++t) {
      CHECK(n.organisation[t] == Approx((100 * n.by_unit[0][t] + 300 * n.by_unit[1][t]) / 400.0));
    }
  }

  // Only North: South and Lab stay at 0.
  const auto north = ethos::simulate_chain(
      c, scenario_of({{.node = building_block::voice_of_the_customer, .change = 1.0, .units = {"North"}}}), opt);
  CHECK(north.at(chain_stage::customer_loyalty).by_unit[1] == std::vector<double>{0.0, 0.0, 0.0});
  CHECK(north.at(chain_stage::customer_loyalty).by_unit[2] == std::vector<double>{0.0, 0.0, 0.0});
  CHECK(north.at(chain_stage::customer_loyalty).organisation[1] == Approx(1.0 * b * 0.8 * 100 / 400));
}

TEST_CASE("simulate_chain: an intervention on a mid-chain node moves only what lies downstream",
          "[models][chain][simulate]") {
  const auto c = example_standard_chain();
  const auto sim =
      ethos::simulate_chain(c, scenario_of({shock(chain_stage::external_service_value, 1.0, 0)}), periods(6));
  // The nodes come upstream first.
  REQUIRE(sim.nodes.size() == 8);
  for (std::size_t i = 0; i < 8; ++i) {
    CHECK(sim.nodes[i].node == chain_node(ethos::all<chain_stage>[i]));
  }
  for (const auto s : {chain_stage::internal_service_quality, chain_stage::employee_satisfaction,
                       chain_stage::employee_retention, chain_stage::employee_productivity}) {
    require_path(sim.at(s).organisation, {});
  }
  // Service value -> satisfaction 0.8 (lag 1) -> loyalty 0.9 (lag 2) -> revenue 0.25 (lag 1).
  require_path(sim.at(chain_stage::external_service_value).organisation, {{0, 1.0}});
  require_path(sim.at(chain_stage::customer_satisfaction).organisation, {{1, 0.8}});
  require_path(sim.at(chain_stage::customer_loyalty).organisation, {{3, 0.8 * 0.9}});
  require_path(sim.at(chain_stage::revenue_growth).organisation, {{4, 0.8 * 0.9 * 0.25}});

  // From the top of the chain, both employee paths reach revenue: 0.5 (1) then 0.4 (2) * 0.6 (1) or 0.3 (1) * 0.7
  // (0), then 0.8 (1) * 0.9 (2) * 0.25 (1).
  const auto top =
      ethos::simulate_chain(c, scenario_of({shock(chain_stage::internal_service_quality, 1.0, 0)}), periods(12));
  const double tail = 0.8 * 0.9 * 0.25;
  require_path(top.at(chain_stage::revenue_growth).organisation,
               {{1 + 2 + 1 + 4, 0.5 * 0.4 * 0.6 * tail}, {1 + 1 + 0 + 4, 0.5 * 0.3 * 0.7 * tail}});
  CHECK_THAT(error_of([&] { (void)top.at(chain_node::measure("enps")); }), Contains("enps is not a node of the chain"));
}

// ---- Monte Carlo -------------------------------------------------------------------------------------------------

TEST_CASE("chain_quantile_type7: R's default quantile on a small sample", "[models][chain][montecarlo]") {
  // R: quantile(c(1, 2, 4, 7), c(0, 0.25, 0.5, 0.9, 1)) gives 1, 1.75, 3, 6.1, 7; h = (n - 1) p.
  const std::vector<double> xs{1, 2, 4, 7};
  using ethos::detail::chain_quantile_type7;
  CHECK(chain_quantile_type7(xs, 0.0) == 1.0);
  CHECK(chain_quantile_type7(xs, 0.25) == Approx(1.0 + 0.75 * (2.0 - 1.0))); // h = 0.75
  CHECK(chain_quantile_type7(xs, 0.5) == Approx(2.0 + 0.5 * (4.0 - 2.0)));   // h = 1.5
  CHECK(chain_quantile_type7(xs, 0.9) == Approx(4.0 + 0.7 * (7.0 - 4.0)));   // h = 2.7
  CHECK(chain_quantile_type7(xs, 1.0) == 7.0);
  CHECK(chain_quantile_type7(std::vector<double>{5.0}, 0.3) == 5.0);
  CHECK(chain_quantile_type7(std::vector<double>{0.1, 0.1, 0.1}, 0.37) == 0.1);
}

TEST_CASE("chain_monte_carlo: reproducible bits, seed-dependent, collapsing to the path when nothing is uncertain",
          "[models][chain][montecarlo]") {
  auto c = ethos::service_profit_chain{
      {building_block::voice_of_the_customer, chain_stage::external_service_value, {0.3, 0.1}, 1},
      {chain_stage::external_service_value, chain_stage::customer_satisfaction, {0.7, 0.2}, 1},
      {chain_stage::customer_satisfaction, chain_stage::customer_loyalty, {0.5, 0.05}, 0}};
  const auto s = scenario_of({sustained(building_block::voice_of_the_customer, 0.5, 1)});
  ethos::chain_monte_carlo_options opt{.simulation = {.periods = 5}, .draws = 500, .seed = 11};

  const auto a = ethos::chain_monte_carlo(c, s, opt);
  const auto b = ethos::chain_monte_carlo(c, s, opt);
  CHECK(same_bits(a, b));
  CHECK(a.draws == 500);
  CHECK(a.seed == 11);
  CHECK(a.quantile_levels == std::vector<double>{0.05, 0.25, 0.5, 0.75, 0.95});
  REQUIRE(a.nodes.size() == 4);
  CHECK(a.at(chain_stage::customer_loyalty).quantiles.size() == 5);

  opt.seed = 12;
  const auto other = ethos::chain_monte_carlo(c, s, opt);
  CHECK_FALSE(same_bits(a, other));
  CHECK(other.at(chain_stage::customer_loyalty).mean[4] != a.at(chain_stage::customer_loyalty).mean[4]);
  // The estimates do not depend on the seed.
  CHECK(same_bits(other.at(chain_stage::customer_loyalty).at_estimates,
                  a.at(chain_stage::customer_loyalty).at_estimates));

  // Standard errors 0: every quantile and the mean are the deterministic path, exactly; the SD is 0.
  ethos::service_profit_chain exact;
  for (auto l : c.links()) {
    l.strength.standard_error = 0.0;
    exact.add(l);
  }
  const auto sim = ethos::simulate_chain(exact, s, opt.simulation);
  const auto mc = ethos::chain_monte_carlo(exact, s, opt);
  for (const auto& path : sim.nodes) {
    CAPTURE(path.node.key());
    const auto& bands = mc.at(path.node);
    CHECK(bands.at_estimates == path.organisation);
    CHECK(bands.mean == path.organisation);
    CHECK(bands.sd == std::vector<double>(5, 0.0));
    for (const auto& q : bands.quantiles) {
      CHECK(q == path.organisation);
    }
  }
}

TEST_CASE("chain_monte_carlo: a single uncertain link gives normal quantiles around c b",
          "[models][chain][montecarlo]") {
  const double b = 0.5;
  const double se = 0.2;
  const double c = 2.0;
  const ethos::service_profit_chain chain{{chain_node::measure("enps"), chain_stage::employee_retention, {b, se}, 2}};
  const ethos::chain_monte_carlo_options opt{.simulation = {.periods = 4}, .draws = 20000, .seed = 2024};
  const auto mc = ethos::chain_monte_carlo(chain, scenario_of({shock(chain_node::measure("enps"), c, 0)}), opt);
  const auto& r = mc.at(chain_stage::employee_retention);
  // At the lag the target is c (b + se Z): quantile p is c (b + se z_p). With 20000 draws the SE of a quantile is
  // at most c se sqrt(p (1 - p) / n) / phi(z_p) = 0.015 c se (p = 0.05), so 0.08 c se is about 5 SE.
  const double tol = 0.08 * c * se;
  const std::array<double, 5> z{z05, z25, 0.0, z75, z95};
  for (std::size_t q = 0; q < 5; ++q) {
    CAPTURE(q);
    CHECK(r.quantiles[q][2] == Approx(c * (b + se * z[q])).margin(tol));
  }
  CHECK(r.mean[2] == Approx(c * b).margin(0.03 * c * se)); // SE c se / sqrt(n) = 0.007 c se
  CHECK(r.sd[2] == Approx(c * se).margin(0.03 * c * se));  // SE c se / sqrt(2 n) = 0.005 c se
  CHECK(r.at_estimates[2] == c * b);
  // Before the lag and after the shock has passed, nothing moves in any draw.
  for (const std::size_t t : {std::size_t{0}, std::size_t{1}, std::size_t{3}}) {
    CAPTURE(t);
    CHECK(r.mean[t] == 0.0);
    CHECK(r.sd[t] == 0.0);
    for (const auto& q : r.quantiles) {
      CHECK(q[t] == 0.0);
    }
  }
}

TEST_CASE("chain_monte_carlo: draw d takes its strengths from stream(seed, d), link by link",
          "[models][chain][montecarlo]") {
  // Two links; with two draws and levels 0 and 1, the quantiles are the smaller and larger draw, and the median
  // their mean.
  const double b1 = 0.5;
  const double s1 = 0.1;
  const double b2 = 0.8;
  const double s2 = 0.3;
  const ethos::service_profit_chain chain{
      {chain_stage::customer_satisfaction, chain_stage::customer_loyalty, {b1, s1}, 0},
      {chain_stage::customer_loyalty, chain_stage::revenue_growth, {b2, s2}, 0}};
  const std::uint64_t seed = 77;
  const ethos::chain_monte_carlo_options opt{
      .simulation = {.periods = 1}, .draws = 2, .seed = seed, .quantile_levels = {0.0, 0.5, 1.0}};
  const auto mc =
      ethos::chain_monte_carlo(chain, scenario_of({shock(chain_stage::customer_satisfaction, 1.0, 0)}), opt);
  std::array<double, 2> revenue{};
  for (std::uint64_t d = 0; d < 2; ++d) {
    auto rng = ethos::random_engine::stream(seed, d);
    const double z1 = rng.normal();
    const double z2 = rng.normal();
    revenue[d] = (b1 + s1 * z1) * (b2 + s2 * z2);
  }
  const auto& r = mc.at(chain_stage::revenue_growth);
  CHECK(r.quantiles[0][0] == Approx(std::min(revenue[0], revenue[1])).epsilon(1e-12));
  CHECK(r.quantiles[2][0] == Approx(std::max(revenue[0], revenue[1])).epsilon(1e-12));
  CHECK(r.quantiles[1][0] == Approx((revenue[0] + revenue[1]) / 2).epsilon(1e-12));
  CHECK(r.mean[0] == Approx((revenue[0] + revenue[1]) / 2).epsilon(1e-12));
  CHECK(r.sd[0] == Approx(std::fabs(revenue[0] - revenue[1]) / std::sqrt(2.0)).epsilon(1e-12));
}

// ---- errors of simulations ---------------------------------------------------------------------------------------

TEST_CASE("simulate_chain: every problem of the scenario and the options is named", "[models][chain][errors]") {
  const ethos::service_profit_chain c{
      {chain_node::measure("enps"), chain_stage::employee_retention, {0.3}, 1},
      ethos::stage_link<chain_stage::employee_satisfaction, chain_stage::employee_retention>({0.4}, 4)};
  const ethos::chain_simulation_options opt{.periods = 3, .units = {{"North", 1}, {"South", 2}}};

  SECTION("a lag longer than the horizon") {
    const std::string m = error_of([&] { (void)ethos::simulate_chain(c, {}, opt); });
    CHECK_THAT(m, Contains("service-profit chain simulation: 1 problem"));
    CHECK_THAT(m, Contains("link employee_satisfaction -> employee_retention: has a lag of 4 periods but only 3 "
                           "periods are simulated"));
    const ethos::service_profit_chain one{{chain_stage::customer_loyalty, chain_stage::revenue_growth, {0.3}, 1}};
    CHECK_THAT(error_of([&] { (void)ethos::simulate_chain(one, {}, periods(1)); }),
               Contains("has a lag of 1 period but only 1 period is simulated"));
  }
  SECTION("interventions") {
    const ethos::chain_simulation_options ok{.periods = 5, .units = opt.units};
    const ethos::chain_scenario s{
        .name = "Everything wrong",
        .interventions = {
            {.node = chain_node::measure("enpss"), .change = 0.1},
            {.node = building_block::voice_of_the_customer, .change = 0.1},
            {.node = chain_stage::employee_satisfaction, .change = nan_value},
            {.node = chain_stage::employee_satisfaction, .change = 0.1, .start_period = 5},
            {.node = chain_stage::employee_satisfaction, .change = 0.1, .start_period = 3, .end_period = 2},
            {.node = chain_stage::employee_satisfaction, .change = 0.1, .units = {"Nroth", "Sales"}},
            {.node = chain_stage::employee_satisfaction, .change = 0.1, .units = {"North", "north"}},
        }};
    const auto ps = problems_of([&] { (void)ethos::simulate_chain(c, s, ok); });
    CHECK(ps.size() == 8);
    CHECK(has_problem(ps, "intervention #1 on enpss", "enpss is not a node of the chain (did you mean enps?)"));
    CHECK(has_problem(ps, "intervention #2 on voice_of_the_customer", "voice_of_the_customer is not a node"));
    CHECK(has_problem(ps, "intervention #3", "change nan is not finite"));
    CHECK(has_problem(ps, "intervention #4", "starts in period 5 but only 5 periods are simulated (0..4)"));
    CHECK(has_problem(ps, "intervention #5", "ends in period 2, before it starts (period 3)"));
    CHECK(has_problem(ps, "intervention #6", "unknown unit 'Nroth' (did you mean 'North'?)"));
    CHECK(has_problem(ps, "intervention #6", "unknown unit 'Sales'"));
    CHECK(has_problem(ps, "intervention #7", "names unit 'North' twice"));
    CHECK_THAT(error_of([&] { (void)ethos::simulate_chain(c, s, ok); }),
               Contains("service-profit chain simulation of scenario 'Everything wrong': 8 problems"));
  }
  SECTION("units and periods") {
    const ethos::service_profit_chain short_lags{{chain_node::measure("enps"), chain_stage::employee_retention, {0.3}}};
    const auto dup = problems_of([&] {
      (void)ethos::simulate_chain(
          short_lags, {}, {.periods = 2, .units = {{"North", 1}, {"north ", 1}, {"West", -1}, {"East", nan_value}}});
    });
    CHECK(has_problem(dup, "unit #2 'north '", "duplicates unit #1 'North'"));
    CHECK(has_problem(dup, "unit #3 'West'", "weight -1 is negative"));
    CHECK(has_problem(dup, "unit #4 'East'", "weight nan is not finite"));
    CHECK(dup.size() == 3);
    CHECK(has_problem(problems_of([&] {
                        (void)ethos::simulate_chain(short_lags, {}, {.periods = 2, .units = {{"A", 0}, {"B", 0}}});
                      }),
                      "units", "every weight is 0"));
    CHECK(has_problem(problems_of([&] { (void)ethos::simulate_chain(short_lags, {}, {.periods = 2, .units = {}}); }),
                      "options", "no units"));
    const auto zero = problems_of([&] { (void)ethos::simulate_chain(c, {}, periods(0)); });
    CHECK(zero.size() == 1); // no lag is reported against a horizon of 0
    CHECK(has_problem(zero, "options", "periods is 0; simulate at least 1 period"));
  }
  SECTION("the chain's own problems, an empty chain among them") {
    CHECK_THAT(error_of([] { (void)ethos::simulate_chain(ethos::service_profit_chain{}, {}); }),
               Contains("service-profit chain simulation: 1 problem\n  service-profit chain: has no links"));
    const ethos::service_profit_chain bad{{chain_stage::customer_loyalty, chain_stage::revenue_growth, {0.3, -0.1}}};
    CHECK_THAT(error_of([&] { (void)ethos::simulate_chain(bad, {}); }),
               Contains("link customer_loyalty -> revenue_growth: standard error -0.1 is negative"));
  }
  SECTION("a change too large to represent") {
    const ethos::service_profit_chain huge{{chain_stage::customer_loyalty, chain_stage::revenue_growth, {1e200}}};
    CHECK_THAT(error_of([&] {
                 (void)ethos::simulate_chain(huge, scenario_of({shock(chain_stage::customer_loyalty, 1e200, 0)}),
                                             periods(2));
               }),
               Contains("the change of revenue_growth in period 0 is inf"));
  }
}

TEST_CASE("chain_monte_carlo: draws and quantile levels are checked with the rest", "[models][chain][errors]") {
  const ethos::service_profit_chain c{{chain_stage::customer_loyalty, chain_stage::revenue_growth, {0.3, 0.1}, 5}};
  const ethos::chain_monte_carlo_options opt{
      .simulation = {.periods = 3}, .draws = 1, .quantile_levels = {0.5, 0.25, 1.5, nan_value, -0.1}};
  const auto ps = problems_of([&] { (void)ethos::chain_monte_carlo(c, {}, opt); });
  CHECK(ps.size() == 6);
  CHECK(has_problem(ps, "link customer_loyalty -> revenue_growth", "has a lag of 5 periods but only 3 periods"));
  CHECK(has_problem(ps, "options", "draws is 1; at least 2 are needed"));
  CHECK(has_problem(ps, "quantile level #2", "0.25 is not above the level before it, 0.5"));
  CHECK(has_problem(ps, "quantile level #3", "1.5 is outside [0, 1]"));
  CHECK(has_problem(ps, "quantile level #4", "nan is not finite"));
  CHECK(has_problem(ps, "quantile level #5", "-0.1 is outside [0, 1]"));
  CHECK_THAT(error_of([&] { (void)ethos::chain_monte_carlo(c, {}, opt); }),
             Contains("service-profit chain Monte Carlo: 6 problems"));

  // A drawn path that overflows is reported with its draw.
  const ethos::service_profit_chain huge{{chain_stage::customer_loyalty, chain_stage::revenue_growth, {1.0, 1e300}}};
  CHECK_THAT(error_of([&] {
               (void)ethos::chain_monte_carlo(huge, scenario_of({shock(chain_stage::customer_loyalty, 1e300, 0)}),
                                              {.simulation = {.periods = 1}, .draws = 10});
             }),
             Contains("draw 0: the change of revenue_growth in period 0 is"));
}
