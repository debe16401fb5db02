// ethos/ethos.hpp: the umbrella header; includes the whole library except optional pieces (io/json.hpp).
#pragma once

#include <ethos/error.hpp>
#include <ethos/framework.hpp>
#include <ethos/io/csv.hpp>
#include <ethos/io/internal_service_csv.hpp>
#include <ethos/io/unit_table_csv.hpp>
#include <ethos/io/units_csv.hpp>
#include <ethos/measure.hpp>
#include <ethos/models.hpp>
#include <ethos/org/assessment.hpp>
#include <ethos/org/organisation.hpp>
#include <ethos/org/release.hpp>
#include <ethos/org/report.hpp>
#include <ethos/report/charts.hpp>
#include <ethos/report/fmt.hpp>
#include <ethos/report/line_chart.hpp>
#include <ethos/report/org_text.hpp>
#include <ethos/report/svg.hpp>
#include <ethos/report/text.hpp>
#include <ethos/stats.hpp>
#include <ethos/version.hpp>
