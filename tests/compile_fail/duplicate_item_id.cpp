// Must NOT compile: two items share the id q1; the error names it.
// (ctest builds this file and passes only when the compiler stops with the expected static_assert message and
// names the offender as a template argument.)
#include <ethos/measure.hpp>

#include <boost/hana/define_struct.hpp>

#include <array>
#include <optional>
#include <span>

inline constexpr ethos::instrument_spec spec{
    "bad", "Bad", ethos::scales::agree5, std::array{ethos::construct_spec{"c", "C"}},
    std::array{ethos::item_spec{"q1", "One.", "c"}, ethos::item_spec{"q1", "Again.", "c"}}};
template class ethos::static_instrument<spec>;
