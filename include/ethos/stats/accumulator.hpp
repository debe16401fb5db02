/// \file
/// \brief Mergeable integer sufficient statistics of Likert items, overall and per group.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/detail/int128.hpp>
#include <ethos/error.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace ethos {

namespace detail {
struct state_codec; // io/state.hpp: reads and writes the private state

// The tables of a design's answer patterns (defined with the accumulator's definitions): each pattern's digits,
// whether it is complete, its person score, and each item's code multiplier. They depend on the design only, so they
// are made once per design and shared, counted by the references below.
struct pattern_tables;

// A counted reference to a design's pattern tables (copying an accumulator shares them).
class pattern_tables_ref {
 public:
  pattern_tables_ref() = default;
  explicit pattern_tables_ref(const pattern_tables* p) noexcept : p_(p) {}
  ETHOS_DECL pattern_tables_ref(const pattern_tables_ref& o) noexcept;
  pattern_tables_ref(pattern_tables_ref&& o) noexcept : p_(o.p_) { o.p_ = nullptr; }
  ETHOS_DECL pattern_tables_ref& operator=(const pattern_tables_ref& o) noexcept;
  ETHOS_DECL pattern_tables_ref& operator=(pattern_tables_ref&& o) noexcept;
  ETHOS_DECL ~pattern_tables_ref();
  const pattern_tables* get() const noexcept { return p_; }

 private:
  const pattern_tables* p_ = nullptr;
};
} // namespace detail

/// What a likert_accumulator is set up for: k items on one scale (min..max, at most 250), which items are
/// reverse-keyed (keyed as min + max - x), how many groups (0: none) and the min_answered rule of person
/// scores (0: half the items, rounded up).
struct likert_config {
  likert_config() = default;
  /// `item_count` items on the scale scale_min..scale_max, in `group_count` groups (0: none).
  likert_config(std::size_t item_count, int scale_min, int scale_max, std::size_t group_count = 0)
      : items(item_count), min(scale_min), max(scale_max), groups(group_count) {}

  std::size_t items = 0;        ///< k, 1..255
  int min = 1;                  ///< lowest answer of the scale
  int max = 5;                  ///< highest answer of the scale (at most 250)
  std::vector<bool> reverse;    ///< empty, or one flag per item
  std::size_t groups = 0;       ///< number of groups; 0 for none
  std::size_t min_answered = 0; ///< answered items a person score needs; 0 for half the items, rounded up
  bool count_patterns = true;   ///< false forces row-by-row sums even for small designs (tests compare both)

  /// Equal when every setting is.
  friend bool operator==(const likert_config&, const likert_config&) = default;
};

/// Exact statistics of the items over all rows, derived from an accumulator. Values are keyed and shifted
/// to v = keyed - min (0..A-1); covariances and correlations do not depend on the shift.
struct likert_moments {
  std::uint64_t rows = 0; ///< all rows added, including rows without any answer
  std::size_t items = 0;  ///< k
  std::size_t points = 0; ///< A = max - min + 1

  std::vector<std::uint64_t> hist;  ///< [item * A + v]: answers per keyed value
  std::vector<std::uint64_t> n;     ///< answers per item
  std::vector<std::uint64_t> sum;   ///< sum of v per item
  std::vector<std::uint64_t> sumsq; ///< sum of v^2 per item

  // Pairwise-complete statistics, [i * k + j] for i < j: rows where both items were answered.
  std::vector<std::uint64_t> pair_n;     ///< rows where both items were answered
  std::vector<std::uint64_t> pair_sum_i; ///< sum of v_i over those rows
  std::vector<std::uint64_t> pair_sum_j; ///< sum of v_j over those rows
  std::vector<std::uint64_t> pair_cross; ///< sum of v_i v_j over those rows

  std::uint64_t complete_rows = 0; ///< rows with every item answered

  // Item-total sums: T = total_scale * (mean of the row's answered items), an integer; per item over the
  // rows where that item was answered (as psych's raw.r, cor(total, item, use = "pairwise")).
  std::uint64_t total_scale = 0;            ///< lcm(1..k), or 0 when k > 16 (the sums would not stay exact)
  std::vector<std::uint64_t> total_sum;     ///< sum of T per item
  std::vector<detail::uint128> total_sumsq; ///< sum of T^2 per item
  std::vector<detail::uint128> total_cross; ///< sum of v T per item

  /// Index of the pair (i, j), i < j, in the pair_* vectors.
  std::size_t pair_index(std::size_t i, std::size_t j) const noexcept { return i * items + j; }
};

/// Exact per-group statistics: per group and item a histogram over listwise-complete rows (every item
/// answered), and the sums of person construct scores scaled to integers (y = score_scale * mean of the
/// answered keyed items shifted to 0, keyed - min, for rows meeting min_answered).
struct group_moments {
  std::size_t groups = 0;                   ///< number of groups
  std::size_t items = 0;                    ///< k
  std::size_t points = 0;                   ///< A = max - min + 1
  std::uint64_t score_scale = 0;            ///< lcm(min_answered..k)
  std::vector<std::uint64_t> listwise_hist; ///< [(g * k + i) * A + v]
  std::vector<std::uint64_t> listwise_n;    ///< complete rows per group
  std::vector<std::uint64_t> score_n;       ///< scored rows per group
  std::vector<std::uint64_t> score_sum;     ///< sum of y
  std::vector<detail::uint128> score_sumsq; ///< sum of y^2

  /// Complete rows of group g whose keyed answer to item i is min + v.
  std::uint64_t hist(std::size_t g, std::size_t i, std::size_t v) const noexcept {
    return listwise_hist[(g * items + i) * points + v];
  }
};

/// Integer sufficient statistics of k Likert items (typically one construct), overall and per group.
/// Everything is a count or an integer sum, so `merge` is addition and the result never depends on how the
/// rows were split into shards or in which order the shards were merged.
///
/// Small designs ((A + 1)^k <= 65536 answer patterns, e.g. up to 6 items on a 5-point scale) count whole
/// answer patterns per row: one increment per row, and every statistic (pairwise, complete-case,
/// item-total, for any subset of items) is derived exactly from the pattern counts. Larger designs
/// accumulate the item, pair and item-total sums row by row. Both give the same numbers.
class likert_accumulator {
 public:
  static constexpr std::size_t max_patterns = 65536; ///< the most answer patterns a design counts whole
  /// The most rows one accumulator holds (2^36, about 68.7 billion): every sum stays exact in 64 bits up to it,
  /// and a decoded state (io/state.hpp) cannot overflow when merged. Grouped accumulators hold at most 2^32 - 1.
  static constexpr std::uint64_t max_rows = std::uint64_t{1} << 36;

  /// An empty accumulator; throws ethos::error for an invalid configuration (items, scale, flags, min_answered).
  explicit likert_accumulator(likert_config config);

  /// The configuration, with min_answered and reverse filled in.
  const likert_config& config() const noexcept { return cfg_; }
  /// Rows added.
  std::uint64_t rows() const noexcept { return rows_; }
  /// True when whole answer patterns are counted (see the class comment).
  bool counts_patterns() const noexcept { return !patterns_.empty(); }

  /// Adds `rows` rows. `columns` holds one pointer per item to `rows` raw (unkeyed) answer bytes, 0xFF for a
  /// missing answer; `group_codes` one group per row (below config().groups), or is empty when there are no
  /// groups. Throws ethos::error, before changing anything, for an answer outside the scale or a bad group.
  void add(std::span<const std::uint8_t* const> columns, std::size_t rows,
           std::span<const std::uint32_t> group_codes = {});

  /// Adds the counts of another accumulator with the same configuration (else throws ethos::error).
  likert_accumulator& merge(const likert_accumulator& o);

  /// The same counts with the groups renumbered: group g becomes group `to[g]` of `groups` (groups that no old group
  /// maps to are empty, and groups mapped to the same new group are added together). Partitions that numbered their
  /// groups by first appearance can so be merged: map each onto one shared numbering (a sorted union of the labels),
  /// then merge.
  /// \throws ethos::error when `to` does not have one entry per configured group or an entry is not below `groups`.
  likert_accumulator regrouped(std::span<const std::uint32_t> to, std::size_t groups) const;

  /// The overall statistics of all items.
  likert_moments moments() const;

  /// The overall statistics of a subset of the items (`keep[i]` false drops item i), as if only those had
  /// been asked; available when answer patterns are counted (else throws ethos::error).
  likert_moments moments_of(const std::vector<bool>& keep) const;

  /// Per-group statistics (empty when no groups were configured).
  group_moments groups() const;

  /// The listwise counts of group `g` as the accumulator holds them, without the copy groups() makes: k x A counts
  /// in 32 bits (`[i * A + v]`: listwise rows whose keyed answer to item i is min + v).
  /// \throws ethos::error when `g` is not a configured group.
  std::span<const std::uint32_t> group_listwise_hist(std::size_t g) const;

  /// The listwise-complete rows of group `g` (the total of each item's counts in group_listwise_hist).
  /// \throws ethos::error when `g` is not a configured group.
  std::uint64_t group_listwise_n(std::size_t g) const;

  /// Calls `f(digits, count)` for every answer pattern that has rows: `digits` one per item (0 for a missing
  /// answer, else 1 + the keyed answer - min) and `count` its rows. Other exact accumulators (covariances,
  /// polychoric tables) derive from these counts without another pass over the answers.
  /// \throws ethos::error when answer patterns are not counted (counts_patterns() is false).
  template <class F>
  void for_each_pattern(F&& f) const {
    if (!counts_patterns()) {
      throw error("likert accumulator: answer patterns are not counted for this design");
    }
    const std::size_t k = cfg_.items;
    for (std::size_t code = 0; code < patterns_.size(); ++code) {
      const std::uint64_t count = patterns_[code] + patterns_odd_[code];
      if (count != 0) {
        f(std::span<const std::uint8_t>(pattern_digits() + code * k, k), count);
      }
    }
  }

  /// Exact equality of every count (what "bit-identical whatever the split" means for an accumulator).
  friend bool operator==(const likert_accumulator& a, const likert_accumulator& b);

 private:
  friend struct detail::state_codec;

  static constexpr std::size_t block = 1024;

  template <class T>
  static void add_into(std::vector<T>& a, const std::vector<T>& b) noexcept;

  bool moments_equal(const likert_accumulator& b) const;

  likert_moments empty_moments(std::size_t k = 0) const;

  static void add_moments(likert_moments& a, const likert_moments& b);

  // Digit of an answer: 0 for missing, else 1 + keyed value - min (so 1..A).
  std::uint8_t digit(std::size_t item, std::uint8_t x) const noexcept;

  void validate(std::span<const std::uint8_t* const> columns, std::size_t rows,
                std::span<const std::uint32_t> group_codes) const;

  // Finds (or makes) the design's pattern tables.
  void build_pattern_tables(std::size_t patterns);

  // Every pattern's digits, k per pattern, and whether it is complete (the shared tables').
  ETHOS_DECL const std::uint8_t* pattern_digits() const noexcept;
  ETHOS_DECL const std::uint8_t* pattern_complete() const noexcept;

  void encode_block(std::span<const std::uint8_t* const> columns, std::size_t r0, std::size_t n,
                    std::array<std::uint32_t, block>& codes) const noexcept;

  void add_groups_by_pattern(const std::uint32_t* group, std::size_t n,
                             const std::array<std::uint32_t, block>& codes) noexcept;

  void add_group_row(std::size_t g, const std::vector<std::uint8_t>& digits) noexcept;

  // Adds `count` rows with these digits (0 = missing, else 1 + v) to the exact overall statistics.
  void add_row(const std::vector<std::uint8_t>& digits, std::uint64_t count, likert_moments& m) const noexcept;

  likert_config cfg_;
  std::size_t k_ = 0;
  std::size_t points_ = 0;
  std::uint64_t score_scale_ = 0;
  std::uint64_t rows_ = 0;
  // Pattern counting.
  std::vector<std::uint64_t> patterns_;
  std::vector<std::uint64_t> patterns_odd_;
  // The design's pattern tables, shared by its accumulators (an accumulator costs its counts: a database keeps one
  // per team).
  detail::pattern_tables_ref tables_;
  // Direct accumulation.
  likert_moments direct_;
  // Per-group state, packed for the hot loop: one 32-byte head per group and 32-bit histogram counts
  // (a grouped accumulator holds fewer than 2^32 rows, so no count can overflow).
  struct group_head {
    std::uint32_t listwise_n = 0;
    std::uint32_t score_n = 0;
    std::uint64_t score_sum = 0;
    detail::uint128 score_sumsq = 0;
    friend bool operator==(const group_head&, const group_head&) = default;
  };
  std::vector<group_head> heads_;
  std::vector<std::uint32_t> group_hist_;
};

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/stats/impl/accumulator.ipp>
#endif
