// Benchmarks of the scoring engine: the bundled 48-item audit (plus eNPS and six-level items) on 1M respondents.
#include <ethos/measure.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <vector>

namespace {

// A synthetic survey with about 3% missing answers, built once and shared by the cases.
const ethos::response_matrix& survey(std::size_t rows) {
  static std::size_t built_rows = 0;
  static ethos::response_matrix m;
  if (built_rows != rows) {
    const ethos::instrument_view v = ethos::instruments::service_culture_audit;
    std::vector<std::string> ids;
    for (const auto& it : v.items) {
      ids.emplace_back(it.id);
    }
    m = ethos::response_matrix(ids);
    m.reserve(rows);
    std::mt19937_64 rng(20261122);
    std::vector<std::uint8_t> row(v.items.size());
    for (std::size_t r = 0; r < rows; ++r) {
      const auto mood = static_cast<int>(rng() % 3); // respondents differ, so constructs correlate
      for (std::size_t j = 0; j < row.size(); ++j) {
        const auto [lo, hi] = v.answer_range(v.items[j]);
        const auto span = static_cast<std::uint64_t>(hi - lo + 1);
        const int x = std::min(hi, lo + mood + static_cast<int>(rng() % span) / 2);
        row[j] = rng() % 32 == 0 ? ethos::response_matrix::missing : static_cast<std::uint8_t>(x);
      }
      m.append_row("", {}, 0, row);
    }
    built_rows = rows;
  }
  return m;
}

void bm_score_audit(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  const auto& m = survey(rows);
  const ethos::scorer s(ethos::instruments::service_culture_audit, m);
  for (auto _ : state) {
    auto result = s.run();
    benchmark::DoNotOptimize(result.constructs.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<benchmark::IterationCount>(rows));
  state.counters["answers/s"] = benchmark::Counter(
      static_cast<double>(rows * m.columns()) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(bm_score_audit)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

// The floor: one pass summing every byte of the same matrix.
void bm_byte_sum(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  const auto& m = survey(rows);
  for (auto _ : state) {
    std::uint64_t total = 0;
    for (std::size_t j = 0; j < m.columns(); ++j) {
      for (const auto x : m.column(j)) {
        total += x;
      }
    }
    benchmark::DoNotOptimize(total);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<benchmark::IterationCount>(rows));
}
BENCHMARK(bm_byte_sum)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

} // namespace
