/// \file
/// \brief The radar (spider) chart: one axis per label (the twelve building blocks by default), up to three series
/// (the subject solid and filled, comparisons dashed), missing values drawn as gaps and never as the minimum.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/error.hpp>
#include <ethos/report/svg_writer.hpp>

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ethos::svg {

/// One series of a radar chart: a name for the legend and one value per axis, in axis order; an empty value is
/// "no data" and is drawn as a gap, never as the scale's minimum.
struct radar_series {
  std::string name{};                          ///< shown in the legend and in tooltips
  std::vector<std::optional<double>> values{}; ///< one per axis, in axis order; empty: no data
};

/// How a radar chart is labelled and scaled.
struct radar_options {
  std::string title = "Service culture profile"; ///< the chart's title and accessible name
  std::string description{};                     ///< the `<desc>`; generated from the data when empty
  double min = 0.0;                              ///< value at the centre
  double max = 100.0;                            ///< value at the outer ring
  std::vector<std::string> labels{}; ///< axis labels; empty means the twelve building blocks in their usual order
  int decimals = 0;                  ///< fraction digits of the printed values
};

/// Axis labels of the building blocks, in their usual order 1..12.
ETHOS_DECL std::vector<std::string> building_block_labels();

namespace detail {

struct series_style {
  std::string_view colour;
  std::string_view dash; // empty: solid
  double width;
  double fill_opacity; // 0: no fill
  bool hollow_marker;
};

// The first series is the subject (solid, filled); comparisons are dashed outlines in colours that stay apart
// for colour-blind readers (blue / orange / purple).
inline constexpr std::array<series_style, 3> radar_styles{{
    {"#1f5fa8", "", 2.5, 0.15, false},
    {"#b35806", "7 4", 2.0, 0.0, true},
    {"#6a3d9a", "2 3", 2.0, 0.0, true},
}};

ETHOS_DECL void apply_stroke(element& e, const series_style& s);

ETHOS_DECL element series_marker(point p, const series_style& s);

} // namespace detail

/// Checks radar input; every problem is reported: scale (min < max, finite), fewer than 3 axes, empty labels,
/// 0 or more than 3 series, empty series names, a series whose value count differs from the axis count, and values
/// that are NaN, infinite or outside min..max (rejected, not clamped: a value off the scale usually means the wrong
/// scale, e.g. a 0-1 share on a 0-100 chart, and clamping would hide that).
ETHOS_DECL std::vector<problem> check(const std::vector<radar_series>& series, const radar_options& options);

/// A radar (spider) chart: one axis per label, clockwise from the top, the scale's min at the centre and max on
/// the outer ring. The first series is drawn solid and filled, up to two comparisons (previous wave, benchmark)
/// as dashed outlines. A missing value leaves a gap in the outline and an "x" outside the ring, with the value
/// line under the axis label saying "no data". Each axis label carries the series' values in their colours.
/// Throws validation_error listing every problem (see check()).
///
///     ethos::svg::radar_chart({{"Wave 2", values}, {"Wave 1", previous}}, {.title = "Culture index"});
ETHOS_DECL document radar_document(const std::vector<radar_series>& series, const radar_options& options = {});

/// radar_document(series, options) as SVG text.
ETHOS_DECL std::string radar_chart(const std::vector<radar_series>& series, const radar_options& options = {});

} // namespace ethos::svg

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/report/impl/radar.ipp>
#endif
