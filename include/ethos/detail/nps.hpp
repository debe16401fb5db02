// ethos/detail/nps.hpp: the NPS score and its standard error from group counts (shared by scoring and stats).
#pragma once

#include <ethos/detail/config.hpp>

#include <cstddef>
#include <optional>

namespace ethos::detail {

struct nps_estimate {
  double score; ///< 100 (p - d), in [-100, 100]
  double se;    ///< 100 sqrt((p + d - (p - d)^2) / n)
};

/// Score and standard error as docs/statistics.md defines them; empty when there are no answers.
ETHOS_DECL std::optional<nps_estimate> nps_from_counts(std::size_t promoters, std::size_t passives,
                                                       std::size_t detractors) noexcept;

} // namespace ethos::detail

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/detail/impl/nps.ipp>
#endif
