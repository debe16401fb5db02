/// \file
/// \brief The heatmap of groups (rows) by constructs (columns): each cell coloured on a sequential or diverging
/// scale with its value printed; suppressed cells hatched without any trace of their value.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/error.hpp>
#include <ethos/report/svg_writer.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace ethos::svg {

/// One cell of a heatmap. A suppressed cell (too few respondents to report) is drawn hatched and its value, if the
/// caller left one in, is ignored: it is never validated, printed, put in a tooltip or used for a colour.
struct heatmap_cell {
  std::optional<double> value{}; ///< empty: no data
  bool suppressed = false;       ///< too few respondents to show: drawn hatched, the value ignored
};

/// Rows (groups) by columns (constructs); `cells[row][column]`.
struct heatmap_data {
  std::vector<std::string> row_labels{};          ///< one per row, top to bottom
  std::vector<std::string> column_labels{};       ///< one per column, left to right
  std::vector<std::vector<heatmap_cell>> cells{}; ///< `cells[row][column]`
};

/// How a heatmap is labelled and coloured.
struct heatmap_options {
  std::string title = "Results by group"; ///< the chart's title and accessible name
  std::string description{};              ///< the `<desc>`; generated from the data when empty
  double min = 0.0;                       ///< low end of the colour scale
  double max = 100.0;                     ///< high end of the colour scale
  std::optional<double> midpoint{}; ///< diverging scale (red - grey - blue) around it; sequential blues when empty
  int decimals = 0;                 ///< fraction digits of the printed values
  std::string value_label = "% favourable"; ///< caption of the colour legend
  std::size_t minimum_respondents = 0;      ///< k of the suppression rule, named in the legend; 0: not stated
  std::string suppressed_note{}; ///< the legend's reason for suppressed cells; empty: built from minimum_respondents
};

/// Checks heatmap input; every problem is reported: no rows or columns, empty labels, a row count or row length
/// that does not match the labels, a scale with min not below max, a midpoint not strictly inside the scale, and
/// values (of cells that are not suppressed) that are NaN, infinite or outside min..max.
ETHOS_DECL std::vector<problem> check(const heatmap_data& data, const heatmap_options& options);

/// A heatmap of groups (rows) by constructs (columns): each cell coloured on a sequential or diverging scale
/// with its rounded value printed; suppressed cells hatched grey without any trace of their value; cells without
/// data white with a dash. Long labels are cut with an ellipsis and keep the full text in a tooltip. The legend
/// shows the colour scale, the suppression rule and the no-data mark. Sized for 1 to about 60 rows.
/// Throws validation_error listing every problem (see check()).
ETHOS_DECL document heatmap_document(const heatmap_data& data, const heatmap_options& options = {});

/// heatmap_document(data, options) as SVG text.
ETHOS_DECL std::string heatmap(const heatmap_data& data, const heatmap_options& options = {});

} // namespace ethos::svg

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/report/impl/heatmap.ipp>
#endif
