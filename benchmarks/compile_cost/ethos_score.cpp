// Compile-cost probe: what an application's translation unit pays to use ethos (the umbrella header, an
// instrument view and one call of the scoring engine). Built by benchmarks/compile_cost.sh, header-only and with
// -DETHOS_SEPARATE_COMPILATION, against fmt_print.cpp.
#include <ethos/ethos.hpp>

int main() {
  const ethos::instrument_view audit = ethos::instruments::service_culture_audit;
  ethos::response_builder responses(audit, {});
  const auto result = ethos::score(audit, responses.matrix());
  return result.constructs.empty() ? 1 : 0;
}
