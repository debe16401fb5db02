// Must NOT compile: a row struct lacks a member for item q2; the error names it.
// (ctest builds this file and passes only when the compiler stops with the expected static_assert message and
// names the offender as a template argument.)
#include <ethos/measure.hpp>
#include <ethos/measure/records.hpp>

#include <boost/hana/define_struct.hpp>

#include <array>
#include <optional>
#include <span>

inline constexpr ethos::instrument_spec spec{
    "ok", "OK", ethos::scales::agree5, std::array{ethos::construct_spec{"c", "C"}},
    std::array{ethos::item_spec{"q1", "One.", "c"}, ethos::item_spec{"q2", "Two.", "c"}}};
struct row {
  BOOST_HANA_DEFINE_STRUCT(row, (std::optional<int>, q1));
};
void use(std::span<const row> rows) { (void)ethos::from_records(ethos::static_instrument<spec>{}, rows); }
