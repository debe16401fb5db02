// Compile-time tests: this translation unit holds only static_asserts; building it is the test.
#include <ethos/ethos.hpp>

#include <ethos/detail/text.hpp>

namespace {

static_assert(ethos::version.major == ETHOS_VERSION_MAJOR);
static_assert(ethos::version.minor == ETHOS_VERSION_MINOR);
static_assert(ethos::version.patch == ETHOS_VERSION_PATCH);
static_assert(ethos::version_string == "0.2.0");

static_assert(ethos::detail::trim("  voice \t") == "voice");
static_assert(ethos::detail::trim(" \n ").empty());
static_assert(ethos::detail::iequals("Voice of the Customer", "voice OF the customer"));
static_assert(!ethos::detail::iequals("voice", "voices"));
static_assert(ethos::detail::ascii_lower('Q') == 'q' && ethos::detail::ascii_lower('_') == '_');

} // namespace

// The framework vocabulary works in constant expressions.
#include <ethos/framework.hpp>

namespace {

using namespace ethos;

static_assert(vocabulary_enum<building_block> && vocabulary_enum<service_level> && !vocabulary_enum<int>);
static_assert(all<building_block>.size() == 12 && all<service_level>.size() == 6 && all<leadership_rule>.size() == 7);
static_assert(all<value_category>.size() == 4 && all<responsibility>.size() == 4 &&
              all<service_cycle_step>.size() == 4);
static_assert(all<service_mode>.size() == 2 && all<customer_kind>.size() == 2);
static_assert(all<building_block>[6] == building_block::voice_of_the_customer);
static_assert(ordinal(building_block::voice_of_the_customer) == 7);
static_assert(ordinal(service_level::criminal) == 1 && ordinal(service_level::unbelievable) == 6);
static_assert(key(building_block::voice_of_the_customer) == "voice_of_the_customer");
static_assert(to_string(building_block::voice_of_the_customer) == "Voice of the Customer");
static_assert(!describe(value_category::service_mindset).empty());
static_assert(from_string<building_block>("voice of the customer") == building_block::voice_of_the_customer);
static_assert(from_string<building_block>(" VOICE_OF_THE_CUSTOMER ") == building_block::voice_of_the_customer);
static_assert(!from_string<building_block>("voice of customers").has_value());
static_assert(from_string<responsibility>("Take personal responsibility") ==
              responsibility::take_personal_responsibility);
static_assert(from_ordinal<service_level>(3) == service_level::expected);

static_assert(service_level::criminal < service_level::basic && service_level::surprising > service_level::desired);
static_assert(next(service_level::unbelievable) == service_level::unbelievable);
static_assert(previous(service_level::criminal) == service_level::criminal);
static_assert(next(service_level::expected) == service_level::desired);
static_assert(distance(service_level::basic, service_level::surprising) == 3);
static_assert(is_below_expected(service_level::basic) && !is_below_expected(service_level::expected));
static_assert(next(service_cycle_step::assure) == service_cycle_step::explore);
static_assert(is_productive(responsibility::take_personal_responsibility) && !is_productive(responsibility::excuses));

static_assert(detail::vocabulary_table_is_valid<building_block>());
static_assert(detail::is_snake_case("a_b1") && !detail::is_snake_case("A_b") && !detail::is_snake_case("_a"));

// A lower median at compile time: 1 2 | 5 6 -> 2 (basic).
constexpr level_distribution split_verdict() {
  level_distribution d;
  d.add(service_level::criminal);
  d.add(service_level::basic);
  d.add(service_level::surprising);
  d.add(service_level::unbelievable);
  return d;
}
static_assert(split_verdict().median() == service_level::basic);
static_assert(split_verdict().total() == 4);

} // namespace

// The table check is not vacuous: broken tables are rejected.
namespace probe {
enum class gapped { a, b, c };
enum class shouty { a, b };
} // namespace probe

template <>
struct ethos::vocabulary_traits<probe::gapped> {
  static constexpr std::array<vocabulary_entry<probe::gapped>, 2> entries{{
      {probe::gapped::a, "a", "A", "First."},
      {probe::gapped::c, "c", "C", "Skips b."},
  }};
};
template <>
struct ethos::vocabulary_traits<probe::shouty> {
  static constexpr std::array<vocabulary_entry<probe::shouty>, 2> entries{{
      {probe::shouty::a, "Not_Snake", "A", "Bad key."},
      {probe::shouty::b, "b", "a", "Label equals another key."},
  }};
};
static_assert(!ethos::detail::vocabulary_table_is_valid<probe::gapped>());
static_assert(!ethos::detail::vocabulary_table_is_valid<probe::shouty>());

// Scales and compile-time instruments are checked in constant expressions.
#include <ethos/measure.hpp>
#include <ethos/measure/records.hpp>

namespace {

static_assert(ethos::scales::agree5.classify(4) == ethos::favorability::favorable);
static_assert(ethos::scales::agree7.key(2, true) == 6);
static_assert(ethos::likert_scale::default_bands(1, 10) == ethos::favorability_bands{8, 3});
static_assert(ethos::nps_scale::classify(8) == ethos::nps_group::passive);

inline constexpr ethos::instrument_spec good{
    "good", "Good", ethos::scales::agree5, std::array{ethos::construct_spec{"c", "C"}},
    std::array{ethos::item_spec{"q1", "One.", "c"}, ethos::item_spec{"q2", "Two.", "c", true, 2.0}}};
inline constexpr ethos::instrument_spec duplicated{
    "bad", "Bad", ethos::scales::agree5, std::array{ethos::construct_spec{"c", "C"}},
    std::array{ethos::item_spec{"q1", "One.", "c"}, ethos::item_spec{"q1", "Two.", "c"}}};
inline constexpr ethos::instrument_spec lonely{
    "bad", "Bad", ethos::scales::agree5, std::array{ethos::construct_spec{"c", "C"}, ethos::construct_spec{"d", "D"}},
    std::array{ethos::item_spec{"q1", "One.", "c"}, ethos::item_spec{"q2", "Two.", "c"},
               ethos::item_spec{"q3", "Three.", "d"}}};
static_assert(ethos::is_valid(good));
static_assert(!ethos::is_valid(duplicated));
static_assert(!ethos::is_valid(lonely));
static_assert(ethos::static_instrument<good>::view().construct_size(0) == 2);
static_assert(ethos::instruments::service_culture_audit.view().items.size() == 53);

} // namespace

// The names a failing compile-time check spells out (see tests/compile_fail): the first offender of a rule, and
// the nearest valid name by edit distance.
#include <boost/hana/define_struct.hpp>

#include <optional>
#include <type_traits>

namespace {

static_assert(ethos::detail::edit_distance("c_2", "c2") == 1 && ethos::detail::edit_distance("c_2", "c1") == 2);
static_assert(ethos::detail::edit_distance("wieght", "WEIGHT") == 1 && ethos::detail::edit_distance("", "abc") == 3);
static_assert(std::is_same_v<ethos::detail::issue_item<duplicated, ethos::instrument_issue::duplicate_item_id>,
                             ethos::detail::item_id<'q', '1'>>);
static_assert(std::is_same_v<ethos::detail::issue_construct<lonely, ethos::instrument_issue::small_construct>,
                             ethos::detail::construct_key<'d'>>);
static_assert(ethos::detail::nearest_item(lonely.view(), "q_3") == 2);
static_assert(ethos::detail::nearest_construct(lonely.view(), "e") == 0); // a tie goes to the first
static_assert(ethos::detail::instrument_report<good>::reported);

struct misspelt_row {
  BOOST_HANA_DEFINE_STRUCT(misspelt_row, (std::optional<int>, q1), (std::optional<int>, q_2));
};
static_assert(ethos::detail::first_record_issues<misspelt_row>(good.view()).unknown_member == 1);
static_assert(ethos::detail::first_record_issues<misspelt_row>(good.view()).missing_item == 1);
static_assert(
    std::is_same_v<ethos::detail::spelled<ethos::detail::member, ethos::detail::member_name_text<misspelt_row, 1>>,
                   ethos::detail::member<'q', '_', '2'>>);

} // namespace
