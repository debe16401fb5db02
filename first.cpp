#include <ethos/ethos.hpp>

#include <fmt/format.h>

int main() {
  // The vocabulary works at compile time and at run time.
  static_assert(ethos::from_string<ethos::building_block>("voice of the customer") ==
                ethos::building_block::voice_of_the_customer);

  // Read the bundled sample survey and score it with the bundled 48-item audit.
  const ethos::instrument_view audit = ethos::instruments::service_culture_audit;
  const auto survey = ethos::read_responses_file("examples/data/sample_survey.csv", audit);
  const auto result = ethos::score(audit, survey.matrix);
  for (const auto& c : result.constructs) {
    fmt::print("{:<34} n={} mean={}\n", c.label, c.n, c.mean ? fmt::format("{:.2f}", *c.mean) : c.reason);
  }
}
