// Benchmarks of the statistics pass: 1M respondents x 48 items (12 constructs of 4), 20,000 groups:
// accumulate, then every reliability, rwg(j)/awg/AD per group and ICC; against a plain byte sum.
#include <ethos/stats/accumulator.hpp>
#include <ethos/stats/agreement.hpp>
#include <ethos/stats/reliability.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <thread>
#include <vector>

namespace {

constexpr std::size_t constructs = 12;
constexpr std::size_t items_per_construct = 4;
constexpr std::size_t group_count = 20'000;

struct survey_data {
  std::size_t rows = 0;
  std::vector<std::vector<std::uint8_t>> columns; // 48 columns
  std::vector<std::uint32_t> groups;
};

const survey_data& survey(std::size_t rows) {
  static survey_data d;
  if (d.rows != rows) {
    d.rows = rows;
    d.columns.assign(constructs * items_per_construct, std::vector<std::uint8_t>(rows));
    d.groups.resize(rows);
    std::mt19937_64 rng(7);
    for (std::size_t r = 0; r < rows; ++r) {
      d.groups[r] = static_cast<std::uint32_t>(rng() % group_count);
      const auto mood = static_cast<int>(rng() % 3);
      for (auto& c : d.columns) {
        const int x = std::min(5, 1 + mood + static_cast<int>(rng() % 5) / 2);
        c[r] = rng() % 32 == 0 ? std::uint8_t{0xFF} : static_cast<std::uint8_t>(x);
      }
    }
  }
  return d;
}

ethos::likert_config config(std::size_t c) {
  ethos::likert_config cfg(items_per_construct, 1, 5, group_count);
  cfg.reverse = {false, false, c % 2 == 0, false};
  return cfg;
}

void accumulate(const survey_data& d, std::vector<ethos::likert_accumulator>& acc, std::size_t first,
                std::size_t last) {
  for (std::size_t c = 0; c < constructs; ++c) {
    std::array<const std::uint8_t*, items_per_construct> cols{};
    for (std::size_t i = 0; i < items_per_construct; ++i) {
      cols[i] = d.columns[c * items_per_construct + i].data() + first;
    }
    acc[c].add(cols, last - first, std::span<const std::uint32_t>(d.groups).subspan(first, last - first));
  }
}

double analyse(const std::vector<ethos::likert_accumulator>& acc) {
  double sink = 0;
  for (const auto& a : acc) {
    sink += ethos::reliability(a).alpha.value_or(0);
    const auto agree = ethos::agreement(a);
    sink += agree[0].rwg_j.value_or(0);
    sink += ethos::icc(a).icc1.value_or(0);
  }
  return sink;
}

void bm_stats_pass(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  const auto threads = static_cast<std::size_t>(state.range(1));
  const auto& d = survey(rows);
  for (auto _ : state) {
    // One set of accumulators per thread over its own rows, merged afterwards: exact whatever the split.
    std::vector<std::vector<ethos::likert_accumulator>> shards(threads);
    for (auto& s : shards) {
      for (std::size_t c = 0; c < constructs; ++c) {
        s.emplace_back(config(c));
      }
    }
    std::vector<std::thread> pool;
    for (std::size_t t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] { accumulate(d, shards[t], rows * t / threads, rows * (t + 1) / threads); });
    }
    for (auto& th : pool) {
      th.join();
    }
    for (std::size_t t = 1; t < threads; ++t) {
      for (std::size_t c = 0; c < constructs; ++c) {
        shards[0][c].merge(shards[t][c]);
      }
    }
    benchmark::DoNotOptimize(analyse(shards[0]));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<benchmark::IterationCount>(rows));
}
BENCHMARK(bm_stats_pass)
    ->Args({1'000'000, 1})
    ->Args({1'000'000, 2})
    ->Args({100'000, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The two halves of the pass on their own: accumulation (no groups / 20,000 groups) and the statistics.
void bm_stats_accumulate(benchmark::State& state) {
  const auto& d = survey(1'000'000);
  const bool grouped = state.range(0) != 0;
  for (auto _ : state) {
    std::vector<ethos::likert_accumulator> acc;
    for (std::size_t c = 0; c < constructs; ++c) {
      auto cfg = config(c);
      cfg.groups = grouped ? group_count : 0;
      acc.emplace_back(cfg);
    }
    for (std::size_t c = 0; c < constructs; ++c) {
      std::array<const std::uint8_t*, items_per_construct> cols{};
      for (std::size_t i = 0; i < items_per_construct; ++i) {
        cols[i] = d.columns[c * items_per_construct + i].data();
      }
      acc[c].add(cols, d.rows, grouped ? std::span<const std::uint32_t>(d.groups) : std::span<const std::uint32_t>{});
    }
    benchmark::DoNotOptimize(acc.data());
  }
}
BENCHMARK(bm_stats_accumulate)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

void bm_stats_analyse(benchmark::State& state) {
  const auto& d = survey(1'000'000);
  std::vector<ethos::likert_accumulator> acc;
  for (std::size_t c = 0; c < constructs; ++c) {
    acc.emplace_back(config(c));
  }
  accumulate(d, acc, 0, d.rows);
  for (auto _ : state) {
    benchmark::DoNotOptimize(analyse(acc));
  }
}
BENCHMARK(bm_stats_analyse)->Unit(benchmark::kMillisecond)->UseRealTime();

// The yardstick of the issue: one plain pass summing every byte of the same 48 columns.
void bm_stats_byte_sum(benchmark::State& state) {
  const auto& d = survey(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    std::uint64_t total = 0;
    for (const auto& c : d.columns) {
      for (const auto x : c) {
        total += x;
      }
    }
    benchmark::DoNotOptimize(total);
  }
}
BENCHMARK(bm_stats_byte_sum)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();

} // namespace
