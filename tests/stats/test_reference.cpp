// Golden tests: ethos's statistics against psych 2.2.9 and multilevel 2.7 on the committed fixtures
// (tests/reference/make_fixtures.R writes them; see tests/reference/README.md). Relative tolerance 1e-9.
#include "../support/fixture.hpp"
#include "../support/reference_checks.hpp"

#include <ethos/measure.hpp>
#include <ethos/stats/accumulator.hpp>
#include <ethos/stats/agreement.hpp>
#include <ethos/stats/moments.hpp>
#include <ethos/stats/reliability.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace {

using ethos_test::fixture;

using ethos_test::check_value;

struct dataset {
  fixture f;
  ethos_test::csv_table csv;
  std::vector<std::string> items;
  std::vector<bool> reverse;
  int lo;
  int hi;
  std::vector<std::vector<std::uint8_t>> columns; // raw (unkeyed) answers, 0xFF = missing
  std::vector<std::string> group_names;
  std::vector<std::uint32_t> groups;

  explicit dataset(const std::string& name)
      : f(ethos_test::reference_fixture(name)), csv(ethos_test::read_csv(ethos_test::reference_data(name))),
        lo(static_cast<int>(f.value("dataset.scale_min"))), hi(static_cast<int>(f.value("dataset.scale_max"))) {
    const auto k = static_cast<std::size_t>(f.value("dataset.items"));
    for (std::size_t i = 1; i <= k; ++i) {
      items.push_back(f.text("dataset.item[" + std::to_string(i) + "]"));
      reverse.push_back(f.has("dataset.reverse[" + items.back() + "]"));
    }
    std::map<std::string, std::uint32_t> codes;
    const auto gcol = csv.column("group");
    for (const auto& row : csv.rows) {
      auto [it, inserted] = codes.try_emplace(row[gcol], static_cast<std::uint32_t>(codes.size()));
      if (inserted) {
        group_names.push_back(row[gcol]);
      }
      groups.push_back(it->second);
    }
    for (const auto& item : items) {
      const auto c = csv.column(item);
      std::vector<std::uint8_t> col;
      for (const auto& row : csv.rows) {
        col.push_back(row[c].empty() ? std::uint8_t{0xFF} : static_cast<std::uint8_t>(std::stoi(row[c])));
      }
      columns.push_back(std::move(col));
    }
  }

  ethos::likert_accumulator accumulate(std::size_t first_item, std::size_t count) const {
    ethos::likert_config cfg(count, lo, hi, group_names.size());
    cfg.reverse.assign(reverse.begin() + static_cast<std::ptrdiff_t>(first_item),
                       reverse.begin() + static_cast<std::ptrdiff_t>(first_item + count));
    ethos::likert_accumulator acc(cfg);
    std::vector<const std::uint8_t*> cols;
    for (std::size_t i = first_item; i < first_item + count; ++i) {
      cols.push_back(columns[i].data());
    }
    acc.add(cols, csv.rows.size(), groups);
    return acc;
  }
};

const char* const datasets[] = {"likert5", "likert7", "zerovar", "complete5", "two_items"};

} // namespace

TEST_CASE("reliability matches psych::alpha (pairwise)", "[stats][reference][reliability]") {
  for (const char* name : datasets) {
    const dataset d(name);
    INFO("dataset " << name);
    const auto acc = d.accumulate(0, d.items.size());
    const auto r = ethos::reliability(acc);
    CHECK(r.rows == static_cast<std::uint64_t>(d.f.value("alpha.n_obs")));
    CHECK(r.items_used == static_cast<std::size_t>(d.f.value("alpha.nvar")));
    check_value(r.alpha, d.f, "alpha.raw");
    check_value(r.std_alpha, d.f, "alpha.std");
    check_value(r.average_r, d.f, "alpha.average_r");
    check_value(r.ase, d.f, "alpha.ase");
    check_value(r.feldt_lower, d.f, "alpha.feldt_lower");
    check_value(r.feldt_upper, d.f, "alpha.feldt_upper");
    for (std::size_t i = 0; i < d.items.size(); ++i) {
      const auto& id = d.items[i];
      const auto& it = r.items[i];
      if (d.f.has("alpha.deleted[" + id + "]")) {
        CHECK(it.dropped);
        CHECK_FALSE(it.reason.empty());
        continue;
      }
      CHECK_FALSE(it.dropped);
      CHECK(it.n == static_cast<std::uint64_t>(d.f.value("alpha.item_n[" + id + "]")));
      check_value(it.alpha_if_dropped, d.f, "alpha.drop.raw[" + id + "]");
      check_value(it.std_alpha_if_dropped, d.f, "alpha.drop.std[" + id + "]");
      check_value(it.average_r_if_dropped, d.f, "alpha.drop.average_r[" + id + "]");
      check_value(it.r_drop, d.f, "alpha.r_drop[" + id + "]");
      check_value(it.raw_r, d.f, "alpha.raw_r[" + id + "]");
    }
  }
}

TEST_CASE("agreement matches multilevel rwg, rwg.j, awg, ad.m", "[stats][reference][agreement]") {
  for (const char* name : datasets) {
    const dataset d(name);
    INFO("dataset " << name);
    const auto acc = d.accumulate(0, d.items.size());
    const auto a = ethos::agreement(acc);
    const auto single = ethos::rwg(d.accumulate(0, 1)); // available-case, as multilevel::rwg(x[, 1], grp)
    std::vector<std::optional<double>> rwg_j;
    for (std::size_t g = 0; g < d.group_names.size(); ++g) {
      const auto& id = d.group_names[g];
      INFO("group " << id);
      CHECK(a[g].n == static_cast<std::uint64_t>(d.f.value("rwg_j.gsize[" + id + "]")));
      check_value(a[g].rwg_j, d.f, "rwg_j[" + id + "]");
      check_value(a[g].awg, d.f, "awg[" + id + "]");
      check_value(a[g].ad_m, d.f, "ad_m[" + id + "]");
      check_value(single[g], d.f, "rwg.i1[" + id + "]");
      rwg_j.push_back(a[g].rwg_j);
    }
    const auto s = ethos::summarize_agreement(rwg_j);
    CHECK(s.groups == static_cast<std::size_t>(d.f.value("rwg_j.groups")));
    check_value(s.mean, d.f, "rwg_j.mean");
    check_value(s.median, d.f, "rwg_j.median");
    check_value(s.share_ge_070, d.f, "rwg_j.share_ge_070");
  }
}

TEST_CASE("ICC(1) and ICC(2) match multilevel on aov of person scores", "[stats][reference][icc]") {
  for (const char* name : datasets) {
    const dataset d(name);
    INFO("dataset " << name);
    const auto i = ethos::icc(d.accumulate(0, d.items.size()));
    CHECK(i.n == static_cast<std::uint64_t>(d.f.value("icc.n")));
    CHECK(i.groups == static_cast<std::size_t>(d.f.value("icc.groups")));
    check_value(i.msb, d.f, "icc.msb");
    check_value(i.msw, d.f, "icc.msw");
    check_value(i.icc1, d.f, "icc.icc1");
    check_value(i.icc2, d.f, "icc.icc2");
  }
}

TEST_CASE("the scoring engine's person scores match the reference", "[stats][reference][scoring]") {
  for (const char* name : datasets) {
    const dataset d(name);
    INFO("dataset " << name);
    ethos::instrument_def def;
    def.id = name;
    def.scale = ethos::likert_scale(d.lo, d.hi);
    def.constructs = {{"scale", "Scale", {}}};
    for (std::size_t i = 0; i < d.items.size(); ++i) {
      def.items.push_back({d.items[i], "", "scale", d.reverse[i]});
    }
    const ethos::instrument inst(def);
    ethos::response_matrix m(d.items);
    std::vector<std::uint8_t> row(d.items.size());
    for (std::size_t r = 0; r < d.csv.rows.size(); ++r) {
      for (std::size_t i = 0; i < d.items.size(); ++i) {
        row[i] = d.columns[i][r];
      }
      m.append_row(d.csv.rows[r][0], {}, 0, row);
    }
    const auto scores = ethos::score(inst, m);
    for (std::size_t r = 0; r < m.rows(); ++r) {
      check_value(scores.persons.score(0, r), d.f, "ps[" + d.csv.rows[r][0] + "]");
    }
  }
}

TEST_CASE("ICC from running moments of person scores equals the integer path and R", "[stats][reference][icc]") {
  for (const char* name : datasets) {
    const dataset d(name);
    INFO("dataset " << name);
    // Person scores from the fixture (R's rowMeans with the min_answered rule), grouped by Welford/Chan.
    std::vector<ethos::running_moments> groups(d.group_names.size());
    for (std::size_t r = 0; r < d.csv.rows.size(); ++r) {
      const auto ps = d.f.num("ps[" + d.csv.rows[r][0] + "]");
      if (ps) {
        groups[d.groups[r]].add(*ps);
      }
    }
    const auto i = ethos::icc(std::span<const ethos::running_moments>(groups));
    check_value(i.icc1, d.f, "icc.icc1");
    check_value(i.icc2, d.f, "icc.icc2");
    check_value(i.msw, d.f, "icc.msw");
  }
}
