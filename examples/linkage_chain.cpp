// A linkage study and a service-profit chain scenario on a synthetic retail organisation: 48 stores in 4 regions,
// three yearly survey waves of the bundled service-culture audit, and store outcomes (customer satisfaction and
// revenue per head) in a CSV file. The program rolls each wave up to stores under the anonymity rules, relates
// store culture to store outcomes (concurrent and lagged one wave), builds a chain from those estimates and asks:
// "what if the twelve weakest stores raised Voice of the Customer by 0.3 points?", with Monte Carlo bands over
// the estimates' uncertainty. It prints the fits and the scenario and writes chain_scenario.svg.
//
//     linkage_chain [OUTDIR]        (OUTDIR defaults to linkage_chain_out and is created if missing)
//
// The data are generated from fixed seeds with integer arithmetic only, and the Monte Carlo uses ethos's own
// seeded generator, so every machine and standard library prints the same numbers.
#include <ethos/io/csv.hpp>
#include <ethos/io/unit_table_csv.hpp>
#include <ethos/measure/builder.hpp>
#include <ethos/measure/instruments/service_culture_audit.hpp>
#include <ethos/measure/scoring.hpp>
#include <ethos/models/chain.hpp>
#include <ethos/models/linkage.hpp>
#include <ethos/org/rollup.hpp>
#include <ethos/report/line_chart.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "data/xoshiro.hpp"

namespace {

namespace fs = std::filesystem;
using ethos::building_block;
using ethos_examples::rng;
using ethos_examples::round_milli;

constexpr int waves = 3;
constexpr std::array<std::string_view, 4> regions{"north", "south", "east", "west"};
constexpr std::size_t stores_per_region = 12;
constexpr std::size_t voc = 6;      // Voice of the Customer: seventh building block
constexpr std::size_t recovery = 9; // Service Recovery and Guarantees: tenth

// A store's culture in thousandths of an answer point: a general level, its Voice of the Customer and Service
// Recovery habits, and how its Voice of the Customer moves from wave to wave.
struct store {
  std::string id;
  std::size_t invited = 0;
  std::int64_t climate = 0;
  std::int64_t voc_level = 0;
  std::int64_t voc_drift = 0;
  std::int64_t recovery = 0;
};

std::vector<store> make_stores() {
  rng r(0x11C4A6E'0001ULL);
  std::vector<store> out;
  for (const auto region : regions) {
    for (std::size_t i = 0; i < stores_per_region; ++i) {
      store s;
      s.id = fmt::format("{}/store-{:02}", region, i + 1);
      s.invited = i == 3 ? 5 : 9 + r.below(12); // one store per region too small to show every construct
      s.climate = r.normal_milli() * 30 / 100;
      s.voc_level = r.normal_milli() * 35 / 100;
      s.voc_drift = r.normal_milli() * 15 / 100;
      s.recovery = r.normal_milli() * 30 / 100;
      out.push_back(std::move(s));
    }
  }
  return out;
}

std::int64_t voc_in_wave(const store& s, int wave) { return s.climate + s.voc_level + s.voc_drift * wave; }

// One wave of answers: everyone in a store shares its culture, plus their own view and answering noise.
ethos::response_matrix answer_wave(int wave, const std::vector<store>& stores) {
  const auto inst = ethos::instruments::service_culture_audit.view();
  rng r(0x11C4A6E'1000ULL + static_cast<std::uint64_t>(wave));
  ethos::response_builder b(inst, {"store"});
  std::size_t person = 0;
  for (const store& s : stores) {
    const std::size_t answered = s.invited - r.below(s.invited / 4 + 1);
    for (std::size_t p = 0; p < answered; ++p) {
      const std::int64_t own = r.normal_milli() * 40 / 100;
      std::vector<std::optional<int>> answers;
      for (const auto& it : inst.items) {
        int a = 0;
        if (it.format == ethos::response_format::likert) {
          const auto c = *inst.construct_index(it.construct);
          const std::int64_t block = c == voc        ? voc_in_wave(s, wave)
                                     : c == recovery ? s.climate + s.recovery
                                                     : s.climate;
          a = round_milli(3400 + block + own + r.normal_milli() * 55 / 100, 1, 5);
          if (it.reverse) {
            a = 6 - a;
          }
        } else if (it.format == ethos::response_format::nps) {
          a = round_milli(7000 + s.climate * 3 + own * 2 + r.normal_milli() * 15 / 10, 0, 10);
        } else {
          a = round_milli(4000 + s.climate + r.normal_milli() * 8 / 10, 1, 6);
        }
        answers.push_back(r.chance(25) ? std::nullopt : std::optional<int>(a));
      }
      const std::array<std::string_view, 1> group{s.id};
      b.add(fmt::format("W{}-{:04}", wave + 1, ++person), answers, group);
    }
  }
  return b.finish();
}

// Store outcomes: customer satisfaction (0-100) follows Voice of the Customer of the same year a little and of the
// year before more (customers notice changes late); revenue per head follows customer satisfaction.
void write_outcomes(const fs::path& path, const std::vector<store>& stores) {
  rng r(0x11C4A6E'2000ULL);
  std::ofstream out(path, std::ios::binary);
  if (!out) {
    throw ethos::error(path.string() + ": cannot open for writing");
  }
  ethos::csv_writer w(out);
  w.row({"unit", "wave", "csat", "revenue_per_head"});
  for (int wave = 0; wave < waves; ++wave) {
    for (const store& s : stores) {
      const std::int64_t before = voc_in_wave(s, wave - 1);
      const std::int64_t csat = 71000 + voc_in_wave(s, wave) * 3 + before * 7 + s.recovery * 2 +
                                r.normal_milli() * 18 / 10; // thousandths of a point
      const std::int64_t revenue = 182000 + (csat - 71000) * 2100 / 1000 + r.normal_milli() * 3; // whole euros
      w.field(s.id)
          .field(fmt::format("{}", 2024 + wave))
          .field(fmt::format("{:.3f}", static_cast<double>(csat) / 1000));
      w.field(fmt::format("{}", revenue)).end_row();
    }
  }
}

std::string stars(double p) { return p < 0.001 ? "***" : p < 0.01 ? "** " : p < 0.05 ? "*  " : "   "; }

void print_fit(std::string_view title, const ethos::linear_fit& f) {
  fmt::print("\n{}\n  {} observations ({} dropped for a missing or withheld value), R^2 = {:.3f}, adjusted {:.3f}, "
             "F = {:.1f} (p = {:.2g})\n",
             title, f.n, f.dropped.size(), f.r_squared, f.adj_r_squared, f.f, f.f_p);
  fmt::print("  {:<34} {:>10} {:>9} {:>7} {:>9} {:>7}\n", "term", "estimate", "SE", "t", "p", "beta");
  for (const auto& t : f.terms) {
    fmt::print("  {:<34} {:>10.3f} {:>9.3f} {:>7.2f} {:>9.2g} {:>7} {}\n", t.name, t.estimate, t.standard_error, t.t,
               t.p, t.standardized ? fmt::format("{:.2f}", *t.standardized) : "", stars(t.p));
  }
  for (const auto& warning : f.warnings) {
    fmt::print("  warning: {}\n", warning.message);
  }
}

int run(const fs::path& dir) {
  fs::create_directories(dir);
  const auto inst = ethos::instruments::service_culture_audit.view();
  const auto stores = make_stores();
  std::vector<std::string> paths;
  for (const store& s : stores) {
    paths.push_back(s.id);
  }
  const auto tree = ethos::unit_tree::from_paths(paths);

  // 1. Outcomes come from a file, as they would from a finance or CRM system.
  write_outcomes(dir / "outcomes.csv", stores);
  const auto outcomes = ethos::read_unit_waves_file(dir / "outcomes.csv");

  // 2. Each wave: score, roll up to stores (withheld cells stay missing), join that year's outcomes.
  // [readme:waves]
  std::vector<ethos::linkage_wave> panel;
  std::size_t withheld = 0;
  for (int wave = 0; wave < waves; ++wave) {
    const auto m = answer_wave(wave, stores);
    const auto scored = ethos::score(inst, m);
    const auto placed = ethos::assign_units(tree, *m.group("store"));
    const auto rolled = ethos::roll_up(inst, m, scored, tree, placed, {.min_group_size = 5});
    ethos::unit_table table = ethos::unit_table_from_rollup(rolled, 2);
    for (const auto& v : table.column(ethos::key(building_block::voice_of_the_customer))) {
      withheld += v ? 0 : 1;
    }
    table.join(outcomes.at(static_cast<std::size_t>(wave)).data);
    panel.push_back({outcomes.at(static_cast<std::size_t>(wave)).label, std::move(table)});
  }
  // [readme:waves end]
  fmt::print("Linkage study: {} stores, {} waves ({}); Voice of the Customer withheld in {} store-waves\n",
             stores.size(), waves,
             fmt::join(std::vector<std::string>{panel[0].label, panel[1].label, panel[2].label}, ", "), withheld);

  const std::string voc_key(ethos::key(building_block::voice_of_the_customer));
  const std::string recovery_key(ethos::key(building_block::service_recovery_and_guarantees));
  // Pooled over waves, each store appears up to three times: its standard errors are clustered by store.
  const ethos::linkage_options clustered{.cluster_by_unit = true};
  const auto concurrent =
      ethos::fit_linkage(panel, {.outcome = "csat", .predictors = {voc_key, recovery_key}}, clustered);
  print_fit("Concurrent: customer satisfaction on the same year's culture (waves pooled, SEs clustered by store)",
            concurrent);
  const auto lagged =
      ethos::fit_linkage(panel, {.outcome = "csat", .predictors = {voc_key, recovery_key}, .lag = 1}, clustered);
  print_fit("Lagged: customer satisfaction on the culture of the year before (pooled, clustered by store)", lagged);
  // [readme:fit]
  const auto lagged_first =
      ethos::fit_linkage(panel, {.outcome = "csat", .predictors = {voc_key, recovery_key}, .lag = 1, .wave = 0});
  // [readme:fit end]
  print_fit(
      fmt::format("Lagged, {} culture against {} outcomes only (independent stores)", panel[0].label, panel[1].label),
      lagged_first);
  const auto revenue =
      ethos::fit_linkage(panel, {.outcome = "revenue_per_head", .predictors = {"csat"}, .lag = 0, .wave = 2});
  print_fit(fmt::format("Revenue per head on customer satisfaction, {} only", panel[2].label), revenue);

  // 3. The chain: the two estimates with their standard errors, plus one link set by hand (an assumption the
  //    data cannot test, so it carries a wide uncertainty). A period is one year, the spacing of the waves.
  using ethos::chain_stage;
  const auto revenue_node = ethos::chain_node::measure("revenue_per_head");
  // [readme:chain]
  ethos::service_profit_chain chain;
  chain
      .add(building_block::voice_of_the_customer, chain_stage::customer_satisfaction, lagged_first.strength(voc_key), 1)
      .add(chain_stage::customer_satisfaction, revenue_node, revenue.strength("csat"), 0)
      .add(chain_stage::customer_satisfaction, chain_stage::customer_loyalty, {0.5, 0.2}, 1);
  // [readme:chain end]

  // The twelve stores with the weakest Voice of the Customer in the last wave (among those shown) raise it by
  // 0.3 points from the first year on. Stores weigh by their head count in the organisation figures.
  const ethos::unit_table& last = panel.back().data;
  std::vector<std::pair<double, std::string>> ranked;
  for (std::size_t r = 0; r < last.rows(); ++r) {
    if (const auto v = last.column(voc_key)[r]) {
      ranked.emplace_back(*v, last.units()[r]);
    }
  }
  std::sort(ranked.begin(), ranked.end());
  ethos::chain_intervention raise{.node = building_block::voice_of_the_customer, .change = 0.3};
  for (std::size_t i = 0; i < 12 && i < ranked.size(); ++i) {
    raise.units.push_back(ranked[i].second);
  }
  const ethos::chain_scenario scenario{.name = "Voice of the Customer +0.3 in the 12 weakest stores",
                                       .interventions = {raise}};
  std::vector<ethos::chain_unit> units;
  for (const store& s : stores) {
    units.push_back({s.id, static_cast<double>(s.invited)});
  }
  constexpr std::size_t years = 6;
  const ethos::chain_simulation_options horizon{.periods = years, .units = units};
  const auto path = ethos::simulate_chain(chain, scenario, horizon);
  // [readme:bands]
  ethos::chain_monte_carlo_options mc;
  mc.simulation = horizon;
  mc.draws = 10000;
  mc.seed = 2026;
  mc.quantile_levels = {0.05, 0.25, 0.5, 0.75, 0.95};
  const auto bands = ethos::chain_monte_carlo(chain, scenario, mc);
  // [readme:bands end]

  fmt::print("\nScenario: {} ({} draws, seed {})\n", scenario.name, bands.draws, bands.seed);
  fmt::print("  links (a period is a year; slopes drawn from estimate + SE x t(df), or Normal when set by hand):\n");
  for (const auto& l : chain.links()) {
    fmt::print("    {} -> {}: {:.3f} +- {:.3f}{}, lag {}\n", l.from.key(), l.to.key(), l.strength.estimate,
               l.strength.standard_error, l.strength.df ? fmt::format(", t({:.0f})", *l.strength.df) : " (assumed)",
               l.lag);
  }
  const auto& csat_bands = bands.at(chain_stage::customer_satisfaction);
  const auto& revenue_bands = bands.at(revenue_node);
  const auto& loyalty_bands = bands.at(chain_stage::customer_loyalty);
  const auto& treated = path.at(chain_stage::customer_satisfaction);
  const std::size_t first_treated = static_cast<std::size_t>(
      std::find_if(units.begin(), units.end(), [&](const auto& u) { return u.id == raise.units.front(); }) -
      units.begin());
  fmt::print("\n  Change against doing nothing, organisation: median [90% band]; last column: csat of one of the 12\n");
  fmt::print("  {:>4} {:>20} {:>20} {:>24} {:>16}\n", "year", "csat", "loyalty (assumed)", "revenue per head",
             raise.units.front());
  for (std::size_t t = 0; t < years; ++t) {
    const auto cell = [t](const ethos::chain_node_bands& b, int decimals) {
      return fmt::format("{:.{}f} [{:.{}f}, {:.{}f}]", b.quantiles[2][t], decimals, b.quantiles[0][t], decimals,
                         b.quantiles[4][t], decimals);
    };
    fmt::print("  {:>4} {:>20} {:>20} {:>24} {:>16.2f}\n", t + 1, cell(csat_bands, 2), cell(loyalty_bands, 2),
               cell(revenue_bands, 0), treated.by_unit[first_treated][t]);
  }

  // 4. The chart: the organisation's change in customer satisfaction and in revenue per head, with 50% and 90%
  //    bands over the link uncertainty.
  std::vector<double> x;
  for (std::size_t t = 0; t < years; ++t) {
    x.push_back(static_cast<double>(t + 1));
  }
  const auto banded = [&](const ethos::chain_node_bands& b, std::string name, bool dashed) {
    return ethos::svg::line_series{
        .name = std::move(name),
        .x = x,
        .y = b.quantiles[2],
        .bands = {{"90%", b.quantiles[0], b.quantiles[4]}, {"50%", b.quantiles[1], b.quantiles[3]}},
        .dashed = dashed};
  };
  const auto chart = [&](std::vector<ethos::svg::line_series> series, std::string title, std::string y_label,
                         int decimals) {
    return ethos::svg::line_chart_document(std::move(series), {.title = std::move(title),
                                                               .description = {},
                                                               .x_label = "Years after the change",
                                                               .y_label = std::move(y_label),
                                                               .y_min = {},
                                                               .y_max = {},
                                                               .reference = 0.0,
                                                               .reference_label = "No change",
                                                               .decimals = decimals});
  };
  const auto doc = ethos::svg::stack({chart({banded(csat_bands, "Customer satisfaction", false),
                                             banded(loyalty_bands, "Loyalty (assumed link)", true)},
                                            "Customers, organisation: change from doing nothing", "Change (points)", 2),
                                      chart({banded(revenue_bands, "Revenue per head", false)},
                                            "Revenue per head, organisation", "Change (per head)", 0)},
                                     scenario.name);
  std::ofstream out(dir / "chain_scenario.svg", std::ios::binary);
  if (!(out << doc.str())) {
    throw ethos::error((dir / "chain_scenario.svg").string() + ": cannot write");
  }
  fmt::print("\nWrote {}: outcomes.csv, chain_scenario.svg\n", dir.string());
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  // One optional argument, the folder to write; anything else (such as --help) gets the usage, not a folder.
  if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
    fmt::print(stderr, "usage: linkage_chain [OUTPUT_FOLDER]  (default: linkage_chain_out)\n");
    return argc == 2 && std::string_view(argv[1]) == "--help" ? 0 : 2;
  }
  try {
    return run(argc > 1 ? fs::path(argv[1]) : fs::path("linkage_chain_out"));
  } catch (const std::exception& e) {
    fmt::print(stderr, "linkage_chain: {}\n", e.what());
    return 1;
  }
}
