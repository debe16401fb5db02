// ethos compiled library: the measure layer's definitions.
#include <ethos/measure/impl/allocation.ipp>
#include <ethos/measure/impl/builder.ipp>
#include <ethos/measure/impl/gap.ipp>
#include <ethos/measure/impl/instrument.ipp>
#include <ethos/measure/impl/response_matrix.ipp>
#include <ethos/measure/impl/scoring.ipp>
