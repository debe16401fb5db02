// The bundled audit's measurement model on the bundled sample survey against lavaan 0.6.14
// (tests/reference/make_fixtures_cfa.R): the CFA of its twelve constructs and omega total per construct.
#include "../support/checks.hpp"
#include "../support/fixture.hpp"
#include "../support/reference_checks.hpp"
#include "../support/responses.hpp"

#include <ethos/io/csv.hpp>
#include <ethos/measure.hpp>
#include <ethos/models/measurement.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

const ethos_test::fixture& cfa_fixture() {
  static const ethos_test::fixture f(ethos_test::reference_fixture("cfa"));
  return f;
}

void check(double ours, const std::string& key, double tol) { ethos_test::check_near(ours, cfa_fixture(), key, tol); }

} // namespace

TEST_CASE("measurement model of the bundled audit on the sample survey, as lavaan fits it",
          "[models][measurement][cfa][reference]") {
  const auto view = ethos::instruments::service_culture_audit.view();
  const auto input =
      ethos::read_responses_file(std::string(ETHOS_TEST_DATA_DIR) + "/../examples/data/sample_survey.csv", view, {});
  const auto mm = ethos::fit_measurement_model(view, input.matrix);
  const auto& f = cfa_fixture();
  CHECK(static_cast<double>(mm.rows) == f.value("audit.rows"));
  CHECK(static_cast<double>(mm.complete) == f.value("audit.complete"));
  REQUIRE(mm.factors.size() == 12);
  REQUIRE(mm.items.size() == 48);
  REQUIRE(mm.cfa.converged);
  CHECK(mm.cfa.code == ethos::reason_code::none);
  REQUIRE(mm.cfa.fit);
  const auto& fit = *mm.cfa.fit;
  CHECK(static_cast<double>(fit.df) == f.value("audit.fit.df"));
  CHECK(fit.chisq <= f.value("audit.fit.chisq") * (1 + 1e-14)); // the minimum, as lavaan's Gauss-Newton
  CHECK(fit.chisq <= f.value("audit.nlminb.chisq"));            // below where lavaan's default search stops
  check(fit.chisq, "audit.fit.chisq", 1e-10);
  check(fit.pvalue, "audit.fit.pvalue", 1e-8);
  check(fit.baseline_chisq, "audit.fit.baseline.chisq", 1e-12);
  check(fit.cfi, "audit.fit.cfi", 1e-9);
  check(*fit.tli, "audit.fit.tli", 1e-9);
  check(*fit.rmsea, "audit.fit.rmsea", 1e-8);
  check(*fit.rmsea_lower, "audit.fit.rmsea.ci.lower", 2e-6); // lavaan's uniroot tolerance
  check(*fit.rmsea_upper, "audit.fit.rmsea.ci.upper", 2e-6);
  check(*fit.rmsea_pvalue, "audit.fit.rmsea.pvalue", 1e-8);
  check(fit.srmr, "audit.fit.srmr", 1e-8);
  // 162 parameters fitted to 232 rows: against lavaan's Gauss-Newton at the minimum to 1e-7; lavaan's default
  // search stops about 3e-5 (relative) from it on this flat minimum.
  for (std::size_t i = 0; i < mm.items.size(); ++i) {
    const std::size_t k = i / 4 + 1;
    const std::string l = "audit." + std::string(k < 10 ? "f0" : "f") + std::to_string(k) + "=~" + mm.items[i];
    check(mm.cfa.loadings[i].estimate, l + ".est", 1e-7);
    check(mm.cfa.loadings[i].standardized, l + ".std_all", 1e-7);
    check(mm.cfa.loadings[i].estimate, "audit.nlminb." + l.substr(6) + ".est", 5e-5);
    if (mm.cfa.loadings[i].se) {
      check(*mm.cfa.loadings[i].se, l + ".se", 1e-7);
    }
  }
  REQUIRE(mm.omega.size() == 12);
  for (const auto& om : mm.omega) {
    INFO(om.construct);
    CHECK(static_cast<double>(om.n) == f.value("audit.omega." + om.construct + ".n"));
    REQUIRE(om.omega.omega);
    check(*om.omega.omega, "audit.omega." + om.construct + ".omega", 1e-6);
  }
}

namespace {

// The two-site invariance data (data/invariance_two.csv): constructs f1 = q1..q4 and f2 = q5..q8, q4 and q8
// reverse-keyed, 1-5; the site as a metadata column.
ethos::instrument invariance_instrument() {
  ethos::instrument_def def;
  def.id = "invariance";
  def.title = "Two constructs";
  def.constructs = {{"f1", "First", {}}, {"f2", "Second", {}}};
  for (int i = 1; i <= 8; ++i) {
    def.items.push_back({"q" + std::to_string(i), "", i <= 4 ? "f1" : "f2", i == 4 || i == 8});
  }
  return ethos::instrument(def);
}

} // namespace

TEST_CASE("measurement invariance of an instrument across a metadata column, as lavaan's group.equal fits it",
          "[models][measurement][invariance][reference]") {
  const auto inst = invariance_instrument();
  const auto m = ethos_test::responses_of(inst, "invariance_two", "site");
  const auto r = ethos::fit_measurement_invariance(inst.view(), m, "site");
  const auto& f = cfa_fixture();
  CHECK(r.code == ethos::reason_code::none);
  CHECK(r.by == "site");
  REQUIRE(r.levels == std::vector<std::string>{"north", "south"});
  CHECK(static_cast<double>(r.complete[0]) == f.value("inv2.n[1]"));
  CHECK(static_cast<double>(r.complete[1]) == f.value("inv2.n[2]"));
  CHECK(r.left_out.empty());
  CHECK(r.factors == std::vector<std::string>{"f1", "f2"});
  REQUIRE(r.invariance.holds);
  CHECK(*r.invariance.holds == ethos::invariance_level::metric);
  for (const auto* model : {&r.invariance.configural, &r.invariance.metric, &r.invariance.scalar}) {
    const std::string pre = "inv2." + std::string(ethos::to_string(model->level));
    REQUIRE(model->fit);
    check(model->fit->chisq, pre + ".fit.chisq", 1e-8);
    check(model->fit->cfi, pre + ".fit.cfi", 1e-8);
    check(model->fit->srmr, pre + ".fit.srmr", 1e-6);
  }

  // A level with too few complete rows is left out and named; fewer than two levels left is a reason.
  ethos::measurement_options strict;
  strict.min_group_rows = 340; // north has 353 complete rows, south 332
  const auto one = ethos::fit_measurement_invariance(inst.view(), m, "site", strict);
  CHECK(one.levels == std::vector<std::string>{"north"});
  CHECK(one.left_out == std::vector<std::string>{"south"});
  CHECK(one.code == ethos::reason_code::too_few_groups);
  CHECK(one.reason == "fewer than 2 levels of 'site' have 340 or more rows with every item answered");
  CHECK(ethos_test::error_of([&] { (void)ethos::fit_measurement_invariance(inst.view(), m, "region"); }) ==
        "measurement invariance: the responses have no column 'region'");
}
