// A whole report: every figure of every section inside the disclosure audit. The holes issue 14 found in the
// sample report and on small surveys, each as a fixed case with the attack written out, and the ledger of releases.
#include "../support/checks.hpp"

#include <ethos/io/csv.hpp>
#include <ethos/io/json.hpp>
#include <ethos/io/json_value.hpp>
#include <ethos/measure.hpp>
#include <ethos/org/assessment.hpp>
#include <ethos/org/detail/assess_cache.hpp>
#include <ethos/org/release.hpp>
#include <ethos/org/report.hpp>
#include <ethos/org/rollup.hpp>
#include <ethos/org/unit_drivers.hpp>
#include <ethos/report/charts.hpp>
#include <ethos/report/org_text.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

namespace {

const ethos::instrument_view& audit_instrument() {
  static const ethos::instrument_view v = ethos::instruments::service_culture_audit.view();
  return v;
}

std::string sample_path() { return std::string(ETHOS_TEST_DATA_DIR) + "/../examples/data/sample_survey.csv"; }

// A survey read as ethos-assess reads it, with everything a report needs kept alive.
struct survey {
  ethos::csv_read_result input;
  ethos::scoring_result scores;
  std::optional<std::pair<ethos::unit_tree, ethos::unit_assignment>> units;

  static survey from_csv(const std::string& text, const std::string& unit_column) {
    survey s;
    std::istringstream in(text);
    s.input = ethos::read_responses(in, "survey.csv", audit_instrument());
    s.scores = ethos::score(audit_instrument(), s.input.matrix);
    if (!unit_column.empty()) {
      s.units = ethos::units_from_column(*s.input.matrix.group(unit_column));
    }
    return s;
  }
  static survey from_file(const std::string& path, const std::string& unit_column) {
    std::ifstream f(path, std::ios::binary);
    std::ostringstream ss;
    ss << f.rdbuf();
    return from_csv(ss.str(), unit_column);
  }
  ethos::survey_wave wave() const {
    return {&input.matrix, &scores, units ? &units->first : nullptr, units ? &units->second : nullptr,
            input.row_number_ids};
  }
};

ethos::report_request request(const survey& s, const std::string& group_by, std::size_t k = 5) {
  ethos::report_request q;
  q.instrument = &audit_instrument();
  q.current = s.wave();
  q.options.min_group_size = k;
  q.options.group_by = group_by;
  if (s.units) {
    q.options.drivers = ethos::unit_driver_options{};
  }
  return q;
}

// Item ids of the bundled audit, in order.
std::vector<std::string> item_ids() {
  std::vector<std::string> ids;
  for (const auto& it : audit_instrument().items) {
    ids.emplace_back(it.id);
  }
  return ids;
}

// A survey CSV: `rows` respondents, every Likert item answered with a value that varies with the row, eNPS and
// the six-level items too, unless `answer` says otherwise (return -1 for a missing answer).
template <class Answer>
std::string survey_csv(std::size_t rows, const std::vector<std::pair<std::string, std::string>>& labels_of_row,
                       Answer answer) {
  const auto ids = item_ids();
  std::string out = "id,department,team";
  for (const auto& id : ids) {
    out += "," + id;
  }
  out += "\n";
  for (std::size_t r = 0; r < rows; ++r) {
    out += "p" + std::to_string(r) + "," + labels_of_row[r % labels_of_row.size()].first + "," +
           labels_of_row[r % labels_of_row.size()].second;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      int x = ids[i] == "enps"           ? static_cast<int>((r * 7 + i) % 11)
              : ids[i].starts_with("vc") ? 1 + static_cast<int>((r + i) % 6)
                                         : 1 + static_cast<int>((r * 3 + i * 5) % 5);
      x = answer(r, ids[i], x);
      out += x < 0 ? std::string(",") : "," + std::to_string(x);
    }
    out += "\n";
  }
  return out;
}

// Whether each writer takes a value of type R: a survey_report or an unaudited result, never a bare one.
template <class R>
concept writes_text = requires(const R& r) {
  ethos::text_report(r);
};
template <class R>
concept writes_json = requires(const R& r, std::ostream& out) {
  ethos::write_results_json(out, r);
};
template <class R>
concept writes_group_csv = requires(const R& r, std::ostream& out) {
  ethos::write_group_results(out, r);
};
template <class R>
concept writes_unit_csv = requires(const R& r, std::ostream& out) {
  ethos::write_unit_results(out, r);
};
template <class R>
concept writes_svg = requires(const R& r) {
  ethos::assessment_svg(r);
};
template <class R>
concept writes_unit_heatmap = requires(const R& r) {
  ethos::rollup_heatmap(r);
};

// Members (rows) of each shown cell of one domain of a report's inventory.
std::vector<ethos::disclosure_cell> shown_cells(const ethos::survey_report& r, const std::string& domain) {
  return ethos::published_cells(r, domain);
}

} // namespace

TEST_CASE("report: the sample's driver section publishes no mean over another set of people",
          "[org][report][privacy]") {
  const auto s = survey::from_file(sample_path(), "team");
  const auto rep = ethos::build_report(request(s, "department"));
  REQUIRE(rep.audit.safe());
  REQUIRE(rep.units);
  // Issue 14's table: Field Service and service_recovery_and_guarantees, 98 in the unit cell, 94 complete cases.
  // 98 x unit mean - 94 x performance isolated 4 people; now performance is the unit mean itself.
  std::size_t analyses = 0;
  for (const auto& d : rep.drivers) {
    if (!d.analysis.r_squared) {
      continue;
    }
    ++analyses;
    const auto u = std::find_if(rep.units->units.begin(), rep.units->units.end(),
                                [&](const ethos::unit_result& x) { return x.id == d.unit; });
    REQUIRE(u != rep.units->units.end());
    for (const auto& e : d.analysis.drivers) {
      const auto c = std::find_if(rep.units->constructs.begin(), rep.units->constructs.end(),
                                  [&](const ethos::rollup_construct& x) { return x.key == e.key; }) -
                     rep.units->constructs.begin();
      const auto& cell = u->constructs[static_cast<std::size_t>(c)];
      INFO(d.unit << " " << e.key);
      REQUIRE(cell.mean);
      CHECK(e.performance == cell.mean);
      // The attack of the issue, written out: n_cell * mean - n_complete * performance is (n_cell - n_complete)
      // times the unit mean, never the total of the people in one set and not the other.
      if (d.unit == "Field Service" && e.key == "service_recovery_and_guarantees") {
        CHECK(cell.n == 98);
        CHECK(d.analysis.n == 94);
        CHECK(*cell.mean == Approx(3.967687).epsilon(1e-6));
      }
    }
  }
  CHECK(analyses == 6); // the organisation and its five top-level units of 30 or more: none had to be withheld
  // The inventory declares the outcome's rows of each analysis as an eNPS cell, and the audit proved them all.
  std::size_t outcome_cells = 0;
  for (const auto& c : rep.cells.cells) {
    outcome_cells +=
        rep.cells.kinds[c.kind].section == "drivers" && rep.cells.domains[c.domain].name == "item:enps" ? 1U : 0U;
  }
  CHECK(outcome_cells == analyses);
}

TEST_CASE("report: overall figures follow the minimum group size", "[org][report][privacy]") {
  // Ten people; only two answered the Service Role Modeling items; one of twelve answered eNPS; vc1 answered by one.
  const std::vector<std::pair<std::string, std::string>> labels{{"Sales", "Sales/A"}};
  const auto csv = survey_csv(12, labels, [](std::size_t r, const std::string& id, int x) {
    if (id.starts_with("srm") && r >= 2) {
      return -1;
    }
    if (id == "enps" && r != 0) {
      return -1;
    }
    if (id == "vc1" && r != 3) {
      return -1;
    }
    return x;
  });
  const auto s = survey::from_csv(csv, "");
  const auto rep = ethos::build_report(request(s, ""));
  const auto& srm = rep.summary.constructs.back();
  REQUIRE(srm.summary.key == "service_role_modeling");
  CHECK(srm.summary.n == 2);
  CHECK(srm.status == ethos::suppression::too_small);
  CHECK_FALSE(srm.summary.mean);
  CHECK_FALSE(srm.summary.favorable);
  CHECK(srm.summary.answers == 0);
  CHECK_FALSE(srm.reliability.alpha);
  REQUIRE(rep.summary.enps);
  CHECK(rep.summary.enps->n == 1);
  CHECK(rep.summary.enps_status == ethos::suppression::too_small);
  CHECK_FALSE(rep.summary.enps->score);
  CHECK(rep.summary.enps->detractors + rep.summary.enps->passives + rep.summary.enps->promoters == 0);
  CHECK(rep.summary.service_level_status[0] == ethos::suppression::too_small);
  CHECK(rep.summary.service_level_n[0] == 1);
  CHECK(rep.summary.service_levels[0].distribution.total() == 0);

  // What the issue saw, in each format: none of it is there any more.
  const std::string text = ethos::report_text(rep);
  CHECK(text.find("eNPS -100.0") == std::string::npos);
  CHECK(text.find("eNPS not shown: fewer than 5 respondents answered the question (n 1).") != std::string::npos);
  CHECK(text.find("100%") == std::string::npos);
  CHECK(text.find("Disclosure audit: every figure of this report") != std::string::npos);
  const auto j = nlohmann::json::parse(ethos::results_to_json_string(rep));
  CHECK(j["constructs"][11]["n"] == 2);
  CHECK(j["constructs"][11]["mean"].is_null());
  CHECK(j["constructs"][11]["status"] == "too_small");
  CHECK_FALSE(j["enps"].contains("detractors"));
  CHECK(j["enps"]["score"].is_null());
  CHECK_FALSE(j["service_levels"][0].contains("distribution"));
  CHECK(j["disclosure_audit"]["safe"] == true);
  // The audit ran although there are no groups and no units.
  CHECK(rep.audit.cells > 0);
  CHECK(rep.audit.safe());
}

TEST_CASE("report: a favourable share counts the answers of the same people as its n", "[org][report][privacy]") {
  // Twelve people in one department and one team; p0 answered only csl1 (favourably): no score on the construct,
  // so none of the shares may count that answer (before, group and unit shares differed by exactly that answer).
  const std::vector<std::pair<std::string, std::string>> labels{{"IT", "IT"}};
  const auto csv = survey_csv(12, labels, [](std::size_t r, const std::string& id, int x) {
    if (r == 0 && id.starts_with("csl")) {
      return id == "csl1" ? 5 : -1;
    }
    return x;
  });
  const auto s = survey::from_csv(csv, "team");
  auto q = request(s, "department");
  q.options.drivers.reset();
  const auto rep = ethos::build_report(q);
  // By hand: the keyed answers to csl1..csl4 of p1..p11.
  std::size_t fav = 0;
  std::size_t answers = 0;
  const auto& m = s.input.matrix;
  for (std::size_t r = 1; r < 12; ++r) {
    for (const auto& it : audit_instrument().items) {
      if (it.construct != "common_service_language") {
        continue;
      }
      const int x = m.column(*m.column_of(it.id))[r];
      const int keyed = it.reverse ? 6 - x : x;
      fav += keyed >= 4 ? 1U : 0U;
      ++answers;
    }
  }
  const double expected = static_cast<double>(fav) / static_cast<double>(answers);
  CHECK(*rep.summary.constructs[0].summary.favorable == expected);
  CHECK(rep.summary.constructs[0].summary.answers == answers);
  REQUIRE(rep.summary.groups.size() == 1);
  CHECK(*rep.summary.groups[0].constructs[0].favorable == expected);
  CHECK(*rep.units->units[1].constructs[0].favorable == expected);
}

TEST_CASE("report: a group and a unit that swap one person each are not both shown", "[org][report][privacy]") {
  // Department and team path agree except for two people: p0 is in department Sales but team Ops/T, p1 in
  // department Ops but team Sales/T. Group Sales minus unit Sales is then score(p0) - score(p1): p0 knows their
  // own answers and learns p1's. No union of people is derivable, so only a signed search finds it.
  std::vector<std::pair<std::string, std::string>> labels;
  for (int i = 0; i < 40; ++i) {
    labels.push_back(i < 20 ? std::pair<std::string, std::string>{"Sales", "Sales/T"} : std::pair{"Ops", "Ops/T"});
  }
  labels[0] = {"Sales", "Ops/T"};
  labels[1] = {"Ops", "Sales/T"};
  const auto s =
      survey::from_csv(survey_csv(40, labels, [](std::size_t, const std::string&, int x) { return x; }), "team");
  auto q = request(s, "department");
  q.options.drivers.reset();
  const auto rep = ethos::build_report(q);
  REQUIRE(rep.audit.safe());
  for (std::size_t c = 0; c < rep.summary.constructs.size(); ++c) {
    const auto domain = "construct:" + rep.summary.constructs[c].summary.key;
    const auto cells = shown_cells(rep, domain);
    INFO(domain);
    // p0 and p1 (rows 0 and 1) are exposed by no combination of what is shown.
    CHECK(ethos::disclosure_audit(cells).safe());
    bool group_hidden = false;
    for (const auto& g : rep.summary.groups) {
      group_hidden = group_hidden || g.constructs[c].status == ethos::suppression::secondary;
    }
    CHECK(group_hidden); // the groups go first: units are the report's backbone
  }
  // Without the joint protection the same cells leak: the naive union of both sections' cells.
  std::vector<ethos::disclosure_cell> naive;
  const auto& m = s.input.matrix;
  for (const std::string dept : {"Sales", "Ops"}) {
    ethos::disclosure_cell g{"group " + dept, {}};
    ethos::disclosure_cell u{"unit " + dept, {}};
    for (std::uint32_t r = 0; r < m.rows(); ++r) {
      if (m.group("department")->label(r) == dept) {
        g.members.push_back(r);
      }
      if (m.group("team")->label(r).starts_with(dept + "/")) {
        u.members.push_back(r);
      }
    }
    naive.push_back(g);
    naive.push_back(u);
  }
  const auto leak = ethos::disclosure_audit(naive);
  CHECK_FALSE(leak.passed);
  CHECK(leak.findings[0].persons == std::vector<std::uint32_t>{0, 1});
}

TEST_CASE("report: a trend against a wave that lacks one respondent does not give that person away",
          "[org][report][privacy]") {
  const auto s = survey::from_file(sample_path(), "team");
  // The earlier wave: the same file without its fourth respondent (R0004, Operations/Logistics).
  std::ifstream f(sample_path(), std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  std::size_t pos = 0;
  for (int line = 0; line < 4; ++line) {
    pos = text.find('\n', pos) + 1;
  }
  const std::size_t end = text.find('\n', pos) + 1;
  CHECK(text.substr(pos, 6) == "R0004,");
  const auto before = survey::from_csv(text.substr(0, pos) + text.substr(end), "team");
  auto q = request(s, "department");
  q.previous = before.wave();
  const auto rep = ethos::build_report(q);
  REQUIRE(rep.trend);
  REQUIRE(rep.audit.safe());
  // 16 x after - 15 x before was that person's score: every unit holding R0004 shows no earlier mean now, the
  // others show it (their two sets are the same people with the same answers: nothing new).
  for (const auto& u : rep.trend->units) {
    const bool holds = u.unit.empty() || u.unit == "Operations" || u.unit == "Operations/Logistics";
    for (const auto& ch : u.constructs) {
      INFO(u.unit);
      if (holds) {
        CHECK_FALSE(ch.before);
        CHECK_FALSE(ch.change);
      }
    }
  }
  const auto& sales = *std::find_if(rep.trend->units.begin(), rep.trend->units.end(),
                                    [](const ethos::unit_trend& u) { return u.unit == "Sales"; });
  CHECK(sales.constructs[0].before);
  CHECK(*sales.constructs[0].change == 0.0);
}

TEST_CASE("report: two releases to one audience are audited together through the ledger", "[org][report][ledger]") {
  const auto s = survey::from_file(sample_path(), "team");
  ethos::release_ledger ledger(ethos::release_salt{1, 2});
  // Release 1: the default report. Release 2: minimum group size 7, which hides different cells.
  const auto r1 = ethos::build_report([&] {
    auto q = request(s, "department");
    q.ledger = &ledger;
    return q;
  }());
  ledger.record(r1.cells, r1.min_group_size, "default");
  // Without the ledger, release 2 alone is safe but the two together give Legal and Compliance away.
  const auto alone = ethos::build_report(request(s, "department", 7));
  REQUIRE(alone.audit.safe());
  std::size_t leaking_domains = 0;
  for (const auto& d : r1.cells.domains) {
    auto cells = shown_cells(r1, d.name);
    const auto more = shown_cells(alone, d.name);
    cells.insert(cells.end(), more.begin(), more.end());
    leaking_domains += ethos::disclosure_audit(cells).passed ? 0U : 1U;
  }
  CHECK(leaking_domains > 0);
  // With the ledger, release 2 is held to its own k (7) alone, and together with release 1 to the k already
  // promised to this audience (5): release 1's cells of 5 and 6 people are out, but nothing may now expose fewer.
  auto q2 = request(s, "department", 7);
  q2.ledger = &ledger;
  const auto r2 = ethos::build_report(q2);
  CHECK(r2.min_group_size == 7);
  CHECK(r2.union_min_group_size == 5);
  CHECK(r2.earlier_releases == 1);
  REQUIRE(r2.audit.safe());
  REQUIRE(r2.union_audit);
  REQUIRE(r2.union_audit->safe());
  for (const auto& d : r2.cells.domains) {
    INFO(d.name);
    CHECK(ethos::disclosure_audit(shown_cells(r2, d.name), {.min_group_size = 5}).safe());
    // Legal and Compliance (4 people, rows of that department) in particular.
    std::vector<std::uint32_t> legal;
    const auto& m = s.input.matrix;
    for (std::uint32_t r = 0; r < m.rows(); ++r) {
      if (m.group("department")->label(r) == "Legal and Compliance") {
        legal.push_back(r);
      }
    }
    CHECK_FALSE(ethos::is_derivable(shown_cells(r2, d.name), legal));
  }
  ledger.record(r2.cells, r2.min_group_size, "k 7");
  CHECK(ledger.releases().size() == 2);
  CHECK(ledger.smallest_min_group_size() == 5);
  // The ledger reads back to the same text, and a third release against it is still audited with both.
  const auto text = ledger.str();
  const auto again = ethos::release_ledger::parse(text, "ledger.txt");
  CHECK(again.str() == text);
  auto q3 = request(s, "team", 5);
  q3.ledger = &again;
  const auto r3 = ethos::build_report(q3);
  CHECK(r3.earlier_releases == 2);
  CHECK(r3.audit.safe());
}

TEST_CASE("ledger: bad files are refused with the line and the reason", "[org][ledger][errors]") {
  const auto err = [](const std::string& text) {
    return ethos_test::error_of([&] { (void)ethos::release_ledger::parse(text, "l.txt"); });
  };
  CHECK(err("") == "l.txt: empty file; a ledger starts with the line ethos.ledger/1");
  CHECK(err("hello\n") == "l.txt:1: not an ethos ledger (the first line must read ethos.ledger/1)");
  CHECK(err("ethos.ledger/1\n") == "l.txt:1: no salt line");
  const std::string head = "ethos.ledger/1\nsalt\t000000000000000100000000000000020\n";
  CHECK(err(head).find("salt must be 32 hexadecimal digits") != std::string::npos);
  const std::string ok = "ethos.ledger/1\nsalt\t00000000000000010000000000000002\n";
  CHECK(err(ok + "release\t2\t0\tx\n") == "l.txt:3: minimum group size 2 is below 3");
  CHECK(err(ok + "release\t5\t1\tx\n") == "l.txt:3: release 1 says 1 cells but the file holds 0");
  CHECK(err(ok + "space\trespondents\t2\n0000000000000001\t0000000000000002\n") ==
        "l.txt:4: the file ends 1 element line(s) short of its last space");
  CHECK(err(ok + "space\trespondents\t1\nxyz\t0000000000000002\n") ==
        "l.txt:4: expected an element: two 16-digit hexadecimal fingerprints separated by a tab");
  const std::string one = ok + "release\t5\t1\tx\nspace\trespondents\t1\n0000000000000001\t0000000000000002\n"
                               "domain\tconstruct:a\t0\n";
  CHECK(err(one + "cell\t0\t0\tunits\tu\tmean\t0 1\n") ==
        "l.txt:7: cell member 1 is not an element of its space (it has 1)");
  CHECK(err(one + "cell\t0\t1\tunits\tu\tmean\t0\n") == "l.txt:7: domain 1 is out of range (below 1 expected)");
  CHECK(err(one + "cell\t0\t0\tunits\tu\tmean\t0 0\n") == "l.txt:7: cell members repeat an element");
  CHECK(err(one + "cell\t0\t0\tunits\tu\n") ==
        "l.txt:7: a cell line has 7 fields (cell, release, domain, section, label, figures, members), not 5");
  CHECK(err(one + "bogus\n") == "l.txt:7: unknown record 'bogus'");
  const auto l = ethos::release_ledger::parse(one + "cell\t0\t0\tunits\tu\\tv\tmean\t0\n", "l.txt");
  CHECK(l.cells() == 1);
  CHECK(l.str() == one + "cell\t0\t0\tunits\tu\\tv\tmean\t0\n");
}

TEST_CASE("report: the same people are never hidden in one section and shown in another", "[org][report][privacy]") {
  // The sample grouped by department with units from the team paths: every department is both a group and a unit,
  // over exactly the same respondents. Each construct's group figure is shown exactly when its unit figure is, and
  // then with the same n and mean: 'People and Culture', which the groups' own differencing rule hid while the units
  // table showed it, is shown in both.
  const auto s = survey::from_file(sample_path(), "team");
  const auto rep = ethos::build_report(request(s, "department"));
  REQUIRE(rep.audit.safe());
  REQUIRE(rep.units);
  std::size_t compared = 0;
  for (const auto& g : rep.summary.groups) {
    const auto u = std::find_if(rep.units->units.begin(), rep.units->units.end(),
                                [&](const ethos::unit_result& x) { return x.id == g.id; });
    REQUIRE(u != rep.units->units.end());
    for (std::size_t c = 0; c < rep.summary.constructs.size(); ++c) {
      const bool group_shown =
          g.suppressed == ethos::suppression::none && g.constructs[c].status == ethos::suppression::none;
      const auto& cell = u->constructs[c];
      INFO(g.id << ", construct " << rep.summary.constructs[c].summary.key);
      CHECK(group_shown == cell.shown());
      if (group_shown && cell.shown()) {
        CHECK(g.constructs[c].n == cell.n);
        CHECK(*g.constructs[c].mean == Approx(*cell.mean).epsilon(1e-12));
        ++compared;
      }
    }
    if (g.id == "People and Culture") {
      CHECK(g.suppressed == ethos::suppression::none);
    }
  }
  CHECK(compared >= 6 * 12);
  // No warning says a group was hidden to protect others: none is any more.
  for (const auto& w : rep.summary.warnings) {
    CHECK(w.message.find("further group") == std::string::npos);
  }
}

TEST_CASE("report: a unit tree deeper than max_unit_depth is refused with the unit named", "[org][report][errors]") {
  // A chain of 70 units, one respondent at each.
  std::string chain;
  std::vector<std::pair<std::string, std::string>> labels;
  for (int i = 0; i < 70; ++i) {
    chain += (i == 0 ? "" : "/") + std::string("L") + std::to_string(i);
    labels.emplace_back("d", chain);
  }
  const auto s = survey::from_csv(
      survey_csv(labels.size(), labels, [](std::size_t, const std::string&, int x) { return x; }), "team");
  CHECK(ethos_test::error_of([&] { (void)ethos::build_report(request(s, "")); }) ==
        "roll_up: unit 'L0/L1/L2/L3/L4/L5/L6/L7/L8/L9/L10/L11/L12/L13/L14/L15/L16/L17/L18/L19/L20/L21/L22/L23/L24/"
        "L25/L26/L27/L28/L29/L30/L31/L32/L33/L34/L35/L36/L37/L38/L39/L40/L41/L42/L43/L44/L45/L46/L47/L48/L49/L50/L51/"
        "L52/L53/L54/L55/L56/L57/L58/L59/L60/L61/L62/L63/L64' lies 65 levels below the root; at most 64 levels are "
        "supported");
}

TEST_CASE("prepare_report: one call gives the report build_report gives on the same survey", "[org][report]") {
  // Only the library makes a survey_report: a writer given one is given an audited report.
  STATIC_REQUIRE_FALSE(std::is_default_constructible_v<ethos::survey_report>);
  STATIC_REQUIRE(std::is_copy_constructible_v<ethos::survey_report>);
  STATIC_REQUIRE_FALSE(std::is_convertible_v<const ethos::assessment&, ethos::unaudited<ethos::assessment>>);
  // The writers take the report, or a result named unaudited; a bare assessment or roll-up does not compile.
  STATIC_REQUIRE_FALSE(writes_text<ethos::assessment>);
  STATIC_REQUIRE(writes_text<ethos::unaudited<ethos::assessment>>);
  STATIC_REQUIRE_FALSE(writes_json<ethos::assessment>);
  STATIC_REQUIRE(writes_json<ethos::survey_report>);
  STATIC_REQUIRE(writes_json<ethos::unaudited<ethos::assessment>>);
  STATIC_REQUIRE_FALSE(writes_group_csv<ethos::assessment>);
  STATIC_REQUIRE(writes_group_csv<ethos::survey_report>);
  STATIC_REQUIRE_FALSE(writes_unit_csv<ethos::org_rollup>);
  STATIC_REQUIRE(writes_unit_csv<ethos::unaudited<ethos::org_rollup>>);
  STATIC_REQUIRE_FALSE(writes_svg<ethos::assessment>);
  STATIC_REQUIRE(writes_svg<ethos::survey_report>);
  STATIC_REQUIRE_FALSE(writes_unit_heatmap<ethos::org_rollup>);
  STATIC_REQUIRE(writes_unit_heatmap<ethos::survey_report>);

  const auto s = survey::from_file(sample_path(), "team");
  auto q = request(s, "department");
  q.options.drivers.reset();
  const auto built = ethos::build_report(q);

  ethos::prepare_options o;
  o.report = q.options;
  o.unit_column = "team";
  o.row_number_ids = s.input.row_number_ids;
  const auto prepared = ethos::prepare_report(audit_instrument(), s.input.matrix, o);
  CHECK(ethos::results_to_json_string(prepared) == ethos::results_to_json_string(built));
  CHECK(ethos::report_text(prepared) == ethos::report_text(built));
  CHECK(prepared.audit.safe());
  CHECK(prepared.audit.cells == built.audit.cells);

  // A given tree places the rows by the same labels.
  o.tree = &s.units->first;
  CHECK(ethos::results_to_json_string(ethos::prepare_report(audit_instrument(), s.input.matrix, o)) ==
        ethos::results_to_json_string(built));

  // Without units: the overall figures and groups only.
  ethos::prepare_options plain;
  plain.report.group_by = "department";
  const auto flat = ethos::prepare_report(audit_instrument(), s.input.matrix, plain);
  CHECK_FALSE(flat.units.has_value());
  CHECK(flat.audit.safe());

  o.unit_column = "no_such_column";
  CHECK(ethos_test::error_of([&] { (void)ethos::prepare_report(audit_instrument(), s.input.matrix, o); }) ==
        "prepare_report: no metadata column 'no_such_column' names the units");
  o.unit_column.clear();
  CHECK(ethos_test::error_of([&] { (void)ethos::prepare_report(audit_instrument(), s.input.matrix, o); }) ==
        "prepare_report: a unit tree needs the column that names each respondent's unit (unit_column)");
}

TEST_CASE("writers: a report's writers and the unaudited ones write the same figures", "[org][report][io]") {
  const auto s = survey::from_file(sample_path(), "team");
  auto q = request(s, "department");
  const auto rep = ethos::build_report(q);
  REQUIRE(rep.units.has_value());

  // CSV: the report's group and unit tables are those of its sections, written unaudited.
  std::ostringstream groups;
  std::ostringstream groups_unaudited;
  ethos::write_group_results(groups, rep);
  ethos::write_group_results(groups_unaudited, ethos::unaudited(rep.summary));
  CHECK(groups.str() == groups_unaudited.str());
  CHECK(groups.str().starts_with("department,n,status,"));
  std::ostringstream units;
  std::ostringstream units_unaudited;
  ethos::write_unit_results(units, rep);
  ethos::write_unit_results(units_unaudited, ethos::unaudited(*rep.units));
  CHECK(units.str() == units_unaudited.str());

  // SVG: the report's charts include the units heatmap; the assessment's alone do not.
  const std::string svg = ethos::assessment_svg(rep);
  const std::string svg_alone = ethos::assessment_svg(ethos::unaudited(rep.summary));
  CHECK(svg.size() > svg_alone.size());
  CHECK(ethos::rollup_heatmap(rep, {.max_depth = 1}).str() ==
        ethos::rollup_heatmap(ethos::unaudited(*rep.units), {.max_depth = 1}).str());

  // Text: the report's text begins with the assessment's.
  const std::string alone = ethos::text_report(ethos::unaudited(rep.summary));
  CHECK(ethos::report_text(rep).starts_with(alone));

  // A report without units has no unit table to write.
  const auto flat = ethos::build_report(request(survey::from_file(sample_path(), ""), "department"));
  std::ostringstream none;
  CHECK(ethos_test::error_of([&] { ethos::write_unit_results(none, flat); }) ==
        "write_unit_results: the report of 'service_culture_audit' has no units section");
  CHECK(ethos_test::error_of([&] { (void)ethos::rollup_heatmap(flat); }) ==
        "rollup_heatmap: the report of 'service_culture_audit' has no units section");
}

TEST_CASE("report: every hidden figure gives its reason in the same words, in every section",
          "[org][report][privacy]") {
  CHECK(ethos::hidden_reason(ethos::suppression::none, 5).empty());
  CHECK(ethos::hidden_reason(ethos::suppression::too_small, 7) == "fewer than 7 respondents");
  const std::string secondary = ethos::hidden_reason(ethos::suppression::secondary, 5);
  CHECK(secondary == "hidden so that a smaller group cannot be derived by subtraction");

  // The sample report grouped by team (small teams hidden, others hidden to protect them) with units and drivers.
  const auto s = survey::from_file(sample_path(), "team");
  const auto rep = ethos::build_report(request(s, "team"));
  const auto j = nlohmann::json::parse(ethos::results_to_json_string(rep));
  std::size_t checked = 0;
  std::size_t seen_secondary = 0;
  const auto walk = [&](const auto& self, const nlohmann::json& v) -> void {
    if (v.is_object()) {
      if (v.contains("status") && v["status"].is_string() && v.contains("status_reason")) {
        const auto status = v["status"].get<std::string>();
        const auto reason = v["status_reason"].get<std::string>();
        INFO(v.dump());
        if (status == "too_small") {
          CHECK(reason.starts_with(ethos::hidden_reason(ethos::suppression::too_small, 5)));
        } else {
          CHECK(status == "secondary");
          CHECK(reason == secondary);
          ++seen_secondary;
        }
        ++checked;
      }
      if (v.contains("suppressed_reason")) {
        const auto reason = v["suppressed_reason"].get<std::string>();
        CHECK((reason == secondary || reason == ethos::hidden_reason(ethos::suppression::too_small, 5)));
        seen_secondary += reason == secondary ? 1U : 0U;
        ++checked;
      }
    }
    if (v.is_structured()) {
      for (const auto& x : v) {
        self(self, x);
      }
    }
  };
  walk(walk, j);
  CHECK(checked > 10);
  CHECK(seen_secondary > 0);
  // The text report says it in the same words.
  CHECK(ethos::report_text(rep).find(secondary) != std::string::npos);
}

TEST_CASE("writers: the streamed JSON of a report is the text nlohmann writes for the same value, at every indent",
          "[org][report][io]") {
  // Units and cut cells are written as text straight from the results; the rest of the document goes through JSON
  // values. Labels that need escaping (quotes, backslashes, non-ASCII, a tab), hidden cells, cells without an SD
  // or an agreement figure and units without an invited headcount all meet both paths.
  const std::vector<std::pair<std::string, std::string>> labels = {
      {"\"\"\"Ops\"\" \\ North\"", "\"\"\"Ops\"\" \\ North/Caf\xc3\xa9 \"\"1\"\"\""},
      {"\"\"\"Ops\"\" \\ North\"", "\"\"\"Ops\"\" \\ North/Team\t2\""},
      {"Sales", "Sales/EMEA"},
      {"Sales", "Sales/APAC"},
      {"Sales", "Sales/Solo"}};
  std::string csv = survey_csv(64, labels, [](std::size_t r, const std::string& id, int x) {
    return (r % 7 == 3 && id.starts_with("csl")) ? -1 : x;
  });
  // Sales/Solo keeps one respondent: every figure of it is hidden.
  std::string kept;
  std::istringstream in(csv);
  std::string line;
  std::size_t solo = 0;
  while (std::getline(in, line)) {
    if (line.find("Sales/Solo") != std::string::npos && solo++ > 0) {
      continue;
    }
    kept += line + "\n";
  }
  auto s = survey::from_csv(kept, "team");
  auto q = request(s, "department");
  q.options.cut = "department";
  const auto rep = ethos::build_report(q);
  REQUIRE(rep.units.has_value());
  REQUIRE(rep.units->cut.has_value());
  const auto value = ethos::results_to_json(rep);
  std::size_t hidden = 0;
  for (const auto& u : value["units"]) {
    for (const auto& [key, cell] : u["constructs"].items()) {
      hidden += cell["status"] != "none" ? 1U : 0U;
    }
  }
  CHECK(hidden >= 12);
  const auto same_text = [](const ethos::survey_report& report, const nlohmann::ordered_json& v) {
    for (const int indent : {-1, 0, 2, 3}) {
      std::ostringstream out;
      ethos::write_results_json(out, report, indent);
      INFO("indent " << indent);
      CHECK(out.str() == v.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
    }
  };
  same_text(rep, value);
  // Groups by team: the groups' text too meets escaped labels, a suppressed group (Sales/Solo) and hidden cells.
  const auto by_team = ethos::build_report(request(s, "team"));
  const auto team_value = ethos::results_to_json(by_team);
  std::size_t suppressed = 0;
  std::size_t hidden_cells = 0;
  for (const auto& g : team_value["groups"]) {
    suppressed += g["suppressed"] == true ? 1U : 0U;
    if (g.contains("constructs")) {
      for (const auto& [key, cell] : g["constructs"].items()) {
        hidden_cells += cell.contains("status") ? 1U : 0U;
      }
    }
  }
  CHECK(suppressed >= 1);
  CHECK(hidden_cells >= 1);
  same_text(by_team, team_value);
}

TEST_CASE("report: the same report on one thread and on several", "[org][report]") {
  // Teams of many sizes in six departments, answers missing in patterns that differ by construct (so the constructs'
  // scored sets differ and each is protected on its own), a cut, drivers and groups: every section that splits
  // into constructs or domains. The JSON, the text and the proof agree byte for byte whatever the threads.
  std::vector<std::pair<std::string, std::string>> labels;
  for (std::size_t d = 0; d < 6; ++d) {
    for (std::size_t t = 0; t < 2 + d % 3; ++t) {
      for (std::size_t i = 0; i < 3 + (d * 7 + t * 11) % 40; ++i) {
        labels.emplace_back("D" + std::to_string(d), "D" + std::to_string(d) + "/T" + std::to_string(t));
      }
    }
  }
  const std::string csv = survey_csv(labels.size(), labels, [](std::size_t r, const std::string& id, int x) {
    // Every item of a construct (its three-letter prefix) missing for some rows: those have no score on it.
    const std::size_t prefix =
        static_cast<std::size_t>(id[0]) * 7 + static_cast<std::size_t>(id[1]) * 3 + static_cast<std::size_t>(id[2]);
    return (r + prefix) % (7 + prefix % 11) == 0 ? -1 : x;
  });
  const auto s = survey::from_csv(csv, "team");
  std::vector<std::string> json;
  std::vector<std::string> text;
  for (const std::size_t threads : {1U, 2U, 3U, 0U}) {
    auto q = request(s, "department");
    q.options.cut = "department";
    q.options.threads = threads;
    q.options.drivers->max_depth = 2;
    const auto rep = ethos::build_report(q);
    REQUIRE(rep.audit.safe());
    std::ostringstream out;
    ethos::write_results_json(out, rep);
    json.push_back(out.str());
    text.push_back(ethos::report_text(rep));
  }
  // The scored sets do differ by construct, and some figures are hidden: the protection had work to do.
  const auto one = nlohmann::json::parse(json.front());
  std::set<std::size_t> ns;
  for (const auto& [key, cell] : one["units"][0]["constructs"].items()) {
    ns.insert(cell["n"].get<std::size_t>());
  }
  CHECK(ns.size() > 3);
  CHECK(json.front().find("\"too_small\"") != std::string::npos);
  CHECK(json.front().find("\"secondary\"") != std::string::npos);
  CHECK(one["drivers"].size() > 1);
  for (std::size_t i = 1; i < json.size(); ++i) {
    CHECK(json[i] == json.front());
    CHECK(text[i] == text.front());
  }
}

TEST_CASE("report: candidates given by classes are protected as through a release", "[org][report][privacy]") {
  // Without a ledger, an earlier wave or ratings, every candidate of the joint protection is a set of classes of the
  // respondents, and build_report protects them without a release cell each; with a ledger (empty here: it adds no
  // cell and no other minimum size) the same candidates go through a release. Both must hide the same figures: the
  // sample (groups hidden by their own rule and shown again) and a survey of many teams with a cut whose
  // constructs are scored on different rows.
  std::vector<std::pair<std::string, std::string>> labels;
  for (std::size_t d = 0; d < 5; ++d) {
    for (std::size_t t = 0; t < 3 + d % 4; ++t) {
      for (std::size_t i = 0; i < 2 + (d * 5 + t * 13) % 31; ++i) {
        labels.emplace_back("D" + std::to_string(d), "D" + std::to_string(d) + "/T" + std::to_string(t));
      }
    }
  }
  const std::string csv = survey_csv(labels.size(), labels, [](std::size_t r, const std::string& id, int x) {
    const std::size_t prefix =
        static_cast<std::size_t>(id[0]) * 5 + static_cast<std::size_t>(id[1]) * 3 + static_cast<std::size_t>(id[2]);
    return (r + prefix) % (5 + prefix % 9) == 0 ? -1 : x;
  });
  const auto generated = survey::from_csv(csv, "team");
  const auto sample = survey::from_file(sample_path(), "team");
  std::size_t hidden = 0;
  for (const auto* s : {&sample, &generated}) {
    for (const std::size_t k : {5U, 7U}) {
      auto q = request(*s, "department", k);
      if (s == &generated) {
        q.options.cut = "department";
      }
      const auto by_classes = ethos::build_report(q);
      REQUIRE_FALSE(by_classes.cells.cells.empty());
      // Without an inventory to keep, the proof runs on the same cells in compact form: the same report, the same
      // audit, and no inventory (published_cells says so; declare_report makes it from the request).
      auto lean_request = q;
      lean_request.options.inventory = false;
      const auto lean = ethos::build_report(lean_request);
      CHECK(lean.cells.cells.empty());
      CHECK(lean.audit.cells == by_classes.audit.cells);
      CHECK(lean.audit.domains == by_classes.audit.domains);
      CHECK(lean.audit.small_dimension == by_classes.audit.small_dimension);
      CHECK(lean.audit.complete == by_classes.audit.complete);
      CHECK(lean.audit.passed == by_classes.audit.passed);
      CHECK(lean.audit.findings.size() == by_classes.audit.findings.size());
      CHECK(ethos::declare_report(lean, lean_request).cells.size() == by_classes.cells.cells.size());
      CHECK_THROWS_WITH(ethos::published_cells(lean, "construct:voice_of_the_customer"),
                        Catch::Contains("kept no inventory"));
      {
        std::ostringstream full;
        std::ostringstream compact;
        ethos::write_results_json(full, by_classes);
        ethos::write_results_json(compact, lean);
        CHECK(full.str() == compact.str());
      }
      ethos::release_ledger ledger(ethos::release_salt{3, 4});
      q.ledger = &ledger;
      const auto by_release = ethos::build_report(q);
      REQUIRE(by_classes.audit.safe());
      std::ostringstream a;
      std::ostringstream b;
      ethos::write_results_json(a, by_classes);
      ethos::write_results_json(b, by_release);
      const auto ja = nlohmann::json::parse(a.str());
      const auto jb = nlohmann::json::parse(b.str());
      INFO("k " << k << (s == &sample ? ", the sample" : ", the generated survey"));
      for (const char* part : {"constructs", "groups", "units", "cuts", "drivers"}) {
        INFO(part);
        CHECK(ja.value(part, nlohmann::json()) == jb.value(part, nlohmann::json()));
      }
      // The warnings too, but for the words a ledger adds to the withheld count.
      std::string warnings = jb["warnings"].dump();
      const std::string ledger_words = " or of earlier releases to the same audience";
      for (auto at = warnings.find(ledger_words); at != std::string::npos; at = warnings.find(ledger_words)) {
        warnings.erase(at, ledger_words.size());
      }
      CHECK(ja["warnings"].dump() == warnings);
      const std::string text = a.str();
      for (std::size_t at = text.find("\"secondary\""); at != std::string::npos;
           at = text.find("\"secondary\"", at + 1)) {
        ++hidden;
      }
    }
  }
  CHECK(hidden > 10); // the protection had figures to hide
}

TEST_CASE("writers: a report's JSON with thousands of units is the same bytes on any number of threads",
          "[org][report][io]") {
  // 1,300 teams of 3 to 7 people in 13 departments: the units and cut arrays span several blocks of the writer,
  // formatted on the report's threads and written in order.
  std::vector<std::pair<std::string, std::string>> labels;
  for (std::size_t t = 0; t < 1300; ++t) {
    const std::string d = "D" + std::to_string(t % 13);
    for (std::size_t i = 0; i < 3 + t % 5; ++i) {
      labels.emplace_back(d, d + "/T" + std::to_string(t));
    }
  }
  const auto s = survey::from_csv(
      survey_csv(labels.size(), labels, [](std::size_t, const std::string&, int x) { return x; }), "team");
  std::vector<std::string> json;
  for (const std::size_t threads : {1U, 2U, 3U}) {
    auto q = request(s, "department");
    q.options.cut = "department";
    q.options.threads = threads;
    const auto rep = ethos::build_report(q);
    REQUIRE(rep.units.has_value());
    REQUIRE(rep.units->units.size() > 1300);
    REQUIRE(rep.units->cut->rows.size() > 1300);
    std::ostringstream out;
    ethos::write_results_json(out, rep);
    json.push_back(out.str());
    if (threads == 2) {
      CHECK(out.str() ==
            ethos::results_to_json(rep).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
    }
  }
  CHECK(json[1] == json[0]);
  CHECK(json[2] == json[0]);
}

TEST_CASE("drivers_by_unit: an assignment that does not fit the responses or the tree is refused",
          "[org][drivers][errors]") {
  const auto s = survey::from_file(sample_path(), "team");
  const auto& view = audit_instrument();
  const auto r = ethos::roll_up(view, s.input.matrix, s.scores, s.units->first, s.units->second);
  auto short_units = s.units->second;
  short_units.unit_of.pop_back();
  CHECK(ethos_test::error_of([&] {
          (void)ethos::drivers_by_unit(view, s.input.matrix, s.scores, s.units->first, short_units, r, {});
        }) == "drivers: the unit assignment has 589 rows but the responses have 590");
  auto far_units = s.units->second;
  far_units.unit_of[6] = static_cast<std::uint32_t>(s.units->first.size());
  CHECK(ethos_test::error_of([&] {
          (void)ethos::drivers_by_unit(view, s.input.matrix, s.scores, s.units->first, far_units, r, {});
        }) == "drivers: row 7 is assigned to unit #" + std::to_string(s.units->first.size()) + ", but the tree has " +
                  std::to_string(s.units->first.size()) + " units");
  // The assignment the roll-up used works, on any number of threads, with the same result.
  ethos::unit_driver_options two;
  two.threads = 2;
  const auto one_thread =
      ethos::drivers_by_unit(view, s.input.matrix, s.scores, s.units->first, s.units->second, r, {});
  const auto two_threads =
      ethos::drivers_by_unit(view, s.input.matrix, s.scores, s.units->first, s.units->second, r, two);
  REQUIRE(one_thread.size() == two_threads.size());
  REQUIRE(one_thread.size() > 1);
  for (std::size_t i = 0; i < one_thread.size(); ++i) {
    CHECK(one_thread[i].unit == two_threads[i].unit);
    CHECK(one_thread[i].analysis.r_squared == two_threads[i].analysis.r_squared);
  }
}

TEST_CASE("drivers_by_unit: each unit's analysis is analyse_drivers over the unit's rows, on any number of threads",
          "[org][drivers]") {
  // drivers_by_unit sums every unit's rows in one pass over the responses; the reference gathers each unit's rows
  // (the unit and its sub-units) and analyses them alone. Counts, r, weights and shares are the same bits;
  // performance is the unit's published mean for every predictor (never a mean over the complete cases alone).
  const auto s = survey::from_file(sample_path(), "team");
  const auto& view = audit_instrument();
  const auto& tree = s.units->first;
  const auto& assigned = s.units->second;
  const auto r = ethos::roll_up(view, s.input.matrix, s.scores, tree, assigned);
  for (const std::string outcome : {"", "engaging_service_vision"}) {
    for (const std::size_t threads : {std::size_t{1}, std::size_t{2}, std::size_t{3}}) {
      ethos::unit_driver_options opt;
      opt.outcome = outcome;
      opt.max_depth = 10;
      opt.analysis.min_respondents = 3;
      opt.threads = threads;
      const auto got = ethos::drivers_by_unit(view, s.input.matrix, s.scores, tree, assigned, r, opt);
      REQUIRE(got.size() > 3);
      std::size_t with_weights = 0;
      for (const auto& ud : got) {
        const auto idx = tree.find(ud.unit);
        REQUIRE(idx);
        const auto& unit =
            *std::find_if(r.units.begin(), r.units.end(), [&](const auto& u) { return u.id == ud.unit; });
        std::vector<std::uint32_t> rows;
        for (std::uint32_t i = 0; i < assigned.unit_of.size(); ++i) {
          for (std::size_t v = assigned.unit_of[i]; v != ethos::unit_npos; v = tree[v].parent) {
            if (v == *idx) {
              rows.push_back(i);
              break;
            }
          }
        }
        std::vector<std::vector<double>> cols;
        std::vector<std::size_t> constructs;
        std::vector<double> y;
        std::optional<std::size_t> outcome_construct;
        for (std::size_t c = 0; c < view.constructs.size(); ++c) {
          if (view.constructs[c].key == outcome) {
            outcome_construct = c;
          } else {
            constructs.push_back(c);
          }
        }
        const auto nps_col = *s.input.matrix.column_of(view.nps_item);
        for (const auto i : rows) {
          if (outcome_construct) {
            y.push_back(s.scores.persons.construct(*outcome_construct)[i]);
          } else {
            const auto x = s.input.matrix.column(nps_col)[i];
            y.push_back(x == ethos::response_matrix::missing ? std::nan("") : static_cast<double>(x));
          }
        }
        std::vector<ethos::driver_input> inputs;
        cols.resize(constructs.size());
        for (std::size_t p = 0; p < constructs.size(); ++p) {
          for (const auto i : rows) {
            cols[p].push_back(s.scores.persons.construct(constructs[p])[i]);
          }
        }
        for (std::size_t p = 0; p < constructs.size(); ++p) {
          inputs.push_back({s.scores.constructs[constructs[p]].key, s.scores.constructs[constructs[p]].label, cols[p]});
        }
        const auto want =
            ethos::analyse_drivers(inputs, {ud.analysis.outcome, ud.analysis.outcome_label, y}, opt.analysis);
        INFO("unit " << ud.unit << ", outcome '" << outcome << "', threads " << threads);
        CHECK(ud.analysis.n == want.n);
        CHECK(ud.analysis.dropped == want.dropped);
        CHECK(ud.analysis.n + ud.analysis.dropped == unit.respondents);
        CHECK(ud.analysis.r_squared == want.r_squared);
        CHECK(ud.analysis.reason == want.reason);
        REQUIRE(ud.analysis.drivers.size() == want.drivers.size());
        for (std::size_t p = 0; p < want.drivers.size(); ++p) {
          CHECK(ud.analysis.drivers[p].key == want.drivers[p].key);
          CHECK(ud.analysis.drivers[p].r == want.drivers[p].r);
          CHECK(ud.analysis.drivers[p].weight == want.drivers[p].weight);
          CHECK(ud.analysis.drivers[p].share == want.drivers[p].share);
          if (want.n >= opt.analysis.min_respondents) {
            CHECK(ud.analysis.drivers[p].performance == unit.constructs[constructs[p]].mean);
          } else {
            CHECK_FALSE(ud.analysis.drivers[p].performance);
          }
        }
        with_weights += ud.analysis.r_squared ? 1 : 0;
      }
      CHECK(with_weights > 3); // the comparison covers analyses with weights, not only refusals
    }
  }
}

TEST_CASE("drivers_by_unit: a predictor without a correlation still shows the unit's published mean",
          "[org][drivers][privacy]") {
  // The outcome (eNPS) is 9 for everyone who answered it, so no predictor has a correlation; every tenth person
  // skipped it but has scores. A mean over the complete cases would leave those people out, and next to the unit's
  // published mean it would give away the sum of their scores.
  const std::vector<std::pair<std::string, std::string>> labels{{"Ops", "Ops/North"}, {"Ops", "Ops/South"}};
  const auto s = survey::from_csv(survey_csv(120, labels,
                                             [](std::size_t r, const std::string& id, int x) {
                                               return id == "enps" ? (r % 20 == 0 || r % 20 == 5 ? -1 : 9) : x;
                                             }),
                                  "team");
  const auto& view = audit_instrument();
  const auto r = ethos::roll_up(view, s.input.matrix, s.scores, s.units->first, s.units->second);
  ethos::unit_driver_options opt;
  opt.max_depth = 10;
  const auto got = ethos::drivers_by_unit(view, s.input.matrix, s.scores, s.units->first, s.units->second, r, opt);
  REQUIRE(got.size() == 4); // the organisation, Ops and its two teams
  for (const auto& ud : got) {
    INFO("unit " << ud.unit);
    const auto& unit = *std::find_if(r.units.begin(), r.units.end(), [&](const auto& u) { return u.id == ud.unit; });
    CHECK(ud.analysis.code == ethos::reason_code::no_variance);
    CHECK(ud.analysis.dropped == unit.respondents / 10);
    for (std::size_t p = 0; p < ud.analysis.drivers.size(); ++p) {
      CHECK_FALSE(ud.analysis.drivers[p].r);
      REQUIRE(ud.analysis.drivers[p].performance);
      CHECK(*ud.analysis.drivers[p].performance == *unit.constructs[p].mean);
    }
  }
}

TEST_CASE("report: the assessment made again with other groups shown reads nothing from the rows it kept",
          "[org][report][privacy]") {
  // The joint protection assesses again with the groups it shows or hides; it reuses what the first assessment read
  // from each construct's rows (detail::assess_cache). The result must be the assessment made from scratch.
  const auto s = survey::from_file(sample_path(), "");
  ethos::assessment_options opt;
  opt.group_by = "department";
  opt.min_group_size = 5;
  ethos::detail::assess_cache cache;
  const auto first = ethos::detail::assess_cached(audit_instrument(), s.input.matrix, s.scores, opt, cache);
  REQUIRE(cache.constructs.size() == first.constructs.size());
  // Show every group cell the groups' own rule hid by subtraction, and hide one shown cell of another construct.
  ethos::assessment_options again = opt;
  for (std::size_t c = 0; c < first.constructs.size(); ++c) {
    for (const auto& g : first.groups) {
      if (g.suppressed == ethos::suppression::secondary ||
          (c < g.constructs.size() && g.constructs[c].status == ethos::suppression::secondary)) {
        again.show.emplace_back(first.constructs[c].summary.key, g.id);
      }
    }
  }
  REQUIRE_FALSE(again.show.empty()); // the sample's departments: one is hidden to protect a smaller one
  for (const auto& g : first.groups) {
    if (g.suppressed == ethos::suppression::none && g.constructs.size() > 1 &&
        g.constructs[1].status == ethos::suppression::none) {
      again.hide.emplace_back(first.constructs[1].summary.key, g.id);
      break;
    }
  }
  const auto cached = ethos::detail::assess_cached(audit_instrument(), s.input.matrix, s.scores, again, cache);
  const auto fresh = ethos::assess(audit_instrument(), s.input.matrix, s.scores, again);
  const auto json = [](const ethos::assessment& a) { return ethos::results_to_json_string(ethos::unaudited(a)); };
  CHECK(json(cached) == json(fresh));
  CHECK(json(cached) != json(first)); // the shown and hidden cells changed the figures
  // And the first assessment is the one assess() makes.
  CHECK(json(first) == json(ethos::assess(audit_instrument(), s.input.matrix, s.scores, opt)));
}
