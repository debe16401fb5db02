// ethos/detail/buckets.hpp: positions grouped by a small integer key in one array (a stable counting sort), for
// the loops that visit a million rows or cells key by key: the rows of each unit x level, the cells of each domain.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace ethos::detail {

// Positions 0..n-1 by key: those of key k are items[first[k] .. first[k + 1]), ascending.
struct buckets {
  std::vector<std::uint32_t> first; // keys + 1 entries
  std::vector<std::uint32_t> items; // every position once

  [[nodiscard]] std::size_t size() const noexcept { return first.empty() ? 0 : first.size() - 1; }
  [[nodiscard]] std::span<const std::uint32_t> operator[](std::size_t k) const noexcept {
    return {items.data() + first[k], first[k + 1] - first[k]};
  }
};

// The positions 0..n-1 (fewer than 2^32) by `key_of(position)`, each below `keys`.
template <class KeyOf>
buckets bucket_by(std::size_t keys, std::size_t n, KeyOf&& key_of) {
  buckets b;
  b.first.assign(keys + 1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    ++b.first[key_of(i) + 1];
  }
  for (std::size_t k = 0; k < keys; ++k) {
    b.first[k + 1] += b.first[k];
  }
  b.items.resize(n);
  std::vector<std::uint32_t> next(b.first.begin(), b.first.end() - 1);
  for (std::size_t i = 0; i < n; ++i) {
    b.items[next[key_of(i)]++] = static_cast<std::uint32_t>(i);
  }
  return b;
}

} // namespace ethos::detail
