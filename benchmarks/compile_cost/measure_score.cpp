// Compile-cost probe: the same program as ethos_score.cpp through the layer it uses (<ethos/measure.hpp>) instead of
// the umbrella of the whole library. Built by benchmarks/compile_cost.sh, against fmt_print.cpp.
#include <ethos/measure.hpp>

int main() {
  const ethos::instrument_view audit = ethos::instruments::service_culture_audit;
  ethos::response_builder responses(audit, {});
  const auto result = ethos::score(audit, responses.matrix());
  return result.constructs.empty() ? 1 : 0;
}
