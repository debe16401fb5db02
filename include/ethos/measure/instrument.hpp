// ethos/measure/instrument.hpp: items, constructs and instruments, checked at compile time or validated at run time.
#pragma once

#include <ethos/detail/text.hpp>
#include <ethos/error.hpp>
#include <ethos/framework/building_block.hpp>
#include <ethos/framework/value_category.hpp>
#include <ethos/measure/scale.hpp>

#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ethos {

/// A construct (a scale of several items measuring one idea), optionally tied to a building block.
struct construct_spec {
  std::string_view key;
  std::string_view label;
  std::optional<building_block> block = std::nullopt;
};

/// A survey item. Likert items belong to a construct; NPS and six-level items stand alone (empty construct).
/// `reverse` marks a negatively keyed item (scored as min + max - x); `weight` must be positive.
struct item_spec {
  std::string_view id;
  std::string_view text;
  std::string_view construct;
  bool reverse = false;
  double weight = 1.0;
  std::optional<value_category> category = std::nullopt;
  std::optional<building_block> block = std::nullopt;
  response_format format = response_format::likert;
};

/// A non-owning view of a complete instrument: what the scoring engine reads. Both kinds of instrument
/// (compile-time `static_instrument`, run-time `instrument`) present themselves as this view, so one engine
/// scores both.
struct instrument_view {
  std::string_view id;
  std::string_view title;
  likert_scale scale;
  std::span<const construct_spec> constructs;
  std::span<const item_spec> items;
  std::string_view nps_item; ///< id of the NPS item, empty when there is none

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
inline std::vector<problem> check(const instrument_view& v) {
  std::vector<problem> out;
  detail::check_instrument(v, [&](instrument_issue k, std::size_t i, std::size_t c) {
    std::string where;
    if (i != static_cast<std::size_t>(-1)) {
      where = "item #" + std::to_string(i + 1) + " '" + std::string(v.items[i].id) + "'";
    } else if (c != static_cast<std::size_t>(-1)) {
      where = "construct #" + std::to_string(c + 1) + " '" + std::string(v.constructs[c].key) + "'";
    } else {
      where = "instrument '" + std::string(v.id) + "'";
    }
    std::string what;
    switch (k) {
    case instrument_issue::empty_id:
      what = "has an empty id";
      break;
    case instrument_issue::duplicate_item_id:
      what = "has the same id as an earlier item";
      break;
    case instrument_issue::unknown_construct:
      what = "names construct '" + std::string(v.items[i].construct) + "', which the instrument does not define";
      break;
    case instrument_issue::missing_construct:
      what = "is a Likert item without a construct";
      break;
    case instrument_issue::construct_on_non_likert_item:
      what = "is a " + std::string(to_string(v.items[i].format)) + " item and cannot belong to a construct";
      break;
    case instrument_issue::small_construct:
      what = "has " + std::to_string(v.construct_size(c)) + " item(s); a construct needs at least 2";
      break;
    case instrument_issue::duplicate_construct_key:
      what = "has the same key as an earlier construct";
      break;
    case instrument_issue::empty_construct_key:
      what = "has an empty key";
      break;
    case instrument_issue::non_positive_weight:
      what = "has weight " + std::to_string(v.items[i].weight) + "; weights must be positive";
      break;
    case instrument_issue::unknown_nps_item:
      what = "names NPS item '" + std::string(v.nps_item) + "', which is not one of its items";
      break;
    case instrument_issue::nps_item_not_nps:
      what = "is named as the NPS item but is not answered on the 0-10 NPS scale";
      break;
    case instrument_issue::invalid_format:
      what = "has an unknown response format";
      break;
    }
    out.push_back({std::move(where), std::move(what)});
  });
  return out;
}

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
  std::string_view id;
  std::string_view title;
  likert_scale scale;
  std::array<construct_spec, NC> constructs;
  std::array<item_spec, NI> items;
  std::string_view nps_item = {};

  constexpr instrument_view view() const noexcept {
    return {id, title, scale, std::span<const construct_spec>(constructs), std::span<const item_spec>(items), nps_item};
  }
};

template <std::size_t NC, std::size_t NI>
instrument_spec(std::string_view, std::string_view, likert_scale, std::array<construct_spec, NC>,
                std::array<item_spec, NI>, std::string_view = {}) -> instrument_spec<NC, NI>;

/// True when a compile-time instrument passes every check (usable in `static_assert` and concepts).
template <std::size_t NC, std::size_t NI>
constexpr bool is_valid(const instrument_spec<NC, NI>& spec) {
  return detail::count_instrument_issues(spec.view()).total() == 0;
}

/// A compile-time instrument. Instantiating it runs every instrument check in the compiler; a bad
/// instrument does not compile, and the message names the rule it breaks.
template <const auto& Spec>
class static_instrument {
  static constexpr detail::instrument_issue_counts issues = detail::count_instrument_issues(Spec.view());
  static_assert(issues[instrument_issue::duplicate_item_id] == 0, "ethos: two items of the instrument share an id");
  static_assert(issues[instrument_issue::unknown_construct] == 0,
                "ethos: an item names a construct that the instrument does not define");
  static_assert(issues[instrument_issue::small_construct] == 0, "ethos: a construct has fewer than 2 items");
  static_assert(issues[instrument_issue::non_positive_weight] == 0, "ethos: an item weight is not positive");
  static_assert(issues[instrument_issue::empty_id] == 0, "ethos: an item has an empty id");
  static_assert(issues[instrument_issue::missing_construct] == 0, "ethos: a Likert item has no construct");
  static_assert(issues[instrument_issue::construct_on_non_likert_item] == 0,
                "ethos: an NPS or six-level item cannot belong to a construct");
  static_assert(issues[instrument_issue::duplicate_construct_key] == 0, "ethos: two constructs share a key");
  static_assert(issues[instrument_issue::empty_construct_key] == 0, "ethos: a construct has an empty key");
  static_assert(issues[instrument_issue::unknown_nps_item] == 0, "ethos: the NPS item is not one of the items");
  static_assert(issues[instrument_issue::nps_item_not_nps] == 0, "ethos: the NPS item is not an NPS-format item");
  static_assert(issues[instrument_issue::invalid_format] == 0, "ethos: an item has an unknown response format");

 public:
  static constexpr const auto& spec = Spec;
  static constexpr instrument_view view() noexcept { return Spec.view(); }
  constexpr operator instrument_view() const noexcept { return Spec.view(); }
};

/// A run-time item (owning strings); see item_spec for the meaning of the fields.
struct item_def {
  std::string id;
  std::string text;
  std::string construct;
  bool reverse = false;
  double weight = 1.0;
  std::optional<value_category> category = std::nullopt;
  std::optional<building_block> block = std::nullopt;
  response_format format = response_format::likert;
};

/// A run-time construct (owning strings).
struct construct_def {
  std::string key;
  std::string label;
  std::optional<building_block> block = std::nullopt;
};

/// Everything needed to build a run-time instrument.
struct instrument_def {
  std::string id;
  std::string title;
  likert_scale scale = scales::agree5;
  std::vector<construct_def> constructs;
  std::vector<item_def> items;
  std::string nps_item;
};

/// A run-time instrument: built from data (code, JSON, a database), validated with the same checks as a
/// compile-time one, immutable and cheap to copy. Construction throws validation_error listing every problem.
class instrument {
 public:
  explicit instrument(instrument_def def) : data_(std::make_shared<const data>(std::move(def))) {
    throw_if_problems("instrument '" + data_->def.id + "'", check(view()));
  }
  /// A copy of a compile-time instrument (already valid).
  explicit instrument(const instrument_view& v) : instrument(to_def(v)) {}

  instrument_view view() const noexcept {
    return {data_->def.id, data_->def.title, data_->def.scale, data_->constructs, data_->items, data_->def.nps_item};
  }
  operator instrument_view() const noexcept { return view(); }
  const instrument_def& definition() const noexcept { return data_->def; }

  /// The definition of any instrument view, with owned strings.
  static instrument_def to_def(const instrument_view& v) {
    instrument_def d{std::string(v.id), std::string(v.title), v.scale, {}, {}, std::string(v.nps_item)};
    for (const auto& c : v.constructs) {
      d.constructs.push_back({std::string(c.key), std::string(c.label), c.block});
    }
    for (const auto& i : v.items) {
      d.items.push_back({std::string(i.id), std::string(i.text), std::string(i.construct), i.reverse, i.weight,
                         i.category, i.block, i.format});
    }
    return d;
  }

 private:
  // Specs are views into `def`, which never moves once the shared block exists.
  struct data {
    explicit data(instrument_def d) : def(std::move(d)) {
      for (const auto& c : def.constructs) {
        constructs.push_back({c.key, c.label, c.block});
      }
      for (const auto& i : def.items) {
        items.push_back({i.id, i.text, i.construct, i.reverse, i.weight, i.category, i.block, i.format});
      }
    }
    instrument_def def;
    std::vector<construct_spec> constructs;
    std::vector<item_spec> items;
  };
  std::shared_ptr<const data> data_;
};

} // namespace ethos
