// ethos compiled library: the io layer's JSON definitions (the component ethos::json; needs nlohmann_json).
#include <ethos/io/impl/json_accumulator.ipp>
#include <ethos/io/impl/json_dom.ipp>
#include <ethos/io/impl/json_instrument.ipp>
#include <ethos/io/impl/json_plumbing.ipp>
#include <ethos/io/impl/json_results.ipp>
