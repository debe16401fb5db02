// The bundled audit's measurement model on the bundled sample survey against lavaan 0.6.14
// (tests/reference/make_fixtures_cfa.R): the CFA of its twelve constructs and omega total per construct.
#include "../support/checks.hpp"
#include "../support/fixture.hpp"
#include "../support/reference_checks.hpp"

#include <ethos/io/csv.hpp>
#include <ethos/measure.hpp>
#include <ethos/models/measurement.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <string>
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
  CHECK(fit.chisq <= f.value("audit.fit.chisq"));
  check(fit.chisq, "audit.fit.chisq", 1e-9);
  check(fit.pvalue, "audit.fit.pvalue", 1e-7);
  check(fit.baseline_chisq, "audit.fit.baseline.chisq", 1e-12);
  check(fit.cfi, "audit.fit.cfi", 1e-9);
  check(*fit.tli, "audit.fit.tli", 1e-9);
  check(*fit.rmsea, "audit.fit.rmsea", 1e-8);
  check(*fit.rmsea_lower, "audit.fit.rmsea.ci.lower", 1e-6);
  check(*fit.rmsea_upper, "audit.fit.rmsea.ci.upper", 1e-6);
  check(*fit.rmsea_pvalue, "audit.fit.rmsea.pvalue", 1e-6);
  check(fit.srmr, "audit.fit.srmr", 1e-5);
  // 162 parameters fitted to 232 rows: a flat minimum, where lavaan's search stops about 1e-5 (relative) from the
  // estimates; its chi-square, above, is the higher one.
  for (std::size_t i = 0; i < mm.items.size(); ++i) {
    const std::size_t k = i / 4 + 1;
    const std::string l = "audit." + std::string(k < 10 ? "f0" : "f") + std::to_string(k) + "=~" + mm.items[i];
    check(mm.cfa.loadings[i].estimate, l + ".est", 3e-5);
    check(mm.cfa.loadings[i].standardized, l + ".std_all", 3e-5);
    if (mm.cfa.loadings[i].se) {
      check(*mm.cfa.loadings[i].se, l + ".se", 3e-5);
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
