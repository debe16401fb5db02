/// \file
/// \brief The HTML report of a survey: one self-contained page (inline CSS and SVG, no script, no font or file from
/// elsewhere) with a headline summary, the constructs, the profile radar, the groups and units heatmaps, the driver
/// chart, the wave comparison, the internal-service matrix, the measurement model, warnings and a key; accessible
/// (table headers, SVG titles and descriptions, colour-blind-safe palettes, contrast of at least 4.5:1) and
/// printable on A4 with no table cut across pages.
#pragma once

#include <ethos/detail/config.hpp>

#include <cstddef>
#include <iosfwd>
#include <string>

namespace ethos {

struct survey_report;                // ethos/org/report.hpp
struct measurement_model;            // ethos/models/measurement.hpp
struct measurement_invariance_model; // ethos/models/measurement.hpp

/// What the HTML report holds beyond the survey report, and how it is laid out.
struct html_report_options {
  std::string title{}; ///< the page's title and heading; empty: the instrument's title followed by "report"
  /// The measurement model section (research figures: not shown when fewer than k respondents answered every item).
  const measurement_model* measurement = nullptr;
  /// The measurement invariance section (not shown when a level compared has fewer than k complete rows).
  const measurement_invariance_model* invariance = nullptr;
  std::size_t max_unit_depth = 2; ///< units in the heatmap down to this depth (0: the organisation only) ...
  /// ... or down to depth 1 when more units than this would be listed (the unit results CSV has them all).
  std::size_t max_unit_rows = 400;
  double low_reliability = 0.70; ///< alpha and omega below this are marked low
};

/// The sections of the HTML report, in page order, as the `id` of each `<section>`; a section without content in
/// the report (no groups or units, no drivers, no earlier wave, no internal-service ratings, no measurement model)
/// is left out.
inline constexpr const char* html_report_sections[] = {"summary",  "constructs", "profile",          "heatmap",
                                                       "drivers",  "trend",      "internal-service", "measurement",
                                                       "warnings", "key"};

/// The report as one HTML page. Only figures the report shows appear: a hidden cell is hatched with its reason in
/// words and carries no value anywhere in the page (no attribute, tooltip, comment or hidden element). The page
/// needs nothing else to display or print.
///
///     std::ofstream("report.html") << ethos::report_html(ethos::prepare_report(inst, matrix));
ETHOS_DECL std::string report_html(const survey_report& r, const html_report_options& options = {});

/// Writes report_html(r, options) to `os`.
ETHOS_DECL void write_report_html(std::ostream& os, const survey_report& r, const html_report_options& options = {});

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/report/impl/html.ipp>
#endif
