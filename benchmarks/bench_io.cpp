// Benchmarks of input and reporting: reading a responses CSV into a matrix, and a whole grouped assessment
// (scores, reliability, agreement, groups) with its JSON and text reports.
#include <ethos/io/csv.hpp>
#include <ethos/io/json.hpp>
#include <ethos/measure.hpp>
#include <ethos/org/assessment.hpp>
#include <ethos/report/text.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <sstream>
#include <string>

namespace {

// A CSV of `rows` respondents in 200 teams answering the bundled audit, about 3% of answers missing.
const std::string& survey_csv(std::size_t rows) {
  static std::size_t built_rows = 0;
  static std::string text;
  if (built_rows != rows) {
    const ethos::instrument_view v = ethos::instruments::service_culture_audit;
    std::string out = "id,team";
    for (const auto& it : v.items) {
      out += ',';
      out += it.id;
    }
    out += '\n';
    std::mt19937_64 rng(20261122);
    for (std::size_t r = 0; r < rows; ++r) {
      const auto mood = static_cast<int>(rng() % 3);
      out += 'r' + std::to_string(r) + ",team " + std::to_string(rng() % 200);
      for (const auto& it : v.items) {
        out += ',';
        if (rng() % 32 == 0) {
          continue;
        }
        const auto [lo, hi] = v.answer_range(it);
        const auto span = static_cast<std::uint64_t>(hi - lo + 1);
        out += std::to_string(std::min(hi, lo + mood + static_cast<int>(rng() % span) / 2));
      }
      out += '\n';
    }
    text = std::move(out);
    built_rows = rows;
  }
  return text;
}

void bm_read_responses_csv(benchmark::State& state) {
  const auto& text = survey_csv(static_cast<std::size_t>(state.range(0)));
  const ethos::instrument_view v = ethos::instruments::service_culture_audit;
  for (auto _ : state) {
    std::istringstream in(text);
    auto result = ethos::read_responses(in, "bench.csv", v);
    benchmark::DoNotOptimize(result.matrix.rows());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(bm_read_responses_csv)->Arg(100'000)->Unit(benchmark::kMillisecond);

void bm_assess_grouped(benchmark::State& state) {
  const auto& text = survey_csv(static_cast<std::size_t>(state.range(0)));
  const ethos::instrument_view v = ethos::instruments::service_culture_audit;
  std::istringstream in(text);
  const auto input = ethos::read_responses(in, "bench.csv", v);
  ethos::assessment_options o;
  o.group_by = "team";
  for (auto _ : state) {
    auto a = ethos::assess(v, input.matrix, o);
    benchmark::DoNotOptimize(a.groups.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(bm_assess_grouped)->Arg(100'000)->Unit(benchmark::kMillisecond);

void bm_reports(benchmark::State& state) {
  const auto& text = survey_csv(100'000);
  const ethos::instrument_view v = ethos::instruments::service_culture_audit;
  std::istringstream in(text);
  const auto input = ethos::read_responses(in, "bench.csv", v);
  ethos::assessment_options o;
  o.group_by = "team";
  const auto a = ethos::assess(v, input.matrix, o);
  for (auto _ : state) {
    auto json = ethos::results_to_json_string(ethos::unaudited(a));
    auto report = ethos::text_report(ethos::unaudited(a));
    benchmark::DoNotOptimize(json.data());
    benchmark::DoNotOptimize(report.data());
  }
}
BENCHMARK(bm_reports)->Unit(benchmark::kMillisecond);

} // namespace
