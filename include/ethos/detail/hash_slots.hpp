// ethos/detail/hash_slots.hpp: an open-addressing index of keys that live elsewhere (a vector of labels, the
// columns of a release space), found by hash and an equality test on their position. It stores 8 bytes per slot and
// no copy of the keys, and keeps <unordered_map> (and its tenth of a second per translation unit) out of the public
// headers whose classes hold lookups.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace ethos::detail {

class hash_slots {
 public:
  static constexpr std::uint32_t none = ~std::uint32_t{0}; // "no such key"

  // The position of the key with hash `hash` for which `same(position)` holds, or `none`.
  template <class Same>
  [[nodiscard]] std::uint32_t find(std::uint64_t hash, Same&& same) const {
    if (slots_.empty()) {
      return none;
    }
    const auto tag = static_cast<std::uint32_t>(hash);
    for (std::size_t i = tag & mask(); slots_[i].position != none; i = (i + 1) & mask()) {
      if (slots_[i].tag == tag && same(slots_[i].position)) {
        return slots_[i].position;
      }
    }
    return none;
  }

  // The position of the key found as find() does; when there is none, records `position` for it and returns that.
  // A caller that then appends the key at `position` knows it was new when the result equals `position`.
  template <class Same>
  std::uint32_t find_or_insert(std::uint64_t hash, Same&& same, std::uint32_t position) {
    const std::uint32_t found = find(hash, same);
    if (found != none) {
      return found;
    }
    insert(hash, position);
    return position;
  }

  // Records the key at `position` (not yet present) under `hash`; amortised O(1), the table kept at most half full.
  void insert(std::uint64_t hash, std::uint32_t position) {
    if (2 * (size_ + 1) > slots_.size()) {
      grow();
    }
    place({position, static_cast<std::uint32_t>(hash)});
    ++size_;
  }

  // Number of keys recorded.
  [[nodiscard]] std::size_t size() const noexcept { return size_; }

 private:
  struct slot {
    std::uint32_t position = none;
    std::uint32_t tag = 0; // the low 32 bits of the key's hash: its home slot, and a quick test before `same`
  };

  std::size_t mask() const noexcept { return slots_.size() - 1; }

  void place(slot s) {
    std::size_t i = s.tag & mask();
    while (slots_[i].position != none) {
      i = (i + 1) & mask();
    }
    slots_[i] = s;
  }

  void grow() {
    std::vector<slot> old(slots_.empty() ? 16 : 2 * slots_.size());
    old.swap(slots_);
    for (const slot& s : old) {
      if (s.position != none) {
        place(s);
      }
    }
  }

  std::vector<slot> slots_; // a power of two of them
  std::size_t size_ = 0;
};

// The hash of a text key (the standard library's, which <string_view> declares).
inline std::uint64_t hash_text(std::string_view s) noexcept { return std::hash<std::string_view>{}(s); }

// The hash of a pair of 64-bit keys: the second spread by a multiply and folded so the low 32 bits mix both.
constexpr std::uint64_t hash_pair(std::uint64_t a, std::uint64_t b) noexcept {
  std::uint64_t h = a ^ (b * 0x9E3779B97F4A7C15ULL);
  h ^= h >> 32U;
  return h * 0xBF58476D1CE4E5B9ULL;
}

} // namespace ethos::detail
