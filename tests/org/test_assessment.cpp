// The assessment (scores, reliability, agreement, eNPS, groups under a minimum size) and what reports make of
// it: against R on the likert5 reference dataset, the disclosure rules on hand-built groups, the results JSON
// against the statistics computed directly, and the text report's layout.
#include "../support/checks.hpp"
#include "../support/fixture.hpp"
#include "../support/reference_checks.hpp"
#include "../support/responses.hpp"

#include <ethos/io/json.hpp>
#include <ethos/io/json_value.hpp>
#include <ethos/measure.hpp>
#include <ethos/org/assessment.hpp>
#include <ethos/report/charts.hpp>
#include <ethos/report/fmt.hpp>
#include <ethos/report/text.hpp>
#include <ethos/stats/accumulator.hpp>
#include <ethos/stats/agreement.hpp>
#include <ethos/stats/reliability.hpp>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace {

using ethos_test::check_value;

// The likert5 dataset as a survey: c1 = i1..i4 (i3 reverse), c2 = j1..j3, 'outcome' the NPS item.
ethos::instrument likert5_instrument() {
  ethos::instrument_def def;
  def.id = "likert5";
  def.title = "Reference survey";
  def.constructs = {{"c1", "First construct", {}}, {"c2", "Second construct", {}}};
  for (const char* id : {"i1", "i2", "i3", "i4"}) {
    def.items.push_back({id, "", "c1", std::string(id) == "i3"});
  }
  for (const char* id : {"j1", "j2", "j3"}) {
    def.items.push_back({id, "", "c2"});
  }
  def.items.push_back({"outcome", "", "", false, 1.0, std::nullopt, std::nullopt, ethos::response_format::nps});
  def.nps_item = "outcome";
  return ethos::instrument(def);
}

ethos::response_matrix likert5_matrix(const ethos::instrument& inst) {
  return ethos_test::responses_of(inst, "likert5", "group");
}

ethos::assessment_options grouped(std::size_t k = 5) {
  ethos::assessment_options o;
  o.group_by = "group";
  o.min_group_size = k;
  return o;
}

// A matrix of one two-item construct whose groups have the given sizes; answers vary with the row.
struct small_survey {
  ethos::instrument inst;
  ethos::response_matrix matrix;
};

small_survey survey_with_groups(const std::vector<std::pair<std::string, std::size_t>>& sizes) {
  ethos::instrument_def def;
  def.id = "small";
  def.constructs = {{"c", "Construct", {}}};
  def.items = {{"a", "", "c"}, {"b", "", "c"}};
  ethos::instrument inst(def);
  ethos::response_builder b(inst, {"team"});
  std::size_t row = 0;
  for (const auto& [name, n] : sizes) {
    for (std::size_t i = 0; i < n; ++i, ++row) {
      const int x = static_cast<int>(row % 5) + 1;
      const std::vector<std::optional<int>> answers{x, 6 - x};
      const std::vector<std::string_view> groups{name};
      b.add("r" + std::to_string(row), answers, groups);
    }
  }
  return {inst, b.finish()};
}

const ethos::group_assessment& group_named(const ethos::assessment& a, const std::string& id) {
  for (const auto& g : a.groups) {
    if (g.id == id) {
      return g;
    }
  }
  FAIL("no group " << id);
  return a.groups.front();
}

} // namespace

TEST_CASE("assessment matches R on the likert5 dataset", "[org][assessment][reference]") {
  const ethos_test::fixture f(ethos_test::reference_fixture("assessment_likert5"));
  const auto inst = likert5_instrument();
  const auto m = likert5_matrix(inst);
  const auto a = ethos::assess(inst, m, grouped(static_cast<std::size_t>(f.value("min_group_size"))));

  REQUIRE(a.groups.size() == static_cast<std::size_t>(f.value("groups")));
  std::size_t shown = 0;
  for (const auto& g : a.groups) {
    INFO("group " << g.id);
    CHECK(g.n == static_cast<std::size_t>(f.value("group.n[" + g.id + "]")));
    const bool is_shown = f.value("group.shown[" + g.id + "]") == 1.0;
    CHECK((g.suppressed == ethos::suppression::none) == is_shown);
    CHECK(g.constructs.size() == (is_shown ? 2U : 0U));
    shown += is_shown ? 1U : 0U;
  }
  CHECK(shown == static_cast<std::size_t>(f.value("groups.shown")));

  for (std::size_t c = 0; c < 2; ++c) {
    const auto& ca = a.constructs[c];
    const std::string key = ca.summary.key;
    INFO("construct " << key);
    CHECK(ca.summary.n == static_cast<std::size_t>(f.value(key + ".n")));
    check_value(ca.summary.mean, f, key + ".mean");
    check_value(ca.summary.sd, f, key + ".sd");
    check_value(ca.summary.favorable, f, key + ".favorable");
    check_value(ca.summary.unfavorable, f, key + ".unfavorable");
    REQUIRE(ca.agreement);
    check_value(ca.agreement->icc.icc1, f, key + ".icc1");
    check_value(ca.agreement->icc.icc2, f, key + ".icc2");
    check_value(ca.agreement->rwg_j.mean, f, key + ".rwg_j_mean");
    check_value(ca.agreement->rwg_j.median, f, key + ".rwg_j_median");
    CHECK(ca.agreement->rwg_j.groups == static_cast<std::size_t>(f.value(key + ".groups_with_rwg_j")));
    for (const auto& g : a.groups) {
      if (g.suppressed != ethos::suppression::none) {
        continue;
      }
      INFO("group " << g.id);
      const bool construct_shown = f.value(key + ".group.shown[" + g.id + "]") == 1.0;
      CHECK((g.constructs[c].status == ethos::suppression::none) == construct_shown);
      if (!construct_shown) {
        CHECK_FALSE(g.constructs[c].mean);
        CHECK_FALSE(g.constructs[c].favorable);
        CHECK_FALSE(g.constructs[c].rwg_j);
        continue;
      }
      check_value(g.constructs[c].mean, f, key + ".group.mean[" + g.id + "]");
      check_value(g.constructs[c].favorable, f, key + ".group.favorable[" + g.id + "]");
      check_value(g.constructs[c].rwg_j, f, key + ".group.rwg_j[" + g.id + "]");
    }
  }
  // Reliability is psych's over the respondents with a score on the construct.
  for (std::size_t c = 0; c < 2; ++c) {
    const auto& r = a.constructs[c].reliability;
    const std::string key = a.constructs[c].summary.key;
    INFO("construct " << key);
    check_value(r.alpha, f, key + ".alpha");
    check_value(r.std_alpha, f, key + ".std_alpha");
    check_value(r.average_r, f, key + ".average_r");
    check_value(r.ase, f, key + ".ase");
    check_value(r.feldt_lower, f, key + ".feldt_lower");
    check_value(r.feldt_upper, f, key + ".feldt_upper");
    for (std::size_t i = 0; i < r.items.size(); ++i) {
      const std::string item = a.constructs[c].items[i];
      check_value(r.items[i].alpha_if_dropped, f, key + ".alpha_if_dropped[" + item + "]");
      check_value(r.items[i].r_drop, f, key + ".r_drop[" + item + "]");
    }
  }

  REQUIRE(a.enps);
  CHECK(a.enps->n == static_cast<std::size_t>(f.value("enps.n")));
  CHECK(a.enps->promoters == static_cast<std::size_t>(f.value("enps.promoters")));
  CHECK(a.enps->detractors == static_cast<std::size_t>(f.value("enps.detractors")));
  check_value(a.enps->score, f, "enps.score");
  check_value(a.enps->se, f, "enps.se");
}

TEST_CASE("the results JSON carries exactly the statistics computed directly", "[org][assessment][json]") {
  const auto inst = likert5_instrument();
  const auto m = likert5_matrix(inst);
  const auto a = ethos::assess(inst, m, grouped());
  // Round trip through text: the numbers must read back to the same doubles.
  const auto j = nlohmann::json::parse(ethos::results_to_json_string(ethos::unaudited(a)));

  CHECK(j["schema"] == "ethos.results/1");
  CHECK(j["respondents"]["rows"] == m.rows());
  CHECK(j["respondents"]["used"] == m.rows());
  CHECK(j["respondents"]["invalid"] == 0);
  REQUIRE(j["constructs"].size() == 2);

  const auto v = inst.view();
  for (std::size_t c = 0; c < 2; ++c) {
    const auto& jc = j["constructs"][c];
    INFO("construct " << c);
    // Directly: the scorer for scores and shares, a fresh accumulator for reliability.
    const auto scored = ethos::score(inst, m);
    const auto& s = scored.constructs[c];
    CHECK(jc["key"] == s.key);
    CHECK(jc["n"] == s.n);
    CHECK(jc["mean"].get<double>() == *s.mean);
    CHECK(jc["sd"].get<double>() == *s.sd);
    CHECK(jc["index"].get<double>() == *s.index);
    CHECK(jc["favorable"].get<double>() == *s.favorable);
    CHECK(jc["neutral"].get<double>() == *s.neutral);
    CHECK(jc["unfavorable"].get<double>() == *s.unfavorable);

    // Reliability and agreement over the rows of respondents with a score on the construct.
    std::vector<std::vector<std::uint8_t>> kept;
    std::vector<std::uint32_t> codes;
    ethos::likert_config cfg(0, 1, 5, m.group("group")->levels.size());
    std::vector<std::string> ids;
    for (const auto& it : v.items) {
      if (it.construct == v.constructs[c].key) {
        kept.emplace_back();
        const auto col = m.column(*m.column_of(it.id));
        for (std::size_t r = 0; r < m.rows(); ++r) {
          if (scored.persons.score(c, r)) {
            kept.back().push_back(col[r]);
          }
        }
        cfg.reverse.push_back(it.reverse);
        ids.emplace_back(it.id);
      }
    }
    for (std::size_t r = 0; r < m.rows(); ++r) {
      if (scored.persons.score(c, r)) {
        codes.push_back(m.group("group")->codes[r]);
      }
    }
    std::vector<const std::uint8_t*> cols;
    for (const auto& k : kept) {
      cols.push_back(k.data());
    }
    cfg.items = cols.size();
    ethos::likert_accumulator acc(cfg);
    acc.add(cols, codes.size(), codes);
    const auto r = ethos::reliability(acc);
    const auto& jr = jc["reliability"];
    CHECK(jr["alpha"].get<double>() == *r.alpha);
    CHECK(jr["std_alpha"].get<double>() == *r.std_alpha);
    CHECK(jr["average_r"].get<double>() == *r.average_r);
    CHECK(jr["ase"].get<double>() == *r.ase);
    CHECK(jr["alpha_ci"][0].get<double>() == *r.feldt_lower);
    CHECK(jr["alpha_ci"][1].get<double>() == *r.feldt_upper);
    CHECK(jc["items"].get<std::vector<std::string>>() == ids);
    for (std::size_t i = 0; i < ids.size(); ++i) {
      CHECK(jr["alpha_if_dropped"][ids[i]].get<double>() == *r.items[i].alpha_if_dropped);
      CHECK(jr["r_drop"][ids[i]].get<double>() == *r.items[i].r_drop);
    }
    const auto& ag = a.constructs[c].agreement;
    REQUIRE(ag);
    CHECK(jc["agreement"]["icc1"].get<double>() == *ag->icc.icc1);
    CHECK(jc["agreement"]["icc2"].get<double>() == *ag->icc.icc2);
    CHECK(jc["agreement"]["rwg_j_mean"].get<double>() == *ag->rwg_j.mean);
    CHECK(jc["agreement"]["rwg_j_median"].get<double>() == *ag->rwg_j.median);
    CHECK(jc["agreement"]["groups_with_rwg_j"] == ag->rwg_j.groups);
    // rwg(j) per group from the accumulator, for the shown groups.
    const auto per_group = ethos::agreement(acc);
    const auto& levels = m.group("group")->levels;
    for (const auto& jg : j["groups"]) {
      if (jg["suppressed"].get<bool>()) {
        continue;
      }
      const auto id = jg["id"].get<std::string>();
      const auto l = static_cast<std::size_t>(std::find(levels.begin(), levels.end(), id) - levels.begin());
      const auto& x = jg["constructs"][v.constructs[c].key];
      INFO("group " << id);
      if (x.contains("status")) {
        // Hidden for this construct: the count and the reason, and no statistic at all.
        CHECK(x["status"] == "too_small");
        CHECK_FALSE(x.contains("mean"));
        CHECK_FALSE(x.contains("rwg_j"));
        continue;
      }
      if (per_group[l].rwg_j) {
        CHECK(x["rwg_j"].get<double>() == *per_group[l].rwg_j);
      } else {
        CHECK(x["rwg_j"].is_null());
        CHECK(x["rwg_j_reason"].get<std::string>() == per_group[l].reason);
      }
    }
  }
  REQUIRE(a.enps);
  CHECK(j["enps"]["score"].get<double>() == *a.enps->score);
  CHECK(j["enps"]["se"].get<double>() == *a.enps->se);
  CHECK(j["enps"]["promoters"] == a.enps->promoters);
  CHECK(j["enps"]["passives"] == a.enps->passives);
  CHECK(j["enps"]["detractors"] == a.enps->detractors);
  CHECK(j["enps"]["n"] == a.enps->n);
}

TEST_CASE("a suppressed group's scores appear nowhere in the JSON or the text", "[org][assessment][privacy]") {
  // g_small (3 people) is below 5; the hidden block would be 3 people, so the smallest shown group
  // (g_mid, 6) is hidden too; g_big stays.
  auto s = survey_with_groups({{"g_big", 20}, {"g_small", 3}, {"g_mid", 6}, {"g_large", 9}});
  const auto a = ethos::assess(s.inst, s.matrix, [] {
    ethos::assessment_options o;
    o.group_by = "team";
    return o;
  }());
  CHECK(group_named(a, "g_small").suppressed == ethos::suppression::too_small);
  CHECK(group_named(a, "g_mid").suppressed == ethos::suppression::secondary);
  CHECK(group_named(a, "g_big").suppressed == ethos::suppression::none);
  CHECK(group_named(a, "g_large").suppressed == ethos::suppression::none);
  CHECK(group_named(a, "g_small").constructs.empty());
  CHECK(group_named(a, "g_mid").constructs.empty());

  const auto j = ethos::results_to_json(ethos::unaudited(a));
  for (const auto& g : j["groups"]) {
    const bool hidden = g["id"] == "g_small" || g["id"] == "g_mid";
    CHECK(g["suppressed"].get<bool>() == hidden);
    CHECK(g.contains("constructs") == !hidden);
    if (hidden) {
      // Only the label, the size and why: no key that could carry a score.
      for (const auto& [key, value] : g.items()) {
        CHECK((key == "id" || key == "n" || key == "suppressed" || key == "suppressed_reason"));
      }
    }
  }
  // ICC and rwg(j) summaries are over shown groups only: 2 groups.
  CHECK(a.constructs[0].agreement->icc.groups == 2);
  CHECK(a.constructs[0].agreement->icc.n == 29);

  const std::string text = ethos::text_report(ethos::unaudited(a));
  CHECK(text.find("suppressed: fewer than 5 respondents") != std::string::npos);
  CHECK(text.find("hidden so that a smaller group cannot be derived by subtraction") != std::string::npos);
}

TEST_CASE("secondary suppression counts ungrouped respondents and stops once the hidden block is large",
          "[org][assessment][privacy]") {
  ethos::assessment_options o;
  o.group_by = "team";
  SECTION("two small groups together reach k: nothing more is hidden") {
    auto s = survey_with_groups({{"a", 3}, {"b", 2}, {"c", 7}, {"d", 8}});
    const auto a = ethos::assess(s.inst, s.matrix, o);
    CHECK(group_named(a, "c").suppressed == ethos::suppression::none);
    CHECK(group_named(a, "d").suppressed == ethos::suppression::none);
  }
  SECTION("respondents without a label join the hidden block") {
    auto s = survey_with_groups({{"", 2}, {"c", 7}, {"d", 8}});
    const auto a = ethos::assess(s.inst, s.matrix, o);
    CHECK(a.ungrouped == 2);
    CHECK(a.groups.size() == 2);
    CHECK(group_named(a, "c").suppressed == ethos::suppression::secondary);
    CHECK(group_named(a, "d").suppressed == ethos::suppression::none);
    CHECK(a.warnings.back().message == "2 respondent(s) have no 'team' label; they count in the overall results only.");
    CHECK(a.warnings.back().code == ethos::warning_code::unlabelled_respondents);
  }
  SECTION("every group hidden when no split is safe") {
    auto s = survey_with_groups({{"a", 4}, {"b", 6}});
    const auto a = ethos::assess(s.inst, s.matrix, o);
    CHECK(group_named(a, "a").suppressed == ethos::suppression::too_small);
    CHECK(group_named(a, "b").suppressed == ethos::suppression::secondary);
    CHECK_FALSE(a.constructs[0].agreement->rwg_j.mean);
    CHECK(a.constructs[0].agreement->rwg_j_reason == "no group is large enough to be shown");
    CHECK(a.constructs[0].agreement->rwg_j_code == ethos::reason_code::too_few_groups);
    const auto j = ethos::results_to_json(ethos::unaudited(a));
    CHECK(j["constructs"][0]["agreement"]["icc1"].is_null());
    CHECK(j["constructs"][0]["agreement"]["icc1_reason"] == "ICC needs at least 2 groups with scored respondents");
  }
}

TEST_CASE("a survey smaller than the minimum group size reports no scores", "[org][assessment][privacy]") {
  auto s = survey_with_groups({{"a", 4}});
  const auto a = ethos::assess(s.inst, s.matrix);
  CHECK_FALSE(a.constructs[0].summary.mean);
  CHECK_FALSE(a.constructs[0].summary.favorable);
  CHECK_FALSE(a.constructs[0].reliability.alpha);
  CHECK(a.constructs[0].summary.reason == "fewer than 5 respondents have a score on it");
  const auto j = ethos::results_to_json(ethos::unaudited(a));
  CHECK(j["constructs"][0]["mean"].is_null());
  CHECK(j["constructs"][0]["mean_reason"] == "fewer than 5 respondents have a score on it");
  CHECK(j["constructs"][0]["reliability"]["alpha"].is_null());
  CHECK(j["constructs"][0]["reliability"]["alpha_reason"] == "fewer than 5 respondents have a score on it");
  // One warning, with a code a program can act on and the sentence a report prints.
  REQUIRE(a.warnings.size() == 1);
  CHECK(a.warnings[0].code == ethos::warning_code::too_few_respondents);
  CHECK(a.warnings[0].message == "The survey has 4 respondents, fewer than the minimum of 5; no scores are shown.");
}

TEST_CASE("assessment warnings carry a code next to their sentence", "[org][assessment][status]") {
  ethos::assessment_options o;
  o.group_by = "team";
  auto s = survey_with_groups({{"a", 4}, {"b", 6}, {"c", 7}});
  const auto a = ethos::assess(s.inst, s.matrix, o);
  std::vector<ethos::warning_code> codes;
  for (const auto& w : a.warnings) {
    CAPTURE(w.message);
    CHECK_FALSE(w.message.empty());
    codes.push_back(w.code);
  }
  const auto has = [&](ethos::warning_code c) { return std::find(codes.begin(), codes.end(), c) != codes.end(); };
  CHECK(has(ethos::warning_code::small_groups_hidden));
  CHECK(has(ethos::warning_code::hidden_by_subtraction));
  for (const auto& w : a.warnings) {
    if (w.code == ethos::warning_code::small_groups_hidden) {
      CHECK(w.message == "1 group has fewer than 5 respondents; its scores are suppressed.");
    }
  }
}

TEST_CASE("a low alpha is printed below its threshold", "[org][assessment][status]") {
  // A threshold just above a construct's alpha, where two decimals would print both alike ("0.81 is below 0.81"):
  // the warning prints the threshold exactly and alpha with as many decimals as show it below.
  const auto inst = likert5_instrument();
  const auto m = likert5_matrix(inst);
  const auto first = ethos::assess(inst, m, {});
  REQUIRE(first.constructs[0].reliability.alpha);
  const double alpha = *first.constructs[0].reliability.alpha;
  ethos::assessment_options o;
  o.low_reliability = (std::floor(alpha * 1e4) + 1) / 1e4;
  const auto a = ethos::assess(inst, m, o);
  std::string expected;
  char buf[64];
  for (int digits = 4; digits < 9; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*f", digits, alpha);
    if (std::strtod(buf, nullptr) < o.low_reliability) {
      break;
    }
  }
  char threshold[64];
  std::snprintf(threshold, sizeof threshold, "%.4f", o.low_reliability);
  expected = "'" + a.constructs[0].summary.label + "': alpha " + buf + " is below " + threshold +
             "; its items may not measure one thing, so read its score with care.";
  bool found = false;
  for (const auto& w : a.warnings) {
    found = found || (w.code == ethos::warning_code::low_reliability && w.message == expected);
  }
  INFO(expected);
  CHECK(found);
}

TEST_CASE("assessment options are checked", "[org][assessment][errors]") {
  auto s = survey_with_groups({{"a", 6}});
  ethos::assessment_options o;
  o.min_group_size = 2;
  CHECK(ethos_test::error_of([&] { ethos::assess(s.inst, s.matrix, o); }) ==
        "assessment: minimum group size 2 is below 3");
  o.min_group_size = 5;
  // Scores of another survey (7 respondents, not 6) are refused rather than misread.
  auto other = survey_with_groups({{"a", 7}});
  CHECK(ethos_test::error_of([&] { ethos::assess(s.inst, s.matrix, ethos::score(other.inst, other.matrix), o); }) ==
        "assessment: the scores given are for 1 constructs and 7 respondents, not 1 and 6");
  o.group_by = "department";
  CHECK(ethos_test::error_of([&] { ethos::assess(s.inst, s.matrix, o); }) ==
        "assessment: no metadata column 'department' to group by (columns: 'team')");
}

TEST_CASE("statistics that cannot be computed are null with a reason in the JSON", "[org][assessment][json]") {
  // Every answer the same: no variance, so alpha and sd-based statistics cannot exist.
  ethos::instrument_def def;
  def.id = "flat";
  def.constructs = {{"c", "Construct", {}}};
  def.items = {{"a", "", "c"}, {"b", "", "c"}};
  ethos::instrument inst(def);
  ethos::response_builder b(inst);
  for (int r = 0; r < 6; ++r) {
    b.add("r" + std::to_string(r), {3, 3});
  }
  const auto m = b.finish();
  const auto a = ethos::assess(inst, m);
  const auto j = ethos::results_to_json(ethos::unaudited(a));
  const auto& rel = j["constructs"][0]["reliability"];
  CHECK(rel["alpha"].is_null());
  CHECK_FALSE(rel["alpha_reason"].get<std::string>().empty());
  CHECK(rel["alpha_ci"].is_null());
  CHECK(rel.contains("alpha_ci_reason"));
  CHECK_FALSE(j.contains("groups"));
  CHECK_FALSE(j["constructs"][0].contains("agreement"));
  CHECK(j["group_by"].is_null());
  // The text report says n/a rather than printing a number.
  CHECK(ethos::text_report(ethos::unaudited(a)).find("n/a") != std::string::npos);
}

TEST_CASE("the text report fits 100 columns and names what it shows", "[report][text]") {
  const auto inst = likert5_instrument();
  const auto m = likert5_matrix(inst);
  auto a = ethos::assess(inst, m, grouped());
  a.counts = {245, 240, 5};
  const std::string text = ethos::text_report(ethos::unaudited(a));
  std::istringstream in(text);
  std::string line;
  std::size_t lines = 0;
  while (std::getline(in, line)) {
    ++lines;
    INFO(line);
    CHECK(ethos::detail::display_width(line) <= 100);
  }
  CHECK(lines > 30);
  CHECK(text.find("Reference survey") == 0);
  CHECK(text.find("240 respondents (245 rows read, 5 invalid and left out)") != std::string::npos);
  CHECK(text.find("First construct") != std::string::npos);
  CHECK(text.find("eNPS ") != std::string::npos);
  CHECK(text.find("g30") != std::string::npos);
  CHECK(text.find("9 groups have fewer than 5 respondents") != std::string::npos);
  // Narrower layouts also hold their width; below 80 the report keeps 80.
  for (std::size_t width : {80U, 120U}) {
    ethos::text_report_options o;
    o.width = width;
    std::istringstream in2(ethos::text_report(ethos::unaudited(a), o));
    while (std::getline(in2, line)) {
      INFO(line);
      CHECK(ethos::detail::display_width(line) <= width);
    }
  }
}

TEST_CASE("text helpers cut and pad by display width", "[report][text]") {
  using ethos::detail::fit;
  CHECK(fit("Customer Care", 20) == "Customer Care");
  CHECK(fit("Customer Care", 8) == "Custo...");
  CHECK(fit("Zürich Nord", 6) == "Zür...");
  CHECK(ethos::detail::display_width(fit("Zürich Nord", 6)) == 6);
  CHECK(ethos::detail::pad_left("7", 3) == "  7");
  CHECK(ethos::detail::wrap("one two three", 9, "", "  ") == "one two\n  three\n");
}

TEST_CASE("fmt formatters describe results and say n/a for missing values", "[report][fmt]") {
  ethos::enps_result e = ethos::enps_from_counts(5, 3, 2);
  CHECK(fmt::format("{}", e) == "eNPS +30.0 (se 24.7; 5 promoters, 3 passives, 2 detractors)");
  CHECK(fmt::format("{}", ethos::enps_from_counts(0, 0, 0)) == "eNPS n/a (no NPS answers)");
  ethos::construct_summary c;
  c.label = "Voice";
  c.reason = "no respondent has a score";
  CHECK(fmt::format("{}", c) == "Voice: no score (no respondent has a score)");
  c.n = 10;
  c.mean = 3.5;
  c.sd = 0.5;
  c.index = 62.5;
  c.favorable = 0.4;
  CHECK(fmt::format("{:>60}", c) ==
        fmt::format("{:>60}", "Voice: mean 3.50 (sd 0.50, n 10), index 62.5, 40% favourable"));
  ethos::icc_result i;
  i.reason = "ICC needs at least 2 groups with scored respondents";
  CHECK(fmt::format("{}", i) == "ICC n/a (ICC needs at least 2 groups with scored respondents)");
}

TEST_CASE("the charts of an assessment are valid SVG and draw no suppressed value", "[report][svg][privacy]") {
  auto s = survey_with_groups({{"g_big", 20}, {"g_small", 3}, {"g_mid", 6}, {"g_large", 9}});
  ethos::assessment_options o;
  o.group_by = "team";
  const auto a = ethos::assess(s.inst, s.matrix, o);
  // One construct: no radar (it needs 3 axes), no six-level items: the heatmap alone.
  const std::string svg = ethos::assessment_svg(ethos::unaudited(a));
  const auto path = std::filesystem::temp_directory_path() / "ethos_test_assessment.svg";
  std::ofstream(path) << svg;
  CHECK(std::system(("xmllint --noout " + path.string()).c_str()) == 0);
  std::filesystem::remove(path);
  CHECK(svg.find("Favourable share (%) by team and construct") != std::string::npos);
  CHECK(svg.find("g_small (n 3)") != std::string::npos);
  CHECK(svg.find("or hidden so that a smaller group cannot be derived by subtraction") != std::string::npos);
  // The two shown groups print their favourable share; 4 rows, 2 of them hatched.
  const auto heat = ethos::assessment_heatmap(ethos::unaudited(a));
  CHECK(heat.root().get("height").has_value());

  // An ungrouped assessment with fewer than 3 constructs has nothing to draw, and says so.
  const auto plain = ethos::assess(s.inst, s.matrix);
  CHECK(ethos_test::error_of([&] { (void)ethos::assessment_svg(ethos::unaudited(plain)); }) ==
        "assessment 'small': nothing to chart (fewer than 3 constructs, no six-level items and no groups)");
}
