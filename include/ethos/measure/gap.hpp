// ethos/measure/gap.hpp: SERVQUAL-style gap scoring: perception minus expectation, per item, dimension and overall.
#pragma once

#include <ethos/detail/text.hpp>
#include <ethos/detail/validation.hpp>
#include <ethos/error.hpp>
#include <ethos/measure/response_matrix.hpp>

#include <cmath>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace ethos {

/// One expectation/perception item pair of a gap survey and the dimension it belongs to.
struct gap_pair {
  std::string expectation_item;
  std::string perception_item;
  std::string dimension;
};

/// A gap survey: its dimensions and item pairs.
struct gap_design {
  std::vector<std::string> dimensions;
  std::vector<gap_pair> pairs;
};

/// The SERVQUAL layout (Parasuraman, Zeithaml & Berry 1988): 22 pairs `e1/p1 .. e22/p22` over five dimensions,
/// Tangibles 1-4, Reliability 5-9, Responsiveness 10-13, Assurance 14-17, Empathy 18-22. Only the layout;
/// the item wording is the user's own.
inline gap_design servqual_design() {
  gap_design d{{"Tangibles", "Reliability", "Responsiveness", "Assurance", "Empathy"}, {}};
  const int last[] = {4, 9, 13, 17, 22};
  std::size_t dim = 0;
  for (int i = 1; i <= 22; ++i) {
    if (i > last[dim]) {
      ++dim;
    }
    d.pairs.push_back({"e" + std::to_string(i), "p" + std::to_string(i), d.dimensions[dim]});
  }
  return d;
}

/// Gap of one item pair: means over respondents who answered both items, and gap = perception - expectation
/// (negative: service falls short of expectations).
struct gap_item_result {
  gap_pair pair;
  std::size_t n = 0;
  std::optional<double> expectation;
  std::optional<double> perception;
  std::optional<double> gap;
};

/// Gap of one dimension: the mean of its item gaps, and its importance weight when one was given.
struct gap_dimension_result {
  std::string dimension;
  std::size_t items = 0; ///< item pairs with a gap
  std::optional<double> gap;
  std::optional<double> importance; ///< importance points given to this dimension
};

/// Gaps of a whole survey: the unweighted total is the mean of the dimension gaps; the weighted total is
/// sum(points_d * gap_d) / sum(points_d) over dimensions with a gap, when importance points were given.
struct gap_result {
  std::vector<gap_item_result> items;
  std::vector<gap_dimension_result> dimensions;
  std::optional<double> unweighted_total;
  std::optional<double> weighted_total;
};

/// Every problem of a gap design against a response matrix: unknown or duplicate dimensions, pairs naming an
/// unknown dimension or an item column the matrix lacks, a dimension without pairs, bad importance points
/// (one per dimension, none negative, summing to `importance_total`).
inline std::vector<problem> check(const gap_design& d, const response_matrix& m, std::span<const double> importance,
                                  double importance_total = 100.0) {
  std::vector<problem> out;
  if (d.dimensions.empty()) {
    out.push_back({"gap design", "has no dimensions"});
  }
  std::vector<std::size_t> per_dim(d.dimensions.size());
  detail::check_unique_names(
      d.dimensions, [](const std::string& s) -> std::string_view { return s; }, "dimension", out);
  for (std::size_t p = 0; p < d.pairs.size(); ++p) {
    const auto& pr = d.pairs[p];
    const std::string where =
        "pair #" + std::to_string(p + 1) + " (" + pr.expectation_item + "/" + pr.perception_item + ")";
    std::optional<std::size_t> dim;
    for (std::size_t i = 0; i < d.dimensions.size() && !dim; ++i) {
      if (d.dimensions[i] == pr.dimension) {
        dim = i;
      }
    }
    if (!dim) {
      out.push_back({where, "names unknown dimension '" + pr.dimension + "'"});
    } else {
      ++per_dim[*dim];
    }
    for (const auto* item : {&pr.expectation_item, &pr.perception_item}) {
      if (!m.column_of(*item)) {
        out.push_back({where, "item '" + *item + "' has no column in the response matrix"});
      }
    }
  }
  for (std::size_t i = 0; i < d.dimensions.size(); ++i) {
    if (per_dim[i] == 0) {
      out.push_back({"dimension '" + d.dimensions[i] + "'", "has no item pairs"});
    }
  }
  if (!importance.empty()) {
    if (importance.size() != d.dimensions.size()) {
      out.push_back({"importance", std::to_string(importance.size()) + " weights for " +
                                       std::to_string(d.dimensions.size()) + " dimensions"});
    } else {
      double sum = 0.0;
      for (std::size_t i = 0; i < importance.size(); ++i) {
        if (!(importance[i] >= 0.0)) {
          out.push_back({"importance of '" + d.dimensions[i] + "'", "must be a number >= 0"});
        }
        sum += importance[i];
      }
      if (std::abs(sum - importance_total) > 1e-9 * importance_total) {
        out.push_back(
            {"importance", "points sum to " + std::to_string(sum) + ", not " + std::to_string(importance_total)});
      }
    }
  }
  return out;
}

/// Scores a gap survey. `importance` (optional) holds points per dimension summing to `importance_total`
/// (e.g. 100 split across the five SERVQUAL dimensions). Throws validation_error listing every problem.
inline gap_result score_gaps(const gap_design& d, const response_matrix& m, std::span<const double> importance = {},
                             double importance_total = 100.0) {
  throw_if_problems("gap scoring", check(d, m, importance, importance_total));
  gap_result out;
  for (const auto& pr : d.pairs) {
    const auto e = m.column(*m.column_of(pr.expectation_item));
    const auto p = m.column(*m.column_of(pr.perception_item));
    gap_item_result r{pr, 0, std::nullopt, std::nullopt, std::nullopt};
    long long se = 0;
    long long sp = 0;
    for (std::size_t row = 0; row < m.rows(); ++row) {
      if (e[row] != response_matrix::missing && p[row] != response_matrix::missing) {
        se += e[row];
        sp += p[row];
        ++r.n;
      }
    }
    if (r.n > 0) {
      const double n = static_cast<double>(r.n);
      r.expectation = static_cast<double>(se) / n;
      r.perception = static_cast<double>(sp) / n;
      r.gap = static_cast<double>(sp - se) / n; // exact integer difference, one rounding
    }
    out.items.push_back(std::move(r));
  }
  double dim_sum = 0.0;
  std::size_t dim_n = 0;
  double w_sum = 0.0;
  double wg_sum = 0.0;
  for (std::size_t i = 0; i < d.dimensions.size(); ++i) {
    gap_dimension_result g{d.dimensions[i], 0, std::nullopt, std::nullopt};
    double s = 0.0;
    for (const auto& it : out.items) {
      if (it.pair.dimension == d.dimensions[i] && it.gap) {
        s += *it.gap;
        ++g.items;
      }
    }
    if (!importance.empty()) {
      g.importance = importance[i];
    }
    if (g.items > 0) {
      g.gap = s / static_cast<double>(g.items);
      dim_sum += *g.gap;
      ++dim_n;
      if (g.importance) {
        w_sum += *g.importance;
        wg_sum += *g.importance * *g.gap;
      }
    }
    out.dimensions.push_back(std::move(g));
  }
  if (dim_n > 0) {
    out.unweighted_total = dim_sum / static_cast<double>(dim_n);
  }
  if (!importance.empty() && w_sum > 0.0) {
    out.weighted_total = wg_sum / w_sum;
  }
  return out;
}

} // namespace ethos
