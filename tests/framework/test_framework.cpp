// Tests of the framework layer: vocabulary enums, core values and service transaction maps.
#include "../support/checks.hpp"
#include "../support/string_makers.hpp"

#include <ethos/framework.hpp>
#include <ethos/report/fmt.hpp>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

using namespace ethos;
using ethos_test::has_problem;

namespace {

std::string upper(std::string_view s) {
  std::string r(s);
  for (auto& c : r) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return r;
}

} // namespace

TEMPLATE_TEST_CASE("every vocabulary enum round-trips through key and label", "[framework][vocabulary]", service_level,
                   value_category, building_block, responsibility, service_cycle_step, leadership_rule, service_mode,
                   customer_kind) {
  using E = TestType;
  int expected_ordinal = 1;
  for (E e : all<E>) {
    CAPTURE(e);
    CHECK(ordinal(e) == expected_ordinal++);
    CHECK(from_string<E>(key(e)) == e);
    CHECK(from_string<E>(to_string(e)) == e);
    CHECK(from_string<E>(upper(key(e))) == e);
    CHECK(from_string<E>(upper(to_string(e))) == e);
    CHECK(from_string<E>("  \t" + std::string(to_string(e)) + " \n") == e);
    CHECK(from_ordinal<E>(ordinal(e)) == e);
    CHECK_FALSE(describe(e).empty());
    CHECK(describe(e).back() == '.');
    CHECK(fmt::format("{}", e) == to_string(e));
  }
  CHECK(all<E>.size() == vocabulary_size<E>);
  CHECK_FALSE(from_string<E>("").has_value());
  CHECK_FALSE(from_string<E>("   ").has_value());
  CHECK_FALSE(from_string<E>("no such term").has_value());
  CHECK_FALSE(from_string<E>(std::string(key(all<E>[0])) + "x").has_value());
  CHECK_FALSE(from_ordinal<E>(0).has_value());
  CHECK_FALSE(from_ordinal<E>(static_cast<int>(vocabulary_size<E>) + 1).has_value());
}

TEST_CASE("vocabulary: the exact names, labels and canonical order of the issue", "[framework][vocabulary]") {
  const std::vector<std::string> blocks{
      "common_service_language",         "engaging_service_vision",      "service_staff_recruitment",
      "new_staff_orientation",           "service_communications",       "service_recognition_and_rewards",
      "voice_of_the_customer",           "service_measures_and_metrics", "service_improvement_process",
      "service_recovery_and_guarantees", "service_benchmarking",         "service_role_modeling"};
  REQUIRE(all<building_block>.size() == blocks.size());
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    CHECK(key(all<building_block>[i]) == blocks[i]);
  }
  CHECK(from_string<building_block>("voice of the customer") == building_block::voice_of_the_customer);
  CHECK(to_string(building_block::voice_of_the_customer) == "Voice of the Customer");
  CHECK(ordinal(building_block::service_role_modeling) == 12);
  CHECK(key(service_level::unbelievable) == "unbelievable");
  CHECK(level_number(service_level::criminal) == 1);
  CHECK(level_number(service_level::unbelievable) == 6);
  CHECK(all<leadership_rule>.size() == 7);
  CHECK(to_string(responsibility::take_personal_responsibility) == "Take Personal Responsibility");
  // A value produced by a cast is not an enumerator: it has no name and no ordinal, and nothing crashes.
  const auto bogus = static_cast<value_category>(42);
  CHECK(ordinal(bogus) == 0);
  CHECK(to_string(bogus) == "?");
  CHECK(describe(bogus).empty());
}

TEST_CASE("service levels: ordering laws, saturating steps and distance", "[framework][service_level]") {
  for (auto a : all<service_level>) {
    CAPTURE(a);
    CHECK(next(a) >= a);
    CHECK(previous(a) <= a);
    if (a != service_level::unbelievable) {
      CHECK(previous(next(a)) == a);
      CHECK(distance(a, next(a)) == 1);
    }
    if (a != service_level::criminal) {
      CHECK(next(previous(a)) == a);
    }
    CHECK(distance(a, a) == 0);
    for (auto b : all<service_level>) {
      CHECK(distance(a, b) == -distance(b, a));
      CHECK((a < b) == (ordinal(a) < ordinal(b)));
      CHECK((a < b) == (distance(a, b) > 0));
      for (auto c : all<service_level>) {
        CHECK(distance(a, c) == distance(a, b) + distance(b, c));
        if (a < b && b < c) {
          CHECK(a < c);
        }
      }
    }
  }
  CHECK(next(service_level::unbelievable) == service_level::unbelievable);
  CHECK(previous(service_level::criminal) == service_level::criminal);
  CHECK(distance(service_level::basic, service_level::desired) == 2);
  CHECK(is_below_expected(service_level::criminal));
  CHECK(is_below_expected(service_level::basic));
  CHECK_FALSE(is_below_expected(service_level::expected));
  CHECK_FALSE(is_below_expected(service_level::unbelievable));
  CHECK(service_level_from_number(4) == service_level::desired);
  CHECK_FALSE(service_level_from_number(7).has_value());
}

TEST_CASE("service cycle wraps and responsibility tells the productive reaction", "[framework]") {
  CHECK(next(service_cycle_step::explore) == service_cycle_step::agree);
  CHECK(next(service_cycle_step::deliver) == service_cycle_step::assure);
  CHECK(next(service_cycle_step::assure) == service_cycle_step::explore);
  auto s = service_cycle_step::agree;
  for (int i = 0; i < 4; ++i) {
    s = next(s);
  }
  CHECK(s == service_cycle_step::agree);
  CHECK(is_productive(responsibility::take_personal_responsibility));
  CHECK_FALSE(is_productive(responsibility::blame));
  CHECK_FALSE(is_productive(responsibility::shame));
  CHECK_FALSE(is_productive(responsibility::excuses));
}

TEST_CASE("fmt formatter honours format specs", "[framework][fmt]") {
  CHECK(fmt::format("{:>24}", building_block::voice_of_the_customer) == "   Voice of the Customer");
  CHECK(fmt::format("{:<10}|", service_level::basic) == "Basic     |");
  CHECK(fmt::format("{:*^11}", customer_kind::internal) ==
        "*Internal**"); // fmt puts the odd fill character on the right
}

TEST_CASE("core values: building, parsing and validation", "[framework][core_values]") {
  SECTION("the example set is valid and findable by name") {
    const auto set = example_core_values();
    CHECK(set.size() == 5);
    CHECK(set.index_of("  own THE outcome ") == std::size_t{1});
    CHECK_FALSE(set.index_of("Integrity").has_value());
  }
  SECTION("every problem of a built set is reported at once") {
    const std::vector<core_value> bad{{"Care", "", {}}, {"", "orphan", {}}, {"care", "again", {}}};
    const auto ps = core_value_set::check(bad);
    CHECK(ps.size() == 3);
    CHECK(has_problem(ps, "value #1 'Care'", "has no statement"));
    CHECK(has_problem(ps, "value #2", "empty name"));
    CHECK(has_problem(ps, "value #3 'care'", "duplicates value #1"));
    CHECK_THROWS_AS(core_value_set(bad), validation_error);
    CHECK(has_problem(core_value_set::check(std::vector<core_value>{}), "core value set", "no values"));
  }
  SECTION("the line format") {
    const auto set = parse_core_values("# our values\n"
                                       "value: Make it easy\r\n"
                                       "statement: Fewer steps for the people we serve.\n"
                                       "behaviour: Removes a needless approval.\n"
                                       "\n"
                                       "value: Own the outcome\n"
                                       "statement: We finish what we start.\n"
                                       "behavior: Warns early.\n");
    REQUIRE(set.size() == 2);
    CHECK(set.values()[0].name == "Make it easy");
    CHECK(set.values()[0].statement == "Fewer steps for the people we serve.");
    CHECK(set.values()[0].behaviours == std::vector<std::string>{"Removes a needless approval."});
    CHECK(set.values()[1].behaviours == std::vector<std::string>{"Warns early."});
  }
  SECTION("the line format reports every bad line with its number") {
    try {
      (void)parse_core_values("statement: too early\n"
                              "value: A\n"
                              "colour: blue\n"
                              "no colon here\n"
                              "behaviour:\n"
                              "value: a\n"
                              "statement: x\n"
                              "statement: y\n",
                              "values.txt");
      FAIL("expected a validation_error");
    } catch (const validation_error& e) {
      const auto& ps = e.problems();
      CHECK(has_problem(ps, "values.txt:1", "before any 'value:'"));
      CHECK(has_problem(ps, "values.txt:3", "unknown field 'colour'"));
      CHECK(has_problem(ps, "values.txt:4", "no ':'"));
      CHECK(has_problem(ps, "values.txt:5", "empty behaviour"));
      CHECK(has_problem(ps, "values.txt:8", "second statement"));
      CHECK(has_problem(ps, "value #1 'A'", "no statement"));
      CHECK(has_problem(ps, "value #2 'a'", "duplicates value #1"));
      CHECK(ps.size() == 7);
      CHECK(std::string(e.what()).find("values.txt: 7 problems") == 0);
    }
  }
}

TEST_CASE("core values: say/do gaps, worked by hand", "[framework][core_values]") {
  const core_value_set set(std::vector<core_value>{{"Serve", "s", {}}, {"Own", "o", {}}, {"Learn", "l", {}}});
  const std::vector<value_rating> ratings{
      {"Serve", 5, 3},
      {"Serve", 4, 2}, // aspiration 4.5, observed 2.5, gap 2.0
      {"own", 5, 4},
      {"Own", 3, std::nullopt},   // aspiration 4.0, observed 4.0, gap 0.0
      {"Learn", std::nullopt, 2}, // no aspiration: no gap
      {"Own", std::nullopt, 5},   // observed (4 + 5) / 2 = 4.5, gap -0.5
  };
  const auto a = assess_say_do(set, ratings);
  REQUIRE(a.values.size() == 3);
  CHECK(a.values[0].aspiration == 4.5);
  CHECK(a.values[0].observed == 2.5);
  CHECK(a.values[0].gap == 2.0);
  CHECK(a.values[1].n_aspiration == 2);
  CHECK(a.values[1].n_observed == 2);
  CHECK(a.values[1].gap == -0.5);
  CHECK_FALSE(a.values[2].gap.has_value());
  CHECK(a.values[2].observed == 2.0);
  CHECK(a.ranking == std::vector<std::size_t>{0, 1, 2});
  CHECK(a.overall_gap == 0.75); // (2.0 + -0.5) / 2
}

TEST_CASE("core values: bad ratings are all reported", "[framework][core_values]") {
  const core_value_set set(std::vector<core_value>{{"Serve", "s", {}}});
  const std::vector<value_rating> ratings{{"Serve", 6, 3}, {"Integrity", 3, 3}, {"Serve", 1, 0}};
  try {
    (void)assess_say_do(set, ratings);
    FAIL("expected a validation_error");
  } catch (const validation_error& e) {
    CHECK(e.problems().size() == 3);
    CHECK(has_problem(e.problems(), "rating #1 (value 'Serve')", "aspiration 6 is outside 1..5"));
    CHECK(has_problem(e.problems(), "rating #2 (value 'Integrity')", "not in the set"));
    CHECK(has_problem(e.problems(), "rating #3", "observed 0 is outside 1..5"));
  }
  CHECK_THROWS_AS(assess_say_do(set, {}, rating_range{5, 1}), validation_error);
  const auto empty = assess_say_do(set, {});
  CHECK_FALSE(empty.overall_gap.has_value());
}

namespace {

transaction clinic_visit() {
  transaction t{"Clinic visit"};
  t.add_process("Appointment booked", "Front desk")
      .add_process("Patient seen", "Clinicians")
      .add_process("Bill sent", "Finance")
      .add_perception("Booking call", value_category::delivery_system, "Appointment booked")
      .add_perception("Waiting room", value_category::delivery_system, "Patient seen")
      .add_perception("Doctor's manner", value_category::service_mindset, "Patient seen")
      .add_perception("Bill clarity", value_category::primary_product, "Bill sent")
      .add_perception("Follow-up", value_category::ongoing_relationship, "Patient seen");
  return t;
}

} // namespace

TEST_CASE("transaction summary: a worked example", "[framework][transaction]") {
  const auto t = clinic_visit();
  // Levels per point, worked by hand below:
  //   Booking call    4 4 5        -> sorted 4 4 5, median 4 (desired), below expected 0/3
  //   Waiting room    2 3 1 3      -> sorted 1 2 3 3, lower median is 2nd = 2 (basic), below 2/4
  //   Doctor's manner 6 5          -> sorted 5 6, lower median 5 (surprising), below 0/2
  //   Bill clarity    2 3 2 4      -> sorted 2 2 3 4, lower median 2 (basic), below 2/4
  //   Follow-up       (none)       -> unrated
  // Waiting room and Bill clarity tie at basic with the same share below (0.5): map order decides.
  const std::vector<perception_rating> r{
      {"Booking call", 4}, {"Booking call", 4}, {"Booking call", 5},    {"waiting room", 2},    {"Waiting room", 3},
      {"Waiting room", 1}, {"Waiting room", 3}, {"Doctor's manner", 6}, {"Doctor's manner", 5}, {"Bill clarity", 2},
      {"Bill clarity", 3}, {"Bill clarity", 2}, {"Bill clarity", 4}};
  const auto s = summarize(t, r);
  REQUIRE(s.points.size() == 5);
  CHECK(s.points[0].median == service_level::desired);
  CHECK(s.points[0].share_below_expected == 0.0);
  CHECK(s.points[1].median == service_level::basic);
  CHECK(s.points[1].share_below_expected == 0.5);
  CHECK(s.points[1].distribution.counts == std::array<std::size_t, 6>{1, 1, 2, 0, 0, 0});
  CHECK(s.points[2].median == service_level::surprising);
  CHECK(s.points[3].median == service_level::basic);
  CHECK_FALSE(s.points[4].median.has_value());
  CHECK_FALSE(s.points[4].share_below_expected.has_value());
  CHECK(s.weakest == std::size_t{1});
  CHECK(s.improvement_order == std::vector<std::size_t>{1, 3, 0, 2});
  CHECK(s.unrated == std::vector<std::size_t>{4});
  CHECK(s.overall.total() == 13);
  CHECK(s.overall.counts == std::array<std::size_t, 6>{1, 3, 3, 3, 2, 1});
  CHECK(s.category(value_category::delivery_system).total() == 7);
  CHECK(s.category(value_category::delivery_system).median() == service_level::expected); // 1 2 3 3 4 4 5 -> 4th
  CHECK(s.category(value_category::ongoing_relationship).total() == 0);
  CHECK(s.category(value_category::primary_product).share_below_expected() == 0.5);

  SECTION("a larger share below expected breaks a tie of medians") {
    auto r2 = r;
    r2.push_back({"Bill clarity", 1}); // bill: 1 2 2 3 4 -> median 2, below 3/5 = 0.6 > 0.5
    const auto s2 = summarize(t, r2);
    CHECK(s2.weakest == std::size_t{3});
    CHECK(s2.improvement_order == std::vector<std::size_t>{3, 1, 0, 2});
  }
  SECTION("no ratings at all: nothing to rank, nothing invented") {
    const auto s3 = summarize(t, {});
    CHECK_FALSE(s3.weakest.has_value());
    CHECK(s3.unrated.size() == 5);
    CHECK_FALSE(s3.overall.median().has_value());
  }
}

TEST_CASE("transaction validation names every bad element", "[framework][transaction]") {
  SECTION("an empty transaction") {
    const auto ps = check(transaction{"Empty"});
    CHECK(has_problem(ps, "transaction 'Empty'", "no process points"));
    CHECK(has_problem(ps, "transaction 'Empty'", "no perception points"));
    CHECK(has_problem(check(transaction{" "}), "transaction", "empty name"));
    CHECK_THROWS_AS(summarize(transaction{"Empty"}, {}), validation_error);
  }
  SECTION("duplicates, unknown process points and bad enum values") {
    transaction t{"Order"};
    t.add_process("Order received").add_process("order received").add_process("");
    t.add_perception("Email", value_category::delivery_system, "Order received")
        .add_perception("EMAIL", value_category::delivery_system, "Order received")
        .add_perception("Parcel", value_category::primary_product, "Shipped")
        .add_perception("Odd", static_cast<value_category>(9), "Order received", static_cast<customer_kind>(7));
    const auto ps = check(t);
    CHECK(has_problem(ps, "process point #2 'order received'", "duplicates process point #1"));
    CHECK(has_problem(ps, "process point #3", "empty name"));
    CHECK(has_problem(ps, "perception point #2 'EMAIL'", "duplicates perception point #1"));
    CHECK(has_problem(ps, "perception point #3 'Parcel'", "unknown process point 'Shipped'"));
    CHECK(has_problem(ps, "perception point #4 'Odd'", "value category outside"));
    CHECK(has_problem(ps, "perception point #4 'Odd'", "neither internal nor external"));
    CHECK(ps.size() == 6);
  }
  SECTION("ratings out of range or of unknown points") {
    const auto t = clinic_visit();
    const std::vector<perception_rating> r{
        {"Booking call", 0}, {"Booking call", 7}, {"Parking", 3}, {"Bill clarity", 3}};
    try {
      (void)summarize(t, r);
      FAIL("expected a validation_error");
    } catch (const validation_error& e) {
      CHECK(e.problems().size() == 3);
      CHECK(has_problem(e.problems(), "rating #1 of perception point 'Booking call'", "level 0 is outside 1..6"));
      CHECK(has_problem(e.problems(), "rating #2", "level 7 is outside 1..6"));
      CHECK(has_problem(e.problems(), "rating #3 of perception point 'Parking'", "not in the map"));
      CHECK(std::string(e.what()).find("transaction 'Clinic visit': 3 problems") == 0);
    }
  }
}
