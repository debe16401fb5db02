// Tests of the bundled instrument ethos::instruments::service_culture_audit: structure, ids, formats and item texts.
#include <ethos/framework/building_block.hpp>
#include <ethos/framework/value_category.hpp>
#include <ethos/measure/instrument.hpp>
#include <ethos/measure/instruments/service_culture_audit.hpp>
#include <ethos/measure/scale.hpp>

#include "../support/string_makers.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using ethos::building_block;
using ethos::response_format;
using ethos::value_category;

constexpr const auto& audit_spec = ethos::instruments::detail::service_culture_audit_spec;

static_assert(ethos::is_valid(audit_spec));
static_assert(audit_spec.constructs.size() == 12);
static_assert(audit_spec.items.size() == 53);
static_assert(audit_spec.scale == ethos::scales::agree5);
static_assert(audit_spec.id == "service_culture_audit");
static_assert(audit_spec.nps_item == "enps");
static_assert(ethos::instruments::service_culture_audit.view().items.size() == 53);
static_assert(ethos::instruments::service_culture_audit.view().item_index("enps").has_value());

// The id prefix of each building block's items, written out independently of the header.
constexpr std::array<std::pair<std::string_view, building_block>, 12> prefixes{{
    {"csl", building_block::common_service_language},
    {"esv", building_block::engaging_service_vision},
    {"ssr", building_block::service_staff_recruitment},
    {"nso", building_block::new_staff_orientation},
    {"scm", building_block::service_communications},
    {"srr", building_block::service_recognition_and_rewards},
    {"voc", building_block::voice_of_the_customer},
    {"smm", building_block::service_measures_and_metrics},
    {"sip", building_block::service_improvement_process},
    {"srg", building_block::service_recovery_and_guarantees},
    {"sbm", building_block::service_benchmarking},
    {"srm", building_block::service_role_modeling},
}};

std::vector<std::string> expected_ids() {
  std::vector<std::string> ids;
  for (const auto& [prefix, block] : prefixes) {
    for (int n = 1; n <= 4; ++n) {
      ids.push_back(std::string(prefix) + std::to_string(n));
    }
  }
  ids.emplace_back("enps");
  for (int n = 1; n <= 4; ++n) {
    ids.push_back("vc" + std::to_string(n));
  }
  return ids;
}

std::size_t word_count(std::string_view text) {
  std::size_t n = 0;
  bool in_word = false;
  for (char c : text) {
    const bool space = c == ' ' || c == '\t' || c == '\n';
    if (!space && !in_word) {
      ++n;
    }
    in_word = !space;
  }
  return n;
}

} // namespace

TEST_CASE("service culture audit: passes every instrument check", "[measure][instruments]") {
  const ethos::instrument_view v = ethos::instruments::service_culture_audit;
  CHECK(ethos::check(v).empty());
  CHECK(v.id == "service_culture_audit");
  CHECK(v.title == "Service Culture Audit");
  CHECK(v.scale == ethos::scales::agree5);
  CHECK(v.items.size() == 53);
  CHECK(v.constructs.size() == 12);
}

TEST_CASE("service culture audit: one construct per building block, in canonical order", "[measure][instruments]") {
  const ethos::instrument_view v = ethos::instruments::service_culture_audit;
  REQUIRE(v.constructs.size() == prefixes.size());
  for (std::size_t c = 0; c < prefixes.size(); ++c) {
    const building_block b = prefixes[c].second;
    CAPTURE(c, b);
    CHECK(v.constructs[c].block == b);
    CHECK(v.constructs[c].key == ethos::key(b));
    CHECK(v.constructs[c].label == ethos::to_string(b));
    CHECK(v.construct_size(c) == 4);
  }
}

TEST_CASE("service culture audit: four Likert items per block, at least one reverse-keyed", "[measure][instruments]") {
  const ethos::instrument_view v = ethos::instruments::service_culture_audit;
  std::size_t likert = 0;
  for (const auto& [prefix, block] : prefixes) {
    std::size_t n = 0;
    std::size_t reversed = 0;
    for (const auto& it : v.items) {
      if (it.format == response_format::likert && it.block == block) {
        ++n;
        reversed += it.reverse ? 1U : 0U;
        CHECK(it.construct == ethos::key(block));
        CHECK(it.id.substr(0, 3) == prefix);
        CHECK(it.weight == 1.0);
      }
    }
    CAPTURE(block);
    CHECK(n == 4);
    CHECK(reversed >= 1);
    CHECK(reversed == 1); // the design target: exactly one per block
    likert += n;
  }
  CHECK(likert == 48);
  for (const auto& it : v.items) {
    CAPTURE(it.id);
    if (it.format == response_format::likert) {
      CHECK(it.block.has_value());
    } else {
      CHECK(it.construct.empty());
      CHECK_FALSE(it.reverse);
      CHECK_FALSE(it.block.has_value());
    }
  }
}

TEST_CASE("service culture audit: ids are unique and follow the prefix scheme", "[measure][instruments]") {
  const ethos::instrument_view v = ethos::instruments::service_culture_audit;
  const std::vector<std::string> expected = expected_ids();
  REQUIRE(expected.size() == 53);
  std::vector<std::string> actual;
  std::set<std::string> unique;
  for (const auto& it : v.items) {
    actual.emplace_back(it.id);
    unique.emplace(it.id);
    for (char c : it.id) {
      CHECK(((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')));
    }
  }
  CHECK(unique.size() == v.items.size());
  CHECK(actual == expected);
  for (const auto& id : expected) {
    CAPTURE(id);
    CHECK(v.item_index(id).has_value());
  }
}

TEST_CASE("service culture audit: the eNPS item and the six-level items", "[measure][instruments]") {
  const ethos::instrument_view v = ethos::instruments::service_culture_audit;
  CHECK(v.nps_item == "enps");
  const auto e = v.item_index("enps");
  REQUIRE(e);
  CHECK(v.items[*e].format == response_format::nps);
  CHECK(v.answer_range(v.items[*e]) == std::pair{0, 10});
  std::size_t nps_items = 0;
  for (const auto& it : v.items) {
    nps_items += it.format == response_format::nps ? 1U : 0U;
  }
  CHECK(nps_items == 1);

  constexpr std::array<value_category, 4> categories{value_category::primary_product, value_category::delivery_system,
                                                     value_category::service_mindset,
                                                     value_category::ongoing_relationship};
  std::size_t level_items = 0;
  for (const auto& it : v.items) {
    level_items += it.format == response_format::service_level ? 1U : 0U;
  }
  CHECK(level_items == 4);
  for (std::size_t k = 0; k < categories.size(); ++k) {
    const std::string id = "vc" + std::to_string(k + 1);
    CAPTURE(id);
    const auto i = v.item_index(id);
    REQUIRE(i);
    const auto& it = v.items[*i];
    CHECK(it.format == response_format::service_level);
    CHECK(it.category == categories[k]);
    CHECK(v.answer_range(it) == std::pair{1, 6});
  }
}

TEST_CASE("service culture audit: item texts are plain sentences of 6 to 20 words", "[measure][instruments]") {
  const ethos::instrument_view v = ethos::instruments::service_culture_audit;
  std::set<std::string> texts;
  for (const auto& it : v.items) {
    CAPTURE(it.id, it.text);
    REQUIRE_FALSE(it.text.empty());
    CHECK((it.text.back() == '.' || it.text.back() == '?'));
    CHECK(it.text.front() >= 'A');
    CHECK(it.text.front() <= 'Z');
    const std::size_t words = word_count(it.text);
    CHECK(words >= 6);
    CHECK(words <= 20);
    CHECK(texts.emplace(it.text).second); // no text repeats
    if (it.format != response_format::likert) {
      CHECK(it.text.back() == '?');
    }
  }
  for (std::size_t c = 0; c < v.constructs.size(); ++c) {
    CHECK_FALSE(v.constructs[c].label.empty());
  }
}

TEST_CASE("service culture audit: converts to a run-time instrument", "[measure][instruments]") {
  const ethos::instrument_view v = ethos::instruments::service_culture_audit;
  const ethos::instrument_def def = ethos::instrument::to_def(v);
  CHECK(def.items.size() == 53);
  CHECK(def.constructs.size() == 12);
  CHECK(def.nps_item == "enps");
  const ethos::instrument copy{def};
  const ethos::instrument_view w = copy.view();
  CHECK(ethos::check(w).empty());
  CHECK(w.id == v.id);
  CHECK(w.title == v.title);
  REQUIRE(w.items.size() == v.items.size());
  for (std::size_t i = 0; i < v.items.size(); ++i) {
    CAPTURE(i);
    CHECK(w.items[i].id == v.items[i].id);
    CHECK(w.items[i].text == v.items[i].text);
    CHECK(w.items[i].construct == v.items[i].construct);
    CHECK(w.items[i].reverse == v.items[i].reverse);
    CHECK(w.items[i].category == v.items[i].category);
    CHECK(w.items[i].block == v.items[i].block);
    CHECK(w.items[i].format == v.items[i].format);
  }
  REQUIRE(w.constructs.size() == v.constructs.size());
  for (std::size_t c = 0; c < v.constructs.size(); ++c) {
    CHECK(w.constructs[c].key == v.constructs[c].key);
    CHECK(w.constructs[c].label == v.constructs[c].label);
    CHECK(w.constructs[c].block == v.constructs[c].block);
  }
  CHECK_NOTHROW(ethos::instrument{v});
}
