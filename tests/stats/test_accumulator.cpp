// Tests of the integer accumulators: exact merging across shards, both accumulation paths, overflow headroom.
#include <ethos/stats/accumulator.hpp>
#include <ethos/stats/agreement.hpp>
#include <ethos/stats/reliability.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

using namespace ethos;

namespace {

struct sample_data {
  std::size_t rows;
  std::vector<std::vector<std::uint8_t>> columns;
  std::vector<std::uint32_t> groups;
};

sample_data make_sample(std::size_t rows, std::size_t items, int lo, int hi, std::size_t groups, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  sample_data d{rows, std::vector<std::vector<std::uint8_t>>(items, std::vector<std::uint8_t>(rows)), {}};
  for (std::size_t r = 0; r < rows; ++r) {
    const auto mood = static_cast<int>(rng() % 3);
    for (std::size_t i = 0; i < items; ++i) {
      const int x = std::min(hi, lo + mood + static_cast<int>(rng() % static_cast<std::uint64_t>(hi - lo + 1)) / 2);
      d.columns[i][r] = rng() % 10 == 0 ? std::uint8_t{0xFF} : static_cast<std::uint8_t>(x);
    }
    d.groups.push_back(static_cast<std::uint32_t>(rng() % groups));
  }
  return d;
}

void add_range(likert_accumulator& acc, const sample_data& d, std::size_t first, std::size_t last) {
  std::vector<const std::uint8_t*> cols;
  for (const auto& c : d.columns) {
    cols.push_back(c.data() + first);
  }
  acc.add(cols, last - first, std::span<const std::uint32_t>(d.groups).subspan(first, last - first));
}

} // namespace

TEST_CASE("accumulators merge to the same bits whatever the split and the merge order", "[stats][accumulator]") {
  for (const bool patterns : {true, false}) {
    CAPTURE(patterns);
    likert_config cfg(4, 1, 5, 7);
    cfg.reverse = {false, false, true, false};
    cfg.count_patterns = patterns;
    const auto d = make_sample(3001, 4, 1, 5, 7, 11);
    likert_accumulator whole(cfg);
    add_range(whole, d, 0, d.rows);
    std::mt19937_64 rng(99);
    for (int trial = 0; trial < 40; ++trial) {
      const std::size_t shards = 1 + rng() % 16;
      std::vector<std::size_t> cuts;
      cuts.push_back(0);
      cuts.push_back(d.rows);
      for (std::size_t s = 1; s < shards; ++s) {
        cuts.push_back(rng() % (d.rows + 1));
      }
      std::sort(cuts.begin(), cuts.end());
      std::vector<likert_accumulator> parts;
      for (std::size_t s = 0; s + 1 < cuts.size(); ++s) {
        parts.emplace_back(cfg);
        add_range(parts.back(), d, cuts[s], cuts[s + 1]);
      }
      std::shuffle(parts.begin(), parts.end(), rng);
      likert_accumulator merged(cfg);
      for (const auto& p : parts) {
        merged.merge(p);
      }
      REQUIRE(merged == whole);
      const auto a = reliability(merged);
      const auto b = reliability(whole);
      CHECK(a.alpha == b.alpha); // identical counts give identical bits
      CHECK(icc(merged).icc1 == icc(whole).icc1);
    }
  }
}

TEST_CASE("pattern counting and row-by-row sums give the same statistics", "[stats][accumulator]") {
  const auto d = make_sample(2000, 5, 1, 7, 9, 5);
  likert_config cfg(5, 1, 7, 9);
  cfg.reverse = {true, false, false, false, false};
  likert_accumulator by_pattern(cfg);
  cfg.count_patterns = false;
  likert_accumulator by_row(cfg);
  add_range(by_pattern, d, 0, d.rows);
  add_range(by_row, d, 0, d.rows);
  REQUIRE(by_pattern.counts_patterns());
  REQUIRE_FALSE(by_row.counts_patterns());
  const auto m1 = by_pattern.moments();
  const auto m2 = by_row.moments();
  CHECK(m1.hist == m2.hist);
  CHECK(m1.pair_cross == m2.pair_cross);
  CHECK(m1.pair_sum_i == m2.pair_sum_i);
  CHECK(m1.complete_rows == m2.complete_rows);
  CHECK(m1.total_cross == m2.total_cross);
  CHECK(m1.rows == m2.rows);
  CHECK(by_pattern.groups().listwise_hist == by_row.groups().listwise_hist);
  CHECK(by_pattern.groups().score_sumsq == by_row.groups().score_sumsq);
  const auto r1 = reliability(by_pattern);
  const auto r2 = reliability(by_row);
  CHECK(r1.alpha == r2.alpha);
  CHECK(r1.items[2].raw_r == r2.items[2].raw_r);
}

TEST_CASE("one group's listwise counts read in place are groups()'s, and give agreement()'s rwg(j)",
          "[stats][accumulator][agreement]") {
  for (const bool patterns : {true, false}) {
    CAPTURE(patterns);
    likert_config cfg(4, 1, 5, 6);
    cfg.reverse = {false, true, false, false};
    cfg.count_patterns = patterns;
    const auto d = make_sample(1500, 4, 1, 5, 6, 21);
    likert_accumulator acc(cfg);
    add_range(acc, d, 0, d.rows);
    const auto g = acc.groups();
    const auto ag = agreement(acc);
    for (std::size_t grp = 0; grp < cfg.groups; ++grp) {
      CAPTURE(grp);
      const auto hist = acc.group_listwise_hist(grp);
      REQUIRE(hist.size() == g.items * g.points);
      for (std::size_t i = 0; i < g.items; ++i) {
        for (std::size_t v = 0; v < g.points; ++v) {
          CHECK(hist[i * g.points + v] == g.hist(grp, i, v));
        }
      }
      CHECK(acc.group_listwise_n(grp) == g.listwise_n[grp]);
      const auto rj = detail::rwg_j_of_counts(hist, acc.group_listwise_n(grp), g.points, acc.config(),
                                              uniform_null_variance(g.points));
      CHECK(rj.rwg_j == ag[grp].rwg_j);
      CHECK(rj.code == ag[grp].code);
    }
    CHECK_THROWS_WITH(acc.group_listwise_hist(cfg.groups), "likert accumulator: group 6 of 6");
    CHECK_THROWS_WITH(acc.group_listwise_n(cfg.groups), "likert accumulator: group 6 of 6");
  }
}

TEST_CASE("counts are exact past 10^8 respondents", "[stats][accumulator]") {
  // 2^20 rows, then seven doublings by merging: 2^27 = 134,217,728 respondents. Half the rows answer 5 5 5 5,
  // half 1 1 1 1, all in group 0: in keyed units v (0..4), sum of v = 4 * N/2 per item, sum of v^2 = 16 * N/2.
  const std::size_t base = std::size_t{1} << 20;
  std::vector<std::uint8_t> col(base);
  for (std::size_t r = 0; r < base; ++r) {
    col[r] = r % 2 == 0 ? 5 : 1;
  }
  const std::vector<const std::uint8_t*> cols(4, col.data());
  const std::vector<std::uint32_t> groups(base, 0);
  likert_accumulator acc(likert_config(4, 1, 5, 1));
  acc.add(cols, base, groups);
  for (int i = 0; i < 7; ++i) {
    const likert_accumulator copy = acc;
    acc.merge(copy);
  }
  const std::uint64_t n = std::uint64_t{1} << 27;
  REQUIRE(acc.rows() == n);
  const auto m = acc.moments();
  CHECK(m.n[0] == n);
  CHECK(m.sum[0] == 4 * (n / 2));
  CHECK(m.sumsq[0] == 16 * (n / 2));
  CHECK(m.pair_cross[m.pair_index(0, 3)] == 16 * (n / 2));
  // T = lcm(1..4) * mean = 12 * 4 = 48 on the high rows: sum T = 48 N/2, sum T^2 = 2304 N/2.
  CHECK(m.total_sum[0] == 48 * (n / 2));
  CHECK(m.total_sumsq[0] == static_cast<detail::uint128>(2304) * (n / 2));
  const auto& g = acc.groups();
  CHECK(g.score_n[0] == n);
  CHECK(g.score_sumsq[0] == static_cast<detail::uint128>(48 * 48) * (n / 2)); // score scale lcm(2..4) = 12
  // Identical items: alpha is exactly 1, and the variance (N/2 * 16 - (2N)^2 / N) / (N - 1) = 4N / (N - 1).
  const auto r = reliability(acc);
  CHECK(*r.alpha == Approx(1.0).epsilon(1e-15));
  const auto i = icc(acc);
  CHECK_FALSE(i.icc1.has_value()); // one group: nothing to compare
  CHECK(i.reason == "ICC needs at least 2 groups with scored respondents");
}

TEST_CASE("accumulators refuse bad input before changing anything", "[stats][accumulator]") {
  likert_accumulator acc(likert_config(2, 1, 5, 2));
  const std::vector<std::uint8_t> ok{1, 2, 3};
  const std::vector<std::uint8_t> bad{1, 6, 0xFF};
  const std::vector<std::uint32_t> g{0, 1, 0};
  const std::vector<const std::uint8_t*> cols{ok.data(), bad.data()};
  try {
    acc.add(cols, 3, g);
    FAIL("expected an error");
  } catch (const error& e) {
    CHECK(std::string(e.what()) == "likert accumulator: item 2 has 1 answer(s) outside 1..5");
  }
  CHECK(acc.rows() == 0);
  const std::vector<std::uint32_t> g_bad{0, 2, 0};
  const std::vector<const std::uint8_t*> cols_ok{ok.data(), ok.data()};
  CHECK_THROWS_WITH(acc.add(cols_ok, 3, g_bad), "likert accumulator: row 2 has group code 2; 2 groups are configured");
  CHECK_THROWS_WITH(acc.add(cols_ok, 3), "likert accumulator: 0 group codes for 3 rows (2 groups configured)");
  CHECK_THROWS_WITH(likert_accumulator(likert_config(0, 1, 5)), "likert accumulator: 0 items; 1..255 are supported");
  CHECK_THROWS_WITH(likert_accumulator(likert_config(3, 5, 1)),
                    "likert accumulator: scale 5..1 must satisfy 0 <= min < max <= 250");
  CHECK_THROWS_WITH(likert_accumulator([] {
                      likert_config c(3, 1, 5);
                      c.reverse = {true};
                      return c;
                    }()),
                    "likert accumulator: 1 reverse flags for 3 items");
  likert_accumulator other(likert_config(2, 1, 7, 2));
  CHECK_THROWS_WITH(acc.merge(other), "likert accumulator: cannot merge accumulators of different configurations");
}

TEST_CASE("degenerate data gives reasons, not NaN", "[stats][reliability]") {
  likert_accumulator acc(likert_config(3, 1, 5, 2));
  SECTION("no rows") {
    const auto r = reliability(acc);
    CHECK_FALSE(r.alpha.has_value());
    CHECK(r.reason == "fewer than 2 respondents");
    const auto a = agreement(acc);
    CHECK(a[0].reason == "no respondent answered every item");
    CHECK(icc(acc).reason == "ICC needs at least 2 groups with scored respondents");
    CHECK(r.code == reason_code::too_few_cases);
    CHECK(a[0].code == reason_code::no_data);
    CHECK(icc(acc).code == reason_code::too_few_groups);
  }
  SECTION("only one item varies") {
    const std::vector<std::uint8_t> c1{1, 2, 3, 4}, c2{3, 3, 3, 3}, c3{0xFF, 0xFF, 0xFF, 2};
    const std::vector<const std::uint8_t*> cols{c1.data(), c2.data(), c3.data()};
    const std::vector<std::uint32_t> g{0, 0, 1, 1};
    acc.add(cols, 4, g);
    const auto r = reliability(acc);
    CHECK(r.reason == "fewer than 2 items with variance");
    CHECK(r.items[1].dropped);
    CHECK(r.items[1].reason == "no variance: every answer is the same");
    CHECK(r.items[2].reason == "fewer than 2 answers");
    CHECK_FALSE(r.items[0].dropped);
    CHECK(r.code == reason_code::too_few_items);
    CHECK(r.items[0].code == reason_code::none);
    CHECK(r.items[1].code == reason_code::no_variance);
    CHECK(r.items[2].code == reason_code::too_few_cases);
  }
}

TEST_CASE("a computed alpha has no reason and no code", "[stats][reliability][status]") {
  likert_accumulator acc(likert_config(3, 1, 5, 2));
  SECTION("a computed alpha has no code") {
    const std::vector<std::uint8_t> c1{1, 2, 3, 4, 5}, c2{2, 2, 3, 5, 4}, c3{1, 3, 3, 4, 5};
    const std::vector<const std::uint8_t*> cols{c1.data(), c2.data(), c3.data()};
    const std::vector<std::uint32_t> g{0, 0, 1, 1, 1};
    acc.add(cols, 5, g);
    const auto r = reliability(acc);
    REQUIRE(r.alpha);
    CHECK(r.reason.empty());
    CHECK(r.code == reason_code::none);
  }
}

TEST_CASE("partitions that numbered their groups differently merge after regrouping onto one numbering",
          "[stats][accumulator]") {
  // Six labelled groups; the whole file coded by sorted label, each half by first appearance in that half, as a
  // reader of one partition numbers them.
  for (const bool patterns : {true, false}) {
    CAPTURE(patterns);
    const auto d = make_sample(900, 4, 1, 5, 6, 77);
    likert_config cfg(4, 1, 5, 6);
    cfg.count_patterns = patterns;
    likert_accumulator whole(cfg);
    add_range(whole, d, 0, d.rows);
    std::vector<likert_accumulator> halves;
    for (const auto& [from, to] : {std::pair<std::size_t, std::size_t>{0, 400}, {400, 900}}) {
      std::vector<std::uint32_t> local_of(6, 0xFFFFFFFFU); // global code -> local code
      std::vector<std::uint32_t> global_of;                // local code -> global code
      sample_data part{to - from, {}, {}};
      for (const auto& c : d.columns) {
        part.columns.emplace_back(c.begin() + static_cast<std::ptrdiff_t>(from),
                                  c.begin() + static_cast<std::ptrdiff_t>(to));
      }
      for (std::size_t r = from; r < to; ++r) {
        const auto g = d.groups[r];
        if (local_of[g] == 0xFFFFFFFFU) {
          local_of[g] = static_cast<std::uint32_t>(global_of.size());
          global_of.push_back(g);
        }
        part.groups.push_back(local_of[g]);
      }
      likert_config local = cfg;
      local.groups = global_of.size();
      likert_accumulator acc(local);
      add_range(acc, part, 0, part.rows);
      halves.push_back(acc.regrouped(global_of, 6));
    }
    likert_accumulator merged = halves[0];
    merged.merge(halves[1]);
    CHECK(merged == whole);
    // Two groups folded into one: its counts are the two groups' sums.
    const std::vector<std::uint32_t> fold{0, 1, 2, 3, 4, 4};
    const auto folded = whole.regrouped(fold, 5);
    const auto gw = whole.groups();
    const auto gf = folded.groups();
    CHECK(gf.listwise_n[4] == gw.listwise_n[4] + gw.listwise_n[5]);
    CHECK(gf.score_sum[4] == gw.score_sum[4] + gw.score_sum[5]);
    CHECK(gf.hist(4, 2, 3) == gw.hist(4, 2, 3) + gw.hist(5, 2, 3));
    CHECK(gf.listwise_n[0] == gw.listwise_n[0]);
  }
  likert_accumulator acc(likert_config(2, 1, 5, 3));
  const std::vector<std::uint32_t> short_map{0, 1};
  CHECK_THROWS_WITH(acc.regrouped(short_map, 3),
                    "likert accumulator: regrouping needs one new group per group (3), not 2");
  const std::vector<std::uint32_t> beyond{0, 1, 3};
  CHECK_THROWS_WITH(acc.regrouped(beyond, 3), "likert accumulator: regrouping maps group 2 to 3, beyond 3 groups");
}
