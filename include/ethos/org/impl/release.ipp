// ethos/org/impl/release.ipp: definitions of ethos/org/release.hpp (compiled into ethos::compiled, or included by
// the header in header-only mode).
#pragma once

#include <ethos/org/release.hpp>

#include <ethos/detail/buckets.hpp>
#include <ethos/detail/parallel.hpp>
#include <ethos/error.hpp>
#include <ethos/org/detail/classes.hpp>
#include <ethos/org/detail/release_audit.hpp>
#include <ethos/org/disclosure.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <random>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ethos {

namespace detail {

// SipHash-2-4 (Aumasson and Bernstein): a keyed 64-bit hash. Fingerprints in a ledger are keyed with the ledger's
// own salt, so that two ledgers never share a fingerprint.
ETHOS_DECL std::uint64_t siphash24(const std::array<std::uint64_t, 2>& key, std::string_view data) noexcept {
  const auto rotl = [](std::uint64_t x, int b) { return (x << b) | (x >> (64 - b)); };
  std::uint64_t v0 = 0x736f6d6570736575ULL ^ key[0];
  std::uint64_t v1 = 0x646f72616e646f6dULL ^ key[1];
  std::uint64_t v2 = 0x6c7967656e657261ULL ^ key[0];
  std::uint64_t v3 = 0x7465646279746573ULL ^ key[1];
  const auto round = [&] {
    v0 += v1;
    v1 = rotl(v1, 13);
    v1 ^= v0;
    v0 = rotl(v0, 32);
    v2 += v3;
    v3 = rotl(v3, 16);
    v3 ^= v2;
    v0 += v3;
    v3 = rotl(v3, 21);
    v3 ^= v0;
    v2 += v1;
    v1 = rotl(v1, 17);
    v1 ^= v2;
    v2 = rotl(v2, 32);
  };
  const std::size_t n = data.size();
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t m = 0;
    for (std::size_t b = 0; b < 8; ++b) {
      m |= static_cast<std::uint64_t>(static_cast<unsigned char>(data[i + b])) << (8 * b);
    }
    v3 ^= m;
    round();
    round();
    v0 ^= m;
  }
  std::uint64_t last = static_cast<std::uint64_t>(n & 0xFFU) << 56;
  for (std::size_t b = 0; i + b < n; ++b) {
    last |= static_cast<std::uint64_t>(static_cast<unsigned char>(data[i + b])) << (8 * b);
  }
  v3 ^= last;
  round();
  round();
  v0 ^= last;
  v2 ^= 0xFF;
  round();
  round();
  round();
  round();
  return v0 ^ v1 ^ v2 ^ v3;
}

ETHOS_DECL std::string hex64(std::uint64_t x) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s(16, '0');
  for (int i = 15; i >= 0; --i) {
    s[static_cast<std::size_t>(i)] = digits[x & 0xFU];
    x >>= 4U;
  }
  return s;
}

ETHOS_DECL std::optional<std::uint64_t> parse_hex64(std::string_view s) {
  if (s.size() != 16) {
    return std::nullopt;
  }
  std::uint64_t x = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), x, 16);
  if (ec != std::errc{} || p != s.data() + s.size()) {
    return std::nullopt;
  }
  return x;
}

} // namespace detail

namespace detail {

// The index of the space called `name` in `spaces`, added (empty) if there is none.
ETHOS_DECL std::size_t space_named(std::vector<release_space>& spaces, std::string_view name) {
  for (std::size_t i = 0; i < spaces.size(); ++i) {
    if (spaces[i].name == name) {
      return i;
    }
  }
  spaces.push_back({std::string(name), {}, {}, {}});
  return spaces.size() - 1;
}

// The index of the domain called `name` (over space `sp`) in `domains`, added if there is none.
ETHOS_DECL std::size_t domain_named(std::vector<release_domain>& domains, std::string_view name, std::size_t sp) {
  for (std::size_t i = 0; i < domains.size(); ++i) {
    if (domains[i].name == name) {
      if (domains[i].space != sp) {
        throw error("release: domain '" + std::string(name) + "' is over two spaces");
      }
      return i;
    }
  }
  domains.push_back({std::string(name), sp, {}});
  return domains.size() - 1;
}

// Elements of a space by (person key, value fingerprint): the first element with each pair.
using element_index = hash_slots;

// The element of `s` with this person key and value fingerprint; when `ix` has none, `position` is indexed for it.
ETHOS_DECL std::uint32_t index_element(const release_space& s, element_index& ix, std::uint64_t person,
                                       std::uint64_t value, std::uint32_t position) {
  return ix.find_or_insert(
      hash_pair(person, value), [&](std::uint32_t e) { return s.person[e] == person && s.value[e] == value; },
      position);
}

ETHOS_DECL element_index index_elements(const release_space& s) {
  element_index ix;
  for (std::uint32_t e = 0; e < s.size(); ++e) {
    index_element(s, ix, s.person[e], s.value[e], e);
  }
  return ix;
}

// The element of `s` with this person key and value fingerprint, appended (and indexed) if there is none.
ETHOS_DECL std::uint32_t element_of(release_space& s, element_index& ix, std::uint64_t person, std::uint64_t value) {
  const auto next = static_cast<std::uint32_t>(s.size());
  const std::uint32_t e = index_element(s, ix, person, value, next);
  if (e == next) {
    s.person.push_back(person);
    s.value.push_back(value);
  }
  return e;
}

} // namespace detail

namespace detail {

ETHOS_DECL class_members class_members_of(const release_space& s) {
  class_members cm;
  std::uint32_t classes = 0;
  for (const auto cl : s.class_of) {
    if (cl != no_class) {
      classes = std::max(classes, cl + 1);
    }
  }
  cm.first.assign(classes + 1, 0);
  for (const auto cl : s.class_of) {
    if (cl != no_class) {
      ++cm.first[cl + 1];
    }
  }
  for (std::uint32_t cl = 0; cl < classes; ++cl) {
    cm.first[cl + 1] += cm.first[cl];
  }
  cm.elements.resize(cm.first[classes]);
  std::vector<std::uint32_t> fill(cm.first.begin(), cm.first.end() - 1);
  for (std::uint32_t e = 0; e < s.class_of.size(); ++e) {
    if (s.class_of[e] != no_class) {
      cm.elements[fill[s.class_of[e]]++] = e;
    }
  }
  return cm;
}

// The elements of cell `c` (its members, or the covered elements of its classes), sorted.
ETHOS_DECL std::vector<std::uint32_t> expand_cell(const release& r, const release_cell& c, const class_members& cm) {
  if (c.classes.empty()) {
    return c.members;
  }
  const auto& dom = r.domains.at(c.domain);
  std::vector<std::uint32_t> out;
  for (const auto cl : c.classes) {
    if (cl + 1 >= cm.first.size()) {
      continue;
    }
    for (std::uint32_t i = cm.first[cl]; i < cm.first[cl + 1]; ++i) {
      const std::uint32_t e = cm.elements[i];
      if (dom.covers.empty() || dom.covers[e]) {
        out.push_back(e);
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// True when no two elements of `s` share a person key (each element is a person of its own).
ETHOS_DECL bool persons_distinct(const release_space& s) {
  bool identity = true;
  for (std::size_t e = 0; e < s.size() && identity; ++e) {
    identity = s.person[e] == e;
  }
  if (identity) {
    return true;
  }
  std::vector<std::uint64_t> keys = s.person;
  std::sort(keys.begin(), keys.end());
  return std::adjacent_find(keys.begin(), keys.end()) == keys.end();
}

// The cells of domain `d` with the given statuses, either as classes (when every cell of the domain is given by
// classes and each element of the space is a person of its own: then only the number of covered elements per class
// matters) or as members with their person_of map (empty when every element is its own person); and the map from
// their position to the release's cell index.
struct domain_view {
  bool counted = false;
  class_input classes; // counted: spans into the release's cells
  std::vector<disclosure_cell> cells;
  std::vector<std::size_t> index;
  std::vector<std::uint32_t> person_of;

  [[nodiscard]] bool empty() const noexcept { return index.empty(); }
};

ETHOS_DECL void check_cell(const release& r, const release_cell& cell) {
  if (cell.kind >= r.kinds.size()) {
    throw error("release: cell '" + cell.label + "' is of kind " + std::to_string(cell.kind) + ", but there are " +
                std::to_string(r.kinds.size()));
  }
  const auto& dom = r.domains.at(cell.domain);
  const auto& space = r.spaces.at(dom.space);
  for (const auto e : cell.members) {
    if (e >= space.size()) {
      throw error("release: cell '" + cell.label + "' names element " + std::to_string(e) + " of space '" + space.name +
                  "', which has " + std::to_string(space.size()));
    }
  }
  if (!cell.classes.empty() && !cell.members.empty()) {
    throw error("release: cell '" + cell.label + "' gives both members and classes");
  }
  if (!cell.classes.empty() && space.class_of.size() != space.size()) {
    throw error("release: cell '" + cell.label + "' is given by classes, but space '" + space.name +
                "' has no class for each element");
  }
  if (!dom.covers.empty() && dom.covers.size() != space.size()) {
    throw error("release: domain '" + dom.name + "' covers " + std::to_string(dom.covers.size()) +
                " elements, but space '" + space.name + "' has " + std::to_string(space.size()));
  }
}

// The cells of each domain of `r`, in order: two passes over the cells, however many domains.
ETHOS_DECL buckets cells_by_domain(const release& r) {
  if (r.cells.size() > std::numeric_limits<std::uint32_t>::max()) {
    throw error("release: " + std::to_string(r.cells.size()) + " cells are more than one release can hold");
  }
  for (const auto& cell : r.cells) {
    if (cell.domain >= r.domains.size()) {
      throw error("release: cell '" + cell.label + "' names domain " + std::to_string(cell.domain) +
                  ", but there are " + std::to_string(r.domains.size()));
    }
  }
  return bucket_by(r.domains.size(), r.cells.size(), [&](std::size_t c) { return r.cells[c].domain; });
}

// The view of domain `d` over its cells `of_domain` (cells_by_domain).
ETHOS_DECL domain_view view_of_domain(const release& r, std::size_t d, std::span<const std::uint32_t> of_domain,
                                      bool shown_only, std::span<const signed char> distinct, bool skip_fixed = false,
                                      bool with_secondary = false) {
  domain_view v;
  const auto& dom = r.domains.at(d);
  const auto& space = r.spaces.at(dom.space);
  bool all_classes = true;
  for (const auto c : of_domain) {
    const auto& cell = r.cells[c];
    const bool wanted =
        cell.status == suppression::none || (with_secondary && cell.status == suppression::secondary && !cell.fixed);
    if ((shown_only && !wanted) || (skip_fixed && cell.fixed)) {
      continue;
    }
    check_cell(r, cell);
    all_classes = all_classes && (!cell.classes.empty() || cell.members.empty());
    v.index.push_back(c);
  }
  if (all_classes && distinct[dom.space] == 1) {
    v.counted = true;
    std::uint32_t classes = 0;
    for (const auto c : v.index) {
      for (const auto cl : r.cells[c].classes) {
        classes = std::max(classes, cl + 1);
      }
    }
    v.classes.size.assign(std::max<std::uint32_t>(classes, 1), 0); // one class at least: the counted kind
    for (std::size_t e = 0; e < space.class_of.size(); ++e) {
      const auto cl = space.class_of[e];
      if (cl < classes && (dom.covers.empty() || dom.covers[e])) {
        ++v.classes.size[cl];
      }
    }
    for (const auto c : v.index) {
      const auto& cl = r.cells[c].classes;
      for (std::size_t i = 1; i < cl.size(); ++i) {
        if (cl[i] <= cl[i - 1]) {
          throw error("release: cell '" + r.cells[c].label + "': classes are not sorted and unique");
        }
      }
      v.classes.cells.emplace_back(cl);
      v.classes.labels.emplace_back(r.cells[c].label);
    }
    return v;
  }
  const bool any_classes =
      std::any_of(v.index.begin(), v.index.end(), [&](std::size_t c) { return !r.cells[c].classes.empty(); });
  const class_members cm = any_classes ? class_members_of(space) : class_members{};
  for (const auto c : v.index) {
    v.cells.push_back({r.cells[c].label, expand_cell(r, r.cells[c], cm)});
  }
  // Persons: elements with equal person keys. Only elements in these cells matter.
  std::unordered_map<std::uint64_t, std::uint32_t> person_index;
  std::vector<std::uint32_t> person_of(space.size(), 0);
  bool shared = false;
  std::vector<unsigned char> seen(space.size(), 0);
  for (const auto& c : v.cells) {
    for (const auto e : c.members) {
      if (seen[e] != 0) {
        continue;
      }
      seen[e] = 1;
      const auto [it, fresh] =
          person_index.try_emplace(space.person[e], static_cast<std::uint32_t>(person_index.size()));
      shared = shared || !fresh;
      person_of[e] = it->second;
    }
  }
  if (shared) {
    v.person_of = std::move(person_of);
  }
  return v;
}

} // namespace detail

ETHOS_DECL std::uint64_t release_fingerprint(const release_salt& salt, std::string_view text) noexcept {
  return detail::siphash24(salt, text);
}

ETHOS_DECL std::vector<std::uint32_t> members_of(const release& r, const release_cell& c) {
  detail::check_cell(r, c);
  if (c.classes.empty()) {
    return c.members;
  }
  return detail::expand_cell(r, c, detail::class_members_of(r.spaces.at(r.domains.at(c.domain).space)));
}

ETHOS_DECL std::size_t release::space(std::string_view name) { return detail::space_named(spaces, name); }

ETHOS_DECL std::size_t release::domain(std::string_view name, std::size_t sp) {
  return detail::domain_named(domains, name, sp);
}

ETHOS_DECL std::uint32_t release::kind(std::string_view section, std::string_view figures) {
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    if (kinds[i].section == section && kinds[i].figures == figures) {
      return static_cast<std::uint32_t>(i);
    }
  }
  kinds.push_back({std::string(section), std::string(figures)});
  return static_cast<std::uint32_t>(kinds.size() - 1);
}

namespace detail {

// Whether each space's elements are persons of their own (persons_distinct), for the spaces the domains use; worked
// out before the domains are, so that domains on several threads only read it.
ETHOS_DECL std::vector<signed char> spaces_distinct(const release& r) {
  std::vector<signed char> distinct(r.spaces.size(), -1);
  for (const auto& dom : r.domains) {
    if (dom.space < distinct.size() && distinct[dom.space] < 0) {
      distinct[dom.space] = persons_distinct(r.spaces[dom.space]) ? 1 : 0;
    }
  }
  return distinct;
}

ETHOS_DECL bool protect_release_cells(release& r, std::size_t min_group_size, std::uint64_t search_budget,
                                      bool reconsider_hidden, std::size_t threads) {
  const auto by_domain = cells_by_domain(r);
  const auto distinct = spaces_distinct(r);
  // Each domain writes the statuses of its own cells only.
  std::vector<unsigned char> domain_proven(r.domains.size(), 1);
  parallel_for(r.domains.size(), threads, [&](std::size_t d) {
    auto v = detail::view_of_domain(r, d, by_domain[d], true, distinct, false, reconsider_hidden);
    if (v.empty()) {
      return;
    }
    std::vector<suppression> st;
    std::vector<int> keep;
    std::vector<unsigned char> fixed;
    for (const auto c : v.index) {
      st.push_back(r.cells[c].status == suppression::secondary ? suppression::secondary : suppression::none);
      keep.push_back(r.cells[c].keep);
      fixed.push_back(r.cells[c].fixed ? 1 : 0);
    }
    disclosure_options opt;
    opt.min_group_size = min_group_size;
    opt.person_of = v.person_of;
    opt.search_budget = search_budget;
    domain_proven[d] = in_domain(r.domains[d].name,
                                 [&] {
                                   return v.counted ? detail::protect_classes(v.classes, st, keep, fixed, opt)
                                                    : protect_cells(v.cells, st, keep, fixed, opt);
                                 })
                           ? 1
                           : 0;
    for (std::size_t i = 0; i < v.index.size(); ++i) {
      r.cells[v.index[i]].status = st[i];
    }
  });
  return std::find(domain_proven.begin(), domain_proven.end(), 0) == domain_proven.end();
}

} // namespace detail

ETHOS_DECL bool protect_release(release& r, std::size_t min_group_size, std::uint64_t search_budget) {
  return detail::protect_release_cells(r, min_group_size, search_budget, false, 1);
}

namespace detail {

ETHOS_DECL release_audit_result audit_release_cells(const release& r, std::size_t min_group_size,
                                                    std::uint64_t search_budget, bool skip_fixed, std::size_t threads) {
  release_audit_result out;
  const auto by_domain = cells_by_domain(r);
  const auto distinct = spaces_distinct(r);
  // Each domain on its own; the results gathered in domain order.
  std::vector<std::optional<disclosure_audit_result>> audits(r.domains.size());
  std::vector<std::vector<std::size_t>> indices(r.domains.size());
  parallel_for(r.domains.size(), threads, [&](std::size_t d) {
    const auto v = detail::view_of_domain(r, d, by_domain[d], true, distinct, skip_fixed);
    if (v.empty()) {
      return;
    }
    disclosure_options opt;
    opt.min_group_size = min_group_size;
    opt.person_of = v.person_of;
    opt.search_budget = search_budget;
    audits[d] = v.counted ? detail::audit_classes(v.classes, opt) : disclosure_audit(v.cells, opt);
    indices[d] = v.index;
  });
  for (std::size_t d = 0; d < r.domains.size(); ++d) {
    if (audits[d]) {
      add_domain_audit(out, r.domains[d].name, *audits[d], indices[d]);
    }
  }
  return out;
}

ETHOS_DECL void add_domain_audit(release_audit_result& out, const std::string& domain, const disclosure_audit_result& a,
                                 std::span<const std::size_t> index) {
  ++out.domains;
  out.cells += a.cells;
  out.small_dimension += a.small_dimension;
  out.complete = out.complete && a.complete;
  out.passed = out.passed && a.passed;
  for (const auto& f : a.findings) {
    release_finding rf;
    rf.domain = domain;
    rf.kind = f.kind;
    for (const auto c : f.cells) {
      rf.cells.push_back(index.empty() ? c : index[c]);
    }
    rf.persons = f.person_count;
    rf.message = domain + ": " + f.message;
    out.findings.push_back(std::move(rf));
  }
}

} // namespace detail

ETHOS_DECL release_audit_result audit_release(const release& r, std::size_t min_group_size,
                                              std::uint64_t search_budget) {
  return detail::audit_release_cells(r, min_group_size, search_budget, false, 1);
}

ETHOS_DECL release_ledger::release_ledger() {
  std::random_device rd;
  salt_ = {(static_cast<std::uint64_t>(rd()) << 32U) ^ rd(), (static_cast<std::uint64_t>(rd()) << 32U) ^ rd()};
}

ETHOS_DECL std::size_t release_ledger::smallest_min_group_size() const noexcept {
  std::size_t k = 0;
  for (const auto& r : releases_) {
    k = k == 0 ? r.min_group_size : std::min(k, r.min_group_size);
  }
  return k;
}

ETHOS_DECL void release_ledger::add_to(release& r) const {
  std::vector<std::size_t> space_map(spaces_.size());
  std::vector<std::vector<std::uint32_t>> element_map(spaces_.size());
  for (std::size_t s = 0; s < spaces_.size(); ++s) {
    space_map[s] = r.space(spaces_[s].name);
    auto& target = r.spaces[space_map[s]];
    auto index = detail::index_elements(target);
    for (std::size_t e = 0; e < spaces_[s].size(); ++e) {
      element_map[s].push_back(detail::element_of(target, index, spaces_[s].person[e], spaces_[s].value[e]));
    }
  }
  // Elements appended to a space have no class and are covered by no domain given by classes.
  for (std::size_t s = 0; s < spaces_.size(); ++s) {
    auto& target = r.spaces[space_map[s]];
    if (!target.class_of.empty()) {
      target.class_of.resize(target.size(), no_class);
    }
    for (auto& d : r.domains) {
      if (d.space == space_map[s] && !d.covers.empty()) {
        d.covers.resize(target.size(), false);
      }
    }
  }
  for (const auto& c : cells_) {
    release_cell rc;
    rc.domain = r.domain(domains_[c.domain].name, space_map[domains_[c.domain].space]);
    rc.kind = r.kind("earlier release " + std::to_string(c.release + 1) + ": " + c.section, c.figures);
    rc.label = c.label + " (release " + std::to_string(c.release + 1) + ")";
    for (const auto e : c.members) {
      rc.members.push_back(element_map[domains_[c.domain].space][e]);
    }
    std::sort(rc.members.begin(), rc.members.end());
    rc.members.erase(std::unique(rc.members.begin(), rc.members.end()), rc.members.end());
    rc.fixed = true;
    rc.keep = 1'000'000;
    r.cells.push_back(std::move(rc));
  }
}

ETHOS_DECL void release_ledger::record(const release& r, std::size_t k, std::string label) {
  ledger_release lr;
  lr.min_group_size = k;
  lr.label = std::move(label);
  const std::size_t rel = releases_.size();
  std::vector<std::optional<std::size_t>> space_map(r.spaces.size());
  std::vector<std::unordered_map<std::uint32_t, std::uint32_t>> element_map(r.spaces.size());
  std::vector<std::optional<detail::class_members>> class_members(r.spaces.size());
  for (const auto& c : r.cells) {
    if (c.fixed || c.status != suppression::none) {
      continue;
    }
    const auto& dom = r.domains.at(c.domain);
    if (!space_map[dom.space]) {
      space_map[dom.space] = detail::space_named(spaces_, r.spaces[dom.space].name);
    }
    const std::size_t s = *space_map[dom.space];
    stored_cell sc;
    sc.release = rel;
    sc.domain = detail::domain_named(domains_, dom.name, s);
    const auto& kind = r.kinds.at(c.kind);
    sc.section = kind.section;
    sc.label = c.label;
    sc.figures = kind.figures;
    const auto& from = r.spaces[dom.space];
    if (!c.classes.empty() && !class_members[dom.space]) {
      class_members[dom.space] = detail::class_members_of(from);
    }
    const auto members = c.classes.empty() ? c.members : detail::expand_cell(r, c, *class_members[dom.space]);
    for (const auto e : members) {
      auto [it, fresh] = element_map[dom.space].try_emplace(e, 0);
      if (fresh) {
        it->second = own_element(s, from.person[e], from.value[e]);
      }
      sc.members.push_back(it->second);
    }
    std::sort(sc.members.begin(), sc.members.end());
    cells_.push_back(std::move(sc));
    ++lr.cells;
  }
  releases_.push_back(std::move(lr));
}

ETHOS_DECL std::string release_ledger::str() const {
  std::string out = "ethos.ledger/1\n";
  out += "salt\t" + detail::hex64(salt_[0]) + detail::hex64(salt_[1]) + "\n";
  for (const auto& r : releases_) {
    out +=
        "release\t" + std::to_string(r.min_group_size) + "\t" + std::to_string(r.cells) + "\t" + escape(r.label) + "\n";
  }
  for (const auto& s : spaces_) {
    out += "space\t" + escape(s.name) + "\t" + std::to_string(s.size()) + "\n";
    for (std::size_t e = 0; e < s.size(); ++e) {
      out += detail::hex64(s.person[e]) + "\t" + detail::hex64(s.value[e]) + "\n";
    }
  }
  for (const auto& d : domains_) {
    out += "domain\t" + escape(d.name) + "\t" + std::to_string(d.space) + "\n";
  }
  for (const auto& c : cells_) {
    out += "cell\t" + std::to_string(c.release) + "\t" + std::to_string(c.domain) + "\t" + escape(c.section) + "\t" +
           escape(c.label) + "\t" + escape(c.figures) + "\t";
    std::uint32_t prev = 0;
    for (std::size_t i = 0; i < c.members.size(); ++i) {
      if (i > 0) {
        out += ' ';
      }
      out += std::to_string(c.members[i] - prev); // gaps: short lines for dense cells
      prev = c.members[i];
    }
    out += "\n";
  }
  return out;
}

ETHOS_DECL release_ledger release_ledger::parse(std::string_view text, std::string_view name) {
  release_ledger l(release_salt{0, 0});
  std::size_t line_no = 0;
  std::size_t pos = 0;
  std::size_t pending_elements = 0; // element lines still expected for the last space
  bool have_salt = false;
  while (pos < text.size()) {
    const std::size_t end = std::min(text.find('\n', pos), text.size());
    const std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (line_no == 1) {
      if (line != "ethos.ledger/1") {
        fail_at(name, line_no, "not an ethos ledger (the first line must read ethos.ledger/1)");
      }
      continue;
    }
    const auto f = split_tabs(line);
    if (pending_elements > 0) {
      const auto p = f.size() == 2 ? detail::parse_hex64(f[0]) : std::nullopt;
      const auto v = f.size() == 2 ? detail::parse_hex64(f[1]) : std::nullopt;
      if (!p || !v) {
        fail_at(name, line_no, "expected an element: two 16-digit hexadecimal fingerprints separated by a tab");
      }
      l.spaces_.back().person.push_back(*p);
      l.spaces_.back().value.push_back(*v);
      --pending_elements;
      continue;
    }
    if (f.empty() || f[0].empty()) {
      fail_at(name, line_no, "empty line");
    }
    const std::string_view kind = f[0];
    const auto number = [&](std::string_view s, const char* what, std::size_t limit) -> std::size_t {
      std::size_t x = 0;
      const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
      if (ec != std::errc{} || p != s.data() + s.size() || s.empty()) {
        fail_at(name, line_no, std::string(what) + " '" + std::string(s.substr(0, 20)) + "' is not a whole number");
      }
      if (x >= limit) {
        fail_at(name, line_no,
                std::string(what) + " " + std::to_string(x) + " is out of range (below " + std::to_string(limit) +
                    " expected)");
      }
      return x;
    };
    if (kind == "salt") {
      if (f.size() != 2 || f[1].size() != 32 || have_salt) {
        fail_at(name, line_no, have_salt ? "a second salt line" : "salt must be 32 hexadecimal digits");
      }
      const auto a = detail::parse_hex64(f[1].substr(0, 16));
      const auto b = detail::parse_hex64(f[1].substr(16));
      if (!a || !b) {
        fail_at(name, line_no, "salt must be 32 hexadecimal digits");
      }
      l.salt_ = {*a, *b};
      have_salt = true;
    } else if (kind == "release") {
      if (f.size() != 4) {
        fail_at(name, line_no,
                "a release line has 4 fields (release, k, cells, label), not " + std::to_string(f.size()));
      }
      ledger_release r;
      r.min_group_size = number(f[1], "minimum group size", 1'000'000);
      if (r.min_group_size < lowest_min_group_size) {
        fail_at(name, line_no,
                "minimum group size " + std::to_string(r.min_group_size) + " is below " +
                    std::to_string(lowest_min_group_size));
      }
      r.cells = number(f[2], "cell count", std::size_t{1} << 40U);
      r.label = unescape(f[3]);
      l.releases_.push_back(std::move(r));
    } else if (kind == "space") {
      if (f.size() != 3) {
        fail_at(name, line_no, "a space line has 3 fields (space, name, elements), not " + std::to_string(f.size()));
      }
      l.spaces_.push_back({unescape(f[1]), {}, {}, {}});
      pending_elements = number(f[2], "element count", std::size_t{1} << 32U);
      // Elements are read one line each; a forged count cannot make us reserve memory.
    } else if (kind == "domain") {
      if (f.size() != 3) {
        fail_at(name, line_no, "a domain line has 3 fields (domain, name, space), not " + std::to_string(f.size()));
      }
      l.domains_.push_back({unescape(f[1]), number(f[2], "space", l.spaces_.size()), {}});
    } else if (kind == "cell") {
      if (f.size() != 7) {
        fail_at(name, line_no,
                "a cell line has 7 fields (cell, release, domain, section, label, figures, members), not " +
                    std::to_string(f.size()));
      }
      stored_cell c;
      c.release = number(f[1], "release", l.releases_.size());
      c.domain = number(f[2], "domain", l.domains_.size());
      c.section = unescape(f[3]);
      c.label = unescape(f[4]);
      c.figures = unescape(f[5]);
      const std::size_t elements = l.spaces_[l.domains_[c.domain].space].size();
      std::uint64_t at = 0;
      std::size_t p2 = 0;
      const std::string_view ms = f[6];
      while (p2 < ms.size()) {
        const std::size_t e2 = std::min(ms.find(' ', p2), ms.size());
        const std::size_t gap = number(ms.substr(p2, e2 - p2), "member gap", std::size_t{1} << 32U);
        if (!c.members.empty() && gap == 0) {
          fail_at(name, line_no, "cell members repeat an element");
        }
        at += gap;
        if (at >= elements) {
          fail_at(name, line_no,
                  "cell member " + std::to_string(at) + " is not an element of its space (it has " +
                      std::to_string(elements) + ")");
        }
        c.members.push_back(static_cast<std::uint32_t>(at));
        p2 = e2 + 1;
      }
      l.cells_.push_back(std::move(c));
    } else {
      fail_at(name, line_no, "unknown record '" + std::string(kind.substr(0, 20)) + "'");
    }
  }
  if (line_no == 0) {
    throw error(std::string(name) + ": empty file; a ledger starts with the line ethos.ledger/1");
  }
  if (pending_elements > 0) {
    fail_at(name, line_no,
            "the file ends " + std::to_string(pending_elements) + " element line(s) short of its last space");
  }
  if (!have_salt) {
    fail_at(name, line_no, "no salt line");
  }
  std::vector<std::size_t> per_release(l.releases_.size(), 0);
  for (const auto& c : l.cells_) {
    ++per_release[c.release];
  }
  for (std::size_t i = 0; i < l.releases_.size(); ++i) {
    if (per_release[i] != l.releases_[i].cells) {
      fail_at(name, line_no,
              "release " + std::to_string(i + 1) + " says " + std::to_string(l.releases_[i].cells) +
                  " cells but the file holds " + std::to_string(per_release[i]));
    }
  }
  return l;
}

ETHOS_DECL release_ledger release_ledger::load(const std::string& file) {
  const std::filesystem::path path(file);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw error(path.string() + ": cannot open the ledger");
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse(ss.str(), path.string());
}

ETHOS_DECL void release_ledger::save(const std::string& file) const {
  const std::filesystem::path path(file);
  const auto tmp = std::filesystem::path(path.string() + ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    const std::string text = str();
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.close();
    if (!out) {
      throw error(path.string() + ": cannot write the ledger");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    throw error(path.string() + ": cannot write the ledger: " + ec.message());
  }
}

ETHOS_DECL void release_ledger::fail_at(std::string_view name, std::size_t line, const std::string& why) {
  throw error(std::string(name) + ":" + std::to_string(line) + ": " + why);
}

ETHOS_DECL std::vector<std::string_view> release_ledger::split_tabs(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (true) {
    const std::size_t end = line.find('\t', pos);
    out.push_back(line.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
    if (end == std::string_view::npos) {
      return out;
    }
    pos = end + 1;
  }
}

ETHOS_DECL std::string release_ledger::escape(std::string_view s) {
  std::string out;
  for (const char ch : s) {
    switch (ch) {
    case '\t':
      out += "\\t";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\\':
      out += "\\\\";
      break;
    default:
      out += ch;
    }
  }
  return out;
}

ETHOS_DECL std::string release_ledger::unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      const char n = s[++i];
      out += n == 't' ? '\t' : n == 'n' ? '\n' : n == 'r' ? '\r' : n;
    } else {
      out += s[i];
    }
  }
  return out;
}

ETHOS_DECL std::uint32_t release_ledger::own_element(std::size_t s, std::uint64_t person, std::uint64_t value) {
  if (element_index_.size() <= s) {
    element_index_.resize(s + 1);
  }
  if (!element_index_[s]) {
    element_index_[s] = detail::index_elements(spaces_[s]);
  }
  return detail::element_of(spaces_[s], *element_index_[s], person, value);
}

} // namespace ethos
