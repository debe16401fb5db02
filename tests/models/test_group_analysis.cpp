// The research analysis over every group (ethos/models/group_analysis.hpp): the same bits as the lower-level calls
// fed by hand, psych's and multilevel's values on the likert5 reference dataset, lavaan's omega on the sample survey,
// its errors; and assess()'s agreement_over all, with the reason a summary over all groups is not published next to
// hidden groups (it gives a hidden group's mean away).
#include "../support/checks.hpp"
#include "../support/fixture.hpp"
#include "../support/reference_checks.hpp"
#include "../support/responses.hpp"

#include <ethos/io/csv.hpp>
#include <ethos/io/json.hpp>
#include <ethos/io/json_value.hpp>
#include <ethos/measure.hpp>
#include <ethos/models/group_analysis.hpp>
#include <ethos/models/measurement.hpp>
#include <ethos/org/assessment.hpp>
#include <ethos/report/text.hpp>
#include <ethos/stats/accumulator.hpp>
#include <ethos/stats/agreement.hpp>
#include <ethos/stats/covariance.hpp>
#include <ethos/stats/moments.hpp>
#include <ethos/stats/reliability.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace group_analysis_test {

ethos::csv_read_result sample_survey(const ethos::instrument_view& view) {
  return ethos::read_responses_file(std::string(ETHOS_TEST_DATA_DIR) + "/../examples/data/sample_survey.csv", view, {});
}

// The likert5 reference dataset: c1 = i1..i4 (i3 reverse), c2 = j1..j3, grouped by 'group'.
ethos::instrument likert5() {
  ethos::instrument_def def;
  def.id = "likert5";
  def.constructs = {{"c1", "First construct", {}}, {"c2", "Second construct", {}}};
  for (const char* id : {"i1", "i2", "i3", "i4"}) {
    def.items.push_back({id, "", "c1", std::string(id) == "i3"});
  }
  for (const char* id : {"j1", "j2", "j3"}) {
    def.items.push_back({id, "", "c2"});
  }
  return ethos::instrument(def);
}

ethos::response_matrix likert5_rows(const ethos::instrument& inst) {
  return ethos_test::responses_of(inst, "likert5", "group");
}

// Three items of one construct in groups of the given sizes, answers spread round a mean that differs by group;
// a label may be empty (no group).
struct survey {
  ethos::instrument inst;
  ethos::response_matrix matrix;
};

survey groups_of(const std::vector<std::pair<std::string, std::size_t>>& sizes) {
  ethos::instrument_def def;
  def.id = "three";
  def.constructs = {{"c", "Construct", {}}};
  def.items = {{"a", "", "c"}, {"b", "", "c"}, {"r", "", "c", true}};
  ethos::instrument inst(def);
  ethos::response_builder b(inst, {"team"});
  std::uint32_t state = 12345;
  const auto next = [&] {
    state = state * 1103515245U + 12345U;
    return static_cast<int>((state >> 16) % 3U); // 0, 1 or 2
  };
  std::size_t row = 0;
  int shift = 0;
  for (const auto& [name, n] : sizes) {
    shift = (shift + 1) % 3;
    for (std::size_t i = 0; i < n; ++i, ++row) {
      const auto answer = [&] { return std::clamp(1 + shift + next(), 1, 5); };
      const int a = answer();
      const int bb = answer();
      const int r = 6 - answer();
      const std::vector<std::optional<int>> answers{a, row % 7 == 3 ? std::nullopt : std::optional<int>(bb), r};
      const std::vector<std::string_view> groups{name};
      b.add("r" + std::to_string(row), answers, groups);
    }
  }
  return {inst, b.finish()};
}

// The text report with its line breaks and indents as single spaces (the key is wrapped to the width).
std::string flat_text(const ethos::assessment& a) {
  std::string out;
  for (const char ch : ethos::text_report(ethos::unaudited(a))) {
    const bool space = ch == ' ' || ch == '\n';
    if (!space || out.empty() || out.back() != ' ') {
      out.push_back(space ? ' ' : ch);
    }
  }
  return out;
}

void same_reliability(const ethos::reliability_result& a, const ethos::reliability_result& b) {
  CHECK(a.rows == b.rows);
  CHECK(a.items_used == b.items_used);
  CHECK(a.alpha == b.alpha);
  CHECK(a.std_alpha == b.std_alpha);
  CHECK(a.average_r == b.average_r);
  CHECK(a.ase == b.ase);
  CHECK(a.feldt_lower == b.feldt_lower);
  CHECK(a.feldt_upper == b.feldt_upper);
  REQUIRE(a.items.size() == b.items.size());
  for (std::size_t i = 0; i < a.items.size(); ++i) {
    CHECK(a.items[i].alpha_if_dropped == b.items[i].alpha_if_dropped);
    CHECK(a.items[i].r_drop == b.items[i].r_drop);
    CHECK(a.items[i].raw_r == b.items[i].raw_r);
  }
}

void same_summary(const ethos::agreement_summary& a, const ethos::agreement_summary& b) {
  CHECK(a.groups == b.groups);
  CHECK(a.mean == b.mean);
  CHECK(a.median == b.median);
  CHECK(a.share_ge_070 == b.share_ge_070);
}

void same_icc(const ethos::icc_result& a, const ethos::icc_result& b) {
  CHECK(a.n == b.n);
  CHECK(a.groups == b.groups);
  CHECK(a.msb == b.msb);
  CHECK(a.msw == b.msw);
  CHECK(a.icc1 == b.icc1);
  CHECK(a.icc2 == b.icc2);
}

// What the lower-level calls give for each construct of `inst` over the rows of `m` grouped by `column` (every row
// labelled): the accumulator fed by hand, the person scores per group, the covariance accumulator and omega_total.
void check_against_lower_level(const ethos::instrument_view& inst, const ethos::response_matrix& m,
                               const std::string& column, const ethos::research_group_analysis& r) {
  const auto* gc = m.group(column);
  REQUIRE(gc != nullptr);
  std::vector<std::string> labels = gc->levels;
  std::sort(labels.begin(), labels.end());
  REQUIRE(r.groups.size() == labels.size());
  std::map<std::string, std::uint32_t> code_of;
  std::size_t total = 0;
  for (std::size_t g = 0; g < labels.size(); ++g) {
    CHECK(r.groups[g].id == labels[g]);
    code_of[labels[g]] = static_cast<std::uint32_t>(g);
    total += r.groups[g].n;
  }
  CHECK(total == m.rows());
  CHECK(r.unlabelled == 0);
  std::vector<std::uint32_t> codes;
  for (std::size_t row = 0; row < m.rows(); ++row) {
    codes.push_back(code_of[gc->label(row)]);
  }
  const auto scored = ethos::score(inst, m);
  REQUIRE(r.constructs.size() == inst.constructs.size());
  for (std::size_t c = 0; c < inst.constructs.size(); ++c) {
    const auto& co = r.constructs[c];
    INFO("construct " << co.construct);
    CHECK(co.construct == inst.constructs[c].key);
    ethos::likert_config cfg(0, inst.scale.min(), inst.scale.max(), labels.size());
    std::vector<const std::uint8_t*> columns;
    std::vector<std::string> items;
    for (const auto& it : inst.items) {
      if (it.construct == inst.constructs[c].key && it.format == ethos::response_format::likert) {
        columns.push_back(m.column(*m.column_of(it.id)).data());
        cfg.reverse.push_back(it.reverse);
        items.emplace_back(it.id);
      }
    }
    cfg.items = columns.size();
    cfg.min_answered = scored.constructs[c].min_answered;
    CHECK(co.items == items);
    ethos::likert_accumulator acc(cfg);
    acc.add(columns, m.rows(), codes);
    same_reliability(co.reliability, ethos::reliability(acc));
    const auto ag = ethos::agreement(acc);
    REQUIRE(co.agreement.size() == ag.size());
    std::vector<std::optional<double>> rwg_j;
    std::vector<std::optional<double>> awg;
    for (std::size_t g = 0; g < ag.size(); ++g) {
      CHECK(co.agreement[g].n == ag[g].n);
      CHECK(co.agreement[g].rwg_j == ag[g].rwg_j);
      CHECK(co.agreement[g].awg == ag[g].awg);
      CHECK(co.agreement[g].ad_m == ag[g].ad_m);
      CHECK(co.agreement[g].code == ag[g].code);
      rwg_j.push_back(ag[g].rwg_j);
      awg.push_back(ag[g].awg);
    }
    same_summary(co.rwg_j, ethos::summarize_agreement(rwg_j));
    same_summary(co.awg, ethos::summarize_agreement(awg));
    CHECK_FALSE(co.ad_m.share_ge_070.has_value());
    // Omega: what fit_measurement_model computes for the construct (its covariance over the complete rows and
    // omega_total), to the bit (every row is in a group).
    ethos::covariance_accumulator cov(columns.size(), inst.scale.min(), inst.scale.max(), cfg.reverse);
    cov.add(columns, m.rows());
    CHECK(co.complete == cov.complete());
    REQUIRE(cov.complete() >= 2);
    const auto om = ethos::omega_total(cov.covariance(), static_cast<std::size_t>(cov.complete()));
    CHECK(co.omega.omega == om.omega);
    CHECK(co.omega.code == om.code);
    // ICC on the person scores per group.
    std::vector<ethos::running_moments> moments(labels.size());
    const auto person = scored.persons.construct(c);
    for (std::size_t row = 0; row < m.rows(); ++row) {
      if (std::isfinite(person[row])) {
        moments[codes[row]].add(person[row]);
      }
    }
    same_icc(co.icc, ethos::icc(std::span<const ethos::running_moments>(moments)));
  }
}

} // namespace group_analysis_test

TEST_CASE("analysis over every group gives what the lower-level calls give, to the bit", "[models][group_analysis]") {
  const auto view = ethos::instruments::service_culture_audit.view();
  const auto input = group_analysis_test::sample_survey(view);
  for (const std::string column : {"department", "team"}) {
    INFO("grouped by " << column);
    const auto r = ethos::analyse_over_groups(view, input.matrix, column);
    CHECK(r.group_by == column);
    CHECK(r.rows == 590);
    group_analysis_test::check_against_lower_level(view, input.matrix, column, r);
  }
}

TEST_CASE("analysis over every group matches psych and multilevel on the likert5 dataset",
          "[models][group_analysis][reference]") {
  using ethos_test::check_value;
  const ethos_test::fixture f(ethos_test::reference_fixture("likert5"));
  const auto inst = group_analysis_test::likert5();
  const auto m = group_analysis_test::likert5_rows(inst);
  const auto r = ethos::analyse_over_groups(inst, m, "group");
  group_analysis_test::check_against_lower_level(inst.view(), m, "group", r);
  // Omega is the measurement model's, to the bit (every row is in a group).
  const auto mm = ethos::fit_measurement_model(inst.view(), m);
  REQUIRE(mm.omega.size() == 2);
  for (std::size_t c = 0; c < 2; ++c) {
    REQUIRE(r.constructs[c].omega.omega);
    CHECK(r.constructs[c].omega.omega == mm.omega[c].omega.omega);
    CHECK(r.constructs[c].complete == mm.omega[c].n);
  }
  REQUIRE(r.groups.size() == static_cast<std::size_t>(f.value("dataset.groups")));
  const auto& c = r.constructs.at(0); // i1..i4, i3 reverse: the fixture's items
  REQUIRE(c.items == std::vector<std::string>{"i1", "i2", "i3", "i4"});
  check_value(c.reliability.alpha, f, "alpha.raw");
  check_value(c.reliability.std_alpha, f, "alpha.std");
  check_value(c.reliability.average_r, f, "alpha.average_r");
  check_value(c.reliability.ase, f, "alpha.ase");
  check_value(c.reliability.feldt_lower, f, "alpha.feldt_lower");
  check_value(c.reliability.feldt_upper, f, "alpha.feldt_upper");
  for (std::size_t g = 0; g < r.groups.size(); ++g) {
    const std::string& id = r.groups[g].id;
    check_value(c.agreement[g].rwg_j, f, "rwg_j[" + id + "]");
    check_value(c.agreement[g].awg, f, "awg[" + id + "]");
    check_value(c.agreement[g].ad_m, f, "ad_m[" + id + "]");
  }
  check_value(c.rwg_j.mean, f, "rwg_j.mean");
  check_value(c.rwg_j.median, f, "rwg_j.median");
  check_value(c.rwg_j.share_ge_070, f, "rwg_j.share_ge_070");
  CHECK(static_cast<double>(c.rwg_j.groups) == f.value("rwg_j.groups"));
  check_value(c.icc.icc1, f, "icc.icc1");
  check_value(c.icc.icc2, f, "icc.icc2");
  check_value(c.icc.msb, f, "icc.msb");
  check_value(c.icc.msw, f, "icc.msw");
  CHECK(static_cast<double>(c.icc.n) == f.value("icc.n"));
  CHECK(static_cast<double>(c.icc.groups) == f.value("icc.groups"));
}

TEST_CASE("analysis over every group matches lavaan's omega on the sample survey",
          "[models][group_analysis][reference]") {
  const ethos_test::fixture f(ethos_test::reference_fixture("cfa"));
  const auto view = ethos::instruments::service_culture_audit.view();
  const auto input = group_analysis_test::sample_survey(view);
  const auto r = ethos::analyse_over_groups(view, input.matrix, "department");
  REQUIRE(r.constructs.size() == 12);
  for (const auto& c : r.constructs) {
    INFO(c.construct);
    CHECK(static_cast<double>(c.complete) == f.value("audit.omega." + c.construct + ".n"));
    REQUIRE(c.omega.omega);
    ethos_test::check_near(*c.omega.omega, f, "audit.omega." + c.construct + ".omega", 1e-6);
  }
}

TEST_CASE("analysis over every group leaves rows without a label out of every figure", "[models][group_analysis]") {
  // The same rows with and without three unlabelled ones among them.
  const auto with = group_analysis_test::groups_of({{"x", 6}, {"", 2}, {"y", 2}, {"z", 9}, {"", 1}});
  const auto without = group_analysis_test::groups_of({{"x", 6}, {"y", 2}, {"z", 9}});
  const auto r = ethos::analyse_over_groups(with.inst, with.matrix, "team");
  CHECK(r.rows == 20);
  CHECK(r.unlabelled == 3);
  REQUIRE(r.groups.size() == 3);
  CHECK(r.groups[0].id == "x");
  CHECK(r.groups[1].n == 2);
  CHECK(r.groups[2].n == 9);
  // The answers of the labelled rows differ between the two surveys (the generator runs on), so compare with the
  // accumulator fed by hand with the labelled rows only.
  const auto* gc = with.matrix.group("team");
  ethos::likert_config cfg(3, 1, 5, 3);
  cfg.reverse = {false, false, true};
  ethos::likert_accumulator acc(cfg);
  ethos::covariance_accumulator cov(3, 1, 5, cfg.reverse);
  for (std::size_t row = 0; row < with.matrix.rows(); ++row) {
    const std::string& label = gc->label(row);
    if (label.empty()) {
      continue;
    }
    std::vector<const std::uint8_t*> columns;
    for (const char* id : {"a", "b", "r"}) {
      columns.push_back(with.matrix.column(*with.matrix.column_of(id)).data() + row);
    }
    const std::uint32_t code = label == "x" ? 0U : label == "y" ? 1U : 2U;
    acc.add(columns, 1, std::span<const std::uint32_t>(&code, 1));
    cov.add(columns, 1);
  }
  const auto& c = r.constructs.at(0);
  group_analysis_test::same_reliability(c.reliability, ethos::reliability(acc));
  CHECK(c.reliability.rows == 17);
  CHECK(c.complete == cov.complete());
  const auto ag = ethos::agreement(acc);
  for (std::size_t g = 0; g < 3; ++g) {
    CHECK(c.agreement[g].rwg_j == ag[g].rwg_j);
    CHECK(c.agreement[g].awg == ag[g].awg);
  }
  CHECK(c.icc.n == 17);
  CHECK(c.icc.groups == 3);
  // Without unlabelled rows the analysis has none.
  CHECK(ethos::analyse_over_groups(without.inst, without.matrix, "team").unlabelled == 0);
}

TEST_CASE("analysis over every group names an unknown column or a missing item", "[models][group_analysis][errors]") {
  const auto inst = group_analysis_test::likert5();
  const auto m = group_analysis_test::likert5_rows(inst);
  CHECK(ethos_test::error_of([&] { (void)ethos::analyse_over_groups(inst, m, "team"); }) ==
        "group analysis: no metadata column 'team' to group by (columns: 'group')");
  // A matrix without j2.
  ethos::instrument_def def = inst.definition();
  def.items.push_back({"k9", "", "c2"});
  const ethos::instrument more(def);
  CHECK(ethos_test::error_of([&] { (void)ethos::analyse_over_groups(more, m, "group"); }) ==
        "group analysis: item 'k9' of construct 'c2' has no column in the responses");
}

TEST_CASE("agreement over all groups is used only where no group with a score is hidden",
          "[models][group_analysis][org][assessment][privacy]") {
  // Every group large enough (k = 3): all groups are shown, and the summaries over all groups are the same figures.
  {
    const auto s = group_analysis_test::groups_of({{"x", 6}, {"y", 3}, {"z", 9}});
    ethos::assessment_options o;
    o.group_by = "team";
    o.min_group_size = 3;
    const auto shown = ethos::assess(s.inst, s.matrix, o);
    o.agreement_over = ethos::agreement_scope::all;
    const auto all = ethos::assess(s.inst, s.matrix, o);
    REQUIRE(all.constructs[0].agreement);
    const auto& ag = *all.constructs[0].agreement;
    CHECK(ag.over == ethos::agreement_scope::all);
    CHECK(ag.over_reason.empty());
    CHECK(shown.constructs[0].agreement->over == ethos::agreement_scope::shown);
    group_analysis_test::same_icc(ag.icc, shown.constructs[0].agreement->icc);
    group_analysis_test::same_summary(ag.rwg_j, shown.constructs[0].agreement->rwg_j);
    // And the research analysis agrees with it to the bit.
    const auto r = ethos::analyse_over_groups(s.inst, s.matrix, "team");
    group_analysis_test::same_icc(ag.icc, r.constructs[0].icc);
    group_analysis_test::same_summary(ag.rwg_j, r.constructs[0].rwg_j);

    const auto j = ethos::results_to_json(ethos::unaudited(all));
    CHECK(j["agreement_over"] == "all");
    CHECK(j["constructs"][0]["agreement"]["over"] == "all");
    CHECK_FALSE(j["constructs"][0]["agreement"].contains("over_reason"));
    CHECK(group_analysis_test::flat_text(all).find("all over all groups, small ones included.") != std::string::npos);
    // The default writes what it always wrote: no word of the option.
    const auto js = ethos::results_to_json(ethos::unaudited(shown));
    CHECK_FALSE(js.contains("agreement_over"));
    CHECK_FALSE(js["constructs"][0]["agreement"].contains("over"));
    CHECK(group_analysis_test::flat_text(shown).find("all over shown groups only.") != std::string::npos);
  }
  // A group too small: it and the smallest shown one are hidden; the summaries stay over the shown groups, and say
  // why; the hidden groups carry no value.
  {
    const auto s = group_analysis_test::groups_of({{"x", 10}, {"y", 12}, {"z", 3}, {"w", 11}});
    ethos::assessment_options o;
    o.group_by = "team";
    const auto shown = ethos::assess(s.inst, s.matrix, o);
    o.agreement_over = ethos::agreement_scope::all;
    const auto all = ethos::assess(s.inst, s.matrix, o);
    const auto& ag = *all.constructs[0].agreement;
    CHECK(ag.over == ethos::agreement_scope::shown);
    CHECK(ag.over_code == ethos::reason_code::withheld);
    CHECK(ag.over_reason.find("would let a hidden group's figures be worked out") != std::string::npos);
    group_analysis_test::same_icc(ag.icc, shown.constructs[0].agreement->icc);
    group_analysis_test::same_summary(ag.rwg_j, shown.constructs[0].agreement->rwg_j);
    CHECK(ag.icc.groups == 2);
    const auto j = ethos::results_to_json(ethos::unaudited(all));
    CHECK(j["agreement_over"] == "all");
    CHECK(j["constructs"][0]["agreement"]["over"] == "shown");
    CHECK(j["constructs"][0]["agreement"]["over_reason"] == ag.over_reason);
    std::size_t hidden = 0;
    for (const auto& g : j["groups"]) {
      if (g["suppressed"].get<bool>()) {
        ++hidden;
        CHECK_FALSE(g.contains("constructs"));
      }
    }
    CHECK(hidden == 2);
    CHECK(nlohmann::json::parse(ethos::results_to_json_string(ethos::unaudited(all)))["groups"] ==
          nlohmann::json::parse(ethos::results_to_json_string(ethos::unaudited(shown)))["groups"]);
    CHECK(group_analysis_test::flat_text(all).find("all over shown groups only, although all groups were asked for") !=
          std::string::npos);
  }
}

TEST_CASE("ICC over all groups next to the published figures would give a hidden group's mean away",
          "[models][group_analysis][org][privacy]") {
  // Why assess() keeps ICC over the shown groups when a group is hidden: z (3 people) is too small and x (the
  // smallest shown group) hidden with it. From what the assessment publishes (the overall n, mean and SD, y's and
  // w's n and mean, every group's size) and ICC(2) over all groups, x's and z's means follow from two equations.
  const auto s = group_analysis_test::groups_of({{"x", 10}, {"y", 12}, {"z", 3}, {"w", 11}});
  ethos::assessment_options o;
  o.group_by = "team";
  const auto a = ethos::assess(s.inst, s.matrix, o);
  const auto r = ethos::analyse_over_groups(s.inst, s.matrix, "team");
  const auto& c = a.constructs[0].summary;
  REQUIRE(c.n == 36); // everyone has a score: group sizes are the scored counts
  const double n = static_cast<double>(c.n);
  const double mean = *c.mean;
  const double sst = *c.sd * *c.sd * (n - 1);
  const double icc2 = *r.constructs[0].icc.icc2; // what publishing ICC over all groups would add
  const double groups = 4;
  // ICC(2) = 1 - MSW / MSB and SSB + SSW = SST give MSB, and so SSB.
  const double msb = sst / ((groups - 1) + (1 - icc2) * (n - groups));
  double q = msb * (groups - 1); // sum over groups of n_g (mean_g - mean)^2
  double t = n * mean;           // the hidden groups' sum of scores
  double n_x = 0;
  double n_z = 0;
  for (const auto& g : a.groups) {
    if (g.suppressed == ethos::suppression::none) {
      const double ng = static_cast<double>(g.constructs[0].n);
      q -= ng * (*g.constructs[0].mean - mean) * (*g.constructs[0].mean - mean);
      t -= ng * *g.constructs[0].mean;
    } else {
      (g.id == "x" ? n_x : n_z) = static_cast<double>(g.n);
    }
  }
  REQUIRE(n_x == 10);
  REQUIRE(n_z == 3);
  // n_x dx + n_z dz = t - (n_x + n_z) mean and n_x dx^2 + n_z dz^2 = q, with d the deviations from the mean.
  const double u = t - (n_x + n_z) * mean;
  const double qa = n_z * n_z / n_x + n_z;
  const double qb = -2 * u * n_z / n_x;
  const double qc = u * u / n_x - q;
  const double root = std::sqrt(qb * qb - 4 * qa * qc);
  const double z1 = mean + (-qb + root) / (2 * qa);
  const double z2 = mean + (-qb - root) / (2 * qa);
  const double z_true = *r.constructs[0].scores[3].mean(); // groups in byte order: w, x, y, z
  REQUIRE(r.groups[3].id == "z");
  CHECK(std::min(std::abs(z1 - z_true), std::abs(z2 - z_true)) < 1e-6);
}
