// Disclosure control: the audit against a brute-force check written independently here (exact rational rank
// over all unions of small atoms), hand-built leaking reports, and property tests that the suppression of
// protect_tree and protect_cells always yields reports the audit passes, with no hidden cell derivable.
#include "../support/checks.hpp"

#include <ethos/org/disclosure.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <numeric>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace {

using ethos::disclosure_cell;
using ethos::suppression;
using members = std::vector<std::uint32_t>;

members range(std::uint32_t from, std::uint32_t to) {
  members v(to - from);
  std::iota(v.begin(), v.end(), from);
  return v;
}

members join(members a, const members& b) {
  a.insert(a.end(), b.begin(), b.end());
  std::sort(a.begin(), a.end());
  return a;
}

// Rank over the rationals by fraction-free (Bareiss) elimination on small 0/1 matrices; independent of the
// modular arithmetic in the library.
std::size_t rational_rank(std::vector<std::vector<long long>> a) {
  const std::size_t rows = a.size();
  if (rows == 0) {
    return 0;
  }
  const std::size_t cols = a[0].size();
  std::size_t rank = 0;
  long long prev = 1;
  for (std::size_t c = 0; c < cols && rank < rows; ++c) {
    std::size_t piv = rank;
    while (piv < rows && a[piv][c] == 0) {
      ++piv;
    }
    if (piv == rows) {
      continue;
    }
    std::swap(a[piv], a[rank]);
    for (std::size_t r = rank + 1; r < rows; ++r) {
      for (std::size_t j = c + 1; j < cols; ++j) {
        a[r][j] = (a[rank][c] * a[r][j] - a[r][c] * a[rank][j]) / prev;
      }
      a[r][c] = 0;
    }
    prev = a[rank][c];
    ++rank;
  }
  return rank;
}

// Brute force: is there a union of atoms holding 1..k-1 elements whose indicator lies in the span of the
// cells? (Elements are persons.) Empty when there are too many small atoms to try every union.
std::optional<bool> brute_force_leak(const std::vector<disclosure_cell>& shown, std::size_t k) {
  for (const auto& c : shown) {
    if (!c.members.empty() && c.members.size() < k) {
      return true;
    }
  }
  std::map<std::uint32_t, std::vector<std::size_t>> sig;
  for (std::size_t c = 0; c < shown.size(); ++c) {
    for (const auto e : shown[c].members) {
      sig[e].push_back(c);
    }
  }
  std::map<std::vector<std::size_t>, std::size_t> atom_size;
  for (const auto& [e, s] : sig) {
    ++atom_size[s];
  }
  std::vector<std::vector<std::size_t>> atoms;
  std::vector<std::size_t> sizes;
  for (const auto& [s, n] : atom_size) {
    atoms.push_back(s);
    sizes.push_back(n);
  }
  std::vector<std::vector<long long>> m(shown.size(), std::vector<long long>(atoms.size(), 0));
  for (std::size_t a = 0; a < atoms.size(); ++a) {
    for (const auto c : atoms[a]) {
      m[c][a] = 1;
    }
  }
  const std::size_t base = rational_rank(m);
  std::vector<std::size_t> small;
  for (std::size_t a = 0; a < atoms.size(); ++a) {
    if (sizes[a] < k) {
      small.push_back(a);
    }
  }
  if (small.size() > 14) {
    return std::nullopt;
  }
  for (std::uint32_t mask = 1; mask < (1U << small.size()); ++mask) {
    std::size_t total = 0;
    std::vector<long long> v(atoms.size(), 0);
    for (std::size_t i = 0; i < small.size(); ++i) {
      if ((mask >> i) & 1U) {
        total += sizes[small[i]];
        v[small[i]] = 1;
      }
    }
    if (total >= k) {
      continue;
    }
    auto with = m;
    with.push_back(v);
    if (rational_rank(with) == base) {
      return true;
    }
  }
  return false;
}

std::vector<disclosure_cell> shown_only(const std::vector<disclosure_cell>& cells, const std::vector<suppression>& st) {
  std::vector<disclosure_cell> out;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (st[i] == suppression::none) {
      out.push_back(cells[i]);
    }
  }
  return out;
}

// A random tree of units with people attached directly to units (some to inner units), as cells.
struct random_org {
  std::vector<std::size_t> parent;
  std::vector<std::vector<std::uint32_t>> direct;
  std::vector<disclosure_cell> cells; // subtree members per unit
};

random_org make_org(std::mt19937& rng, std::size_t units, std::uint32_t max_direct) {
  random_org o;
  o.parent.push_back(static_cast<std::size_t>(-1));
  for (std::size_t u = 1; u < units; ++u) {
    o.parent.push_back(std::uniform_int_distribution<std::size_t>(0, u - 1)(rng));
  }
  std::uint32_t next = 0;
  o.direct.resize(units);
  for (std::size_t u = 0; u < units; ++u) {
    const auto n = std::uniform_int_distribution<std::uint32_t>(0, max_direct)(rng);
    for (std::uint32_t i = 0; i < n; ++i) {
      o.direct[u].push_back(next++);
    }
  }
  o.cells.resize(units);
  for (std::size_t u = units; u-- > 0;) {
    auto& c = o.cells[u];
    c.label = "u" + std::to_string(u);
    c.members = join(c.members, o.direct[u]);
    if (u > 0) {
      o.cells[o.parent[u]].members = join(o.cells[o.parent[u]].members, c.members);
    }
  }
  return o;
}

} // namespace

TEST_CASE("disclosure audit: each kind of leak is found and named", "[org][disclosure]") {
  // P = C1 + C2; C1 = b1 (10) + b2 (10); C2 = b1 (3) + b2 (10). C2 x b1 is withheld but derivable.
  const auto c1b1 = range(0, 10);
  const auto c1b2 = range(10, 20);
  const auto c2b1 = range(20, 23);
  const auto c2b2 = range(23, 33);
  std::vector<disclosure_cell> cells{
      {"P", range(0, 33)},        {"C1", join(c1b1, c1b2)}, {"C2", join(c2b1, c2b2)}, {"P b1", join(c1b1, c2b1)},
      {"P b2", join(c1b2, c2b2)}, {"C1 b1", c1b1},          {"C1 b2", c1b2},          {"C2 b2", c2b2}};
  const auto r = ethos::disclosure_audit(cells);
  CHECK_FALSE(r.passed);
  CHECK(r.complete);
  CHECK_FALSE(r.safe());
  CHECK(r.atoms == 4);
  CHECK(r.small_atoms == 1);
  REQUIRE(r.findings.size() == 3);
  CHECK(r.findings[0].kind == ethos::disclosure_leak::small_difference);
  CHECK(r.findings[0].message == "'P b1' minus 'C1 b1' leaves 3 person(s), fewer than 5");
  CHECK(r.findings[0].persons == c2b1);
  CHECK(r.findings[1].message == "'C2' minus 'C2 b2' leaves 3 person(s), fewer than 5");
  CHECK(r.findings[2].kind == ethos::disclosure_leak::derivable_set);
  CHECK(r.findings[2].persons == c2b1);
  CHECK(ethos::is_derivable(cells, c2b1));
  CHECK_FALSE(ethos::is_derivable(cells, range(20, 22))); // part of an atom: never derivable

  // A difference that only a combination of three cells reveals (no nested pair shows it).
  std::vector<disclosure_cell> three{{"C1", c1b1 /*10*/}, {"total b1", join(c1b1, c2b1)}, {"other", c1b2}};
  const auto r3 = ethos::disclosure_audit(three);
  CHECK_FALSE(r3.passed);

  std::vector<disclosure_cell> small{{"tiny", range(0, 2)}, {"big", range(0, 40)}};
  const auto rs = ethos::disclosure_audit(small, {.min_group_size = 3});
  REQUIRE_FALSE(rs.findings.empty());
  CHECK(rs.findings[0].kind == ethos::disclosure_leak::small_cell);
  CHECK(rs.findings[0].message == "'tiny' is shown with 2 person(s), fewer than 3");
}

TEST_CASE("disclosure audit: combinations only a span test finds", "[org][disclosure]") {
  // Rows and columns of a 2 x 2 table with all four margins: each interior cell holds 6 people, so no
  // margin differs from another by a nested subset, yet the table is safe (rank 3 of 4).
  const auto a = range(0, 6), b = range(6, 12), c = range(12, 18), d = range(18, 24);
  std::vector<disclosure_cell> margins{{"r1", join(a, b)}, {"r2", join(c, d)}, {"c1", join(a, c)}, {"c2", join(b, d)}};
  CHECK(ethos::disclosure_audit(margins).safe());
  // Adding one interior cell pins the whole table: every interior cell becomes derivable.
  auto pinned = margins;
  pinned.push_back({"a", a});
  CHECK(ethos::is_derivable(pinned, d));
  // With 4 people per interior cell that is a leak of four people, none of it a nested difference.
  const auto a4 = range(0, 4), b4 = range(4, 8), c4 = range(8, 12), d4 = range(12, 16);
  std::vector<disclosure_cell> t{
      {"r1", join(a4, b4)}, {"r2", join(c4, d4)}, {"c1", join(a4, c4)}, {"c2", join(b4, d4)}, {"all", range(0, 16)}};
  CHECK(ethos::disclosure_audit(t).safe());
  t.push_back({"a+d", join(a4, d4)});
  const auto r = ethos::disclosure_audit(t);
  CHECK_FALSE(r.passed);
  REQUIRE_FALSE(r.findings.empty());
  CHECK(r.findings.back().kind == ethos::disclosure_leak::derivable_set);
}

TEST_CASE("disclosure audit: persons behind several elements", "[org][disclosure]") {
  // Elements 0..9 are ratings; persons 0..4 gave two each. A cell of 4 ratings from 2 persons is small.
  const std::vector<std::uint32_t> person{0, 0, 1, 1, 2, 2, 3, 3, 4, 4};
  std::vector<disclosure_cell> cells{{"all", range(0, 10)}, {"some", range(0, 6)}};
  ethos::disclosure_options opt;
  opt.min_group_size = 3;
  opt.person_of = person;
  const auto r = ethos::disclosure_audit(cells, opt);
  CHECK_FALSE(r.passed);
  REQUIRE(r.findings.size() >= 1);
  CHECK(r.findings[0].kind == ethos::disclosure_leak::small_difference);
  CHECK(r.findings[0].persons == members{3, 4});
  opt.person_of = std::span<const std::uint32_t>(person.data(), 4);
  CHECK(ethos_test::error_of([&] { (void)ethos::disclosure_audit(cells, opt); }).find("has no person") !=
        std::string::npos);
}

TEST_CASE("disclosure audit: bad arguments", "[org][disclosure]") {
  std::vector<disclosure_cell> unsorted{{"x", {3, 1, 2, 4, 5}}};
  CHECK(ethos_test::error_of([&] { (void)ethos::disclosure_audit(unsorted); }) ==
        "disclosure: cell 'x': members are not sorted and unique");
  CHECK(ethos_test::error_of([&] { (void)ethos::disclosure_audit({}, {.min_group_size = 2}); }) ==
        "disclosure_audit: minimum group size 2 is below 3");
  std::vector<suppression> st(1);
  std::vector<int> keep(2);
  std::vector<unsigned char> fixed(1);
  CHECK(ethos_test::error_of([&] { (void)ethos::protect_cells(unsorted, st, keep, fixed); }) ==
        "protect_cells: status, keep and fixed must have one entry per cell");
  std::vector<std::size_t> parent{1, 0};
  std::vector<std::size_t> persons{5, 5};
  std::vector<suppression> ts(2);
  CHECK(ethos_test::error_of([&] { ethos::protect_tree(parent, persons, ts, 5); }) ==
        "protect_tree: the parent links form a cycle");
  std::vector<std::size_t> p2{static_cast<std::size_t>(-1), 0};
  std::vector<std::size_t> n2{5, 9};
  CHECK(ethos_test::error_of([&] { ethos::protect_tree(p2, n2, ts, 5); }) ==
        "protect_tree: unit #1 has more persons than its parent");
}

TEST_CASE("protect_tree: the next-smallest sibling joins a small remainder", "[org][disclosure]") {
  // Organisation 30: A 12, B 8, C 3 (too small), 7 attached to the organisation itself -> remainder 10: fine.
  std::vector<std::size_t> parent{static_cast<std::size_t>(-1), 0, 0, 0};
  std::vector<suppression> st(4);
  ethos::protect_tree(parent, std::vector<std::size_t>{30, 12, 8, 3}, st, 5);
  CHECK(st ==
        std::vector<suppression>{suppression::none, suppression::none, suppression::none, suppression::too_small});
  // Organisation 23 = A 12 + B 8 + C 3: the remainder is C alone, so B (the smallest shown) is hidden too.
  std::fill(st.begin(), st.end(), suppression::none);
  ethos::protect_tree(parent, std::vector<std::size_t>{23, 12, 8, 3}, st, 5);
  CHECK(st ==
        std::vector<suppression>{suppression::none, suppression::none, suppression::secondary, suppression::too_small});
  // Nested: hiding a unit exposes its shown children to the same rule one level up.
  // 0: 40 = 1 (20) + 2 (20); 1 = 3 (16) + 4 (4); 2 = 5 (10) + 6 (10).
  std::vector<std::size_t> p3{static_cast<std::size_t>(-1), 0, 0, 1, 1, 2, 2};
  std::vector<suppression> s3(7);
  ethos::protect_tree(p3, std::vector<std::size_t>{40, 20, 20, 16, 4, 10, 10}, s3, 5);
  CHECK(s3[4] == suppression::too_small);
  CHECK(s3[3] == suppression::secondary);
  CHECK(s3[1] == suppression::none);
}

TEST_CASE("protect_tree: random organisations pass the audit and hide nothing derivable", "[org][disclosure]") {
  std::mt19937 rng(20261122);
  int compared = 0;
  for (int trial = 0; trial < 120; ++trial) {
    const std::size_t k = 3 + static_cast<std::size_t>(trial % 4);
    const auto org = make_org(rng, 2 + static_cast<std::size_t>(trial % 14), 7);
    std::vector<std::size_t> persons;
    for (const auto& c : org.cells) {
      persons.push_back(c.members.size());
    }
    std::vector<suppression> st(org.cells.size());
    ethos::protect_tree(org.parent, persons, st, k);
    const auto shown = shown_only(org.cells, st);
    const auto audit = ethos::disclosure_audit(shown, {.min_group_size = k});
    INFO("trial " << trial);
    CHECK(audit.safe());
    CHECK(brute_force_leak(shown, k).value_or(false) == false);
    for (std::size_t u = 0; u < org.cells.size(); ++u) {
      if (st[u] != suppression::none && !org.cells[u].members.empty()) {
        CHECK_FALSE(ethos::is_derivable(shown, org.cells[u].members, {.min_group_size = k}));
      }
    }
    // The naive report (small units hidden, nothing else) leaks exactly when the brute force says so.
    std::vector<suppression> naive(org.cells.size());
    for (std::size_t u = 0; u < org.cells.size(); ++u) {
      naive[u] = persons[u] > 0 && persons[u] < k ? suppression::too_small : suppression::none;
    }
    const auto naive_shown = shown_only(org.cells, naive);
    const auto brute = brute_force_leak(naive_shown, k);
    if (brute) {
      ++compared;
      CHECK(ethos::disclosure_audit(naive_shown, {.min_group_size = k}).passed == !*brute);
    }
  }
  CHECK(compared > 100);
}

TEST_CASE("protect_cells: random unit x cut tables pass the audit", "[org][disclosure]") {
  std::mt19937 rng(7);
  int leaking_before = 0;
  for (int trial = 0; trial < 80; ++trial) {
    const std::size_t k = 3 + static_cast<std::size_t>(trial % 3);
    const auto org = make_org(rng, 2 + static_cast<std::size_t>(trial % 7), 9);
    const std::size_t levels = 2 + static_cast<std::size_t>(trial % 3);
    std::map<std::uint32_t, std::size_t> level;
    for (const auto& c : org.cells) {
      for (const auto e : c.members) {
        level.emplace(e, std::uniform_int_distribution<std::size_t>(0, levels)(rng)); // == levels: no level
      }
    }
    std::vector<std::size_t> persons;
    for (const auto& c : org.cells) {
      persons.push_back(c.members.size());
    }
    std::vector<suppression> ust(org.cells.size());
    ethos::protect_tree(org.parent, persons, ust, k);
    std::vector<disclosure_cell> cells;
    std::vector<suppression> st;
    std::vector<int> keep;
    std::vector<unsigned char> fixed;
    for (std::size_t u = 0; u < org.cells.size(); ++u) {
      if (ust[u] == suppression::none) {
        cells.push_back(org.cells[u]);
        st.push_back(suppression::none);
        keep.push_back(100);
        fixed.push_back(1);
      }
      for (std::size_t l = 0; l < levels; ++l) {
        disclosure_cell c{org.cells[u].label + " x " + std::to_string(l), {}};
        for (const auto e : org.cells[u].members) {
          if (level[e] == l) {
            c.members.push_back(e);
          }
        }
        if (c.members.empty()) {
          continue;
        }
        cells.push_back(std::move(c));
        st.push_back(ust[u] == suppression::none ? suppression::none : suppression::secondary);
        keep.push_back(0);
        fixed.push_back(0);
      }
    }
    const std::vector<suppression> before = st;
    std::vector<suppression> naive = st;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (naive[i] == suppression::none && cells[i].members.size() < k) {
        naive[i] = suppression::too_small;
      }
    }
    leaking_before += ethos::disclosure_audit(shown_only(cells, naive), {.min_group_size = k}).passed ? 0 : 1;
    CHECK(ethos::protect_cells(cells, st, keep, fixed, {.min_group_size = k}));
    const auto shown = shown_only(cells, st);
    INFO("trial " << trial);
    CHECK(ethos::disclosure_audit(shown, {.min_group_size = k}).safe());
    CHECK(brute_force_leak(shown, k).value_or(false) == false);
    for (std::size_t i = 0; i < cells.size(); ++i) {
      // Small cells and cells this call hid are never derivable; a cut cell of a hidden unit (hidden on entry,
      // k or more people) may coincide with shown cells, which reveals nothing about fewer than k people.
      if (st[i] != suppression::none && (cells[i].members.size() < k || before[i] == suppression::none)) {
        CHECK_FALSE(ethos::is_derivable(shown, cells[i].members, {.min_group_size = k}));
      }
      if (fixed[i] != 0) {
        CHECK(st[i] == suppression::none);
      }
    }
  }
  // The property is not vacuous: most random tables leak when only small cells are hidden.
  CHECK(leaking_before > 30);
}
