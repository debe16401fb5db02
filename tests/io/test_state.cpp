// Tests of ethos/io/state.hpp: the accumulators' portable binary state. The expected bytes are spelled out by hand
// from docs/state_format.md, and the checksum is checked against the CRC-32C test vectors of RFC 3720 (B.4).
#include "../support/checks.hpp"

#include <ethos/io/state.hpp>
#include <ethos/stats/agreement.hpp>
#include <ethos/stats/reliability.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <span>
#include <string>
#include <vector>

using namespace ethos;
using ethos_test::error_of;

namespace state_test {

using bytes = std::vector<std::uint8_t>;

// A state around `payload`: header, payload, CRC-32C, as docs/state_format.md lays them out.
bytes framed(std::uint16_t version, std::uint16_t kind, const bytes& payload) {
  bytes b{0x89, 'E', 'T', 'H', 'O', 'S', 0x0D, 0x0A};
  b.push_back(static_cast<std::uint8_t>(version & 0xFF));
  b.push_back(static_cast<std::uint8_t>(version >> 8));
  b.push_back(static_cast<std::uint8_t>(kind & 0xFF));
  b.push_back(static_cast<std::uint8_t>(kind >> 8));
  for (std::size_t i = 0; i < 8; ++i) {
    b.push_back(static_cast<std::uint8_t>(payload.size() >> (8 * i)));
  }
  b.insert(b.end(), payload.begin(), payload.end());
  const std::uint32_t crc = crc32c(b);
  for (std::size_t i = 0; i < 4; ++i) {
    b.push_back(static_cast<std::uint8_t>(crc >> (8 * i)));
  }
  return b;
}

// Answers of `rows` rows to the items of `c` (1 in 6 missing) and a group per row when `c` has groups.
struct state_sample {
  std::vector<std::vector<std::uint8_t>> columns;
  std::vector<std::uint32_t> groups;

  state_sample(const likert_config& c, std::size_t rows, unsigned seed)
      : columns(c.items), groups(c.groups > 0 ? rows : 0) {
    std::mt19937 rng(seed);
    const auto points = static_cast<unsigned>(c.max - c.min + 1);
    for (auto& col : columns) {
      col.resize(rows);
      for (auto& x : col) {
        x = rng() % 6 == 0 ? 0xFF : static_cast<std::uint8_t>(static_cast<unsigned>(c.min) + rng() % points);
      }
    }
    for (auto& g : groups) {
      g = static_cast<std::uint32_t>(rng() % c.groups);
    }
  }

  void add_to(likert_accumulator& a, std::size_t from, std::size_t to) const {
    std::vector<const std::uint8_t*> p;
    for (const auto& col : columns) {
      p.push_back(col.data() + from);
    }
    const auto g = groups.empty() ? std::span<const std::uint32_t>() : std::span(groups).subspan(from, to - from);
    a.add(p, to - from, g);
  }
};

std::vector<likert_config> designs() {
  std::vector<likert_config> out;
  likert_config patterns(4, 1, 5, 0); // 6^4 patterns: counted whole
  patterns.reverse = {false, true, false, true};
  out.push_back(patterns);
  likert_config grouped(3, 1, 4, 9);
  grouped.reverse = {true, false, false};
  out.push_back(grouped);
  likert_config direct(5, 1, 5, 4);
  direct.count_patterns = false; // item, pair and item-total sums row by row
  out.push_back(direct);
  out.emplace_back(20, 0, 6, 3);    // more than 16 items: no item-total sums, no scores
  likert_config strict(6, 1, 7, 0); // 8^6 patterns: too many to count whole
  strict.min_answered = 6;
  out.push_back(strict);
  return out;
}

} // namespace state_test

using namespace state_test;

TEST_CASE("state: CRC-32C gives the test vectors of RFC 3720 and the usual check value") {
  const std::string digits = "123456789";
  CHECK(crc32c(std::span(reinterpret_cast<const std::uint8_t*>(digits.data()), digits.size())) == 0xE3069283U);
  CHECK(crc32c(bytes(32, 0x00)) == 0x8A9136AAU);
  CHECK(crc32c(bytes(32, 0xFF)) == 0x62A8AB43U);
  bytes ascending(32);
  for (std::size_t i = 0; i < 32; ++i) {
    ascending[i] = static_cast<std::uint8_t>(i);
  }
  CHECK(crc32c(ascending) == 0x46DD794EU);
  // Incremental: the CRC of a whole equals the CRC of its second half continued from the first's.
  CHECK(crc32c(std::span(ascending).subspan(10), crc32c(std::span(ascending).first(10))) == 0x46DD794EU);
}

TEST_CASE("state: the bytes of a small accumulator are the ones the format document spells out") {
  // One item on 1..2, answers 1, 2, 2 and one missing. (A + 1)^k = 3 patterns: digit 0 missing, 1 and 2 the answers.
  likert_accumulator a(likert_config(1, 1, 2));
  const std::vector<std::uint8_t> answers{1, 2, 0xFF, 2};
  const std::uint8_t* col = answers.data();
  a.add(std::span(&col, 1), answers.size());
  const bytes payload{
      0x01,       // items
      0x01, 0x02, // scale 1..2
      0x00,       // reverse flags, one byte per 8 items
      0x00,       // groups
      0x01,       // min_answered: half of 1 item, rounded up
      0x01,       // whole patterns counted
      0x04,       // rows
      0x03,       // patterns with rows
      0x00, 0x01, // code 0 (missing): 1 row
      0x00, 0x01, // code 1 (answer 1): 1 row
      0x00, 0x02, // code 2 (answer 2): 2 rows
  };
  const bytes expected = framed(1, 1, payload);
  CHECK(encode_state(a) == expected);
  CHECK(expected.size() == 20 + 15 + 4);
  CHECK(decode_likert_state(expected) == a);
  CHECK(peek_state_kind(expected) == state_kind::likert);

  running_moments m;
  m.add(1.5);
  m.add(2.25);
  bytes mp{0x02, 0x00};                     // n, missing
  for (const double d : {1.875, 0.28125}) { // mean, and M2 = 2 * 0.375^2
    const auto bits = std::bit_cast<std::uint64_t>(d);
    for (std::size_t i = 0; i < 8; ++i) {
      mp.push_back(static_cast<std::uint8_t>(bits >> (8 * i)));
    }
  }
  CHECK(encode_state(m) == framed(1, 2, mp));
  const auto dm = decode_moments_state(framed(1, 2, mp));
  CHECK(dm.n() == 2);
  CHECK(*dm.variance() == 0.28125);

  // 300 = 0b10'0101100: LEB128 0xAC 0x02.
  CHECK(encode_state(nps_counts{300, 0, 127}) == framed(1, 3, bytes{0xAC, 0x02, 0x00, 0x7F}));
  const auto dn = decode_nps_state(framed(1, 3, bytes{0xAC, 0x02, 0x00, 0x7F}));
  CHECK(dn.promoters == 300);
  CHECK(dn.passives == 0);
  CHECK(dn.detractors == 127);
}

TEST_CASE("state: round trips and merges after decoding are bit-identical to one pass, in every design") {
  std::mt19937 rng(20261206);
  for (const auto& c : designs()) {
    CAPTURE(c.items, c.min, c.max, c.groups, c.count_patterns);
    const std::size_t rows = 3000;
    const state_sample s(c, rows, 7);
    likert_accumulator one(c);
    s.add_to(one, 0, rows);
    std::size_t patterns = 1;
    for (std::size_t i = 0; i < c.items && patterns <= likert_accumulator::max_patterns; ++i) {
      patterns *= static_cast<std::size_t>(c.max - c.min + 2);
    }
    CHECK(one.counts_patterns() == (c.count_patterns && patterns <= likert_accumulator::max_patterns));
    const bytes whole = encode_state(one);
    CHECK(decode_likert_state(whole) == one);
    CHECK(encode_state(decode_likert_state(whole)) == whole);
    for (int trial = 0; trial < 4; ++trial) {
      // Cut the rows into 1..8 shards, encode each, decode them and merge in a shuffled order.
      std::vector<std::size_t> cuts{0, rows};
      const std::size_t shards = 1 + rng() % 8;
      for (std::size_t i = 1; i < shards; ++i) {
        cuts.push_back(rng() % rows);
      }
      std::sort(cuts.begin(), cuts.end());
      std::vector<bytes> states;
      for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
        likert_accumulator part(c);
        s.add_to(part, cuts[i], cuts[i + 1]);
        states.push_back(encode_state(part));
      }
      std::shuffle(states.begin(), states.end(), rng);
      likert_accumulator merged(c);
      for (const auto& st : states) {
        merged.merge(decode_likert_state(st, "shard"));
      }
      CHECK(merged == one);
      CHECK(encode_state(merged) == whole);
      const auto r1 = reliability(merged);
      const auto r2 = reliability(one);
      CHECK(r1.alpha == r2.alpha);
      CHECK(r1.std_alpha == r2.std_alpha);
    }
    if (c.groups > 0 && c.items <= 16) {
      const auto decoded = decode_likert_state(whole);
      const auto a = icc(decoded);
      const auto b = icc(one);
      CHECK(a.icc1 == b.icc1);
      CHECK(a.icc2 == b.icc2);
    }
  }
}

TEST_CASE("state: running moments and eNPS counts round-trip bit for bit") {
  running_moments m;
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal(3.7, 1.1);
  for (int i = 0; i < 1000; ++i) {
    m.add(normal(rng));
  }
  m.add(std::numeric_limits<double>::quiet_NaN());
  const auto d = decode_moments_state(encode_state(m));
  CHECK(std::bit_cast<std::uint64_t>(*d.mean()) == std::bit_cast<std::uint64_t>(*m.mean()));
  CHECK(std::bit_cast<std::uint64_t>(d.sum_of_squares()) == std::bit_cast<std::uint64_t>(m.sum_of_squares()));
  CHECK(d.n() == 1000);
  CHECK(d.missing() == 1);
  running_moments a = m;
  running_moments b = d;
  a.merge(m);
  b.merge(d);
  CHECK(std::bit_cast<std::uint64_t>(*a.variance()) == std::bit_cast<std::uint64_t>(*b.variance()));
  const nps_counts c{1'000'000'007, 0, 42};
  const auto dc = decode_nps_state(encode_state(c));
  CHECK(dc.promoters == c.promoters);
  CHECK(dc.detractors == 42);
}

TEST_CASE("state: every truncation and every flipped bit is refused") {
  likert_config c(3, 1, 5, 2);
  const state_sample s(c, 200, 11);
  likert_accumulator a(c);
  s.add_to(a, 0, 200);
  const bytes good = encode_state(a);
  for (std::size_t n = 0; n < good.size(); ++n) {
    CAPTURE(n);
    CHECK_THROWS_AS(decode_likert_state(std::span(good).first(n)), error);
  }
  bytes longer = good;
  longer.push_back(0);
  CHECK(error_of([&] { decode_likert_state(longer, "x.state"); }) ==
        "x.state: byte 12 (header): 1 bytes follow the end the header announces (" + std::to_string(good.size() - 24) +
            " payload bytes)");
  for (std::size_t i = 0; i < good.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      bytes bad = good;
      bad[i] = static_cast<std::uint8_t>(bad[i] ^ (1U << bit));
      CAPTURE(i, bit);
      CHECK_THROWS_AS(decode_likert_state(bad), error);
    }
  }
  bytes damaged = good;
  damaged[30] ^= 0x10;
  CHECK_THAT(error_of([&] { decode_likert_state(damaged, "team7.state"); }),
             Catch::StartsWith("team7.state: byte " + std::to_string(good.size() - 4) + " (checksum): CRC-32C 0x") &&
                 Catch::EndsWith(": the bytes were changed or damaged"));
}

TEST_CASE("state: forged states with a correct checksum are refused by what they claim") {
  // 1 item on 1..2, no groups, whole patterns: the payload of the format document's example with changes.
  const bytes head{0x01, 0x01, 0x02, 0x00, 0x00, 0x01, 0x01};
  auto likert = [&](const bytes& rest) {
    bytes p = head;
    p.insert(p.end(), rest.begin(), rest.end());
    return framed(1, 1, p);
  };
  auto message = [](const bytes& b) { return error_of([&] { decode_likert_state(b, "f.state"); }); };
  CHECK_NOTHROW(decode_likert_state(likert({0x04, 0x03, 0x00, 0x01, 0x00, 0x01, 0x00, 0x02})));
  CHECK(message(likert({0x05, 0x03, 0x00, 0x01, 0x00, 0x01, 0x00, 0x02})) ==
        "f.state: byte 35 (pattern counts): the pattern counts add up to 4, not to the 5 rows");
  CHECK(message(likert({0x04, 0x02, 0x00, 0x01, 0x00, 0x05})) ==
        "f.state: byte 32 (pattern counts): 5 exceeds the largest possible value, 4");
  CHECK(message(likert({0x04, 0x02, 0x00, 0x01, 0x02, 0x03})) ==
        "f.state: byte 31 (pattern counts): 2 exceeds the largest possible value, 1");
  CHECK(message(likert({0x04, 0x02, 0x02, 0x01, 0x00, 0x03})) ==
        "f.state: byte 31 (pattern counts): pattern code 3 is beyond the design's 3 patterns");
  CHECK(message(likert({0x04, 0x02, 0x00, 0x00, 0x01, 0x04})) ==
        "f.state: byte 30 (pattern counts): a listed pattern has a count of 0");
  CHECK(message(likert({0x84, 0x00, 0x01, 0x02, 0x04})) ==
        "f.state: byte 27 (rows): over-long integer (a trailing zero group); states are written in the shortest form");
  CHECK(message(likert({0x04, 0x01, 0x02, 0x04, 0x00})) ==
        "f.state: byte 31 (end of payload): 1 bytes after the last field");
  CHECK(message(framed(1, 1, bytes{0x00})) == "f.state: byte 20 (items): 0 items; an accumulator has 1..255");
  CHECK(message(framed(1, 1, bytes{0x01, 0x03, 0x02})) == "f.state: byte 22 (scale maximum): scale 3..2 is empty");
  CHECK(message(framed(1, 1, bytes{0x01, 0x01, 0x02, 0x02})) ==
        "f.state: byte 23 (reverse flags): a flag is set for item 2 of 1");
  // A million groups of 1 item x 2 values in a payload of a few bytes: refused before anything is allocated.
  CHECK(message(framed(1, 1, bytes{0x01, 0x01, 0x02, 0x00, 0xC0, 0x84, 0x3D, 0x01, 0x01, 0x00})) ==
        "f.state: byte 24 (groups): 1000000 groups need at least 6 bytes each; the payload has 1 left");
  CHECK(
      message(framed(2, 1, bytes{})) ==
      "f.state: byte 8 (header): format version 2; this build of ethos reads versions 1..1 (written by a newer ethos)");
  CHECK(message(framed(1, 2, bytes{0x00, 0x00})) ==
        "f.state: byte 10 (header): holds running moments (kind 2), not a likert accumulator");
  CHECK(message(bytes(40, 0x20)) == "f.state: byte 0 (header): not an ethos state (it does not start with the state "
                                    "signature 89 45 54 48 4F 53 0D 0A)");

  // One group (1 item on 1..2): listwise rows 2, scored 2, score sum 1 (y = 1 * (v)), sum of squares 1, histogram.
  auto grouped = [&](const bytes& group) {
    bytes p{0x01, 0x01, 0x02, 0x00, 0x01, 0x01, 0x01, 0x02, 0x02, 0x01, 0x01, 0x00, 0x01};
    p.insert(p.end(), group.begin(), group.end());
    return framed(1, 1, p);
  };
  CHECK_NOTHROW(decode_likert_state(grouped({0x02, 0x02, 0x01, 0x01, 0x01, 0x01})));
  CHECK(message(grouped({0x02, 0x02, 0x01, 0x01, 0x02, 0x01})) ==
        "f.state: byte 37 (group histogram): group 0, item 1: the histogram counts 3 rows, the group 2 complete rows");
  CHECK(message(grouped({0x02, 0x01, 0x01, 0x01, 0x01, 0x01})) ==
        "f.state: byte 33 (group scores): group 0 has 2 complete rows but 1 scored rows");
  CHECK(message(grouped({0x02, 0x02, 0x02, 0x01, 0x01, 0x01})) ==
        "f.state: byte 33 (group scores): group 0: the sum of squared scores is smaller than the sum's square allows");

  auto moments = [](const bytes& b) { return error_of([&] { decode_moments_state(b, "f.state"); }); };
  CHECK(moments(framed(1, 2, bytes{0x00, 0x00, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0, 0, 0, 0, 0, 0, 0, 0})) ==
        "f.state: byte 22 (mean): a mean other than 0 with no values");
  CHECK(moments(framed(1, 2, bytes{0x03, 0x00, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0, 0, 0, 0, 0, 0, 0xF0, 0xBF})) ==
        "f.state: byte 30 (M2): the sum of squares is negative or not a finite number");
}

TEST_CASE("state: an accumulator refuses more rows than it can hold exactly, so decoded states cannot overflow") {
  // 2^36 rows of one pattern: a valid state at the limit.
  const bytes at_limit = framed(1, 1, bytes{0x01, 0x01, 0x02, 0x00, 0x00, 0x01, 0x01, 0x80, 0x80, 0x80, 0x80,
                                            0x80, 0x02, 0x01, 0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02});
  const auto a = decode_likert_state(at_limit);
  CHECK(a.rows() == likert_accumulator::max_rows);
  likert_accumulator b = a;
  CHECK_THAT(error_of([&] { b.merge(a); }), Catch::Contains("merging would exceed 68719476736 rows"));
  CHECK(b == a); // refused before anything changed
  const std::uint8_t one = 1;
  const std::uint8_t* col = &one;
  CHECK_THAT(error_of([&] { b.add(std::span(&col, 1), 1); }), Catch::Contains("more than 68719476736 rows"));
  CHECK_THAT(error_of([&] {
               decode_likert_state(
                   framed(1, 1, bytes{0x01, 0x01, 0x02, 0x00, 0x00, 0x01, 0x01, 0x81, 0x80, 0x80, 0x80, 0x80, 0x02}));
             }),
             Catch::Contains("(rows): 68719476737 exceeds the largest possible value, 68719476736"));
}
