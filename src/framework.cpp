// ethos compiled library: the framework layer's definitions (with the shared error and detail helpers below it).
#include <ethos/detail/impl/nps.ipp>
#include <ethos/detail/impl/text.ipp>
#include <ethos/detail/impl/validation.ipp>
#include <ethos/framework/impl/core_values.ipp>
#include <ethos/framework/impl/transaction.ipp>
#include <ethos/impl/error.ipp>
