// Must NOT compile: construct solo has a single item; the error names it.
// (ctest builds this file and passes only when the compiler stops with the expected static_assert message and
// names the offender as a template argument.)
#include <ethos/measure.hpp>

#include <boost/hana/define_struct.hpp>

#include <array>
#include <optional>
#include <span>

inline constexpr ethos::instrument_spec spec{
    "bad", "Bad", ethos::scales::agree5,
    std::array{ethos::construct_spec{"c", "C"}, ethos::construct_spec{"solo", "Solo"}},
    std::array{ethos::item_spec{"q1", "One.", "c"}, ethos::item_spec{"q2", "Two.", "c"},
               ethos::item_spec{"q3", "Three.", "solo"}}};
template class ethos::static_instrument<spec>;
