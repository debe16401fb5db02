/// \file
/// \brief Response matrices from users' own row structs, reflected with Boost.Hana.
#pragma once

#include <ethos/error.hpp>
#include <ethos/measure/builder.hpp>
#include <ethos/measure/instrument.hpp>
#include <ethos/measure/response_matrix.hpp>

#include <boost/hana/accessors.hpp>
#include <boost/hana/concept/struct.hpp>
#include <boost/hana/first.hpp>
#include <boost/hana/for_each.hpp>
#include <boost/hana/second.hpp>
#include <boost/hana/string.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace ethos {

namespace detail {

template <class T>
inline constexpr bool is_answer_member = std::is_same_v<T, int> || std::is_same_v<T, std::optional<int>>;
template <class T>
inline constexpr bool is_text_member = std::is_same_v<T, std::string> || std::is_same_v<T, std::string_view>;

/// The role of a member of a reflected row: an answer (int: always answered; std::optional<int>: may be
/// missing), the respondent id (text member `id` or `respondent_id`), the wave (int member `wave`), or a
/// group label (any other text member, e.g. `team`).
enum class member_role : unsigned char { answer, id, wave, group, unsupported };

template <class T>
constexpr member_role role_of(std::string_view name) {
  if (is_text_member<T>) {
    return (name == "id" || name == "respondent_id") ? member_role::id : member_role::group;
  }
  if (std::is_same_v<T, int> && name == "wave") {
    return member_role::wave;
  }
  return is_answer_member<T> ? member_role::answer : member_role::unsupported;
}

template <class Row, class F>
constexpr void for_each_member_name(F&& f) {
  boost::hana::for_each(boost::hana::accessors<Row>(), [&](auto pair) {
    using member_t = std::remove_cvref_t<decltype(boost::hana::second(pair)(std::declval<const Row&>()))>;
    f(std::string_view(boost::hana::to<char const*>(boost::hana::first(pair))),
      role_of<member_t>(std::string_view(boost::hana::to<char const*>(boost::hana::first(pair)))));
  });
}

/// Compile-time comparison of a row struct's members with an instrument's items.
struct record_check {
  std::size_t unknown_members = 0; ///< answer members that are not items
  std::size_t missing_items = 0;   ///< items without a member
  std::size_t unsupported_members = 0;
  std::size_t id_members = 0;
};

template <class Row>
constexpr record_check check_record(const instrument_view& v) {
  record_check r;
  for_each_member_name<Row>([&](std::string_view name, member_role role) {
    if (role == member_role::unsupported) {
      ++r.unsupported_members;
    } else if (role == member_role::id) {
      ++r.id_members;
    } else if (role == member_role::answer && !v.item_index(name)) {
      ++r.unknown_members;
    }
  });
  for (const auto& it : v.items) {
    bool found = false;
    for_each_member_name<Row>([&](std::string_view name, member_role role) {
      found = found || (role == member_role::answer && name == it.id);
    });
    r.missing_items += found ? 0U : 1U;
  }
  return r;
}

// The name of member `index` of a reflected row (empty for npos), as compile-time text.
template <class Row>
constexpr std::string_view member_name(std::size_t index) {
  std::string_view out;
  std::size_t at = 0;
  for_each_member_name<Row>([&](std::string_view name, member_role) {
    if (at++ == index) {
      out = name;
    }
  });
  return out;
}
template <class Row, std::size_t I>
struct member_name_text {
  static constexpr std::string_view value = member_name<Row>(I);
};

template <char... C>
struct member {};

// The first member or item behind each count of record_check (npos when there is none).
struct record_places {
  std::size_t unsupported_member = static_cast<std::size_t>(-1);
  std::size_t unknown_member = static_cast<std::size_t>(-1);
  std::size_t missing_item = static_cast<std::size_t>(-1);
};

template <class Row>
constexpr record_places first_record_issues(const instrument_view& v) {
  record_places p;
  constexpr auto none = static_cast<std::size_t>(-1);
  std::size_t at = 0;
  for_each_member_name<Row>([&](std::string_view name, member_role role) {
    if (role == member_role::unsupported && p.unsupported_member == none) {
      p.unsupported_member = at;
    } else if (role == member_role::answer && !v.item_index(name) && p.unknown_member == none) {
      p.unknown_member = at;
    }
    ++at;
  });
  for (std::size_t i = 0; i < v.items.size() && p.missing_item == none; ++i) {
    bool found = false;
    for_each_member_name<Row>([&](std::string_view name, member_role role) {
      found = found || (role == member_role::answer && name == v.items[i].id);
    });
    if (!found) {
      p.missing_item = i;
    }
  }
  return p;
}

// One template per rule of from_records, instantiated only when the rule is broken (see instrument_report).
template <class... Names>
struct member_has_an_unsupported_type {
  static_assert(always_false<Names...>,
                "ethos::from_records: a member has an unsupported type (answers are int or std::optional<int>, "
                "metadata std::string or std::string_view, the wave an int named 'wave')");
  static constexpr bool reported = true;
};
template <class... Names>
struct member_is_not_an_item_id {
  static_assert(always_false<Names...>, "ethos::from_records: a member is not an item id of the instrument");
  static constexpr bool reported = true;
};
template <class... Names>
struct item_has_no_member {
  static_assert(always_false<Names...>, "ethos::from_records: an item of the instrument has no member in the row");
  static constexpr bool reported = true;
};

template <class Row>
constexpr bool record_is_broken(const instrument_view& v) {
  const record_check c = check_record<Row>(v);
  return c.unsupported_members + c.unknown_members + c.missing_items != 0;
}

// Compares a row struct with a compile-time instrument and, for each rule broken, stops the compiler with the
// rule's message and the first offending member (with the nearest item id) or item.
template <const auto& Spec, class Row, bool Broken = record_is_broken<Row>(Spec.view())>
struct record_report {
  static constexpr bool reported = true;
};

template <const auto& Spec, class Row>
struct record_report<Spec, Row, true> {
  static constexpr record_check chk = check_record<Row>(Spec.view());
  static constexpr record_places at = first_record_issues<Row>(Spec.view());
  using unknown = member_name_text<Row, at.unknown_member>;

  static_assert(
      check_if<
          chk.unsupported_members != 0,
          member_has_an_unsupported_type<spelled<member, member_name_text<Row, at.unsupported_member>>>>::reported);
  static_assert(
      check_if<chk.unknown_members != 0,
               member_is_not_an_item_id<
                   spelled<member, unknown>,
                   spelled<nearest_item_id, item_id_text<Spec, nearest_item(Spec.view(), unknown::value)>>>>::reported);
  static_assert(check_if<chk.missing_items != 0,
                         item_has_no_member<spelled<item_id, item_id_text<Spec, at.missing_item>>>>::reported);

  static constexpr bool reported = true;
};

template <class Row>
std::vector<std::string> record_group_columns() {
  std::vector<std::string> names;
  for_each_member_name<Row>([&](std::string_view name, member_role role) {
    if (role == member_role::group) {
      names.emplace_back(name);
    }
  });
  return names;
}

template <class Row>
void append_records(response_builder& b, const instrument_view& v, std::span<const Row> rows) {
  std::vector<std::optional<int>> answers(v.items.size());
  std::vector<std::string_view> groups;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::string_view id;
    std::string generated_id;
    int wave = 0;
    groups.clear();
    boost::hana::for_each(boost::hana::accessors<Row>(), [&](auto pair) {
      const std::string_view name(boost::hana::to<char const*>(boost::hana::first(pair)));
      const auto& value = boost::hana::second(pair)(rows[r]);
      using member_t = std::remove_cvref_t<decltype(value)>;
      if constexpr (is_text_member<member_t>) {
        if (role_of<member_t>(name) == member_role::id) {
          id = value;
        } else {
          groups.emplace_back(value);
        }
      } else if constexpr (std::is_same_v<member_t, int>) {
        if (name == "wave") {
          wave = value;
        } else {
          answers[*v.item_index(name)] = value;
        }
      } else if constexpr (std::is_same_v<member_t, std::optional<int>>) {
        answers[*v.item_index(name)] = value;
      }
    });
    if (id.empty()) {
      generated_id = std::to_string(b.matrix().rows() + 1);
      id = generated_id;
    }
    b.add(id, answers, groups, wave);
  }
}

} // namespace detail

/// Builds a response matrix from your own row structs, checked against a compile-time instrument by the
/// compiler: every `int` / `std::optional<int>` member must be an item id (an optional may be missing), every
/// item must have a member; a text member `id` (or `respondent_id`) is the respondent id, an `int wave` the
/// survey wave, and any other text member a group column.
///
///     struct row { BOOST_HANA_DEFINE_STRUCT(row, (std::string, team), (std::optional<int>, v1), (int, v2)); };
///     auto m = ethos::from_records(pulse_instrument{}, std::span<const row>(rows));
template <const auto& Spec, class Row>
response_matrix from_records(static_instrument<Spec>, std::span<const Row> rows,
                             out_of_range_policy policy = out_of_range_policy::error) {
  static_assert(boost::hana::Struct<Row>::value,
                "ethos::from_records: the row type must be a Boost.Hana Struct (BOOST_HANA_DEFINE_STRUCT or "
                "BOOST_HANA_ADAPT_STRUCT)");
  // A member that is not an item, an item without a member or a member of an unsupported type stops the
  // compiler with the rule's message and the member's or item's name (detail::record_report).
  static_assert(detail::record_report<Spec, Row>::reported);
  constexpr detail::record_check chk = detail::check_record<Row>(Spec.view());
  static_assert(chk.id_members <= 1, "ethos::from_records: more than one respondent id member");
  response_builder b(Spec.view(), detail::record_group_columns<Row>(), policy);
  detail::append_records(b, Spec.view(), rows);
  return b.finish();
}

/// The same for a run-time instrument: member names are checked when called, and every mismatch is reported
/// at once in a validation_error.
template <class Row>
response_matrix from_records(const instrument& inst, std::span<const Row> rows,
                             out_of_range_policy policy = out_of_range_policy::error) {
  static_assert(boost::hana::Struct<Row>::value,
                "ethos::from_records: the row type must be a Boost.Hana Struct (BOOST_HANA_DEFINE_STRUCT or "
                "BOOST_HANA_ADAPT_STRUCT)");
  const instrument_view v = inst.view();
  std::vector<problem> problems;
  std::size_t ids = 0;
  detail::for_each_member_name<Row>([&](std::string_view name, detail::member_role role) {
    if (role == detail::member_role::unsupported) {
      problems.push_back({"member '" + std::string(name) + "'", "has an unsupported type"});
    } else if (role == detail::member_role::answer && !v.item_index(name)) {
      problems.push_back({"member '" + std::string(name) + "'", "is not an item id of the instrument"});
    }
    ids += role == detail::member_role::id ? 1U : 0U;
  });
  for (const auto& it : v.items) {
    bool found = false;
    detail::for_each_member_name<Row>([&](std::string_view name, detail::member_role role) {
      found = found || (role == detail::member_role::answer && name == it.id);
    });
    if (!found) {
      problems.push_back({"item '" + std::string(it.id) + "'", "has no member in the row type"});
    }
  }
  if (ids > 1) {
    problems.push_back({"row type", "has more than one respondent id member"});
  }
  throw_if_problems("from_records with instrument '" + std::string(v.id) + "'", std::move(problems));
  response_builder b(inst, detail::record_group_columns<Row>(), policy);
  detail::append_records(b, v, rows);
  return b.finish();
}

} // namespace ethos
