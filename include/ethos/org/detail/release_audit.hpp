// ethos/org/detail/release_audit.hpp: the release audit of a report on its own (its cells that are not fixed, i.e.
// without earlier releases) and the protection that reconsiders cells hidden on entry, shared by
// org/impl/release.ipp, which defines them, and org/impl/report.ipp. Not part of the API.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/org/release.hpp>

#include <cstddef>
#include <cstdint>

namespace ethos::detail {

// audit_release, optionally of the cells that are not fixed only.
ETHOS_DECL release_audit_result audit_release_cells(const release& r, std::size_t min_group_size,
                                                    std::uint64_t search_budget, bool skip_fixed);

// protect_release; with `reconsider_hidden`, cells hidden as `secondary` on entry go in too, hidden, and come back
// shown when the shown cells determine them anyway.
ETHOS_DECL bool protect_release_cells(release& r, std::size_t min_group_size, std::uint64_t search_budget,
                                      bool reconsider_hidden);

} // namespace ethos::detail
