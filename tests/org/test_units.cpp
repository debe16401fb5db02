// Tests of ethos/org/units.hpp and ethos/io/units_csv.hpp: trees from paths and from tables, their errors,
// respondents mapped onto units, the CSV reader, and randomised checks against naive recomputation.
#include "../support/checks.hpp"

#include <ethos/io/units_csv.hpp>
#include <ethos/org/units.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

using namespace ethos;
using ethos_test::error_of;
using table_row = unit_tree::table_row;

namespace {

constexpr std::size_t none = unit_npos;
const std::string max_text = std::to_string(std::numeric_limits<std::size_t>::max());

std::vector<std::string> ids_of(const unit_tree& t) {
  std::vector<std::string> out;
  for (const auto& u : t.units()) {
    out.push_back(u.id);
  }
  return out;
}

std::size_t idx(const unit_tree& t, std::string_view id) { return t.find(id).value_or(none); }
std::size_t total(const unit_tree& t, std::string_view id) { return t.invited_total(idx(t, id)).value_or(none); }

// A group column as response_matrix builds it: levels in order of first appearance.
group_column column_of(const std::string& name, const std::vector<std::string>& labels) {
  group_column g{name, {}, {}};
  for (const auto& l : labels) {
    const auto it = std::find(g.levels.begin(), g.levels.end(), l);
    g.codes.push_back(static_cast<std::uint32_t>(it - g.levels.begin()));
    if (it == g.levels.end()) {
      g.levels.push_back(l);
    }
  }
  return g;
}

std::string table_error(const std::vector<table_row>& rows) {
  return error_of([&] { (void)unit_tree::from_table(rows, "units.csv"); });
}

std::string paths_error(const std::vector<std::string>& labels, char sep = '/') {
  return error_of([&] { (void)unit_tree::from_paths(labels, sep); });
}

std::string units_csv_error_of(const std::string& text) {
  std::istringstream in(text);
  return error_of([&] { (void)read_units(in, "u.csv"); });
}

// The ancestor-or-self relation by walking up parents.
bool naive_contains(const unit_tree& t, std::size_t a, std::size_t u) {
  for (; u != none; u = t[u].parent) {
    if (u == a) {
      return true;
    }
  }
  return false;
}

// Structural invariants every tree must satisfy, checked without the tree's own shortcuts.
void check_invariants(const unit_tree& t, char sep = '/') {
  const std::size_t n = t.size();
  REQUIRE(n >= 1);
  CHECK(t[0].id.empty());
  CHECK(t[0].name == "Organisation");
  CHECK(t[0].parent == none);
  std::vector<std::size_t> dfs; // preorder from the children lists
  std::vector<std::size_t> stack{0};
  while (!stack.empty()) {
    const std::size_t u = stack.back();
    stack.pop_back();
    dfs.push_back(u);
    stack.insert(stack.end(), t[u].children.rbegin(), t[u].children.rend());
  }
  CHECK(std::vector<std::size_t>(t.preorder().begin(), t.preorder().end()) == dfs);
  for (std::size_t u = 0; u < n; ++u) {
    CHECK(idx(t, t[u].id) == u);
    const auto& ch = t[u].children;
    for (std::size_t k = 0; k < ch.size(); ++k) {
      CHECK(t[ch[k]].parent == u);
      CHECK(t[ch[k]].depth == t[u].depth + 1);
      if (k > 0) {
        CHECK(t[ch[k - 1]].id < t[ch[k]].id);
      }
    }
    if (u > 0 && sep != '\0') {
      const auto& p = t[t[u].parent];
      CHECK(t[u].id == (t[u].parent == 0 ? t[u].name : p.id + sep + t[u].name));
    }
    for (std::size_t v = 0; v < n; ++v) {
      CHECK(t.contains(u, v) == naive_contains(t, u, v));
    }
  }
}

} // namespace

TEST_CASE("unit_tree: the default tree is the organisation alone", "[org][units]") {
  const unit_tree t;
  REQUIRE(t.size() == 1);
  CHECK(t[0].id.empty());
  CHECK(t[0].name == "Organisation");
  CHECK(t[0].parent == none);
  CHECK(t[0].depth == 0);
  CHECK(t[0].children.empty());
  CHECK(!t[0].invited);
  CHECK(idx(t, "") == unit_tree::root);
  CHECK(!t.find("Sales"));
  CHECK(t.preorder().size() == 1);
  CHECK(t.contains(0, 0));
  CHECK(!t.contains(0, 1));
  CHECK(!t.contains(1, 0));
  CHECK(t.subtree_end(0) == 1);
  CHECK(!t.invited_total(0));
  CHECK(error_of([&] { (void)t[1]; }) == "unit tree: no unit 1 (the tree has 1 unit)");
  CHECK(error_of([&] { (void)t.invited_total(5); }) == "unit tree: no unit 5 (the tree has 1 unit)");
  CHECK(error_of([&] { (void)t.subtree_end(none); }) == "unit tree: no unit " + max_text + " (the tree has 1 unit)");
}

TEST_CASE("unit_tree::from_paths: every prefix is a unit, numbered in preorder", "[org][units]") {
  const std::vector<std::string> labels{"Sales/EMEA/Team 3", "Sales/APAC", "", "HR", "Sales/EMEA/Team 3", "Sales"};
  const auto t = unit_tree::from_paths(labels);
  CHECK(ids_of(t) == std::vector<std::string>{"", "HR", "Sales", "Sales/APAC", "Sales/EMEA", "Sales/EMEA/Team 3"});
  std::vector<std::string> names;
  std::vector<std::size_t> parents;
  std::vector<std::size_t> depths;
  for (const auto& u : t.units()) {
    names.push_back(u.name);
    parents.push_back(u.parent);
    depths.push_back(u.depth);
    CHECK(!u.invited);
  }
  CHECK(names == std::vector<std::string>{"Organisation", "HR", "Sales", "APAC", "EMEA", "Team 3"});
  CHECK(parents == std::vector<std::size_t>{none, 0, 0, 2, 2, 4});
  CHECK(depths == std::vector<std::size_t>{0, 1, 1, 2, 2, 3});
  CHECK(t[0].children == std::vector<std::size_t>{1, 2});
  CHECK(t[2].children == std::vector<std::size_t>{3, 4});
  CHECK(t.contains(2, 5));
  CHECK(t.contains(4, 4));
  CHECK(!t.contains(3, 5));
  CHECK(!t.contains(5, 2));
  CHECK(!t.contains(2, 6));
  CHECK(t.subtree_end(2) == 6);
  CHECK(t.subtree_end(3) == 4);
  CHECK(!t.find("EMEA"));
  CHECK(!t.find("sales"));
  CHECK(!t.invited_total(2));
  CHECK(error_of([&] { (void)t[6]; }) == "unit tree: no unit 6 (the tree has 6 units)");
  check_invariants(t);

  // Byte order: upper case before lower, '-' before '/', UTF-8 last; a unit's sub-units still follow it at once.
  const auto b = unit_tree::from_paths(std::vector<std::string>{"a", "B", "\xC3\xA9", "A-C", "A/B", "A"});
  CHECK(ids_of(b) == std::vector<std::string>{"", "A", "A/B", "A-C", "B", "a", "\xC3\xA9"});
  check_invariants(b);
  // No trimming, and another separator leaves '/' as an ordinary byte.
  CHECK(ids_of(unit_tree::from_paths(std::vector<std::string>{" Sales", "Sales"})) ==
        std::vector<std::string>{"", " Sales", "Sales"});
  const auto s = unit_tree::from_paths(std::vector<std::string>{"Sales>EMEA", "Sales/x"}, '>');
  CHECK(ids_of(s) == std::vector<std::string>{"", "Sales", "Sales>EMEA", "Sales/x"});
  CHECK(s[3].name == "Sales/x");
  CHECK(s[2].name == "EMEA");
  CHECK(unit_tree::from_paths(std::vector<std::string>{"", ""}).size() == 1);
}

TEST_CASE("unit_tree::from_paths: an empty component is an error naming the label", "[org][units]") {
  CHECK(paths_error({"/Sales"}) == "unit path '/Sales' has an empty component (it starts with '/')");
  CHECK(paths_error({"Sales/"}) == "unit path 'Sales/' has an empty component (it ends with '/')");
  CHECK(paths_error({"/"}) == "unit path '/' has an empty component (it starts with '/')");
  CHECK(paths_error({"Sales//EMEA"}) == "unit path 'Sales//EMEA' has an empty component (it holds '//')");
  CHECK(paths_error({"ok", "a>>b", "/c"}, '>') == "unit path 'a>>b' has an empty component (it holds '>>')");
  CHECK(paths_error({"a\t/"}) == "unit path 'a\\x09/' has an empty component (it ends with '/')");
  CHECK(paths_error({std::string(70, 'x') + "/"}) ==
        "unit path '" + std::string(60, 'x') + "...' has an empty component (it ends with '/')");
}

TEST_CASE("unit_tree::from_table: parents, invited counts and totals", "[org][units]") {
  const std::vector<table_row> rows{{"EMEA", "Sales", 25, 2},    {"Sales", "", 40, 3},       {"APAC", "Sales", 10, 4},
                                    {"HR", "", std::nullopt, 5}, {"Recruiting", "HR", 6, 6}, {"Payroll", "HR", 4, 7},
                                    {"Ops", "", std::nullopt, 8}};
  const auto t = unit_tree::from_table(rows);
  CHECK(ids_of(t) == std::vector<std::string>{"", "HR", "Payroll", "Recruiting", "Ops", "Sales", "APAC", "EMEA"});
  CHECK(t[idx(t, "EMEA")].name == "EMEA");
  CHECK(t[idx(t, "EMEA")].parent == idx(t, "Sales"));
  CHECK(t[idx(t, "EMEA")].depth == 2);
  CHECK(t[idx(t, "Sales")].invited == std::optional<std::size_t>(40));
  CHECK(!t[idx(t, "HR")].invited);
  CHECK(total(t, "Sales") == 40);
  CHECK(total(t, "HR") == 10);    // the sum of its children
  CHECK(total(t, "Ops") == none); // a leaf without a count
  CHECK(total(t, "") == none);    // Ops has no total
  CHECK(!t[0].invited);
  check_invariants(t, '\0');

  // The root's count is the sum of the top-level counts when all are given; equal to the children is fine.
  const auto all = unit_tree::from_table(std::vector<table_row>{{"A", "", 5}, {"B", "", 7}, {"B1", "B", 7}});
  CHECK(all[0].invited == std::optional<std::size_t>(12));
  CHECK(total(all, "") == 12);
  // Not all given: no root count, but a total where every child has one.
  const auto part = unit_tree::from_table(std::vector<table_row>{{"A", "", 5}, {"B", ""}, {"C", "B", 3}});
  CHECK(!part[0].invited);
  CHECK(total(part, "") == 8);
  // Ids are taken whole: a '/' is no separator here.
  const auto slash = unit_tree::from_table(std::vector<table_row>{{"a/b", ""}});
  CHECK(slash.size() == 2);
  CHECK(slash[1].name == "a/b");
  CHECK(slash[1].depth == 1);
  const auto empty = unit_tree::from_table({});
  CHECK(empty.size() == 1);
  CHECK(!empty[0].invited);

  // A long chain: nothing recursive, nothing quadratic.
  std::vector<table_row> chain;
  for (std::size_t i = 0; i < 20000; ++i) {
    chain.push_back({"u" + std::to_string(i), i == 0 ? "" : "u" + std::to_string(i - 1), std::nullopt});
  }
  chain.back().invited = 3;
  const auto c = unit_tree::from_table(chain);
  CHECK(c.size() == 20001);
  CHECK(c[20000].depth == 20000);
  CHECK(c.contains(1, 20000));
  CHECK(total(c, "u0") == 3);
  CHECK(c[0].invited == std::nullopt);
}

TEST_CASE("unit_tree::from_table: problems name the source, the line and the reason", "[org][units]") {
  const auto n = std::nullopt;
  CHECK(table_error({{"A", "", n, 2}, {"", "A", n, 3}}) == "units.csv:3: empty unit id");
  CHECK(table_error({{"  ", "", n, 2}}) == "units.csv:2: blank unit id '  '");
  CHECK(table_error({{"A", "", n, 2}, {"B", "", n, 3}, {"A", "B", n, 4}}) ==
        "units.csv:4: unit 'A' is listed twice, on lines 2 and 4");
  CHECK(table_error({{"A", "A", n, 5}}) == "units.csv:5: unit 'A' is its own parent");
  CHECK(table_error({{"Sales", "", n, 2}, {"EMEA", "Slaes", n, 3}}) ==
        "units.csv:3: unit 'EMEA': parent 'Slaes' is not listed (did you mean 'Sales'?)");
  CHECK(table_error({{"Sales", "", n, 2}, {"EMEA", "sales", n, 3}}) ==
        "units.csv:3: unit 'EMEA': parent 'sales' is not listed (did you mean 'Sales'?)");
  CHECK(table_error({{"Sales", "", n, 2}, {"EMEA", "Marketing", n, 3}}) ==
        "units.csv:3: unit 'EMEA': parent 'Marketing' is not listed");
  // The unit itself is never the guess: it cannot be its own parent.
  CHECK(table_error({{"ABXYX", "", n, 2}, {"ABCDE", "ABCDX", n, 3}}) ==
        "units.csv:3: unit 'ABCDE': parent 'ABCDX' is not listed (did you mean 'ABXYX'?)");
  // Without lines, rows are numbered from 1; the default source is "units".
  CHECK(error_of([] {
          (void)unit_tree::from_table(std::vector<table_row>{{"A", ""}, {"B", "Q"}});
        }) == "units:2: unit 'B': parent 'Q' is not listed");

  // Cycles are told from their first member in row order, following the parents.
  CHECK(table_error({{"A", "C", n, 2}, {"X", "B", n, 3}, {"B", "A", n, 4}, {"C", "B", n, 5}}) ==
        "units.csv:2: cycle of parents: 'A' -> 'C' -> 'B' -> 'A'");
  CHECK(table_error({{"X", "B", n, 2}, {"B", "C", n, 3}, {"C", "B", n, 4}}) ==
        "units.csv:3: cycle of parents: 'B' -> 'C' -> 'B'");
  std::vector<table_row> ring;
  for (std::size_t i = 0; i < 12; ++i) {
    ring.push_back({"u" + std::to_string(i), "u" + std::to_string((i + 1) % 12), n, i + 2});
  }
  CHECK(table_error(ring) == "units.csv:2: cycle of parents: 'u0' -> 'u1' -> 'u2' -> 'u3' -> 'u4' -> 'u5' -> 'u6' -> "
                             "'u7' -> 'u8' -> 'u9' -> ... (12 units)");

  // Invited counts: a parent cannot invite fewer than its sub-units, counted as deep as they are known.
  CHECK(
      table_error({{"Sales", "", 10, 2}, {"EMEA", "Sales", 7, 3}, {"APAC", "Sales", 5, 4}, {"LatAm", "Sales", n, 5}}) ==
      "units.csv:2: unit 'Sales': invited 10, but its sub-units invited 12 ('APAC' 5, 'EMEA' 7)");
  CHECK(table_error({{"A", "", 10, 2}, {"B", "A", n, 3}, {"C", "B", 20, 4}}) ==
        "units.csv:2: unit 'A': invited 10, but its sub-units invited 20 ('B' at least 20)");
  std::vector<table_row> wide{{"P", "", 1, 2}};
  for (std::size_t i = 1; i <= 7; ++i) {
    wide.push_back({"c" + std::to_string(i), "P", 1, i + 2});
  }
  CHECK(table_error(wide) == "units.csv:2: unit 'P': invited 1, but its sub-units invited 7 ('c1' 1, 'c2' 1, 'c3' 1, "
                             "'c4' 1, 'c5' 1 and 2 more)");
  const std::size_t big = std::numeric_limits<std::size_t>::max();
  CHECK(table_error({{"P", "", 5, 2}, {"a", "P", big, 3}, {"b", "P", 1, 4}}) ==
        "units.csv:2: unit 'P': invited 5, but its sub-units invited more than " + max_text + " ('a' " + max_text +
            ", 'b' 1)");
  CHECK(table_error({{"P", "", n, 2}, {"a", "P", big, 3}, {"b", "P", 1, 4}}) ==
        "units.csv:2: the invited counts in the sub-units of 'P' add up to more than " + max_text);
  CHECK(table_error({{"a", "", big, 2}, {"b", "", 1, 3}}) ==
        "units.csv: the invited counts of the top-level units add up to more than " + max_text);
  CHECK(table_error({{"a", "", n, 2}, {"x", "a", big, 3}, {"b", "", 1, 4}}) ==
        "units.csv: the invited counts of the top-level units add up to more than " + max_text);
  // The first problem in row order wins, whatever its kind.
  CHECK(table_error({{"A", "Z", n, 2}, {"A", "", n, 3}}) == "units.csv:2: unit 'A': parent 'Z' is not listed");
}

TEST_CASE("assign_units: labels to units, empty labels to the root", "[org][units]") {
  const auto t = unit_tree::from_paths(std::vector<std::string>{"Sales/EMEA", "Sales/APAC", "HR"});
  const auto a = assign_units(t, column_of("team", {"Sales/EMEA", "", "HR", "Sales", "Sales/EMEA", ""}));
  CHECK(a.unit_of == std::vector<std::uint32_t>{4, 0, 1, 2, 4, 0});
  CHECK(a.at_root == 2);
  CHECK(assign_units(t, column_of("team", {})).unit_of.empty());

  const auto unknown = error_of([&] {
    (void)assign_units(t, column_of("team", {"Slaes", "hr", "X", "Slaes", "Sales/EMAE", "Q1", "Q2", "Q3", "Q3", "HR"}));
  });
  CHECK(unknown == "group column 'team': 7 labels are not unit ids: 'Slaes' (2 rows; did you mean 'Sales'?), 'Q3' (2 "
                   "rows), 'hr' (1 row; did you mean 'HR'?), 'X' (1 row), 'Sales/EMAE' (1 row; did you mean "
                   "'Sales/EMEA'?) and 2 more");
  CHECK(error_of([&] {
          (void)assign_units(t, column_of("team", {"Ops", "HR", "Ops", "Ops"}));
        }) == "group column 'team': 1 label is not a unit id: 'Ops' (3 rows)");
  // A hand-built column: a label no row uses is not looked up; a code past the labels is an error.
  CHECK(assign_units(t, group_column{"team", {"HR", "nope"}, {0, 0}}).unit_of == std::vector<std::uint32_t>{1, 1});
  CHECK(error_of([&] {
          (void)assign_units(t, group_column{"team", {"HR"}, {0, 3}});
        }) == "group column 'team': row 2 has label code 3, but the column has 1 label");
}

TEST_CASE("units_from_column: the tree the labels describe and the assignment", "[org][units]") {
  const auto [t, a] = units_from_column(column_of("unit", {"Sales/EMEA", "", "HR", "Sales/EMEA"}));
  CHECK(ids_of(t) == std::vector<std::string>{"", "HR", "Sales", "Sales/EMEA"});
  CHECK(a.unit_of == std::vector<std::uint32_t>{3, 0, 1, 3});
  CHECK(a.at_root == 1);
  const auto [u, b] = units_from_column(column_of("unit", {"Sales>EMEA"}), '>');
  CHECK(u.size() == 3);
  CHECK(b.unit_of == std::vector<std::uint32_t>{2});
  CHECK(error_of([] {
          (void)units_from_column(column_of("unit", {"HR", "HR/"}));
        }) == "group column 'unit': unit path 'HR/' has an empty component (it ends with '/')");
}

TEST_CASE("read_units: a units table from CSV", "[org][units][io]") {
  std::istringstream in("\xEF\xBB\xBFparent,invited,unit\r\n,40,Sales\r\nSales, 25 ,EMEA\r\nSales,,\"APAC, "
                        "Singapore\"\r\n\r\n");
  const auto rows = read_unit_rows(in, "u.csv");
  REQUIRE(rows.size() == 3);
  CHECK(rows[1].unit == "EMEA");
  CHECK(rows[1].parent == "Sales");
  CHECK(rows[1].invited == std::optional<std::size_t>(25));
  CHECK(rows[1].line == 3);
  CHECK(rows[2].unit == "APAC, Singapore");
  CHECK(!rows[2].invited);
  std::istringstream again(
      "unit,parent,invited\nSales,,40\nEMEA,Sales,25\n\"APAC, Singapore\",Sales,\nHR,,\nPayroll,HR,007\n");
  const auto t = read_units(again, "u.csv");
  CHECK(ids_of(t) == std::vector<std::string>{"", "HR", "Payroll", "Sales", "APAC, Singapore", "EMEA"});
  CHECK(total(t, "Sales") == 40);
  CHECK(total(t, "HR") == 7);
  CHECK(total(t, "") == 47); // HR has no count of its own but a total
  CHECK(!t[0].invited);
  std::istringstream bare("unit,parent\nA,\nB,A\n");
  CHECK(read_units(bare, "u.csv").size() == 3);
}

TEST_CASE("read_units: problems name file, line, column and reason", "[org][units][io]") {
  CHECK(units_csv_error_of("") == "u.csv:1:1: missing header: the file has no rows");
  CHECK(units_csv_error_of("\nunit,parent\n") == "u.csv:1:1: blank line where the header should be");
  const std::string expected = "; a units table has the columns unit, parent and (optionally) invited";
  CHECK(units_csv_error_of("unit,Parent\n") ==
        "u.csv:1:6: unknown column 'Parent' (did you mean 'parent'?)" + expected);
  CHECK(units_csv_error_of("unit,parent,invite\n") ==
        "u.csv:1:13: unknown column 'invite' (did you mean 'invited'?)" + expected);
  CHECK(units_csv_error_of("unit,parent,size\n") == "u.csv:1:13: unknown column 'size'" + expected);
  CHECK(units_csv_error_of("unit,parent,unit\n") == "u.csv:1:13: duplicate column 'unit' (columns 1 and 3)");
  CHECK(units_csv_error_of("unit,,parent\n") == "u.csv:1:6: empty column name");
  CHECK(units_csv_error_of("unit,invited\n") == "u.csv:1:1: missing column 'parent'");
  CHECK(units_csv_error_of("parent\n") == "u.csv:1:1: missing column 'unit'");
  CHECK(units_csv_error_of("unit,parent\nA,\nB,A,x\n") == "u.csv:3:5: ragged row: 3 fields, the header has 2");
  CHECK(units_csv_error_of("unit,parent\nA\n") == "u.csv:2:1: ragged row: 1 fields, the header has 2");
  CHECK(units_csv_error_of("unit,parent\nA,\n\nB,A\n") == "u.csv:3:1: blank line");
  CHECK(units_csv_error_of("unit,parent\n\"A,\n") == "u.csv:2:1: unterminated quoted field");
  CHECK(units_csv_error_of("unit,parent,invited\nA,,12.5\n") ==
        "u.csv:2:4: unit 'A': invited '12.5' is not a whole number");
  CHECK(units_csv_error_of("unit,parent,invited\nA,,1e3\n") ==
        "u.csv:2:4: unit 'A': invited '1e3' is not a whole number");
  CHECK(units_csv_error_of("unit,parent,invited\nA,,+5\n") ==
        "u.csv:2:4: unit 'A': invited '+5' is not a whole number");
  CHECK(units_csv_error_of("invited,unit,parent\n -3 ,A,\n") == "u.csv:2:1: unit 'A': invited '-3' is negative");
  CHECK(units_csv_error_of("unit,parent,invited\nA,,99999999999999999999999\n") ==
        "u.csv:2:4: unit 'A': invited '99999999999999999999999' is too large");
  // Problems of the table as a whole come from unit_tree::from_table, with the file's lines.
  CHECK(units_csv_error_of("unit,parent\nA,\nB,Z\n") == "u.csv:3: unit 'B': parent 'Z' is not listed");
  CHECK(units_csv_error_of("unit,parent,invited\nA,,1\n\"B\nC\",A,2\n") ==
        "u.csv:2: unit 'A': invited 1, but its sub-units invited 2 ('B\\x0aC' 2)");
}

TEST_CASE("read_units_file: opens the file or says why not", "[org][units][io]") {
  const auto dir = std::filesystem::temp_directory_path() / "ethos_test_units";
  std::filesystem::create_directories(dir);
  const auto path = dir / "units.csv";
  {
    std::ofstream out(path, std::ios::binary);
    out << "unit,parent\nA,\nB,A\nC,\n";
  }
  CHECK(ids_of(read_units_file(path)) == std::vector<std::string>{"", "A", "B", "C"});
  const auto missing = dir / "nope.csv";
  CHECK(error_of([&] { (void)read_units_file(missing); }) ==
        missing.string() + ": cannot open: No such file or directory");
  CHECK(error_of([&] { (void)read_units_file(dir); }) == dir.string() + ": cannot open: Is a directory");
  std::filesystem::remove_all(dir);
}

TEST_CASE("unit trees: randomised checks against naive recomputation", "[org][units][random]") {
  std::mt19937 rng(20240611);
  const auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
  const std::vector<std::string> parts{"a", "b", "B", "a-b", "\xC3\xA9", "Team 1"};

  for (int trial = 0; trial < 60; ++trial) {
    // Paths: the units are exactly the distinct prefixes; the tree does not depend on the labels' order.
    std::vector<std::string> labels(pick(25));
    std::set<std::string> prefixes;
    for (auto& l : labels) {
      const std::size_t depth = pick(5);
      for (std::size_t d = 0; d < depth; ++d) {
        l += (d > 0 ? "/" : "") + parts[pick(parts.size())];
        prefixes.insert(l);
      }
    }
    const auto t = unit_tree::from_paths(labels);
    CHECK(t.size() == prefixes.size() + 1);
    check_invariants(t);
    std::shuffle(labels.begin(), labels.end(), rng);
    CHECK(ids_of(unit_tree::from_paths(labels)) == ids_of(t));
    const auto a = assign_units(t, column_of("unit", labels));
    for (std::size_t r = 0; r < labels.size(); ++r) {
      CHECK(t[a.unit_of[r]].id == labels[r]);
    }
    CHECK(a.at_root == static_cast<std::size_t>(std::count(labels.begin(), labels.end(), std::string())));

    // Tables: a random forest whose counts are consistent (own people plus what the sub-units invite), some
    // of them given; rows shuffled.
    const std::size_t n = pick(30);
    std::vector<std::size_t> parent(n);
    std::vector<std::size_t> people(n);
    for (std::size_t i = 0; i < n; ++i) {
      parent[i] = pick(i + 1); // i means "the root": only earlier units can be parents, so there is no cycle
      people[i] = pick(4);
    }
    std::vector<std::size_t> truth(people);
    for (std::size_t i = n; i-- > 0;) {
      if (parent[i] != i) {
        truth[parent[i]] += truth[i];
      }
    }
    std::vector<table_row> rows;
    for (std::size_t i = 0; i < n; ++i) {
      rows.push_back({"u" + std::to_string(i), parent[i] == i ? "" : "u" + std::to_string(parent[i]),
                      pick(2) == 0 ? std::optional<std::size_t>(truth[i]) : std::nullopt});
    }
    std::shuffle(rows.begin(), rows.end(), rng);
    const auto tt = unit_tree::from_table(rows);
    REQUIRE(tt.size() == n + 1);
    check_invariants(tt, '\0');
    std::unordered_map<std::string, const table_row*> by_id;
    for (const auto& r : rows) {
      by_id[r.unit] = &r;
      const std::size_t u = idx(tt, r.unit);
      REQUIRE(u != none);
      CHECK(tt[tt[u].parent].id == r.parent);
      CHECK(tt[u].invited == r.invited);
    }
    // Totals by the definition, recursively.
    const auto naive_total = [&](const auto& self, std::size_t u) -> std::optional<std::size_t> {
      if (tt[u].invited) {
        return tt[u].invited;
      }
      if (tt[u].children.empty()) {
        return std::nullopt;
      }
      std::size_t sum = 0;
      for (const std::size_t c : tt[u].children) {
        const auto x = self(self, c);
        if (!x) {
          return std::nullopt;
        }
        sum += *x;
      }
      return sum;
    };
    for (std::size_t u = 0; u < tt.size(); ++u) {
      CHECK(tt.invited_total(u) == naive_total(naive_total, u));
    }
    bool all_top = !tt[0].children.empty();
    std::size_t top_sum = 0;
    for (const std::size_t c : tt[0].children) {
      all_top = all_top && tt[c].invited.has_value();
      top_sum += tt[c].invited.value_or(0);
    }
    CHECK(tt[0].invited == (all_top ? std::optional<std::size_t>(top_sum) : std::nullopt));
    std::shuffle(rows.begin(), rows.end(), rng);
    CHECK(ids_of(unit_tree::from_table(rows)) == ids_of(tt));

    // One count made smaller than its sub-units' is always caught, on its own line.
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const std::size_t u = idx(tt, rows[i].unit);
      if (rows[i].invited && std::any_of(tt[u].children.begin(), tt[u].children.end(),
                                         [&](std::size_t c) { return naive_total(naive_total, c).value_or(0) > 0; })) {
        auto bad = rows;
        bad[i].invited = 0;
        const std::string m = table_error(bad);
        CHECK(m.starts_with("units.csv:" + std::to_string(i + 1) + ": unit '" + rows[i].unit + "': invited 0, but"));
        break;
      }
    }
  }
}
