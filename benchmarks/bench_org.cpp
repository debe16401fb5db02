// Benchmarks of the organisation layer: roll-ups over a unit tree (with and without a demographic cut, whose
// protection runs the leak search), the disclosure audit of a finished roll-up, protect_tree alone, and a whole
// report built with the joint protection and audit of every section against the same sections computed on their
// own (the pipeline without that step).
//
// Then at the size of a large employer, on the surveys ethos_generate_survey writes (the same generator, the same
// seed): the whole pipeline of ethos-assess (read the CSV, score, build the audited report, write its JSON) grouped
// by department with units from the team paths and a tenure cut, side by side with the same file ungrouped; a report
// grouped by team; and each protection step on its own (protect_class_cells and the audit over classes) at 10k, 100k
// and 1M respondents in 20, 2,000 and 20,000 teams. (One file: each translation unit compiles the library again.)
#include <ethos/io/csv.hpp>
#include <ethos/io/json.hpp>
#include <ethos/measure.hpp>
#include <ethos/org/disclosure.hpp>
#include <ethos/org/organisation.hpp>
#include <ethos/org/report.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <numeric>
#include <optional>
#include <ostream>
#include <random>
#include <sstream>
#include <streambuf>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../examples/data/survey_generator.hpp"

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

namespace {

// The CSV text of `rows` respondents in `teams` teams of 20 departments (seed 1), made once per size.
const std::string& survey_csv(std::uint64_t rows, std::uint64_t teams) {
  static std::map<std::pair<std::uint64_t, std::uint64_t>, std::string> made;
  auto& text = made[{rows, teams}];
  if (text.empty()) {
    ethos_examples::generate_survey({rows, teams, 20, 1}, [&](std::string_view line) { text += line; });
  }
  return text;
}

// Counts the bytes written to it and drops them.
class counting_buffer : public std::streambuf {
 public:
  std::size_t bytes = 0;

 protected:
  std::streamsize xsputn(const char*, std::streamsize n) override {
    bytes += static_cast<std::size_t>(n);
    return n;
  }
  int_type overflow(int_type c) override {
    ++bytes;
    return c;
  }
};

// What ethos-assess does with `--format json [--group-by G] [--unit-column team --cut tenure]`: on every core, as
// the tool does, unless `threads` says otherwise.
std::size_t run_pipeline(const std::string& csv, const std::string& group_by, bool units, std::size_t threads) {
  const ethos::instrument_view view = ethos::instruments::service_culture_audit;
  std::istringstream in(csv);
  const auto input = ethos::read_responses(in, "survey.csv", view);
  const auto scores = ethos::score(view, input.matrix);
  ethos::report_request q;
  q.instrument = &view;
  q.options.group_by = group_by;
  q.options.cell_labels = false;
  q.options.threads = threads;
  q.current = {&input.matrix, &scores, nullptr, nullptr, false};
  std::optional<std::pair<ethos::unit_tree, ethos::unit_assignment>> tree;
  if (units) {
    tree = ethos::units_from_column(*input.matrix.group("team"));
    q.current.tree = &tree->first;
    q.current.units = &tree->second;
    q.options.cut = "tenure";
    q.options.drivers = ethos::unit_driver_options{};
  }
  const auto rep = ethos::build_report(q);
  counting_buffer sink;
  std::ostream out(&sink);
  ethos::write_results_json(out, rep);
  if (!rep.audit.safe()) {
    return 0;
  }
  return sink.bytes;
}

void pipeline(benchmark::State& state, const std::string& group_by, bool units, std::size_t threads = 0) {
  const auto& csv = survey_csv(static_cast<std::uint64_t>(state.range(0)), static_cast<std::uint64_t>(state.range(1)));
  std::size_t bytes = 0;
  for (auto _ : state) {
    bytes = run_pipeline(csv, group_by, units, threads);
    if (bytes == 0) {
      state.SkipWithError("the report did not pass its audit");
    }
  }
  state.counters["respondents"] = static_cast<double>(state.range(0));
  state.counters["json_bytes"] = static_cast<double>(bytes);
}

// The peer: the same file with no grouping (the overall figures only, still audited).
void BM_pipeline_ungrouped(benchmark::State& state) { pipeline(state, "", false); }
// --group-by department --unit-column team --cut tenure (and the eNPS drivers per unit).
void BM_pipeline_departments_teams_tenure(benchmark::State& state) { pipeline(state, "department", true); }
// --group-by team
void BM_pipeline_group_by_team(benchmark::State& state) { pipeline(state, "team", false); }
// The report with the cut on one thread: what the threads save.
void BM_pipeline_departments_teams_tenure_one_thread(benchmark::State& state) {
  pipeline(state, "department", true, 1);
}

// respondents, teams
BENCHMARK(BM_pipeline_ungrouped)
    ->Args({10'000, 20})
    ->Args({100'000, 2'000})
    ->Args({1'000'000, 20'000})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_pipeline_departments_teams_tenure)
    ->Args({10'000, 20})
    ->Args({100'000, 2'000})
    ->Args({1'000'000, 20'000})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_pipeline_group_by_team)
    ->Args({10'000, 20})
    ->Args({100'000, 2'000})
    ->Args({1'000'000, 20'000})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_pipeline_departments_teams_tenure_one_thread)
    ->Args({100'000, 2'000})
    ->Args({1'000'000, 20'000})
    ->Unit(benchmark::kMillisecond);

// A unit x cut table by classes: 20 departments of `teams` / 20 teams, each team cut by 4 levels, classes of 1 to 25
// people; the organisation and departments shown (fixed), teams of fewer than 5 hidden, team cells candidates.
struct class_table {
  ethos::class_cells family;
  std::vector<ethos::suppression> status;
  std::vector<int> keep;
  std::vector<unsigned char> fixed;
};

class_table make_table(std::size_t teams) {
  class_table t;
  std::mt19937 rng(1);
  const std::size_t levels = 4;
  for (std::size_t c = 0; c < teams * levels; ++c) {
    t.family.persons.push_back(1 + rng() % 25);
  }
  const auto add = [&](std::vector<std::uint32_t> classes, int keep, bool fixed, ethos::suppression s) {
    t.family.cells.push_back(std::move(classes));
    t.status.push_back(s);
    t.keep.push_back(keep);
    t.fixed.push_back(fixed ? 1 : 0);
  };
  std::vector<std::uint32_t> all(teams * levels);
  std::iota(all.begin(), all.end(), 0U);
  add(all, 1000, true, ethos::suppression::none);
  for (std::size_t d = 0; d < 20; ++d) {
    std::vector<std::uint32_t> c;
    for (std::size_t team = d; team < teams; team += 20) {
      for (std::size_t l = 0; l < levels; ++l) {
        c.push_back(static_cast<std::uint32_t>(team * levels + l));
      }
    }
    add(c, 500, true, ethos::suppression::none);
  }
  for (std::size_t team = 0; team < teams; ++team) {
    std::vector<std::uint32_t> c;
    std::uint64_t n = 0;
    for (std::size_t l = 0; l < levels; ++l) {
      c.push_back(static_cast<std::uint32_t>(team * levels + l));
      n += t.family.persons[c.back()];
    }
    add(c, 400, n >= 5, n >= 5 ? ethos::suppression::none : ethos::suppression::too_small);
  }
  for (std::size_t c = 0; c < teams * levels; ++c) {
    add({static_cast<std::uint32_t>(c)}, 300, false, ethos::suppression::none);
  }
  return t;
}

void BM_protect_class_cells(benchmark::State& state) {
  const auto t = make_table(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    auto st = t.status;
    if (!ethos::protect_class_cells(t.family, st, t.keep, t.fixed, {.min_group_size = 5})) {
      state.SkipWithError("the search ran out of budget");
    }
    benchmark::DoNotOptimize(st);
  }
  state.counters["cells"] = static_cast<double>(t.family.cells.size());
}
BENCHMARK(BM_protect_class_cells)->Arg(20)->Arg(2'000)->Arg(20'000)->Unit(benchmark::kMillisecond);

void BM_audit_class_cells(benchmark::State& state) {
  auto t = make_table(static_cast<std::size_t>(state.range(0)));
  (void)ethos::protect_class_cells(t.family, t.status, t.keep, t.fixed, {.min_group_size = 5});
  ethos::class_cells shown;
  shown.persons = t.family.persons;
  for (std::size_t c = 0; c < t.family.cells.size(); ++c) {
    if (t.status[c] == ethos::suppression::none) {
      shown.cells.push_back(t.family.cells[c]);
    }
  }
  for (auto _ : state) {
    const auto a = ethos::audit_class_cells(shown, {.min_group_size = 5});
    if (!a.safe()) {
      state.SkipWithError("the protected table did not pass its audit");
    }
    benchmark::DoNotOptimize(a);
  }
  state.counters["cells"] = static_cast<double>(shown.cells.size());
}
BENCHMARK(BM_audit_class_cells)->Arg(20)->Arg(2'000)->Arg(20'000)->Unit(benchmark::kMillisecond);

} // namespace
