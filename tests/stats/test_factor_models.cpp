// Factor models beyond the first fixture, against lavaan 0.6.14 (tests/reference/make_fixtures_cfa.R): two and six
// factors on 5- and 7-point scales with reverse items and missing answers; an improper (Heywood) solution; models
// lavaan cannot fit; and measurement invariance (configural, metric, scalar) across two and three groups.
#include "../support/checks.hpp"
#include "../support/fixture.hpp"
#include "../support/reference_checks.hpp"

#include <ethos/stats/covariance.hpp>
#include <ethos/stats/factor.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

// A named namespace (the tests share one unity translation unit with test_factor.cpp's helpers of the same names).
namespace factor_models_test {

using ethos_test::error_of;

const ethos_test::fixture& fixture() {
  static const ethos_test::fixture f(ethos_test::reference_fixture("cfa"));
  return f;
}

void check(double ours, const std::string& key, double tol) { ethos_test::check_near(ours, fixture(), key, tol); }

// Relative to max(|reference|, 0.1): for estimates near 0 (factor means, small covariances), whose relative error
// says nothing about how close the searches came.
void check_floor(double ours, const std::string& key, double tol) {
  const double ref = fixture().value(key);
  INFO(key << ": ours " << ours << ", reference " << ref);
  CHECK(std::abs(ours - ref) <= tol * std::max(std::abs(ref), 0.1));
}

// A design the fixture script wrote: its items (the names given), each item's factor and keying, the scale.
struct design {
  std::vector<std::string> items;
  std::vector<std::size_t> factor_of; // 0-based
  std::vector<bool> reverse;
  int scale_max = 5;
  ethos::factor_structure structure;
};

design design_of(const std::string& prefix, const std::vector<std::string>& items) {
  const auto& f = fixture();
  design d;
  d.items = items;
  REQUIRE(static_cast<double>(items.size()) == f.value(prefix + ".items"));
  d.scale_max = static_cast<int>(f.value(prefix + ".scale_max"));
  d.structure.items = items.size();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto factor = static_cast<std::size_t>(f.value(prefix + ".factor[" + items[i] + "]")) - 1;
    d.factor_of.push_back(factor);
    d.reverse.push_back(f.value(prefix + ".reverse[" + items[i] + "]") == 1.0);
    if (d.structure.factors.size() <= factor) {
      d.structure.factors.resize(factor + 1);
    }
    d.structure.factors[factor].push_back(i);
  }
  return d;
}

std::vector<std::string> names(const std::string& stem, std::size_t count, int width) {
  std::vector<std::string> out;
  for (std::size_t i = 1; i <= count; ++i) {
    std::string n = std::to_string(i);
    while (static_cast<int>(n.size()) < width) {
      n.insert(n.begin(), '0');
    }
    out.push_back(stem + n);
  }
  return out;
}

// The moments of each group (by `column`, in order of first appearance; one group without a column) of a data file,
// from the exact accumulator over the keyed answers, as lavaan computes them from the complete rows.
std::vector<ethos::sample_moments> moments_of(const std::string& file, const design& d, const std::string& column) {
  const auto t = ethos_test::read_csv(ethos_test::reference_data(file));
  std::vector<std::string> labels;
  std::vector<std::vector<std::vector<std::uint8_t>>> answers; // group, item, row
  for (const auto& r : t.rows) {
    const std::string label = column.empty() ? std::string() : r[t.column(column)];
    std::size_t g = 0;
    while (g < labels.size() && labels[g] != label) {
      ++g;
    }
    if (g == labels.size()) {
      labels.push_back(label);
      answers.emplace_back(d.items.size());
    }
    for (std::size_t i = 0; i < d.items.size(); ++i) {
      const auto& cell = r[t.column(d.items[i])];
      answers[g][i].push_back(cell.empty() ? std::uint8_t{255} : static_cast<std::uint8_t>(std::stoi(cell)));
    }
  }
  std::vector<ethos::sample_moments> out;
  for (std::size_t g = 0; g < labels.size(); ++g) {
    ethos::covariance_accumulator acc(d.items.size(), 1, d.scale_max, d.reverse);
    std::vector<const std::uint8_t*> cols;
    for (const auto& c : answers[g]) {
      cols.push_back(c.data());
    }
    acc.add(cols, answers[g][0].size());
    out.push_back({labels[g], static_cast<std::size_t>(acc.complete()), acc.covariance(), acc.means()});
  }
  return out;
}

std::string factor_name(std::size_t f) { return "f" + std::to_string(f + 1); }

// The fit measures every reference model has, at a relative tolerance.
void check_fit(const ethos::cfa_fit& fit, const std::string& pre, double tol) {
  CHECK(static_cast<double>(fit.df) == fixture().value(pre + ".fit.df"));
  CHECK(static_cast<double>(fit.baseline_df) == fixture().value(pre + ".fit.baseline.df"));
  check(fit.chisq, pre + ".fit.chisq", tol);
  check(fit.pvalue, pre + ".fit.pvalue", tol);
  check(fit.baseline_chisq, pre + ".fit.baseline.chisq", 1e-12);
  check(fit.cfi, pre + ".fit.cfi", tol);
  REQUIRE(fit.tli);
  check(*fit.tli, pre + ".fit.tli", tol);
  REQUIRE(fit.rmsea);
  check(*fit.rmsea, pre + ".fit.rmsea", tol);
  // lavaan finds the interval's noncentralities with uniroot at its default tolerance (about 1e-4 on the
  // noncentrality); ours bisect to 1e-12.
  check(*fit.rmsea_lower, pre + ".fit.rmsea.ci.lower", 2e-6);
  check(*fit.rmsea_upper, pre + ".fit.rmsea.ci.upper", 2e-6);
  check(*fit.rmsea_pvalue, pre + ".fit.rmsea.pvalue", tol);
  check(fit.srmr, pre + ".fit.srmr", tol);
  check(fit.logl, pre + ".fit.logl", 1e-12);
  check(fit.unrestricted_logl, pre + ".fit.unrestricted.logl", 1e-12);
}

// One group's parameters (lavaan's keys <pre>.<lhs><op><rhs>) at a relative tolerance; a parameter lavaan fixes
// (standard error 0) has none here.
void check_parameters(const std::string& pre, const design& d, const std::vector<ethos::cfa_parameter>& loadings,
                      const std::vector<ethos::cfa_parameter>& residuals,
                      const std::vector<std::vector<ethos::cfa_parameter>>& covariances,
                      const std::vector<ethos::cfa_parameter>& intercepts,
                      const std::vector<ethos::cfa_parameter>& means, double tol) {
  const auto one = [&](const ethos::cfa_parameter& p, const std::string& key) {
    check_floor(p.estimate, key + ".est", tol);
    check_floor(p.standardized, key + ".std_all", tol);
    if (fixture().value(key + ".se") == 0.0) {
      CHECK_FALSE(p.se);
    } else {
      REQUIRE(p.se);
      check(*p.se, key + ".se", tol);
    }
  };
  for (std::size_t i = 0; i < d.items.size(); ++i) {
    one(loadings[i], pre + "." + factor_name(d.factor_of[i]) + "=~" + d.items[i]);
    one(residuals[i], pre + "." + d.items[i] + "~~" + d.items[i]);
    if (!intercepts.empty()) {
      one(intercepts[i], pre + "." + d.items[i] + "~1");
    }
  }
  for (std::size_t a = 0; a < covariances.size(); ++a) {
    for (std::size_t b = 0; b <= a; ++b) {
      one(covariances[a][b], pre + "." + factor_name(b) + "~~" + factor_name(a));
    }
    if (!means.empty()) {
      one(means[a], pre + "." + factor_name(a) + "~1");
    }
  }
}

TEST_CASE("cfa: two factors of 3 and 8 items on a 7-point scale, six factors of 3 to 8 items, as lavaan fits them",
          "[stats][cfa][reference]") {
  struct instrument {
    std::string prefix;
    std::string file;
    std::vector<std::string> items;
  };
  for (const auto& in : {instrument{"cfa2", "cfa_two_factor", names("t", 11, 2)},
                         instrument{"cfa6", "cfa_six_factor", names("s", 30, 2)}}) {
    INFO(in.prefix);
    const auto d = design_of(in.prefix, in.items);
    const auto moments = moments_of(in.file, d, "");
    REQUIRE(moments.size() == 1);
    CHECK(static_cast<double>(moments[0].n) == fixture().value(in.prefix + ".complete"));
    const auto r = ethos::confirmatory_factor_analysis(moments[0].covariance, moments[0].n, d.structure);
    REQUIRE(r.converged);
    CHECK(r.code == ethos::reason_code::none);
    REQUIRE(r.fit);
    check_fit(*r.fit, in.prefix, 1e-8);
    CHECK(r.fit->chisq <= fixture().value(in.prefix + ".nlminb.chisq"));
    check_parameters(in.prefix, d, r.loadings, r.residuals, r.factor_covariances, {}, {}, 1e-7);
    for (std::size_t i = 0; i < d.items.size(); ++i) {
      check(r.loadings[i].estimate, in.prefix + ".nlminb." + factor_name(d.factor_of[i]) + "=~" + d.items[i] + ".est",
            2e-5);
    }
  }
}

TEST_CASE("cfa: a Heywood case has lavaan's estimates and says the solution is improper", "[stats][cfa][reference]") {
  std::vector<double> s(16);
  for (std::size_t i = 0; i < 4; ++i) {
    for (std::size_t j = 0; j < 4; ++j) {
      s[i * 4 + j] = fixture().value("heywood.s[" + std::to_string(i + 1) + "," + std::to_string(j + 1) + "]");
    }
  }
  ethos::factor_structure m;
  m.items = 4;
  m.factors = {{0, 1, 2, 3}};
  const auto r = ethos::confirmatory_factor_analysis(s, 200, m);
  REQUIRE(fixture().value("heywood.converged") == 1.0);
  REQUIRE(r.converged);
  REQUIRE(r.heywood == std::vector<std::size_t>{0});
  CHECK(r.residuals[0].estimate < 0.0);
  CHECK(r.code == ethos::reason_code::improper);
  CHECK(r.reason == "Heywood case: item #1 has a negative residual variance, so the solution is improper");
  REQUIRE(r.fit);
  check(r.fit->chisq, "heywood.fit.chisq", 1e-8);
  check(r.fit->srmr, "heywood.fit.srmr", 1e-8);
  for (std::size_t i = 0; i < 4; ++i) {
    const std::string it = "h" + std::to_string(i + 1);
    check(r.loadings[i].estimate, "heywood.g=~" + it + ".est", 1e-7);
    check(r.residuals[i].estimate, "heywood." + it + "~~" + it + ".est", 1e-7);
    check(*r.residuals[i].se, "heywood." + it + "~~" + it + ".se", 1e-7);
  }
  const auto o = ethos::omega_total(s, 200);
  CHECK_FALSE(o.omega);
  CHECK(o.code == ethos::reason_code::depends_on_other);
}

TEST_CASE("cfa: models lavaan cannot fit give a reason, never a clean result", "[stats][cfa][reference][status]") {
  struct failing {
    std::string name;
    std::vector<double> s;
    std::vector<std::vector<std::size_t>> factors;
    ethos::reason_code code;
    std::string reason;
  };
  // The same matrices as make_fixtures_cfa.R's `failing` (its model, not expected values).
  const std::vector<failing> cases{
      {"tiny",
       {1, .6, .02, 0, .6, 1, 0, 0, .02, 0, 1, -.05, 0, 0, -.05, 1},
       {{0, 1}, {2, 3}},
       ethos::reason_code::singular,
       "the model is not identified by these data"},
      {"negative",
       {1, .5, -.3, .5, 1, .4, -.3, .4, 1},
       {{0, 1, 2}},
       ethos::reason_code::not_converged,
       "the estimates did not converge in 500 steps"},
      {"unidentified",
       {1, .5, .4, 0, 0, .5, 1, .45, 0, 0, .4, .45, 1, 0, 0, 0, 0, 0, 1, .3, 0, 0, 0, .3, 1},
       {{0, 1, 2}, {3, 4}},
       ethos::reason_code::singular,
       "the information matrix is singular"}};
  for (const auto& c : cases) {
    INFO(c.name);
    ethos::factor_structure m;
    m.items = static_cast<std::size_t>(std::lround(std::sqrt(static_cast<double>(c.s.size()))));
    m.factors = c.factors;
    // lavaan rescales a covariance matrix it is given by (N - 1) / N.
    std::vector<double> s = c.s;
    for (auto& v : s) {
      v *= 299.0 / 300.0;
    }
    const auto r = ethos::confirmatory_factor_analysis(s, 300, m);
    INFO(r.reason);
    CHECK(r.code == c.code);
    CHECK(r.reason.find(c.reason) != std::string::npos);
    // lavaan: not converged, or (the last) converged without standard errors.
    CHECK(fixture().value("fail." + c.name + ".se_available") == 0.0);
    CHECK(fixture().value("fail." + c.name + ".converged") == (c.name == "unidentified" ? 1.0 : 0.0));
    if (r.converged) {
      for (const auto& l : r.loadings) {
        CHECK_FALSE(l.se); // no standard errors where the information is singular
      }
    } else {
      CHECK_FALSE(r.fit);
    }
  }
}

TEST_CASE("cfa: estimates the data do not pin down give no standard errors", "[stats][cfa][status]") {
  // A two-item factor unrelated to the other factor: its loading and variance trade off along a ridge, so the search
  // reaches the (flat) minimum but the information there is singular to rounding.
  const std::vector<double> s{1, .5, .4, 0, 0, .5, 1, .45, 0, 0, .4, .45, 1, 0, 0, 0, 0, 0, 1, .3, 0, 0, 0, .3, 1};
  ethos::factor_structure m;
  m.items = 5;
  m.factors = {{0, 1, 2}, {3, 4}};
  const auto r = ethos::confirmatory_factor_analysis(s, 300, m);
  CHECK(r.code == ethos::reason_code::singular);
  CHECK(r.reason.rfind("the information matrix is singular", 0) == 0);
  for (const auto& l : r.loadings) {
    CHECK_FALSE(l.se);
  }
}

TEST_CASE("measurement invariance: configural, metric and scalar models as lavaan's group.equal fits them",
          "[stats][cfa][invariance][reference]") {
  struct invariance_case {
    std::string prefix;
    std::string file;
    std::string column;
    std::vector<std::string> labels;
  };
  for (const auto& c : {invariance_case{"inv2", "invariance_two", "site", {"north", "south"}},
                        invariance_case{"inv3", "invariance_three", "unit", {"alpha", "beta", "gamma"}}}) {
    INFO(c.prefix);
    const auto d = design_of(c.prefix, names("q", 8, 1));
    const auto groups = moments_of(c.file, d, c.column);
    REQUIRE(groups.size() == c.labels.size());
    for (std::size_t g = 0; g < groups.size(); ++g) {
      CHECK(groups[g].label == c.labels[g]);
      CHECK(static_cast<double>(groups[g].n) == fixture().value(c.prefix + ".n[" + std::to_string(g + 1) + "]"));
    }
    const auto inv = ethos::measurement_invariance(groups, d.structure);
    for (const auto* model : {&inv.configural, &inv.metric, &inv.scalar}) {
      const std::string pre = c.prefix + "." + std::string(ethos::to_string(model->level));
      INFO(pre);
      REQUIRE(model->converged);
      CHECK(model->code == ethos::reason_code::none);
      REQUIRE(model->fit);
      CHECK(static_cast<double>(model->free_parameters) == fixture().value(pre + ".fit.npar"));
      // lavaan's default search stops about 1e-6 from the minimum: the chi-square agrees to 1e-8, ours the lower.
      CHECK(model->fit->chisq <= fixture().value(pre + ".fit.chisq"));
      check_fit(*model->fit, pre, 1e-6);
      for (std::size_t g = 0; g < groups.size(); ++g) {
        const auto& est = model->groups[g];
        CHECK(est.label == c.labels[g]);
        // Each group's part moves with the estimates (the sum is at a minimum, the parts are not).
        check(est.chisq, pre + ".chisq_group[" + std::to_string(g + 1) + "]", 1e-5);
        check_parameters(pre + ".g" + std::to_string(g + 1), d, est.loadings, est.residuals, est.factor_covariances,
                         est.intercepts, est.factor_means, 5e-5);
      }
    }
    REQUIRE(inv.steps.size() == 2);
    for (const auto& st : inv.steps) {
      const std::string pre = c.prefix + ".lrt." + std::string(ethos::to_string(st.to));
      check(st.delta_chisq, pre + ".delta_chisq", 1e-6);
      CHECK(static_cast<double>(st.delta_df) == fixture().value(pre + ".delta_df"));
      check(st.pvalue, pre + ".pvalue", 1e-5);
    }
    // Equal loadings hold (a small change of fit), equal intercepts do not: the data shift items in one group.
    CHECK_FALSE(inv.steps[0].noninvariant);
    CHECK(inv.steps[1].noninvariant);
    CHECK(inv.steps[1].rejected_by_chisq);
    REQUIRE(inv.holds);
    CHECK(*inv.holds == ethos::invariance_level::metric);
    CHECK(inv.reading.rfind("metric invariance holds, scalar does not: from metric to scalar CFI changes by -", 0) ==
          0);
    CHECK(inv.reading.find("(non-invariance: CFI falls by 0.010 or more while RMSEA rises by 0.015 or more; Chen, "
                           "2007)") != std::string::npos);
    // Equal parameters are equal, the first group's factor means are 0 and the others' free under scalar.
    for (std::size_t g = 1; g < groups.size(); ++g) {
      for (std::size_t i = 0; i < 8; ++i) {
        CHECK(inv.metric.groups[g].loadings[i].estimate == inv.metric.groups[0].loadings[i].estimate);
        CHECK(inv.scalar.groups[g].intercepts[i].estimate == inv.scalar.groups[0].intercepts[i].estimate);
      }
      CHECK(inv.scalar.groups[g].factor_means[0].se);
      CHECK_FALSE(inv.metric.groups[g].factor_means[0].se);
    }
    CHECK(inv.scalar.groups[0].factor_means[0].estimate == 0.0);
    CHECK_FALSE(inv.scalar.groups[0].factor_means[0].se);
  }
}

TEST_CASE("measurement invariance with unit factor variances (std.lv) as lavaan fits it",
          "[stats][cfa][invariance][reference]") {
  auto d = design_of("inv2", names("q", 8, 1));
  d.structure.unit_variance = true;
  const auto groups = moments_of("invariance_two", d, "site");
  const auto inv = ethos::measurement_invariance(groups, d.structure);
  for (const auto* model : {&inv.configural, &inv.metric, &inv.scalar}) {
    const std::string pre = "inv2lv." + std::string(ethos::to_string(model->level));
    INFO(pre);
    REQUIRE(model->converged);
    CHECK(model->code == ethos::reason_code::none);
    REQUIRE(model->fit);
    CHECK(static_cast<double>(model->free_parameters) == fixture().value(pre + ".fit.npar"));
    CHECK(static_cast<double>(model->fit->df) == fixture().value(pre + ".fit.df"));
    CHECK(model->fit->chisq <= fixture().value(pre + ".fit.chisq"));
    check(model->fit->chisq, pre + ".fit.chisq", 1e-6);
    check(model->fit->cfi, pre + ".fit.cfi", 1e-6);
    REQUIRE(model->fit->tli);
    check(*model->fit->tli, pre + ".fit.tli", 1e-6);
    REQUIRE(model->fit->rmsea);
    check(*model->fit->rmsea, pre + ".fit.rmsea", 1e-6);
    check(model->fit->srmr, pre + ".fit.srmr", 1e-6);
    for (std::size_t g = 0; g < groups.size(); ++g) {
      const auto& est = model->groups[g];
      check_parameters(pre + ".g" + std::to_string(g + 1), d, est.loadings, est.residuals, est.factor_covariances,
                       est.intercepts, est.factor_means, 5e-5);
    }
  }
  // The same models as with marker variables, parametrised otherwise: the same chi-square at each level.
  auto marker = d.structure;
  marker.unit_variance = false;
  const auto by_marker = ethos::measurement_invariance(groups, marker);
  REQUIRE(by_marker.scalar.fit);
  CHECK(std::abs(inv.configural.fit->chisq - by_marker.configural.fit->chisq) <=
        1e-7 * by_marker.configural.fit->chisq);
  CHECK(std::abs(inv.metric.fit->chisq - by_marker.metric.fit->chisq) <= 1e-7 * by_marker.metric.fit->chisq);
  CHECK(std::abs(inv.scalar.fit->chisq - by_marker.scalar.fit->chisq) <= 1e-7 * by_marker.scalar.fit->chisq);
}

TEST_CASE("measurement invariance: groups that cannot be compared are refused or explained",
          "[stats][cfa][invariance][errors]") {
  ethos::factor_structure m;
  m.items = 3;
  m.factors = {{0, 1, 2}};
  const std::vector<double> s{1.0, 0.5, 0.4, 0.5, 1.0, 0.3, 0.4, 0.3, 1.0};
  const ethos::sample_moments a{"a", 100, s, {3.0, 3.1, 2.9}};
  CHECK(error_of([&] { (void)ethos::measurement_invariance({a}, m); }) ==
        "cfa: a multi-group model needs at least 2 groups (got 1)");
  auto b = a;
  b.label = "b";
  b.mean = {3.0, 3.0};
  CHECK(error_of([&] { (void)ethos::measurement_invariance({a, b}, m); }) == "cfa: group 'b': 2 means for 3 items");
  b.mean = {3.0, 3.0, 3.0};
  b.n = 1;
  CHECK(error_of([&] {
          (void)ethos::multigroup_cfa({a, b}, m, ethos::invariance_level::metric);
        }) == "cfa: group 'b': 1 observations; at least 2 are needed");
  b.n = 100;
  b.covariance = {1.0, 1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 1.0}; // two identical items
  const auto r = ethos::multigroup_cfa({a, b}, m, ethos::invariance_level::configural);
  CHECK(r.code == ethos::reason_code::singular);
  CHECK(r.reason == "the sample covariance matrix of group 'b' is not positive definite (an item is constant or a "
                    "combination of others)");
  const auto inv = ethos::measurement_invariance({a, b}, m);
  CHECK_FALSE(inv.holds);
  CHECK(inv.reading.rfind("no verdict: the configural model did not give a fit", 0) == 0);
}

#ifndef ETHOS_SEPARATE_COMPILATION
// The closed-form Hessian that the Newton steps solve with, against central differences of the closed-form gradient
// (only the header-only build sees the definitions): one group without means, and three groups with shared loadings
// and intercepts, factor means and unit factor variances, away from the minimum where the second-derivative terms
// and the mean terms count.
TEST_CASE("cfa: the closed-form Hessian equals the differenced gradient", "[stats][cfa]") {
  namespace dt = ethos::detail;
  const auto d = design_of("inv3", names("q", 8, 1));
  const auto groups = moments_of("invariance_three", d, "unit");
  std::vector<dt::sem_group> data;
  for (const auto& g : groups) {
    data.push_back(dt::make_group(g.covariance, &g.mean, g.n, d.items.size(), ""));
  }
  std::string reason;
  data = dt::prepare_groups(std::move(data), reason, {"alpha", "beta", "gamma"});
  REQUIRE(data.size() == 3);
  std::vector<dt::sem_group> alone{data[0]};
  alone[0].weight = 1.0;
  for (const bool unit : {false, true}) {
    auto structure = d.structure;
    structure.unit_variance = unit;
    for (const auto level :
         {ethos::invariance_level::configural, ethos::invariance_level::metric, ethos::invariance_level::scalar}) {
      for (const bool one_group : {false, true}) {
        if (one_group && level != ethos::invariance_level::configural) {
          continue;
        }
        const auto& sample = one_group ? alone : data;
        const dt::sem_model model(structure, sample.size(), !one_group, level);
        INFO("unit variances " << unit << ", " << ethos::to_string(level) << ", one group " << one_group);
        dt::dense_vector theta = model.start(sample, structure);
        for (Eigen::Index i = 0; i < theta.size(); ++i) {
          theta(i) += 0.05 * std::sin(static_cast<double>(i + 1)); // away from the start and from the minimum
        }
        dt::sem_workspace ws;
        dt::dense_matrix h;
        REQUIRE(dt::hessian(model, sample, theta, h, ws));
        dt::dense_vector up;
        dt::dense_vector down;
        double worst = 0.0;
        for (Eigen::Index b = 0; b < theta.size(); ++b) {
          const double step = 1e-5 * std::max(1.0, std::abs(theta(b)));
          dt::dense_vector t = theta;
          t(b) = theta(b) + step;
          REQUIRE(dt::discrepancy_gradient(model, sample, t, up));
          t(b) = theta(b) - step;
          REQUIRE(dt::discrepancy_gradient(model, sample, t, down));
          worst = std::max(worst, ((up - down) / (2.0 * step) - h.col(b)).cwiseAbs().maxCoeff());
        }
        CHECK(worst <= 1e-6 * std::max(1.0, h.cwiseAbs().maxCoeff()));
      }
    }
  }
}
#endif

} // namespace factor_models_test
