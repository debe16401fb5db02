/// \file
/// \brief The report layer: the SVG writer and charts (radar, heatmap, six-level distribution, line chart), the
/// charts of an assessment, and the plain-text reports (assessment and organisation sections).
///
/// The fmt::formatter specialisations of ethos's types are opt-in: include <ethos/report/fmt.hpp> for them.
#pragma once

#include <ethos/report/charts.hpp>
#include <ethos/report/driver_chart.hpp>
#include <ethos/report/heatmap.hpp>
#include <ethos/report/html.hpp>
#include <ethos/report/level_chart.hpp>
#include <ethos/report/line_chart.hpp>
#include <ethos/report/measurement_text.hpp>
#include <ethos/report/org_text.hpp>
#include <ethos/report/radar.hpp>
#include <ethos/report/svg.hpp>
#include <ethos/report/svg_writer.hpp>
#include <ethos/report/text.hpp>
