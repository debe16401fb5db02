// A consumer program: uses the library at compile and run time, with the dependencies its package brings (Boost,
// fmt, Eigen). Linked with the compiled library it includes the umbrella header; header-only, the layers it uses
// (the umbrella header-only, every definition in one file, is compiled by the ODR check instead: 30 s a program).
#ifdef ETHOS_CONSUMER_COMPILED
#include <ethos/ethos.hpp>
#else
#include <ethos/framework.hpp>
#include <ethos/measure.hpp>
#include <ethos/stats/factor.hpp>
#include <ethos/version.hpp>
#endif

#include <cstdio>
#include <optional>
#include <vector>

#ifdef ETHOS_CONSUMER_JSON
#include <ethos/io/json.hpp>
#endif

#ifdef ETHOS_CONSUMER_COMPILED
// Linked with the compiled library: the headers declare, libethos.a defines, and neither Boost.Math nor
// nlohmann_json reached this translation unit through <ethos/ethos.hpp>.
#ifndef ETHOS_SEPARATE_COMPILATION
#error "ethos::compiled must define ETHOS_SEPARATE_COMPILATION for its consumers"
#endif
#if defined(BOOST_MATH_TOOLS_CONFIG_HPP) || defined(INCLUDE_NLOHMANN_JSON_HPP_)
#error "the separately compiled headers included Boost.Math or nlohmann_json"
#endif
#endif

static_assert(ethos::version.major == 0 && ethos::version.minor >= 1);
static_assert(ethos::from_string<ethos::building_block>("voice of the customer") ==
              ethos::building_block::voice_of_the_customer);

int main(int argc, char** argv) {
  const auto block = ethos::from_string<ethos::building_block>(argc > 1 ? argv[1] : "voice of the customer");
  if (!block) {
    return 1;
  }
  // Score one respondent with the bundled audit: the scoring engine (compiled in libethos.a, or inline).
  const ethos::instrument_view audit = ethos::instruments::service_culture_audit;
  ethos::response_builder responses(audit, {});
  const std::vector<std::optional<int>> answers(audit.items.size(), 4);
  responses.add("r1", answers, {});
  const auto scored = ethos::score(audit, responses.matrix());
  if (scored.constructs.empty() || scored.constructs.front().n != 1) {
    return 1;
  }
  // Omega of three items with covariances 0.5 and variances 1 (Eigen's factorisations, compiled in or inline):
  // loadings sqrt(0.5), residuals 0.5, so 4.5 / (4.5 + 1.5) = 0.75.
  const std::vector<double> s{1.0, 0.5, 0.5, 0.5, 1.0, 0.5, 0.5, 0.5, 1.0};
  const auto omega = ethos::omega_total(s, 100);
  if (!omega.omega || *omega.omega < 0.74 || *omega.omega > 0.76) {
    return 1;
  }
#ifdef ETHOS_CONSUMER_JSON
  // The installed JSON component reads back what it writes.
  const auto text = ethos::instrument_to_json_string(ethos::instruments::service_culture_audit);
  if (ethos::parse_instrument(text).definition().items.size() != 53) {
    return 1;
  }
#endif
  std::printf("ethos %.*s: building block %d is %.*s\n", static_cast<int>(ethos::version_string.size()),
              ethos::version_string.data(), ethos::ordinal(*block), static_cast<int>(ethos::to_string(*block).size()),
              ethos::to_string(*block).data());
  return 0;
}
