// examples/data/survey_generator.hpp: the seeded generator of large surveys in the bundled Service Culture Audit's
// columns (id, department Dnn, team path Dnn/Tnnnnn, tenure of 4 bands, one column per item), shared by
// ethos_generate_survey and the scale benchmarks. Exact double arithmetic only (no libm): the same options give the
// same bytes everywhere.
//
// Teams differ in size (one in twenty is tiny, so a report of them has small cells to protect), departments and
// teams in climate, people in mood; about 5% stop part way through and 2% of answers are missing.
#pragma once

#include <ethos/measure/instruments/service_culture_audit.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "xoshiro.hpp"

namespace ethos_examples {

/// What ethos_generate_survey writes.
struct survey_shape {
  std::uint64_t rows = 0;        ///< respondents
  std::uint64_t teams = 0;       ///< teams (at least `departments`, at most 99,999)
  std::uint64_t departments = 0; ///< departments (1..99); team t belongs to department t mod D
  std::uint64_t seed = 1;        ///< the generator's seed
};

/// Writes the survey as CSV lines (header first), each passed to `put(std::string_view)` with its newline.
template <class Put>
void generate_survey(const survey_shape& shape, Put&& put) {
  static constexpr std::array<std::string_view, 4> tenure_bands{"under 1 year", "1-3 years", "3-10 years",
                                                                "over 10 years"};
  const auto view = ethos::instruments::service_culture_audit.view();
  real_draws r(shape.seed);
  const std::size_t teams = shape.teams;
  const std::size_t departments = shape.departments;
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
  put(std::string_view(line));
  char buf[32];
  const auto put_number = [&](std::uint64_t v, int width) {
    const int n = std::snprintf(buf, sizeof buf, "%0*llu", width, static_cast<unsigned long long>(v));
    line.append(buf, static_cast<std::size_t>(n));
  };
  for (std::uint64_t p = 0; p < shape.rows; ++p) {
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
    put(std::string_view(line));
  }
}

} // namespace ethos_examples
