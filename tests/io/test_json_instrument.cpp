// Tests of the instrument JSON reader and writer (schema ethos.instrument/1): round trips, defaults, every
// error message with its path, syntax-error positions, repeated keys and the bundled template file; and
// results_to_json_string, the results JSON (ethos.results/1) as text.
#include "../support/checks.hpp"
#include "../support/string_makers.hpp"

#include <ethos/io/csv.hpp>
#include <ethos/io/json.hpp>
#include <ethos/io/json_dom.hpp>   // detail::json_describe (io/json.hpp includes it in header-only mode only)
#include <ethos/io/json_value.hpp> // the functions on nlohmann values (likewise)
#include <ethos/measure/instruments/service_culture_audit.hpp>
#include <ethos/org/report.hpp>

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

using namespace ethos;
using ethos_test::error_of;
using ethos_test::has_problem;

namespace {

const std::string bundled_file = ETHOS_TEST_DATA_DIR "/../examples/data/service_culture_audit.json";

// Field-by-field, so that a failure names the field that differs.
void check_same_definition(const instrument_def& a, const instrument_def& b) {
  CHECK(a.id == b.id);
  CHECK(a.title == b.title);
  CHECK(a.scale == b.scale);
  CHECK(a.nps_item == b.nps_item);
  REQUIRE(a.constructs.size() == b.constructs.size());
  for (std::size_t c = 0; c < a.constructs.size(); ++c) {
    INFO("construct #" << c);
    CHECK(a.constructs[c].key == b.constructs[c].key);
    CHECK(a.constructs[c].label == b.constructs[c].label);
    CHECK(a.constructs[c].block == b.constructs[c].block);
  }
  REQUIRE(a.items.size() == b.items.size());
  for (std::size_t i = 0; i < a.items.size(); ++i) {
    INFO("item #" << i << " " << a.items[i].id);
    CHECK(a.items[i].id == b.items[i].id);
    CHECK(a.items[i].text == b.items[i].text);
    CHECK(a.items[i].construct == b.items[i].construct);
    CHECK(a.items[i].reverse == b.items[i].reverse);
    CHECK(std::bit_cast<std::uint64_t>(a.items[i].weight) == std::bit_cast<std::uint64_t>(b.items[i].weight));
    CHECK(a.items[i].category == b.items[i].category);
    CHECK(a.items[i].block == b.items[i].block);
    CHECK(a.items[i].format == b.items[i].format);
  }
}

// The problems of a document that must be rejected (fails the test when it is accepted).
std::vector<problem> problems_of(std::string_view text) {
  try {
    (void)parse_instrument(text, "t.json");
  } catch (const validation_error& e) {
    return e.problems();
  }
  FAIL("expected validation_error for: " << text);
  return {};
}

// The single problem of a document, as "where: what".
std::string only_problem(std::string_view text) {
  const auto ps = problems_of(text);
  REQUIRE(ps.size() == 1);
  return ps[0].where + ": " + ps[0].what;
}

// A valid document with `extra` spliced into its first item (and `top` into the top level), so that each
// test changes one thing.
std::string doc(std::string_view extra = "", std::string_view top = "") {
  return R"({"schema": "ethos.instrument/1", "id": "t", )" + std::string(top) +
         R"("scale": {"min": 1, "max": 5},
  "constructs": [{"key": "a", "label": "A"}],
  "items": [{"id": "a1", "text": "One.", "construct": "a")" +
         std::string(extra) + R"(},
            {"id": "a2", "text": "Two.", "construct": "a"}]})";
}

// Seven-point scale with custom bands, every optional field set, a six-level item, an NPS item and weights
// that have no short decimal form.
instrument_def full_definition() {
  instrument_def d;
  d.id = "full";
  d.title = "A \"quoted\" title\nwith a second line, tabs\tand caf\xC3\xA9";
  d.scale = likert_scale(1, 7, {7, 2});
  d.constructs = {{"voice", "Listening", building_block::voice_of_the_customer},
                  {"plain", "No block", std::nullopt},
                  {"odd key", "Key with a space", building_block::service_role_modeling}};
  d.items = {
      {"v1", "We ask.", "voice", false, 1.0, value_category::delivery_system, building_block::voice_of_the_customer},
      {"v2", "Nobody asks.", "voice", true, 0.1, std::nullopt, std::nullopt},
      {"v3", "Third.", "voice", false, 1.0 / 3.0, value_category::primary_product, std::nullopt},
      {"p1", "Plain one.", "plain", false, 2.5e-7, std::nullopt, building_block::service_benchmarking},
      {"p2", "Plain two.", "plain", true, 123456.789, value_category::ongoing_relationship, std::nullopt},
      {"o1", "Odd one.", "odd key"},
      {"o2", "Odd two.", "odd key", false, 3.0},
      {"nps", "Recommend?", "", false, 1.0, std::nullopt, building_block::engaging_service_vision,
       response_format::nps},
      {"level", "How good?", "", false, 4.0, value_category::service_mindset, std::nullopt,
       response_format::service_level},
  };
  d.nps_item = "nps";
  return d;
}

} // namespace

TEST_CASE("instrument JSON: the bundled audit round-trips to an equal definition", "[io][json]") {
  const instrument_view audit = instruments::service_culture_audit;
  const instrument_def expected = instrument::to_def(audit);
  const std::string text = instrument_to_json_string(audit);
  const instrument back = parse_instrument(text);
  check_same_definition(back.definition(), expected);
  check_same_definition(instrument_from_json(to_json(audit)).definition(), expected);
  CHECK(instrument_to_json_string(back) == text); // writing is stable
  CHECK(to_json(back) == to_json(audit));
  CHECK(to_json(audit).at("items").size() == 53);
  CHECK(text.rfind("{\n  \"schema\": \"ethos.instrument/1\",\n  \"id\": \"service_culture_audit\",", 0) == 0);
  CHECK(text.back() == '\n');
  const std::string one_line = instrument_to_json_string(audit, -1);
  CHECK(one_line.find('\n') == one_line.size() - 1);
  check_same_definition(parse_instrument(one_line).definition(), expected);
}

TEST_CASE("instrument JSON: a hand-made instrument with every optional field round-trips", "[io][json]") {
  const instrument original(full_definition());
  const nlohmann::json j = to_json(original);
  // Every field is written, null standing for "none".
  CHECK(j.at("scale") == nlohmann::json{{"min", 1}, {"max", 7}, {"favorable_min", 7}, {"unfavorable_max", 2}});
  CHECK(j.at("constructs")[1].at("building_block").is_null());
  CHECK(j.at("items")[7].at("construct").is_null());
  CHECK(j.at("items")[7].at("format") == "nps");
  CHECK(j.at("items")[8].at("format") == "service_level");
  CHECK(j.at("items")[1].at("weight") == 0.1);
  CHECK(j.at("items")[0].size() == 8);
  const std::string text = instrument_to_json_string(original);
  CHECK(text.find(R"("title": "A \"quoted\" title\nwith a second line, tabs\tand café")") != std::string::npos);
  CHECK(text.find(R"("weight": 0.1,)") != std::string::npos);
  CHECK(text.find(R"("key": "odd key")") != std::string::npos);
  check_same_definition(parse_instrument(text).definition(), original.definition());
  check_same_definition(instrument_from_json(j).definition(), original.definition());
  CHECK(parse_instrument(text).view().scale.bands() == favorability_bands{7, 2});

  SECTION("without an NPS item, nps_item is written as null and read back as none") {
    instrument_def d = full_definition();
    d.items.erase(d.items.begin() + 7);
    d.nps_item.clear();
    const instrument no_nps(d);
    CHECK(to_json(no_nps).at("nps_item").is_null());
    check_same_definition(parse_instrument(instrument_to_json_string(no_nps)).definition(), d);
  }
}

TEST_CASE("instrument JSON: defaults for optional fields", "[io][json]") {
  const instrument inst = parse_instrument(R"({
    "schema": "ethos.instrument/1",
    "id": "minimal",
    "scale": {"min": 1, "max": 7},
    "constructs": [{"key": "a", "label": "A"}],
    "items": [
      {"id": "a1", "text": "One.", "construct": "a"},
      {"id": "a2", "text": "Two.", "construct": "a"},
      {"id": "rec", "text": "Recommend?"},
      {"id": "lvl", "text": "Level?", "format": "Service Level"}
    ],
    "nps_item": "rec"
  })");
  const instrument_def& d = inst.definition();
  CHECK(d.title.empty());
  CHECK(d.scale == scales::agree7); // default bands of 1..7: 6-7 / 4-5 / 1-3
  CHECK(d.scale.bands() == favorability_bands{6, 3});
  CHECK_FALSE(d.constructs[0].block.has_value());
  CHECK(d.items[0].weight == 1.0);
  CHECK_FALSE(d.items[0].reverse);
  CHECK_FALSE(d.items[0].category.has_value());
  CHECK_FALSE(d.items[0].block.has_value());
  CHECK(d.items[0].format == response_format::likert);
  CHECK(d.items[2].format == response_format::nps); // named by nps_item, format left out
  CHECK(d.items[2].construct.empty());
  CHECK(d.items[3].format == response_format::service_level); // a label, any case
  CHECK(d.nps_item == "rec");

  SECTION("null means none for the fields that can be none; labels and keys are read in any case") {
    const instrument n = parse_instrument(doc(R"(, "building_block": null, "value_category": " Delivery SYSTEM ",
        "format": "LIKERT")",
                                              R"("nps_item": null, "title": "T", )"));
    CHECK(n.definition().nps_item.empty());
    CHECK_FALSE(n.definition().items[0].block.has_value());
    CHECK(n.definition().items[0].category == value_category::delivery_system);
    const instrument e = parse_instrument(doc("", R"("nps_item": "", )"));
    CHECK(e.definition().nps_item.empty());
    const instrument b = parse_instrument(doc(R"(, "building_block": "Voice of the Customer")"));
    CHECK(b.definition().items[0].block == building_block::voice_of_the_customer);
  }
  SECTION("a number with a zero fraction is an integer; weights may be integers") {
    const instrument f = parse_instrument(
        R"({"schema": "ethos.instrument/1", "id": "f", "scale": {"min": 1.0, "max": 5e0, "favorable_min": 5,
            "unfavorable_max": 3.0}, "constructs": [{"key": "a", "label": "A"}],
            "items": [{"id": "a1", "text": "x", "construct": "a", "weight": 2},
                      {"id": "a2", "text": "y", "construct": "a"}]})");
    CHECK(f.definition().scale == likert_scale(1, 5, {5, 3}));
    CHECK(f.definition().items[0].weight == 2.0);
  }
  SECTION("an empty list of constructs is fine when no item needs one") {
    const instrument only_nps = parse_instrument(R"({"schema": "ethos.instrument/1", "id": "n",
        "scale": {"min": 0, "max": 10}, "constructs": [], "items": [{"id": "n", "text": "?"}], "nps_item": "n"})");
    CHECK(only_nps.definition().items[0].format == response_format::nps);
    CHECK(only_nps.definition().scale == scales::zero_to_ten);
  }
}

TEST_CASE("instrument JSON: wrong types, missing keys, unknown keys", "[io][json][errors]") {
  CHECK(only_problem(doc(R"(, "reverse": "yes")")) == R"($.items[0].reverse: expected a boolean, got string "yes")");
  CHECK(only_problem(doc(R"(, "weight": "2")")) == R"($.items[0].weight: expected a number, got string "2")");
  CHECK(only_problem(doc(R"(, "weight": true)")) == R"($.items[0].weight: expected a number, got boolean true)");
  CHECK(only_problem(doc(R"(, "format": null)")) == R"($.items[0].format: expected a string, got null)");
  CHECK(only_problem(doc(R"(, "value_category": 3)")) ==
        R"($.items[0].value_category: expected a string or null, got number 3)");
  CHECK(only_problem(doc(R"(, "building_block": [])")) ==
        R"($.items[0].building_block: expected a string or null, got array)");
  CHECK(only_problem(doc("", R"("title": {}, )")) == R"($.title: expected a string, got object)");
  CHECK(only_problem(doc(R"(, "revers": true)")) == R"($.items[0].revers: unknown key (did you mean "reverse"?))");
  CHECK(only_problem(doc(R"(, "Weight": 2)")) == R"($.items[0].Weight: unknown key (did you mean "weight"?))");
  CHECK(only_problem(doc(R"(, "wieght": 2)")) == R"($.items[0].wieght: unknown key (did you mean "weight"?))");
  CHECK(only_problem(doc("", R"("colour": "blue", )")) ==
        R"($.colour: unknown key (allowed: schema, id, title, scale, constructs, items, nps_item))");
  CHECK(only_problem(doc("", R"("my key": 1, )")) ==
        R"($["my key"]: unknown key (allowed: schema, id, title, scale, constructs, items, nps_item))");
  CHECK(only_problem(R"({"schema": "ethos.instrument/1", "scale": {"min": 1, "max": 5}, "constructs": [],
                         "items": []})") == R"($: missing required key "id")");
  CHECK(only_problem(R"({"schema": "ethos.instrument/1", "id": "x", "constructs": [], "items": []})") ==
        R"($: missing required key "scale")");
  const auto ps = problems_of(R"({"schema": "ethos.instrument/1", "id": "x", "scale": {"min": 1, "max": 5},
      "constructs": [{"key": "a", "label": "A"}, {"label": "B"}, 7],
      "items": [{"id": "a1", "text": "x", "construct": "a"}, {"id": "a2", "construct": "a"}, "a3"]})");
  CHECK(ps == std::vector<problem>{{"$.constructs[1]", R"(missing required key "key")"},
                                   {"$.constructs[2]", "expected an object, got number 7"},
                                   {"$.items[1]", R"(missing required key "text")"},
                                   {"$.items[2]", R"(expected an object, got string "a3")"}});
  CHECK(problems_of(R"({"schema": "ethos.instrument/1", "id": "x", "scale": [1, 5], "constructs": {},
                        "items": "none"})") ==
        std::vector<problem>{{"$.scale", "expected an object, got array"},
                             {"$.constructs", "expected an array, got object"},
                             {"$.items", R"(expected an array, got string "none")"}});
  CHECK(problems_of(R"({"schema": "ethos.instrument/1", "id": "x", "scale": {"min": 1, "max": 5}})") ==
        std::vector<problem>{{"$", R"(missing required key "constructs")"}, {"$", R"(missing required key "items")"}});
  CHECK(only_problem("[1, 2]") == "$: expected an object, got array");
  CHECK(only_problem(R"("text")") == R"($: expected an object, got string "text")");
  // Long strings are cut in messages.
  const std::string long_text(200, 'x');
  CHECK(only_problem(doc(R"(, "reverse": ")" + long_text + "\"")) ==
        "$.items[0].reverse: expected a boolean, got string \"" + std::string(60, 'x') + "...\"");
}

TEST_CASE("instrument JSON: the schema string", "[io][json][errors]") {
  const std::string body = R"("id": "x", "scale": {"min": 1, "max": 5}, "constructs": [], "items": [], "extra": 1})";
  // Another schema: reported alone, since checking another format against ours would only add noise.
  CHECK(only_problem(R"({"schema": "ethos.results/1", )" + body) ==
        R"($.schema: expected "ethos.instrument/1", got "ethos.results/1")");
  // Missing or of the wrong type: the rest is still checked.
  CHECK(problems_of("{" + body) ==
        std::vector<problem>{
            {"$", R"(missing required key "schema")"},
            {"$.extra", "unknown key (allowed: schema, id, title, scale, constructs, items, nps_item)"}});
  CHECK(problems_of(R"({"schema": 1, )" + body).front() ==
        problem{"$.schema", R"(expected "ethos.instrument/1", got number 1)"});
}

TEST_CASE("instrument JSON: vocabulary terms", "[io][json][errors]") {
  CHECK(only_problem(doc(R"(, "value_category": "delivery_sytem")")) ==
        R"($.items[0].value_category: unknown value category "delivery_sytem" (did you mean "delivery_system"?); )"
        "expected one of primary_product, delivery_system, service_mindset, ongoing_relationship");
  CHECK(only_problem(doc(R"(, "format": "stars")")) ==
        R"($.items[0].format: unknown response format "stars"; expected one of likert, nps, service_level)");
  const std::string block = only_problem(R"({"schema": "ethos.instrument/1", "id": "x", "scale": {"min": 1,
      "max": 5}, "constructs": [{"key": "a", "label": "A", "building_block": "vision"}],
      "items": [{"id": "a1", "text": "x", "construct": "a"}, {"id": "a2", "text": "y", "construct": "a"}]})");
  CHECK(block.rfind(R"($.constructs[0].building_block: unknown building block "vision"; expected one of )"
                    "common_service_language, engaging_service_vision, ",
                    0) == 0);
  CHECK(block.find("service_role_modeling") != std::string::npos);
}

TEST_CASE("instrument JSON: scale numbers and bands", "[io][json][errors]") {
  const auto scale = [](std::string_view s) {
    return only_problem(R"({"schema": "ethos.instrument/1", "id": "x", "scale": )" + std::string(s) +
                        R"(, "constructs": [], "items": []})");
  };
  CHECK(scale(R"({"min": 1, "max": 4.5})") == "$.scale.max: expected an integer, got number 4.5");
  CHECK(scale(R"({"min": "1", "max": 5})") == R"($.scale.min: expected an integer, got string "1")");
  CHECK(scale(R"({"min": 1, "max": 300})") == "$.scale.max: must be an integer from 0 to 250, got 300");
  CHECK(scale(R"({"min": -1, "max": 5})") == "$.scale.min: must be an integer from 0 to 250, got -1");
  CHECK(scale(R"({"min": 1, "max": 18446744073709551615})") ==
        "$.scale.max: must be an integer from 0 to 250, got 18446744073709551615");
  CHECK(scale(R"({"min": 1, "max": 1e300})") == "$.scale.max: must be an integer from 0 to 250, got 1e+300");
  CHECK(scale(R"({"min": 1})") == R"($.scale: missing required key "max")");
  CHECK(scale(R"({"min": 5, "max": 1})") == "$.scale: likert scale 5..1: bounds must satisfy 0 <= min < max <= 250");
  CHECK(scale(R"({"min": 3, "max": 3})") == "$.scale: likert scale 3..3: bounds must satisfy 0 <= min < max <= 250");
  CHECK(scale(R"({"min": 1, "max": 5, "favorable_min": 3, "unfavorable_max": 3})") ==
        "$.scale: likert scale 1..5: favourable from 3 and unfavourable up to 3 must satisfy "
        "min <= unfavorable_max < favorable_min <= max");
  CHECK(scale(R"({"min": 1, "max": 5, "favorable_min": 6, "unfavorable_max": 2})") ==
        "$.scale: likert scale 1..5: favourable from 6 and unfavourable up to 2 must satisfy "
        "min <= unfavorable_max < favorable_min <= max");
  CHECK(scale(R"({"min": 1, "max": 5, "favorable_min": 5})") ==
        "$.scale: favorable_min is given without unfavorable_max; give both bands or neither");
  CHECK(scale(R"({"min": 1, "max": 5, "unfavorable_max": 1})") ==
        "$.scale: unfavorable_max is given without favorable_min; give both bands or neither");
  CHECK(scale(R"({"min": 1, "max": 5, "favourable_min": 5})") ==
        R"($.scale.favourable_min: unknown key (did you mean "favorable_min"?))");

  SECTION("from a JSON value built in code: non-finite numbers") {
    nlohmann::json j = to_json(instruments::service_culture_audit);
    j["items"][0]["weight"] = std::numeric_limits<double>::quiet_NaN();
    j["items"][1]["weight"] = std::numeric_limits<double>::infinity();
    j["scale"]["max"] = std::numeric_limits<double>::infinity();
    try {
      (void)instrument_from_json(j);
      FAIL("expected validation_error");
    } catch (const validation_error& e) {
      CHECK(e.problems() == std::vector<problem>{{"$.scale.max", "expected an integer, got number inf"},
                                                 {"$.items[0].weight", "expected a finite number, got number nan"},
                                                 {"$.items[1].weight", "expected a finite number, got number inf"}});
      CHECK(std::string(e.what()).rfind("instrument JSON: 3 problems", 0) == 0);
    }
  }
}

TEST_CASE("instrument JSON: the instrument's own rules, at JSON paths", "[io][json][errors]") {
  const auto ps = problems_of(R"({"schema": "ethos.instrument/1", "id": "rules", "scale": {"min": 1, "max": 5},
    "constructs": [{"key": "a", "label": "A"}, {"key": "b", "label": "B"}, {"key": "a", "label": "again"},
                   {"key": "", "label": "nameless"}, {"key": "lonely", "label": "L"}],
    "items": [
      {"id": "a1", "text": "x", "construct": "a"},
      {"id": "a1", "text": "dup", "construct": "a"},
      {"id": "q2", "text": "x", "construct": "c"},
      {"id": "b1", "text": "x", "construct": "b", "weight": 0},
      {"id": "b2", "text": "x", "construct": "b", "weight": -1.5},
      {"id": "q5", "text": "x"},
      {"id": "", "text": "x", "construct": "b"},
      {"id": "n1", "text": "x", "construct": "a", "format": "nps"},
      {"id": "q8", "text": "x", "construct": ""},
      {"id": "l1", "text": "x", "construct": "lonely"},
      {"id": "s1", "text": "x", "format": "likert"}
    ],
    "nps_item": "nope"})");
  CHECK(ps == std::vector<problem>{
                  {"$.constructs[2].key", R"("a" is already the key of $.constructs[0])"},
                  {"$.constructs[3].key", "is empty; every construct needs a key"},
                  {"$.constructs[4]", "has 1 item; a construct needs at least 2"},
                  {"$.items[1].id", R"("a1" is already the id of $.items[0])"},
                  {"$.items[2].construct", R"(names construct "c", which $.constructs does not define)"},
                  {"$.items[3].weight", "must be positive, got 0.0"},
                  {"$.items[4].weight", "must be positive, got -1.5"},
                  {"$.items[5]", R"(missing required key "construct" (a Likert item must belong to a construct))"},
                  {"$.items[6].id", "is empty; every item needs an id"},
                  {"$.items[7].construct", R"(an item of format "nps" stands alone and cannot belong to a construct)"},
                  {"$.items[8].construct", "is empty; a Likert item must belong to a construct"},
                  {"$.items[10]", R"(missing required key "construct" (a Likert item must belong to a construct))"},
                  {"$.nps_item", R"(names item "nope", which $.items does not have)"}});

  SECTION("the NPS item must be answered on the NPS scale") {
    const auto p2 = problems_of(R"({"schema": "ethos.instrument/1", "id": "x", "scale": {"min": 1, "max": 5},
        "constructs": [], "items": [{"id": "e", "text": "?", "format": "likert"}], "nps_item": "e"})");
    CHECK(p2 ==
          std::vector<problem>{
              {"$.items[0]", R"(missing required key "construct" (a Likert item must belong to a construct))"},
              {"$.items[0].format", R"(is "likert", but $.nps_item names this item, which must have format "nps")"}});
  }
  SECTION("a field that could not be read is not blamed again by the rules it feeds") {
    const auto p3 = problems_of(R"({"schema": "ethos.instrument/1", "id": "x", "scale": {"min": 1, "max": 5},
        "constructs": [{"key": "a", "label": "A"}, {"key": 4, "label": "B"}],
        "items": [{"text": "x", "construct": "a"}, {"id": "a2", "text": "x", "construct": 5},
                  {"id": "b1", "text": "x", "construct": "b", "weight": "heavy"},
                  {"id": "n", "text": "x", "construct": "a", "format": "stars"}],
        "nps_item": 3})");
    CHECK(p3.size() == 6);
    CHECK(has_problem(p3, "$.constructs[1].key", "expected a string, got number 4"));
    CHECK(has_problem(p3, "$.items[0]", R"(missing required key "id")"));
    CHECK(has_problem(p3, "$.items[1].construct", "expected a string or null, got number 5"));
    CHECK(has_problem(p3, "$.items[2].weight", R"(expected a number, got string "heavy")"));
    CHECK(has_problem(p3, "$.items[3].format", R"(unknown response format "stars")"));
    CHECK(has_problem(p3, "$.nps_item", "expected a string or null, got number 3"));
  }
}

TEST_CASE("instrument JSON: every problem of a file is reported at once", "[io][json][errors]") {
  const std::string text = R"({"schema": "ethos.instrument/1", "id": 7, "scale": {"min": 1, "max": 5, "step": 1},
    "constructs": [{"key": "a", "label": "A", "building_block": "nope"}],
    "items": [{"id": "a1", "text": "x", "construct": "a", "reverse": 1},
              {"id": "a2", "text": "y", "construct": "a", "revers": true, "weight": -2}],
    "nps": "x"})";
  try {
    (void)parse_instrument(text, "survey.json");
    FAIL("expected validation_error");
  } catch (const validation_error& e) {
    const auto& ps = e.problems();
    CHECK(ps.size() == 7);
    CHECK(has_problem(ps, "$.id", "expected a string, got number 7"));
    CHECK(has_problem(ps, "$.scale.step", "unknown key"));
    CHECK(has_problem(ps, "$.constructs[0].building_block", R"(unknown building block "nope")"));
    CHECK(has_problem(ps, "$.items[0].reverse", "expected a boolean, got number 1"));
    CHECK(has_problem(ps, "$.items[1].revers", R"(did you mean "reverse"?)"));
    CHECK(has_problem(ps, "$.items[1].weight", "must be positive, got -2"));
    CHECK(has_problem(ps, "$.nps", "unknown key (allowed: schema, id, title, scale, constructs, items, nps_item)"));
    const std::string what = e.what();
    CHECK(what.rfind("instrument file 'survey.json': 7 problems\n  $.id: expected a string, got number 7\n", 0) == 0);
  }
}

TEST_CASE("instrument JSON: syntax errors name the file, line and column", "[io][json][syntax]") {
  CHECK(error_of([] { (void)parse_instrument("{\n  \"id\":\n    x}", "s.json"); }) ==
        "s.json:3:5: JSON syntax error: invalid literal (while parsing value)");
  CHECK(error_of([] { (void)parse_instrument("", "empty.json"); }) ==
        "empty.json:1:1: JSON syntax error: unexpected end of input; expected '[', '{', or a literal "
        "(while parsing value)");
  CHECK(error_of([] { (void)parse_instrument("{\"a\": 1"); }) ==
        "<string>:1:8: JSON syntax error: unexpected end of input; expected '}' (while parsing object)");
  CHECK(error_of([] { (void)parse_instrument("{\"a\" 1}"); }) ==
        "<string>:1:6: JSON syntax error: unexpected number literal; expected ':' (while parsing object separator)");
  CHECK(error_of([] { (void)parse_instrument("{}\n[]"); }) ==
        "<string>:2:1: JSON syntax error: unexpected '['; expected end of input (while parsing value)");
  CHECK(error_of([] { (void)parse_instrument("{\"a\": [1, 2,]}"); }).rfind("<string>:1:13: JSON syntax error: ", 0) ==
        0);
  // Columns count characters, not bytes: "é" is two bytes but one column; CRLF ends a line as LF does.
  CHECK(error_of([] {
          (void)parse_instrument("{\r\n\"caf\xC3\xA9\": nul}", "u.json");
        }).rfind("u.json:2:12: JSON syntax error: invalid literal", 0) == 0);
  CHECK(error_of([] {
          (void)parse_instrument("\xEF\xBB\xBF{\"a\": ?}", "bom.json");
        }).rfind("bom.json:1:7: JSON syntax error: ", 0) == 0);
  CHECK(error_of([] { (void)parse_instrument("{\"a\": \"b\xFF\"}", "bad.json"); }) ==
        "bad.json:1:9: JSON syntax error: invalid string: ill-formed UTF-8 byte (while parsing value)");
  CHECK(error_of([] { (void)parse_instrument("[1e999]", "big.json"); }) ==
        "big.json:1:6: JSON syntax error: number overflow parsing '1e999'");
  CHECK(error_of([] { (void)parse_instrument("{\"a\": tru"); }) ==
        "<string>:1:10: JSON syntax error: invalid literal (while parsing value)");
  // A syntax error is an ethos::error, not a validation_error.
  try {
    (void)parse_instrument("{", "x.json");
    FAIL("expected ethos::error");
  } catch (const validation_error&) {
    FAIL("a syntax error is not a validation_error");
  } catch (const error& e) {
    CHECK(std::string(e.what()).rfind("x.json:1:2: JSON syntax error: ", 0) == 0);
  }
}

TEST_CASE("instrument JSON: repeated keys and deep nesting are reported, not silently dropped", "[io][json]") {
  CHECK(problems_of(R"({"schema": "ethos.instrument/1", "id": "t", "title": "A", "title": "B",
    "scale": {"min": 1, "max": 5, "max": 7}, "constructs": [{"key": "a", "label": "A"}],
    "items": [{"id": "a1", "text": "x", "construct": "a"}, {"id": "a2", "id": "a3", "text": "y", "construct": "a"}]})") ==
        std::vector<problem>{{"$", R"(duplicate key "title")"},
                             {"$.scale", R"(duplicate key "max")"},
                             {"$.items[1]", R"(duplicate key "id")"}});
  CHECK(problems_of(doc(R"(, "odd key": {"x": 1, "x": 2})")) ==
        std::vector<problem>{{R"($.items[0]["odd key"])", R"(duplicate key "x")"},
                             {R"($.items[0]["odd key"])", "unknown key (allowed: id, text, construct, reverse, "
                                                          "weight, value_category, building_block, format)"}});
  // nlohmann's own parser keeps the last value of a repeated key: only ours reports it.
  CHECK(nlohmann::json::parse(R"({"a": 1, "a": 2})").at("a") == 2);

  std::string deep = doc("", R"("title": )" + std::string(100, '[') + std::string(100, ']') + ", ");
  const auto ps = problems_of(deep);
  REQUIRE(ps.size() == 2);
  CHECK(ps[0].where == "$.title" + [] {
    std::string s;
    for (int i = 0; i < 63; ++i) {
      s += "[0]";
    }
    return s;
  }());
  CHECK(ps[0].what == "nested more than 64 levels deep; its content is ignored");
  CHECK(ps[1] == problem{"$.title", "expected a string, got array"});
}

TEST_CASE("instrument JSON: files and streams", "[io][json][file]") {
  SECTION("the bundled template equals the compiled-in audit, byte for byte as the writer writes it") {
    const instrument from_file = load_instrument_file(bundled_file);
    check_same_definition(from_file.definition(), instrument::to_def(instruments::service_culture_audit));
    std::ifstream in(bundled_file, std::ios::binary);
    const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    CHECK(bytes == instrument_to_json_string(instruments::service_culture_audit));
  }
  SECTION("streams") {
    std::istringstream in(instrument_to_json_string(instruments::service_culture_audit));
    CHECK(load_instrument(in, "stream.json").definition().items.size() == 53);
    std::istringstream bad("{\n\n  \"id\": nope}");
    CHECK(error_of([&] {
            (void)load_instrument(bad, "in.json");
          }).rfind("in.json:3:10: JSON syntax error: invalid literal", 0) == 0);
    std::istringstream wrong(R"({"schema": "ethos.instrument/1"})");
    CHECK(error_of([&] { (void)load_instrument(wrong, "w.json"); }).rfind("instrument file 'w.json': 4 problems", 0) ==
          0);
  }
  SECTION("a file that cannot be opened") {
    const std::filesystem::path missing = std::filesystem::temp_directory_path() / "ethos-no-such-file.json";
    const std::string why = error_of([&] { (void)load_instrument_file(missing); });
    const std::string prefix = missing.string() + ": cannot open: ";
    CHECK(why.rfind(prefix, 0) == 0);
    CHECK(why.size() > prefix.size()); // the system's reason, "No such file or directory" on POSIX
    const std::filesystem::path dir = std::filesystem::temp_directory_path();
    CHECK(error_of([&] { (void)load_instrument_file(dir); }) == dir.string() + ": cannot open: is a directory");
  }
  SECTION("syntax and schema errors name the file by its path") {
    const std::filesystem::path p = std::filesystem::temp_directory_path() / "ethos-test-json-instrument.json";
    {
      std::ofstream out(p, std::ios::binary);
      out << "{\"schema\": \"ethos.instrument/1\",\n \"id\": \"x\", \"scale\": {\"min\": 1, \"max\": 5},\n"
             " \"constructs\": [], \"items\": [], \"nps_item\": \"gone\"}\n";
    }
    CHECK(error_of([&] { (void)load_instrument_file(p); }) ==
          "instrument file '" + p.string() +
              "': 1 problem\n  $.nps_item: names item \"gone\", which $.items does not have");
    {
      std::ofstream out(p, std::ios::binary);
      out << "{\"schema\": \"ethos.instrument/1\",\n \"id\": \"x\",,\n}";
    }
    CHECK(error_of([&] { (void)load_instrument_file(p); }).rfind(p.string() + ":2:12: JSON syntax error: ", 0) == 0);
    std::filesystem::remove(p);
  }
}

TEST_CASE("instrument JSON: what JSON cannot hold is refused by the writer", "[io][json][writer]") {
  const std::array constructs{construct_spec{"a", "A"}};
  std::array items{item_spec{"a1", "ok", "a"}, item_spec{"a2", "bad \xC3", "a"}};
  items[0].weight = std::numeric_limits<double>::infinity();
  items[1].format = static_cast<response_format>(9);
  const instrument_view v{"w", "W", scales::agree5, constructs, items, {}};
  try {
    (void)to_json(v);
    FAIL("expected validation_error");
  } catch (const validation_error& e) {
    CHECK(e.problems() == std::vector<problem>{{"$.items[0].weight", "is inf, which JSON cannot represent"},
                                               {"$.items[1].text", "is not valid UTF-8"},
                                               {"$.items[1].format", "is not a response format (value 9)"}});
    CHECK(std::string(e.what()).rfind("instrument 'w' as JSON: 3 problems", 0) == 0);
  }
  CHECK(error_of([&] { (void)instrument_to_json_string(v); }).rfind("instrument 'w' as JSON", 0) == 0);
}

TEST_CASE("JSON helpers: paths, positions, suggestions, UTF-8", "[io][json][detail]") {
  CHECK(detail::json_path_member("$", "items") == "$.items");
  CHECK(detail::json_path_member("$.a", "odd key") == R"($.a["odd key"])");
  CHECK(detail::json_path_member("$", "9lives") == R"($["9lives"])");
  CHECK(detail::json_path_member("$", "") == R"($[""])");
  CHECK(detail::json_path_member("$", "say \"hi\"\n") == R"($["say \"hi\"\n"])");
  CHECK(detail::json_path_index("$.items", 3) == "$.items[3]");
  CHECK(detail::line_column("ab\ncd", 4).line == 2);
  CHECK(detail::line_column("ab\ncd", 4).column == 2);
  CHECK(detail::line_column("ab", 99).column == 3);
  CHECK(detail::line_column("\xC3\xA9x", 2).column == 2);
  const std::array<std::string_view, 3> words{"reverse", "weight", "id"};
  CHECK(detail::closest_match("revrese", words) == std::optional<std::string_view>("reverse"));
  CHECK(detail::closest_match("ID", words) == std::optional<std::string_view>("id"));
  CHECK_FALSE(detail::closest_match("colour", words).has_value());
  CHECK(detail::edit_distance("kitten", "sitting") == 3);
  CHECK(detail::is_valid_utf8("caf\xC3\xA9 \xF0\x9F\x98\x80"));
  CHECK_FALSE(detail::is_valid_utf8("\xC3"));
  CHECK_FALSE(detail::is_valid_utf8("\xC0\xAF"));         // overlong
  CHECK_FALSE(detail::is_valid_utf8("\xED\xA0\x80"));     // surrogate
  CHECK_FALSE(detail::is_valid_utf8("\xF4\x90\x80\x80")); // above U+10FFFF
  CHECK(detail::utf8_truncate("\xC3\xA9\xC3\xA9", 3) == "\xC3\xA9...");
  CHECK(detail::utf8_truncate("abc", 3) == "abc");
  CHECK(detail::json_number_text(0.1) == "0.1");
  CHECK(detail::json_number_text(2.0) == "2.0");
  CHECK(detail::json_number_text(-std::numeric_limits<double>::infinity()) == "-inf");
  CHECK(detail::json_describe(nlohmann::json::binary({1, 2})) == "binary data");
  CHECK(detail::json_describe(nlohmann::json(false)) == "boolean false");
}

TEST_CASE("results_to_json_string: results_to_json as text, for each kind of result", "[io][json][results]") {
  const instrument_view v = instruments::service_culture_audit;
  const csv_read_result input = read_responses_file(ETHOS_TEST_DATA_DIR "/../examples/data/sample_survey.csv", v);
  const scoring_result scores = score(v, input.matrix);
  const auto units = units_from_column(*input.matrix.group("team"));
  report_request q;
  q.instrument = &v;
  q.options.group_by = "department";
  q.current = {&input.matrix, &scores, &units.first, &units.second, input.row_number_ids};
  const survey_report rep = build_report(q);
  REQUIRE(rep.units.has_value());
  const auto text = [](const nlohmann::ordered_json& j, int indent) {
    return j.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  };

  CHECK(results_to_json_string(rep) == text(results_to_json(rep), 2));
  CHECK(results_to_json_string(rep, -1) == text(results_to_json(rep), -1));
  CHECK(results_to_json_string(rep, -1).find('\n') == std::string::npos);
  const unaudited summary(rep.summary);
  CHECK(results_to_json_string(summary) == text(results_to_json(summary), 2));
  CHECK(results_to_json_string(summary, 4) == text(results_to_json(summary), 4));
  // An assessment on its own is the report without its organisation sections and audit.
  auto alone = results_to_json(rep);
  for (const char* key : {"units", "cuts", "drivers", "disclosure_audit"}) {
    alone.erase(key);
  }
  const auto summary_json = results_to_json(summary);
  for (const auto& [key, value] : summary_json.items()) {
    if (key != "warnings") {
      CHECK(alone.at(key) == value);
    }
  }

  // The warnings are written as their sentences: the assessment's, the units', then the report's own.
  const auto j = nlohmann::json::parse(results_to_json_string(rep));
  CHECK(j["schema"] == "ethos.results/1");
  std::vector<std::string> sentences;
  for (const auto* ws : {&rep.summary.warnings, &rep.units->warnings, &rep.warnings}) {
    for (const auto& w : *ws) {
      sentences.push_back(w.message);
    }
  }
  CHECK(j["warnings"].get<std::vector<std::string>>() == sentences);
}
