// ethos compiled library: the stats layer's definitions.
#include <ethos/stats/impl/accumulator.ipp>
#include <ethos/stats/impl/agreement.ipp>
#include <ethos/stats/impl/compare.ipp>
#include <ethos/stats/impl/covariance.ipp>
#include <ethos/stats/impl/drivers.ipp>
#include <ethos/stats/impl/factor.ipp>
#include <ethos/stats/impl/moments.ipp>
#include <ethos/stats/impl/polychoric.ipp>
#include <ethos/stats/impl/reliability.ipp>
