// ethos/org/detail/assess_cache.hpp: what assess() reads from the rows of each construct, kept so that an
// assessment made again with other groups shown or hidden (the joint protection of a report, org/impl/report.ipp)
// does not read the rows again. Defined in org/impl/assessment.ipp. Not part of the API.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/measure/instrument.hpp>
#include <ethos/measure/response_matrix.hpp>
#include <ethos/measure/scoring.hpp>
#include <ethos/org/assessment.hpp>
#include <ethos/stats/agreement.hpp>
#include <ethos/stats/factor.hpp>
#include <ethos/stats/moments.hpp>
#include <ethos/stats/polychoric.hpp>
#include <ethos/stats/reliability.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace ethos::detail {

// One construct's figures from its rows, whichever groups are shown: reliability, and per level of the group column
// (every level) the agreement, the person-score moments, the answer bands and the respondents with a score.
struct construct_rows {
  reliability_result reliability;
  omega_result omega;
  ordinal_alpha_result ordinal_alpha;
  std::uint64_t fewest_pair_rows = 0; // the fewest respondents behind any of ordinal alpha's correlations
  std::vector<group_rwg_j> per_group; // rwg(j) per level, as agreement() gives it
  std::vector<running_moments> moments;
  std::vector<std::array<std::size_t, 3>> bands;
  std::vector<std::size_t> scored_n;
};

// Per construct, filled by the first assessment made with it; valid for the same instrument, responses, scores,
// group column and scoring options only.
struct assess_cache {
  std::vector<std::optional<construct_rows>> constructs;
};

// assess(), reading each construct's rows only when `cache` does not hold them yet (and then keeping them there).
ETHOS_DECL assessment assess_cached(const instrument_view& inst, const response_matrix& m, const scoring_result& scored,
                                    const assessment_options& opt, assess_cache& cache);

} // namespace ethos::detail
