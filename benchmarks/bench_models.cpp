// Research models: a linkage fit (OLS by QR), pooled lagged fits over waves, chain scenarios (deterministic and
// Monte Carlo) and momentum calibration.
#include <ethos/models/chain.hpp>
#include <ethos/models/linkage.hpp>
#include <ethos/models/momentum.hpp>
#include <ethos/models/random.hpp>

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace {

ethos::regression_data linkage_data(std::size_t units, std::size_t predictors) {
  ethos::random_engine rng(11);
  ethos::regression_data d;
  d.outcome = "csat";
  d.x.resize(predictors);
  for (std::size_t j = 0; j < predictors; ++j) {
    d.predictors.push_back("x" + std::to_string(j + 1));
  }
  for (std::size_t u = 0; u < units; ++u) {
    const double common = rng.normal();
    double y = 60.0;
    for (std::size_t j = 0; j < predictors; ++j) {
      const double x = 3.5 + 0.3 * common + 0.3 * rng.normal();
      d.x[j].push_back(x);
      y += static_cast<double>(j % 3) * x;
    }
    d.y.push_back(y + 2.0 * rng.normal());
    d.ids.push_back("u" + std::to_string(u));
  }
  return d;
}

void bm_fit_ols(benchmark::State& state) {
  const auto d = linkage_data(static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(ethos::fit_ols(d));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(bm_fit_ols)->Args({50, 3})->Args({500, 8})->Args({20000, 8});

// Three waves of 200 units in unit tables, fitted lagged and pooled (the join by unit id included).
void bm_fit_linkage_lagged(benchmark::State& state) {
  ethos::random_engine rng(12);
  std::vector<ethos::linkage_wave> waves;
  std::vector<std::string> ids;
  for (std::size_t u = 0; u < 200; ++u) {
    ids.push_back("unit-" + std::to_string(u));
  }
  for (int w = 0; w < 3; ++w) {
    ethos::unit_table t(ids);
    for (const char* name : {"voice_of_the_customer", "service_recovery_and_guarantees", "csat"}) {
      std::vector<std::optional<double>> v;
      for (std::size_t u = 0; u < ids.size(); ++u) {
        v.emplace_back(3.5 + rng.normal());
      }
      t.add_column(name, std::move(v));
    }
    waves.push_back({std::to_string(2024 + w), std::move(t)});
  }
  const ethos::linkage_model model{
      .outcome = "csat", .predictors = {"voice_of_the_customer", "service_recovery_and_guarantees"}, .lag = 1};
  for (auto _ : state) {
    benchmark::DoNotOptimize(ethos::fit_linkage(waves, model));
  }
}
BENCHMARK(bm_fit_linkage_lagged);

ethos::service_profit_chain heskett_chain() {
  using ethos::chain_stage;
  const ethos::standard_chain_link link{ethos::link_strength{0.5, 0.1}, 1};
  ethos::service_profit_chain c =
      ethos::standard_service_profit_chain({link, link, link, link, link, link, link, link});
  c.add(ethos::building_block::voice_of_the_customer, chain_stage::internal_service_quality, {0.4, 0.1}, 1);
  return c;
}

ethos::chain_scenario voc_scenario(std::size_t units) {
  ethos::chain_intervention i;
  i.node = ethos::building_block::voice_of_the_customer;
  i.change = 0.3;
  for (std::size_t u = 0; u < units; u += 4) {
    i.units.push_back("unit-" + std::to_string(u));
  }
  return {.name = "voc", .interventions = {i}};
}

std::vector<ethos::chain_unit> chain_units(std::size_t n) {
  std::vector<ethos::chain_unit> out;
  for (std::size_t u = 0; u < n; ++u) {
    out.push_back({"unit-" + std::to_string(u), 1.0 + static_cast<double>(u % 7)});
  }
  return out;
}

void bm_simulate_chain(benchmark::State& state) {
  const auto units = static_cast<std::size_t>(state.range(0));
  const auto chain = heskett_chain();
  const auto scenario = voc_scenario(units);
  const ethos::chain_simulation_options o{.periods = 12, .units = chain_units(units)};
  for (auto _ : state) {
    benchmark::DoNotOptimize(ethos::simulate_chain(chain, scenario, o));
  }
}
BENCHMARK(bm_simulate_chain)->Arg(1)->Arg(200);

// The default 10,000 draws over 12 periods of the nine-node Heskett chain (plus Voice of the Customer).
void bm_chain_monte_carlo(benchmark::State& state) {
  const auto units = static_cast<std::size_t>(state.range(0));
  const auto chain = heskett_chain();
  const auto scenario = voc_scenario(units);
  ethos::chain_monte_carlo_options o;
  o.simulation = {.periods = 12, .units = chain_units(units)};
  o.draws = 10000;
  o.seed = 2026;
  for (auto _ : state) {
    benchmark::DoNotOptimize(ethos::chain_monte_carlo(chain, scenario, o));
  }
  state.SetItemsProcessed(state.iterations() * 10000);
}
BENCHMARK(bm_chain_monte_carlo)->Arg(1)->Arg(48)->Unit(benchmark::kMillisecond);

void bm_simulate_momentum(benchmark::State& state) {
  const std::vector<double> r(static_cast<std::size_t>(state.range(0)), 0.6);
  const ethos::momentum_model m{
      .params = {.decay_rate = 0.3, .reinforcement_rate = 0.2}, .baseline = 3.0, .initial_lift = 0.8};
  for (auto _ : state) {
    benchmark::DoNotOptimize(ethos::simulate_momentum(m, r));
  }
}
BENCHMARK(bm_simulate_momentum)->Arg(12)->Arg(1000);

// Calibration: 200 units x 4 waves (600 intervals), unequal spacing, noisy levels.
void bm_fit_momentum(benchmark::State& state) {
  ethos::random_engine rng(13);
  const ethos::momentum_params p{.decay_rate = 0.3, .reinforcement_rate = 0.2};
  std::vector<ethos::momentum_series> series;
  for (std::size_t u = 0; u < 200; ++u) {
    ethos::momentum_series s;
    s.unit = "unit-" + std::to_string(u);
    s.baseline = 3.0;
    const double r = rng.uniform();
    double x = 0.8;
    double t = 0.0;
    for (const double at : {0.0, 2.0, 4.0, 8.0}) {
      x = ethos::momentum_advance(p, x, r, at - t);
      t = at;
      s.waves.push_back({.time = at, .level = 3.0 + x + 0.02 * rng.normal(), .reinforcement = r});
    }
    series.push_back(std::move(s));
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(ethos::fit_momentum(series));
  }
}
BENCHMARK(bm_fit_momentum)->Unit(benchmark::kMicrosecond);

} // namespace
