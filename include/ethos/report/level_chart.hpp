/// \file
/// \brief The six-level distribution chart: one 100% stacked bar per perception point of a transaction, criminal
/// (dark red) to unbelievable (dark green), with a tick where `expected` begins.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/error.hpp>
#include <ethos/framework/transaction.hpp>
#include <ethos/report/svg_writer.hpp>

#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace ethos::svg {

/// One bar of a level distribution chart: a perception point's name and its counts of ratings per level,
/// criminal first.
struct level_bar {
  std::string label{};                 ///< the perception point's name
  std::array<std::size_t, 6> counts{}; ///< ratings at each level, criminal first
};

/// How a level distribution chart is labelled.
struct level_chart_options {
  std::string title = "Service levels by perception point"; ///< the chart's title and accessible name
  std::string description{};                                ///< the `<desc>`; generated from the data when empty
  bool show_percentages = true; ///< print each level's share inside its segment when it fits
};

/// Checks level chart input: at least one bar, no empty labels.
ETHOS_DECL std::vector<problem> check(const std::vector<level_bar>& bars);

/// Horizontal 100% stacked bars, one per perception point in the given order: the share of ratings at each of the
/// six levels from criminal (dark red, left) to unbelievable (dark green, right), a black tick where `expected`
/// begins (left of it the service fell short), the number of ratings at the right, and "no ratings" for a point
/// nobody rated. Throws validation_error listing every problem (see check()).
ETHOS_DECL document level_distribution_document(const std::vector<level_bar>& bars,
                                                const level_chart_options& options = {});

/// level_distribution_document(bars, options) as SVG text.
ETHOS_DECL std::string level_distribution_chart(const std::vector<level_bar>& bars,
                                                const level_chart_options& options = {});

/// The chart of a transaction summary: one bar per perception point, in the map's order.
ETHOS_DECL std::string level_distribution_chart(const transaction_summary& summary,
                                                const level_chart_options& options = {});

} // namespace ethos::svg

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/report/impl/level_chart.ipp>
#endif
