// Benchmarks of the organisation layer: roll-ups over a unit tree (with and without a demographic cut, whose
// protection runs the leak search), the disclosure audit of a finished roll-up, protect_tree alone, and a whole
// report built with the joint protection and audit of every section against the same sections computed on their
// own (the pipeline without that step).
#include <ethos/measure.hpp>
#include <ethos/org/organisation.hpp>
#include <ethos/org/report.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace {

// `rows` respondents answering the bundled audit, in `depts` departments of 8 teams each (team sizes vary
// from 2 to about 3 x the mean), with a 4-level tenure column and about 3% of answers missing.
struct org_data {
  ethos::response_matrix matrix;
  ethos::scoring_result scored;
  ethos::unit_tree tree;
  ethos::unit_assignment units;
};

org_data make_org(std::size_t rows, std::size_t depts) {
  const ethos::instrument_view v = ethos::instruments::service_culture_audit;
  ethos::response_builder b(v, {"team", "tenure"});
  std::mt19937_64 rng(7);
  const std::vector<std::string> tenure{"<1", "1-3", "3-10", "10+"};
  std::vector<std::optional<int>> answers(v.items.size());
  for (std::size_t r = 0; r < rows; ++r) {
    const std::size_t d = rng() % depts;
    const std::size_t t = (rng() % 64) % 8 == 0 ? 7 : rng() % 7; // team 7 is small
    const std::string team = "D" + std::to_string(d) + "/T" + std::to_string(t);
    const auto mood = static_cast<int>(rng() % 3);
    for (std::size_t i = 0; i < v.items.size(); ++i) {
      const auto [lo, hi] = v.answer_range(v.items[i]);
      if (rng() % 32 == 0) {
        answers[i] = std::nullopt;
        continue;
      }
      const int span = hi - lo + 1;
      answers[i] = std::clamp(lo + static_cast<int>(rng() % static_cast<std::uint64_t>(span)) + mood - 1, lo, hi);
    }
    const std::vector<std::string_view> groups{team, tenure[rng() % 4]};
    b.add("r" + std::to_string(r), answers, groups);
  }
  org_data o;
  o.matrix = b.finish();
  o.scored = ethos::score(v, o.matrix);
  auto [tree, units] = ethos::units_from_column(*o.matrix.group("team"));
  o.tree = std::move(tree);
  o.units = std::move(units);
  return o;
}

const org_data& data(std::size_t rows, std::size_t depts) {
  static std::size_t built = 0;
  static org_data o;
  if (built != rows * 1000 + depts) {
    o = make_org(rows, depts);
    built = rows * 1000 + depts;
  }
  return o;
}

void BM_roll_up(benchmark::State& state) {
  const auto& o = data(static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1)));
  ethos::rollup_options opt;
  opt.cut = state.range(2) != 0 ? "tenure" : "";
  for (auto _ : state) {
    auto r = ethos::roll_up(ethos::instruments::service_culture_audit, o.matrix, o.scored, o.tree, o.units, opt);
    benchmark::DoNotOptimize(r);
  }
  state.counters["units"] = static_cast<double>(o.tree.size());
  state.counters["respondents"] = static_cast<double>(o.matrix.rows());
}
// respondents, departments (8 teams each), with a tenure cut
BENCHMARK(BM_roll_up)
    ->Args({2'000, 10, 0})
    ->Args({2'000, 10, 1})
    ->Args({20'000, 25, 0})
    ->Args({20'000, 25, 1})
    ->Unit(benchmark::kMillisecond);

void BM_disclosure_audit(benchmark::State& state) {
  const auto& o = data(static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1)));
  ethos::rollup_options opt;
  opt.cut = "tenure";
  const auto r = ethos::roll_up(ethos::instruments::service_culture_audit, o.matrix, o.scored, o.tree, o.units, opt);
  const auto cells = ethos::rollup_cells(r, o.matrix, o.scored, o.tree, o.units, 0);
  for (auto _ : state) {
    auto a = ethos::disclosure_audit(cells);
    if (!a.safe()) {
      state.SkipWithError("the roll-up did not pass its audit");
    }
    benchmark::DoNotOptimize(a);
  }
  state.counters["cells"] = static_cast<double>(cells.size());
}
BENCHMARK(BM_disclosure_audit)->Args({2'000, 10})->Args({20'000, 25})->Unit(benchmark::kMillisecond);

// The sections of a report as each computes and protects itself: groups by tenure, units from the team paths,
// drivers of the eNPS. No joint protection, no audit: what a report cost before every figure was audited.
void BM_report_sections_only(benchmark::State& state) {
  const auto& o = data(static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1)));
  const ethos::instrument_view v = ethos::instruments::service_culture_audit;
  for (auto _ : state) {
    ethos::assessment_options aopt;
    aopt.group_by = "tenure";
    auto a = ethos::assess(v, o.matrix, o.scored, aopt);
    auto r = ethos::roll_up(v, o.matrix, o.scored, o.tree, o.units);
    auto d = ethos::drivers_by_unit(v, o.matrix, o.scored, o.tree, o.units, r);
    benchmark::DoNotOptimize(a);
    benchmark::DoNotOptimize(d);
  }
  state.counters["respondents"] = static_cast<double>(o.matrix.rows());
}
BENCHMARK(BM_report_sections_only)->Args({2'000, 10})->Args({20'000, 25})->Unit(benchmark::kMillisecond);

// The same report through build_report: every cell declared, protected jointly and the whole report audited.
void BM_report_audited(benchmark::State& state) {
  const auto& o = data(static_cast<std::size_t>(state.range(0)), static_cast<std::size_t>(state.range(1)));
  const ethos::instrument_view v = ethos::instruments::service_culture_audit;
  ethos::report_request q;
  q.instrument = &v;
  q.current = {&o.matrix, &o.scored, &o.tree, &o.units, false};
  q.options.group_by = "tenure";
  q.options.drivers = ethos::unit_driver_options{};
  std::size_t cells = 0;
  for (auto _ : state) {
    auto rep = ethos::build_report(q);
    if (!rep.audit.safe()) {
      state.SkipWithError("the report did not pass its audit");
    }
    cells = rep.audit.cells;
    benchmark::DoNotOptimize(rep);
  }
  state.counters["respondents"] = static_cast<double>(o.matrix.rows());
  state.counters["cells"] = static_cast<double>(cells);
}
BENCHMARK(BM_report_audited)->Args({2'000, 10})->Args({20'000, 25})->Unit(benchmark::kMillisecond);

void BM_protect_tree(benchmark::State& state) {
  // A random tree of n units, each with 0..9 people of its own.
  const auto n = static_cast<std::size_t>(state.range(0));
  std::mt19937_64 rng(11);
  std::vector<std::size_t> parent(n);
  std::vector<std::size_t> persons(n, 0);
  parent[0] = static_cast<std::size_t>(-1);
  for (std::size_t u = 1; u < n; ++u) {
    parent[u] = rng() % u;
  }
  for (std::size_t u = n; u-- > 0;) {
    persons[u] += rng() % 10;
    if (u > 0) {
      persons[parent[u]] += persons[u];
    }
  }
  for (auto _ : state) {
    std::vector<ethos::suppression> st(n);
    ethos::protect_tree(parent, persons, st, 5);
    benchmark::DoNotOptimize(st);
  }
}
BENCHMARK(BM_protect_tree)->Arg(100)->Arg(1'000)->Arg(100'000)->Unit(benchmark::kMicrosecond);

} // namespace
