// ethos compiled library: the report layer's definitions.
#include <ethos/report/impl/charts.ipp>
#include <ethos/report/impl/driver_chart.ipp>
#include <ethos/report/impl/fmt.ipp>
#include <ethos/report/impl/heatmap.ipp>
#include <ethos/report/impl/html.ipp>
#include <ethos/report/impl/level_chart.ipp>
#include <ethos/report/impl/line_chart.ipp>
#include <ethos/report/impl/measurement_text.ipp>
#include <ethos/report/impl/org_text.ipp>
#include <ethos/report/impl/radar.ipp>
#include <ethos/report/impl/svg_writer.ipp>
#include <ethos/report/impl/text.ipp>
