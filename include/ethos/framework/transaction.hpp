/// \file
/// \brief Service transaction maps (process and perception points) and their six-level summary.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/error.hpp>
#include <ethos/framework/service_level.hpp>
#include <ethos/framework/service_mode.hpp>
#include <ethos/framework/value_category.hpp>

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace ethos {

/// A step the provider takes in a transaction (order received, invoice sent ...), optionally owned by a unit.
struct process_point {
  std::string name;  ///< what the step is called, e.g. "Invoice sent"
  std::string owner; ///< owning unit; empty when none is named
};

/// A moment at which the person served forms an opinion, attached to the process point it belongs to.
struct perception_point {
  std::string name;                                          ///< what the moment is called, e.g. "Invoice received"
  value_category category = value_category::primary_product; ///< the category of value the person judges here
  std::string process_point;                                 ///< name of a process point of the same transaction
  customer_kind recipient = customer_kind::external;         ///< who is served: internal or external
};

/// A service transaction: the provider's process points in order and the recipient's perception points.
///
///     ethos::transaction t{"Order to cash"};
///     t.add_process("Order received", "Sales")
///      .add_perception("Order confirmation", ethos::value_category::delivery_system, "Order received");
struct transaction {
  transaction() = default;
  /// A transaction called `transaction_name`, with no points yet.
  explicit transaction(std::string transaction_name) : name(std::move(transaction_name)) {}

  std::string name;                                ///< what the transaction is called, e.g. "Order to cash"
  std::vector<process_point> process_points;       ///< the provider's steps, in order
  std::vector<perception_point> perception_points; ///< the moments at which the person served forms an opinion

  /// Appends a process point (owned by unit `owner`, if named); returns *this for chaining.
  transaction& add_process(std::string point, std::string owner = {});
  /// Appends a perception point attached to process point `process`; returns *this for chaining.
  transaction& add_perception(std::string point, value_category category, std::string process,
                              customer_kind recipient = customer_kind::external);
};

/// One recipient's rating of one perception point on the six levels (1 = criminal .. 6 = unbelievable).
struct perception_rating {
  std::string perception_point; ///< name of the perception point rated
  int level = 0;                ///< 1 (criminal) .. 6 (unbelievable)
};

/// Counts over the six levels.
struct level_distribution {
  std::array<std::size_t, 6> counts{}; ///< ratings per level, criminal first

  /// Counts one rating at level `l`.
  constexpr void add(service_level l) noexcept { ++counts[static_cast<std::size_t>(level_number(l) - 1)]; }
  /// Ratings at level `l`.
  constexpr std::size_t count(service_level l) const noexcept {
    return counts[static_cast<std::size_t>(level_number(l) - 1)];
  }
  /// All ratings.
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
  /// Adds the counts of `o`.
  constexpr level_distribution& operator+=(const level_distribution& o) noexcept {
    for (std::size_t i = 0; i < counts.size(); ++i) {
      counts[i] += o.counts[i];
    }
    return *this;
  }
};

/// What the ratings say about one perception point.
struct perception_point_summary {
  perception_point point;                     ///< a copy of the map's point
  level_distribution distribution;            ///< the ratings over the six levels
  std::optional<service_level> median;        ///< lower median level; empty without ratings
  std::optional<double> share_below_expected; ///< share of ratings below `expected`; empty without ratings
};

/// What the ratings say about a whole transaction.
struct transaction_summary {
  std::vector<perception_point_summary> points;    ///< in the map's order
  level_distribution overall;                      ///< all ratings of the transaction
  std::array<level_distribution, 4> by_category{}; ///< indexed by ordinal(value_category) - 1
  std::optional<std::size_t> weakest;              ///< index into `points`; empty when nothing was rated
  std::vector<std::size_t> improvement_order;      ///< rated points, the one to raise first at the front
  std::vector<std::size_t> unrated;                ///< points that received no rating (cannot be ranked)

  /// The distribution of the perception points of category `c`.
  const level_distribution& category(value_category c) const noexcept {
    return by_category[static_cast<std::size_t>(ordinal(c) - 1)];
  }
};

/// Every structural problem of a transaction map: no process or perception points, empty or duplicate
/// names, a perception point attached to an unknown process point, an enum value out of range.
ETHOS_DECL std::vector<problem> check(const transaction& t);

/// Every problem of a transaction map and its ratings: the map's own problems, plus ratings that name an
/// unknown perception point or a level outside 1..6.
ETHOS_DECL std::vector<problem> check(const transaction& t, std::span<const perception_rating> ratings);

/// Summarises ratings of a transaction's perception points: per point the distribution over the six levels, its
/// median and share below `expected`; overall and per value category distributions; the weakest point (lowest
/// median, ties broken by the larger share below `expected`, then by map order) and the improvement list in that
/// order. A transaction is as strong as its weakest perception point, so that one comes first.
/// Throws validation_error listing every problem of the map and the ratings; nothing is dropped.
ETHOS_DECL transaction_summary summarize(const transaction& t, std::span<const perception_rating> ratings);

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/framework/impl/transaction.ipp>
#endif
