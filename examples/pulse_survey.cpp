// Embeds a small culture pulse in an application: a compile-time instrument (checked by the compiler),
// the application's own row struct reflected with Boost.Hana, and the scoring engine's summary.
#include <ethos/measure.hpp>
#include <ethos/measure/records.hpp>
#include <ethos/report/fmt.hpp>

#include <boost/hana/define_struct.hpp>
#include <fmt/format.h>

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace {

using ethos::building_block;
using ethos::construct_spec;
using ethos::item_spec;

// Two constructs of three items each, one reverse-keyed item in each, and an eNPS item.
inline constexpr ethos::instrument_spec pulse_spec{
    "pulse",
    "Service pulse",
    ethos::scales::agree5,
    std::array{construct_spec{"voice", "Listening to the people we serve", building_block::voice_of_the_customer},
               construct_spec{"recovery", "Putting things right", building_block::service_recovery_and_guarantees}},
    std::array{
        item_spec{"v1", "My team asks the people we serve what would help them most.", "voice"},
        item_spec{"v2", "Feedback from the people we serve changes how we work.", "voice"},
        item_spec{"v3", "We find out about problems only when someone complains loudly.", "voice", true},
        item_spec{"r1", "When we let someone down, we fix it quickly.", "recovery"},
        item_spec{"r2", "I may spend money or time to put a mistake right without asking first.", "recovery"},
        item_spec{"r3", "After a mistake, people here look for someone to blame.", "recovery", true},
        item_spec{"enps", "How likely are you to suggest this team to a friend looking for work?", "", false, 1.0,
                  std::nullopt, std::nullopt, ethos::response_format::nps},
    },
    "enps"};
using pulse = ethos::static_instrument<pulse_spec>; // a typo in an item's construct would not compile

// The application's own record type: member names are the item ids.
struct pulse_row {
  BOOST_HANA_DEFINE_STRUCT(pulse_row, (std::string, id), (std::string, team), (std::optional<int>, v1),
                           (std::optional<int>, v2), (std::optional<int>, v3), (std::optional<int>, r1),
                           (std::optional<int>, r2), (std::optional<int>, r3), (std::optional<int>, enps));
};

} // namespace

int main() {
  const std::vector<pulse_row> rows{
      {"a1", "Billing", 4, 4, 2, 5, 3, 1, 9},
      {"a2", "Billing", 5, 4, 1, 4, 4, 2, 10},
      {"a3", "Billing", 3, 3, 3, 3, 2, 3, 7},
      {"b1", "Field service", 2, 2, 4, 3, 1, 4, 4},
      {"b2", "Field service", 3, std::nullopt, 4, 2, 2, 5, 6},
      {"b3", "Field service", 4, 3, 2, 4, 3, 2, 8},
  };
  try {
    const auto matrix = ethos::from_records(pulse{}, std::span<const pulse_row>(rows));
    const auto result = ethos::score(pulse{}, matrix);
    fmt::print("{} ({} respondents)\n\n", pulse::view().title, matrix.rows());
    fmt::print("{:<34} {:>3} {:>6} {:>6} {:>6} {:>6}\n", "construct", "n", "mean", "sd", "index", "fav");
    for (const auto& c : result.constructs) {
      fmt::print("{:<34} {:>3} {:>6.2f} {:>6.2f} {:>6.1f} {:>5.0f}%\n", c.label, c.n, c.mean.value_or(0.0),
                 c.sd.value_or(0.0), c.index.value_or(0.0), 100.0 * c.favorable.value_or(0.0));
    }
    if (result.enps && result.enps->score) {
      fmt::print("\neNPS {:+.0f} (standard error {:.1f}; {} promoters, {} passives, {} detractors)\n",
                 *result.enps->score, *result.enps->se, result.enps->promoters, result.enps->passives,
                 result.enps->detractors);
    }
  } catch (const ethos::error& e) {
    fmt::print(stderr, "{}\n", e.what());
    return 1;
  }
  return 0;
}
