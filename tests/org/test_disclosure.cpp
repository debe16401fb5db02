// Disclosure control: the audit against a brute-force check written independently here (exact rational rank
// over all unions of small atoms), hand-built leaking reports, and property tests that the suppression of
// protect_tree and protect_cells always yields reports the audit passes, with no hidden cell derivable.
#include "../support/checks.hpp"

#include <ethos/org/disclosure.hpp>
// After disclosure.hpp: in header-only mode that header brings in the definitions, which need this one whole.
#include <ethos/org/detail/classes.hpp>

#include <boost/multiprecision/cpp_int.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <numeric>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
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

// Rank over the rationals by fraction-free (Bareiss) elimination with exact big integers; independent of the
// modular arithmetic in the library.
std::size_t rational_rank(std::vector<std::vector<boost::multiprecision::cpp_int>> a) {
  const std::size_t rows = a.size();
  if (rows == 0) {
    return 0;
  }
  const std::size_t cols = a[0].size();
  std::size_t rank = 0;
  boost::multiprecision::cpp_int prev = 1;
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

// Brute force: is there a vector in the span of the cells (over the rationals, any signs and coefficients) that is
// not zero and whose support holds 1..k-1 persons? Such a support is a union of small atoms T, and a span vector
// supported within T exists exactly when deleting T's columns lowers the rank. Every union of small atoms with
// fewer than k persons is tried. `person` maps elements to persons (empty: elements are persons). Empty when there
// are too many small atoms to try every union.
std::optional<bool> brute_force_leak(const std::vector<disclosure_cell>& shown, std::size_t k,
                                     const std::vector<std::uint32_t>& person = {}) {
  const auto person_of = [&](std::uint32_t e) { return person.empty() ? e : person[e]; };
  std::map<std::uint32_t, std::vector<std::size_t>> sig;
  for (std::size_t c = 0; c < shown.size(); ++c) {
    for (const auto e : shown[c].members) {
      sig[e].push_back(c);
    }
  }
  std::map<std::vector<std::size_t>, std::set<std::uint32_t>> atom_persons;
  for (const auto& [e, s] : sig) {
    atom_persons[s].insert(person_of(e));
  }
  std::vector<std::vector<std::size_t>> atoms;
  std::vector<std::set<std::uint32_t>> persons;
  for (const auto& [s, ps] : atom_persons) {
    atoms.push_back(s);
    persons.push_back(ps);
  }
  using big = boost::multiprecision::cpp_int;
  const auto matrix_without = [&](const std::vector<std::size_t>& drop) {
    std::vector<std::vector<big>> m(shown.size());
    for (auto& row : m) {
      row.reserve(atoms.size());
    }
    for (std::size_t a = 0; a < atoms.size(); ++a) {
      if (std::find(drop.begin(), drop.end(), a) != drop.end()) {
        continue;
      }
      for (std::size_t c = 0; c < shown.size(); ++c) {
        m[c].push_back(std::find(atoms[a].begin(), atoms[a].end(), c) != atoms[a].end() ? 1 : 0);
      }
    }
    return m;
  };
  const std::size_t base = rational_rank(matrix_without({}));
  std::vector<std::size_t> small;
  for (std::size_t a = 0; a < atoms.size(); ++a) {
    if (persons[a].size() < k) {
      small.push_back(a);
    }
  }
  if (small.size() > 14) {
    return std::nullopt;
  }
  for (std::uint32_t mask = 1; mask < (1U << small.size()); ++mask) {
    std::set<std::uint32_t> total;
    std::vector<std::size_t> drop;
    for (std::size_t i = 0; i < small.size(); ++i) {
      if ((mask >> i) & 1U) {
        total.insert(persons[small[i]].begin(), persons[small[i]].end());
        drop.push_back(small[i]);
      }
    }
    if (total.size() >= k) {
      continue;
    }
    if (rational_rank(matrix_without(drop)) < base) {
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

// A random unit x cut table: the units (shown ones fixed, after protect_tree) and every unit x level cell (hidden
// when its unit is), the cut cells kept at 0 or, with `random_keep`, at 0..2.
struct cut_table {
  std::vector<disclosure_cell> cells;
  std::vector<suppression> status;
  std::vector<int> keep;
  std::vector<unsigned char> fixed;
};

cut_table make_cut_table(std::mt19937& rng, int trial, bool random_keep) {
  const std::size_t k = 3 + static_cast<std::size_t>(trial % 3);
  const auto org = make_org(rng, 2 + static_cast<std::size_t>(trial % 7), 9);
  const std::size_t levels = 2 + static_cast<std::size_t>(trial % 3);
  std::map<std::uint32_t, std::size_t> level;
  for (const auto& c : org.cells) {
    for (const auto e : c.members) {
      level.emplace(e, std::uniform_int_distribution<std::size_t>(0, levels)(rng));
    }
  }
  std::vector<std::size_t> persons;
  for (const auto& c : org.cells) {
    persons.push_back(c.members.size());
  }
  std::vector<suppression> ust(org.cells.size());
  ethos::protect_tree(org.parent, persons, ust, k);
  cut_table t;
  for (std::size_t u = 0; u < org.cells.size(); ++u) {
    if (ust[u] == suppression::none) {
      t.cells.push_back(org.cells[u]);
      t.status.push_back(suppression::none);
      t.keep.push_back(100);
      t.fixed.push_back(1);
    }
    for (std::size_t l = 0; l < levels; ++l) {
      disclosure_cell c{org.cells[u].label + " x " + std::to_string(l), {}};
      for (const auto e : org.cells[u].members) {
        if (level[e] == l) {
          c.members.push_back(e);
        }
      }
      if (!c.members.empty()) {
        t.cells.push_back(std::move(c));
        t.status.push_back(ust[u] == suppression::none ? suppression::none : suppression::secondary);
        t.keep.push_back(random_keep ? static_cast<int>(rng() % 3) : 0);
        t.fixed.push_back(0);
      }
    }
  }
  return t;
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
    auto table = make_cut_table(rng, trial, false);
    const auto& cells = table.cells;
    auto& st = table.status;
    const auto& keep = table.keep;
    const auto& fixed = table.fixed;
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

TEST_CASE("disclosure audit: signed combinations are leaks too", "[org][disclosure]") {
  // Group A holds the shared 20 and person 20; unit A holds the shared 20 and person 21 (their group label and unit
  // path disagree). No union of atoms is derivable, but group A minus unit A is person 20's score minus person
  // 21's: each of the two, knowing their own answers, learns the other's.
  const auto shared = range(0, 20);
  std::vector<disclosure_cell> cells{{"group A", join(shared, {20})}, {"unit A", join(shared, {21})}};
  const auto r = ethos::disclosure_audit(cells);
  CHECK_FALSE(r.passed);
  CHECK(r.complete);
  CHECK(r.small_dimension == 1);
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].kind == ethos::disclosure_leak::derivable_set);
  CHECK(r.findings[0].persons == members{20, 21});
  CHECK(r.findings[0].cells == std::vector<std::size_t>{0, 1});
  CHECK(r.findings[0].message ==
        "a combination of 2 shown cells ('group A', 'unit A') isolates 2 person(s), fewer than 5");
  CHECK(brute_force_leak(cells, 5) == true);
  // Neither difference alone is derivable as a set total.
  CHECK_FALSE(ethos::is_derivable(cells, members{20}));
  CHECK_FALSE(ethos::is_derivable(cells, members{20, 21}));
  // With five people on each side the difference holds ten persons: safe.
  std::vector<disclosure_cell> wide{{"group A", join(shared, range(20, 25))}, {"unit A", join(shared, range(25, 30))}};
  CHECK(ethos::disclosure_audit(wide).safe());
  // protect_cells hides one of the two.
  std::vector<suppression> st(2);
  std::vector<int> keep{0, 1};
  std::vector<unsigned char> fixed{0, 0};
  CHECK(ethos::protect_cells(cells, st, keep, fixed));
  CHECK(st == std::vector<suppression>{suppression::secondary, suppression::none});
}

TEST_CASE("disclosure audit: random cell families agree with an exact rational brute force", "[org][disclosure]") {
  std::mt19937 rng(14);
  int leaks = 0;
  int safe = 0;
  int signed_only = 0;
  for (int trial = 0; trial < 400; ++trial) {
    const std::size_t k = 3 + static_cast<std::size_t>(trial % 3);
    const std::uint32_t population = 10 + static_cast<std::uint32_t>(trial % 13);
    const std::size_t ncells = 2 + static_cast<std::size_t>(trial % 6);
    std::vector<disclosure_cell> cells;
    for (std::size_t c = 0; c < ncells; ++c) {
      // Big overlapping blocks make small atoms: keep each element with a probability near 0.5 to 0.9.
      const double p = 0.5 + 0.4 * std::uniform_real_distribution<double>(0, 1)(rng);
      disclosure_cell cell{"c" + std::to_string(c), {}};
      for (std::uint32_t e = 0; e < population; ++e) {
        if (std::bernoulli_distribution(p)(rng)) {
          cell.members.push_back(e);
        }
      }
      if (cell.members.size() >= k) {
        cells.push_back(std::move(cell));
      }
    }
    // Persons: in a third of the trials some persons hold two elements.
    std::vector<std::uint32_t> person;
    if (trial % 3 == 2) {
      for (std::uint32_t e = 0; e < population; ++e) {
        person.push_back(e / 2);
      }
    }
    const auto brute = brute_force_leak(cells, k, person);
    if (!brute) {
      continue;
    }
    ethos::disclosure_options opt;
    opt.min_group_size = k;
    opt.person_of = person;
    const auto r = ethos::disclosure_audit(cells, opt);
    INFO("trial " << trial);
    REQUIRE(r.complete);
    CHECK(r.passed == !*brute);
    if (*brute) {
      ++leaks;
      // Every finding names persons that really are isolated: fewer than k, and the rank drops without them.
      for (const auto& f : r.findings) {
        CHECK(f.persons.size() < k);
        CHECK_FALSE(f.persons.empty());
      }
      bool only_signed = true;
      for (const auto& f : r.findings) {
        only_signed = only_signed && f.kind == ethos::disclosure_leak::derivable_set;
      }
      signed_only += only_signed ? 1 : 0;
    } else {
      ++safe;
    }
    // protect_cells always ends in a family the brute force finds safe.
    std::vector<suppression> st(cells.size());
    std::vector<int> keep(cells.size(), 0);
    std::vector<unsigned char> fixed(cells.size(), 0);
    CHECK(ethos::protect_cells(cells, st, keep, fixed, opt));
    CHECK(brute_force_leak(shown_only(cells, st), k, person) == false);
  }
  // Not vacuous: both outcomes occur, and some leaks are found by the general search only.
  CHECK(leaks > 50);
  CHECK(safe > 50);
  CHECK(signed_only > 5);
}

// The scale work: protect_tree in one pass, and the suppression and the audit over classes of counted persons.
namespace {

// protect_tree as 0.2.0 wrote it: after each decision, the coverage of every unit worked out again and the first
// unit (children first) with a small residual settled. Quadratic, kept as the reference the one-pass version must
// equal decision for decision.
void reference_protect_tree(const std::vector<std::size_t>& parent, const std::vector<std::size_t>& persons,
                            std::vector<suppression>& status, std::size_t min_group_size) {
  const std::size_t n = parent.size();
  if (persons.size() != n || status.size() != n) {
    throw std::runtime_error("protect_tree: parent, persons and status must have one entry per unit");
  }
  const std::size_t k = min_group_size;
  std::vector<std::vector<std::size_t>> children(n);
  std::vector<std::size_t> roots;
  for (std::size_t u = 0; u < n; ++u) {
    if (parent[u] < n) {
      children[parent[u]].push_back(u);
      if (persons[u] > persons[parent[u]]) {
        throw std::runtime_error("protect_tree: unit #" + std::to_string(u) + " has more persons than its parent");
      }
    } else {
      roots.push_back(u);
    }
  }
  // Post-order (children before parents); a cycle leaves units unvisited.
  std::vector<std::size_t> post;
  post.reserve(n);
  {
    std::vector<std::pair<std::size_t, std::size_t>> stack;
    for (const auto r : roots) {
      stack.emplace_back(r, 0);
      while (!stack.empty()) {
        auto& [u, next] = stack.back();
        if (next < children[u].size()) {
          const std::size_t c = children[u][next++];
          stack.emplace_back(c, 0);
        } else {
          post.push_back(u);
          stack.pop_back();
        }
      }
    }
  }
  if (post.size() != n) {
    throw std::runtime_error("protect_tree: the parent links form a cycle");
  }
  for (std::size_t u = 0; u < n; ++u) {
    if (status[u] == suppression::none && persons[u] > 0 && persons[u] < k) {
      status[u] = suppression::too_small;
    }
  }
  std::vector<std::size_t> covered(n); // persons in shown cells strictly below u (maximal ones)
  for (;;) {
    for (const auto u : post) {
      covered[u] = 0;
      for (const auto c : children[u]) {
        covered[u] += status[c] == suppression::none ? persons[c] : covered[c];
      }
    }
    bool changed = false;
    for (const auto u : post) {
      if (status[u] != suppression::none) {
        continue;
      }
      const std::size_t residual = persons[u] - covered[u];
      if (residual == 0 || residual >= k) {
        continue;
      }
      // Smallest maximal shown cell below u whose hiding adds people to the remainder (a cell fully covered by
      // shown cells below it adds none); if there is none, the smallest of all, to make progress.
      std::optional<std::size_t> smallest;
      std::optional<std::size_t> smallest_any;
      const auto better = [&](std::size_t c, const std::optional<std::size_t>& than) {
        return !than || persons[c] < persons[*than] || (persons[c] == persons[*than] && c < *than);
      };
      std::vector<std::size_t> todo(children[u].begin(), children[u].end());
      while (!todo.empty()) {
        const std::size_t c = todo.back();
        todo.pop_back();
        if (status[c] == suppression::none) {
          if (persons[c] > covered[c] && better(c, smallest)) {
            smallest = c;
          }
          if (better(c, smallest_any)) {
            smallest_any = c;
          }
        } else {
          todo.insert(todo.end(), children[c].begin(), children[c].end());
        }
      }
      if (!smallest) {
        smallest = smallest_any;
      }
      if (!smallest) {
        throw std::runtime_error("protect_tree: unit #" + std::to_string(u) +
                                 " has a residual but nothing below it is shown");
      }
      status[*smallest] = suppression::secondary;
      changed = true;
      break; // recompute coverage before the next decision
    }
    if (!changed) {
      return;
    }
  }
}

// A random tree: chains, stars and bushes by turns, persons consistent (a unit holds its children plus people of its
// own), some units hidden on entry.
void random_tree(std::mt19937& rng, std::size_t n, std::vector<std::size_t>& parent, std::vector<std::size_t>& persons,
                 std::vector<suppression>& status) {
  parent.assign(n, static_cast<std::size_t>(-1));
  const int shape = static_cast<int>(rng() % 3);
  for (std::size_t u = 1; u < n; ++u) {
    parent[u] = shape == 0 ? u - 1 : shape == 1 ? 0 : std::uniform_int_distribution<std::size_t>(0, u - 1)(rng);
  }
  persons.assign(n, 0);
  for (std::size_t u = n; u-- > 0;) {
    persons[u] += std::uniform_int_distribution<std::size_t>(0, 9)(rng);
    if (u > 0) {
      persons[parent[u]] += persons[u];
    }
  }
  status.assign(n, suppression::none);
  for (auto& s : status) {
    if (rng() % 13 == 0) {
      s = suppression::secondary;
    }
  }
}

// Classes of the elements of member cells, worked out here with a map (independently of the library): elements
// held by exactly the same cells form one class of that many persons.
// The audit over persons (a) and over their counted classes (b) agree on every figure, finding for finding.
void check_same_audit(const ethos::disclosure_audit_result& a, const ethos::disclosure_audit_result& b) {
  CHECK(a.passed == b.passed);
  CHECK(a.complete == b.complete);
  CHECK(a.atoms == b.atoms);
  CHECK(a.rank == b.rank);
  CHECK(a.small_atoms == b.small_atoms);
  CHECK(a.small_dimension == b.small_dimension);
  REQUIRE(a.findings.size() == b.findings.size());
  for (std::size_t f = 0; f < a.findings.size(); ++f) {
    CHECK(a.findings[f].kind == b.findings[f].kind);
    CHECK(a.findings[f].cells == b.findings[f].cells);
    CHECK(a.findings[f].persons.size() == b.findings[f].person_count);
    CHECK(a.findings[f].message == b.findings[f].message);
    CHECK(b.findings[f].persons.empty());
  }
}

ethos::class_cells counted_classes(const std::vector<disclosure_cell>& cells) {
  std::map<std::uint32_t, std::vector<std::uint32_t>> holders;
  for (std::uint32_t c = 0; c < cells.size(); ++c) {
    for (const auto e : cells[c].members) {
      holders[e].push_back(c);
    }
  }
  std::map<std::vector<std::uint32_t>, std::uint32_t> class_of;
  ethos::class_cells out;
  out.cells.resize(cells.size());
  for (const auto& [e, sig] : holders) {
    const auto [it, fresh] = class_of.emplace(sig, static_cast<std::uint32_t>(out.persons.size()));
    if (fresh) {
      out.persons.push_back(0);
      for (const auto c : sig) {
        out.cells[c].push_back(it->second);
      }
    }
    ++out.persons[it->second];
  }
  for (auto& c : out.cells) {
    std::sort(c.begin(), c.end());
  }
  for (const auto& c : cells) {
    out.labels.push_back(c.label);
  }
  return out;
}

} // namespace

TEST_CASE("protect_tree: the one-pass frontier decides exactly as the unit-by-unit rescan", "[org][disclosure]") {
  std::mt19937 rng(20261204);
  std::size_t hidden = 0;
  for (int trial = 0; trial < 400; ++trial) {
    const std::size_t k = 3 + static_cast<std::size_t>(trial % 5);
    std::vector<std::size_t> parent;
    std::vector<std::size_t> persons;
    std::vector<suppression> status;
    random_tree(rng, 2 + static_cast<std::size_t>(trial % 60), parent, persons, status);
    auto expected = status;
    reference_protect_tree(parent, persons, expected, k);
    ethos::protect_tree(parent, persons, status, k);
    INFO("trial " << trial);
    CHECK(status == expected);
    hidden += static_cast<std::size_t>(std::count(status.begin(), status.end(), suppression::secondary));
  }
  CHECK(hidden > 200); // secondary suppression happened, often
  // And the random organisations of the property tests above.
  for (int trial = 0; trial < 120; ++trial) {
    const auto org = make_org(rng, 2 + static_cast<std::size_t>(trial % 14), 7);
    std::vector<std::size_t> persons;
    for (const auto& c : org.cells) {
      persons.push_back(c.members.size());
    }
    std::vector<suppression> a(org.cells.size());
    std::vector<suppression> b(org.cells.size());
    reference_protect_tree(org.parent, persons, a, 3 + static_cast<std::size_t>(trial % 4));
    ethos::protect_tree(org.parent, persons, b, 3 + static_cast<std::size_t>(trial % 4));
    CHECK(a == b);
  }
}

TEST_CASE("protect_tree: a chain and a star of 100,000 units take one pass", "[org][disclosure]") {
  // A chain where each unit adds 1 person to the one below: every residual is 1, so, bottom up, each unit hides the
  // one below it and the top ends up covering everything: no stack, no rescan.
  const std::size_t n = 100'000;
  std::vector<std::size_t> parent(n);
  std::vector<std::size_t> persons(n);
  for (std::size_t u = 0; u < n; ++u) {
    parent[u] = u == 0 ? static_cast<std::size_t>(-1) : u - 1;
    persons[u] = n - u + 4;
  }
  std::vector<suppression> status(n);
  ethos::protect_tree(parent, persons, status, 5);
  // Every shown unit's residual (its persons minus those of the nearest shown unit below) is 0 or >= 5.
  std::size_t below = 0;
  for (std::size_t u = n; u-- > 0;) {
    if (status[u] == suppression::none) {
      const std::size_t residual = persons[u] - below;
      CHECK((residual == 0 || residual >= 5));
      below = persons[u];
    }
  }
  CHECK(std::count(status.begin(), status.end(), suppression::none) == 1);
  CHECK(status[0] == suppression::none);
  // A star of 100,000 units of 1 to 9 persons under a root with 3 of its own.
  std::mt19937 rng(5);
  std::vector<std::size_t> sp(n + 1, 0);
  std::vector<std::size_t> sn(n + 1, 3);
  sp[0] = static_cast<std::size_t>(-1);
  for (std::size_t u = 1; u <= n; ++u) {
    sn[u] = 1 + rng() % 9;
    sn[0] += sn[u];
  }
  std::vector<suppression> ss(n + 1);
  ethos::protect_tree(sp, sn, ss, 5);
  std::size_t covered = 0;
  for (std::size_t u = 1; u <= n; ++u) {
    covered += ss[u] == suppression::none ? sn[u] : 0;
  }
  CHECK(ss[0] == suppression::none);
  CHECK(sn[0] - covered >= 5);
}

TEST_CASE("protect_cells over counted classes decides as over the persons", "[org][disclosure]") {
  std::mt19937 rng(11);
  int changed = 0;
  for (int trial = 0; trial < 120; ++trial) {
    const std::size_t k = 3 + static_cast<std::size_t>(trial % 3);
    auto t = make_cut_table(rng, trial, true);
    auto by_persons = t.status;
    auto by_classes = t.status;
    const bool proven_persons = ethos::protect_cells(t.cells, by_persons, t.keep, t.fixed, {.min_group_size = k});
    const auto family = counted_classes(t.cells);
    const bool proven_classes = ethos::protect_class_cells(family, by_classes, t.keep, t.fixed, {.min_group_size = k});
    INFO("trial " << trial);
    CHECK(proven_persons == proven_classes);
    CHECK(by_persons == by_classes);
    changed += by_persons != t.status ? 1 : 0;
    // The audits of what is shown agree too, finding for finding.
    std::vector<disclosure_cell> shown;
    ethos::class_cells shown_classes;
    shown_classes.persons = family.persons;
    for (std::size_t c = 0; c < t.cells.size(); ++c) {
      // Audit the naive table (small cells hidden only), which leaks, so that findings are compared too.
      if (t.status[c] == suppression::none && t.cells[c].members.size() >= k) {
        shown.push_back(t.cells[c]);
        shown_classes.cells.push_back(family.cells[c]);
        shown_classes.labels.push_back(family.labels[c]);
      }
    }
    const auto a = ethos::disclosure_audit(shown, {.min_group_size = k});
    const auto b = ethos::audit_class_cells(shown_classes, {.min_group_size = k});
    check_same_audit(a, b);
    // Each hidden cell's derivability agrees.
    for (std::size_t c = 0; c < t.cells.size(); ++c) {
      CHECK(ethos::is_derivable(shown, t.cells[c].members, {.min_group_size = k}) ==
            ethos::class_cells_derivable(shown_classes, family.cells[c], {.min_group_size = k}));
    }
  }
  CHECK(changed > 30);
}

TEST_CASE("protect_cells and the audit over classes: 20,000 teams x 4 levels", "[org][disclosure]") {
  // The shape of a survey of 1M people: an organisation of 20 departments and 20,000 teams, each team cut by 4 levels
  // of tenure, classes of 1 to 25 people. The units are shown (fixed); the cut cells are protected; the audit of the
  // result is complete and finds nothing.
  const std::size_t teams = 20'000;
  const std::size_t levels = 4;
  std::mt19937 rng(1);
  ethos::class_cells f;
  for (std::size_t c = 0; c < teams * levels; ++c) {
    f.persons.push_back(1 + rng() % 25);
  }
  std::vector<suppression> st;
  std::vector<int> keep;
  std::vector<unsigned char> fixed;
  const auto add = [&](std::vector<std::uint32_t> classes, int kp, bool fx) {
    f.cells.push_back(std::move(classes));
    st.push_back(suppression::none);
    keep.push_back(kp);
    fixed.push_back(fx ? 1 : 0);
  };
  std::vector<std::uint32_t> all(teams * levels);
  std::iota(all.begin(), all.end(), 0U);
  add(all, 1000, true);
  for (std::size_t d = 0; d < 20; ++d) {
    std::vector<std::uint32_t> c;
    for (std::size_t t = d; t < teams; t += 20) {
      for (std::size_t l = 0; l < levels; ++l) {
        c.push_back(static_cast<std::uint32_t>(t * levels + l));
      }
    }
    std::sort(c.begin(), c.end());
    add(c, 500, true);
  }
  for (std::size_t t = 0; t < teams; ++t) {
    std::vector<std::uint32_t> c;
    for (std::size_t l = 0; l < levels; ++l) {
      c.push_back(static_cast<std::uint32_t>(t * levels + l));
    }
    const std::uint64_t n = f.persons[c[0]] + f.persons[c[1]] + f.persons[c[2]] + f.persons[c[3]];
    add(c, 400, n >= 5);
  }
  for (std::size_t c = 0; c < teams * levels; ++c) {
    add({static_cast<std::uint32_t>(c)}, 300, false);
  }
  // A team under 5 people is hidden (too small); the fixed ones are shown.
  for (std::size_t c = 0; c < f.cells.size(); ++c) {
    if (fixed[c] == 0 && keep[c] == 400) {
      st[c] = suppression::too_small;
    }
  }
  REQUIRE(ethos::protect_class_cells(f, st, keep, fixed, {.min_group_size = 5}));
  ethos::class_cells shown;
  shown.persons = f.persons;
  for (std::size_t c = 0; c < f.cells.size(); ++c) {
    if (st[c] == suppression::none) {
      shown.cells.push_back(f.cells[c]);
    }
    // By the rules, worked out from the table itself: fixed cells stay shown, and a cut cell (one class) of 1 to 4
    // people is hidden as too small.
    if (fixed[c] != 0) {
      CHECK(st[c] == suppression::none);
    }
    if (keep[c] == 300 && f.persons[f.cells[c][0]] < 5) {
      CHECK(st[c] == suppression::too_small);
    }
  }
  // A shown team never has exactly one hidden cut cell: the team minus its other three would give it away.
  for (std::size_t t = 0; t < teams; ++t) {
    const std::size_t team_cell = 21 + t;
    const std::size_t first_cut = 21 + teams + t * levels;
    std::size_t hidden_cuts = 0;
    for (std::size_t l = 0; l < levels; ++l) {
      hidden_cuts += st[first_cut + l] != suppression::none ? 1U : 0U;
    }
    if (st[team_cell] == suppression::none) {
      INFO("team " << t);
      CHECK(hidden_cuts != 1);
    }
  }
  const auto audit = ethos::audit_class_cells(shown, {.min_group_size = 5});
  CHECK(audit.complete);
  CHECK(audit.passed);
  CHECK(audit.cells == shown.cells.size());
}

TEST_CASE("settled classes: a hand-made tree with a cut", "[org][disclosure]") {
  // Classes (counted persons): team A at levels 0 and 1 (6 and 7), team B at levels 0 and 1 (3 and 8); k = 5.
  ethos::class_cells f;
  f.persons = {6, 7, 3, 8};
  const std::vector<std::vector<std::uint32_t>> org{{0, 1, 2, 3}}; // the organisation
  const std::vector<std::uint32_t> a{0, 1};
  const std::vector<std::uint32_t> b{2, 3};
  const auto settle = [&](const std::vector<std::vector<std::uint32_t>>& cells) {
    f.cells = cells;
    const auto in = ethos::detail::classes_of(f);
    const std::vector<unsigned char> all(cells.size(), 1);
    return ethos::detail::settle_classes(in, all, 5);
  };
  {
    // A x 0 and A x 1 give A0 and A1; B x 1 gives B1; then B minus B x 1 is B0, 3 people: a leak.
    const auto s = settle({org[0], a, b, {0}, {1}, {3}, {0, 2}});
    CHECK(s.small);
    f.cells = {org[0], a, b, {0}, {1}, {3}, {0, 2}};
    CHECK_FALSE(ethos::audit_class_cells(f, {.min_group_size = 5}).passed);
  }
  {
    // Without B x 1, the organisation x 0 minus A x 0 is B0: a leak again.
    const auto s = settle({org[0], a, b, {0}, {1}, {0, 2}});
    CHECK(s.small);
  }
  {
    // Without it too: A0 and A1 are settled, A comes down to nothing, and the organisation and B both keep B0 and
    // B1, which no cell tells apart (one atom of 11).
    const auto s = settle({org[0], a, b, {0}, {1}});
    CHECK_FALSE(s.small);
    CHECK(s.settled == 2);
    CHECK(s.cell_of_rest == std::vector<std::uint32_t>{0, 2});
    REQUIRE(s.rest.size == std::vector<std::uint64_t>{3, 8});
    REQUIRE(s.rest.cells.size() == 2);
    CHECK(std::vector<std::uint32_t>(s.rest.cells[0].begin(), s.rest.cells[0].end()) ==
          std::vector<std::uint32_t>{0, 1});
    // The whole family's atoms are A0, A1 and B; the cells span all three.
    f.cells = {org[0], a, b, {0}, {1}};
    const auto r = ethos::audit_class_cells(f, {.min_group_size = 5});
    CHECK(r.passed);
    CHECK(r.complete);
    CHECK(r.atoms == 3);
    CHECK(r.rank == 3);
    CHECK(r.small_atoms == 0);
  }
  {
    // An empty class is never settled and never counted; a cell of nothing but it is ignored.
    f.persons = {6, 7, 0, 8};
    const auto s = settle({org[0], a, {2}, {3}});
    CHECK_FALSE(s.small);
    CHECK(s.settled == 1); // B1 (8) only: the organisation and A keep A0 and A1
    CHECK(s.cell_of_rest == std::vector<std::uint32_t>{0, 1});
  }
}

TEST_CASE("settled classes: random unit x cut tables are audited as without settling", "[org][disclosure]") {
  // The counted audit and protection settle classes first; the audit over persons (classes listed) never does. Both
  // must agree on every figure, for leaking tables (the settling finds the leak or the rest does) and safe ones (the
  // rest is audited alone and the whole is passed).
  std::mt19937 rng(23);
  int settled_safe = 0;
  int settled_small = 0;
  int rest_leaks = 0;
  for (int trial = 0; trial < 240; ++trial) {
    const std::size_t k = 3 + static_cast<std::size_t>(trial % 3);
    auto t = make_cut_table(rng, trial, true);
    const auto family = counted_classes(t.cells);
    // Everything shown that is k or more (naive: leaks are likely), then the protected table (safe).
    std::vector<suppression> protected_status = t.status;
    REQUIRE(ethos::protect_class_cells(family, protected_status, t.keep, t.fixed, {.min_group_size = k}));
    for (int pass = 0; pass < 2; ++pass) {
      std::vector<disclosure_cell> shown;
      ethos::class_cells shown_classes;
      shown_classes.persons = family.persons;
      for (std::size_t c = 0; c < t.cells.size(); ++c) {
        const bool show = pass == 0 ? t.status[c] == suppression::none && t.cells[c].members.size() >= k
                                    : protected_status[c] == suppression::none;
        if (show) {
          shown.push_back(t.cells[c]);
          shown_classes.cells.push_back(family.cells[c]);
          shown_classes.labels.push_back(family.labels[c]);
        }
      }
      const auto a = ethos::disclosure_audit(shown, {.min_group_size = k});
      const auto b = ethos::audit_class_cells(shown_classes, {.min_group_size = k});
      INFO("trial " << trial << ", pass " << pass);
      check_same_audit(a, b);
      if (pass == 1) {
        CHECK(b.passed);
      }
      // Protecting what is shown (nothing hidden on entry: the counted protection settles classes first) decides as
      // over the persons; a safe table comes back as it was.
      std::vector<suppression> st_persons(shown.size(), suppression::none);
      auto st_classes = st_persons;
      const std::vector<int> keep(shown.size(), 0);
      const std::vector<unsigned char> none_fixed(shown.size(), 0);
      CHECK(ethos::protect_cells(shown, st_persons, keep, none_fixed, {.min_group_size = k}) ==
            ethos::protect_class_cells(shown_classes, st_classes, keep, none_fixed, {.min_group_size = k}));
      CHECK(st_persons == st_classes);
      if (pass == 1) {
        CHECK(std::all_of(st_classes.begin(), st_classes.end(), [](suppression x) { return x == suppression::none; }));
      }
      const auto in = ethos::detail::classes_of(shown_classes);
      const std::vector<unsigned char> all(in.cells.size(), 1);
      const auto s = ethos::detail::settle_classes(in, all, k);
      if (s.small) {
        ++settled_small;
        CHECK_FALSE(b.passed); // a settled class of 1..k-1 persons is a leak
      } else if (s.settled > 0 && b.passed) {
        ++settled_safe;
      } else if (s.settled > 0) {
        ++rest_leaks;
      }
    }
  }
  // Each way through the settling occurs often.
  CHECK(settled_safe > 50);
  CHECK(settled_small > 20);
  CHECK(rest_leaks > 5);
}
