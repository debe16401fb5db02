// ethos/framework/transaction.hpp: service transaction maps (process and perception points) and their six-level
// summary.
#pragma once

#include <ethos/detail/text.hpp>
#include <ethos/detail/validation.hpp>
#include <ethos/error.hpp>
#include <ethos/framework/service_level.hpp>
#include <ethos/framework/service_mode.hpp>
#include <ethos/framework/value_category.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ethos {

/// A step the provider takes in a transaction (order received, invoice sent ...), optionally owned by a unit.
struct process_point {
  std::string name;
  std::string owner; ///< owning unit; empty when none is named
};

/// A moment at which the person served forms an opinion, attached to the process point it belongs to.
struct perception_point {
  std::string name;
  value_category category = value_category::primary_product;
  std::string process_point; ///< name of a process point of the same transaction
  customer_kind recipient = customer_kind::external;
};

/// A service transaction: the provider's process points in order and the recipient's perception points.
///
///     ethos::transaction t{"Order to cash"};
///     t.add_process("Order received", "Sales")
///      .add_perception("Order confirmation", ethos::value_category::delivery_system, "Order received");
struct transaction {
  transaction() = default;
  explicit transaction(std::string transaction_name) : name(std::move(transaction_name)) {}

  std::string name;
  std::vector<process_point> process_points;
  std::vector<perception_point> perception_points;

  transaction& add_process(std::string point, std::string owner = {}) {
    process_points.push_back({std::move(point), std::move(owner)});
    return *this;
  }
  transaction& add_perception(std::string point, value_category category, std::string process,
                              customer_kind recipient = customer_kind::external) {
    perception_points.push_back({std::move(point), category, std::move(process), recipient});
    return *this;
  }
};

/// One recipient's rating of one perception point on the six levels (1 = criminal .. 6 = unbelievable).
struct perception_rating {
  std::string perception_point;
  int level = 0;
};

/// Counts over the six levels.
struct level_distribution {
  std::array<std::size_t, 6> counts{};

  constexpr void add(service_level l) noexcept { ++counts[static_cast<std::size_t>(level_number(l) - 1)]; }
  constexpr std::size_t count(service_level l) const noexcept {
    return counts[static_cast<std::size_t>(level_number(l) - 1)];
  }
  constexpr std::size_t total() const noexcept {
    std::size_t n = 0;
    for (auto c : counts) {
      n += c;
    }
    return n;
  }
  /// The lower median level (for an even count, the lower of the two middle ratings, so that a
  /// split verdict is not rounded up); empty when there are no ratings.
  constexpr std::optional<service_level> median() const noexcept {
    const std::size_t n = total();
    if (n == 0) {
      return std::nullopt;
    }
    const std::size_t rank = (n + 1) / 2;
    std::size_t cumulative = 0;
    for (std::size_t i = 0; i < counts.size(); ++i) {
      cumulative += counts[i];
      if (cumulative >= rank) {
        return static_cast<service_level>(i + 1);
      }
    }
    return std::nullopt; // unreachable: cumulative reaches n
  }
  /// Share of ratings below `expected` (criminal or basic); empty when there are no ratings.
  constexpr std::optional<double> share_below_expected() const noexcept {
    const std::size_t n = total();
    if (n == 0) {
      return std::nullopt;
    }
    return static_cast<double>(counts[0] + counts[1]) / static_cast<double>(n);
  }
  constexpr level_distribution& operator+=(const level_distribution& o) noexcept {
    for (std::size_t i = 0; i < counts.size(); ++i) {
      counts[i] += o.counts[i];
    }
    return *this;
  }
};

/// What the ratings say about one perception point.
struct perception_point_summary {
  perception_point point; ///< a copy of the map's point
  level_distribution distribution;
  std::optional<service_level> median;
  std::optional<double> share_below_expected;
};

/// What the ratings say about a whole transaction.
struct transaction_summary {
  std::vector<perception_point_summary> points; ///< in the map's order
  level_distribution overall;
  std::array<level_distribution, 4> by_category{}; ///< indexed by ordinal(value_category) - 1
  std::optional<std::size_t> weakest;              ///< index into `points`; empty when nothing was rated
  std::vector<std::size_t> improvement_order;      ///< rated points, the one to raise first at the front
  std::vector<std::size_t> unrated;                ///< points that received no rating (cannot be ranked)

  const level_distribution& category(value_category c) const noexcept {
    return by_category[static_cast<std::size_t>(ordinal(c) - 1)];
  }
};

namespace detail {

template <class T>
std::optional<std::size_t> find_named(const std::vector<T>& v, std::string_view name) {
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (iequals(trim(v[i].name), trim(name))) {
      return i;
    }
  }
  return std::nullopt;
}

} // namespace detail

/// Every structural problem of a transaction map: no process or perception points, empty or duplicate
/// names, a perception point attached to an unknown process point, an enum value out of range.
inline std::vector<problem> check(const transaction& t) {
  std::vector<problem> out;
  const std::string where = "transaction " + detail::quoted(t.name);
  if (detail::trim(t.name).empty()) {
    out.push_back({"transaction", "has an empty name"});
  }
  if (t.process_points.empty()) {
    out.push_back({where, "has no process points"});
  }
  if (t.perception_points.empty()) {
    out.push_back({where, "has no perception points"});
  }
  detail::check_unique_names(
      t.process_points, [](const process_point& p) -> const std::string& { return p.name; }, "process point", out);
  detail::check_unique_names(
      t.perception_points, [](const perception_point& p) -> const std::string& { return p.name; }, "perception point",
      out);
  for (std::size_t i = 0; i < t.perception_points.size(); ++i) {
    const auto& p = t.perception_points[i];
    const std::string pw = "perception point #" + std::to_string(i + 1) + " " + detail::quoted(p.name);
    if (!detail::find_named(t.process_points, p.process_point)) {
      out.push_back({pw, "belongs to unknown process point " + detail::quoted(p.process_point)});
    }
    if (ordinal(p.category) == 0) {
      out.push_back({pw, "has a value category outside the four categories"});
    }
    if (ordinal(p.recipient) == 0) {
      out.push_back({pw, "has a recipient that is neither internal nor external"});
    }
  }
  return out;
}

/// Every problem of a transaction map and its ratings: the map's own problems, plus ratings that name an
/// unknown perception point or a level outside 1..6.
inline std::vector<problem> check(const transaction& t, std::span<const perception_rating> ratings) {
  std::vector<problem> out = check(t);
  for (std::size_t i = 0; i < ratings.size(); ++i) {
    const auto& r = ratings[i];
    const std::string where =
        "rating #" + std::to_string(i + 1) + " of perception point " + detail::quoted(r.perception_point);
    if (!detail::find_named(t.perception_points, r.perception_point)) {
      out.push_back({where, "names a perception point that is not in the map"});
    }
    if (!service_level_from_number(r.level)) {
      out.push_back({where, "level " + std::to_string(r.level) + " is outside 1..6 (criminal..unbelievable)"});
    }
  }
  return out;
}

/// Summarises ratings of a transaction's perception points: per point the distribution over the six levels, its
/// median and share below `expected`; overall and per value category distributions; the weakest point (lowest
/// median, ties broken by the larger share below `expected`, then by map order) and the improvement list in that
/// order. A transaction is as strong as its weakest perception point, so that one comes first.
/// Throws validation_error listing every problem of the map and the ratings; nothing is dropped.
inline transaction_summary summarize(const transaction& t, std::span<const perception_rating> ratings) {
  throw_if_problems("transaction " + detail::quoted(t.name), check(t, ratings));
  transaction_summary s;
  s.points.resize(t.perception_points.size());
  for (std::size_t i = 0; i < t.perception_points.size(); ++i) {
    s.points[i].point = t.perception_points[i];
  }
  for (const auto& r : ratings) {
    const auto idx = *detail::find_named(t.perception_points, r.perception_point);
    const auto level = *service_level_from_number(r.level);
    s.points[idx].distribution.add(level);
  }
  for (std::size_t i = 0; i < s.points.size(); ++i) {
    auto& p = s.points[i];
    p.median = p.distribution.median();
    p.share_below_expected = p.distribution.share_below_expected();
    s.overall += p.distribution;
    s.by_category[static_cast<std::size_t>(ordinal(p.point.category) - 1)] += p.distribution;
    (p.median ? s.improvement_order : s.unrated).push_back(i);
  }
  std::stable_sort(s.improvement_order.begin(), s.improvement_order.end(), [&](std::size_t a, std::size_t b) {
    const auto& pa = s.points[a];
    const auto& pb = s.points[b];
    if (*pa.median != *pb.median) {
      return *pa.median < *pb.median;
    }
    return *pa.share_below_expected > *pb.share_below_expected;
  });
  if (!s.improvement_order.empty()) {
    s.weakest = s.improvement_order.front();
  }
  return s;
}

} // namespace ethos
