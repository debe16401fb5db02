// ethos compiled library: the models layer's definitions.
#include <ethos/models/impl/chain.ipp>
#include <ethos/models/impl/group_analysis.ipp>
#include <ethos/models/impl/linkage.ipp>
#include <ethos/models/impl/measurement.ipp>
#include <ethos/models/impl/momentum.ipp>
#include <ethos/models/impl/random.ipp>
