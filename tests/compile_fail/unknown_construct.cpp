// Must NOT compile: item q3 names a construct (voise) the instrument does not define; the error names both and the
// nearest construct key (voice).
// (ctest builds this file and passes only when the compiler stops with the expected static_assert message and
// names the offender as a template argument.)
#include <ethos/measure.hpp>

#include <boost/hana/define_struct.hpp>

#include <array>
#include <optional>
#include <span>

inline constexpr ethos::instrument_spec spec{
    "bad", "Bad", ethos::scales::agree5, std::array{ethos::construct_spec{"voice", "Voice"}},
    std::array{ethos::item_spec{"q1", "One.", "voice"}, ethos::item_spec{"q2", "Two.", "voice"},
               ethos::item_spec{"q3", "Three.", "voise"}}};
template class ethos::static_instrument<spec>;
