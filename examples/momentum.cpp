// Culture momentum: a service initiative lifts 24 branches' service behaviour, and the lift fades unless the
// building blocks keep reinforcing it. The program calibrates the decay and reinforcement rates from four survey
// waves (launch, 6, 12 and 24 months), then projects one branch for three years twice: launched and left alone,
// and launched with recognition, role modelling, communications and Voice of the Customer kept strong, with 90%
// bands from refitting on bootstrap samples of the branches. It prints both paths and writes momentum.svg.
//
//     momentum [OUTDIR]        (OUTDIR defaults to momentum_out and is created if missing)
//
// The waves are generated from fixed seeds with integer arithmetic, so every machine prints the same numbers.
#include <ethos/models/momentum.hpp>
#include <ethos/models/random.hpp>
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
#include <vector>

#include "data/xoshiro.hpp"

namespace {

namespace fs = std::filesystem;
using ethos::building_block;
using block_scores = std::array<std::optional<double>, 12>;

// Rates used to generate the waves (per quarter). The calibration below does not see them.
constexpr ethos::momentum_params generating{.decay_rate = 0.30, .reinforcement_rate = 0.20};
constexpr std::array<double, 4> wave_times{0.0, 2.0, 4.0, 8.0}; // quarters after launch

// The blocks that sustain this initiative: recognition, role modelling, communications and Voice of the Customer.
// The other eight get weight 0, so only these four make the reinforcement share.
ethos::momentum_block_weights sustaining_blocks() {
  ethos::momentum_block_weights w;
  w.weights.fill(0.0);
  for (const auto b : {building_block::service_recognition_and_rewards, building_block::service_role_modeling,
                       building_block::service_communications, building_block::voice_of_the_customer}) {
    w.weight(b) = 1.0;
  }
  return w;
}

// Building-block scores (1..5) of a branch: the four sustaining blocks at `level`, the others at 3.
block_scores scores(double level) {
  block_scores s{};
  s.fill(3.0);
  for (const auto b : {building_block::service_recognition_and_rewards, building_block::service_role_modeling,
                       building_block::service_communications, building_block::voice_of_the_customer}) {
    s[static_cast<std::size_t>(ethos::ordinal(b) - 1)] = level;
  }
  return s;
}

// Four waves of 24 branches: each branch's own baseline, launch lift and building-block profile, its path from
// the generating model, and measurement noise of about 0.02 points on each observed level. (Noise in the levels
// biases the decay rate upward, as noise in any regressor does; more of it shows in the calibration below.)
std::vector<ethos::momentum_series> survey_waves() {
  ethos_examples::rng r(0x3031'2026ULL);
  std::vector<ethos::momentum_series> out;
  for (std::size_t i = 0; i < 24; ++i) {
    ethos::momentum_series s;
    s.unit = fmt::format("branch-{:02}", i + 1);
    s.baseline = 3.0 + static_cast<double>(r.normal_milli()) / 4000.0;
    const double lift = 0.7 + static_cast<double>(r.normal_milli()) / 8000.0;
    const double blocks = 1.5 + static_cast<double>(r.below(3000)) / 1000.0; // 1.5 .. 4.5
    const double r_share = ethos::momentum_reinforcement(scores(blocks), sustaining_blocks());
    double deviation = lift;
    double t = 0.0;
    for (const double wave : wave_times) {
      deviation = ethos::momentum_advance(generating, deviation, r_share, wave - t);
      t = wave;
      const double noise = static_cast<double>(r.normal_milli()) / 50000.0;
      s.waves.push_back({.time = wave, .level = s.baseline + deviation + noise, .reinforcement = r_share});
    }
    out.push_back(std::move(s));
  }
  return out;
}

int run(const fs::path& dir) {
  fs::create_directories(dir);

  // 1. Calibrate the rates from the waves.
  const auto waves = survey_waves();
  const ethos::momentum_fit fit = ethos::fit_momentum(waves);
  if (!fit.decay_rate || !fit.reinforcement_rate) {
    throw ethos::error("momentum: the waves do not identify both rates: " + fit.reason);
  }
  fmt::print("Calibration from {} branches x {} waves ({} intervals)\n", fit.units, wave_times.size(), fit.intervals);
  fmt::print("  decay rate          {:.3f} per quarter (generated with {:.2f}); half-life {:.1f} quarters\n",
             *fit.decay_rate, generating.decay_rate, fit.half_life.value_or(0.0));
  fmt::print("  reinforcement rate  {:.3f} points per quarter at full reinforcement (generated with {:.2f})\n",
             *fit.reinforcement_rate, generating.reinforcement_rate);
  fmt::print("  residual SD         {:.3f} points\n", fit.residual_sd.value_or(0.0));
  for (const auto& w : fit.warnings) {
    fmt::print("  warning: {}\n", w.message);
  }

  // 2. One branch, two futures: left alone after launch (nothing reinforces the new habits), or with the four
  //    sustaining blocks held at 4.2 of 5.
  const ethos::momentum_params rates{.decay_rate = *fit.decay_rate, .reinforcement_rate = *fit.reinforcement_rate};
  const ethos::momentum_model branch{.params = rates, .baseline = 3.0, .initial_lift = 0.8};
  constexpr std::size_t quarters = 12;
  const double weak = 0.0;
  const double strong = ethos::momentum_reinforcement(scores(4.2), sustaining_blocks());
  const auto alone = ethos::simulate_momentum(branch, std::vector<double>(quarters, weak));
  const auto reinforced = ethos::simulate_momentum(branch, std::vector<double>(quarters, strong));
  fmt::print("\nOne branch launched at 3.8 (baseline 3.0); reinforcement share {:.2f} left alone, {:.2f} reinforced\n",
             weak, strong);
  fmt::print("  {:>7} {:>11} {:>11}\n", "quarter", "left alone", "reinforced");
  for (std::size_t q = 0; q <= quarters; q += 2) {
    fmt::print("  {:>7} {:>11.2f} {:>11.2f}\n", q, alone.level[q], reinforced.level[q]);
  }
  const auto settle_alone = ethos::momentum_equilibrium(rates, weak);
  const auto settle_reinforced = ethos::momentum_equilibrium(rates, strong);
  fmt::print("  long run: {:.2f} left alone, {:.2f} reinforced; half of the launch lift is gone after {:.1f} quarters "
             "when nothing reinforces it\n",
             3.0 + settle_alone.value_or(0.0), 3.0 + settle_reinforced.value_or(0.0),
             ethos::momentum_half_life(rates).value_or(0.0));

  // 3. How sure is that? Refit on 1000 bootstrap samples of the branches (drawn with ethos's seeded generator,
  //    sample b from stream b) and keep the middle 90% of the projected paths.
  constexpr std::size_t resamples = 1000;
  std::vector<std::vector<double>> alone_draws(quarters + 1);
  std::vector<std::vector<double>> reinforced_draws(quarters + 1);
  for (std::size_t b = 0; b < resamples; ++b) {
    auto rng = ethos::random_engine::stream(0x3031'B007ULL, b);
    std::vector<ethos::momentum_series> sample;
    for (std::size_t i = 0; i < waves.size(); ++i) {
      ethos::momentum_series pick = waves[static_cast<std::size_t>(rng.next() % waves.size())];
      pick.unit += fmt::format("#{}", i); // a branch drawn twice is two series
      sample.push_back(std::move(pick));
    }
    const auto refit = ethos::fit_momentum(sample);
    const ethos::momentum_params r{.decay_rate = refit.decay_rate.value_or(0.0),
                                   .reinforcement_rate = refit.reinforcement_rate.value_or(0.0)};
    const ethos::momentum_model m{.params = r, .baseline = 3.0, .initial_lift = 0.8};
    const auto a = ethos::simulate_momentum(m, std::vector<double>(quarters, weak));
    const auto s = ethos::simulate_momentum(m, std::vector<double>(quarters, strong));
    for (std::size_t q = 0; q <= quarters; ++q) {
      alone_draws[q].push_back(a.level[q]);
      reinforced_draws[q].push_back(s.level[q]);
    }
  }
  const auto band = [](std::vector<std::vector<double>>& draws) {
    ethos::svg::line_band out{.label = "90% bootstrap band", .lower = {}, .upper = {}};
    for (auto& d : draws) {
      std::sort(d.begin(), d.end());
      out.lower.push_back(d[d.size() / 20]);
      out.upper.push_back(d[d.size() - 1 - d.size() / 20]);
    }
    return out;
  };
  const auto alone_band = band(alone_draws);
  const auto reinforced_band = band(reinforced_draws);
  fmt::print("  after 12 quarters, 90% bootstrap band: {:.2f} to {:.2f} left alone, {:.2f} to {:.2f} reinforced\n",
             alone_band.lower.back(), alone_band.upper.back(), reinforced_band.lower.back(),
             reinforced_band.upper.back());

  // 4. The chart: both paths with their bands, against the old baseline.
  const auto series = [](std::string name, const ethos::momentum_path& p, const ethos::svg::line_band& b, bool dashed) {
    return ethos::svg::line_series{.name = std::move(name), .x = p.time, .y = p.level, .bands = {b}, .dashed = dashed};
  };
  const auto chart = ethos::svg::line_chart({series("Reinforced (4 blocks at 4.2)", reinforced, reinforced_band, false),
                                             series("Left alone", alone, alone_band, true)},
                                            {.title = "An initiative with and without reinforcement",
                                             .description = {},
                                             .x_label = "Quarters after launch",
                                             .y_label = "Service behaviour (1-5)",
                                             .y_min = 2.8,
                                             .y_max = 4.0,
                                             .reference = 3.0,
                                             .reference_label = "Old baseline",
                                             .decimals = 2});
  std::ofstream out(dir / "momentum.svg", std::ios::binary);
  if (!(out << chart)) {
    throw ethos::error((dir / "momentum.svg").string() + ": cannot write");
  }
  fmt::print("\nWrote {}\n", (dir / "momentum.svg").string());
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  // One optional argument, the folder to write; anything else (such as --help) gets the usage, not a folder.
  if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
    fmt::print(stderr, "usage: momentum [OUTPUT_FOLDER]  (default: momentum_out)\n");
    return argc == 2 && std::string_view(argv[1]) == "--help" ? 0 : 2;
  }
  try {
    return run(argc > 1 ? fs::path(argv[1]) : fs::path("momentum_out"));
  } catch (const std::exception& e) {
    fmt::print(stderr, "momentum: {}\n", e.what());
    return 1;
  }
}
