// Writes a synthetic survey of any size in the bundled Service Culture Audit's columns, for benchmarks and scale
// tests: id, department (Dnn), team (a path label Dnn/Tnnnnn under its department), tenure (4 bands), then one
// column per item. Seeded, and built from exact double arithmetic only (no libm), so every machine writes the same
// bytes for the same options.
//
//     ethos_generate_survey --rows 1000000 --teams 20000 --departments 20 --seed 1 big.csv
//
// Teams differ in size (a few have only one to four members, so a report of them has small cells to protect),
// departments and teams in climate, people in mood; about 5% stop part way through and 2% of answers are missing.
#include <ethos/measure/instruments/service_culture_audit.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "xoshiro.hpp"

namespace {

class rng : public ethos_examples::xoshiro256 {
 public:
  using xoshiro256::xoshiro256;
  double uniform() noexcept { return static_cast<double>(next() >> 11U) * 0x1.0p-53; }
  // Irwin-Hall: the sum of 12 uniforms minus 6, additions only.
  double normal() noexcept {
    double s = 0.0;
    for (int i = 0; i < 12; ++i) {
      s += uniform();
    }
    return s - 6.0;
  }
};

int round_clamp(double x, int lo, int hi) {
  const double y = x + 0.5;
  auto r = static_cast<int>(y);
  if (static_cast<double>(r) > y) {
    --r;
  }
  return std::clamp(r, lo, hi);
}

constexpr std::array<std::string_view, 4> tenure_bands{"under 1 year", "1-3 years", "3-10 years", "over 10 years"};

constexpr std::string_view usage =
    "usage: ethos_generate_survey --rows N --teams T --departments D [--seed S] OUT.csv\n"
    "  writes N respondents in T teams of D departments (T >= D >= 1) to OUT.csv\n";

bool parse_count(std::string_view s, std::uint64_t& out) {
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && p == s.data() + s.size();
}

} // namespace

int main(int argc, char* argv[]) {
  std::uint64_t rows = 0;
  std::uint64_t teams = 0;
  std::uint64_t departments = 0;
  std::uint64_t seed = 1;
  std::string out_path;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    std::uint64_t* target = a == "--rows"          ? &rows
                            : a == "--teams"       ? &teams
                            : a == "--departments" ? &departments
                            : a == "--seed"        ? &seed
                                                   : nullptr;
    if (target != nullptr) {
      if (i + 1 >= argc || !parse_count(argv[i + 1], *target)) {
        std::fprintf(stderr, "ethos_generate_survey: %s needs a whole number\n%s", argv[i], usage.data());
        return 2;
      }
      ++i;
    } else if (a == "--help" || a == "-h") {
      std::fputs(usage.data(), stdout);
      return 0;
    } else if (a.starts_with("-") || !out_path.empty()) {
      std::fprintf(stderr, "ethos_generate_survey: unexpected argument '%s'\n%s", argv[i], usage.data());
      return 2;
    } else {
      out_path = a;
    }
  }
  if (rows == 0 || departments == 0 || teams < departments || teams > 99999 || departments > 99 || out_path.empty()) {
    std::fprintf(stderr, "ethos_generate_survey: give --rows >= 1, --departments 1..99, --teams D..99999 and OUT\n%s",
                 usage.data());
    return 2;
  }
  std::FILE* f = std::fopen(out_path.c_str(), "wb");
  if (f == nullptr) {
    std::fprintf(stderr, "ethos_generate_survey: cannot open %s for writing\n", out_path.c_str());
    return 1;
  }
  const auto view = ethos::instruments::service_culture_audit.view();
  rng r(seed);

  // Teams: department t % D, a climate, and a weight (one in twenty teams is tiny).
  std::vector<double> cumulative(teams);
  std::vector<double> team_shift(teams);
  std::vector<double> dept_shift(departments);
  for (auto& d : dept_shift) {
    d = 0.2 * r.normal();
  }
  double total = 0.0;
  for (std::size_t t = 0; t < teams; ++t) {
    team_shift[t] = 0.3 * r.normal();
    total += r.uniform() < 0.05 ? 0.04 : 0.2 + 1.6 * r.uniform();
    cumulative[t] = total;
  }

  std::string line;
  line.reserve(4096);
  line = "id,department,team,tenure";
  for (const auto& it : view.items) {
    line += ',';
    line += it.id;
  }
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), f);
  char buf[32];
  const auto put_number = [&](std::uint64_t v, int width) {
    const int n = std::snprintf(buf, sizeof buf, "%0*llu", width, static_cast<unsigned long long>(v));
    line.append(buf, static_cast<std::size_t>(n));
  };
  for (std::uint64_t p = 0; p < rows; ++p) {
    const double u = r.uniform() * total;
    const auto t =
        static_cast<std::size_t>(std::upper_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin());
    const std::size_t team = std::min<std::size_t>(t, teams - 1);
    const std::size_t dept = team % departments;
    line.clear();
    line += 'R';
    put_number(p + 1, 7);
    line += ",D";
    put_number(dept + 1, 2);
    line += ",D";
    put_number(dept + 1, 2);
    line += "/T";
    put_number(team + 1, 5);
    line += ',';
    line += tenure_bands[r.below(tenure_bands.size())];
    const double mood = dept_shift[dept] + team_shift[team] + 0.45 * r.normal();
    const double stop_draw = r.uniform();
    const std::size_t stop = stop_draw < 0.004 ? 0 : stop_draw < 0.05 ? 8 + r.below(40) : view.items.size();
    for (std::size_t i = 0; i < view.items.size(); ++i) {
      line += ',';
      const auto& it = view.items[i];
      if (i >= stop || r.uniform() < 0.02) {
        continue;
      }
      int a = 0;
      if (it.format == ethos::response_format::likert) {
        a = round_clamp(3.35 + mood + 0.7 * r.normal(), 1, 5);
        if (it.reverse) {
          a = 6 - a;
        }
      } else if (it.format == ethos::response_format::nps) {
        a = round_clamp(6.8 + 2.6 * mood + 1.4 * r.normal(), 0, 10);
      } else {
        a = round_clamp(4.0 + 1.1 * mood + 0.8 * r.normal(), 1, 6);
      }
      line += std::to_string(a);
    }
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), f);
  }
  const bool ok = std::fflush(f) == 0 && std::ferror(f) == 0;
  if (std::fclose(f) != 0 || !ok) {
    std::fprintf(stderr, "ethos_generate_survey: writing %s failed\n", out_path.c_str());
    return 1;
  }
  return 0;
}
