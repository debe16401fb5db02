// The output attack: what a reader of ethos-assess's reports can work out, searched for exactly.
//
// For random organisations written to files (departments, team paths, tenure, people whose department and team
// disagree, people who stop part way, an outcome some skip, an earlier wave, internal-service ratings), the tool
// runs with every option; this program reads the JSON it writes and, from the raw files alone and with its own
// code, rebuilds the set of people behind every published figure. Each figure is checked against its set (the n,
// the mean, the favourable share, the eNPS counts, the driver r ...), so the sets are the ones the figures really
// describe. Then every published (n, mean) and (answers, favourable) pair, per variable, is a linear equation in
// the people's values, and an exact search over the rationals looks for any combination of them, with any signs,
// that is supported on 1..k-1 people. It must find none. The same over two reports of one survey through a ledger,
// and over the text report of the bundled sample. Every number in the JSON must be one this program knows how to
// place, so that a new section cannot publish without being attacked here too.
//
// Usage: ethos_attack_tests (Catch2), with ETHOS_ASSESS (the tool) and ETHOS_SOURCE_DIR set at build time.
#include <boost/multiprecision/cpp_int.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <sys/wait.h>

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using big = boost::multiprecision::cpp_int;

// ---------------------------------------------------------------------------------------------------------------
// The instrument, read from its JSON file with nlohmann directly (not through ethos).

struct item {
  std::string id;
  std::string construct; // empty for the NPS and six-level items
  bool reverse = false;
  std::string format;
};

struct instrument {
  std::vector<item> items;
  std::vector<std::string> constructs;
  int lo = 1;
  int hi = 5;
  int favorable_min = 4;
  std::string nps;

  std::vector<std::size_t> items_of(const std::string& c) const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (items[i].construct == c) {
        out.push_back(i);
      }
    }
    return out;
  }
};

instrument read_instrument() {
  std::ifstream f(std::string(ETHOS_SOURCE_DIR) + "/examples/data/service_culture_audit.json");
  const json j = json::parse(f);
  instrument inst;
  inst.lo = j["scale"]["min"];
  inst.hi = j["scale"]["max"];
  inst.favorable_min = j["scale"]["favorable_min"];
  inst.nps = j["nps_item"];
  for (const auto& c : j["constructs"]) {
    inst.constructs.push_back(c["key"]);
  }
  for (const auto& it : j["items"]) {
    item x;
    x.id = it["id"];
    x.construct = it["construct"].is_null() ? std::string() : it["construct"].get<std::string>();
    x.reverse = it["reverse"];
    x.format = it["format"];
    inst.items.push_back(x);
  }
  return inst;
}

// ---------------------------------------------------------------------------------------------------------------
// A survey: rows of people, each with answers (-1: missing) in instrument item order.

struct row {
  std::string id;
  std::string department;
  std::string team;
  std::string tenure;
  std::vector<int> answers;
};

struct rating {
  std::string person;
  std::string rater_unit;
  std::string served_unit;
  int value = 0;
};

struct organisation {
  std::vector<row> current;
  std::vector<row> previous;
  std::vector<rating> ratings;
};

// One random organisation. `seed` fixes everything.
organisation generate(const instrument& inst, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const auto uniform = [&](int a, int b) { return std::uniform_int_distribution<int>(a, b)(rng); };
  const auto chance = [&](double p) { return std::bernoulli_distribution(p)(rng); };
  organisation o;
  const int departments = uniform(3, 5);
  std::vector<std::pair<std::string, std::string>> teams;
  for (int d = 0; d < departments; ++d) {
    const int t = uniform(2, 5);
    for (int i = 0; i < t; ++i) {
      teams.emplace_back("D" + std::to_string(d), "D" + std::to_string(d) + "/T" + std::to_string(i));
    }
  }
  const int people = uniform(120, 300);
  const std::vector<std::string> tenures{"<1", "1-3", "3+", ""};
  const auto answers_of = [&](double lean) {
    std::vector<int> a(inst.items.size(), -1);
    const std::size_t stop = chance(0.06) ? static_cast<std::size_t>(uniform(4, 50)) : inst.items.size();
    for (std::size_t i = 0; i < inst.items.size(); ++i) {
      if (i >= stop) {
        break;
      }
      const auto& it = inst.items[i];
      if (it.format == "nps") {
        a[i] = chance(0.1) ? -1 : std::clamp(static_cast<int>(std::lround(lean * 2.5)) + uniform(-3, 2), 0, 10);
      } else if (it.format == "service_level") {
        a[i] = chance(0.1) ? -1 : uniform(1, 6);
      } else {
        a[i] = chance(0.04) ? -1 : std::clamp(static_cast<int>(std::lround(lean)) + uniform(-1, 1), 1, 5);
      }
    }
    return a;
  };
  for (int p = 0; p < people; ++p) {
    // Team sizes are uneven: low-numbered teams are favoured, so some teams stay tiny.
    const auto& t = teams[static_cast<std::size_t>(
        std::min(uniform(0, static_cast<int>(teams.size()) - 1), uniform(0, static_cast<int>(teams.size()) - 1)))];
    row r;
    r.id = "R" + std::to_string(1000 + p);
    r.team = t.second;
    r.department = t.first;
    r.tenure = tenures[static_cast<std::size_t>(uniform(0, 3))];
    r.answers = answers_of(2.0 + 2.0 * std::uniform_real_distribution<double>(0, 1)(rng));
    o.current.push_back(std::move(r));
  }
  // A few people whose department label disagrees with their team path.
  for (int s = uniform(1, 3); s > 0; --s) {
    auto& r = o.current[static_cast<std::size_t>(uniform(0, people - 1))];
    r.department = "D" + std::to_string(uniform(0, departments - 1));
  }
  // The earlier wave: either the same survey exported again without a few people (so an attack by subtraction
  // is possible), or a real earlier wave (most of the same ids, new answers, some other people).
  if (chance(0.5)) {
    for (const auto& r : o.current) {
      if (!chance(0.015)) {
        o.previous.push_back(r);
      }
    }
  } else {
    for (const auto& r : o.current) {
      if (chance(0.8)) {
        row p = r;
        p.answers = answers_of(2.0 + 2.0 * std::uniform_real_distribution<double>(0, 1)(rng));
        o.previous.push_back(std::move(p));
      }
    }
  }
  // Internal service: people rate one to three departments (sometimes their own, which is left out).
  for (const auto& r : o.current) {
    if (!chance(0.6)) {
      continue;
    }
    std::set<int> rated;
    for (int n = uniform(1, 3); n > 0; --n) {
      rated.insert(uniform(0, departments - 1));
    }
    for (const auto d : rated) {
      o.ratings.push_back({r.id, r.department, "D" + std::to_string(d), uniform(1, 6)});
    }
  }
  return o;
}

void write_survey(const fs::path& path, const instrument& inst, const std::vector<row>& rows) {
  std::ofstream f(path, std::ios::binary);
  f << "id,department,team,tenure";
  for (const auto& it : inst.items) {
    f << "," << it.id;
  }
  f << "\n";
  for (const auto& r : rows) {
    f << r.id << "," << r.department << "," << r.team << "," << r.tenure;
    for (const auto a : r.answers) {
      f << ",";
      if (a >= 0) {
        f << a;
      }
    }
    f << "\n";
  }
}

void write_ratings(const fs::path& path, const std::vector<rating>& ratings) {
  std::ofstream f(path, std::ios::binary);
  f << "person,rater_unit,served_unit,rating\n";
  for (const auto& r : ratings) {
    f << r.person << "," << r.rater_unit << "," << r.served_unit << "," << r.value << "\n";
  }
}

// The sample survey, read back with a plain CSV split (its fields hold no quotes or commas).
std::vector<row> read_survey(const fs::path& path, const instrument& inst) {
  std::ifstream f(path, std::ios::binary);
  std::string line;
  std::getline(f, line);
  std::vector<std::string> header;
  {
    std::stringstream ss(line);
    std::string x;
    while (std::getline(ss, x, ',')) {
      header.push_back(x);
    }
  }
  std::vector<row> out;
  while (std::getline(f, line)) {
    if (line.empty()) {
      continue;
    }
    std::vector<std::string> fields;
    std::size_t pos = 0;
    while (true) {
      const auto c = line.find(',', pos);
      fields.push_back(line.substr(pos, c == std::string::npos ? std::string::npos : c - pos));
      if (c == std::string::npos) {
        break;
      }
      pos = c + 1;
    }
    row r;
    r.answers.assign(inst.items.size(), -1);
    for (std::size_t i = 0; i < header.size() && i < fields.size(); ++i) {
      if (header[i] == "id") {
        r.id = fields[i];
      } else if (header[i] == "department") {
        r.department = fields[i];
      } else if (header[i] == "team") {
        r.team = fields[i];
      } else if (header[i] == "tenure") {
        r.tenure = fields[i];
      } else {
        for (std::size_t j = 0; j < inst.items.size(); ++j) {
          if (inst.items[j].id == header[i] && !fields[i].empty()) {
            r.answers[j] = std::stoi(fields[i]);
          }
        }
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Person-level values, computed here from the answers.

struct scores {
  // [construct][row]: the mean of the keyed answered items when at least half are answered.
  std::vector<std::vector<std::optional<double>>> score;
  std::vector<std::vector<int>> favourable; // favourable answers of a scored person
  std::vector<std::vector<int>> answered;   // answers of a scored person
};

scores score_rows(const instrument& inst, const std::vector<row>& rows) {
  scores s;
  for (const auto& c : inst.constructs) {
    const auto items = inst.items_of(c);
    std::vector<std::optional<double>> sc;
    std::vector<int> fav;
    std::vector<int> ans;
    for (const auto& r : rows) {
      int sum = 0;
      int n = 0;
      int f = 0;
      for (const auto i : items) {
        if (r.answers[i] >= 0) {
          const int keyed = inst.items[i].reverse ? inst.lo + inst.hi - r.answers[i] : r.answers[i];
          sum += keyed;
          ++n;
          f += keyed >= inst.favorable_min ? 1 : 0;
        }
      }
      const bool ok = n >= static_cast<int>((items.size() + 1) / 2);
      sc.push_back(ok ? std::optional<double>(static_cast<double>(sum) / n) : std::nullopt);
      fav.push_back(ok ? f : 0);
      ans.push_back(ok ? n : 0);
    }
    s.score.push_back(std::move(sc));
    s.favourable.push_back(std::move(fav));
    s.answered.push_back(std::move(ans));
  }
  return s;
}

bool in_unit(const row& r, const std::string& unit) {
  return unit.empty() || r.team == unit || r.team.starts_with(unit + "/");
}

// ---------------------------------------------------------------------------------------------------------------
// Exact search: is some vector in the span of the cells (over the rationals), not zero, supported on 1..k-1
// persons? Cells are sets of elements; `person_of` maps elements to persons.

struct family {
  std::vector<std::vector<std::uint32_t>> cells;
  std::vector<std::string> labels;
  std::map<std::uint32_t, std::uint32_t> person_of; // element -> person

  void add(std::string label, std::vector<std::uint32_t> members) {
    std::sort(members.begin(), members.end());
    members.erase(std::unique(members.begin(), members.end()), members.end());
    if (!members.empty()) {
      cells.push_back(std::move(members));
      labels.push_back(std::move(label));
    }
  }
};

// Row echelon form by fraction-free elimination with each row divided by the gcd of its entries (exact, and the
// numbers stay small for 0/1 matrices); returns the rows, each with its first nonzero column.
std::vector<std::vector<big>> echelon(std::vector<std::vector<big>> a, std::size_t cols) {
  std::vector<std::vector<big>> out;
  std::size_t r0 = 0;
  for (std::size_t c = 0; c < cols && r0 < a.size(); ++c) {
    std::size_t p = r0;
    while (p < a.size() && a[p][c] == 0) {
      ++p;
    }
    if (p == a.size()) {
      continue;
    }
    std::swap(a[p], a[r0]);
    for (std::size_t r = r0 + 1; r < a.size(); ++r) {
      if (a[r][c] == 0) {
        continue;
      }
      const big f = a[r][c];
      const big g = a[r0][c];
      big d = 0;
      for (std::size_t j = c; j < cols; ++j) {
        a[r][j] = a[r][j] * g - a[r0][j] * f;
        d = boost::multiprecision::gcd(d, a[r][j]);
      }
      if (d > 1) {
        for (std::size_t j = c; j < cols; ++j) {
          a[r][j] /= d;
        }
      }
    }
    out.push_back(a[r0]);
    ++r0;
  }
  return out;
}

// An exposure found: the persons, or nothing.
std::optional<std::vector<std::uint32_t>> exposure(const family& f, std::size_t k) {
  // Atoms: elements with the same cells.
  std::map<std::uint32_t, std::vector<std::size_t>> sig;
  for (std::size_t c = 0; c < f.cells.size(); ++c) {
    for (const auto e : f.cells[c]) {
      sig[e].push_back(c);
    }
  }
  std::map<std::vector<std::size_t>, std::set<std::uint32_t>> atoms_map;
  for (const auto& [e, s] : sig) {
    const auto it = f.person_of.find(e);
    atoms_map[s].insert(it == f.person_of.end() ? e : it->second);
  }
  std::vector<std::vector<std::size_t>> atoms;
  std::vector<std::set<std::uint32_t>> persons;
  // Large atoms first, small ones last.
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& [s, ps] : atoms_map) {
      if ((ps.size() < k) == (pass == 1)) {
        atoms.push_back(s);
        persons.push_back(ps);
      }
    }
  }
  std::size_t first_small = 0;
  while (first_small < atoms.size() && persons[first_small].size() >= k) {
    ++first_small;
  }
  const std::size_t n = atoms.size();
  std::vector<std::vector<big>> m(f.cells.size(), std::vector<big>(n, 0));
  for (std::size_t a = 0; a < n; ++a) {
    for (const auto c : atoms[a]) {
      m[c][a] = 1;
    }
  }
  // The combinations supported on small atoms only: echelon rows whose first nonzero entry is a small column.
  std::vector<std::vector<big>> w;
  for (auto& r : echelon(std::move(m), n)) {
    std::size_t lead = 0;
    while (r[lead] == 0) {
      ++lead;
    }
    if (lead >= first_small) {
      w.emplace_back(r.begin() + static_cast<std::ptrdiff_t>(first_small), r.end());
    }
  }
  if (w.empty()) {
    return std::nullopt;
  }
  // Reduced row echelon form of those rows over the rationals: each pivot column is zero in every other row.
  using rational = boost::multiprecision::cpp_rational;
  const std::size_t s = n - first_small;
  std::vector<std::vector<rational>> g;
  std::vector<std::size_t> pivot;
  for (const auto& r : w) {
    std::vector<rational> row(r.begin(), r.end());
    std::size_t lead = 0;
    while (row[lead] == 0) {
      ++lead;
    }
    const rational inv = 1 / row[lead];
    for (auto& x : row) {
      x *= inv;
    }
    g.push_back(std::move(row));
    pivot.push_back(lead);
  }
  for (std::size_t i = 0; i < g.size(); ++i) {
    for (std::size_t j = 0; j < g.size(); ++j) {
      if (j != i && g[j][pivot[i]] != 0) {
        const rational factor = g[j][pivot[i]];
        for (std::size_t c = 0; c < s; ++c) {
          g[j][c] -= factor * g[i][c];
        }
      }
    }
  }
  // The rows fall into components with disjoint columns (rows linked through a shared nonzero column). A
  // combination's part in one component is itself a combination of the same kind, on fewer persons; so a
  // smallest exposure lies in one component, and each is searched on its own.
  std::vector<std::size_t> comp(g.size());
  for (std::size_t i = 0; i < g.size(); ++i) {
    comp[i] = i;
  }
  const auto find = [&](std::size_t x) {
    while (comp[x] != x) {
      x = comp[x] = comp[comp[x]];
    }
    return x;
  };
  for (std::size_t c = 0; c < s; ++c) {
    std::optional<std::size_t> first;
    for (std::size_t i = 0; i < g.size(); ++i) {
      if (g[i][c] != 0) {
        if (first) {
          comp[find(i)] = find(*first);
        } else {
          first = i;
        }
      }
    }
  }
  for (std::size_t root = 0; root < g.size(); ++root) {
    if (find(root) != root) {
      continue;
    }
    std::vector<std::size_t> rows;
    std::vector<std::size_t> cols;
    for (std::size_t i = 0; i < g.size(); ++i) {
      if (find(i) == root) {
        rows.push_back(i);
      }
    }
    for (std::size_t c = 0; c < s; ++c) {
      for (const auto i : rows) {
        if (g[i][c] != 0) {
          cols.push_back(c);
          break;
        }
      }
    }
    // A vector of the component is a combination of its rows; it is supported within a set T of columns exactly
    // when it is orthogonal to the parity checks, and so when the parity-check columns of T are dependent. The
    // parity checks: one per non-pivot column j, e_j minus the rows' entries in column j at their pivots.
    std::vector<std::size_t> free_cols;
    for (const auto c : cols) {
      if (std::none_of(rows.begin(), rows.end(), [&](std::size_t i) { return pivot[i] == c; })) {
        free_cols.push_back(c);
      }
    }
    const std::size_t h = free_cols.size();
    std::vector<std::vector<rational>> check_col(cols.size(), std::vector<rational>(h, 0));
    for (std::size_t x = 0; x < cols.size(); ++x) {
      const std::size_t c = cols[x];
      for (std::size_t f2 = 0; f2 < h; ++f2) {
        if (free_cols[f2] == c) {
          check_col[x][f2] = 1;
        }
      }
      for (const auto i : rows) {
        if (pivot[i] == c) {
          for (std::size_t f2 = 0; f2 < h; ++f2) {
            check_col[x][f2] = -g[i][free_cols[f2]];
          }
        }
      }
    }
    // Depth first over sets T with fewer than k persons, keeping the chosen columns reduced: a column that reduces
    // to zero makes the set dependent, and so T holds an exposure.
    std::vector<std::pair<std::vector<rational>, std::size_t>> basis; // reduced vector, its leading index
    std::optional<std::vector<std::uint32_t>> found;
    auto dfs = [&](auto&& self, std::size_t from, const std::set<std::uint32_t>& ps) -> void {
      for (std::size_t x = from; x < cols.size() && !found; ++x) {
        auto grown = ps;
        const auto& atom_ps = persons[first_small + cols[x]];
        grown.insert(atom_ps.begin(), atom_ps.end());
        if (grown.size() >= k) {
          continue;
        }
        auto v = check_col[x];
        for (const auto& [b, lead] : basis) {
          if (v[lead] != 0) {
            const rational factor = v[lead];
            for (std::size_t j = 0; j < h; ++j) {
              v[j] -= factor * b[j];
            }
          }
        }
        std::size_t lead = 0;
        while (lead < h && v[lead] == 0) {
          ++lead;
        }
        if (lead == h) {
          found = std::vector<std::uint32_t>(grown.begin(), grown.end());
          return;
        }
        const rational inv = 1 / v[lead];
        for (auto& y : v) {
          y *= inv;
        }
        basis.emplace_back(std::move(v), lead);
        self(self, x + 1, grown);
        basis.pop_back();
      }
    };
    dfs(dfs, 0, {});
    if (found) {
      return found;
    }
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading a report: every figure placed on its set, checked, and added to its domain.

struct attack {
  const instrument& inst;
  const std::vector<row>& rows;
  const std::vector<row>* previous = nullptr;
  const std::vector<rating>* ratings = nullptr;
  std::string group_by = "department";
  std::size_t checked = 0; // figures compared with a recomputation
  std::map<std::string, family> domains;
  std::vector<std::string> problems;

  scores now;
  std::optional<scores> before;
  std::vector<std::uint32_t> previous_element; // earlier row -> element

  attack(const instrument& i, const std::vector<row>& r) : inst(i), rows(r), now(score_rows(i, r)) {}

  void set_previous(const std::vector<row>* p) {
    previous = p;
    if (p == nullptr) {
      return;
    }
    before = score_rows(inst, *p);
    // An earlier row is the same element as a current row when it is the same person with the same answers.
    std::map<std::string, std::size_t> current;
    for (std::size_t r = 0; r < rows.size(); ++r) {
      current[rows[r].id] = r;
    }
    std::uint32_t next = static_cast<std::uint32_t>(rows.size());
    std::map<std::string, std::uint32_t> person;
    for (std::size_t r = 0; r < rows.size(); ++r) {
      person[rows[r].id] = static_cast<std::uint32_t>(r);
    }
    for (const auto& pr : *p) {
      const auto it = current.find(pr.id);
      if (it != current.end() && rows[it->second].answers == pr.answers) {
        previous_element.push_back(static_cast<std::uint32_t>(it->second));
        continue;
      }
      const std::uint32_t e = next++;
      previous_element.push_back(e);
      element_person[e] = person.try_emplace(pr.id, e).first->second;
    }
  }
  std::map<std::uint32_t, std::uint32_t> element_person;

  void problem(const std::string& what) {
    if (problems.size() < 20) {
      problems.push_back(what);
    }
  }

  void expect_near(const std::string& where, double published, double recomputed) {
    ++checked;
    if (!(std::abs(published - recomputed) <= 1e-9 * std::max(1.0, std::abs(recomputed)))) {
      problem(where + ": published " + std::to_string(published) + ", recomputed " + std::to_string(recomputed));
    }
  }
  void expect_equal(const std::string& where, std::size_t published, std::size_t recomputed) {
    ++checked;
    if (published != recomputed) {
      problem(where + ": published " + std::to_string(published) + ", recomputed " + std::to_string(recomputed));
    }
  }

  std::size_t construct_index(const std::string& key) const {
    return static_cast<std::size_t>(std::find(inst.constructs.begin(), inst.constructs.end(), key) -
                                    inst.constructs.begin());
  }

  // A (n, mean, favourable) cell of construct c over the current rows with `in`.
  template <class In>
  void construct_cell(const std::string& where, std::size_t c, const json& cell, In in) {
    std::vector<std::uint32_t> members;
    double sum = 0;
    long fav = 0;
    long answers = 0;
    for (std::size_t r = 0; r < rows.size(); ++r) {
      if (in(rows[r]) && now.score[c][r]) {
        members.push_back(static_cast<std::uint32_t>(r));
        sum += *now.score[c][r];
        fav += now.favourable[c][r];
        answers += now.answered[c][r];
      }
    }
    expect_equal(where + " n", cell["n"].get<std::size_t>(), members.size());
    if (!cell.contains("mean") || cell["mean"].is_null()) {
      return; // hidden, or nothing to show: no figure
    }
    expect_near(where + " mean", cell["mean"], sum / static_cast<double>(members.size()));
    if (cell.contains("favorable") && !cell["favorable"].is_null()) {
      expect_near(where + " favourable", cell["favorable"], static_cast<double>(fav) / static_cast<double>(answers));
    }
    domains["construct:" + inst.constructs[c]].add(where, std::move(members));
  }

  void read(const json& j) {
    // Overall constructs.
    for (const auto& jc : j["constructs"]) {
      const std::size_t c = construct_index(jc["key"]);
      construct_cell("constructs/" + jc["key"].get<std::string>(), c, jc, [](const row&) { return true; });
      if (jc.contains("agreement") && !jc["agreement"]["icc1"].is_null()) {
        // ICC and rwg(j) over the shown groups: their union is a cell too (nonlinear figures over shown cells).
        std::set<std::string> shown;
        for (const auto& g : j["groups"]) {
          if (!g["suppressed"].get<bool>() && !g["constructs"][jc["key"].get<std::string>()].contains("status")) {
            shown.insert(g["id"]);
          }
        }
        std::vector<std::uint32_t> members;
        for (std::size_t r = 0; r < rows.size(); ++r) {
          if (shown.count(field_of(rows[r], group_by)) != 0 && now.score[c][r]) {
            members.push_back(static_cast<std::uint32_t>(r));
          }
        }
        domains["construct:" + inst.constructs[c]].add("ICC over shown groups", std::move(members));
      }
    }
    // eNPS.
    if (j.contains("enps")) {
      const auto& e = j["enps"];
      const std::size_t ni = item_index(inst.nps);
      std::vector<std::uint32_t> members;
      std::size_t promoters = 0;
      std::size_t detractors = 0;
      for (std::size_t r = 0; r < rows.size(); ++r) {
        const int x = rows[r].answers[ni];
        if (x >= 0) {
          members.push_back(static_cast<std::uint32_t>(r));
          promoters += x >= 9 ? 1U : 0U;
          detractors += x <= 6 ? 1U : 0U;
        }
      }
      expect_equal("enps n", e["n"], members.size());
      if (!e["score"].is_null()) {
        expect_equal("enps promoters", e["promoters"], promoters);
        expect_equal("enps detractors", e["detractors"], detractors);
        domains["item:" + inst.nps].add("eNPS", std::move(members));
      }
    }
    // Six-level items.
    if (j.contains("service_levels")) {
      for (const auto& sl : j["service_levels"]) {
        const std::size_t i = item_index(sl["item"]);
        std::vector<std::uint32_t> members;
        std::vector<std::size_t> counts(6, 0);
        for (std::size_t r = 0; r < rows.size(); ++r) {
          if (rows[r].answers[i] >= 1) {
            members.push_back(static_cast<std::uint32_t>(r));
            ++counts[static_cast<std::size_t>(rows[r].answers[i] - 1)];
          }
        }
        expect_equal("six-level n", sl["n"], members.size());
        if (sl.contains("distribution")) {
          for (std::size_t l = 0; l < 6; ++l) {
            expect_equal("six-level count", sl["distribution"][l], counts[l]);
          }
          domains["item:" + sl["item"].get<std::string>()].add("six-level", std::move(members));
        }
      }
    }
    // Groups.
    if (j.contains("groups")) {
      for (const auto& g : j["groups"]) {
        if (g["suppressed"].get<bool>()) {
          continue;
        }
        const std::string id = g["id"];
        for (const auto& [key, cell] : g["constructs"].items()) {
          if (cell.contains("status")) {
            continue;
          }
          construct_cell("group " + id + "/" + key, construct_index(key), cell,
                         [&](const row& r) { return field_of(r, group_by) == id; });
        }
      }
    }
    // Units and cuts.
    if (j.contains("units")) {
      for (const auto& u : j["units"]) {
        const std::string id = u["id"];
        for (const auto& [key, cell] : u["constructs"].items()) {
          if (cell["status"] != "none") {
            continue;
          }
          construct_cell("unit " + id + "/" + key, construct_index(key), cell,
                         [&](const row& r) { return in_unit(r, id); });
        }
      }
    }
    if (j.contains("cuts")) {
      for (const auto& cc : j["cuts"]["cells"]) {
        const std::string id = cc["unit"];
        const std::string level = cc["level"];
        for (const auto& [key, cell] : cc["constructs"].items()) {
          if (cell["status"] != "none") {
            continue;
          }
          construct_cell("cut " + id + " x " + level + "/" + key, construct_index(key), cell,
                         [&](const row& r) { return in_unit(r, id) && r.tenure == level; });
        }
      }
    }
    // Drivers: performance is the unit's published mean; r is over the unit's complete cases; the outcome's rows in
    // the unit are a cell of the outcome's domain (the rows the correlations come from must be a safe cell).
    if (j.contains("drivers")) {
      for (const auto& d : j["drivers"]) {
        if (d["r_squared"].is_null()) {
          for (const auto& e : d["drivers"]) {
            if (!e["r"].is_null() || !e["performance"].is_null()) {
              problem("withheld driver analysis of '" + d["unit"].get<std::string>() + "' still shows figures");
            }
          }
          continue;
        }
        const std::string unit = d["unit"];
        const std::size_t ni = item_index(inst.nps);
        std::vector<std::uint32_t> outcome_rows;
        std::vector<std::size_t> complete;
        for (std::size_t r = 0; r < rows.size(); ++r) {
          if (!in_unit(rows[r], unit) || rows[r].answers[ni] < 0) {
            continue;
          }
          outcome_rows.push_back(static_cast<std::uint32_t>(r));
          bool all = true;
          for (std::size_t c = 0; c < inst.constructs.size(); ++c) {
            all = all && now.score[c][r].has_value();
          }
          if (all) {
            complete.push_back(r);
          }
        }
        expect_equal("drivers " + unit + " n", d["n"], complete.size());
        domains["item:" + inst.nps].add("drivers " + unit + " outcome", std::move(outcome_rows));
        const auto& unit_json = unit_named(unit);
        for (const auto& e : d["drivers"]) {
          const std::string key = e["key"];
          const auto& cell = unit_json["constructs"][key];
          if (cell["status"] != "none") {
            problem("driver analysis of '" + unit + "' shown over a hidden unit cell");
            continue;
          }
          expect_near("drivers " + unit + " " + key + " performance", e["performance"], cell["mean"]);
          // Pearson r over the complete cases, computed here.
          const std::size_t c = construct_index(key);
          double sx = 0, sy = 0;
          for (const auto r : complete) {
            sx += *now.score[c][r];
            sy += rows[r].answers[ni];
          }
          const double mx = sx / static_cast<double>(complete.size());
          const double my = sy / static_cast<double>(complete.size());
          double sxx = 0, syy = 0, sxy = 0;
          for (const auto r : complete) {
            const double dx = *now.score[c][r] - mx;
            const double dy = rows[r].answers[ni] - my;
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
          }
          expect_near("drivers " + unit + " " + key + " r", e["r"], sxy / std::sqrt(sxx * syy));
        }
      }
    }
    // Trend: the earlier mean is a cell of the construct's domain over the earlier wave's elements.
    if (j.contains("trend") && previous != nullptr) {
      const auto& t = j["trend"];
      for (const auto& u : t["units"]) {
        const std::string unit = u["unit"];
        for (const auto& [key, ch] : u["constructs"].items()) {
          const std::size_t c = construct_index(key);
          std::vector<std::uint32_t> members;
          double sum = 0;
          for (std::size_t r = 0; r < previous->size(); ++r) {
            if (in_unit((*previous)[r], unit) && before->score[c][r]) {
              members.push_back(previous_element[r]);
              sum += *before->score[c][r];
            }
          }
          expect_equal("trend " + unit + "/" + key + " n_before", ch["n_before"], members.size());
          if (!ch["after"].is_null()) {
            const auto& cell = unit_named(unit)["constructs"][key];
            if (cell["status"] != "none") {
              problem("trend shows a later mean of a hidden unit cell: " + unit + "/" + key);
            } else {
              expect_near("trend " + unit + "/" + key + " after", ch["after"], cell["mean"]);
            }
          }
          if (ch["before"].is_null()) {
            if (!ch["change"].is_null() || !ch["t"].is_null() || !ch["d"].is_null()) {
              problem("trend " + unit + "/" + key + " shows a change without its earlier mean");
            }
            continue;
          }
          expect_near("trend " + unit + "/" + key + " before", ch["before"], sum / static_cast<double>(members.size()));
          auto& fam = domains["construct:" + key];
          for (const auto e : members) {
            const auto it = element_person.find(e);
            if (it != element_person.end()) {
              fam.person_of[e] = it->second;
            }
          }
          fam.add("trend " + unit + " earlier/" + key, std::move(members));
        }
      }
    }
    // Internal service: cells of ratings, persons the raters.
    if (j.contains("internal_service") && ratings != nullptr) {
      const auto& is = j["internal_service"];
      std::vector<std::size_t> kept; // ratings of another unit
      for (std::size_t i = 0; i < ratings->size(); ++i) {
        if ((*ratings)[i].rater_unit != (*ratings)[i].served_unit) {
          kept.push_back(i);
        }
      }
      auto& fam = domains["internal_service"];
      std::map<std::string, std::uint32_t> rater;
      for (std::size_t e = 0; e < kept.size(); ++e) {
        fam.person_of[static_cast<std::uint32_t>(e)] =
            rater.try_emplace((*ratings)[kept[e]].person, static_cast<std::uint32_t>(rater.size())).first->second;
      }
      const auto cell_of = [&](const std::string& where, const json& cell, auto in) {
        std::vector<std::uint32_t> members;
        std::set<std::string> persons;
        double sum = 0;
        for (std::size_t e = 0; e < kept.size(); ++e) {
          const auto& rt = (*ratings)[kept[e]];
          if (in(rt)) {
            members.push_back(static_cast<std::uint32_t>(e));
            persons.insert(rt.person);
            sum += rt.value;
          }
        }
        expect_equal(where + " ratings", cell["ratings"], members.size());
        expect_equal(where + " persons", cell["persons"], persons.size());
        if (cell["status"] != "none" || members.empty()) {
          if (cell.contains("mean") || cell.contains("distribution")) {
            problem(where + ": a hidden cell carries figures");
          }
          return;
        }
        expect_near(where + " mean", cell["mean"], sum / static_cast<double>(members.size()));
        fam.add(where, std::move(members));
      };
      for (const auto& cell : is["matrix"]) {
        const std::string a = cell["rater"];
        const std::string b = cell["served"];
        cell_of("matrix " + a + " -> " + b, cell,
                [&](const rating& r) { return r.rater_unit == a && r.served_unit == b; });
      }
      for (const auto& item : is["received"].items()) {
        const std::string u = item.key(); // a named copy: clang 14 lambdas cannot capture structured bindings
        cell_of("received " + u, item.value(), [&](const rating& r) { return r.served_unit == u; });
      }
      for (const auto& item : is["given"].items()) {
        const std::string u = item.key();
        cell_of("given " + u, item.value(), [&](const rating& r) { return r.rater_unit == u; });
      }
      cell_of("all ratings", is["overall"], [](const rating&) { return true; });
    }
    for (auto& [name, fam] : domains) {
      (void)name;
      for (const auto& [e, p] : element_person) {
        if (fam.person_of.count(e) == 0 && std::any_of(fam.cells.begin(), fam.cells.end(), [&](const auto& c) {
              return std::binary_search(c.begin(), c.end(), e);
            })) {
          fam.person_of[e] = p;
        }
      }
    }
  }

  std::size_t item_index(const std::string& id) const {
    for (std::size_t i = 0; i < inst.items.size(); ++i) {
      if (inst.items[i].id == id) {
        return i;
      }
    }
    throw std::runtime_error("no item " + id);
  }

  static std::string field_of(const row& r, const std::string& column) {
    return column == "department" ? r.department : column == "team" ? r.team : r.tenure;
  }

  const json* units_json = nullptr;
  const json& unit_named(const std::string& id) const {
    for (const auto& u : *units_json) {
      if (u["id"] == id) {
        return u;
      }
    }
    throw std::runtime_error("no unit " + id);
  }

  // Every exposure in every domain, as messages.
  std::vector<std::string> search(std::size_t k) const {
    std::vector<std::string> out;
    for (const auto& [name, fam] : domains) {
      if (const auto found = exposure(fam, k)) {
        out.push_back(name + ": " + std::to_string(found->size()) + " person(s) exposed");
      }
    }
    return out;
  }
};

// Every number of the JSON must sit at a path this program places (a figure or a count).
void classify_numbers(const json& j, const std::string& path, std::vector<std::string>& unknown) {
  static const std::set<std::string> known{
      "/respondents/rows", "/respondents/used", "/respondents/invalid", "/min_group_size", "/ungrouped", "/scale/min",
      "/scale/max", "/scale/favorable_min", "/scale/unfavorable_max",
      // constructs
      "/constructs[]/n", "/constructs[]/mean", "/constructs[]/sd", "/constructs[]/index", "/constructs[]/favorable",
      "/constructs[]/neutral", "/constructs[]/unfavorable", "/constructs[]/reliability/alpha",
      "/constructs[]/reliability/std_alpha", "/constructs[]/reliability/average_r", "/constructs[]/reliability/ase",
      "/constructs[]/reliability/alpha_ci[]", "/constructs[]/reliability/alpha_if_dropped/*",
      "/constructs[]/reliability/r_drop/*", "/constructs[]/reliability/omega_total",
      "/constructs[]/reliability/ordinal_alpha", "/constructs[]/agreement/icc1", "/constructs[]/agreement/icc2",
      "/constructs[]/agreement/rwg_j_mean", "/constructs[]/agreement/rwg_j_median",
      "/constructs[]/agreement/groups_with_rwg_j",
      // eNPS and six-level items
      "/enps/score", "/enps/promoters", "/enps/passives", "/enps/detractors", "/enps/n", "/enps/se",
      "/service_levels[]/n", "/service_levels[]/distribution[]",
      // groups, units, cuts
      "/groups[]/n", "/groups[]/constructs/*/n", "/groups[]/constructs/*/mean", "/groups[]/constructs/*/favorable",
      "/groups[]/constructs/*/rwg_j", "/units[]/depth", "/units[]/respondents", "/units[]/direct", "/units[]/invited",
      "/units[]/participation", "/units[]/constructs/*/n", "/units[]/constructs/*/mean", "/units[]/constructs/*/sd",
      "/units[]/constructs/*/favorable", "/units[]/constructs/*/rwg_j", "/cuts/unlabelled", "/cuts/cells[]/respondents",
      "/cuts/cells[]/constructs/*/n", "/cuts/cells[]/constructs/*/mean", "/cuts/cells[]/constructs/*/sd",
      "/cuts/cells[]/constructs/*/favorable", "/cuts/cells[]/constructs/*/rwg_j",
      // drivers and trend
      "/drivers[]/n", "/drivers[]/dropped", "/drivers[]/r_squared", "/drivers[]/importance_centre",
      "/drivers[]/performance_centre", "/drivers[]/drivers[]/r", "/drivers[]/drivers[]/weight",
      "/drivers[]/drivers[]/share", "/drivers[]/drivers[]/performance", "/trend/units[]/constructs/*/n_before",
      "/trend/units[]/constructs/*/n_after", "/trend/units[]/constructs/*/before", "/trend/units[]/constructs/*/after",
      "/trend/units[]/constructs/*/change", "/trend/units[]/constructs/*/t", "/trend/units[]/constructs/*/df",
      "/trend/units[]/constructs/*/p", "/trend/units[]/constructs/*/d",
      // internal service
      "/internal_service/matrix[]/ratings", "/internal_service/matrix[]/persons", "/internal_service/matrix[]/mean",
      "/internal_service/matrix[]/median", "/internal_service/matrix[]/distribution[]",
      "/internal_service/received/*/ratings", "/internal_service/received/*/persons",
      "/internal_service/received/*/mean", "/internal_service/received/*/median",
      "/internal_service/received/*/distribution[]", "/internal_service/given/*/ratings",
      "/internal_service/given/*/persons", "/internal_service/given/*/mean", "/internal_service/given/*/median",
      "/internal_service/given/*/distribution[]", "/internal_service/overall/ratings",
      "/internal_service/overall/persons", "/internal_service/overall/mean", "/internal_service/overall/median",
      "/internal_service/overall/distribution[]", "/internal_service/asymmetric[]/a_rates_b",
      "/internal_service/asymmetric[]/b_rates_a", "/internal_service/dropped_self",
      // the audit
      "/disclosure_audit/cells", "/disclosure_audit/domains", "/disclosure_audit/findings",
      "/disclosure_audit/min_group_size", "/disclosure_audit/earlier_releases",
      "/disclosure_audit/with_earlier_releases/cells", "/disclosure_audit/with_earlier_releases/min_group_size",
      "/disclosure_audit/with_earlier_releases/findings"};
  if (j.is_object()) {
    const bool keyed = path.ends_with("/constructs") && !path.starts_with("/constructs")
                           ? true
                           : path.ends_with("/alpha_if_dropped") || path.ends_with("/r_drop") ||
                                 path.ends_with("/received") || path.ends_with("/given");
    for (const auto& [key, value] : j.items()) {
      classify_numbers(value, path + "/" + (keyed ? std::string("*") : key), unknown);
    }
  } else if (j.is_array()) {
    for (const auto& value : j) {
      classify_numbers(value, path + "[]", unknown);
    }
  } else if (j.is_number() && known.count(path) == 0) {
    unknown.push_back(path);
  }
}

// Runs the tool; returns its exit code.
int run_tool(const std::string& args) {
  const std::string cmd =
      std::string(ETHOS_ASSESS) + " " + args + " 2>" + (fs::temp_directory_path() / "ethos_attack_stderr.txt").string();
  const int status = std::system(cmd.c_str());
  return status == -1 ? -1 : WEXITSTATUS(status);
}

json read_json(const fs::path& p) {
  std::ifstream f(p);
  return json::parse(f);
}

fs::path work_dir(const std::string& name) {
  const auto d = fs::path(ETHOS_WORK_DIR) / name;
  fs::create_directories(d);
  return d;
}

std::string q(const fs::path& p) { return "'" + p.string() + "'"; }

std::vector<row> sample_rows(const instrument& inst) {
  return read_survey(std::string(ETHOS_SOURCE_DIR) + "/examples/data/sample_survey.csv", inst);
}

// Reads one report into `a`, after checking that every number in it sits where this program can place it.
void read_report(attack& a, const json& j) {
  std::vector<std::string> unknown;
  classify_numbers(j, "", unknown);
  INFO("unplaced number: " << (unknown.empty() ? std::string() : unknown.front()));
  CHECK(unknown.empty());
  if (j.contains("units")) {
    a.units_json = &j["units"];
  }
  a.read(j);
}

// Every figure matched its set, and no combination of them exposes anyone.
void expect_safe(const attack& a, std::size_t k) {
  INFO("first problem: " << (a.problems.empty() ? std::string() : a.problems.front()));
  CHECK(a.problems.empty());
  const auto found = a.search(k);
  INFO("first exposure: " << (found.empty() ? std::string() : found.front()));
  CHECK(found.empty());
}

} // namespace

TEST_CASE("attack oracle: finds a signed leak and passes a safe family", "[attack]") {
  // Group A = S + p20, unit A = S + p21: their difference is two people.
  family f;
  std::vector<std::uint32_t> s(20);
  for (std::uint32_t i = 0; i < 20; ++i) {
    s[i] = i;
  }
  auto a = s;
  a.push_back(20);
  auto b = s;
  b.push_back(21);
  f.add("group A", a);
  f.add("unit A", b);
  const auto found = exposure(f, 5);
  REQUIRE(found);
  CHECK(*found == std::vector<std::uint32_t>{20, 21});
  // A 2 x 2 table with four margins and 6 people per inner cell: safe.
  family t;
  const auto block = [](std::uint32_t from) {
    std::vector<std::uint32_t> v;
    for (std::uint32_t i = from; i < from + 6; ++i) {
      v.push_back(i);
    }
    return v;
  };
  const auto join = [](std::vector<std::uint32_t> x, const std::vector<std::uint32_t>& y) {
    x.insert(x.end(), y.begin(), y.end());
    return x;
  };
  t.add("r1", join(block(0), block(6)));
  t.add("r2", join(block(12), block(18)));
  t.add("c1", join(block(0), block(12)));
  t.add("c2", join(block(6), block(18)));
  CHECK_FALSE(exposure(t, 5));
  // With one person counted in two elements (two waves), a set of elements of three persons is small.
  family w;
  w.add("after", {0, 1, 2, 3, 4, 5, 6});
  w.add("before", {7, 8, 9, 10, 11, 12});
  w.person_of = {{7, 0}, {8, 1}, {9, 2}, {10, 3}, {11, 4}, {12, 5}};
  CHECK_FALSE(exposure(w, 5)); // different values of the same people: nothing cancels
  w.add("same values", {0, 1, 2, 3, 4, 5});
  CHECK(exposure(w, 5)); // after minus these is person 6 alone
}

TEST_CASE("attack: random organisations with every option on leak nothing", "[attack]") {
  const auto inst = read_instrument();
  int withheld_somewhere = 0;
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    INFO("seed " << seed);
    const auto org = generate(inst, seed);
    const auto dir = work_dir("org" + std::to_string(seed));
    write_survey(dir / "wave2.csv", inst, org.current);
    write_survey(dir / "wave1.csv", inst, org.previous);
    write_ratings(dir / "ratings.csv", org.ratings);
    const std::size_t k = 3 + seed % 4;
    const auto out = dir / "report.json";
    const std::string args = q(dir / "wave2.csv") + " --group-by department --unit-column team --cut tenure" +
                             " --compare " + q(dir / "wave1.csv") + " --internal-service " + q(dir / "ratings.csv") +
                             " --internal-scale levels --min-group-size " + std::to_string(k) +
                             " --format json --out " + q(out);
    REQUIRE(run_tool(args) == 0);
    const auto j = read_json(out);
    attack a(inst, org.current);
    a.set_previous(&org.previous);
    a.ratings = &org.ratings;
    read_report(a, j);
    CHECK(a.checked > 500);
    expect_safe(a, k);
    for (const auto& w : j["warnings"]) {
      withheld_somewhere += w.get<std::string>().find("further cell") != std::string::npos ? 1 : 0;
    }
  }
  // The joint protection had work to do in some of them: the attack is not vacuous.
  CHECK(withheld_somewhere > 0);
}

TEST_CASE("attack: two reports of one survey through a ledger leak nothing together", "[attack]") {
  const auto inst = read_instrument();
  const std::vector<std::pair<std::string, std::string>> second{{"--min-group-size 7", "7"},
                                                                {"--group-by department --unit-column department", "5"},
                                                                {"--group-by team --unit-column ''", "5"}};
  for (std::size_t i = 0; i < second.size(); ++i) {
    INFO("second report: " << second[i].first);
    const auto org = generate(inst, 100 + i);
    const auto dir = work_dir("ledger" + std::to_string(i));
    write_survey(dir / "survey.csv", inst, org.current);
    const auto ledger = dir / "audience.ledger";
    fs::remove(ledger);
    const std::string base = q(dir / "survey.csv") + " --format json --ledger " + q(ledger);
    REQUIRE(run_tool(base + " --group-by department --unit-column team --out " + q(dir / "one.json")) == 0);
    REQUIRE(run_tool(base + " " + second[i].first + " --out " + q(dir / "two.json")) == 0);
    const auto one = read_json(dir / "one.json");
    const auto two = read_json(dir / "two.json");
    CHECK(two["disclosure_audit"]["earlier_releases"] == 1);
    CHECK(two["disclosure_audit"]["with_earlier_releases"]["safe"] == true);
    // Both reports' cells together, per domain, at the smaller k.
    attack a(inst, org.current);
    read_report(a, one);
    a.group_by = second[i].first.find("--group-by team") != std::string::npos ? "team" : "department";
    read_report(a, two);
    expect_safe(a, 5);
  }
}

TEST_CASE("attack: without the ledger the same two reports do leak", "[attack]") {
  // The case the issue found: the default report and one with --min-group-size 7, each safe alone.
  const auto inst = read_instrument();
  const auto rows = sample_rows(inst);
  const auto dir = work_dir("no_ledger");
  REQUIRE(run_tool("--format json --out " + q(dir / "one.json")) == 0);
  REQUIRE(run_tool("--format json --min-group-size 7 --out " + q(dir / "two.json")) == 0);
  attack a(inst, rows);
  const auto one = read_json(dir / "one.json");
  const auto two = read_json(dir / "two.json");
  read_report(a, one);
  read_report(a, two);
  CHECK(a.problems.empty());
  CHECK_FALSE(a.search(5).empty());
}

TEST_CASE("attack: the sample report in JSON (as the README command writes it and with a cut)", "[attack]") {
  const auto inst = read_instrument();
  const auto rows = sample_rows(inst);
  const auto dir = work_dir("sample");
  for (const std::string extra : {"", " --cut tenure"}) {
    INFO("options:" << extra);
    REQUIRE(run_tool("--format json" + extra + " --out " + q(dir / "report.json")) == 0);
    const auto j = read_json(dir / "report.json");
    attack a(inst, rows);
    read_report(a, j);
    CHECK(a.checked > 1000);
    expect_safe(a, 5);
  }
}

TEST_CASE("attack: the text report of the sample", "[attack]") {
  // The text shows the overall figures, the groups' and units' (down to depth 2) favourable shares or '-', and the
  // drivers; every shown cell of it is a cell here, placed by its label, and the search runs over them.
  const auto inst = read_instrument();
  const auto rows = sample_rows(inst);
  const auto dir = work_dir("text");
  REQUIRE(run_tool("--out " + q(dir / "report.txt")) == 0);
  std::ifstream f(dir / "report.txt");
  std::vector<std::string> lines;
  for (std::string line; std::getline(f, line);) {
    lines.push_back(line);
  }
  attack a(inst, rows);
  const auto sc = a.now;
  // Tables of favourable shares: "Groups by ..." and "Units (...)": the label, n, (resp%), then one column per
  // construct in instrument order.
  std::size_t cells = 0;
  const auto table = [&](std::size_t start, bool units) {
    std::vector<std::string> path; // unit ids by depth
    for (std::size_t i = start + 3; i < lines.size() && !lines[i].starts_with("  CSL"); ++i) {
      const std::string& l = lines[i];
      const std::size_t indent = l.find_first_not_of(' ');
      std::vector<std::string> tokens;
      {
        std::stringstream ss(l);
        for (std::string t; ss >> t;) {
          tokens.push_back(t);
        }
      }
      if (tokens.size() < 13) {
        continue; // a suppressed group's line: its label, n and a sentence
      }
      const std::vector<std::string> values(tokens.end() - 12, tokens.end());
      std::string label = l.substr(indent, l.find("  ", indent) - indent);
      const std::size_t depth = units ? indent / 2 : 0;
      if (units) {
        path.resize(depth);
        path.push_back(depth == 0 ? std::string() : (depth == 1 ? label : path[1] + "/" + label));
      }
      const std::string id = units ? path.back() : label;
      for (std::size_t c = 0; c < 12; ++c) {
        if (values[c] == "-") {
          continue;
        }
        std::vector<std::uint32_t> members;
        long fav = 0;
        long ans = 0;
        for (std::size_t r = 0; r < rows.size(); ++r) {
          const bool in = units ? in_unit(rows[r], id) : rows[r].department == id;
          if (in && sc.score[c][r]) {
            members.push_back(static_cast<std::uint32_t>(r));
            fav += sc.favourable[c][r];
            ans += sc.answered[c][r];
          }
        }
        // The printed share, rounded to a whole percent, is this set's.
        const double share = 100.0 * static_cast<double>(fav) / static_cast<double>(ans);
        ++a.checked;
        if (!(std::abs(std::stod(values[c]) - share) <= 0.5 + 1e-9)) {
          a.problem("text " + id + " construct " + std::to_string(c) + ": printed " + values[c] + ", recomputed " +
                    std::to_string(share));
        }
        a.domains["construct:" + inst.constructs[c]].add("text " + id, std::move(members));
        ++cells;
      }
    }
  };
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].starts_with("Groups by 'department'")) {
      table(i, false);
    } else if (lines[i].starts_with("Units (each with its sub-units)")) {
      table(i, true);
    }
  }
  CHECK(cells > 400);
  // The overall figures are cells too.
  for (std::size_t c = 0; c < 12; ++c) {
    std::vector<std::uint32_t> all;
    for (std::size_t r = 0; r < rows.size(); ++r) {
      if (sc.score[c][r]) {
        all.push_back(static_cast<std::uint32_t>(r));
      }
    }
    a.domains["construct:" + inst.constructs[c]].add("overall", std::move(all));
  }
  expect_safe(a, 5);
}
