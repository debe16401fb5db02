// ethos/framework/impl/transaction.ipp: definitions of ethos/framework/transaction.hpp (compiled into
// ethos::compiled, or included by the header in header-only mode).
#pragma once

#include <ethos/framework/transaction.hpp>

#include <ethos/detail/text.hpp>
#include <ethos/detail/validation.hpp>
#include <ethos/error.hpp>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ethos {

ETHOS_DECL transaction& transaction::add_process(std::string point, std::string owner) {
  process_points.push_back({std::move(point), std::move(owner)});
  return *this;
}

ETHOS_DECL transaction& transaction::add_perception(std::string point, value_category category, std::string process,
                                                    customer_kind recipient) {
  perception_points.push_back({std::move(point), category, std::move(process), recipient});
  return *this;
}

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

ETHOS_DECL std::vector<problem> check(const transaction& t) {
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

ETHOS_DECL std::vector<problem> check(const transaction& t, std::span<const perception_rating> ratings) {
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

ETHOS_DECL transaction_summary summarize(const transaction& t, std::span<const perception_rating> ratings) {
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
