/// \file
/// \brief An SVG line chart of time series with uncertainty bands, for the output of research models (a period on
/// x, a value on y, e.g. a forecast with its 50% and 90% intervals). Built on svg_writer.hpp.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/error.hpp>
#include <ethos/report/svg_writer.hpp>

#include <optional>
#include <string>
#include <vector>

namespace ethos::svg {

// ---------------------------------------------------------------------------------------------------------------
// Line chart
// ---------------------------------------------------------------------------------------------------------------

/// An uncertainty band around a series: one lower and one upper bound per point of the series.
struct line_band {
  std::string label{};         ///< e.g. "90% interval"; named in the legend and in tooltips
  std::vector<double> lower{}; ///< one per point, lower <= upper
  std::vector<double> upper{}; ///< one per point
};

/// One series of a line chart: points (x strictly increasing) joined by a line, with optional bands drawn in the
/// same colour as translucent areas behind every line (the wider a band, the lighter).
struct line_series {
  std::string name{};             ///< named in the legend and in tooltips; unique among a chart's series
  std::vector<double> x{};        ///< strictly increasing
  std::vector<double> y{};        ///< one per x
  std::vector<line_band> bands{}; ///< uncertainty bands, drawn behind every line
  bool dashed = false;            ///< dashed line and hollow markers, e.g. for a projection or a comparison
};

/// How a line chart is labelled, scaled and sized.
struct line_chart_options {
  std::string title = "Trend";       ///< the chart's title and accessible name
  std::string description{};         ///< the `<desc>`; generated from the data when empty
  std::string x_label{};             ///< caption under the x axis, e.g. "Year"
  std::string y_label{};             ///< caption beside the y axis, e.g. "Share favourable"
  std::optional<double> y_min{};     ///< bottom of the y axis; a "nice" value covering lines and bands when empty
  std::optional<double> y_max{};     ///< top of the y axis; likewise
  std::optional<double> reference{}; ///< a horizontal reference line (0, a baseline ...); none when empty
  std::string reference_label{};     ///< printed at the right end of the reference line
  int decimals = 2;                  ///< fraction digits of values in tooltips and the description
  double width = 720.0;              ///< of the whole chart, pixels (320 or more)
  double height = 420.0;             ///< of the whole chart, pixels (240 or more); grows when a long legend needs it
};

/// Where a line chart puts things: the document size, the plot area in pixels, the value ranges mapped onto it and
/// the axis ticks. Returned by line_chart_layout(), so that callers (and tests) can find the pixel of a value.
struct line_chart_geometry {
  double width = 0.0;            ///< of the document
  double height = 0.0;           ///< of the document
  double plot_left = 0.0;        ///< x of the y axis
  double plot_top = 0.0;         ///< y of the top of the plot area
  double plot_width = 0.0;       ///< x of the right edge is plot_left + plot_width
  double plot_height = 0.0;      ///< y of the x axis is plot_top + plot_height
  double x_min = 0.0;            ///< value at the left edge of the plot area
  double x_max = 0.0;            ///< value at the right edge
  double y_min = 0.0;            ///< value at the bottom (the x axis)
  double y_max = 0.0;            ///< value at the top
  double x_step = 0.0;           ///< distance of x ticks
  double y_step = 0.0;           ///< distance of y ticks
  std::vector<double> x_ticks{}; ///< values of the x ticks, left to right
  std::vector<double> y_ticks{}; ///< values of the y ticks, bottom to top
  bool integer_x = false;        ///< every x is a whole number; x ticks are then whole numbers too

  /// Horizontal pixel position of the value `x`.
  double x_at(double x) const noexcept { return plot_left + (x - x_min) / (x_max - x_min) * plot_width; }
  /// Vertical pixel position of the value `y`.
  double y_at(double y) const noexcept { return plot_top + (y_max - y) / (y_max - y_min) * plot_height; }
};

/// Checks line chart input; every problem is reported: no series or more than 6 (the colours that stay apart), empty
/// or repeated series names, a series without points, x and y of different lengths, x not strictly increasing,
/// NaN, infinite or huge (1e15 or more) values anywhere, bands with an empty label, a bound count that differs from
/// the point count, or lower above upper (naming series, band and point), y values, bounds or the reference outside
/// an explicit y_min / y_max (rejected, not clamped: usually the wrong scale), y_min not below y_max, decimals
/// outside 0..6, and a width under 320 or a height under 240 pixels.
ETHOS_DECL std::vector<problem> check(const std::vector<line_series>& series, const line_chart_options& options);

/// The layout of a line chart for this data: document size, plot area, value ranges and ticks. The y range is
/// y_min..y_max where given, otherwise extended to a multiple of the tick step covering every line, band and the
/// reference; the x range is the data's with 4% room at either side (a single x gets one unit, or a tenth of its
/// value, each side; a constant y likewise), so that a scale never collapses. Throws validation_error listing
/// every problem (see check()).
ETHOS_DECL line_chart_geometry line_chart_layout(const std::vector<line_series>& series,
                                                 const line_chart_options& options = {});

/// A line chart of time series: each series a line with small markers, its bands (e.g. 50% and 90% intervals)
/// translucent areas of the same colour behind all lines, the wider band lighter; up to 6 series, dashed ones with
/// hollow markers. Axes with "nice" ticks and grid lines (whole-number x ticks when every x is a whole number),
/// axis captions, an optional dashed reference line, and a legend naming every series and band. Markers carry a
/// tooltip "name, x: y" followed by the point's intervals; bands name their series, label and span. Long names are
/// cut with an ellipsis and keep the full text in a tooltip. Throws validation_error listing every problem (see
/// check()).
///
///     ethos::svg::line_chart({{"Forecast", years, mean, {{"90% interval", lo90, hi90}}}}, {.title = "Index"});
ETHOS_DECL document line_chart_document(const std::vector<line_series>& series, const line_chart_options& options = {});

/// line_chart_document(series, options) as SVG text.
ETHOS_DECL std::string line_chart(const std::vector<line_series>& series, const line_chart_options& options = {});

} // namespace ethos::svg

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/report/impl/line_chart.ipp>
#endif
