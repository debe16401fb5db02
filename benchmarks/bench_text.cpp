// Benchmarks of the text helpers that every label lookup and parser goes through.
#include <ethos/detail/text.hpp>

#include <benchmark/benchmark.h>

#include <array>
#include <string_view>

namespace {

constexpr std::array<std::string_view, 6> labels{"  Criminal", "Basic ",       "EXPECTED",
                                                 "desired",    "Surprising\t", "Unbelievable"};

void bm_trim_iequals(benchmark::State& state) {
  std::size_t hits = 0;
  for (auto _ : state) {
    for (auto s : labels) {
      hits += ethos::detail::iequals(ethos::detail::trim(s), "expected") ? 1U : 0U;
    }
    benchmark::DoNotOptimize(hits);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<benchmark::IterationCount>(labels.size()));
}
BENCHMARK(bm_trim_iequals);

} // namespace
