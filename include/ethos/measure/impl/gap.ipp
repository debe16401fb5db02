// ethos/measure/impl/gap.ipp: definitions of ethos/measure/gap.hpp (compiled into ethos::compiled, or included by
// the header in header-only mode).
#pragma once

#include <ethos/measure/gap.hpp>

#include <ethos/detail/validation.hpp>
#include <ethos/error.hpp>

#include <cmath>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ethos {

ETHOS_DECL gap_design servqual_design() {
  gap_design d{{"Tangibles", "Reliability", "Responsiveness", "Assurance", "Empathy"}, {}};
  const int last[] = {4, 9, 13, 17, 22};
  std::size_t dim = 0;
  for (int i = 1; i <= 22; ++i) {
    if (i > last[dim]) {
      ++dim;
    }
    // Appended rather than "e" + std::to_string(i), which g++ 12 -O3 misreads as an overlapping copy (-Wrestrict).
    const std::string number = std::to_string(i);
    d.pairs.push_back({std::string("e").append(number), std::string("p").append(number), d.dimensions[dim]});
  }
  return d;
}

ETHOS_DECL std::vector<problem> check(const gap_design& d, const response_matrix& m, std::span<const double> importance,
                                      double importance_total) {
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

ETHOS_DECL gap_result score_gaps(const gap_design& d, const response_matrix& m, std::span<const double> importance,
                                 double importance_total) {
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
