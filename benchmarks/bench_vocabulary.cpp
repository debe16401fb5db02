// Benchmarks of the vocabulary lookups that every parser and report goes through.
#include <ethos/framework.hpp>

#include <benchmark/benchmark.h>

#include <array>
#include <string_view>

namespace {

constexpr std::array<std::string_view, 6> labels{"  Voice of the Customer", "service_benchmarking ",
                                                 "SERVICE ROLE MODELING",   "common service language",
                                                 "New Staff Orientation\t", "not a building block"};

void bm_from_string_building_block(benchmark::State& state) {
  std::size_t hits = 0;
  for (auto _ : state) {
    for (auto s : labels) {
      hits += ethos::from_string<ethos::building_block>(s).has_value() ? 1U : 0U;
    }
    benchmark::DoNotOptimize(hits);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<benchmark::IterationCount>(labels.size()));
}
BENCHMARK(bm_from_string_building_block);

void bm_to_string_building_block(benchmark::State& state) {
  std::size_t total = 0;
  for (auto _ : state) {
    for (auto b : ethos::all<ethos::building_block>) {
      benchmark::DoNotOptimize(b);
      total += ethos::to_string(b).size();
    }
    benchmark::DoNotOptimize(total);
  }
  state.SetItemsProcessed(state.iterations() * 12);
}
BENCHMARK(bm_to_string_building_block);

} // namespace
