// A consumer program: includes the umbrella header and uses the library at compile and run time.
#include <ethos/ethos.hpp>

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
