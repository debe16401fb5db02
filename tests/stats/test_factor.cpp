// Confirmatory factor analysis and omega total against lavaan 0.6.14 (tests/reference/make_fixtures_cfa.R), then
// the results that say why there is no answer: improper solutions, models the data cannot identify, bad input.
#include "../support/checks.hpp"
#include "../support/fixture.hpp"
#include "../support/reference_checks.hpp"

#include <ethos/stats/covariance.hpp>
#include <ethos/stats/factor.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace {

using ethos_test::error_of;

const ethos_test::fixture& cfa_fixture() {
  static const ethos_test::fixture f(ethos_test::reference_fixture("cfa"));
  return f;
}

std::string item_name(std::size_t i) { return (i + 1 < 10 ? "q0" : "q") + std::to_string(i + 1); }

// The keyed answers (items 4, 8 and 12 turned round) of the listwise-complete rows of data/cfa_likert.csv, and
// their covariance matrix with divisor N, as lavaan computes it.
struct sample {
  std::size_t n = 0;
  std::vector<double> s;
};

const sample& cfa_sample() {
  static const sample out = [] {
    const auto t = ethos_test::read_csv(ethos_test::reference_data("cfa_likert"));
    constexpr std::size_t p = 12;
    std::vector<std::vector<double>> rows;
    for (const auto& r : t.rows) {
      std::vector<double> x;
      for (std::size_t j = 0; j < p; ++j) {
        const auto& cell = r[t.column(item_name(j))];
        if (cell.empty()) {
          break;
        }
        const double v = std::stod(cell);
        x.push_back(j % 4 == 3 ? 6.0 - v : v);
      }
      if (x.size() == p) {
        rows.push_back(x);
      }
    }
    sample d;
    d.n = rows.size();
    const auto n = static_cast<double>(d.n);
    std::vector<double> mean(p, 0.0);
    for (const auto& r : rows) {
      for (std::size_t j = 0; j < p; ++j) {
        mean[j] += r[j];
      }
    }
    for (auto& m : mean) {
      m /= n;
    }
    d.s.assign(p * p, 0.0);
    for (const auto& r : rows) {
      for (std::size_t i = 0; i < p; ++i) {
        for (std::size_t j = 0; j < p; ++j) {
          d.s[i * p + j] += (r[i] - mean[i]) * (r[j] - mean[j]);
        }
      }
    }
    for (auto& v : d.s) {
      v /= n;
    }
    return d;
  }();
  return out;
}

void check(double ours, const std::string& key, double tol) { ethos_test::check_near(ours, cfa_fixture(), key, tol); }

ethos::factor_structure three_factors() {
  ethos::factor_structure m;
  m.items = 12;
  m.factors = {{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9, 10, 11}};
  return m;
}

} // namespace

// The references are lavaan's own Gauss-Newton iterated to the minimum (steps below 1e-12), so estimates, standard
// errors and fit agree to 1e-7 or better. lavaan's default search (nlminb) stops when the discrepancy changes by
// less than about 1e-10 relative, about 1e-6 from the minimum: its estimates (<prefix>.nlminb.*) agree to 2e-5, and
// its chi-square is never below ours.
TEST_CASE("cfa: three correlated factors as lavaan's cfa(estimator = 'ML') fits them", "[stats][cfa][reference]") {
  const auto& d = cfa_sample();
  const auto& f = cfa_fixture();
  REQUIRE(static_cast<double>(d.n) == f.value("data.complete"));
  for (std::size_t i = 0; i < 12; ++i) {
    for (std::size_t j = 0; j <= i; ++j) {
      check(d.s[i * 12 + j], "cfa3.s[" + item_name(i) + "," + item_name(j) + "]", 1e-12);
    }
  }
  const auto r = ethos::confirmatory_factor_analysis(d.s, d.n, three_factors());
  REQUIRE(r.converged);
  CHECK(r.code == ethos::reason_code::none);
  CHECK(r.reason.empty());
  CHECK(r.heywood.empty());
  REQUIRE(r.fit);
  const auto& fit = *r.fit;
  CHECK(fit.df == 51);
  CHECK(fit.baseline_df == 66);
  CHECK(fit.chisq <= f.value("cfa3.fit.chisq") * (1 + 1e-14)); // at the minimum, as lavaan's Gauss-Newton
  CHECK(fit.chisq <= f.value("cfa3.nlminb.chisq"));            // below where lavaan's default search stops
  check(fit.chisq, "cfa3.fit.chisq", 1e-10);
  check(fit.fmin, "cfa3.fit.fmin", 1e-10);
  check(fit.pvalue, "cfa3.fit.pvalue", 1e-9);
  check(fit.baseline_chisq, "cfa3.fit.baseline.chisq", 1e-12);
  check(fit.cfi, "cfa3.fit.cfi", 1e-11);
  REQUIRE(fit.tli);
  check(*fit.tli, "cfa3.fit.tli", 1e-11);
  REQUIRE(fit.rmsea);
  check(*fit.rmsea, "cfa3.fit.rmsea", 1e-9);
  REQUIRE(fit.rmsea_lower);
  check(*fit.rmsea_lower, "cfa3.fit.rmsea.ci.lower", 1e-9);
  REQUIRE(fit.rmsea_upper);
  check(*fit.rmsea_upper, "cfa3.fit.rmsea.ci.upper", 1e-7);
  REQUIRE(fit.rmsea_pvalue);
  check(*fit.rmsea_pvalue, "cfa3.fit.rmsea.pvalue", 1e-9);
  check(fit.srmr, "cfa3.fit.srmr", 1e-6);
  check(fit.logl, "cfa3.fit.logl", 1e-12);
  check(fit.unrestricted_logl, "cfa3.fit.unrestricted.logl", 1e-13);

  const std::string factor[] = {"f1", "f2", "f3"};
  for (std::size_t i = 0; i < 12; ++i) {
    const std::string it = item_name(i);
    const std::string l = "cfa3." + factor[i / 4] + "=~" + it;
    check(r.loadings[i].estimate, l + ".est", 1e-7);
    check(r.loadings[i].standardized, l + ".std_all", 1e-7);
    check(r.loadings[i].estimate, "cfa3.nlminb." + factor[i / 4] + "=~" + it + ".est", 2e-5);
    if (i % 4 == 0) {
      CHECK(r.loadings[i].estimate == 1.0); // the marker
      CHECK_FALSE(r.loadings[i].se);
      CHECK(f.value(l + ".se") == 0.0); // lavaan writes 0 for a fixed parameter; ethos gives none
    } else {
      REQUIRE(r.loadings[i].se);
      check(*r.loadings[i].se, l + ".se", 1e-7);
    }
    const std::string e = "cfa3." + it + "~~" + it;
    check(r.residuals[i].estimate, e + ".est", 1e-7);
    REQUIRE(r.residuals[i].se);
    check(*r.residuals[i].se, e + ".se", 1e-7);
    check(r.residuals[i].standardized, e + ".std_all", 1e-7);
  }
  for (std::size_t a = 0; a < 3; ++a) {
    for (std::size_t b = 0; b <= a; ++b) {
      const std::string k = "cfa3." + factor[b] + "~~" + factor[a];
      const auto& c = r.factor_covariances[a][b];
      CHECK(c.estimate == r.factor_covariances[b][a].estimate);
      check(c.estimate, k + ".est", 1e-7);
      REQUIRE(c.se);
      check(*c.se, k + ".se", 1e-7);
      check(c.standardized, k + ".std_all", 1e-7);
    }
  }
}

TEST_CASE("cfa: a model that does not fit (one factor for three) gives lavaan's misfit", "[stats][cfa][reference]") {
  const auto& d = cfa_sample();
  ethos::factor_structure m;
  m.items = 12;
  m.factors.emplace_back();
  for (std::size_t i = 0; i < 12; ++i) {
    m.factors[0].push_back(i);
  }
  const auto r = ethos::confirmatory_factor_analysis(d.s, d.n, m);
  REQUIRE(r.converged);
  REQUIRE(r.fit);
  const auto& fit = *r.fit;
  CHECK(fit.df == 54);
  CHECK(fit.chisq <= cfa_fixture().value("cfa1.fit.chisq") * (1 + 1e-14));
  check(fit.chisq, "cfa1.fit.chisq", 1e-10);
  CHECK(fit.pvalue < 1e-60); // lavaan prints 0
  check(fit.cfi, "cfa1.fit.cfi", 1e-10);
  check(*fit.tli, "cfa1.fit.tli", 1e-10);
  check(*fit.rmsea, "cfa1.fit.rmsea", 1e-10);
  check(*fit.rmsea_lower, "cfa1.fit.rmsea.ci.lower", 1e-7);
  check(*fit.rmsea_upper, "cfa1.fit.rmsea.ci.upper", 1e-7);
  CHECK(*fit.rmsea_pvalue < 1e-20); // lavaan prints 0
  check(fit.srmr, "cfa1.fit.srmr", 1e-6);
  for (std::size_t i = 1; i < 12; ++i) {
    const std::string l = "cfa1.g=~" + item_name(i);
    check(r.loadings[i].estimate, l + ".est", 1e-7);
    check(*r.loadings[i].se, l + ".se", 1e-7);
  }
}

TEST_CASE("omega total: a one-factor model per factor with its variance fixed to 1, as from lavaan",
          "[stats][cfa][omega][reference]") {
  const auto& d = cfa_sample();
  for (std::size_t k = 0; k < 3; ++k) {
    std::vector<double> s(16);
    for (std::size_t a = 0; a < 4; ++a) {
      for (std::size_t b = 0; b < 4; ++b) {
        s[a * 4 + b] = d.s[(k * 4 + a) * 12 + k * 4 + b];
      }
    }
    const auto o = ethos::omega_total(s, d.n);
    const std::string key = "omega.f" + std::to_string(k + 1);
    INFO(key);
    REQUIRE(o.omega);
    CHECK(o.code == ethos::reason_code::none);
    check(*o.omega, key + ".omega", 1e-6);
    check(o.model.fit->chisq, key + ".chisq", 1e-9);
    for (std::size_t j = 0; j < 4; ++j) {
      const std::string it = item_name(k * 4 + j);
      check(o.model.loadings[j].estimate, key + ".loading[" + it + "]", 1e-7);
      check(o.model.residuals[j].estimate, key + ".residual[" + it + "]", 1e-7);
    }
    CHECK(o.model.factor_covariances[0][0].estimate == 1.0);
    CHECK_FALSE(o.model.factor_covariances[0][0].se);
  }
}

TEST_CASE("cfa: an improper solution, a model the data cannot identify and a singular matrix say so",
          "[stats][cfa][status]") {
  SECTION("Heywood case: a residual variance below zero") {
    // One factor of three items, just identified: psi_1 = s_11 - s_12 s_13 / s_23 = 1 - 0.64 / 0.5 < 0.
    const std::vector<double> s{1.0, 0.8, 0.8, 0.8, 1.0, 0.5, 0.8, 0.5, 1.0};
    ethos::factor_structure m;
    m.items = 3;
    m.factors = {{0, 1, 2}};
    const auto r = ethos::confirmatory_factor_analysis(s, 200, m);
    REQUIRE(r.converged);
    REQUIRE(r.heywood == std::vector<std::size_t>{0});
    CHECK(std::abs(r.residuals[0].estimate - (1.0 - 0.64 / 0.5)) < 1e-9);
    CHECK(r.code == ethos::reason_code::improper);
    CHECK(r.reason == "Heywood case: item #1 has a negative residual variance, so the solution is improper");
    const auto o = ethos::omega_total(s, 200);
    CHECK_FALSE(o.omega);
    CHECK(o.code == ethos::reason_code::depends_on_other);
  }
  SECTION("more parameters than covariances") {
    ethos::factor_structure m;
    m.items = 2;
    m.factors = {{0, 1}};
    m.unit_variance = true; // two loadings, two residuals: 4 parameters, 3 covariances
    const auto r = ethos::confirmatory_factor_analysis({1.0, 0.5, 0.5, 1.0}, 100, m);
    CHECK_FALSE(r.converged);
    CHECK_FALSE(r.fit);
    CHECK(r.code == ethos::reason_code::not_identified);
    CHECK(r.reason == "the model has 4 free parameters but the covariances give only 3: it is not identified");
  }
  SECTION("a sample covariance matrix that is not positive definite") {
    // The third item is the sum of the first two.
    const std::vector<double> s{1.0, 0.3, 1.3, 0.3, 1.0, 1.3, 1.3, 1.3, 2.6};
    ethos::factor_structure m;
    m.items = 3;
    m.factors = {{0, 1, 2}};
    const auto r = ethos::confirmatory_factor_analysis(s, 100, m);
    CHECK_FALSE(r.fit);
    CHECK(r.code == ethos::reason_code::singular);
  }
  SECTION("too few items for omega") {
    const auto o = ethos::omega_total({1.0, 0.5, 0.5, 1.0}, 100);
    CHECK_FALSE(o.omega);
    CHECK(o.code == ethos::reason_code::too_few_items);
  }
}

TEST_CASE("cfa: input that is not a model of the matrix is refused, naming the problem", "[stats][cfa][errors]") {
  ethos::factor_structure m;
  m.items = 3;
  m.factors = {{0, 1, 2}};
  const std::vector<double> s{1.0, 0.5, 0.4, 0.5, 1.0, 0.3, 0.4, 0.3, 1.0};
  CHECK(error_of([&] {
          (void)ethos::confirmatory_factor_analysis({1.0, 0.5}, 100, m);
        }) == "cfa: the covariance matrix has 2 values for 3 items (needs items x items)");
  CHECK(error_of([&] { (void)ethos::confirmatory_factor_analysis(s, 1, m); }) ==
        "cfa: 1 observations; at least 2 are needed");
  auto twice = m;
  twice.factors = {{0, 1}, {1, 2}};
  CHECK(error_of([&] { (void)ethos::confirmatory_factor_analysis(s, 100, twice); }) ==
        "cfa: item #2 is in more than one factor");
  auto missing = m;
  missing.factors = {{0, 1}};
  CHECK(error_of([&] { (void)ethos::confirmatory_factor_analysis(s, 100, missing); }) ==
        "cfa: item #3 is in no factor");
  auto empty = m;
  empty.factors = {{0, 1, 2}, {}};
  CHECK(error_of([&] { (void)ethos::confirmatory_factor_analysis(s, 100, empty); }) == "cfa: factor #2 has no items");
  auto outside = m;
  outside.factors = {{0, 1, 5}};
  CHECK(error_of([&] { (void)ethos::confirmatory_factor_analysis(s, 100, outside); }) ==
        "cfa: factor #1 names item #6 of 3");
  auto asym = s;
  asym[1] = 0.6;
  CHECK(error_of([&] { (void)ethos::confirmatory_factor_analysis(asym, 100, m); }) ==
        "cfa: the covariance matrix is not finite and symmetric at (1, 2)");
}

TEST_CASE("covariance accumulator: exact sums that merge to the same bits, lavaan's covariance, keyed columns",
          "[stats][covariance]") {
  const auto& d = cfa_sample();
  // The answers of data/cfa_likert.csv as bytes (255 = missing), raw: the accumulator keys items 4, 8 and 12.
  const auto t = ethos_test::read_csv(ethos_test::reference_data("cfa_likert"));
  std::vector<std::vector<std::uint8_t>> cols(12, std::vector<std::uint8_t>(t.rows.size()));
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    for (std::size_t j = 0; j < 12; ++j) {
      const auto& cell = t.rows[r][t.column(item_name(j))];
      cols[j][r] = cell.empty() ? std::uint8_t{255} : static_cast<std::uint8_t>(std::stoi(cell));
    }
  }
  std::vector<bool> reverse(12, false);
  reverse[3] = reverse[7] = reverse[11] = true;
  const auto add_rows = [&](ethos::covariance_accumulator& acc, std::size_t from, std::size_t to) {
    std::vector<const std::uint8_t*> p;
    for (const auto& c : cols) {
      p.push_back(c.data() + from);
    }
    acc.add(p, to - from);
  };
  ethos::covariance_accumulator whole(12, 1, 5, reverse);
  add_rows(whole, 0, t.rows.size());
  CHECK(whole.rows() == t.rows.size());
  CHECK(whole.complete() == d.n);
  const auto s = whole.covariance();
  for (std::size_t i = 0; i < 12; ++i) {
    for (std::size_t j = 0; j <= i; ++j) {
      check(s[i * 12 + j], "cfa3.s[" + item_name(i) + "," + item_name(j) + "]", 1e-13);
      CHECK(s[i * 12 + j] == s[j * 12 + i]);
    }
  }
  // Any split, merged in any order: the same sums, so the same bits.
  for (const std::size_t cut : {std::size_t{1}, std::size_t{123}, std::size_t{599}}) {
    ethos::covariance_accumulator a(12, 1, 5, reverse);
    ethos::covariance_accumulator b(12, 1, 5, reverse);
    add_rows(a, 0, cut);
    add_rows(b, cut, t.rows.size());
    b.merge(a);
    CHECK(b == whole);
    CHECK(b.covariance() == s);
  }
  // A subset of the columns: the same entries.
  const std::vector<std::size_t> keep{1, 4, 11};
  const auto sub = whole.covariance(keep);
  for (std::size_t a = 0; a < 3; ++a) {
    for (std::size_t b = 0; b < 3; ++b) {
      CHECK(sub[a * 3 + b] == s[keep[a] * 12 + keep[b]]);
    }
  }
  // Refusals.
  CHECK(error_of([] { ethos::covariance_accumulator(0, 1, 5); }) == "covariance accumulator: no columns");
  CHECK(error_of([] { ethos::covariance_accumulator(2, 5, 1); }) ==
        "covariance accumulator: scale 5..1 must satisfy 0 <= min < max <= 250");
  CHECK(error_of([] { ethos::covariance_accumulator(2, 1, 5, {true}); }) ==
        "covariance accumulator: 1 reverse flags for 2 columns");
  ethos::covariance_accumulator two(2, 1, 5);
  const std::vector<std::uint8_t> ok{1, 2, 3};
  const std::vector<std::uint8_t> bad{1, 9, 3};
  const std::vector<const std::uint8_t*> with_bad{ok.data(), bad.data()};
  CHECK(error_of([&] { two.add(with_bad, 3); }) ==
        "covariance accumulator: column 2, row 2: answer 9 is off the scale 1..5");
  CHECK(two.rows() == 0); // nothing added
  CHECK(error_of([&] { two.merge(whole); }) ==
        "covariance accumulator: cannot merge accumulators of different designs");
  CHECK(error_of([&] {
          (void)whole.covariance(std::vector<std::size_t>{3, 2});
        }) == "covariance accumulator: the columns kept must be ascending and below 12");
  CHECK(two.covariance().empty()); // no complete row
}
