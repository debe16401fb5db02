// Tests of running moments, two-sample comparisons, Pearson r with Fisher's z, eNPS differences and key drivers.
// Golden values come from tests/reference/make_fixtures_compare.R (base R); the data it used are read back from
// tests/reference/data/compare_*.csv so that both sides see the same bits.
#include <ethos/stats/compare.hpp>
#include <ethos/stats/drivers.hpp>
#include <ethos/stats/moments.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#ifndef ETHOS_TEST_DATA_DIR
#error "ETHOS_TEST_DATA_DIR must name the repository's tests/ directory"
#endif

using namespace ethos;

namespace {

constexpr double missing_value = std::numeric_limits<double>::quiet_NaN();

std::string reference_path(const std::string& rel) { return std::string(ETHOS_TEST_DATA_DIR) + "/reference/" + rel; }

double parse_number(const std::string& s, const std::string& where) {
  const char* begin = s.c_str();
  char* end = nullptr;
  const double v = std::strtod(begin, &end);
  if (end == begin || *end != '\0') {
    throw std::runtime_error(where + ": not a number: '" + s + "'");
  }
  return v;
}

// The fixture format shared by the reference scripts: "<key> <value>" lines, '#' comments, value NA or a number.
class compare_fixture {
 public:
  explicit compare_fixture(const std::string& rel) : path_(reference_path(rel)) {
    std::ifstream in(path_);
    if (!in) {
      throw std::runtime_error("cannot open " + path_);
    }
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') {
        continue;
      }
      const auto space = line.find(' ');
      if (space == std::string::npos) {
        throw std::runtime_error(path_ + ": no value in line '" + line + "'");
      }
      values_[line.substr(0, space)] = line.substr(space + 1);
    }
  }

  /// The number under `key`; a missing key or an NA value is an error of the fixture, not of ethos.
  double operator[](const std::string& key) const {
    const auto it = values_.find(key);
    if (it == values_.end()) {
      throw std::runtime_error(path_ + ": no key '" + key + "'");
    }
    if (it->second == "NA") {
      throw std::runtime_error(path_ + ": key '" + key + "' is NA");
    }
    return parse_number(it->second, path_ + " " + key);
  }

  std::size_t count(const std::string& key) const { return static_cast<std::size_t>((*this)[key]); }

 private:
  std::string path_;
  std::map<std::string, std::string> values_;
};

// A CSV with a header row and numeric columns; an empty field is missing (NaN).
std::map<std::string, std::vector<double>> read_csv(const std::string& rel) {
  const std::string path = reference_path(rel);
  std::ifstream in(path);
  if (!in) {
    throw std::runtime_error("cannot open " + path);
  }
  const auto split = [](const std::string& line) {
    std::vector<std::string> fields;
    std::stringstream ss(line);
    std::string f;
    while (std::getline(ss, f, ',')) {
      fields.push_back(f);
    }
    if (!line.empty() && line.back() == ',') {
      fields.emplace_back();
    }
    return fields;
  };
  std::string line;
  std::getline(in, line);
  const auto names = split(line);
  std::vector<std::vector<double>> cols(names.size());
  std::size_t row = 1;
  while (std::getline(in, line)) {
    ++row;
    const auto fields = split(line);
    if (fields.size() != names.size()) {
      throw std::runtime_error(path + ":" + std::to_string(row) + ": expected " + std::to_string(names.size()) +
                               " fields");
    }
    for (std::size_t c = 0; c < fields.size(); ++c) {
      cols[c].push_back(fields[c].empty() ? missing_value : parse_number(fields[c], path + ":" + std::to_string(row)));
    }
  }
  std::map<std::string, std::vector<double>> out;
  for (std::size_t c = 0; c < names.size(); ++c) {
    out[names[c]] = std::move(cols[c]);
  }
  return out;
}

// Relative difference, tracked so that each test can report the worst agreement it saw.
struct agreement_tracker {
  double worst = 0.0;

  void check(const std::optional<double>& actual, double expected, const std::string& key) {
    INFO(key);
    REQUIRE(actual.has_value());
    CHECK(*actual == Approx(expected).epsilon(1e-9));
    const double rel = std::fabs(*actual - expected) / std::max(std::fabs(expected), 1e-300);
    worst = std::max(worst, rel);
  }
};

bool no_nan(const std::optional<double>& x) { return !x || !std::isnan(*x); }

double relative(double a, double b) { return std::fabs(a - b) / std::max(std::fabs(b), 1e-300); }

} // namespace

// ---- running moments ------------------------------------------------------------------------------------------------

TEST_CASE("running_moments: Welford, Chan's merge of random splits and a two-pass computation agree",
          "[stats][moments]") {
  std::mt19937_64 rng(20240611);
  std::normal_distribution<double> noise(0.0, 1.0);
  for (const double offset : {0.0, 3.5, 1e3}) {
    std::vector<double> xs(1000);
    for (double& x : xs) {
      x = offset + 2.0 * noise(rng);
    }
    running_moments one;
    one.add(std::span<const double>(xs));

    // Two-pass reference.
    double sum = 0.0;
    for (double x : xs) {
      sum += x;
    }
    const double mean = sum / static_cast<double>(xs.size());
    double m2 = 0.0;
    for (double x : xs) {
      m2 += (x - mean) * (x - mean);
    }
    const double var = m2 / static_cast<double>(xs.size() - 1);

    INFO("offset " << offset);
    REQUIRE(one.n() == xs.size());
    CHECK(relative(*one.mean(), mean) < 1e-12);
    CHECK(relative(*one.variance(), var) < 1e-12);
    CHECK(relative(*one.sd(), std::sqrt(var)) < 1e-12);

    // Random splits into 1-20 shards, merged in random order (shards may be empty).
    for (int trial = 0; trial < 50; ++trial) {
      std::uniform_int_distribution<std::size_t> shards_dist(1, 20);
      const std::size_t shards = shards_dist(rng);
      std::vector<std::size_t> cuts{0, xs.size()};
      std::uniform_int_distribution<std::size_t> cut_dist(0, xs.size());
      for (std::size_t s = 1; s < shards; ++s) {
        cuts.push_back(cut_dist(rng));
      }
      std::sort(cuts.begin(), cuts.end());
      std::vector<running_moments> parts;
      for (std::size_t s = 0; s + 1 < cuts.size(); ++s) {
        parts.push_back(moments_of(std::span<const double>(xs).subspan(cuts[s], cuts[s + 1] - cuts[s])));
      }
      std::shuffle(parts.begin(), parts.end(), rng);
      running_moments merged;
      for (const auto& p : parts) {
        merged.merge(p);
      }
      INFO("trial " << trial << ", " << shards << " shards");
      REQUIRE(merged.n() == xs.size());
      CHECK(relative(*merged.mean(), *one.mean()) < 1e-12);
      CHECK(relative(*merged.variance(), *one.variance()) < 1e-12);
      CHECK(relative(*merged.variance(), var) < 1e-12);
    }
  }
}

TEST_CASE("running_moments: far from zero the variance keeps its digits", "[stats][moments]") {
  // 1e9 + {1, 2, 3, 4}: variance 5/3. sum(x^2) / n - mean^2 would lose every digit here.
  running_moments m;
  for (double x : {1.0, 2.0, 3.0, 4.0}) {
    m.add(1e9 + x);
  }
  CHECK(*m.mean() == 1e9 + 2.5);
  CHECK(*m.variance() == Approx(5.0 / 3.0).epsilon(1e-12));
  running_moments a;
  running_moments b;
  a.add(1e9 + 1.0);
  a.add(1e9 + 2.0);
  b.add(1e9 + 3.0);
  b.add(1e9 + 4.0);
  a.merge(b);
  CHECK(*a.variance() == Approx(5.0 / 3.0).epsilon(1e-12));
}

TEST_CASE("running_moments: empty and tiny inputs give empty results, and missing values are counted",
          "[stats][moments]") {
  running_moments m;
  CHECK(m.n() == 0);
  CHECK_FALSE(m.mean());
  CHECK_FALSE(m.variance());
  CHECK_FALSE(m.sd());
  CHECK_FALSE(m.summary());
  m.add(missing_value);
  m.add(std::numeric_limits<double>::infinity());
  CHECK(m.n() == 0);
  CHECK(m.missing() == 2);
  m.add(4.0);
  CHECK(*m.mean() == 4.0);
  CHECK_FALSE(m.variance());
  CHECK(m.sum_of_squares() == 0.0);

  running_moments empty;
  running_moments copy = m;
  copy.merge(empty);
  CHECK(copy.n() == 1);
  CHECK(*copy.mean() == 4.0);
  empty.merge(m);
  CHECK(empty.n() == 1);
  CHECK(empty.missing() == 2);
  CHECK(*empty.mean() == 4.0);

  m.add(6.0);
  REQUIRE(m.summary());
  CHECK(m.summary()->n == 2);
  CHECK(m.summary()->mean == 5.0);
  CHECK(m.summary()->sd == Approx(std::sqrt(2.0)).epsilon(1e-15));
}

// ---- comparisons against R ------------------------------------------------------------------------------------------

TEST_CASE("welch_t, cohens_d and hedges_g match R's t.test and the textbook formulas", "[stats][compare][reference]") {
  const compare_fixture fx("fixtures/compare.txt");
  const auto data = read_csv("data/compare_samples.csv");
  agreement_tracker ag;
  for (int i = 1; i <= 3; ++i) {
    const std::string n = std::to_string(i);
    const auto& a = data.at("a" + n);
    const auto& b = data.at("b" + n);
    const std::string w = "welch." + n + ".";
    const std::string e = "effect." + n + ".";

    const welch_result t = welch_t(std::span<const double>(a), std::span<const double>(b));
    INFO("pair " << i << ": " << t.reason);
    CHECK(t.reason.empty());
    CHECK(moments_of(a).n() == fx.count(w + "n_a"));
    CHECK(moments_of(b).n() == fx.count(w + "n_b"));
    ag.check(t.mean_difference, fx[w + "mean_difference"], w + "mean_difference");
    ag.check(t.se, fx[w + "se"], w + "se");
    ag.check(t.t, fx[w + "t"], w + "t");
    ag.check(t.df, fx[w + "df"], w + "df");
    ag.check(t.p, fx[w + "p"], w + "p");

    const effect_size_result d = cohens_d(std::span<const double>(a), std::span<const double>(b));
    const effect_size_result g = hedges_g(std::span<const double>(a), std::span<const double>(b));
    ag.check(d.pooled_sd, fx[e + "pooled_sd"], e + "pooled_sd");
    ag.check(d.value, fx[e + "cohens_d"], e + "cohens_d");
    ag.check(g.value, fx[e + "hedges_g"], e + "hedges_g");

    // The same from summaries, as a caller holding only n, mean and SD would compute them.
    const auto sa = moments_of(a).summary();
    const auto sb = moments_of(b).summary();
    REQUIRE(sa);
    REQUIRE(sb);
    ag.check(welch_t(*sa, *sb).t, fx[w + "t"], w + "t (summaries)");
    ag.check(welch_t(*sa, *sb).p, fx[w + "p"], w + "p (summaries)");
    ag.check(hedges_g(*sa, *sb).value, fx[e + "hedges_g"], e + "hedges_g (summaries)");

    // Swapping the samples flips the sign, as t.test(b, a) does.
    const welch_result swapped = welch_t(std::span<const double>(b), std::span<const double>(a));
    ag.check(swapped.t, -fx[w + "t"], w + "t (swapped)");
    ag.check(swapped.p, fx[w + "p"], w + "p (swapped)");
  }
  INFO("worst relative difference against R: " << std::scientific << ag.worst);
  CHECK(ag.worst <= 1e-9);
}

TEST_CASE("pearson and fisher_z_ci match R's cor.test", "[stats][compare][reference]") {
  const compare_fixture fx("fixtures/compare.txt");
  const auto data = read_csv("data/compare_cor.csv");
  agreement_tracker ag;
  for (int i = 1; i <= 2; ++i) {
    const std::string n = std::to_string(i);
    const std::string k = "cor." + n + ".";
    const auto& x = data.at("x" + n);
    const auto& y = data.at("y" + n);
    const correlation_result c = pearson(x, y);
    INFO("pair " << i << ": " << c.reason);
    CHECK(c.n == fx.count(k + "n"));
    CHECK(c.missing == x.size() - c.n);
    ag.check(c.r, fx[k + "r"], k + "r");
    const fisher_z_result ci = fisher_z_ci(c, fx[k + "level"]);
    CHECK(ci.reason.empty());
    ag.check(ci.z, fx[k + "z"], k + "z");
    ag.check(ci.se, fx[k + "se"], k + "se");
    ag.check(ci.lower, fx[k + "lower"], k + "lower");
    ag.check(ci.upper, fx[k + "upper"], k + "upper");
  }
  INFO("worst relative difference against R: " << std::scientific << ag.worst);
  CHECK(ag.worst <= 1e-9);
}

TEST_CASE("nps_difference matches the formulas of docs/statistics.md as computed in R", "[stats][compare][reference]") {
  const compare_fixture fx("fixtures/compare.txt");
  agreement_tracker ag;
  for (int i = 1; i <= 2; ++i) {
    const std::string k = "nps." + std::to_string(i) + ".";
    const nps_counts a{fx.count(k + "a.promoters"), fx.count(k + "a.passives"), fx.count(k + "a.detractors")};
    const nps_counts b{fx.count(k + "b.promoters"), fx.count(k + "b.passives"), fx.count(k + "b.detractors")};
    const nps_difference_result r = nps_difference(a, b);
    INFO("set " << i << ": " << r.reason);
    CHECK(r.reason.empty());
    ag.check(r.score_a, fx[k + "a.score"], k + "a.score");
    ag.check(r.se_a, fx[k + "a.se"], k + "a.se");
    ag.check(r.score_b, fx[k + "b.score"], k + "b.score");
    ag.check(r.se_b, fx[k + "b.se"], k + "b.se");
    ag.check(r.difference, fx[k + "difference"], k + "difference");
    ag.check(r.se, fx[k + "se"], k + "se");
    ag.check(r.z, fx[k + "z"], k + "z");
    ag.check(r.p, fx[k + "p"], k + "p");
  }
  INFO("worst relative difference against R: " << std::scientific << ag.worst);
  CHECK(ag.worst <= 1e-9);
}

TEST_CASE("key_drivers: Johnson's relative weights match base R and sum to lm's R^2", "[stats][drivers][reference]") {
  const compare_fixture fx("fixtures/compare.txt");
  const auto data = read_csv("data/compare_drivers.csv");
  const std::vector<std::string> names{"x1", "x2", "x3", "x4"};
  std::vector<std::span<const double>> xs;
  for (const auto& nm : names) {
    xs.emplace_back(data.at(nm));
  }
  const key_driver_result kd = key_drivers(xs, data.at("y"));
  INFO(kd.reason);
  CHECK(kd.reason.empty());
  CHECK(kd.n == fx.count("rw.n"));
  CHECK(kd.dropped == fx.count("rw.dropped"));
  REQUIRE(kd.drivers.size() == names.size());
  agreement_tracker ag;
  ag.check(kd.r_squared, fx["rw.r_squared"], "rw.r_squared");
  double sum = 0.0;
  double shares = 0.0;
  for (std::size_t j = 0; j < names.size(); ++j) {
    const std::string& nm = names[j];
    ag.check(kd.drivers[j].r, fx["rw.r[" + nm + "]"], "rw.r[" + nm + "]");
    ag.check(kd.drivers[j].raw_weight, fx["rw.weight[" + nm + "]"], "rw.weight[" + nm + "]");
    ag.check(kd.drivers[j].rescaled_weight, fx["rw.rescaled[" + nm + "]"], "rw.rescaled[" + nm + "]");
    sum += *kd.drivers[j].raw_weight;
    shares += *kd.drivers[j].rescaled_weight;
  }
  ag.check(sum, fx["rw.weight_sum"], "rw.weight_sum");
  CHECK(sum == Approx(*kd.r_squared).epsilon(1e-12));
  CHECK(shares == Approx(1.0).epsilon(1e-12));
  INFO("worst relative difference against R: " << std::scientific << ag.worst);
  CHECK(ag.worst <= 1e-9);

  // The overload on vectors gives the same bits.
  std::vector<std::vector<double>> cols;
  for (const auto& nm : names) {
    cols.push_back(data.at(nm));
  }
  const key_driver_result again = key_drivers(std::span<const std::vector<double>>(cols), data.at("y"));
  CHECK(*again.r_squared == *kd.r_squared);
}

// ---- hand-derived and degenerate cases --------------------------------------------------------------------------

TEST_CASE("nps_difference: a hand-derived case", "[stats][compare]") {
  // a: 50 promoters, 30 passives, 20 detractors of 100: p = .5, d = .2, score 30,
  //    SE^2 = 100^2 (0.7 - 0.09) / 100 = 61.
  // b: 30/40/30 of 100: score 0, SE^2 = 100^2 (0.6 - 0) / 100 = 60.
  // difference 30, SE = sqrt(61 + 60) = 11, z = 30 / 11, p = erfc(z / sqrt 2).
  const auto r = nps_difference({50, 30, 20}, {30, 40, 30});
  CHECK(r.reason.empty());
  CHECK(*r.score_a == Approx(30.0).epsilon(1e-14));
  CHECK(*r.se_a == Approx(std::sqrt(61.0)).epsilon(1e-14));
  CHECK(*r.score_b == 0.0);
  CHECK(*r.se_b == Approx(std::sqrt(60.0)).epsilon(1e-14));
  CHECK(*r.difference == Approx(30.0).epsilon(1e-14));
  CHECK(*r.se == Approx(11.0).epsilon(1e-14));
  CHECK(*r.z == Approx(30.0 / 11.0).epsilon(1e-14));
  CHECK(*r.p == Approx(std::erfc(30.0 / 11.0 / std::sqrt(2.0))).epsilon(1e-12));

  const auto swapped = nps_difference({30, 40, 30}, {50, 30, 20});
  CHECK(*swapped.difference == Approx(-30.0).epsilon(1e-14));
  CHECK(*swapped.p == Approx(*r.p).epsilon(1e-14));
}

TEST_CASE("nps_difference: empty groups and a zero SE give reasons, not NaN", "[stats][compare]") {
  const auto none = nps_difference({0, 0, 0}, {3, 4, 5});
  CHECK_FALSE(none.difference);
  CHECK_FALSE(none.score_a);
  CHECK(none.score_b);
  CHECK(none.reason == "group a has no NPS answers");
  CHECK(nps_difference({1, 0, 0}, {0, 0, 0}).reason == "group b has no NPS answers");
  CHECK(nps_difference({0, 0, 0}, {0, 0, 0}).reason == "neither group has NPS answers");

  // Everyone a promoter in a, everyone a detractor in b: difference 200 with SE 0, so no z.
  const auto certain = nps_difference({10, 0, 0}, {0, 0, 7});
  CHECK(*certain.difference == 200.0);
  CHECK(*certain.se == 0.0);
  CHECK_FALSE(certain.z);
  CHECK_FALSE(certain.p);
  CHECK_FALSE(certain.reason.empty());
}

TEST_CASE("welch_t: a hand-derived case and its sign convention", "[stats][compare]") {
  // a = {1, 2, 3}: mean 2, var 1; b = {2, 4, 6, 8}: mean 5, var 20/3.
  // va = 1/3, vb = 5/3, se = sqrt(2); t = (2 - 5) / sqrt(2);
  // df = 4 / ((1/9) / 2 + (25/9) / 3) = 4 / (1/18 + 50/54) = 4 / (53/54) = 216/53.
  const std::vector<double> a{1, 2, 3};
  const std::vector<double> b{2, 4, 6, 8};
  const auto t = welch_t(a, b);
  CHECK(*t.mean_difference == -3.0);
  CHECK(*t.se == Approx(std::sqrt(2.0)).epsilon(1e-14));
  CHECK(*t.t == Approx(-3.0 / std::sqrt(2.0)).epsilon(1e-14));
  CHECK(*t.df == Approx(216.0 / 53.0).epsilon(1e-14));
  CHECK(*t.p > 0.0);
  CHECK(*t.p < 1.0);

  // Cohen's d: pooled var = (2 * 1 + 3 * 20/3) / 5 = 22/5; g factor 1 - 3 / (28 - 9) = 16/19.
  const auto d = cohens_d(a, b);
  CHECK(*d.pooled_sd == Approx(std::sqrt(22.0 / 5.0)).epsilon(1e-14));
  CHECK(*d.value == Approx(-3.0 / std::sqrt(22.0 / 5.0)).epsilon(1e-14));
  CHECK(*hedges_g(a, b).value == Approx(*d.value * 16.0 / 19.0).epsilon(1e-14));

  // Summaries give the same as raw values; brace-initialised summaries pick the summary overload.
  const auto from_summaries = welch_t({3, 2.0, 1.0}, {4, 5.0, std::sqrt(20.0 / 3.0)});
  CHECK(*from_summaries.t == Approx(*t.t).epsilon(1e-14));
}

TEST_CASE("comparisons: too few values and zero variance give reasons, not NaN", "[stats][compare]") {
  const std::vector<double> one{3.0};
  const std::vector<double> flat{2.0, 2.0, 2.0};
  const std::vector<double> flat2{5.0, 5.0};
  const std::vector<double> some{1.0, 2.0, 4.0};
  const std::vector<double> missing{missing_value, 1.0, missing_value};

  const auto few = welch_t(one, some);
  CHECK_FALSE(few.t);
  CHECK_FALSE(few.df);
  CHECK_FALSE(few.p);
  CHECK(*few.mean_difference == Approx(3.0 - 7.0 / 3.0));
  CHECK(few.reason == "sample a has fewer than 2 values");
  CHECK(welch_t(some, missing).reason == "sample b has fewer than 2 values");
  CHECK(welch_t(std::vector<double>{}, std::vector<double>{}).reason == "both samples have fewer than 2 values");
  CHECK_FALSE(welch_t(std::vector<double>{}, some).mean_difference);

  const auto zero = welch_t(flat, flat2);
  CHECK(*zero.se == 0.0);
  CHECK_FALSE(zero.t);
  CHECK(zero.reason == "both samples have zero variance");
  // One flat sample is fine: all the uncertainty is in the other one, df = n_b - 1.
  const auto half = welch_t(flat, some);
  REQUIRE(half.t);
  CHECK(*half.df == Approx(2.0).epsilon(1e-14));

  CHECK_FALSE(cohens_d(flat, flat2).value);
  CHECK(cohens_d(flat, flat2).reason == "both samples have zero variance");
  CHECK_FALSE(hedges_g(one, some).value);
  CHECK(hedges_g(one, some).reason == "sample a has fewer than 2 values");

  for (const auto& r : {few, zero, half}) {
    CHECK(no_nan(r.t));
    CHECK(no_nan(r.df));
    CHECK(no_nan(r.p));
    CHECK(no_nan(r.se));
  }

  CHECK_THROWS_AS(welch_t(sample_summary{5, missing_value, 1.0}, sample_summary{5, 1.0, 1.0}), ethos::error);
  CHECK_THROWS_AS(cohens_d(sample_summary{5, 1.0, 1.0}, sample_summary{5, 1.0, -1.0}), ethos::error);
}

TEST_CASE("pearson and fisher_z_ci: degenerate inputs give reasons, not NaN", "[stats][compare]") {
  const std::vector<double> x{1, 2, 3, 4, 5};
  const std::vector<double> twice{2, 4, 6, 8, 10};
  const std::vector<double> flat{7, 7, 7, 7, 7};

  // Like R's cor(), a perfect line may come out a rounding short of 1 (sqrt(10) sqrt(40) > 20 in doubles);
  // it is not nudged, and its interval stays finite.
  const auto perfect = pearson(x, twice);
  REQUIRE(perfect.r);
  CHECK(*perfect.r == Approx(1.0).epsilon(1e-15));
  CHECK(*perfect.r <= 1.0);
  const auto near = fisher_z_ci(perfect);
  CHECK(no_nan(near.z));
  CHECK(no_nan(near.lower));
  CHECK(no_nan(near.upper));
  const auto ci = fisher_z_ci(1.0, 5);
  CHECK_FALSE(ci.z);
  CHECK_FALSE(ci.lower);
  CHECK_FALSE(ci.upper);
  CHECK(ci.reason == "|r| >= 1: Fisher's z is infinite");
  CHECK(fisher_z_ci(-1.0, 50).reason == "|r| >= 1: Fisher's z is infinite");
  CHECK_FALSE(fisher_z_ci(0.3, 3).lower);
  CHECK(fisher_z_ci(0.3, 3).reason == "needs more than 3 pairs (SE = 1 / sqrt(n - 3))");
  CHECK(fisher_z_ci(0.3, 4).lower);

  const auto constant = pearson(x, flat);
  CHECK_FALSE(constant.r);
  CHECK(constant.reason == "y is constant over the complete pairs");
  CHECK(fisher_z_ci(constant).reason == constant.reason);

  const std::vector<double> holes{missing_value, 2, missing_value, 4, 5};
  const std::vector<double> other{1, missing_value, 3, 4, missing_value};
  const auto thin = pearson(holes, other);
  CHECK(thin.n == 1);
  CHECK(thin.missing == 4);
  CHECK_FALSE(thin.r);
  CHECK(thin.reason == "fewer than 2 complete pairs");

  CHECK_THROWS_AS(pearson(x, std::vector<double>{1, 2}), ethos::error);
  CHECK_THROWS_AS(fisher_z_ci(0.5, 30, 1.0), ethos::error);
  CHECK_THROWS_AS(fisher_z_ci(0.5, 30, 0.0), ethos::error);
  CHECK_THROWS_AS(fisher_z_ci(missing_value, 30), ethos::error);
}

TEST_CASE("detail::jacobi_eigen decomposes a symmetric matrix", "[stats][drivers]") {
  // A 4 x 4 correlation-like matrix; V diag(lambda) V' must give it back and V must be orthonormal.
  const std::vector<double> m{1.0, 0.6, 0.3, 0.1, 0.6, 1.0, 0.4, -0.2, 0.3, 0.4, 1.0, 0.5, 0.1, -0.2, 0.5, 1.0};
  const std::size_t k = 4;
  std::vector<double> a = m;
  std::vector<double> v(k * k);
  REQUIRE(detail::jacobi_eigen(a, v, k));
  double trace = 0.0;
  for (std::size_t i = 0; i < k; ++i) {
    trace += a[i * k + i];
    for (std::size_t j = 0; j < k; ++j) {
      double back = 0.0;
      double dot = 0.0;
      for (std::size_t c = 0; c < k; ++c) {
        back += v[i * k + c] * a[c * k + c] * v[j * k + c];
        dot += v[c * k + i] * v[c * k + j];
      }
      CHECK(back == Approx(m[i * k + j]).margin(1e-14));
      CHECK(dot == Approx(i == j ? 1.0 : 0.0).margin(1e-14));
    }
  }
  CHECK(trace == Approx(4.0).epsilon(1e-14));
}

TEST_CASE("key_drivers: singular predictors and too few rows give reasons, not NaN", "[stats][drivers]") {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> noise(0.0, 1.0);
  const std::size_t n = 60;
  std::vector<double> x1(n), x2(n), y(n), flat(n, 3.0);
  for (std::size_t i = 0; i < n; ++i) {
    x1[i] = noise(rng);
    x2[i] = 0.5 * x1[i] + noise(rng);
    y[i] = x1[i] + x2[i] + noise(rng);
  }
  std::vector<double> x1_copy = x1;
  std::vector<double> x1_plus_x2(n);
  for (std::size_t i = 0; i < n; ++i) {
    x1_plus_x2[i] = x1[i] + x2[i];
  }

  const auto check_empty = [](const key_driver_result& r, const std::string& reason) {
    INFO(r.reason);
    CHECK(r.reason == reason);
    CHECK_FALSE(r.r_squared);
    for (const auto& d : r.drivers) {
      CHECK_FALSE(d.raw_weight);
      CHECK_FALSE(d.rescaled_weight);
      CHECK(no_nan(d.r));
    }
  };

  {
    const std::vector<std::span<const double>> xs{x1, x1_copy};
    const auto r = key_drivers(xs, y);
    check_empty(r, "the predictors are collinear (their correlation matrix is singular)");
    REQUIRE(r.drivers.size() == 2);
    CHECK(r.drivers[0].r); // correlations are still reported
  }
  {
    const std::vector<std::span<const double>> xs{x1, x2, x1_plus_x2};
    check_empty(key_drivers(xs, y), "the predictors are collinear (their correlation matrix is singular)");
  }
  {
    const std::vector<std::span<const double>> xs{x1, flat};
    const auto r = key_drivers(xs, y);
    check_empty(r, "predictor #2 is constant over the complete cases");
    CHECK_FALSE(r.drivers[1].r);
  }
  {
    const std::vector<std::span<const double>> xs{x1, x2};
    check_empty(key_drivers(xs, flat), "the outcome is constant over the complete cases");
  }
  {
    // k = 2 needs at least 4 complete rows: keep 3.
    std::vector<double> sparse_y(n, missing_value);
    sparse_y[0] = y[0];
    sparse_y[1] = y[1];
    sparse_y[2] = y[2];
    const std::vector<std::span<const double>> xs{x1, x2};
    const auto r = key_drivers(xs, sparse_y);
    check_empty(r, "needs more than k + 1 = 3 complete cases, has 3");
    CHECK(r.n == 3);
    CHECK(r.dropped == n - 3);
  }
  {
    const auto r = key_drivers(std::span<const std::span<const double>>{}, y);
    CHECK(r.reason == "no predictors");
    CHECK(r.drivers.empty());
    CHECK(r.n == n);
  }
  {
    const std::vector<std::span<const double>> xs{x1, std::span<const double>(x2).first(10)};
    CHECK_THROWS_AS(key_drivers(xs, y), ethos::error);
  }
  {
    // The well-posed case: weights are positive and sum to R^2, which lies in (0, 1).
    const std::vector<std::span<const double>> xs{x1, x2};
    const auto r = key_drivers(xs, y);
    REQUIRE(r.r_squared);
    CHECK(*r.r_squared > 0.0);
    CHECK(*r.r_squared < 1.0);
    CHECK(*r.drivers[0].raw_weight + *r.drivers[1].raw_weight == Approx(*r.r_squared).epsilon(1e-12));
    CHECK(r.reason.empty());
  }
}

TEST_CASE("key_drivers: one predictor's weight is r^2", "[stats][drivers]") {
  const std::vector<double> x{1, 2, 3, 4, 5, 6};
  const std::vector<double> y{2, 1, 4, 3, 6, 5};
  const std::vector<std::span<const double>> xs{x};
  const auto r = key_drivers(xs, y);
  const auto c = pearson(x, y);
  REQUIRE(r.r_squared);
  CHECK(*r.r_squared == Approx(*c.r * *c.r).epsilon(1e-14));
  CHECK(*r.drivers[0].raw_weight == Approx(*c.r * *c.r).epsilon(1e-14));
  CHECK(*r.drivers[0].rescaled_weight == Approx(1.0).epsilon(1e-14));
}

TEST_CASE("comparisons give codes beside the reasons", "[stats][compare][status]") {
  const std::vector<double> one{3.0};
  const std::vector<double> flat{2.0, 2.0, 2.0};
  const std::vector<double> flat2{5.0, 5.0};
  const std::vector<double> some{1.0, 2.0, 4.0};

  CHECK(welch_t(one, some).code == reason_code::too_few_cases);
  CHECK(welch_t(flat, flat2).code == reason_code::no_variance);
  CHECK(welch_t(flat, some).code == reason_code::none);
  CHECK(cohens_d(flat, flat2).code == reason_code::no_variance);
  CHECK(hedges_g(one, some).code == reason_code::too_few_cases);

  const std::vector<double> x{1, 2, 3, 4, 5};
  const std::vector<double> flat5{7, 7, 7, 7, 7};
  CHECK(fisher_z_ci(1.0, 5).code == reason_code::undefined);
  CHECK(fisher_z_ci(0.3, 3).code == reason_code::too_few_cases);
  const auto constant = pearson(x, flat5);
  CHECK(constant.code == reason_code::no_variance);
  CHECK(fisher_z_ci(constant).code == constant.code);
  CHECK(pearson(std::vector<double>{1.0}, std::vector<double>{2.0}).code == reason_code::too_few_cases);

  CHECK(nps_difference({0, 0, 0}, {3, 4, 5}).code == reason_code::no_data);
  CHECK(nps_difference({10, 0, 0}, {0, 0, 7}).code == reason_code::no_variance);
  CHECK(nps_difference({5, 3, 2}, {3, 4, 5}).code == reason_code::none);
}

TEST_CASE("key_drivers gives codes beside the reasons", "[stats][drivers][status]") {
  const std::vector<double> x1{1, 2, 3, 4, 5, 6};
  const std::vector<double> x2{2, 1, 4, 3, 6, 5};
  const std::vector<double> flat(6, 3.0);
  const std::vector<double> y{1, 3, 2, 5, 4, 6};
  {
    const std::vector<std::span<const double>> xs{x1, x1};
    CHECK(key_drivers(xs, y).code == reason_code::singular);
  }
  {
    const std::vector<std::span<const double>> xs{x1, flat};
    CHECK(key_drivers(xs, y).code == reason_code::no_variance);
  }
  {
    const std::vector<std::span<const double>> xs{x1, x2};
    CHECK(key_drivers(xs, flat).code == reason_code::no_variance);
    CHECK(key_drivers(xs, y).code == reason_code::none);
  }
  CHECK(key_drivers(std::span<const std::span<const double>>{}, y).code == reason_code::no_data);
}
