// Tests of the measure layer: scales, instruments, response matrices and builders, the scoring engine,
// reflected row structs and gap scoring. Expected values are worked out by hand in the comments.
#include "../support/checks.hpp"
#include "../support/string_makers.hpp"

#include <ethos/measure.hpp>
#include <ethos/measure/records.hpp>

#include <boost/hana/define_struct.hpp>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

using namespace ethos;
using ethos_test::error_of;
using ethos_test::has_problem;

namespace {

// A small instrument: construct A with a reverse item and a weight-2 item, construct B, an NPS item and a
// six-level item.
inline constexpr instrument_spec small_spec{
    "small",
    "Small",
    scales::agree5,
    std::array{construct_spec{"A", "Construct A", building_block::voice_of_the_customer},
               construct_spec{"B", "Construct B"}},
    std::array{item_spec{"a1", "First A item.", "A"}, item_spec{"a2r", "Reverse A item.", "A", true},
               item_spec{"a3", "Heavy A item.", "A", false, 2.0}, item_spec{"b1", "First B item.", "B"},
               item_spec{"b2", "Second B item.", "B"},
               item_spec{"nps", "Recommend?", "", false, 1.0, std::nullopt, std::nullopt, response_format::nps},
               item_spec{"sl", "Level?", "", false, 1.0, value_category::service_mindset, std::nullopt,
                         response_format::service_level}},
    "nps"};
using small_instrument = static_instrument<small_spec>;

constexpr std::optional<int> M = std::nullopt;

response_matrix small_matrix() {
  response_builder b(small_instrument::view(), {"team"});
  //           a1 a2r a3 b1 b2 nps sl
  b.add("r1", {5, 1, 4, 3, 3, 10, 4}, {"North"});
  b.add("r2", {4, 2, M, 2, M, 9, 5}, {"South"});
  b.add("r3", {M, M, 2, 5, 4, 6, 2}, {"North"});
  b.add("r4", {1, 5, 1, M, M, 7, M}, {"North"}, 2);
  return b.finish();
}

} // namespace

TEST_CASE("likert scales: default bands, custom bands, keying, index", "[measure][scale]") {
  CHECK(scales::agree5.bands() == favorability_bands{4, 2});
  CHECK(scales::agree7.bands() == favorability_bands{6, 3});
  CHECK(scales::one_to_ten.bands() == favorability_bands{8, 3});
  CHECK(scales::zero_to_ten.bands() == favorability_bands{9, 6});
  CHECK(likert_scale(1, 4).bands() == favorability_bands{3, 2}); // even: 1-2 low, 3-4 high, no neutral
  CHECK(likert_scale(1, 6).bands() == favorability_bands{4, 3});
  CHECK(likert_scale(0, 4).bands() == favorability_bands{3, 1}); // odd: 2 is neutral
  CHECK(scales::agree5.classify(3) == favorability::neutral);
  CHECK(scales::agree5.classify(4) == favorability::favorable);
  CHECK(scales::agree5.classify(2) == favorability::unfavorable);
  CHECK(scales::agree7.classify(5) == favorability::neutral);
  CHECK(scales::zero_to_ten.classify(8) == favorability::neutral);
  CHECK(scales::zero_to_ten.classify(6) == favorability::unfavorable);
  const likert_scale strict{1, 5, {5, 3}};
  CHECK(strict.classify(4) == favorability::neutral);
  CHECK(strict.classify(3) == favorability::unfavorable);
  CHECK(scales::agree5.key(2, true) == 4);
  CHECK(scales::agree5.key(2, false) == 2);
  CHECK(scales::zero_to_ten.key(3, true) == 7);
  CHECK(scales::agree5.index(3.0) == 50.0);
  CHECK(scales::zero_to_ten.index(10.0) == 100.0);
  CHECK(scales::agree5.points() == 5);
  CHECK(error_of([] { (void)likert_scale(5, 1); }).find("bounds must satisfy") != std::string::npos);
  CHECK(error_of([] { (void)likert_scale(0, 255); }).find("0..255") != std::string::npos);
  CHECK(error_of([] {
          (void)likert_scale(1, 5, {3, 3});
        }).find("unfavorable_max < favorable_min") != std::string::npos);
  CHECK(nps_scale::classify(6) == nps_group::detractor);
  CHECK(nps_scale::classify(7) == nps_group::passive);
  CHECK(nps_scale::classify(8) == nps_group::passive);
  CHECK(nps_scale::classify(9) == nps_group::promoter);
  CHECK(service_level_scale::to_level(5) == service_level::surprising);
  CHECK_FALSE(service_level_scale::to_level(0).has_value());
}

TEST_CASE("run-time instruments report every problem at once", "[measure][instrument]") {
  instrument_def d;
  d.id = "bad";
  d.constructs = {{"A", "A", {}}, {"B", "B", {}}, {"A", "again", {}}, {"", "nameless", {}}};
  d.items = {{"q1", "x", "A"},
             {"q1", "dup", "A"},
             {"q2", "x", "C"},
             {"q3", "x", "B", false, 0.0},
             {"q4", "x", "B", false, -1.0},
             {"q5", "x", ""},
             {"", "x", "B"},
             {"n1", "x", "A", false, 1.0, std::nullopt, std::nullopt, response_format::nps}};
  d.nps_item = "nope";
  try {
    instrument inst(d);
    FAIL("expected validation_error");
  } catch (const validation_error& e) {
    const auto& ps = e.problems();
    CHECK(has_problem(ps, "item #2 'q1'", "same id as an earlier item"));
    CHECK(has_problem(ps, "item #3 'q2'", "names construct 'C', which the instrument does not define"));
    CHECK(has_problem(ps, "item #4 'q3'", "weight 0.0"));
    CHECK(has_problem(ps, "item #5 'q4'", "weight -1.0"));
    CHECK(has_problem(ps, "item #6 'q5'", "Likert item without a construct"));
    CHECK(has_problem(ps, "item #7 ''", "empty id"));
    CHECK(has_problem(ps, "item #8 'n1'", "NPS item and cannot belong to a construct"));
    CHECK(has_problem(ps, "construct #3 'A'", "same key as an earlier construct"));
    CHECK(has_problem(ps, "construct #4", "empty key"));
    CHECK(has_problem(ps, "instrument 'bad'", "names NPS item 'nope'"));
    CHECK(ps.size() == 10); // an empty key is reported once, not again as a construct without items
    CHECK(std::string(e.what()).rfind("instrument 'bad': 10 problems", 0) == 0);
  }
  SECTION("a construct with one item and an NPS item of the wrong format") {
    instrument_def d2{"d2", "", scales::agree5, {{"A", "A", {}}}, {{"a1", "x", "A"}, {"n", "x", "", false}}, "n"};
    const auto ps = check(instrument(instrument::to_def(small_instrument::view())).view());
    CHECK(ps.empty());
    try {
      instrument inst(d2);
      FAIL("expected validation_error");
    } catch (const validation_error& e) {
      CHECK(has_problem(e.problems(), "construct #1 'A'", "1 item(s)"));
      CHECK(has_problem(e.problems(), "item #2 'n'", "Likert item without a construct"));
      CHECK(has_problem(e.problems(), "item #2 'n'", "not answered on the 0-10 NPS scale"));
    }
  }
}

TEST_CASE("compile-time and run-time instruments present the same view", "[measure][instrument]") {
  const instrument rt(instrument::to_def(small_instrument::view()));
  const instrument_view a = small_instrument::view();
  const instrument_view b = rt.view();
  REQUIRE(a.items.size() == b.items.size());
  for (std::size_t i = 0; i < a.items.size(); ++i) {
    CHECK(a.items[i].id == b.items[i].id);
    CHECK(a.items[i].construct == b.items[i].construct);
    CHECK(a.items[i].reverse == b.items[i].reverse);
    CHECK(a.items[i].weight == b.items[i].weight);
    CHECK(a.items[i].format == b.items[i].format);
  }
  CHECK(a.nps_item == b.nps_item);
  CHECK(a.construct_size(0) == 3);
  CHECK(a.item_index("b2") == std::size_t{4});
  CHECK_FALSE(a.item_index("B2").has_value());
  const instrument copy = rt; // copies share the validated data
  CHECK(copy.view().items.data() == rt.view().items.data());
}

TEST_CASE("run-time instruments: copies, assignment and moves share one block that outlives the original",
          "[measure][instrument]") {
  std::vector<instrument> copies;
  const item_spec* items = nullptr;
  {
    instrument original(instrument::to_def(small_instrument::view()));
    items = original.view().items.data();
    for (int i = 0; i < 100; ++i) {
      copies.push_back(original);
    }
    instrument other(instrument::to_def(small_instrument::view()));
    other = original; // drops other's own block
    CHECK(other.view().items.data() == items);
    const instrument& same = other;
    other = same; // self-assignment keeps the block
    CHECK(other.view().items.data() == items);
    instrument moved = std::move(other);
    CHECK(moved.view().items.data() == items);
    CHECK(other.view().items.data() == items); // a moved-from instrument is still a valid copy
  }
  // The original and its local copies are gone; the vector's copies still read the same definition.
  for (const auto& c : copies) {
    REQUIRE(c.view().items.data() == items);
  }
  CHECK(copies.back().definition().id == small_instrument::view().id);
  CHECK(copies.back().view().item_index("b2") == std::size_t{4});
}

TEST_CASE("response builder: ranges, policies and metadata", "[measure][responses]") {
  const auto m = small_matrix();
  REQUIRE(m.rows() == 4);
  REQUIRE(m.columns() == 7);
  CHECK(m.at(0, 0) == 5);
  CHECK(m.is_missing(2, 0));
  CHECK(m.column(5)[2] == 6);
  CHECK(m.respondent_ids() == std::vector<std::string>{"r1", "r2", "r3", "r4"});
  CHECK(m.waves() == std::vector<int>{0, 0, 0, 2});
  REQUIRE(m.group("team") != nullptr);
  CHECK(m.group("team")->levels == std::vector<std::string>{"North", "South"});
  CHECK(m.group("team")->label(1) == "South");
  CHECK(m.group("dept") == nullptr);

  SECTION("an out-of-range answer is an error naming respondent row and item; the row is not added") {
    response_builder b(small_instrument::view(), {"team"});
    b.add("r1", {5, 1, 4, 3, 3, 10, 4}, {"North"});
    CHECK(error_of([&] {
            b.add("r2", {5, 1, 4, 3, 3, 11, 4}, {"North"});
          }) == "respondent row 2 (id 'r2'), item 'nps': answer 11 is outside 0..10");
    CHECK(error_of([&] {
            b.add("r2", {0, 1, 4, 3, 3, 10, 4}, {"North"});
          }) == "respondent row 2 (id 'r2'), item 'a1': answer 0 is outside 1..5");
    CHECK(error_of([&] {
            b.add("r2", {1, 1, 4, 3, 3, 10, 7}, {"North"});
          }) == "respondent row 2 (id 'r2'), item 'sl': answer 7 is outside 1..6");
    CHECK(error_of([&] { b.add("r2", {1, 1}, {"North"}); }) == "respondent row 2 (id 'r2'): 2 answers for 7 items");
    CHECK(error_of([&] {
            b.add("r2", {1, 1, 4, 3, 3, 10, 4});
          }) == "respondent row 2 (id 'r2'): 0 group labels for 1 group columns");
    CHECK(b.matrix().rows() == 1);
  }
  SECTION("the to_missing policy stores missing answers and reports each conversion") {
    response_builder b(small_instrument::view(), {}, out_of_range_policy::to_missing);
    b.add("x", {6, 1, 4, 3, 3, 12, 4});
    b.add("y", {5, 1, 4, 3, 3, 10, 4});
    REQUIRE(b.converted().size() == 2);
    CHECK(b.converted()[0].row == 1);
    CHECK(b.converted()[0].item == "a1");
    CHECK(b.converted()[0].value == 6);
    CHECK(b.converted()[1].item == "nps");
    CHECK(b.matrix().is_missing(0, 0));
    CHECK(b.matrix().is_missing(0, 5));
    CHECK(b.matrix().at(1, 0) == 5);
  }
  SECTION("duplicate columns are refused") {
    CHECK(error_of([] { response_matrix bad({"a", "a"}); }) == "response matrix: item column 'a' appears twice");
    CHECK(error_of([] {
            response_matrix bad({"a"}, {"team", "team"});
          }) == "response matrix: group column 'team' appears twice");
  }
}

TEST_CASE("scoring engine: keying, weights, missing answers, min_answered (worked by hand)", "[measure][scoring]") {
  const auto m = small_matrix();
  const auto r = score(small_instrument{}, m);
  REQUIRE(r.constructs.size() == 2);
  // Construct A, k = 3, min_answered = 2; a2r keyed 6 - x; a3 has weight 2.
  //   r1: (5 + 5 + 2*4) / (1 + 1 + 2) = 18/4 = 4.5     r2: (4 + 4) / 2 = 4 (a3 missing)
  //   r3: only a3 answered, 1 < 2: no score           r4: (1 + 1 + 2*1) / 4 = 1
  CHECK(r.persons.score(0, 0) == 4.5);
  CHECK(r.persons.score(0, 1) == 4.0);
  CHECK_FALSE(r.persons.score(0, 2).has_value());
  CHECK(r.persons.answered(0, 2) == 1);
  CHECK(r.persons.score(0, 3) == 1.0);
  const auto& a = r.constructs[0];
  CHECK(a.key == "A");
  CHECK(a.items == 3);
  CHECK(a.min_answered == 2);
  CHECK(a.n == 3);
  // mean = 19/6; deviations 8/6, 5/6, -13/6; sum of squares 258/36 = 43/6; variance 43/12.
  CHECK(*a.mean == Approx(19.0 / 6.0).epsilon(1e-15));
  CHECK(*a.sd == Approx(std::sqrt(43.0 / 12.0)).epsilon(1e-15));
  CHECK(*a.index == Approx((19.0 / 6.0 - 1.0) / 4.0 * 100.0).epsilon(1e-15));
  // Keyed answers of the scored respondents r1, r2, r4 pooled (r3's lone a3 = 2 has no score, so it counts
  // nowhere): a1 5 4 1, a2r keyed 5 4 1, a3 4 1: favourable 5, neutral 0, unfavourable 3 of 8.
  CHECK(a.answers == 8);
  CHECK(a.band_counts == std::array<std::size_t, 3>{3, 0, 5});
  CHECK(*a.favorable == Approx(5.0 / 8.0));
  CHECK(*a.neutral == 0.0);
  CHECK(*a.unfavorable == Approx(3.0 / 8.0));
  // Construct B, k = 2, min_answered = 1: r1 3, r2 2, r3 4.5, r4 none; mean 19/6, variance 19/12.
  const auto& b = r.constructs[1];
  CHECK(r.persons.score(1, 2) == 4.5);
  CHECK_FALSE(r.persons.score(1, 3).has_value());
  CHECK(b.n == 3);
  CHECK(*b.sd == Approx(std::sqrt(19.0 / 12.0)).epsilon(1e-15));
  // b answers 3 3 2 5 4: favourable 2, neutral 2, unfavourable 1.
  CHECK(b.band_counts == std::array<std::size_t, 3>{1, 2, 2});
  // eNPS: 10 9 6 7 -> 2 promoters, 1 passive, 1 detractor; 100 (0.5 - 0.25) = 25;
  // se = 100 sqrt((0.5 + 0.25 - 0.0625) / 4).
  REQUIRE(r.enps.has_value());
  CHECK(r.enps->promoters == 2);
  CHECK(r.enps->passives == 1);
  CHECK(r.enps->detractors == 1);
  CHECK(*r.enps->score == Approx(25.0));
  CHECK(*r.enps->se == Approx(100.0 * std::sqrt(0.6875 / 4.0)));
  // Six-level item: 4 5 2 -> lower median of three is the second: 4 (desired).
  REQUIRE(r.service_levels.size() == 1);
  CHECK(r.service_levels[0].distribution.counts == std::array<std::size_t, 6>{0, 1, 0, 1, 1, 0});
  CHECK(r.service_levels[0].distribution.median() == service_level::desired);
  CHECK(r.service_levels[0].category == value_category::service_mindset);

  SECTION("min_answered boundaries") {
    const auto one = score(small_instrument{}, m, {.min_answered = 1});
    CHECK(one.persons.score(0, 2) == 2.0); // a3 = 2 alone: 2*2 / 2
    CHECK(one.constructs[0].n == 4);
    CHECK(error_of([&] {
            (void)score(small_instrument{}, m, {.min_answered = 3});
          }).find("construct 'B': min_answered 3 is outside 1..2") != std::string::npos);
    CHECK(error_of([&] {
            (void)score(small_instrument{}, m, {.min_answered = 0});
          }).find("min_answered 0 is outside 1..3") != std::string::npos);
  }
  SECTION("a run-time instrument is scored by the same engine to the same bits") {
    const auto rt = score(instrument(instrument::to_def(small_instrument::view())), m);
    for (std::size_t c = 0; c < 2; ++c) {
      CHECK(rt.constructs[c].mean == r.constructs[c].mean);
      CHECK(rt.constructs[c].sd == r.constructs[c].sd);
    }
  }
  SECTION("a matrix without an item column, or with an answer outside the scale, is refused") {
    response_matrix partial({"a1", "a2r"});
    CHECK(error_of([&] { (void)score(small_instrument{}, partial); }).find("item 'a3': has no column") !=
          std::string::npos);
    response_matrix raw({"a1", "a2r", "a3", "b1", "b2", "nps", "sl"});
    const std::vector<std::uint8_t> bytes{9, 1, 4, 3, 3, 10, 4};
    raw.append_row("x", {}, 0, bytes);
    CHECK(error_of([&] { (void)score(small_instrument{}, raw); }) ==
          "scoring 'small': item 'a1' has 1 answer(s) outside 1..5");
  }
}

TEST_CASE("scoring engine: degenerate data says why instead of dividing by zero", "[measure][scoring]") {
  response_builder b(small_instrument::view());
  b.add("only", {3, M, M, 4, 4, M, M});
  const auto r = score(small_instrument{}, b.matrix());
  CHECK(r.constructs[0].n == 0);
  CHECK_FALSE(r.constructs[0].mean.has_value());
  CHECK(r.constructs[0].reason == "no respondent answered at least 2 of the 3 items");
  CHECK(r.constructs[1].n == 1);
  CHECK(r.constructs[1].mean == 4.0);
  CHECK_FALSE(r.constructs[1].sd.has_value());
  CHECK(r.constructs[1].reason == "SD needs at least 2 scored respondents");
  CHECK(r.enps->n == 0);
  CHECK_FALSE(r.enps->score.has_value());
  CHECK(r.enps->reason == "no NPS answers");
  CHECK(r.constructs[0].code == reason_code::no_data);
  CHECK(r.constructs[1].code == reason_code::too_few_cases);
  CHECK(r.enps->code == reason_code::no_data);
  const auto empty = score(small_instrument{}, response_builder(small_instrument::view()).matrix());
  CHECK(empty.constructs[0].n == 0);
  CHECK_FALSE(empty.constructs[0].favorable.has_value());
}

TEST_CASE("eNPS edge cases", "[measure][enps]") {
  const auto all_promoters = enps_from_counts(7, 0, 0);
  CHECK(all_promoters.score == 100.0);
  CHECK(all_promoters.se == 0.0); // p + d - (p - d)^2 = 1 - 1 = 0
  const auto all_detractors = enps_from_counts(0, 0, 3);
  CHECK(all_detractors.score == -100.0);
  CHECK(all_detractors.se == 0.0);
  const auto all_passive = enps_from_counts(0, 5, 0);
  CHECK(all_passive.score == 0.0);
  CHECK(all_passive.se == 0.0);
  // One promoter, one detractor: score 0, se = 100 sqrt((0.5 + 0.5 - 0) / 2) = 100 sqrt(0.5).
  CHECK(*enps_from_counts(1, 0, 1).se == Approx(100.0 * std::sqrt(0.5)));
  CHECK_FALSE(enps_from_counts(0, 0, 0).score.has_value());
  const std::vector<std::uint8_t> col{10, response_matrix::missing, 0, 8};
  const auto e = score_enps(col);
  CHECK(e.n == 3);
  CHECK(*e.score == Approx(0.0).margin(1e-12));
  const std::vector<std::uint8_t> bad{10, 11};
  CHECK(error_of([&] { (void)score_enps(bad); }) == "eNPS: answer 11 in row 2 is outside 0..10");
}

namespace {
struct small_row {
  BOOST_HANA_DEFINE_STRUCT(small_row, (std::string, id), (std::string, team), (int, wave), (std::optional<int>, a1),
                           (std::optional<int>, a2r), (std::optional<int>, a3), (int, b1), (std::optional<int>, b2),
                           (std::optional<int>, nps), (std::optional<int>, sl));
};
struct partial_row {
  BOOST_HANA_DEFINE_STRUCT(partial_row, (std::optional<int>, a1), (std::optional<int>, zz), (double, weird));
};
} // namespace

TEST_CASE("reflected row structs become response matrices", "[measure][records]") {
  const std::vector<small_row> rows{{"p1", "North", 1, 5, 1, 4, 3, 3, 10, 4}, {"p2", "South", 1, 4, 2, M, 2, M, 9, 5}};
  const auto m = from_records(small_instrument{}, std::span<const small_row>(rows));
  REQUIRE(m.rows() == 2);
  CHECK(m.respondent_ids() == std::vector<std::string>{"p1", "p2"});
  CHECK(m.group("team")->label(1) == "South");
  CHECK(m.waves() == std::vector<int>{1, 1});
  CHECK(m.is_missing(1, *m.column_of("a3")));
  CHECK(m.at(0, *m.column_of("nps")) == 10);
  const auto r = score(small_instrument{}, m);
  CHECK(r.persons.score(0, 0) == 4.5);

  SECTION("the run-time path checks the same rules when called") {
    const instrument rt(instrument::to_def(small_instrument::view()));
    const auto m2 = from_records(rt, std::span<const small_row>(rows));
    CHECK(m2.at(1, 0) == 4);
    const std::vector<partial_row> bad(1);
    try {
      (void)from_records(rt, std::span<const partial_row>(bad));
      FAIL("expected validation_error");
    } catch (const validation_error& e) {
      CHECK(has_problem(e.problems(), "member 'zz'", "not an item id"));
      CHECK(has_problem(e.problems(), "member 'weird'", "unsupported type"));
      CHECK(has_problem(e.problems(), "item 'b1'", "no member"));
      CHECK(e.problems().size() == 2 + 6); // zz, weird, and the six items without a member
    }
  }
  SECTION("out-of-range answers in records follow the policy") {
    std::vector<small_row> bad = rows;
    bad[1].b1 = 9;
    CHECK(error_of([&] { (void)from_records(small_instrument{}, std::span<const small_row>(bad)); }) ==
          "respondent row 2 (id 'p2'), item 'b1': answer 9 is outside 1..5");
    const auto lenient =
        from_records(small_instrument{}, std::span<const small_row>(bad), out_of_range_policy::to_missing);
    CHECK(lenient.is_missing(1, *lenient.column_of("b1")));
  }
}

TEST_CASE("gap scoring (SERVQUAL-style), worked by hand", "[measure][gap]") {
  const gap_design d{{"Reliability", "Empathy"},
                     {{"e1", "p1", "Reliability"}, {"e2", "p2", "Reliability"}, {"e3", "p3", "Empathy"}}};
  response_matrix m({"e1", "p1", "e2", "p2", "e3", "p3"});
  const auto row = [&](std::vector<std::uint8_t> v) { m.append_row("r", {}, 0, v); };
  constexpr std::uint8_t X = response_matrix::missing;
  row({7, 5, 6, 6, 5, 6});
  row({6, 4, 7, X, 4, 6});
  row({7, 6, 5, 4, X, 3});
  // pair 1: (5-7) + (4-6) + (6-7) = -5 over 3 -> -5/3; pair 2: (6-6) + (4-5) = -1 over 2 -> -0.5;
  // pair 3: (6-5) + (6-4) = 3 over 2 -> 1.5. Reliability = (-5/3 - 0.5) / 2 = -13/12; Empathy = 1.5.
  // Unweighted total = (-13/12 + 1.5) / 2 = 5/24. Weighted 70/30: (70 * -13/12 + 30 * 1.5) / 100.
  const std::vector<double> importance{70.0, 30.0};
  const auto g = score_gaps(d, m, importance);
  CHECK(g.items[0].n == 3);
  CHECK(*g.items[0].gap == Approx(-5.0 / 3.0));
  CHECK(*g.items[0].expectation == Approx(20.0 / 3.0));
  CHECK(*g.items[1].gap == Approx(-0.5));
  CHECK(*g.items[2].gap == Approx(1.5));
  CHECK(*g.dimensions[0].gap == Approx(-13.0 / 12.0));
  CHECK(*g.dimensions[1].gap == Approx(1.5));
  CHECK(*g.unweighted_total == Approx(5.0 / 24.0));
  CHECK(*g.weighted_total == Approx((70.0 * -13.0 / 12.0 + 30.0 * 1.5) / 100.0));
  CHECK_FALSE(score_gaps(d, m).weighted_total.has_value());

  SECTION("every problem is named") {
    const gap_design bad{{"Reliability", "reliability", "Empty"}, {{"e1", "p1", "Reliability"}, {"e9", "p1", "Nope"}}};
    const std::vector<double> w{50.0, 60.0, -1.0};
    try {
      (void)score_gaps(bad, m, w);
      FAIL("expected validation_error");
    } catch (const validation_error& e) {
      CHECK(has_problem(e.problems(), "dimension #2 'reliability'", "duplicates dimension #1 'Reliability'"));
      CHECK(has_problem(e.problems(), "pair #2 (e9/p1)", "unknown dimension 'Nope'"));
      CHECK(has_problem(e.problems(), "pair #2 (e9/p1)", "item 'e9' has no column"));
      CHECK(has_problem(e.problems(), "dimension 'Empty'", "no item pairs"));
      CHECK(has_problem(e.problems(), "importance of 'Empty'", ">= 0"));
      CHECK(has_problem(e.problems(), "importance", "points sum to 109"));
    }
  }
  SECTION("the SERVQUAL layout") {
    const auto s = servqual_design();
    CHECK(s.pairs.size() == 22);
    CHECK(s.pairs[3].dimension == "Tangibles");
    CHECK(s.pairs[4].dimension == "Reliability");
    CHECK(s.pairs[8].dimension == "Reliability");
    CHECK(s.pairs[9].dimension == "Responsiveness");
    CHECK(s.pairs[13].dimension == "Assurance");
    CHECK(s.pairs[17].dimension == "Empathy");
    CHECK(s.pairs[21].perception_item == "p22");
  }
}
