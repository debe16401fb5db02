// Linkage analysis against R's lm(): every coefficient, standard error, t, p, R^2 and F of the fixtures written by
// tests/reference/make_fixtures_linkage.R, single-wave, pooled and lagged; then the refusals.
#include "../support/checks.hpp"
#include "../support/fixture.hpp"
#include "../support/reference_checks.hpp"

#include <ethos/io/unit_table_csv.hpp>
#include <ethos/models/linkage.hpp>

#include <catch2/catch.hpp>

#include <cstddef>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace {

using Catch::Matchers::Contains;
using ethos_test::error_of;

const ethos_test::fixture& linkage_fixture() {
  static const ethos_test::fixture f(ethos_test::reference_fixture("linkage"));
  return f;
}

std::optional<double> cell_value(const std::string& text) {
  if (text.empty()) {
    return std::nullopt;
  }
  return std::stod(text);
}

// The rows of `t` (optionally only those whose `filter_column` equals `filter_value`) as a unit table of the
// numeric columns `columns`; the unit id is column "unit".
ethos::unit_table table_of(const ethos_test::csv_table& t, const std::vector<std::string>& columns,
                           const std::string& filter_column = {}, const std::string& filter_value = {}) {
  std::vector<std::size_t> rows;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    if (filter_column.empty() || t.rows[r][t.column(filter_column)] == filter_value) {
      rows.push_back(r);
    }
  }
  std::vector<std::string> ids;
  for (std::size_t r : rows) {
    ids.push_back(t.rows[r][t.column("unit")]);
  }
  ethos::unit_table out(ids);
  for (const std::string& c : columns) {
    std::vector<std::optional<double>> values;
    for (std::size_t r : rows) {
      values.push_back(cell_value(t.rows[r][t.column(c)]));
    }
    out.add_column(c, std::move(values));
  }
  return out;
}

const ethos::unit_table& units_table() {
  static const ethos::unit_table t =
      table_of(ethos_test::read_csv(ethos_test::reference_data("linkage_units")),
               {"culture", "enps", "internal", "csat", "complaints", "revenue_per_head"});
  return t;
}

std::vector<ethos::linkage_wave> panel_waves() {
  const auto csv = ethos_test::read_csv(ethos_test::reference_data("linkage_panel"));
  std::vector<ethos::linkage_wave> waves;
  for (const std::string w : {"1", "2", "3"}) {
    waves.push_back({"w" + w, table_of(csv, {"culture", "enps", "csat"}, "wave", w)});
  }
  return waves;
}

// Every number R wrote for model `name` against the fit.
void check_against_r(const ethos::linear_fit& fit, const std::string& name) {
  const auto& f = linkage_fixture();
  const std::string p = "lm." + name + ".";
  INFO("model " << name);
  CHECK(static_cast<double>(fit.n) == f.value(p + "n"));
  CHECK(static_cast<double>(fit.dropped.size()) == f.value(p + "dropped"));
  CHECK(static_cast<double>(fit.df_residual) == f.value(p + "df"));
  CHECK(fit.observations.size() == fit.n);
  REQUIRE(fit.terms.size() == f.keys_with_prefix(p + "estimate[").size());
  for (const auto& term : fit.terms) {
    const std::string key = term.name == "(Intercept)" ? "intercept" : term.name;
    ethos_test::check_value(term.estimate, f, p + "estimate[" + key + "]");
    ethos_test::check_value(term.standard_error, f, p + "se[" + key + "]");
    ethos_test::check_value(term.t, f, p + "t[" + key + "]");
    ethos_test::check_value(term.p, f, p + "p[" + key + "]");
    if (term.name == "(Intercept)") {
      CHECK_FALSE(term.standardized.has_value());
    } else {
      ethos_test::check_value(term.standardized, f, p + "beta[" + key + "]");
    }
  }
  ethos_test::check_value(fit.r_squared, f, p + "r_squared");
  ethos_test::check_value(fit.adj_r_squared, f, p + "adj_r_squared");
  ethos_test::check_value(fit.sigma, f, p + "sigma");
  ethos_test::check_value(fit.f, f, p + "f");
  ethos_test::check_value(fit.f_p, f, p + "f_p");
}

bool warns(const ethos::linear_fit& fit, const std::string& text) {
  for (const auto& w : fit.warnings) {
    if (w.message.find(text) != std::string::npos) {
      return true;
    }
  }
  return false;
}

} // namespace

TEST_CASE("linkage: one wave of units matches lm() to 1e-9", "[models][linkage][reference]") {
  const auto& t = units_table();
  const auto csat3 = ethos::fit_linkage(t, {.outcome = "csat", .predictors = {"culture", "enps", "internal"}});
  check_against_r(csat3, "csat3");
  CHECK(csat3.warnings.empty()); // 45 units, 3 predictors: 15 a predictor
  check_against_r(ethos::fit_linkage(t, {.outcome = "csat", .predictors = {"culture"}}), "csat1");
  check_against_r(ethos::fit_linkage(t, {.outcome = "complaints", .predictors = {"culture", "internal"}}),
                  "complaints2");
  // Revenue per head is in the hundreds of thousands while culture means are near 3.6: QR keeps full accuracy.
  check_against_r(ethos::fit_linkage(t, {.outcome = "revenue_per_head", .predictors = {"culture", "enps"}}),
                  "revenue2");

  // Which rows went: u07 and u30 lack culture, u12 lacks csat (lm's na.omit drops the same three).
  CHECK(csat3.dropped == std::vector<std::string>{"u07", "u12", "u30"});
  CHECK(csat3.observations.front() == "u01");
  // Residuals and fitted values add up to the outcome, and the residuals sum to zero (intercept model).
  double residual_sum = 0.0;
  for (std::size_t i = 0; i < csat3.n; ++i) {
    const auto y = t.value("csat", csat3.observations[i]);
    REQUIRE(y.has_value());
    CHECK(csat3.fitted[i] + csat3.residuals[i] == Approx(*y).epsilon(1e-14));
    residual_sum += csat3.residuals[i];
  }
  CHECK(std::abs(residual_sum) < 1e-9);
}

TEST_CASE("linkage: too few units for the predictors are fitted with a warning", "[models][linkage][reference]") {
  const auto all = units_table();
  // The R script fits rows 1, 2, 4, 5, 6, 8, 9.
  const std::vector<std::string> ids{"u01", "u02", "u04", "u05", "u06", "u08", "u09"};
  ethos::unit_table small(ids);
  for (const std::string c : {"culture", "enps", "internal", "csat"}) {
    std::vector<std::optional<double>> v;
    for (const auto& id : ids) {
      v.push_back(all.value(c, id));
    }
    small.add_column(c, v);
  }
  const auto fit = ethos::fit_linkage(small, {.outcome = "csat", .predictors = {"culture", "enps", "internal"}});
  check_against_r(fit, "small3");
  CHECK(warns(fit, "7 observations for 3 predictors: fewer than 10 per predictor"));
  REQUIRE(fit.warnings.size() == 1);
  CHECK(fit.warnings[0].code == ethos::warning_code::few_units_per_predictor);
  // The threshold is the user's to set.
  const auto lenient = ethos::fit_linkage(small, {.outcome = "csat", .predictors = {"culture", "enps", "internal"}},
                                          {.min_units_per_predictor = 2});
  CHECK(lenient.warnings.empty());
}

TEST_CASE("linkage: pooled concurrent and lagged models over waves match lm()", "[models][linkage][reference]") {
  const auto waves = panel_waves();
  const auto concurrent = ethos::fit_linkage(waves, {.outcome = "csat", .predictors = {"culture", "enps"}});
  check_against_r(concurrent, "concurrent");
  CHECK(warns(concurrent, "87 observations come from 30 units pooled over waves"));
  CHECK(concurrent.dropped == std::vector<std::string>{"s04@w2", "s11@w3"});

  const auto lagged = ethos::fit_linkage(waves, {.outcome = "csat", .predictors = {"culture", "enps"}, .lag = 1});
  check_against_r(lagged, "lagged");
  // s17 has no wave 3, so its wave-2 culture has no outcome: not an observation, not a dropped row either.
  CHECK(lagged.n + lagged.dropped.size() == 59);
  CHECK(lagged.dropped == std::vector<std::string>{"s04@w2", "s11@w2"});

  const auto first =
      ethos::fit_linkage(waves, {.outcome = "csat", .predictors = {"culture", "enps"}, .lag = 1, .wave = 0});
  check_against_r(first, "lagged_w1");
  CHECK(first.observations.front() == "s01"); // one wave: plain unit ids
  CHECK(first.warnings.empty());

  // In these data csat follows the culture of the wave before more than that of its own wave.
  CHECK(lagged.term("culture").estimate > concurrent.term("culture").estimate);
}

TEST_CASE("linkage: pooled models with standard errors clustered by unit match sandwich::vcovCL",
          "[models][linkage][reference]") {
  const auto& f = linkage_fixture();
  const auto waves = panel_waves();
  for (const std::size_t lag : {0U, 1U}) {
    const std::string name = lag == 0 ? "concurrent" : "lagged";
    INFO("model " << name);
    const auto classical =
        ethos::fit_linkage(waves, {.outcome = "csat", .predictors = {"culture", "enps"}, .lag = lag});
    const auto fit = ethos::fit_linkage(waves, {.outcome = "csat", .predictors = {"culture", "enps"}, .lag = lag},
                                        {.cluster_by_unit = true});
    const std::string p = "lm." + name + ".cl.";
    CHECK(static_cast<double>(fit.clusters) == f.value(p + "clusters"));
    CHECK(classical.clusters == 0);
    for (std::size_t j = 0; j < fit.terms.size(); ++j) {
      const auto& term = fit.terms[j];
      const std::string key = term.name == "(Intercept)" ? "intercept" : term.name;
      CHECK(term.estimate == classical.terms[j].estimate); // clustering changes the errors, not the estimates
      CHECK(term.standardized == classical.terms[j].standardized);
      ethos_test::check_value(term.standard_error, f, p + "se[" + key + "]");
      ethos_test::check_value(term.t, f, p + "t[" + key + "]");
      ethos_test::check_value(term.p, f, p + "p[" + key + "]");
    }
    ethos_test::check_value(fit.f, f, p + "f");
    ethos_test::check_value(fit.f_p, f, p + "f_p");
    CHECK(fit.r_squared == classical.r_squared);
    // Clustered, the pooled fit no longer warns about repeated units; the classical one does.
    CHECK_FALSE(warns(fit, "pooled over waves"));
    CHECK(warns(classical, "cluster them by unit"));
  }

  // Too few units to cluster by, and data without units.
  ethos::regression_data d;
  d.outcome = "y";
  d.predictors = {"x"};
  d.x = {{1, 2, 3, 4, 5, 6}};
  d.y = {1.0, 3.0, 2.0, 5.0, 4.0, 6.5};
  d.ids = {"a1", "a2", "b1", "b2", "c1", "c2"};
  CHECK_THAT(error_of([&] { (void)ethos::fit_ols(d, {.cluster_by_unit = true}); }),
             Contains("cluster-robust standard errors need the unit of every observation (0 units for 6"));
  d.units = {"a", "a", "b", "b", "b", "b"};
  CHECK_THAT(error_of([&] { (void)ethos::fit_ols(d, {.cluster_by_unit = true}); }),
             Contains("2 units for 2 terms; cluster-robust standard errors need more units than terms"));
  d.units = {"a", "a", "b", "b", "c", "c"};
  const auto three = ethos::fit_ols(d, {.min_units_per_predictor = 1, .cluster_by_unit = true});
  CHECK(three.clusters == 3);
  CHECK(warns(three, "only 3 units to cluster by"));
}

TEST_CASE("linkage: ordinary least squares on data built by hand", "[models][linkage]") {
  // y = 2 + 3 x exactly, plus residuals +-1 that are orthogonal to 1 and x: the estimates are 2 and 3 exactly
  // and sigma^2 = 4 / (4 - 2).
  ethos::regression_data d;
  d.outcome = "y";
  d.predictors = {"x"};
  d.x = {{1, 2, 3, 4}};
  d.y = {2 + 3 * 1.0 + 1, 2 + 3 * 2.0 - 1, 2 + 3 * 3.0 - 1, 2 + 3 * 4.0 + 1};
  d.ids = {"a", "b", "c", "d"};
  const auto fit = ethos::fit_ols(d);
  CHECK(fit.term("(Intercept)").estimate == Approx(2.0).epsilon(1e-14));
  CHECK(fit.term("x").estimate == Approx(3.0).epsilon(1e-14));
  CHECK(fit.sigma == Approx(std::sqrt(2.0)).epsilon(1e-14));
  // se(slope) = sigma / sqrt(Sxx), Sxx = 5.
  CHECK(fit.term("x").standard_error == Approx(std::sqrt(2.0 / 5.0)).epsilon(1e-14));
  CHECK_THAT(error_of([&] { (void)fit.term("z"); }), Contains("no term 'z'"));
  // A term as a chain link strength keeps its uncertainty.
  CHECK(fit.strength("x") == ethos::link_strength{fit.term("x").estimate, fit.term("x").standard_error, 2.0});
  CHECK_THAT(error_of([&] { (void)fit.strength("(Intercept)"); }), Contains("the intercept is not a link strength"));
  CHECK_THAT(error_of([&] { (void)fit.strength("xx"); }), Contains("no term 'xx' (did you mean 'x'?)"));
}

TEST_CASE("linkage: bad models and bad data are refused with the reason", "[models][linkage][errors]") {
  const auto waves = panel_waves();
  const auto& t = units_table();
  using ethos::fit_linkage;

  CHECK_THAT(error_of([&] { (void)fit_linkage(waves, {.outcome = "csat", .predictors = {"culture"}, .lag = 3}); }),
             Contains("a lag of 3 waves needs at least 4 waves; the data have 3"));
  CHECK_THAT(error_of([&] { (void)fit_linkage(t, {.outcome = "csat", .predictors = {"culture"}, .lag = 1}); }),
             Contains("a lag of 1 wave needs at least 2 waves; the data have 1"));
  CHECK_THAT(
      error_of([&] { (void)fit_linkage(waves, {.outcome = "csat", .predictors = {"culture"}, .lag = 1, .wave = 2}); }),
      Contains("predictor wave 2 has no outcome wave 1 later"));
  CHECK_THAT(error_of([&] {
               (void)fit_linkage(std::span<const ethos::linkage_wave>{}, {.outcome = "csat", .predictors = {"x"}});
             }),
             Contains("no survey waves"));
  CHECK_THAT(error_of([&] { (void)fit_linkage(t, {.outcome = "csat", .predictors = {}}); }), Contains("no predictors"));
  CHECK_THAT(error_of([&] { (void)fit_linkage(t, {.outcome = "csat", .predictors = {"cultrue"}}); }),
             Contains("has no column 'cultrue' (did you mean 'culture'?)"));
  CHECK_THAT(error_of([&] {
               (void)fit_linkage(t, {.outcome = "csat", .predictors = {"culture", "csat"}});
             }),
             Contains("the outcome is also a predictor"));
  CHECK_THAT(error_of([&] {
               (void)fit_linkage(t, {.outcome = "csat", .predictors = {"culture", "culture"}});
             }),
             Contains("predictor 'culture' is given twice"));

  // Too few complete observations: three units, two predictors.
  ethos::unit_table tiny({"a", "b", "c"});
  tiny.add_column("x1", {1.0, 2.0, 3.0}).add_column("x2", {2.0, 1.0, 5.0}).add_column("y", {1.0, 4.0, 2.0});
  CHECK_THAT(error_of([&] {
               (void)fit_linkage(tiny, {.outcome = "y", .predictors = {"x1", "x2"}});
             }),
             Contains("3 complete observations for 2 predictors; a regression needs at least 4"));

  // Aliasing: x3 = x1 + x2 is named, as is a constant predictor and a constant outcome.
  ethos::unit_table alias({"a", "b", "c", "d", "e", "f"});
  alias.add_column("x1", {1.0, 2.0, 3.0, 4.0, 5.0, 7.0})
      .add_column("x2", {2.0, 1.0, 5.0, 3.0, 3.0, 1.0})
      .add_column("x3", {3.0, 3.0, 8.0, 7.0, 8.0, 8.0})
      .add_column("same", {4.0, 4.0, 4.0, 4.0, 4.0, 4.0})
      .add_column("y", {1.0, 4.0, 2.0, 6.0, 5.0, 9.0})
      .add_column("exact", {3.0, 5.0, 7.0, 9.0, 11.0, 15.0}); // 1 + 2 x1
  CHECK_THAT(error_of([&] {
               (void)fit_linkage(alias, {.outcome = "y", .predictors = {"x1", "x2", "x3"}});
             }),
             Contains("predictor 'x3' is a linear combination of the intercept and the predictors before it"));
  CHECK_THAT(error_of([&] {
               (void)fit_linkage(alias, {.outcome = "y", .predictors = {"x1", "same"}});
             }),
             Contains("predictor 'same' has the same value in all 6 observations"));
  CHECK_THAT(error_of([&] { (void)fit_linkage(alias, {.outcome = "same", .predictors = {"x1"}}); }),
             Contains("the outcome has the same value in all 6 observations"));
  CHECK_THAT(error_of([&] {
               (void)fit_linkage(alias, {.outcome = "exact", .predictors = {"x1", "x2"}});
             }),
             Contains("reproduce the outcome exactly"));
}

TEST_CASE("linkage: unit tables join by unit id and refuse what would be lost", "[models][linkage][errors]") {
  using ethos::unit_table;
  CHECK_THAT(error_of([] { unit_table({"a", "b", "a"}); }), Contains("unit 'a' appears twice"));
  CHECK_THAT(error_of([] { unit_table({"a", ""}); }), Contains("unit 2 has an empty id"));
  unit_table t({"north", "south", "west"});
  t.add_column("culture", {3.5, 4.0, std::nullopt});
  CHECK_THAT(error_of([&] { t.add_column("culture", {1.0, 2.0, 3.0}); }), Contains("is already in the table"));
  CHECK_THAT(error_of([&] { t.add_column("x", {1.0, 2.0}); }), Contains("column 'x' has 2 values for 3 units"));
  CHECK_THAT(error_of([&] {
               t.add_column("x", {1.0, std::nan(""), 3.0});
             }),
             Contains("column 'x', unit 'south': value is not a finite number"));
  CHECK_THAT(error_of([&] { (void)t.column("cultur"); }), Contains("no column 'cultur' (did you mean 'culture'?)"));

  unit_table outcomes({"west", "north"});
  outcomes.add_column("csat", {70.0, 80.0});
  t.join(outcomes);
  CHECK(t.value("csat", "north") == 80.0);
  CHECK(t.value("csat", "west") == 70.0);
  CHECK_FALSE(t.value("csat", "south").has_value()); // no outcome reported: missing, not zero
  CHECK_FALSE(t.value("csat", "east").has_value());

  unit_table typo({"nort", "south"});
  typo.add_column("retention", {0.9, 0.8});
  CHECK_THAT(error_of([&] { t.join(typo); }),
             Contains("1 unit of the joined table is not in this one: 'nort' (did you mean 'north'?)"));
}

TEST_CASE("linkage: unit tables from a roll-up carry only shown means", "[models][linkage]") {
  ethos::org_rollup r;
  r.constructs = {{"voice_of_the_customer", "Voice of the Customer"}, {"service_recovery", "Service Recovery"}};
  const auto cell = [](std::size_t n, std::optional<double> mean, ethos::suppression s) {
    ethos::unit_cell c;
    c.n = static_cast<std::uint32_t>(n);
    c.mean = mean;
    c.status = s;
    return c;
  };
  using ethos::suppression;
  r.units = {
      {"", "Organisation", "", 0, 40, 0, {}, {}, {cell(40, 3.9, suppression::none), cell(40, 3.7, suppression::none)}},
      {"sales", "Sales", "", 1, 25, 0, {}, {}, {cell(25, 4.1, suppression::none), cell(25, 3.6, suppression::none)}},
      {"sales/east",
       "East",
       "sales",
       2,
       22,
       22,
       {},
       {},
       {cell(22, 4.2, suppression::none), cell(21, 3.5, suppression::none)}},
      {"sales/west",
       "West",
       "sales",
       2,
       3,
       3,
       {},
       {},
       {cell(3, {}, suppression::too_small), cell(3, {}, suppression::too_small)}},
      {"ops",
       "Operations",
       "",
       1,
       15,
       15,
       {},
       {},
       {cell(15, 3.6, suppression::none), cell(15, 3.9, suppression::secondary)}},
  };
  const auto top = ethos::unit_table_from_rollup(r, 1);
  CHECK(top.units() == std::vector<std::string>{"sales", "ops"});
  CHECK(top.column_names() == std::vector<std::string>{"voice_of_the_customer", "service_recovery"});
  CHECK(top.value("voice_of_the_customer", "ops") == 3.6);
  // A withheld cell is missing even if a mean were left in it.
  r.units[4].constructs[1].mean = 3.9;
  CHECK_FALSE(ethos::unit_table_from_rollup(r, 1).value("service_recovery", "ops").has_value());
  const auto teams = ethos::unit_table_from_rollup(r, 2);
  CHECK(teams.units() == std::vector<std::string>{"sales/east", "sales/west"});
  CHECK_FALSE(teams.value("voice_of_the_customer", "sales/west").has_value());
  CHECK_THAT(error_of([&] { (void)ethos::unit_table_from_rollup(r, 3); }),
             Contains("no unit has depth 3 (depths 1..2)"));
}

TEST_CASE("linkage: unit data from CSV, one wave or several in long format", "[models][linkage][io]") {
  // The R script's own panel file, read by the library reader, gives R's lagged fit.
  const auto waves = ethos::read_unit_waves_file(ethos_test::reference_data("linkage_panel"));
  REQUIRE(waves.size() == 3);
  CHECK(waves[0].label == "1");
  CHECK(waves[2].data.rows() == 29); // s17 missed wave 3
  CHECK(waves[0].data.column_names() == std::vector<std::string>{"culture", "enps", "csat"});
  check_against_r(ethos::fit_linkage(waves, {.outcome = "csat", .predictors = {"culture", "enps"}, .lag = 1}),
                  "lagged");
  const auto units = ethos::read_unit_table_file(ethos_test::reference_data("linkage_units"));
  check_against_r(ethos::fit_linkage(units, {.outcome = "csat", .predictors = {"culture", "enps", "internal"}}),
                  "csat3");

  // Wave order: numeric when every label is an integer (10 after 9), byte order otherwise, or as given.
  std::istringstream numeric("unit,wave,y\na,10,1\na,9,2\nb,9,NA\n");
  const auto w = ethos::read_unit_waves(numeric, "w.csv");
  REQUIRE(w.size() == 2);
  CHECK(w[0].label == "9");
  CHECK(w[1].label == "10");
  CHECK_FALSE(w[0].data.value("y", "b").has_value()); // NA is missing
  std::istringstream given("unit,wave,y\na,spring,1\na,autumn,2\n");
  const auto g = ethos::read_unit_waves(given, "g.csv", {.wave_order = {"spring", "summer", "autumn"}});
  REQUIRE(g.size() == 3);
  CHECK(g[1].data.rows() == 0); // a listed wave without rows keeps its place for lags
  CHECK(g[2].data.value("y", "a") == 2.0);
  std::istringstream other("store,csat\nnorth,81.5\nsouth,+77\n");
  const auto t = ethos::read_unit_table(other, "o.csv", {.unit_column = "store"});
  CHECK(t.value("csat", "south") == 77.0);
}

TEST_CASE("linkage: unit data CSV errors name the place and the reason", "[models][linkage][io][errors]") {
  const auto table_error = [](const std::string& text, const ethos::unit_table_csv_options& o = {}) {
    return error_of([&] {
      std::istringstream in(text);
      (void)ethos::read_unit_table(in, "t.csv", o);
    });
  };
  const auto waves_error = [](const std::string& text, const ethos::unit_table_csv_options& o = {}) {
    return error_of([&] {
      std::istringstream in(text);
      (void)ethos::read_unit_waves(in, "w.csv", o);
    });
  };
  CHECK_THAT(table_error(""), Contains("t.csv:1:1: missing header"));
  CHECK_THAT(table_error("unt,csat\na,1\n"), Contains("t.csv:1:1: missing column 'unit' (did you mean 'unt'?)"));
  CHECK_THAT(table_error("unit,csat,csat\n"), Contains("t.csv:1:11: duplicate column 'csat' (columns 2 and 3)"));
  CHECK_THAT(table_error("unit,,csat\n"), Contains("t.csv:1:6: empty column name"));
  CHECK_THAT(table_error("unit,csat\na,1\nb,8x\n"),
             Contains("t.csv:3:3: unit 'b', column 'csat': '8x' is not a number"));
  CHECK_THAT(table_error("unit,csat\na,1\nb,inf\n"), Contains("'inf' is not a number"));
  CHECK_THAT(table_error("unit,csat\na,1\na,2\n"), Contains("t.csv:3:1: unit 'a' appears twice (first on line 2)"));
  CHECK_THAT(table_error("unit,csat\na,1,3\n"), Contains("t.csv:2:5: ragged row: 3 fields, the header has 2"));
  CHECK_THAT(table_error("unit,csat\na,1\n\nb,2\n"), Contains("t.csv:3:1: blank line"));
  CHECK_THAT(table_error("unit,csat\n ,1\n"), Contains("t.csv:2:1: empty unit id"));
  CHECK_THAT(table_error("unit,wave,csat\na,1,1\n"), Contains("read the file with read_unit_waves"));
  CHECK_THAT(waves_error("unit,csat\na,1\n"), Contains("w.csv:1:1: missing column 'wave'"));
  CHECK_THAT(waves_error("unit,wave,csat\na,,1\n"), Contains("w.csv:2:3: unit 'a': empty wave label"));
  CHECK_THAT(waves_error("unit,wave,csat\na,1,1\na,1,2\n"),
             Contains("w.csv:3:1: unit 'a' in wave '1' appears twice (first on line 2)"));
  CHECK_THAT(waves_error("unit,wave,csat\na,2025,1\na,2026,2\n", {.wave_order = {"2025"}}),
             Contains("w.csv:3:1: wave '2026' is not in the wave order given (1 waves)"));
  CHECK_THAT(error_of([] { (void)ethos::read_unit_table_file("/nonexistent/outcomes.csv"); }),
             Contains("/nonexistent/outcomes.csv"));
}

TEST_CASE("linkage: internal service received and given as unit columns", "[models][linkage]") {
  ethos::internal_service_result r;
  r.units = {"finance", "operations", "sales"};
  const auto cell = [](std::optional<double> mean, ethos::suppression s) {
    ethos::internal_cell c;
    c.ratings = 9;
    c.persons = 6;
    c.mean = mean;
    c.status = s;
    return c;
  };
  r.received = {cell(2.4, ethos::suppression::none), cell(4.1, ethos::suppression::none),
                cell(3.0, ethos::suppression::secondary)};
  r.given = {cell(3.9, ethos::suppression::none), cell({}, ethos::suppression::too_small),
             cell(3.3, ethos::suppression::none)};
  const auto t = ethos::unit_table_from_internal_service(r);
  CHECK(t.units() == r.units);
  CHECK(t.value("internal_service_received", "finance") == 2.4);
  CHECK_FALSE(t.value("internal_service_received", "sales").has_value()); // withheld, even with a mean left in
  CHECK_FALSE(t.value("internal_service_given", "operations").has_value());
  CHECK(t.value("internal_service_given", "sales") == 3.3);
}
