// Must NOT compile: a row struct has a member (c_2) that is not an item; the error names it and the nearest item
// id (c2).
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
    std::array{ethos::item_spec{"c1", "One.", "c"}, ethos::item_spec{"c2", "Two.", "c"}}};
struct row {
  BOOST_HANA_DEFINE_STRUCT(row, (std::optional<int>, c1), (std::optional<int>, c_2));
};
void use(std::span<const row> rows) { (void)ethos::from_records(ethos::static_instrument<spec>{}, rows); }
