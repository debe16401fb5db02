// protect_group_states (one construct's groups from one accumulator per group, as the PostgreSQL extension keeps
// them) against assess()'s flat groups; side_by_side and icc(group_moments); the accumulator JSON functions.
#include "../support/checks.hpp"

#include <ethos/io/csv.hpp>
#include <ethos/io/json_accumulator.hpp>
#include <ethos/measure.hpp>
#include <ethos/measure/instruments/service_culture_audit.hpp>
#include <ethos/org/assessment.hpp>
#include <ethos/org/protected_groups.hpp>
#include <ethos/stats/accumulator.hpp>
#include <ethos/stats/agreement.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace protected_groups_test {

using namespace ethos;

struct sample {
  instrument_view inst = instruments::service_culture_audit;
  csv_read_result input = read_responses_file(ETHOS_TEST_DATA_DIR "/../examples/data/sample_survey.csv", inst);
  scoring_result scores = score(inst, input.matrix);
};

const sample& the_sample() {
  static const sample s;
  return s;
}

// One accumulator (one group) per level of `column` for construct c, as ethos_likert_agg makes them; the empty label
// is no group (std::nullopt).
struct level_states {
  std::vector<std::optional<std::string>> keys;
  std::vector<likert_accumulator> states;
  likert_config cfg;
};

level_states states_by(const sample& s, std::size_t c, const std::string& column) {
  const auto& m = s.input.matrix;
  const group_column& gc = *m.group(column);
  level_states out;
  out.cfg = likert_config(0, s.inst.scale.min(), s.inst.scale.max(), 1);
  std::vector<std::size_t> cols;
  for (const auto& it : s.inst.items) {
    if (it.construct == s.inst.constructs[c].key && it.format == response_format::likert) {
      cols.push_back(*m.column_of(it.id));
      out.cfg.reverse.push_back(it.reverse);
    }
  }
  out.cfg.items = cols.size();
  out.cfg.min_answered = s.scores.constructs[c].min_answered;
  for (std::size_t l = 0; l < gc.levels.size(); ++l) {
    std::vector<std::vector<std::uint8_t>> data(cols.size());
    for (std::size_t r = 0; r < m.rows(); ++r) {
      if (gc.codes[r] == l) {
        for (std::size_t j = 0; j < cols.size(); ++j) {
          data[j].push_back(m.column(cols[j])[r]);
        }
      }
    }
    std::vector<const std::uint8_t*> ptrs;
    for (const auto& d : data) {
      ptrs.push_back(d.data());
    }
    likert_accumulator acc(out.cfg);
    const std::vector<std::uint32_t> zeros(data[0].size(), 0);
    acc.add(ptrs, data[0].size(), zeros);
    out.keys.push_back(gc.levels[l].empty() ? std::nullopt : std::optional<std::string>(gc.levels[l]));
    out.states.push_back(std::move(acc));
  }
  return out;
}

std::vector<const likert_accumulator*> pointers(const std::vector<likert_accumulator>& v) {
  std::vector<const likert_accumulator*> p;
  for (const auto& a : v) {
    p.push_back(&a);
  }
  return p;
}

TEST_CASE("protect_group_states: every group and construct as assess() gives the flat groups",
          "[org][protected_groups]") {
  const sample& s = the_sample();
  for (const std::string column : {"department", "team", "tenure"}) {
    for (const std::size_t k : {std::size_t{5}, std::size_t{8}, std::size_t{30}}) {
      assessment_options o;
      o.group_by = column;
      o.min_group_size = k;
      const auto a = assess(s.inst, s.input.matrix, s.scores, o);
      for (std::size_t c = 0; c < s.inst.constructs.size(); ++c) {
        INFO(column << ", k " << k << ", construct " << c);
        const auto ls = states_by(s, c, column);
        const auto r = protect_group_states(k, ls.keys, pointers(ls.states));
        CHECK(r.audit.safe());
        REQUIRE(r.groups.size() == a.groups.size());
        for (std::size_t g = 0; g < a.groups.size(); ++g) {
          const auto& want = a.groups[g];
          const auto& got = r.groups[g];
          INFO(want.id);
          CHECK(got.key == want.id);
          CHECK(got.respondents == want.n);
          const suppression status = want.suppressed != suppression::none ? want.suppressed : want.constructs[c].status;
          CHECK(got.status == status);
          CHECK(got.figures.has_value() == (status == suppression::none));
          if (status != suppression::none || !got.figures) {
            CHECK(got.reason == hidden_reason(status, k));
            continue;
          }
          const auto& wc = want.constructs[c];
          CHECK(got.figures->n == wc.n);
          CHECK(got.figures->favorable == wc.favorable);
          CHECK(got.figures->rwg_j == wc.rwg_j);
          // assess's mean is a running mean of the person scores; this one the exact sum divided once.
          REQUIRE(wc.mean.has_value());
          CHECK(std::abs(*got.figures->mean - *wc.mean) <= 1e-13 * std::abs(*wc.mean));
        }
      }
    }
  }
}

TEST_CASE("protect_group_states: merging, the unlabelled, too few in all, and errors",
          "[org][protected_groups][errors]") {
  const sample& s = the_sample();
  auto ls = states_by(s, 0, "department");
  const auto whole = protect_group_states(5, ls.keys, pointers(ls.states));
  // The same group given in two states (split any way) is merged: the same table.
  {
    auto keys = ls.keys;
    auto states = ls.states;
    likert_accumulator empty(ls.cfg);
    keys.push_back(keys[0]);
    states.push_back(empty);
    const auto twice = protect_group_states(5, keys, pointers(states));
    REQUIRE(twice.groups.size() == whole.groups.size());
    for (std::size_t g = 0; g < whole.groups.size(); ++g) {
      CHECK(twice.groups[g].respondents == whole.groups[g].respondents);
      CHECK(twice.groups[g].status == whole.groups[g].status);
    }
  }
  // The sample's departments: one of 4 respondents, and large ones.
  const auto small = std::find_if(ls.states.begin(), ls.states.end(), [](const auto& a) { return a.rows() < 5; });
  REQUIRE(small != ls.states.end());
  std::vector<const likert_accumulator*> large;
  for (const auto& a : ls.states) {
    if (a.rows() > 50) {
      large.push_back(&a);
    }
  }
  REQUIRE(large.size() >= 2);
  // Unlabelled rows count in the whole: with one small group and a large unlabelled remainder, nothing else is hidden.
  {
    std::vector<std::optional<std::string>> keys = {std::string("small"), std::nullopt, std::string("big")};
    std::vector<likert_accumulator> states = {*small, *large[0], *large[1]};
    const auto r = protect_group_states(5, keys, pointers(states));
    REQUIRE(r.groups.size() == 2);
    CHECK(r.groups[0].key == "big");
    CHECK(r.groups[0].status == suppression::none);
    CHECK(r.groups[1].key == "small");
    CHECK(r.groups[1].status == suppression::too_small);
    CHECK_FALSE(r.groups[1].figures.has_value());
    // Without the remainder the big group would give the small one away: hidden too.
    keys.erase(keys.begin() + 1);
    states.erase(states.begin() + 1);
    const auto r2 = protect_group_states(5, keys, pointers(states));
    CHECK(r2.groups[0].status == suppression::secondary);
    CHECK(r2.groups[0].reason == "hidden so that a smaller group cannot be derived by subtraction");
  }
  // Fewer than k respondents in all: nothing is shown.
  {
    std::vector<std::optional<std::string>> keys = {std::string("a")};
    std::vector<likert_accumulator> states = {*small};
    const auto r = protect_group_states(5, keys, pointers(states));
    CHECK(r.groups.at(0).status == suppression::too_small);
  }
  using ethos_test::error_of;
  CHECK(error_of([&] { protect_group_states(2, ls.keys, pointers(ls.states)); }).find("below 3") != std::string::npos);
  std::vector<std::optional<std::string>> one_key = {std::string("a")};
  CHECK(error_of([&] { protect_group_states(5, one_key, pointers(ls.states)); }) ==
        "protected groups: 1 group keys for " + std::to_string(ls.states.size()) + " states (one key per state)");
  likert_config other = ls.cfg;
  other.reverse.assign(other.items, false);
  std::vector<likert_accumulator> mixed = {ls.states[0], likert_accumulator(other)};
  std::vector<std::optional<std::string>> two_keys = {std::string("a"), std::string("b")};
  CHECK(error_of([&] {
          protect_group_states(5, two_keys, pointers(mixed));
        }).find("state 2 has another design than state 1") != std::string::npos);
  likert_config ungrouped = ls.cfg;
  ungrouped.groups = 0;
  std::vector<likert_accumulator> flat = {likert_accumulator(ungrouped)};
  CHECK(error_of([&] { protect_group_states(5, one_key, pointers(flat)); }).find("has no groups") != std::string::npos);
}

TEST_CASE("side_by_side: ICC across one state per group equals one accumulator grouped the same way",
          "[stats][agreement][protected_groups]") {
  const sample& s = the_sample();
  const auto& m = s.input.matrix;
  const auto ls = states_by(s, 3, "team");
  // The grouped accumulator of the same rows, groups numbered as the levels.
  likert_config cfg = ls.cfg;
  cfg.groups = ls.states.size();
  likert_accumulator grouped(cfg);
  std::vector<std::vector<std::uint8_t>> data(cfg.items);
  std::vector<std::size_t> cols;
  for (const auto& it : s.inst.items) {
    if (it.construct == s.inst.constructs[3].key && it.format == response_format::likert) {
      cols.push_back(*m.column_of(it.id));
    }
  }
  std::vector<const std::uint8_t*> ptrs;
  for (const auto col : cols) {
    ptrs.push_back(m.column(col).data());
  }
  grouped.add(ptrs, m.rows(), m.group("team")->codes);
  const auto sbs = side_by_side(pointers(ls.states));
  const auto want = icc(grouped);
  const auto got = icc(sbs);
  CHECK(got.n == want.n);
  CHECK(got.groups == want.groups);
  CHECK(got.icc1 == want.icc1);
  CHECK(got.icc2 == want.icc2);
  CHECK(got.msb == want.msb);
  CHECK(got.msw == want.msw);
  // And the JSON of both, as the extension and the Python package return them.
  CHECK(icc_json(got) == icc_json(want));
  const auto j = nlohmann::json::parse(icc_json(got));
  CHECK(j["groups"] == want.groups);
  // Per group, the agreement of a group's own state is the grouped accumulator's agreement of that group.
  const auto per_group = agreement(grouped);
  for (std::size_t g = 0; g < ls.states.size(); ++g) {
    const auto a = nlohmann::json::parse(agreement_json(ls.states[g]));
    CHECK(a["n"] == per_group[g].n);
    if (per_group[g].rwg_j) {
      CHECK(a["rwg_j"].get<double>() == *per_group[g].rwg_j);
    } else {
      CHECK(a["rwg_j"].is_null());
    }
  }
  using ethos_test::error_of;
  likert_config flat = ls.cfg;
  flat.groups = 0;
  const likert_accumulator no_groups(flat);
  const likert_accumulator* bad[] = {&ls.states[0], &no_groups};
  CHECK(error_of([&] { side_by_side(bad); }).find("state 2 has no groups") != std::string::npos);
}

TEST_CASE("reliability_json: the results JSON's reliability keys, items keyed as given",
          "[io][json][protected_groups]") {
  const sample& s = the_sample();
  const auto ls = states_by(s, 6, "department");
  likert_accumulator all(ls.cfg);
  for (const auto& st : ls.states) {
    all.merge(st);
  }
  const std::vector<std::string> keys = {"1", "2", "3", "4"};
  const auto j = nlohmann::json::parse(reliability_json(all, keys));
  for (const char* key : {"alpha", "std_alpha", "average_r", "alpha_ci", "ase", "alpha_if_dropped", "r_drop",
                          "omega_total", "ordinal_alpha", "rows"}) {
    CHECK(j.contains(key));
  }
  CHECK(j["alpha_if_dropped"].size() == 4);
  CHECK(j["r_drop"].contains("4"));
  CHECK(j["rows"] == s.input.matrix.rows());
  using ethos_test::error_of;
  const std::vector<std::string> three = {"1", "2", "3"};
  CHECK(error_of([&] { reliability_json(all, three); }) == "reliability: 3 item keys for 4 items");
  const auto e = nlohmann::json::parse(enps_json(enps_from_counts(5, 3, 2)));
  CHECK(e["score"].get<double>() == 30.0);
  CHECK(e["n"] == 10);
}

} // namespace protected_groups_test
