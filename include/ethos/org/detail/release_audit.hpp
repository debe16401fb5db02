// ethos/org/detail/release_audit.hpp: the release audit of a report on its own (its cells that are not fixed, i.e.
// without earlier releases), shared by org/impl/release.ipp, which defines it, and org/impl/report.ipp. Not part of
// the API.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/org/release.hpp>

#include <cstddef>
#include <cstdint>

namespace ethos::detail {

// audit_release, optionally of the cells that are not fixed only.
ETHOS_DECL release_audit_result audit_release_cells(const release& r, std::size_t min_group_size,
                                                    std::uint64_t search_budget, bool skip_fixed);

} // namespace ethos::detail
