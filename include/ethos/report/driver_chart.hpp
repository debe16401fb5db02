/// \file
/// \brief The driver chart: a key-driver analysis as an importance x performance scatter, split into the four
/// quadrants (strength, priority, maintain, monitor) at the mean importance and the mean performance.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/org/drivers.hpp>
#include <ethos/report/svg_writer.hpp>

#include <string>

namespace ethos::svg {

/// How a driver chart is labelled.
struct driver_chart_options {
  std::string title{};       ///< the chart's title and accessible name; empty: "Drivers of <outcome>"
  std::string description{}; ///< the `<desc>`; generated from the analysis when empty
  /// Short names drawn next to the points (one per driver, in the analysis' order); empty: built from the labels'
  /// initials. Every point also carries its full label in a tooltip.
  std::vector<std::string> short_labels{};
};

/// The drivers of `a` that have an importance (share of R^2) and a performance: each a point at (importance in
/// percent, performance), coloured and shaped by its quadrant (Okabe and Ito's colour-blind-safe palette, and a
/// shape per quadrant so that colour is never the only cue), with its short label, and a tooltip giving its
/// label, share, mean and quadrant. Dashed lines at the analysis' centres divide the quadrants, which are named in
/// their corners. Throws ethos::error when fewer than 2 drivers have both figures (the analysis was withheld or
/// had no weights: nothing to place).
ETHOS_DECL document driver_chart_document(const driver_analysis& a, const driver_chart_options& options = {});

} // namespace ethos::svg

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/report/impl/driver_chart.ipp>
#endif
