// Roll-ups over a unit tree: statistics against a direct computation per subtree, the anonymity rules per
// construct and per cut, and property tests on random organisations: every roll-up passes the disclosure
// audit and no withheld cell can be derived from the shown ones.
#include "../support/checks.hpp"

#include <ethos/io/json.hpp>
#include <ethos/io/json_value.hpp>
#include <ethos/measure.hpp>
#include <ethos/org/disclosure.hpp>
#include <ethos/org/organisation.hpp>
#include <ethos/org/report.hpp>
#include <ethos/org/rollup.hpp>
#include <ethos/org/units.hpp>
#include <ethos/stats/accumulator.hpp>
#include <ethos/stats/agreement.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace {

ethos::instrument two_constructs() {
  ethos::instrument_def def;
  def.id = "rollup";
  def.title = "Roll-up survey";
  def.constructs = {{"voice", "Voice", {}}, {"team", "Team", {}}};
  for (const char* id : {"v1", "v2", "v3"}) {
    def.items.push_back({id, "", "voice", std::string(id) == "v3"});
  }
  for (const char* id : {"t1", "t2", "t3"}) {
    def.items.push_back({id, "", "team"});
  }
  return ethos::instrument(def);
}

struct person {
  std::string unit;
  std::string tenure;
  std::vector<std::optional<int>> answers; // v1 v2 v3 t1 t2 t3
};

ethos::response_matrix matrix_of(const ethos::instrument& inst, const std::vector<person>& people) {
  ethos::response_builder b(inst, {"unit", "tenure"});
  for (std::size_t i = 0; i < people.size(); ++i) {
    const std::vector<std::string_view> groups{people[i].unit, people[i].tenure};
    b.add("r" + std::to_string(i), people[i].answers, groups);
  }
  return b.finish();
}

std::vector<person> random_people(std::mt19937& rng, std::size_t n, const std::vector<std::string>& units) {
  std::vector<person> out;
  std::uniform_int_distribution<std::size_t> pick(0, units.size() - 1);
  std::uniform_int_distribution<int> answer(1, 5);
  std::uniform_int_distribution<int> pct(0, 99);
  const std::vector<std::string> tenure{"", "<1", "1-3", "3+"};
  for (std::size_t i = 0; i < n; ++i) {
    person p;
    p.unit = units[pick(rng)];
    p.tenure = tenure[static_cast<std::size_t>(pct(rng)) % tenure.size()];
    const int lean = answer(rng);
    for (int j = 0; j < 6; ++j) {
      if (pct(rng) < 12) {
        p.answers.emplace_back(std::nullopt);
      } else {
        p.answers.emplace_back(std::clamp(lean + (pct(rng) % 3) - 1, 1, 5));
      }
    }
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<std::string> random_unit_labels(std::mt19937& rng) {
  std::vector<std::string> out{""}; // some respondents without a unit
  const int depts = 2 + static_cast<int>(rng() % 4);
  for (int d = 0; d < depts; ++d) {
    const std::string dept = "D" + std::to_string(d);
    out.push_back(dept);
    const int teams = static_cast<int>(rng() % 5);
    for (int t = 0; t < teams; ++t) {
      out.push_back(dept + "/T" + std::to_string(t));
      if (rng() % 4 == 0) {
        out.push_back(dept + "/T" + std::to_string(t) + "/S");
      }
    }
  }
  return out;
}

// Every roll-up must pass the audit, construct by construct, and withhold nothing small that can be derived.
void check_disclosure(const ethos::org_rollup& r, const ethos::response_matrix& m, const ethos::scoring_result& s,
                      const ethos::unit_tree& tree, const ethos::unit_assignment& ua) {
  const std::size_t k = r.min_group_size;
  for (std::size_t c = 0; c < r.constructs.size(); ++c) {
    const auto shown = ethos::rollup_cells(r, m, s, tree, ua, c);
    const auto audit = ethos::disclosure_audit(shown, {.min_group_size = k});
    CHECK(audit.safe());
    for (const auto& f : audit.findings) {
      WARN(f.message);
    }
    // Withheld unit cells: their scored respondents.
    const auto scores = s.persons.construct(c);
    for (std::size_t u = 0; u < tree.size(); ++u) {
      const auto& cell = r.units[u].constructs[c];
      if (cell.shown() || cell.n == 0) {
        continue;
      }
      const auto idx = *tree.find(r.units[u].id);
      std::vector<std::uint32_t> members;
      for (std::size_t p = 0; p < m.rows(); ++p) {
        if (std::isfinite(scores[p]) && tree.contains(idx, ua.unit_of[p])) {
          members.push_back(static_cast<std::uint32_t>(p));
        }
      }
      REQUIRE(members.size() == cell.n);
      CHECK_FALSE(ethos::is_derivable(shown, members, {.min_group_size = k}));
    }
  }
}

} // namespace

TEST_CASE("roll-up: statistics per subtree match a direct computation", "[org][rollup]") {
  std::mt19937 rng(11);
  const auto inst = two_constructs();
  const auto people = random_people(rng, 400, {"", "A", "A/x", "A/y", "A/y/deep", "B", "B/z", "C"});
  const auto m = matrix_of(inst, people);
  const auto scored = ethos::score(inst, m);
  const auto tree_ua = ethos::units_from_column(*m.group("unit"));
  const auto& tree = tree_ua.first;
  const auto& ua = tree_ua.second;
  const auto r = ethos::roll_up(inst, m, scored, tree, ua, {.min_group_size = 5});
  REQUIRE(r.units.size() == tree.size());
  CHECK(r.units[0].id.empty());
  CHECK(r.units[0].respondents == 400);
  for (std::size_t c = 0; c < 2; ++c) {
    const auto scores = scored.persons.construct(c);
    for (const auto& u : r.units) {
      const auto idx = *tree.find(u.id);
      double sum = 0;
      std::size_t n = 0;
      std::size_t fav = 0;
      std::size_t answers = 0;
      std::vector<std::uint32_t> in_unit(m.rows(), 1);
      for (std::size_t p = 0; p < m.rows(); ++p) {
        const bool inside = tree.contains(idx, ua.unit_of[p]);
        in_unit[p] = inside ? 0 : 1;
        if (!inside || !std::isfinite(scores[p])) {
          continue;
        }
        sum += scores[p];
        ++n;
        for (std::size_t j = 0; j < 3; ++j) {
          const auto& a = people[p].answers[c * 3 + j];
          if (a) {
            const int keyed = (c == 0 && j == 2) ? 6 - *a : *a;
            ++answers;
            fav += keyed >= 4 ? 1U : 0U;
          }
        }
      }
      const auto& cell = u.constructs[c];
      INFO("unit '" << u.id << "' construct " << c);
      CHECK(cell.n == n);
      if (!cell.shown()) {
        CHECK_FALSE(cell.mean);
        CHECK_FALSE(cell.favorable);
        CHECK_FALSE(cell.rwg_j);
        continue;
      }
      REQUIRE(cell.mean);
      CHECK(*cell.mean == Approx(sum / static_cast<double>(n)).epsilon(1e-12));
      REQUIRE(cell.favorable);
      CHECK(*cell.favorable == Approx(static_cast<double>(fav) / static_cast<double>(answers)).epsilon(1e-15));
      // rwg(j) of the subtree from an accumulator grouping "inside" (0) vs "outside" (1): another path.
      ethos::likert_config cfg(3, 1, 5, 2);
      cfg.reverse = {false, false, c == 0};
      std::vector<const std::uint8_t*> cols;
      for (std::size_t j = 0; j < 3; ++j) {
        cols.push_back(m.column(c * 3 + j).data());
      }
      ethos::likert_accumulator acc(cfg);
      acc.add(cols, m.rows(), in_unit);
      const auto ag = ethos::agreement(acc);
      CHECK(cell.rwg_j == ag[0].rwg_j);
    }
  }
  check_disclosure(r, m, scored, tree, ua);
}

TEST_CASE("roll-up: the anonymity rules on a hand-built organisation", "[org][rollup]") {
  const auto inst = two_constructs();
  std::vector<person> people;
  const auto add = [&](const std::string& unit, int n, bool skip_team = false) {
    for (int i = 0; i < n; ++i) {
      const std::optional<int> t = skip_team ? std::nullopt : std::optional<int>(1 + i % 5);
      people.push_back({unit, i % 2 == 0 ? "<1" : "3+", {1 + i % 5, 2, 3, t, t, t}});
    }
  };
  add("Sales/EMEA", 12);
  add("Sales/APAC", 7);
  add("Sales/LATAM", 3); // too small
  add("Ops", 6);
  add("Ops/Floor", 4, true); // answers voice only: 'team' of Ops = 6 scored, Ops/Floor has none
  const auto m = matrix_of(inst, people);
  const auto scored = ethos::score(inst, m);
  const auto tree_ua = ethos::units_from_column(*m.group("unit"));
  const auto& tree = tree_ua.first;
  const auto& ua = tree_ua.second;
  const auto r = ethos::roll_up(inst, m, scored, tree, ua);
  const auto cell = [&](const std::string& id, std::size_t c) -> const ethos::unit_cell& {
    return r.units[*tree.find(id)].constructs[c];
  };
  CHECK(cell("Sales/LATAM", 0).status == ethos::suppression::too_small);
  // Sales = 22 = 12 + 7 + 3: the remainder is LATAM alone, so APAC (the smallest shown) is hidden too.
  CHECK(cell("Sales/APAC", 0).status == ethos::suppression::secondary);
  CHECK(cell("Sales/EMEA", 0).shown());
  CHECK(cell("Sales", 0).shown());
  CHECK_FALSE(cell("Sales/APAC", 0).mean);
  // Ops/Floor (4) is too small for voice; for team it has nobody with a score, so Ops' team cell rests on
  // Ops' own 6 people while its voice cell has 10: different sets per construct, each protected on its own.
  CHECK(cell("Ops/Floor", 0).status == ethos::suppression::too_small);
  CHECK(cell("Ops", 0).shown());
  CHECK(cell("Ops", 0).n == 10);
  CHECK(cell("Ops/Floor", 1).n == 0);
  CHECK(cell("Ops", 1).n == 6);
  CHECK(cell("Ops", 1).shown());
  // The organisation: 32 voice respondents; shown units below cover Sales (22) and Ops (10): remainder 0.
  CHECK(r.units[0].constructs[0].shown());
  CHECK(r.warnings.size() >= 2);
  check_disclosure(r, m, scored, tree, ua);

  // A cut by tenure: cells per unit x level, protected together with the units.
  const auto rc = ethos::roll_up(inst, m, scored, tree, ua, {.min_group_size = 5, .cut = "tenure"});
  REQUIRE(rc.cut);
  CHECK(rc.cut->levels == std::vector<std::string>{"3+", "<1"});
  CHECK(rc.cut->proven);
  bool any_shown = false;
  for (const auto& row : rc.cut->rows) {
    for (const auto& cc : row.constructs) {
      if (cc.n > 0 && cc.n < 5) {
        CHECK(cc.status == ethos::suppression::too_small);
      }
      any_shown = any_shown || cc.shown();
    }
  }
  CHECK(any_shown);
  check_disclosure(rc, m, scored, tree, ua);
}

TEST_CASE("roll-up: random organisations with cuts pass the disclosure audit", "[org][rollup]") {
  std::mt19937 rng(2026);
  const auto inst = two_constructs();
  for (int trial = 0; trial < 25; ++trial) {
    const auto labels = random_unit_labels(rng);
    const auto people = random_people(rng, 40 + rng() % 160, labels);
    const auto m = matrix_of(inst, people);
    const auto scored = ethos::score(inst, m);
    const auto tree_ua = ethos::units_from_column(*m.group("unit"));
    const auto& tree = tree_ua.first;
    const auto& ua = tree_ua.second;
    const std::size_t k = 3 + static_cast<std::size_t>(trial % 5);
    INFO("trial " << trial << ", k " << k);
    const auto r =
        ethos::roll_up(inst, m, scored, tree, ua, {.min_group_size = k, .cut = trial % 2 == 0 ? "tenure" : ""});
    check_disclosure(r, m, scored, tree, ua);
    if (r.cut) {
      CHECK(r.cut->proven);
    }
  }
}

TEST_CASE("roll-up cut: settled teams leave the search, and a small remainder still hides a team's cell first",
          "[org][rollup]") {
  // One department of four teams, cut by two levels, k = 5 (worked out by hand):
  //   T1: 1 at a, 2 at b (3: too small). T2: 6 at a, 1 at b (7). T3: 6 and 6. T4: 6 and 7.
  // protect_tree hides T1 (too small) and then T2, the smallest team whose hiding adds people to D's remainder.
  // T3 and T4 are settled (shown, every class 6 or more): they split off from the search. What is left of D's
  // cell at b is T1 and T2's 3 people there; the search of the whole family would hide the smallest team cell at
  // b to cover them (T3 x b, 6 against T4's 7), and then T3 x a (T3's total less T3 x a gives T3 x b back), so T3
  // joins the search as D's candidate and the same two cells are hidden. D's and the organisation's cut cells
  // and T4's stay shown.
  const auto inst = two_constructs();
  std::vector<person> people;
  const auto add = [&](const char* unit, const char* tenure, int count) {
    for (int i = 0; i < count; ++i) {
      people.push_back({unit, tenure, {3, 4, 2, 4, 3, 5}});
    }
  };
  add("D/T1", "a", 1);
  add("D/T1", "b", 2);
  add("D/T2", "a", 6);
  add("D/T2", "b", 1);
  add("D/T3", "a", 6);
  add("D/T3", "b", 6);
  add("D/T4", "a", 6);
  add("D/T4", "b", 7);
  const auto m = matrix_of(inst, people);
  const auto scored = ethos::score(inst, m);
  const auto tree_ua = ethos::units_from_column(*m.group("unit"));
  const auto& tree = tree_ua.first;
  const auto& ua = tree_ua.second;
  for (const std::size_t threads : {std::size_t{1}, std::size_t{2}}) {
    const auto r =
        ethos::roll_up(inst, m, scored, tree, ua, {.min_group_size = 5, .cut = "tenure", .threads = threads});
    REQUIRE(r.cut);
    CHECK(r.cut->proven);
    using ethos::suppression;
    const auto unit_status = [&](const std::string& id) {
      const auto it =
          std::find_if(r.units.begin(), r.units.end(), [&](const ethos::unit_result& u) { return u.id == id; });
      REQUIRE(it != r.units.end());
      return it->constructs[0].status;
    };
    CHECK(unit_status("D/T1") == suppression::too_small);
    CHECK(unit_status("D/T2") == suppression::secondary);
    CHECK(unit_status("D/T3") == suppression::none);
    CHECK(unit_status("D/T4") == suppression::none);
    CHECK(unit_status("D") == suppression::none);
    CHECK(unit_status("") == suppression::none);
    const auto cut_status = [&](const std::string& unit, const std::string& level, std::size_t c) {
      for (const auto& row : r.cut->rows) {
        if (row.unit == unit && row.level == level) {
          return row.constructs[c].status;
        }
      }
      FAIL("no cut cell " << unit << " x " << level);
      return suppression::none;
    };
    for (std::size_t c = 0; c < 2; ++c) {
      INFO("construct " << c << ", threads " << threads);
      CHECK(cut_status("D/T1", "a", c) == suppression::too_small);
      CHECK(cut_status("D/T1", "b", c) == suppression::too_small);
      CHECK(cut_status("D/T2", "a", c) == suppression::secondary);
      CHECK(cut_status("D/T2", "b", c) == suppression::too_small);
      CHECK(cut_status("D/T3", "a", c) == suppression::secondary);
      CHECK(cut_status("D/T3", "b", c) == suppression::secondary);
      CHECK(cut_status("D/T4", "a", c) == suppression::none);
      CHECK(cut_status("D/T4", "b", c) == suppression::none);
      CHECK(cut_status("D", "a", c) == suppression::none);
      CHECK(cut_status("D", "b", c) == suppression::none);
      CHECK(cut_status("", "a", c) == suppression::none);
      CHECK(cut_status("", "b", c) == suppression::none);
    }
    check_disclosure(r, m, scored, tree, ua);
  }
}

TEST_CASE("roll-up: participation from invited headcounts", "[org][rollup]") {
  const auto inst = two_constructs();
  std::vector<person> people;
  for (int i = 0; i < 9; ++i) {
    people.push_back({i < 6 ? "A" : "B", "", {3, 3, 3, 3, 3, 3}});
  }
  const auto m = matrix_of(inst, people);
  const auto scored = ethos::score(inst, m);
  std::vector<ethos::unit_tree::table_row> rows{{"A", "", 8, 2}, {"B", "", 2, 3}};
  const auto tree = ethos::unit_tree::from_table(rows);
  const auto ua = ethos::assign_units(tree, *m.group("unit"));
  const auto r = ethos::roll_up(inst, m, scored, tree, ua, {.min_group_size = 3});
  const auto& a = r.units[*tree.find("A")];
  REQUIRE(a.participation);
  CHECK(*a.participation == Approx(6.0 / 8.0));
  const auto& b = r.units[*tree.find("B")];
  CHECK_FALSE(b.participation); // 3 respondents, 2 invited
  CHECK(r.units[0].invited == std::optional<std::size_t>(10));
  REQUIRE(r.units[0].participation);
  CHECK(*r.units[0].participation == Approx(0.9));
  bool warned = false;
  for (const auto& w : r.warnings) {
    warned = warned || (w.message == "Unit 'B' has 3 respondents but 2 invited; its participation rate is not shown." &&
                        w.code == ethos::warning_code::participation_not_shown);
  }
  CHECK(warned);
}

TEST_CASE("roll-up: bad arguments", "[org][rollup]") {
  const auto inst = two_constructs();
  std::mt19937 rng(3);
  const auto people = random_people(rng, 20, {"A", "B"});
  const auto m = matrix_of(inst, people);
  const auto scored = ethos::score(inst, m);
  const auto tree_ua = ethos::units_from_column(*m.group("unit"));
  const auto& tree = tree_ua.first;
  const auto& ua = tree_ua.second;
  CHECK(ethos_test::error_of([&] { (void)ethos::roll_up(inst, m, scored, tree, ua, {.min_group_size = 2}); }) ==
        "roll_up: minimum group size 2 is below 3");
  CHECK(ethos_test::error_of([&] { (void)ethos::roll_up(inst, m, scored, tree, ua, {.cut = "age"}); }) ==
        "roll_up: no metadata column 'age' to cut by (columns: 'unit', 'tenure')");
  ethos::unit_assignment short_ua = ua;
  short_ua.unit_of.pop_back();
  CHECK(ethos_test::error_of([&] { (void)ethos::roll_up(inst, m, scored, tree, short_ua); }) ==
        "roll_up: the unit assignment has 19 rows but the responses have 20");
  ethos::unit_assignment bad_ua = ua;
  bad_ua.unit_of[0] = 99;
  CHECK(ethos_test::error_of([&] { (void)ethos::roll_up(inst, m, scored, tree, bad_ua); }) ==
        "roll_up: a respondent is assigned to unit #99, but the tree has 3 units");
}

TEST_CASE("roll-up JSON: no withheld cell can be recovered from the unit and cut cells a report's JSON shows",
          "[org][rollup][json]") {
  // The published report is read back from its JSON text; which cells are shown comes from the JSON alone,
  // the people behind each from the input. No withheld cell may carry a statistic, and no withheld cell's
  // total may follow from any combination of the shown ones.
  std::mt19937 rng(90210);
  const auto inst = two_constructs();
  std::size_t withheld = 0;
  for (int trial = 0; trial < 12; ++trial) {
    const auto labels = random_unit_labels(rng);
    const auto people = random_people(rng, 60 + rng() % 140, labels);
    const auto m = matrix_of(inst, people);
    const auto scored = ethos::score(inst, m);
    const auto tree_ua = ethos::units_from_column(*m.group("unit"));
    const auto& tree = tree_ua.first;
    const auto& ua = tree_ua.second;
    const std::size_t k = 3 + static_cast<std::size_t>(trial % 4);
    const auto view = inst.view();
    ethos::report_request q;
    q.instrument = &view;
    q.options.min_group_size = k;
    q.options.cut = "tenure";
    q.current = {&m, &scored, &tree, &ua, false};
    const auto j = nlohmann::json::parse(ethos::results_to_json_string(ethos::build_report(q)));
    INFO("trial " << trial);
    for (std::size_t c = 0; c < 2; ++c) {
      const std::string key = c == 0 ? "voice" : "team";
      const auto scores = scored.persons.construct(c);
      const auto members_of = [&](const std::string& unit, const std::string* level) {
        const auto idx = tree.find(unit);
        REQUIRE(idx);
        std::vector<std::uint32_t> out;
        for (std::size_t p = 0; p < m.rows(); ++p) {
          if (std::isfinite(scores[p]) && tree.contains(*idx, ua.unit_of[p]) &&
              (level == nullptr || people[p].tenure == *level)) {
            out.push_back(static_cast<std::uint32_t>(p));
          }
        }
        return out;
      };
      std::vector<ethos::disclosure_cell> shown;
      std::vector<std::vector<std::uint32_t>> hidden;
      const auto take = [&](const nlohmann::json& cell, std::vector<std::uint32_t> members, std::string label) {
        REQUIRE(cell["n"].get<std::size_t>() == members.size());
        if (cell["status"] == "none") {
          shown.push_back({std::move(label), std::move(members)});
        } else {
          CHECK_FALSE(cell.contains("mean"));
          CHECK_FALSE(cell.contains("sd"));
          CHECK_FALSE(cell.contains("favorable"));
          CHECK_FALSE(cell.contains("rwg_j"));
          if (!members.empty()) {
            hidden.push_back(std::move(members));
          }
        }
      };
      for (const auto& u : j["units"]) {
        const auto id = u["id"].get<std::string>();
        take(u["constructs"][key], members_of(id, nullptr), "unit " + id);
      }
      for (const auto& row : j["cuts"]["cells"]) {
        const auto id = row["unit"].get<std::string>();
        const auto level = row["level"].get<std::string>();
        take(row["constructs"][key], members_of(id, &level), "unit " + id + " x " + level);
      }
      const auto audit = ethos::disclosure_audit(shown, {.min_group_size = k});
      CHECK(audit.safe());
      for (const auto& h : hidden) {
        CHECK_FALSE(ethos::is_derivable(shown, h, {.min_group_size = k}));
        ++withheld;
      }
    }
  }
  CHECK(withheld > 50); // the property was exercised
}

TEST_CASE("roll-up trend: changes between two waves, nothing from a hidden side", "[org][rollup][trend]") {
  std::mt19937 rng(44);
  const auto inst = two_constructs();
  const std::vector<std::string> units{"A", "A/x", "A/y", "B"};
  auto wave1 = random_people(rng, 120, units);
  auto wave2 = random_people(rng, 130, units);
  // Wave 2 loses most of A/y: too small there, so no change may be shown for it.
  wave2.erase(std::remove_if(wave2.begin(), wave2.end(),
                             [n = 0](const person& p) mutable { return p.unit == "A/y" && ++n > 2; }),
              wave2.end());
  const auto m1 = matrix_of(inst, wave1);
  const auto m2 = matrix_of(inst, wave2);
  const auto s1 = ethos::score(inst, m1);
  const auto s2 = ethos::score(inst, m2);
  const auto t1_u1 = ethos::units_from_column(*m1.group("unit"));
  const auto& t1 = t1_u1.first;
  const auto& u1 = t1_u1.second;
  const auto t2_u2 = ethos::units_from_column(*m2.group("unit"));
  const auto& t2 = t2_u2.first;
  const auto& u2 = t2_u2.second;
  const auto r1 = ethos::roll_up(inst, m1, s1, t1, u1);
  const auto r2 = ethos::roll_up(inst, m2, s2, t2, u2);
  const auto t = ethos::compare_rollups(r1, r2);
  REQUIRE(t.constructs.size() == 2);
  CHECK(t.only_before.empty());
  CHECK(t.only_after.empty());
  for (const auto& ut : t.units) {
    const auto& a = *std::find_if(r1.units.begin(), r1.units.end(), [&](const auto& u) { return u.id == ut.unit; });
    const auto& b = *std::find_if(r2.units.begin(), r2.units.end(), [&](const auto& u) { return u.id == ut.unit; });
    for (std::size_t c = 0; c < 2; ++c) {
      const auto& ch = ut.constructs[c];
      INFO("unit '" << ut.unit << "' construct " << c);
      CHECK(ch.n_before == a.constructs[c].n);
      CHECK(ch.n_after == b.constructs[c].n);
      if (a.constructs[c].shown() && b.constructs[c].shown()) {
        REQUIRE(ch.change);
        CHECK(*ch.change == Approx(*b.constructs[c].mean - *a.constructs[c].mean).margin(1e-12));
        REQUIRE(ch.welch.t);
        // Welch's t from the two cells' n, mean and SD, written out here.
        const double va = *a.constructs[c].sd * *a.constructs[c].sd / static_cast<double>(a.constructs[c].n);
        const double vb = *b.constructs[c].sd * *b.constructs[c].sd / static_cast<double>(b.constructs[c].n);
        CHECK(*ch.welch.t == Approx(*ch.change / std::sqrt(va + vb)).epsilon(1e-12));
      } else {
        CHECK_FALSE(ch.change);
        CHECK_FALSE(ch.welch.t);
        CHECK_FALSE(ch.d.value);
        CHECK_FALSE(ch.significant);
        CHECK_FALSE(ch.reason.empty());
      }
    }
  }
  const auto& ay = *std::find_if(t.units.begin(), t.units.end(), [](const auto& u) { return u.unit == "A/y"; });
  CHECK_FALSE(ay.constructs[0].after);
  CHECK_FALSE(ay.constructs[0].change);
}

TEST_CASE("groups and units published together: the joint protection closes the gap", "[org][rollup][disclosure]") {
  // Groups (by tenure, or by the unit label itself: the people attached directly to a unit) and units (with
  // their sub-units) are each safe alone; together they can isolate a few people, with signs too (group A minus
  // unit A is one person's score minus another's). build_report must end with cells that no combination of the
  // two sections lets anyone isolate; the sets are rebuilt here from the data, not taken from the report.
  std::mt19937 rng(5150);
  const auto inst = two_constructs();
  int needed = 0;
  for (int trial = 0; trial < 10; ++trial) {
    const auto people = random_people(rng, 50 + rng() % 120, random_unit_labels(rng));
    const auto m = matrix_of(inst, people);
    const auto scored = ethos::score(inst, m);
    const auto tree_ua = ethos::units_from_column(*m.group("unit"));
    const auto& tree = tree_ua.first;
    const auto& ua = tree_ua.second;
    const auto view = inst.view();
    ethos::report_request q;
    q.instrument = &view;
    q.current = {&m, &scored, &tree, &ua, false};
    q.options.group_by = trial % 2 == 0 ? "tenure" : "unit";
    const auto rep = ethos::build_report(q);
    INFO("trial " << trial);
    CHECK(rep.audit.safe());
    needed += rep.warnings.empty() ? 0 : 1;
    const auto* gc = m.group(q.options.group_by);
    for (std::size_t c = 0; c < 2; ++c) {
      std::vector<ethos::disclosure_cell> cells;
      const auto has = [&](std::size_t r) { return scored.persons.score(c, r).has_value(); };
      for (const auto& g : rep.summary.groups) {
        if (g.suppressed != ethos::suppression::none || g.constructs[c].status != ethos::suppression::none) {
          continue;
        }
        ethos::disclosure_cell cell{"group " + g.id, {}};
        for (std::size_t r = 0; r < m.rows(); ++r) {
          if (has(r) && gc->label(r) == g.id) {
            cell.members.push_back(static_cast<std::uint32_t>(r));
          }
        }
        cells.push_back(std::move(cell));
      }
      for (const auto& u : rep.units->units) {
        if (!u.constructs[c].shown()) {
          continue;
        }
        const auto idx = *tree.find(u.id);
        ethos::disclosure_cell cell{"unit " + u.id, {}};
        for (std::size_t r = 0; r < m.rows(); ++r) {
          if (has(r) && tree.contains(idx, ua.unit_of[r])) {
            cell.members.push_back(static_cast<std::uint32_t>(r));
          }
        }
        cells.push_back(std::move(cell));
      }
      CHECK(ethos::disclosure_audit(cells).safe());
    }
    for (const auto& g : rep.summary.groups) {
      for (const auto& gc2 : g.constructs) {
        if (gc2.status != ethos::suppression::none) {
          CHECK_FALSE(gc2.mean);
          CHECK_FALSE(gc2.favorable);
          CHECK_FALSE(gc2.rwg_j);
        }
      }
    }
  }
  CHECK(needed > 0); // some trials needed the joint step
}

TEST_CASE("figure: an optional number in the size of a double, read as std::optional<double>", "[org][rollup]") {
  static_assert(sizeof(ethos::figure) == sizeof(double));
  static_assert(sizeof(ethos::unit_cell) == 40); // 1.3 million of them in a report of 20,000 units and a cut
  ethos::figure none;
  CHECK_FALSE(none.has_value());
  CHECK_FALSE(none);
  CHECK(none == std::nullopt);
  CHECK(none.value_or(2.5) == 2.5);
  CHECK_THROWS_AS(none.value(), std::bad_optional_access);
  CHECK(none == std::optional<double>());
  CHECK_FALSE(none == std::optional<double>(0.0));
  CHECK_FALSE(none == 0.0);
  const ethos::figure x = 0.1;
  CHECK(x.has_value());
  CHECK(*x == 0.1); // the double itself, bit for bit
  CHECK(x.value() == 0.1);
  CHECK(x == std::optional<double>(0.1));
  CHECK_FALSE(x == std::optional<double>());
  CHECK_FALSE(x == none);
  CHECK(x == ethos::figure(0.1));
  const std::optional<double> back = x;
  CHECK(back == std::optional<double>(0.1));
  CHECK_FALSE(std::optional<double>(none));
  // A NaN is no value; negative zero and infinities are values.
  CHECK_FALSE(ethos::figure(std::nan("")));
  CHECK_FALSE(ethos::figure(std::optional<double>(std::nan(""))));
  CHECK(ethos::figure(-0.0).has_value());
  CHECK(ethos::figure(std::numeric_limits<double>::infinity()).has_value());
  ethos::figure y = std::optional<double>(3.0);
  CHECK(y == 3.0);
  y.reset();
  CHECK_FALSE(y);
  y = 4.0;
  CHECK(y == 4.0);
  y = std::nullopt;
  CHECK(y == std::nullopt);
}
