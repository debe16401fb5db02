// ethos/org/detail/release_audit.hpp: release internals shared by org/impl/release.ipp, which defines them, and
// org/impl/report.ipp: the expansion of cells given by classes, the audit of a report on its own (its cells that are
// not fixed, i.e. without earlier releases) and the protection that reconsiders cells hidden on entry. Not part of
// the API.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/error.hpp>
#include <ethos/org/release.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace ethos::detail {

// The elements of each class of a space (those its domain covers are picked when a cell is expanded).
struct class_members {
  std::vector<std::uint32_t> first; // per class: offset into `elements`; one more at the end
  std::vector<std::uint32_t> elements;
};

// The elements of each class of `s` (release_space::class_of).
ETHOS_DECL class_members class_members_of(const release_space& s);

// The elements of cell `c` (its members, or the covered elements of its classes), sorted.
ETHOS_DECL std::vector<std::uint32_t> expand_cell(const release& r, const release_cell& c, const class_members& cm);

// audit_release, optionally of the cells that are not fixed only; the domains on up to `threads` threads (0: one
// per hardware thread).
// Adds the audit `a` of domain `domain` to `out`: its counts, and its findings with their cells mapped through
// `index` (a finding's cell i is index[i]; empty: i itself).
ETHOS_DECL void add_domain_audit(release_audit_result& out, const std::string& domain, const disclosure_audit_result& a,
                                 std::span<const std::size_t> index);

ETHOS_DECL release_audit_result audit_release_cells(const release& r, std::size_t min_group_size,
                                                    std::uint64_t search_budget, bool skip_fixed,
                                                    std::size_t threads = 1);

// protect_release; with `reconsider_hidden`, cells hidden as `secondary` on entry go in too, hidden, and come back
// shown when the shown cells determine them anyway.
// True when no two elements of `s` share a person key (each element is a person of its own).
ETHOS_DECL bool persons_distinct(const release_space& s);

// What `protect` returns for the cells of domain `name`, its errors naming the domain.
template <class Protect>
bool in_domain(const std::string& name, Protect&& protect) {
  try {
    return protect();
  } catch (const error& e) {
    throw error("release, domain '" + name + "': " + e.what());
  }
}

ETHOS_DECL bool protect_release_cells(release& r, std::size_t min_group_size, std::uint64_t search_budget,
                                      bool reconsider_hidden, std::size_t threads = 1);

} // namespace ethos::detail
