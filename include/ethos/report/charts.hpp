/// \file
/// \brief The SVG charts of a report (or, named unaudited, of an assessment or roll-up on its own): the constructs'
/// radar, the groups x constructs heatmap (suppressed groups marked, never drawn with a value) and the six-level
/// ratings.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/org/assessment.hpp>
#include <ethos/org/rollup.hpp>
#include <ethos/org/unaudited.hpp>
#include <ethos/report/svg_writer.hpp>

#include <cstddef>
#include <string>

namespace ethos {

struct survey_report;

/// The radar of a report's constructs: one axis per construct with its 0-100 index. When the constructs are the 12
/// building blocks, the axes are in building-block order with their labels, and a block the instrument does
/// not measure is shown as "no data", never as zero. Throws validation_error when there are fewer than 3 axes.
ETHOS_DECL svg::document assessment_radar(const survey_report& r);

/// assessment_radar of an assessment on its own, not audited (see unaudited).
ETHOS_DECL svg::document assessment_radar(unaudited<assessment> a);

/// The heatmap of a report's groups (rows, alphabetical) by constructs (columns): the favourable share in
/// percent. A suppressed group's row is marked as suppressed and carries no value at all.
ETHOS_DECL svg::document assessment_heatmap(const survey_report& r);

/// assessment_heatmap of an assessment on its own, not audited (see unaudited).
ETHOS_DECL svg::document assessment_heatmap(unaudited<assessment> a);

/// What a roll-up heatmap shows.
struct rollup_heatmap_options {
  std::size_t max_depth = 1; ///< units down to this depth (0: the organisation only; 1: top-level units ...)
  std::string title{};       ///< empty: "Favourable share (%) by unit and construct"
};

/// The heatmap of a report's units: units in tree order (rows, labelled by their id and respondents) by
/// constructs (columns), the favourable share in percent. Hidden cells are drawn hatched and carry no value at
/// all, cell by cell: a unit may show one construct and hide another whose scored respondents are fewer.
/// Throws ethos::error for a report without units.
ETHOS_DECL svg::document rollup_heatmap(const survey_report& r, const rollup_heatmap_options& opt = {});

/// rollup_heatmap of a roll-up on its own, not audited (see unaudited).
ETHOS_DECL svg::document rollup_heatmap(unaudited<org_rollup> r, const rollup_heatmap_options& opt = {});

/// The six-level ratings of a report's six-level items, one bar per item answered by at least k people.
ETHOS_DECL svg::document assessment_levels(const survey_report& r);

/// assessment_levels of an assessment on its own, not audited (see unaudited).
ETHOS_DECL svg::document assessment_levels(unaudited<assessment> a);

/// Every chart a report has, stacked in one SVG: the radar (when there are at least 3 constructs), the six-level
/// ratings (when the instrument has six-level items), the groups heatmap (when grouped) and, with units, the units
/// heatmap (down to depth 2, or 1 above 60 units).
ETHOS_DECL std::string assessment_svg(const survey_report& r);

/// assessment_svg of an assessment on its own (no units), not audited (see unaudited).
ETHOS_DECL std::string assessment_svg(unaudited<assessment> a);

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/report/impl/charts.ipp>
#endif
