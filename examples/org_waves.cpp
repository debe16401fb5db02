// Two survey waves of a synthetic 300-person organisation, taken through the organisation layer: a units table
// with invited headcounts, roll-ups under the anonymity rules (small teams hidden, siblings hidden so that the
// small ones cannot be worked out by subtraction), the change between the waves, key drivers of eNPS, the
// internal-service matrix, and an audit that proves every published cell safe. It writes the files that
// ethos-assess reads (units.csv, wave1.csv, wave2.csv, internal_service.csv) and a heatmap of both waves.
//
//     org_waves [OUTDIR]        (OUTDIR defaults to org_waves_out and is created if missing)
//
// The data are generated from fixed seeds with integer arithmetic only, so every machine and standard library
// writes the same bytes.
#include <ethos/io/csv.hpp>
#include <ethos/io/internal_service_csv.hpp>
#include <ethos/io/units_csv.hpp>
#include <ethos/measure/builder.hpp>
#include <ethos/measure/instruments/service_culture_audit.hpp>
#include <ethos/measure/scoring.hpp>
#include <ethos/org/organisation.hpp>
#include <ethos/report/charts.hpp>
#include <ethos/report/svg.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "data/xoshiro.hpp"

namespace {

namespace fs = std::filesystem;
using ethos::building_block;

// ------------------------------------------------------------------------------------------------------------
// A portable generator
// ------------------------------------------------------------------------------------------------------------

using ethos_examples::rng;
using ethos_examples::round_milli;

// ------------------------------------------------------------------------------------------------------------
// The organisation
// ------------------------------------------------------------------------------------------------------------

struct team_spec {
  std::string_view name;
  std::size_t invited;
};

// Shifts are in thousandths of an answer point. Block order (as in the instrument): language, vision,
// recruitment, orientation, communications, recognition, voice of the customer, measures, improvement,
// recovery, benchmarking, role modelling.
struct department_spec {
  std::string_view name;
  std::int64_t climate;                 // added to every Likert answer
  std::array<std::int64_t, 12> profile; // strengths and weaknesses per building block
  std::array<std::int64_t, 12> wave2;   // what changed by the second wave
  std::int64_t served;                  // how well it serves other departments, on the six levels
  std::vector<team_spec> teams;
};

std::vector<department_spec> organisation() {
  constexpr std::array<std::int64_t, 12> steady{};
  return {
      // A service initiative between the waves: listening, recognition and recovery above all.
      {"Customer Care",
       200,
       {150, 100, 0, 150, 100, -250, 300, 200, 100, 250, -100, 50},
       {250, 250, 150, 150, 250, 600, 650, 250, 300, 600, 150, 350},
       4000,
       {{"Team North", 30}, {"Team South", 28}, {"Chat", 20}, {"Escalations", 6}}},
      // A reorganisation between the waves: a small slide across the board.
      {"Operations",
       -50,
       {100, -200, -100, 0, -200, -300, -100, 400, 300, 0, 100, -200},
       {-200, -250, -150, -200, -350, -200, -200, -150, -200, -200, -150, -350},
       3600,
       {{"Warehouse", 32}, {"Logistics", 24}, {"Planning", 14}, {"Night Shift", 4}}},
      {"Finance",
       -200,
       {-200, -250, 0, -100, -100, -200, -400, 300, 0, -300, 100, -300},
       steady,
       2100,
       {{"Billing", 20}, {"Accounts", 14}, {"Treasury", 5}}},
      {"Technology",
       0,
       {-250, -100, 0, 100, -350, -100, -200, 350, 450, 200, 300, -150},
       steady,
       3500,
       {{"Service Desk", 24}, {"Platforms", 22}, {"Applications", 18}, {"Security", 6}}},
      {"People",
       250,
       {350, 350, 450, 500, 250, 150, -100, -200, 0, 100, -200, 350},
       steady,
       3800,
       {{"Recruiting", 13}, {"Learning", 10}, {"Partners", 6}}},
  };
}

std::string team_id(const department_spec& d, const team_spec& t) {
  return std::string(d.name) + "/" + std::string(t.name);
}

// The units table: departments (hanging under the organisation) and their teams; a department invites the
// sum of its teams.
std::vector<ethos::unit_tree::table_row> unit_rows(const std::vector<department_spec>& org) {
  std::vector<ethos::unit_tree::table_row> rows;
  for (const auto& d : org) {
    std::size_t total = 0;
    for (const auto& t : d.teams) {
      total += t.invited;
    }
    rows.push_back({std::string(d.name), "", total});
    for (const auto& t : d.teams) {
      rows.push_back({team_id(d, t), std::string(d.name), t.invited});
    }
  }
  return rows;
}

// What makes a team differ from its department, the same in both waves.
struct team_traits {
  std::int64_t shift = 0;
  std::array<std::int64_t, 12> profile{};
};

std::vector<std::vector<team_traits>> draw_team_traits(const std::vector<department_spec>& org) {
  rng r(20260301);
  std::vector<std::vector<team_traits>> out;
  for (const auto& d : org) {
    auto& teams = out.emplace_back();
    for (std::size_t t = 0; t < d.teams.size(); ++t) {
      team_traits x;
      x.shift = r.normal_milli() * 25 / 100;
      for (auto& p : x.profile) {
        p = r.normal_milli() * 15 / 100;
      }
      teams.push_back(x);
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------------------------------
// Answers
// ------------------------------------------------------------------------------------------------------------

struct respondent {
  std::string id;
  std::size_t department = 0;
  std::string team;
  std::string tenure;
  std::vector<std::optional<int>> answers; // in instrument item order
};

// How strongly each building block colours a person's eNPS answer (vision, recognition and role modelling most),
// so that the driver analysis has something to find.
constexpr std::array<std::int64_t, 12> enps_weight{1, 8, 1, 1, 1, 8, 1, 1, 1, 1, 1, 6};

std::vector<respondent> answer_wave(int wave, const std::vector<department_spec>& org,
                                    const std::vector<std::vector<team_traits>>& traits) {
  const auto inst = ethos::instruments::service_culture_audit.view();
  rng r(wave == 1 ? 0x0E7405'2026'0001ULL : 0x0E7405'2026'0002ULL);
  std::vector<respondent> people;
  for (std::size_t di = 0; di < org.size(); ++di) {
    const auto& d = org[di];
    for (std::size_t ti = 0; ti < d.teams.size(); ++ti) {
      const auto& t = d.teams[ti];
      const auto& tt = traits[di][ti];
      const std::size_t rate = 80 + r.below(11); // participation, percent
      const std::size_t answered = std::min(t.invited, (t.invited * rate + 50) / 100);
      for (std::size_t p = 0; p < answered; ++p) {
        respondent x;
        x.department = di;
        x.team = team_id(d, t);
        const std::size_t band = r.below(100);
        x.tenure = band < 5 ? "" : band < 30 ? "<1" : band < 62 ? "1-3" : "3+";
        const std::int64_t person = r.normal_milli() * 45 / 100;
        std::array<std::int64_t, 12> person_profile{};
        for (auto& v : person_profile) {
          v = r.normal_milli() * 40 / 100;
        }
        std::int64_t weighted = 0; // keyed Likert answers weighted by enps_weight
        std::int64_t weights = 0;
        std::int64_t plain = 0; // keyed Likert answers
        std::int64_t answered_items = 0;
        for (const auto& it : inst.items) {
          const bool missing = r.chance(30);
          int a = 0;
          if (it.format == ethos::response_format::likert) {
            const auto c = *inst.construct_index(it.construct);
            const std::int64_t latent = 3350 + d.climate + tt.shift + person + d.profile[c] + tt.profile[c] +
                                        person_profile[c] + (wave == 2 ? d.wave2[c] : 0) + r.normal_milli() * 55 / 100;
            a = round_milli(latent, 1, 5);
            if (!missing) {
              weighted += enps_weight[c] * a;
              weights += enps_weight[c];
              plain += a;
              ++answered_items;
            }
            if (it.reverse) {
              a = 6 - a; // the answer as given to a negatively worded item
            }
          } else if (it.format == ethos::response_format::nps) {
            const std::int64_t mood = weights > 0 ? weighted * 1000 / weights - 3000 : person;
            a = round_milli(6800 + mood * 28 / 10 + r.normal_milli() * 13 / 10, 0, 10);
          } else { // a six-level rating of the team's service
            const std::int64_t mood = answered_items > 0 ? plain * 1000 / answered_items - 3000 : person;
            a = round_milli(3900 + mood * 11 / 10 + r.normal_milli() * 8 / 10, 1, 6);
          }
          x.answers.push_back(missing ? std::nullopt : std::optional<int>(a));
        }
        people.push_back(std::move(x));
      }
    }
  }
  // Rows in the order the responses came in, not grouped by team; then ids in that order.
  for (std::size_t i = people.size(); i > 1; --i) {
    std::swap(people[i - 1], people[r.below(i)]);
  }
  for (std::size_t i = 0; i < people.size(); ++i) {
    people[i].id = fmt::format("W{}-{:04}", wave, i + 1);
  }
  return people;
}

// Each person of the second wave rates the service of two or three other departments on the six levels.
// Finance serves everyone poorly; Technology and Operations see each other very differently.
std::vector<ethos::internal_rating> rate_departments(const std::vector<respondent>& people,
                                                     const std::vector<department_spec>& org) {
  rng r(0x0E7405'15C0'0002ULL);
  const auto index_of = [&](std::string_view name) {
    for (std::size_t i = 0; i < org.size(); ++i) {
      if (org[i].name == name) {
        return i;
      }
    }
    throw ethos::error("org_waves: no department '" + std::string(name) + "'");
  };
  const std::size_t ops = index_of("Operations");
  const std::size_t tech = index_of("Technology");
  std::vector<ethos::internal_rating> out;
  for (const auto& p : people) {
    std::vector<std::size_t> others;
    for (std::size_t i = 0; i < org.size(); ++i) {
      if (i != p.department) {
        others.push_back(i);
      }
    }
    const std::size_t count = 2 + r.below(2);
    for (std::size_t k = 0; k < count; ++k) { // a partial shuffle picks `count` distinct departments
      std::swap(others[k], others[k + r.below(others.size() - k)]);
      const std::size_t served = others[k];
      std::int64_t level = org[served].served;
      if (p.department == tech && served == ops) {
        level = 2400;
      } else if (p.department == ops && served == tech) {
        level = 4400;
      }
      out.push_back({p.id, std::string(org[p.department].name), std::string(org[served].name),
                     round_milli(level + r.normal_milli() * 7 / 10, 1, 6)});
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------------------------------
// Files
// ------------------------------------------------------------------------------------------------------------

std::ofstream open_for_writing(const fs::path& path) {
  std::ofstream out(path, std::ios::binary);
  if (!out) {
    throw ethos::error(path.string() + ": cannot open for writing");
  }
  return out;
}

void write_units(const fs::path& path, const std::vector<ethos::unit_tree::table_row>& rows) {
  auto out = open_for_writing(path);
  ethos::csv_writer w(out);
  w.row({"unit", "parent", "invited"});
  for (const auto& row : rows) {
    w.field(row.unit).field(row.parent).field(*row.invited).end_row();
  }
}

void write_wave(const fs::path& path, const std::vector<respondent>& people) {
  const auto inst = ethos::instruments::service_culture_audit.view();
  auto out = open_for_writing(path);
  ethos::csv_writer w(out);
  w.field("id").field("team").field("tenure");
  for (const auto& it : inst.items) {
    w.field(it.id);
  }
  w.end_row();
  for (const auto& p : people) {
    w.field(p.id).field(p.team).field(p.tenure);
    for (const auto& a : p.answers) {
      if (a) {
        w.field(*a);
      } else {
        w.empty();
      }
    }
    w.end_row();
  }
}

void write_ratings(const fs::path& path, const std::vector<ethos::internal_rating>& ratings) {
  auto out = open_for_writing(path);
  ethos::csv_writer w(out);
  w.row({"person", "rater_unit", "served_unit", "rating"});
  for (const auto& r : ratings) {
    w.field(r.person).field(r.rater_unit).field(r.served_unit).field(r.value).end_row();
  }
}

ethos::response_matrix build_matrix(const std::vector<respondent>& people) {
  ethos::response_builder b(ethos::instruments::service_culture_audit.view(), {"team", "tenure"});
  for (const auto& p : people) {
    const std::array<std::string_view, 2> groups{p.team, p.tenure};
    b.add(p.id, p.answers, groups);
  }
  return b.finish();
}

// The files must read back as exactly what the program analyses; anything else would make the example lie.
void check_read_back(const fs::path& dir, const std::array<const ethos::response_matrix*, 2>& waves,
                     const ethos::unit_tree& tree, const std::vector<ethos::internal_rating>& ratings,
                     const ethos::internal_service_options& opt) {
  const auto inst = ethos::instruments::service_culture_audit.view();
  for (std::size_t w = 0; w < waves.size(); ++w) {
    const fs::path file = dir / fmt::format("wave{}.csv", w + 1);
    const auto read = ethos::read_responses_file(file, inst);
    const auto& a = *waves[w];
    const auto& b = read.matrix;
    bool same = a.rows() == b.rows() && a.respondent_ids() == b.respondent_ids() && a.item_ids() == b.item_ids() &&
                a.groups().size() == b.groups().size();
    for (std::size_t j = 0; same && j < a.columns(); ++j) {
      same = std::equal(a.column(j).begin(), a.column(j).end(), b.column(j).begin(), b.column(j).end());
    }
    for (std::size_t g = 0; same && g < a.groups().size(); ++g) {
      same = a.groups()[g].name == b.groups()[g].name;
      for (std::size_t i = 0; same && i < a.rows(); ++i) {
        same = a.groups()[g].label(i) == b.groups()[g].label(i);
      }
    }
    if (!same) {
      throw ethos::error(file.string() + ": does not read back as written");
    }
  }
  const auto units = ethos::read_units_file(dir / "units.csv");
  bool same = units.size() == tree.size();
  for (std::size_t u = 0; same && u < tree.size(); ++u) {
    same = units[u].id == tree[u].id && units.invited_total(u) == tree.invited_total(u);
  }
  if (!same) {
    throw ethos::error((dir / "units.csv").string() + ": does not read back as written");
  }
  const auto back = ethos::read_internal_ratings_file(dir / "internal_service.csv", opt);
  same = back.size() == ratings.size();
  for (std::size_t i = 0; same && i < back.size(); ++i) {
    same = back[i].person == ratings[i].person && back[i].rater_unit == ratings[i].rater_unit &&
           back[i].served_unit == ratings[i].served_unit && back[i].value == ratings[i].value;
  }
  if (!same) {
    throw ethos::error((dir / "internal_service.csv").string() + ": does not read back as written");
  }
}

// ------------------------------------------------------------------------------------------------------------
// The summary
// ------------------------------------------------------------------------------------------------------------

std::string mean_text(const std::optional<double>& x) { return x ? fmt::format("{:.2f}", *x) : "hidden"; }

std::string level_text(const ethos::internal_cell& c) { return c.mean ? fmt::format("{:.1f}", *c.mean) : "hidden"; }

struct hidden_count {
  std::size_t too_small = 0;
  std::size_t secondary = 0;
  std::size_t cut_shown = 0;
  std::size_t cut_hidden = 0;
};

hidden_count count_hidden(const ethos::org_rollup& r) {
  hidden_count h;
  for (const auto& u : r.units) {
    for (const auto& c : u.constructs) {
      h.too_small += c.status == ethos::suppression::too_small ? 1U : 0U;
      h.secondary += c.status == ethos::suppression::secondary ? 1U : 0U;
    }
  }
  if (r.cut) {
    for (const auto& row : r.cut->rows) {
      for (const auto& c : row.constructs) {
        (c.shown() ? h.cut_shown : h.cut_hidden) += 1;
      }
    }
  }
  return h;
}

std::size_t construct_of(const std::vector<ethos::rollup_construct>& cs, building_block b) {
  for (std::size_t i = 0; i < cs.size(); ++i) {
    if (cs[i].key == ethos::key(b)) {
      return i;
    }
  }
  throw ethos::error("org_waves: no construct '" + std::string(ethos::key(b)) + "'");
}

int run(const fs::path& dir) {
  const auto inst = ethos::instruments::service_culture_audit.view();
  const auto org = organisation();
  const auto traits = draw_team_traits(org);
  fs::create_directories(dir);

  // 1. Units.
  const auto rows = unit_rows(org);
  write_units(dir / "units.csv", rows);
  const auto tree = ethos::unit_tree::from_table(rows, "units.csv");

  // 2. Two waves of answers, and 3. the internal-service ratings of the second.
  const std::array<std::vector<respondent>, 2> people{answer_wave(1, org, traits), answer_wave(2, org, traits)};
  write_wave(dir / "wave1.csv", people[0]);
  write_wave(dir / "wave2.csv", people[1]);
  const auto ratings = rate_departments(people[1], org);
  write_ratings(dir / "internal_service.csv", ratings);

  ethos::internal_service_options iopt;
  iopt.scale = ethos::internal_scale_kind::service_levels;
  iopt.expected = 3.0;
  iopt.min_group_size = 5;

  // 4. Analysis, on matrices built directly (the files are read back only to prove they match).
  const std::array<ethos::response_matrix, 2> m{build_matrix(people[0]), build_matrix(people[1])};
  check_read_back(dir, {&m[0], &m[1]}, tree, ratings, iopt);
  std::array<ethos::scoring_result, 2> scored;
  std::array<ethos::unit_assignment, 2> placed;
  for (std::size_t w = 0; w < 2; ++w) {
    scored[w] = ethos::score(inst, m[w]);
    placed[w] = ethos::assign_units(tree, *m[w].group("team"));
  }
  // Each wave's report in one call: every section protected together and audited. The second wave's report holds
  // the trend since the first, the driver analyses and the internal-service matrix, and is protected and audited
  // together with the first wave's release to the same audience (the ledger).
  ethos::report_request q;
  q.instrument = &inst;
  q.options.min_group_size = 5;
  q.options.cut = "tenure";
  q.current = {&m[0], &scored[0], &tree, &placed[0], false};
  const ethos::survey_report first = ethos::build_report(q);
  ethos::release_ledger ledger;
  ledger.record(first.cells, first.min_group_size, "wave 1");
  q.current = {&m[1], &scored[1], &tree, &placed[1], false};
  q.previous = ethos::survey_wave{&m[0], &scored[0], &tree, &placed[0], false};
  ethos::unit_driver_options dopt;
  dopt.max_depth = 1;
  q.options.drivers = dopt;
  q.options.internal_service = iopt;
  q.ratings = std::span<const ethos::internal_rating>(ratings);
  q.ledger = &ledger;
  const ethos::survey_report second = ethos::build_report(q);
  const auto& trend = *second.trend;
  const auto& drivers = second.drivers;
  const auto& service = *second.internal_service;
  const std::array<const ethos::org_rollup*, 2> rolled{&*first.units, &*second.units};
  const bool safe = second.audit.safe() && second.union_audit && second.union_audit->safe();

  // 5. The heatmaps, the later wave first.
  const std::vector<ethos::svg::document> charts{
      ethos::rollup_heatmap(second, {.max_depth = 2, .title = "Wave 2: favourable share (%) by unit and construct"}),
      ethos::rollup_heatmap(first, {.max_depth = 2, .title = "Wave 1: favourable share (%) by unit and construct"}),
  };
  {
    auto out = open_for_writing(dir / "org_heatmap.svg");
    out << ethos::svg::stack(charts, "Service Culture Audit: two waves by unit",
                             "Favourable share per unit and building block in the second wave (top) and the "
                             "first wave (bottom); hatched cells are hidden by the anonymity rules.")
               .str();
    if (!out) {
      throw ethos::error((dir / "org_heatmap.svg").string() + ": writing failed");
    }
  }

  // 6. The summary.
  std::size_t invited = 0;
  std::size_t teams = 0;
  for (const auto& d : org) {
    teams += d.teams.size();
    for (const auto& t : d.teams) {
      invited += t.invited;
    }
  }
  fmt::print("Service Culture Audit, two waves: {} invited in {} departments and {} teams\n", invited, org.size(),
             teams);
  fmt::print("Responses: wave 1 {} ({:.0f}%), wave 2 {} ({:.0f}%); minimum group size 5; * p < .05\n\n", m[0].rows(),
             100.0 * static_cast<double>(m[0].rows()) / static_cast<double>(invited), m[1].rows(),
             100.0 * static_cast<double>(m[1].rows()) / static_cast<double>(invited));

  const std::array<std::pair<building_block, std::string_view>, 4> shown{{
      {building_block::voice_of_the_customer, "Voice of customer"},
      {building_block::service_recognition_and_rewards, "Recognition"},
      {building_block::service_recovery_and_guarantees, "Recovery"},
      {building_block::service_role_modeling, "Role modelling"},
  }};
  std::array<std::size_t, 4> col{};
  for (std::size_t i = 0; i < shown.size(); ++i) {
    col[i] = construct_of(trend.constructs, shown[i].first);
  }
  std::string heading = fmt::format("{:<15}", "Mean (1-5)");
  for (const auto& s : shown) {
    heading += fmt::format(" {:<20}", s.second);
  }
  while (heading.back() == ' ') {
    heading.pop_back();
  }
  fmt::print("{}\n{:<15}", heading, "");
  for (std::size_t i = 0; i < shown.size(); ++i) {
    fmt::print(" {:>6} {:>6} {:<6}", "wave 1", "wave 2", "change");
  }
  fmt::print("\n");
  for (std::size_t u = 0; u < trend.units.size(); ++u) {
    const auto& unit = rolled[1]->units[u]; // both waves share the tree, so the units come in the same order
    if (unit.id != trend.units[u].unit) {
      throw ethos::error("org_waves: the waves' units do not line up");
    }
    // Teams are indented under their department and named without it.
    const std::string label = unit.depth == 0   ? std::string("Organisation")
                              : unit.depth == 1 ? unit.id
                                                : "  " + unit.id.substr(unit.parent.size() + 1);
    std::string line = fmt::format("{:<15}", label);
    for (const auto c : col) {
      const auto& ch = trend.units[u].constructs[c];
      std::string change;
      if (ch.change) {
        change = fmt::format("{:+.2f}{}", *ch.change, ch.significant.value_or(false) ? "*" : "");
      }
      line += fmt::format(" {:>6} {:>6} {:<6}", mean_text(ch.before), mean_text(ch.after), change);
    }
    while (!line.empty() && line.back() == ' ') {
      line.pop_back();
    }
    fmt::print("{}\n", line);
  }

  const std::array<hidden_count, 2> hidden{count_hidden(*rolled[0]), count_hidden(*rolled[1])};
  const std::size_t cells = rolled[1]->units.size() * rolled[1]->constructs.size();
  fmt::print("\nHidden of {} unit x construct cells: wave 1 {} too small, {} to protect them; "
             "wave 2 {} and {}\n",
             cells, hidden[0].too_small, hidden[0].secondary, hidden[1].too_small, hidden[1].secondary);
  fmt::print("Unit x tenure cells shown / hidden: wave 1 {} / {}, wave 2 {} / {}\n", hidden[0].cut_shown,
             hidden[0].cut_hidden, hidden[1].cut_shown, hidden[1].cut_hidden);
  fmt::print("Disclosure audit of wave 2: {} published cells, with wave 1's {} cells: safe: {}\n", second.audit.cells,
             second.union_audit ? second.union_audit->cells : 0, safe ? "yes" : "no");

  fmt::print("\nInternal service (wave 2): {} ratings on the six levels, expected level 3\n", ratings.size());
  std::string received = "  received:";
  for (std::size_t i = 0; i < service.units.size(); ++i) {
    received += fmt::format("{} {} {}", i == 0 ? "" : ",", service.units[i], level_text(service.received[i]));
  }
  fmt::print("{}\n", received);
  std::string silos;
  for (const auto& s : service.possible_silos) {
    silos += (silos.empty() ? "" : ", ") + s;
  }
  fmt::print("  possible silos: {}\n", silos.empty() ? "none" : silos);
  const auto is_silo = [&](const std::string& u) {
    return std::find(service.possible_silos.begin(), service.possible_silos.end(), u) != service.possible_silos.end();
  };
  std::size_t with_silo = 0;
  std::size_t listed = 0;
  for (const auto& p : service.asymmetric) {
    if (is_silo(p.a) || is_silo(p.b)) {
      ++with_silo;
      continue;
    }
    fmt::print("  asymmetric: {} rates {} {:.1f}, {} rates {} {:.1f}\n", p.a, p.b, p.a_rates_b, p.b, p.a, p.b_rates_a);
    ++listed;
  }
  if (listed == 0) {
    fmt::print("  asymmetric pairs: none apart from those of a possible silo\n");
  }
  if (with_silo > 0) {
    fmt::print("  ({} more asymmetric pair(s) involve a possible silo)\n", with_silo);
  }

  for (const auto& ud : drivers) {
    if (!ud.unit.empty()) {
      continue;
    }
    const auto& a = ud.analysis;
    fmt::print("\nDrivers of eNPS in the organisation (wave 2, n {}, R^2 {}):\n", a.n,
               a.r_squared ? fmt::format("{:.2f}", *a.r_squared) : "-");
    std::vector<const ethos::driver_entry*> order;
    for (const auto& e : a.drivers) {
      order.push_back(&e);
    }
    std::stable_sort(order.begin(), order.end(),
                     [](const auto* x, const auto* y) { return x->share.value_or(-1.0) > y->share.value_or(-1.0); });
    for (std::size_t i = 0; i < order.size() && i < 4; ++i) {
      const auto& e = *order[i];
      fmt::print("  {:<32} r {:>5}  share {:>4}  {}\n", e.label, e.r ? fmt::format("{:.2f}", *e.r) : "-",
                 e.share ? fmt::format("{:.0f}%", 100.0 * *e.share) : "-",
                 e.quadrant ? std::string(ethos::to_string(*e.quadrant)) : std::string("-"));
    }
    if (!a.reason.empty()) {
      fmt::print("  ({})\n", a.reason);
    }
  }
  // Departments get an analysis only when every construct is shown and enough people answered.
  for (const auto& ud : drivers) {
    const ethos::driver_entry* best = nullptr;
    for (const auto& e : ud.analysis.drivers) {
      if (e.share && (best == nullptr || *e.share > *best->share)) {
        best = &e;
      }
    }
    if (!ud.unit.empty() && best != nullptr) {
      fmt::print("  top driver in {} (n {}): {}\n", ud.unit, ud.analysis.n, best->label);
    }
  }

  fmt::print("\nWrote {}: units.csv, wave1.csv, wave2.csv, internal_service.csv, org_heatmap.svg\n", dir.string());
  return safe ? 0 : 1;
}

} // namespace

int main(int argc, char* argv[]) {
  // One optional argument, the folder to write; anything else (such as --help) gets the usage, not a folder.
  if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
    fmt::print(stderr, "usage: org_waves [OUTPUT_FOLDER]  (default: org_waves_out)\n");
    return argc == 2 && std::string_view(argv[1]) == "--help" ? 0 : 2;
  }
  const fs::path dir = argc > 1 ? fs::path(argv[1]) : fs::path("org_waves_out");
  try {
    return run(dir);
  } catch (const ethos::error& e) {
    fmt::print(stderr, "org_waves: {}\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    fmt::print(stderr, "org_waves: {}\n", e.what());
    return 1;
  }
}
