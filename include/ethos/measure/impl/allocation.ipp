// ethos/measure/impl/allocation.ipp: definitions of ethos/measure/allocation.hpp (compiled into ethos::compiled, or
// included by the header in header-only mode).
#pragma once

#include <ethos/measure/allocation.hpp>

#include <ethos/detail/validation.hpp>
#include <ethos/error.hpp>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ethos {

ETHOS_DECL allocation_design ocai_design() {
  return {{"Dominant characteristics", "Organisational leadership", "Management of employees", "Organisational glue",
           "Strategic emphases", "Criteria of success"},
          {"Clan", "Adhocracy", "Market", "Hierarchy"},
          {100}};
}

namespace detail::alloc {

// Appends the problems of every response to a sound design; `prefix` tells the sets of a comparison apart.
ETHOS_DECL void check_responses(const allocation_design& design, std::span<const allocation_response> responses,
                                std::string_view prefix, std::vector<problem>& out) {
  const std::size_t dims = design.dimensions.size();
  const std::size_t types = design.types.size();
  const int total = design.scale.total;
  // Sums are exact 64-bit integers; refuse a set so large that they could overflow rather than wrap silently.
  const std::size_t limit = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max() / total) / dims;
  if (responses.size() > limit) {
    out.push_back({std::string(prefix) + "responses", std::to_string(responses.size()) +
                                                          " responses are too many to sum exactly (at most " +
                                                          std::to_string(limit) + " for this design)"});
    return;
  }
  // Place names are built only when a problem is found, so that valid rows cost no allocation.
  for (std::size_t r = 0; r < responses.size(); ++r) {
    const auto& resp = responses[r];
    const auto who = [&] {
      return std::string(prefix) + "respondent #" + std::to_string(r + 1) + " " + detail::quoted(resp.respondent);
    };
    if (resp.points.size() != dims * types) {
      // Without the right count the dimension-major layout is ambiguous, so the dimensions are not checked.
      out.push_back({who(), "has " + std::to_string(resp.points.size()) + " points, expected " +
                                std::to_string(dims * types) + " (" + std::to_string(dims) + " dimensions x " +
                                std::to_string(types) + " types)"});
      continue;
    }
    for (std::size_t d = 0; d < dims; ++d) {
      const auto where = [&] { return who() + ", dimension " + detail::quoted(design.dimensions[d]); };
      std::int64_t sum = 0;
      for (std::size_t t = 0; t < types; ++t) {
        const int p = resp.points[d * types + t];
        sum += p;
        if (p < 0) {
          out.push_back({where(), "type " + detail::quoted(design.types[t]) + " has " + std::to_string(p) +
                                      " points; points cannot be negative"});
        } else if (p > total) {
          out.push_back({where(), "type " + detail::quoted(design.types[t]) + " has " + std::to_string(p) +
                                      " points, more than the total of " + std::to_string(total)});
        }
      }
      if (sum != total) {
        out.push_back({where(), "points sum to " + std::to_string(sum) + ", not " + std::to_string(total)});
      }
    }
  }
}

// A profile plus the exact integer point sums per type behind its group means.
struct scored {
  allocation_profile profile;
  std::vector<std::int64_t> type_sums;
};

// Scores responses already checked against a sound design.
ETHOS_DECL scored score(const allocation_design& design, std::span<const allocation_response> responses) {
  const std::size_t dims = design.dimensions.size();
  const std::size_t types = design.types.size();
  scored s;
  s.profile.n = responses.size();
  s.profile.respondents.reserve(responses.size());
  s.type_sums.assign(types, 0);
  for (const auto& resp : responses) {
    std::vector<double> profile(types, 0.0);
    for (std::size_t t = 0; t < types; ++t) {
      std::int64_t sum = 0;
      for (std::size_t d = 0; d < dims; ++d) {
        sum += resp.points[d * types + t];
      }
      s.type_sums[t] += sum;
      profile[t] = static_cast<double>(sum) / static_cast<double>(dims);
    }
    s.profile.respondents.push_back(std::move(profile));
  }
  if (responses.empty()) {
    return s;
  }
  // Group mean = total points of a type / (n * dims): the mean of the respondents' means, rounded once.
  const auto denominator = static_cast<double>(responses.size() * dims);
  std::vector<double> group(types, 0.0);
  std::size_t best = 0;
  for (std::size_t t = 0; t < types; ++t) {
    group[t] = static_cast<double>(s.type_sums[t]) / denominator;
    if (s.type_sums[t] > s.type_sums[best]) { // integer comparison: ties are exact, the first type keeps them
      best = t;
    }
  }
  s.profile.group = std::move(group);
  s.profile.dominant = best;
  return s;
}

} // namespace detail::alloc

ETHOS_DECL std::vector<problem> check(const allocation_design& design) {
  std::vector<problem> out;
  if (design.dimensions.empty()) {
    out.push_back({"design", "has no dimensions; needs at least 1"});
  }
  if (design.types.size() < 2) {
    out.push_back({"design", design.types.empty() ? "has no types; needs at least 2" : "has 1 type; needs at least 2"});
  }
  if (design.scale.total <= 0) {
    out.push_back({"design scale", "total is " + std::to_string(design.scale.total) + "; must be greater than 0"});
  }
  detail::check_unique_names(
      design.dimensions, [](const std::string& x) -> std::string_view { return x; }, "dimension", out);
  detail::check_unique_names(
      design.types, [](const std::string& x) -> std::string_view { return x; }, "type", out);
  return out;
}

ETHOS_DECL std::vector<problem> check(const allocation_design& design, std::span<const allocation_response> responses) {
  std::vector<problem> out = check(design);
  if (out.empty()) {
    detail::alloc::check_responses(design, responses, "", out);
  }
  return out;
}

ETHOS_DECL allocation_profile score_allocation(const allocation_design& design,
                                               std::span<const allocation_response> responses) {
  throw_if_problems("allocation responses", check(design, responses));
  return detail::alloc::score(design, responses).profile;
}

ETHOS_DECL allocation_gap compare_allocation(const allocation_design& design, std::span<const allocation_response> now,
                                             std::span<const allocation_response> preferred) {
  std::vector<problem> problems = check(design);
  if (problems.empty()) {
    detail::alloc::check_responses(design, now, "now, ", problems);
    detail::alloc::check_responses(design, preferred, "preferred, ", problems);
  }
  throw_if_problems("allocation comparison", std::move(problems));

  auto n = detail::alloc::score(design, now);
  auto p = detail::alloc::score(design, preferred);
  allocation_gap g;
  if (n.profile.n > 0 && p.profile.n > 0) {
    const std::size_t types = design.types.size();
    std::vector<double> gap(types, 0.0);
    for (std::size_t t = 0; t < types; ++t) {
      gap[t] = (*p.profile.group)[t] - (*n.profile.group)[t];
    }
    // The gap of type t is (P_t / np - N_t / nn) / dims; types are ranked on these exact fractions, not on the
    // rounded doubles, so that equal gaps really tie and the first type in design order wins.
    const auto np = static_cast<std::int64_t>(p.profile.n);
    const auto nn = static_cast<std::int64_t>(n.profile.n);
    const auto& ps = p.type_sums;
    const auto& ns = n.type_sums;
    for (std::size_t t = 0; t < types; ++t) {
      const int sign = detail::alloc::compare_fractions(ps[t], np, ns[t], nn);
      if (sign > 0 &&
          (!g.largest_increase || detail::alloc::compare_fractions(ps[t] - ps[*g.largest_increase], np,
                                                                   ns[t] - ns[*g.largest_increase], nn) > 0)) {
        g.largest_increase = t;
      }
      if (sign < 0 &&
          (!g.largest_decrease || detail::alloc::compare_fractions(ps[t] - ps[*g.largest_decrease], np,
                                                                   ns[t] - ns[*g.largest_decrease], nn) < 0)) {
        g.largest_decrease = t;
      }
    }
    g.gap = std::move(gap);
  }
  g.now = std::move(n.profile);
  g.preferred = std::move(p.profile);
  return g;
}

} // namespace ethos
