// Polychoric correlations and ordinal alpha against psych 2.2.9's polychoric() and a tight-tolerance solution of
// the same two-step estimate (tests/reference/make_fixtures_polychoric.R), the likelihood equation at the
// estimate, merging, keying, and the inputs that give no answer.
#include "../support/checks.hpp"
#include "../support/fixture.hpp"
#include "../support/reference_checks.hpp"

#include <ethos/stats/polychoric.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

namespace {

using ethos_test::error_of;

const ethos_test::fixture& poly_fixture() {
  static const ethos_test::fixture f(ethos_test::reference_fixture("polychoric"));
  return f;
}

// One dataset of data/polychoric_<name>.csv as byte columns (255: missing), with its items and keying as the
// fixture records them.
struct poly_dataset {
  std::string name;
  std::vector<std::string> items;
  std::vector<bool> reverse;
  int lo = 0;
  int hi = 0;
  std::size_t rows = 0;
  std::vector<std::vector<std::uint8_t>> columns;

  [[nodiscard]] std::vector<const std::uint8_t*> pointers(std::size_t first = 0) const {
    std::vector<const std::uint8_t*> out;
    for (const auto& c : columns) {
      out.push_back(c.data() + first);
    }
    return out;
  }

  [[nodiscard]] ethos::polychoric_accumulator accumulate() const {
    ethos::polychoric_accumulator acc(items.size(), lo, hi, reverse);
    acc.add(pointers(), rows);
    return acc;
  }

  [[nodiscard]] std::string key(const std::string& what, std::size_t i, std::size_t j) const {
    return name + "." + what + "[" + items[i] + "," + items[j] + "]";
  }
};

poly_dataset load_poly(const std::string& name) {
  const auto& f = poly_fixture();
  poly_dataset d;
  d.name = name;
  const std::string prefix = name + ".reverse[";
  for (const auto& key : f.keys_with_prefix(prefix)) {
    d.items.push_back(key.substr(prefix.size(), key.size() - prefix.size() - 1));
    d.reverse.push_back(f.value(key) == 1.0);
  }
  d.lo = static_cast<int>(f.value(name + ".scale_min"));
  d.hi = static_cast<int>(f.value(name + ".scale_max"));
  const auto t = ethos_test::read_csv(ethos_test::reference_data("polychoric_" + name));
  d.rows = t.rows.size();
  for (const auto& item : d.items) {
    const std::size_t c = t.column(item);
    std::vector<std::uint8_t> col;
    for (const auto& r : t.rows) {
      col.push_back(r[c].empty() ? std::uint8_t{255} : static_cast<std::uint8_t>(std::stoi(r[c])));
    }
    d.columns.push_back(std::move(col));
  }
  return d;
}

bool is_dropped(const ethos::polychoric_result& r, std::size_t i) {
  return std::find(r.dropped.begin(), r.dropped.end(), i) != r.dropped.end();
}

// Every figure of one dataset against the fixture: thresholds, pairwise n, psych's matrix to 2e-3, the tight
// reference to 1e-11 (relative), the likelihood equation at each estimate, ordinal alpha.
void check_dataset(const std::string& name) {
  const auto& f = poly_fixture();
  const auto d = load_poly(name);
  REQUIRE(static_cast<double>(d.rows) == f.value(name + ".rows"));
  const auto acc = d.accumulate();
  const auto r = acc.polychoric();
  const std::size_t k = d.items.size();
  REQUIRE(r.code == ethos::reason_code::none);
  CHECK(r.global == (f.value(name + ".global") == 1.0));
  CHECK(r.smoothed == (f.value(name + ".smoothed") == 1.0));
  CHECK(static_cast<double>(r.corrected_pairs) == f.value(name + ".fixed"));
  double worst_psych = 0.0;
  double worst_tight = 0.0;
  double worst_score = 0.0;
  for (std::size_t i = 0; i < k; ++i) {
    const std::string item_key = name + ".dropped[" + d.items[i] + "]";
    CHECK(is_dropped(r, i) == f.has(item_key));
    if (is_dropped(r, i)) {
      CHECK_FALSE(r.item_reason[i].empty());
      CHECK(r.thresholds[i].empty());
      continue;
    }
    CHECK(r.item_reason[i].empty());
    REQUIRE(r.thresholds[i].size() == static_cast<std::size_t>(d.hi - d.lo));
    for (int c = d.lo; c < d.hi; ++c) {
      const std::string key = name + ".psych.tau[" + d.items[i] + "," + std::to_string(c) + "]";
      const double ours = r.thresholds[i][static_cast<std::size_t>(c - d.lo)];
      const double ref = f.value(key);
      INFO(key << ": ours " << ours << ", psych " << ref);
      if (std::isinf(ref)) {
        CHECK(ours == ref);
      } else {
        CHECK(std::abs(ours - ref) <= 1e-12);
      }
    }
  }
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t j = 0; j < k; ++j) {
      if (i == j) {
        CHECK(r.rho[i * k + j] == 1.0);
        continue;
      }
      if (is_dropped(r, i) || is_dropped(r, j)) {
        CHECK(std::isnan(r.rho[i * k + j]));
        continue;
      }
      CHECK(static_cast<double>(r.n[i * k + j]) == f.value(d.key("n", i, j)));
      const double est = r.estimates[i * k + j];
      const double rho = r.rho[i * k + j];
      worst_psych = std::max(worst_psych, std::abs(rho - f.value(d.key("psych.rho", i, j))));
      worst_tight = std::max(worst_tight, std::abs(est - f.value(d.key("tight.raw", i, j))));
      worst_tight = std::max(worst_tight, std::abs(rho - f.value(d.key("tight.rho", i, j))));
      ethos_test::check_near(rho, f, d.key("psych.rho", i, j), 2e-3);
      ethos_test::check_near(est, f, d.key("tight.raw", i, j), 1e-11);
      ethos_test::check_near(rho, f, d.key("tight.rho", i, j), 1e-11);
      const auto l = acc.pair_likelihood(i, j, est);
      INFO(d.key("score", i, j) << ": " << l.score << " of " << l.scale);
      CHECK(std::isfinite(l.log_likelihood));
      CHECK(std::abs(l.score) <= 1e-10 * l.scale);
      worst_score = std::max(worst_score, std::abs(l.score) / l.scale);
    }
  }
  const auto a = ethos::ordinal_alpha(r);
  REQUIRE(a.alpha.has_value());
  CHECK(a.code == ethos::reason_code::none);
  CHECK(a.items == k - r.dropped.size());
  INFO(name << ": max |rho - psych| " << worst_psych << ", max |rho - tight| " << worst_tight << ", alpha " << *a.alpha
            << ", max |score| / scale " << worst_score);
  ethos_test::check_near(*a.alpha, f, name + ".psych.alpha", 2e-3);
  ethos_test::check_near(*a.alpha, f, name + ".tight.alpha", 1e-11);
}

} // namespace

TEST_CASE("polychoric: a 5-point survey with a reverse-keyed item and missing answers, as psych", "[polychoric]") {
  check_dataset("likert5");
}

TEST_CASE("polychoric: a 7-point survey, as psych", "[polychoric]") { check_dataset("likert7"); }

TEST_CASE("polychoric: a category nobody used and an item with a single category, as psych", "[polychoric]") {
  check_dataset("unused");
  const auto d = load_poly("unused");
  const auto r = d.accumulate().polychoric();
  // u2's answers skip 2: its first two thresholds coincide; u5 is left out with a reason, not a crash
  CHECK(r.thresholds[1][0] == r.thresholds[1][1]);
  REQUIRE(r.dropped == std::vector<std::size_t>{4});
  CHECK(r.item_reason[4].find("single category") != std::string::npos);
  CHECK(r.item_reason[4].find("item 5") != std::string::npos);
  CHECK(ethos::ordinal_alpha(r).items == 4);
  CHECK(std::isnan(d.accumulate().pair_likelihood(4, 0, 0.3).score));
}

TEST_CASE("polychoric: items whose highest answers differ take per-pair thresholds and corrected cells, as psych",
          "[polychoric]") {
  check_dataset("sparse");
}

TEST_CASE("polychoric: a planned-missing design that is not positive definite is smoothed, as psych", "[polychoric]") {
  check_dataset("nonpd");
}

TEST_CASE("polychoric: merging two parts equals one pass", "[polychoric]") {
  const auto d = load_poly("likert5");
  const auto whole = d.accumulate();
  const std::size_t cut = 173;
  ethos::polychoric_accumulator first(d.items.size(), d.lo, d.hi, d.reverse);
  ethos::polychoric_accumulator second(d.items.size(), d.lo, d.hi, d.reverse);
  first.add(d.pointers(), cut);
  second.add(d.pointers(cut), d.rows - cut);
  CHECK_FALSE(first == whole);
  first.merge(second);
  CHECK(first == whole);
  CHECK(first.rows() == d.rows);
  const auto a = first.polychoric();
  const auto b = whole.polychoric();
  REQUIRE(a.rho.size() == b.rho.size());
  CHECK(std::memcmp(a.rho.data(), b.rho.data(), a.rho.size() * sizeof(double)) == 0);
  CHECK(a.n == b.n);
}

TEST_CASE("polychoric: reverse keying equals answers turned round beforehand", "[polychoric]") {
  const auto d = load_poly("likert5");
  auto turned = d;
  for (std::size_t i = 0; i < d.items.size(); ++i) {
    if (d.reverse[i]) {
      for (auto& x : turned.columns[i]) {
        if (x != 255) {
          x = static_cast<std::uint8_t>(d.lo + d.hi - x);
        }
      }
    }
  }
  ethos::polychoric_accumulator plain(d.items.size(), d.lo, d.hi);
  plain.add(turned.pointers(), d.rows);
  const auto keyed = d.accumulate();
  for (std::size_t i = 0; i < d.items.size(); ++i) {
    CHECK(std::ranges::equal(plain.counts(i), keyed.counts(i)));
  }
  CHECK(plain.table(2, 0) == keyed.table(2, 0));
  CHECK(plain.table(0, 2) == keyed.table(0, 2));
  CHECK(plain.polychoric().rho == keyed.polychoric().rho);
  CHECK_FALSE(plain == keyed);
}

TEST_CASE("polychoric: missing answers count pairwise, rows without answers count in rows() only", "[polychoric]") {
  const std::vector<std::uint8_t> x = {1, 2, 3, 255, 255, 2};
  const std::vector<std::uint8_t> y = {2, 255, 3, 1, 255, 1};
  const std::vector<const std::uint8_t*> cols = {x.data(), y.data()};
  ethos::polychoric_accumulator acc(2, 1, 3);
  acc.add(cols, x.size());
  CHECK(acc.rows() == 6);
  CHECK(std::ranges::equal(acc.counts(0), std::vector<std::uint64_t>{1, 2, 1}));
  CHECK(std::ranges::equal(acc.counts(1), std::vector<std::uint64_t>{2, 1, 1}));
  // rows answering both: (1,2), (3,3), (2,1)
  CHECK(acc.table(0, 1) == std::vector<std::uint64_t>{0, 1, 0, 1, 0, 0, 0, 0, 1});
  CHECK(acc.table(1, 0) == std::vector<std::uint64_t>{0, 1, 0, 1, 0, 0, 0, 0, 1});
  const auto r = acc.polychoric();
  CHECK(r.n == std::vector<std::uint64_t>{4, 3, 3, 4});
}

TEST_CASE("polychoric: too few usable items give a reason, not a matrix", "[polychoric]") {
  const std::vector<std::uint8_t> x = {1, 2, 3, 4, 5, 2};
  const std::vector<std::uint8_t> y = {3, 3, 3, 255, 3, 3};
  const std::vector<const std::uint8_t*> cols = {x.data(), y.data()};
  ethos::polychoric_accumulator acc(2, 1, 5);
  acc.add(cols, x.size());
  const auto r = acc.polychoric();
  CHECK(r.code == ethos::reason_code::too_few_items);
  CHECK_FALSE(r.reason.empty());
  CHECK(r.dropped == std::vector<std::size_t>{1});
  CHECK(r.item_reason[1].find("item 2") != std::string::npos);
  CHECK(std::isnan(r.rho[1]));
  const auto a = ethos::ordinal_alpha(r);
  CHECK_FALSE(a.alpha.has_value());
  CHECK(a.code == ethos::reason_code::depends_on_other);
}

TEST_CASE("polychoric: bad input is refused with the place and the reason", "[polychoric]") {
  const std::vector<std::uint8_t> x = {1, 2, 3};
  const std::vector<std::uint8_t> y = {2, 9, 1};
  const std::vector<const std::uint8_t*> cols = {x.data(), y.data()};
  ethos::polychoric_accumulator acc(2, 1, 5);
  CHECK(error_of([&] { acc.add(cols, 3); }) == "polychoric: column 2, row 2: answer 9 is off the scale 1..5");
  CHECK(acc.rows() == 0);
  CHECK(std::ranges::equal(acc.counts(0), std::vector<std::uint64_t>(5, 0)));
  const std::vector<const std::uint8_t*> one = {x.data()};
  CHECK(error_of([&] { acc.add(one, 3); }) == "polychoric: 1 columns given to an accumulator of 2");
  ethos::polychoric_accumulator other(2, 1, 7);
  CHECK(error_of([&] { acc.merge(other); }).find("polychoric: cannot merge accumulators of different designs") == 0);
  ethos::polychoric_accumulator keyed(2, 1, 5, {true, false});
  CHECK(error_of([&] { acc.merge(keyed); }).find("other reverse keying") != std::string::npos);
  CHECK(error_of([] { ethos::polychoric_accumulator(0, 1, 5); }) == "polychoric: no columns");
  CHECK(error_of([] { ethos::polychoric_accumulator(2, 5, 1); }).find("scale 5..1") != std::string::npos);
  CHECK(error_of([] { ethos::polychoric_accumulator(2, 0, 30); }).find("31 categories") != std::string::npos);
  CHECK(error_of([] { ethos::polychoric_accumulator(2, 1, 5, {true}); }) ==
        "polychoric: 1 reverse flags for 2 columns");
  CHECK(error_of([&] { (void)acc.pair_likelihood(1, 1, 0.0); }).find("items 2 and 2") != std::string::npos);
}
