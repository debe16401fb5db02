/// \file
/// \brief Items, constructs and instruments, checked at compile time or validated at run time.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/detail/text.hpp>
#include <ethos/error.hpp>
#include <ethos/framework/building_block.hpp>
#include <ethos/framework/value_category.hpp>
#include <ethos/measure/scale.hpp>

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace ethos {

/// A construct (a scale of several items measuring one idea), optionally tied to a building block.
struct construct_spec {
  std::string_view key;                               ///< short unique key, e.g. "voice"
  std::string_view label;                             ///< display label, e.g. "Voice of the Customer"
  std::optional<building_block> block = std::nullopt; ///< the building block it measures, if any
};

/// A survey item. Likert items belong to a construct; NPS and six-level items stand alone (empty construct).
/// `reverse` marks a negatively keyed item (scored as min + max - x); `weight` must be positive.
struct item_spec {
  std::string_view id;                                   ///< unique id, the item's column in response data
  std::string_view text;                                 ///< the question or statement shown
  std::string_view construct;                            ///< key of its construct; empty for NPS and six-level items
  bool reverse = false;                                  ///< negatively keyed: scored as min + max - x
  double weight = 1.0;                                   ///< weight in its construct's score; must be positive
  std::optional<value_category> category = std::nullopt; ///< the category of value it asks about, if any
  std::optional<building_block> block = std::nullopt;    ///< the building block it asks about, if any
  response_format format = response_format::likert;      ///< how it is answered
};

/// A non-owning view of a complete instrument: what the scoring engine reads. Both kinds of instrument
/// (compile-time `static_instrument`, run-time `instrument`) present themselves as this view, so one engine
/// scores both.
struct instrument_view {
  std::string_view id;                        ///< the instrument's id
  std::string_view title;                     ///< its display title
  likert_scale scale;                         ///< the scale of its Likert items
  std::span<const construct_spec> constructs; ///< its constructs, in order
  std::span<const item_spec> items;           ///< its items, in order
  std::string_view nps_item;                  ///< id of the NPS item, empty when there is none

  /// Position of the item with this id (exact match; ids are case-sensitive).
  constexpr std::optional<std::size_t> item_index(std::string_view item_id) const noexcept {
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (items[i].id == item_id) {
        return i;
      }
    }
    return std::nullopt;
  }
  /// Position of the construct with this key.
  constexpr std::optional<std::size_t> construct_index(std::string_view key) const noexcept {
    for (std::size_t i = 0; i < constructs.size(); ++i) {
      if (constructs[i].key == key) {
        return i;
      }
    }
    return std::nullopt;
  }
  /// Number of items in construct `c`.
  constexpr std::size_t construct_size(std::size_t c) const noexcept {
    std::size_t n = 0;
    for (const auto& it : items) {
      n += it.construct == constructs[c].key ? 1U : 0U;
    }
    return n;
  }
  /// The valid answer range of an item: the instrument's Likert scale, 0..10 or 1..6.
  constexpr std::pair<int, int> answer_range(const item_spec& it) const noexcept {
    switch (it.format) {
    case response_format::nps:
      return {nps_scale::min, nps_scale::max};
    case response_format::service_level:
      return {service_level_scale::min, service_level_scale::max};
    case response_format::likert:
      break;
    }
    return {scale.min(), scale.max()};
  }
};

/// The kinds of problem an instrument can have; the same checks run at compile time and at run time.
enum class instrument_issue : unsigned char {
  empty_id,
  duplicate_item_id,
  unknown_construct,
  missing_construct,
  construct_on_non_likert_item,
  small_construct,
  duplicate_construct_key,
  empty_construct_key,
  non_positive_weight,
  unknown_nps_item,
  nps_item_not_nps,
  invalid_format,
};

namespace detail {

/// Runs every instrument check and calls `sink(issue, item_index_or_npos, construct_index_or_npos)` per problem.
/// constexpr so that `static_instrument` can count problems at compile time with the same code.
template <class Sink>
constexpr void check_instrument(const instrument_view& v, Sink&& sink) {
  constexpr std::size_t none = static_cast<std::size_t>(-1);
  for (std::size_t c = 0; c < v.constructs.size(); ++c) {
    if (v.constructs[c].key.empty()) {
      sink(instrument_issue::empty_construct_key, none, c);
      continue;
    }
    for (std::size_t d = 0; d < c; ++d) {
      if (v.constructs[d].key == v.constructs[c].key) {
        sink(instrument_issue::duplicate_construct_key, none, c);
        break;
      }
    }
    if (v.construct_size(c) < 2) {
      sink(instrument_issue::small_construct, none, c);
    }
  }
  for (std::size_t i = 0; i < v.items.size(); ++i) {
    const auto& it = v.items[i];
    if (it.id.empty()) {
      sink(instrument_issue::empty_id, i, none);
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (!it.id.empty() && v.items[j].id == it.id) {
        sink(instrument_issue::duplicate_item_id, i, none);
        break;
      }
    }
    if (!(it.weight > 0.0)) { // also rejects NaN
      sink(instrument_issue::non_positive_weight, i, none);
    }
    if (ordinal(it.format) == 0) {
      sink(instrument_issue::invalid_format, i, none);
    } else if (it.format == response_format::likert) {
      if (it.construct.empty()) {
        sink(instrument_issue::missing_construct, i, none);
      } else if (!v.construct_index(it.construct)) {
        sink(instrument_issue::unknown_construct, i, none);
      }
    } else if (!it.construct.empty()) {
      sink(instrument_issue::construct_on_non_likert_item, i, none);
    }
  }
  if (!v.nps_item.empty()) {
    const auto i = v.item_index(v.nps_item);
    if (!i) {
      sink(instrument_issue::unknown_nps_item, none, none);
    } else if (v.items[*i].format != response_format::nps) {
      sink(instrument_issue::nps_item_not_nps, *i, none);
    }
  }
}

/// Problem counts per kind, for compile-time checks.
struct instrument_issue_counts {
  std::array<std::size_t, 12> n{};
  constexpr std::size_t operator[](instrument_issue k) const noexcept { return n[static_cast<std::size_t>(k)]; }
  constexpr std::size_t total() const noexcept {
    std::size_t t = 0;
    for (auto x : n) {
      t += x;
    }
    return t;
  }
};

constexpr instrument_issue_counts count_instrument_issues(const instrument_view& v) {
  instrument_issue_counts c;
  check_instrument(v, [&](instrument_issue k, std::size_t, std::size_t) { ++c.n[static_cast<std::size_t>(k)]; });
  return c;
}

} // namespace detail

/// Every problem of an instrument, each naming the item or construct, e.g.
/// `{"item #3 'q3'", "names construct 'voice', which the instrument does not define"}`.
ETHOS_DECL std::vector<problem> check(const instrument_view& v);

/// The data of a compile-time instrument: write it as a constexpr variable and wrap it in `static_instrument`.
///
///     inline constexpr ethos::instrument_spec pulse{
///         "pulse", "Team pulse", ethos::scales::agree5,
///         std::array{ethos::construct_spec{"voice", "Voice of the Customer"}},
///         std::array{ethos::item_spec{"v1", "We ask people we serve what they need.", "voice"},
///                    ethos::item_spec{"v2", "Nobody here asks for feedback.", "voice", true}}};
///     using pulse_instrument = ethos::static_instrument<pulse>;   // checked by the compiler
template <std::size_t NC, std::size_t NI>
struct instrument_spec {
  std::string_view id;                       ///< the instrument's id
  std::string_view title;                    ///< its display title
  likert_scale scale;                        ///< the scale of its Likert items
  std::array<construct_spec, NC> constructs; ///< its constructs, in order
  std::array<item_spec, NI> items;           ///< its items, in order
  std::string_view nps_item = {};            ///< id of the NPS item, empty when there is none

  /// The instrument as the view the engine reads.
  constexpr instrument_view view() const noexcept {
    return {id, title, scale, std::span<const construct_spec>(constructs), std::span<const item_spec>(items), nps_item};
  }
};

/// Deduces the numbers of constructs and items from the arrays.
template <std::size_t NC, std::size_t NI>
instrument_spec(std::string_view, std::string_view, likert_scale, std::array<construct_spec, NC>,
                std::array<item_spec, NI>, std::string_view = {}) -> instrument_spec<NC, NI>;

/// True when a compile-time instrument passes every check (usable in `static_assert` and concepts).
template <std::size_t NC, std::size_t NI>
constexpr bool is_valid(const instrument_spec<NC, NI>& spec) {
  return detail::count_instrument_issues(spec.view()).total() == 0;
}

namespace detail {

// Names in compile-time errors. A failing compile-time check instantiates a template whose arguments spell the
// offending name, character by character (a pack, which g++ and clang++ both print as characters), so that the
// compiler's first error lines say which item, construct or member broke the rule, e.g.
//     ethos::detail::construct_has_fewer_than_2_items<ethos::detail::construct_key<'d'> >
template <char... C>
struct item_id {};
template <char... C>
struct construct_key {};
template <char... C>
struct nearest_item_id {};
template <char... C>
struct nearest_construct_key {};
template <std::size_t N>
struct item_number {}; ///< an item without an id, by its 1-based position
template <std::size_t N>
struct construct_number {}; ///< a construct without a key, by its 1-based position

template <class... Names>
inline constexpr bool always_false = false;

// Pack<'a', 'b', ...> spelling the compile-time string Text::value.
template <template <char...> class Pack, class Text, std::size_t... I>
auto spell(std::index_sequence<I...>) -> Pack<Text::value[I]...>;
template <template <char...> class Pack, class Text>
using spelled = decltype(spell<Pack, Text>(std::make_index_sequence<Text::value.size()>{}));

// The id of item I of a compile-time instrument (empty for npos), the key of construct C, the construct that
// item I names, the NPS item's id.
template <const auto& Spec, std::size_t I>
struct item_id_text {
  static constexpr std::string_view value = I < Spec.items.size() ? Spec.items[I].id : std::string_view{};
};
template <const auto& Spec, std::size_t C>
struct construct_key_text {
  static constexpr std::string_view value = C < Spec.constructs.size() ? Spec.constructs[C].key : std::string_view{};
};
template <const auto& Spec, std::size_t I>
struct item_construct_text {
  static constexpr std::string_view value = I < Spec.items.size() ? Spec.items[I].construct : std::string_view{};
};
template <const auto& Spec>
struct nps_item_text {
  static constexpr std::string_view value = Spec.nps_item;
};

// The first item or construct that raises `kind` (npos when none does).
struct issue_place {
  std::size_t item = static_cast<std::size_t>(-1);
  std::size_t construct = static_cast<std::size_t>(-1);
};
constexpr issue_place first_issue(const instrument_view& v, instrument_issue kind) {
  issue_place p;
  bool found = false;
  check_instrument(v, [&](instrument_issue k, std::size_t i, std::size_t c) {
    if (!found && k == kind) {
      p = {i, c};
      found = true;
    }
  });
  return p;
}

// The candidate nearest to `name` by edit distance (the first of equals), npos when there are none.
template <class Range, class Key>
constexpr std::size_t nearest(std::string_view name, const Range& candidates, Key key) {
  std::size_t best = static_cast<std::size_t>(-1);
  std::size_t best_distance = static_cast<std::size_t>(-1);
  for (std::size_t i = 0; i < std::size(candidates); ++i) {
    const std::size_t d = edit_distance(name, key(candidates[i]));
    if (d < best_distance) {
      best = i;
      best_distance = d;
    }
  }
  return best;
}
constexpr std::size_t nearest_item(const instrument_view& v, std::string_view name) {
  return nearest(name, v.items, [](const item_spec& it) { return it.id; });
}
constexpr std::size_t nearest_construct(const instrument_view& v, std::string_view name) {
  return nearest(name, v.constructs, [](const construct_spec& c) { return c.key; });
}

// One template per rule: instantiated only when the rule is broken, with the offender as template arguments.
template <class... Names>
struct two_items_share_an_id {
  static_assert(always_false<Names...>, "ethos: two items of the instrument share an id");
  static constexpr bool reported = true;
};
template <class... Names>
struct item_names_an_undefined_construct {
  static_assert(always_false<Names...>, "ethos: an item names a construct that the instrument does not define");
  static constexpr bool reported = true;
};
template <class... Names>
struct construct_has_fewer_than_2_items {
  static_assert(always_false<Names...>, "ethos: a construct has fewer than 2 items");
  static constexpr bool reported = true;
};
template <class... Names>
struct item_weight_is_not_positive {
  static_assert(always_false<Names...>, "ethos: an item weight is not positive");
  static constexpr bool reported = true;
};
template <class... Names>
struct item_has_an_empty_id {
  static_assert(always_false<Names...>, "ethos: an item has an empty id");
  static constexpr bool reported = true;
};
template <class... Names>
struct likert_item_has_no_construct {
  static_assert(always_false<Names...>, "ethos: a Likert item has no construct");
  static constexpr bool reported = true;
};
template <class... Names>
struct non_likert_item_has_a_construct {
  static_assert(always_false<Names...>, "ethos: an NPS or six-level item cannot belong to a construct");
  static constexpr bool reported = true;
};
template <class... Names>
struct two_constructs_share_a_key {
  static_assert(always_false<Names...>, "ethos: two constructs share a key");
  static constexpr bool reported = true;
};
template <class... Names>
struct construct_has_an_empty_key {
  static_assert(always_false<Names...>, "ethos: a construct has an empty key");
  static constexpr bool reported = true;
};
template <class... Names>
struct nps_item_is_not_an_item {
  static_assert(always_false<Names...>, "ethos: the NPS item is not one of the items");
  static constexpr bool reported = true;
};
template <class... Names>
struct nps_item_is_not_nps_format {
  static_assert(always_false<Names...>, "ethos: the NPS item is not an NPS-format item");
  static constexpr bool reported = true;
};
template <class... Names>
struct item_has_an_unknown_format {
  static_assert(always_false<Names...>, "ethos: an item has an unknown response format");
  static constexpr bool reported = true;
};

// A stand-in for the check template of a rule that holds.
struct rule_holds {
  static constexpr bool reported = true;
};

// The check template of a rule when Broken, else rule_holds.
template <bool Broken, class Check>
using check_if = std::conditional_t<Broken, Check, rule_holds>;

// The first item or construct of compile-time instrument Spec that breaks rule Kind, spelt out.
template <const auto& Spec, instrument_issue Kind>
inline constexpr issue_place issue_at = first_issue(Spec.view(), Kind);
template <const auto& Spec, instrument_issue Kind>
using issue_item = spelled<item_id, item_id_text<Spec, issue_at<Spec, Kind>.item>>;
template <const auto& Spec, instrument_issue Kind>
using issue_construct = spelled<construct_key, construct_key_text<Spec, issue_at<Spec, Kind>.construct>>;

// Runs every instrument check on a compile-time instrument and, for each rule broken, stops the compiler with
// the rule's message and the first offender's name (and the nearest valid name, where one was misspelt). Names
// are worked out only for a broken instrument.
template <const auto& Spec, bool Broken = count_instrument_issues(Spec.view()).total() != 0>
struct instrument_report {
  static constexpr bool reported = true;
};

template <const auto& Spec>
struct instrument_report<Spec, true> {
  using k = instrument_issue;
  static constexpr instrument_view v = Spec.view();
  static constexpr instrument_issue_counts issues = count_instrument_issues(v);
  static constexpr std::size_t unknown_construct_item = issue_at<Spec, k::unknown_construct>.item;

  static_assert(check_if<issues[k::duplicate_item_id] != 0,
                         two_items_share_an_id<issue_item<Spec, k::duplicate_item_id>>>::reported);
  static_assert(
      check_if<issues[k::unknown_construct] != 0,
               item_names_an_undefined_construct<
                   issue_item<Spec, k::unknown_construct>,
                   spelled<construct_key, item_construct_text<Spec, unknown_construct_item>>,
                   spelled<nearest_construct_key,
                           construct_key_text<Spec, nearest_construct(v, item_construct_text<
                                                                             Spec, unknown_construct_item>::value)>>>>::
          reported);
  static_assert(check_if<issues[k::small_construct] != 0,
                         construct_has_fewer_than_2_items<issue_construct<Spec, k::small_construct>>>::reported);
  static_assert(check_if<issues[k::non_positive_weight] != 0,
                         item_weight_is_not_positive<issue_item<Spec, k::non_positive_weight>>>::reported);
  static_assert(check_if<issues[k::empty_id] != 0,
                         item_has_an_empty_id<item_number<issue_at<Spec, k::empty_id>.item + 1>>>::reported);
  static_assert(check_if<issues[k::missing_construct] != 0,
                         likert_item_has_no_construct<issue_item<Spec, k::missing_construct>>>::reported);
  static_assert(check_if<issues[k::construct_on_non_likert_item] != 0,
                         non_likert_item_has_a_construct<issue_item<Spec, k::construct_on_non_likert_item>>>::reported);
  static_assert(check_if<issues[k::duplicate_construct_key] != 0,
                         two_constructs_share_a_key<issue_construct<Spec, k::duplicate_construct_key>>>::reported);
  static_assert(check_if<issues[k::empty_construct_key] != 0,
                         construct_has_an_empty_key<
                             construct_number<issue_at<Spec, k::empty_construct_key>.construct + 1>>>::reported);
  static_assert(check_if<issues[k::unknown_nps_item] != 0,
                         nps_item_is_not_an_item<
                             spelled<item_id, nps_item_text<Spec>>,
                             spelled<nearest_item_id, item_id_text<Spec, nearest_item(v, Spec.nps_item)>>>>::reported);
  static_assert(check_if<issues[k::nps_item_not_nps] != 0,
                         nps_item_is_not_nps_format<issue_item<Spec, k::nps_item_not_nps>>>::reported);
  static_assert(check_if<issues[k::invalid_format] != 0,
                         item_has_an_unknown_format<issue_item<Spec, k::invalid_format>>>::reported);

  static constexpr bool reported = true;
};

} // namespace detail

/// A compile-time instrument. Instantiating it runs every instrument check in the compiler; a bad
/// instrument does not compile, and the first error lines name the rule it breaks and the item or construct that
/// breaks it (as template arguments spelt out character by character, with the nearest valid name for a misspelt
/// one).
template <const auto& Spec>
class static_instrument {
  // Every check runs in the compiler; a failing one stops it with the rule's message and the offending name as
  // a template argument (detail::instrument_report).
  static_assert(detail::instrument_report<Spec>::reported);

 public:
  static constexpr const auto& spec = Spec; ///< the instrument's data
  /// The instrument as the view the engine reads.
  static constexpr instrument_view view() noexcept { return Spec.view(); }
  /// The same view, so that a static_instrument is passed wherever an instrument_view is taken.
  constexpr operator instrument_view() const noexcept { return Spec.view(); }
};

/// A run-time item (owning strings); see item_spec for the meaning of the fields.
struct item_def {
  std::string id;                                        ///< see item_spec::id
  std::string text;                                      ///< see item_spec::text
  std::string construct;                                 ///< see item_spec::construct
  bool reverse = false;                                  ///< see item_spec::reverse
  double weight = 1.0;                                   ///< see item_spec::weight
  std::optional<value_category> category = std::nullopt; ///< see item_spec::category
  std::optional<building_block> block = std::nullopt;    ///< see item_spec::block
  response_format format = response_format::likert;      ///< see item_spec::format
};

/// A run-time construct (owning strings).
struct construct_def {
  std::string key;                                    ///< see construct_spec::key
  std::string label;                                  ///< see construct_spec::label
  std::optional<building_block> block = std::nullopt; ///< see construct_spec::block
};

/// Everything needed to build a run-time instrument.
struct instrument_def {
  std::string id;                        ///< the instrument's id
  std::string title;                     ///< its display title
  likert_scale scale = scales::agree5;   ///< the scale of its Likert items
  std::vector<construct_def> constructs; ///< its constructs, in order
  std::vector<item_def> items;           ///< its items, in order
  std::string nps_item;                  ///< id of the NPS item, empty when there is none
};

/// A run-time instrument: built from data (code, JSON, a database), validated with the same checks as a
/// compile-time one, immutable and cheap to copy. Construction throws validation_error listing every problem.
class instrument {
 public:
  /// Validates `def` and builds the instrument; throws validation_error listing every problem.
  explicit instrument(instrument_def def);
  /// A copy of a compile-time instrument (already valid).
  explicit instrument(const instrument_view& v);

  /// Copies share the validated definition (a reference count); a moved-from instrument stays a valid copy.
  instrument(const instrument& other) noexcept;
  /// Shares `other`'s definition (as a copy does).
  instrument& operator=(const instrument& other) noexcept;
  /// Drops this copy's share of the definition (freed with the last copy).
  ~instrument();

  /// The instrument as the view the engine reads (valid while this instrument or a copy lives).
  instrument_view view() const noexcept;
  /// The same view, so that an instrument is passed wherever an instrument_view is taken.
  operator instrument_view() const noexcept { return view(); }
  /// The definition it was built from.
  const instrument_def& definition() const noexcept;

  /// The definition of any instrument view, with owned strings.
  static instrument_def to_def(const instrument_view& v);

 private:
  // The validated definition and the specs that view it, shared by the copies; defined with the definitions so
  // that this header needs no smart pointer.
  struct data;
  static void release(const data* d) noexcept; // drops one copy's share, freeing the block with the last
  const data* data_;
};

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/measure/impl/instrument.ipp>
#endif
