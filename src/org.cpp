// ethos compiled library: the org layer's definitions.
#include <ethos/org/impl/assessment.ipp>
#include <ethos/org/impl/disclosure.ipp>
#include <ethos/org/impl/drivers.ipp>
#include <ethos/org/impl/internal_service.ipp>
#include <ethos/org/impl/protected_groups.ipp>
#include <ethos/org/impl/release.ipp>
#include <ethos/org/impl/report.ipp>
#include <ethos/org/impl/rollup.ipp>
#include <ethos/org/impl/trend.ipp>
#include <ethos/org/impl/unit_drivers.ipp>
#include <ethos/org/impl/units.ipp>
