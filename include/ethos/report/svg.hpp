/// \file
/// \brief The SVG writer and the three survey charts (building-block radar, group heatmap, six-level distribution
/// of a transaction's perception points) that take plain data.
///
/// An umbrella: the writer is <ethos/report/svg_writer.hpp>, the charts <ethos/report/radar.hpp>,
/// <ethos/report/heatmap.hpp> and <ethos/report/level_chart.hpp>; include one of them to take in less.
#pragma once

#include <ethos/report/heatmap.hpp>
#include <ethos/report/level_chart.hpp>
#include <ethos/report/radar.hpp>
#include <ethos/report/svg_writer.hpp>
