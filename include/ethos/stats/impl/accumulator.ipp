// ethos/stats/impl/accumulator.ipp: definitions of ethos/stats/accumulator.hpp (compiled into ethos::compiled, or
// included by the header in header-only mode).
#pragma once

#include <ethos/stats/accumulator.hpp>

#include <ethos/detail/int128.hpp>
#include <ethos/error.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <map>
#include <mutex>
#include <numeric>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace ethos {

namespace detail {

ETHOS_DECL std::uint64_t lcm_range(std::size_t from, std::size_t to) {
  std::uint64_t l = 1;
  for (std::size_t k = std::max<std::size_t>(from, 1); k <= to; ++k) {
    l = std::lcm(l, static_cast<std::uint64_t>(k));
  }
  return l;
}

struct pattern_tables {
  mutable std::atomic<std::size_t> refs{0};
  std::vector<std::uint8_t> digits;
  std::vector<std::uint8_t> complete;
  std::vector<std::int64_t> score;
  std::vector<std::uint32_t> multiplier;
};

ETHOS_DECL void retain_tables(const pattern_tables* p) noexcept {
  if (p != nullptr) {
    p->refs.fetch_add(1, std::memory_order_relaxed);
  }
}

ETHOS_DECL void release_tables(const pattern_tables* p) noexcept {
  if (p != nullptr && p->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    delete p;
  }
}

ETHOS_DECL pattern_tables_ref::pattern_tables_ref(const pattern_tables_ref& o) noexcept : p_(o.p_) {
  retain_tables(p_);
}

ETHOS_DECL pattern_tables_ref& pattern_tables_ref::operator=(const pattern_tables_ref& o) noexcept {
  retain_tables(o.p_);
  release_tables(p_);
  p_ = o.p_;
  return *this;
}

ETHOS_DECL pattern_tables_ref& pattern_tables_ref::operator=(pattern_tables_ref&& o) noexcept {
  if (this != &o) {
    release_tables(p_);
    p_ = o.p_;
    o.p_ = nullptr;
  }
  return *this;
}

ETHOS_DECL pattern_tables_ref::~pattern_tables_ref() { release_tables(p_); }

} // namespace detail

template <class T>
void likert_accumulator::add_into(std::vector<T>& a, const std::vector<T>& b) noexcept {
  for (std::size_t i = 0; i < a.size(); ++i) {
    a[i] += b[i];
  }
}

ETHOS_DECL likert_accumulator::likert_accumulator(likert_config config) : cfg_(std::move(config)) {
  if (cfg_.items == 0 || cfg_.items > 255) {
    throw error("likert accumulator: " + std::to_string(cfg_.items) + " items; 1..255 are supported");
  }
  if (!(0 <= cfg_.min && cfg_.min < cfg_.max && cfg_.max <= 250)) {
    throw error("likert accumulator: scale " + std::to_string(cfg_.min) + ".." + std::to_string(cfg_.max) +
                " must satisfy 0 <= min < max <= 250");
  }
  if (cfg_.reverse.empty()) {
    cfg_.reverse.assign(cfg_.items, false);
  }
  if (cfg_.reverse.size() != cfg_.items) {
    throw error("likert accumulator: " + std::to_string(cfg_.reverse.size()) + " reverse flags for " +
                std::to_string(cfg_.items) + " items");
  }
  if (cfg_.min_answered == 0) {
    cfg_.min_answered = (cfg_.items + 1) / 2;
  }
  if (cfg_.min_answered > cfg_.items) {
    throw error("likert accumulator: min_answered " + std::to_string(cfg_.min_answered) + " exceeds " +
                std::to_string(cfg_.items) + " items");
  }
  points_ = static_cast<std::size_t>(cfg_.max - cfg_.min + 1);
  std::size_t patterns = 1;
  for (std::size_t i = 0; i < cfg_.items && patterns <= max_patterns; ++i) {
    patterns *= points_ + 1;
  }
  k_ = cfg_.items;
  score_scale_ = cfg_.items <= 16 ? detail::lcm_range(cfg_.min_answered, cfg_.items) : 0;
  if (cfg_.count_patterns && patterns <= max_patterns) {
    patterns_.assign(patterns, 0);
    build_pattern_tables(patterns);
  } else {
    direct_ = empty_moments();
  }
  if (cfg_.groups > 0) {
    heads_.assign(cfg_.groups, group_head{});
    group_hist_.assign(cfg_.groups * k_ * points_, 0);
  }
}

ETHOS_DECL void likert_accumulator::add(std::span<const std::uint8_t* const> columns, std::size_t rows,
                                        std::span<const std::uint32_t> group_codes) {
  if (columns.size() != k_) {
    throw error("likert accumulator: " + std::to_string(columns.size()) + " columns for " + std::to_string(k_) +
                " items");
  }
  if (cfg_.groups > 0 ? group_codes.size() != rows : !group_codes.empty()) {
    throw error("likert accumulator: " + std::to_string(group_codes.size()) + " group codes for " +
                std::to_string(rows) + " rows (" + std::to_string(cfg_.groups) + " groups configured)");
  }
  validate(columns, rows, group_codes);
  if (cfg_.groups > 0 && rows_ + rows > 0xFFFFFFFFU) {
    throw error("likert accumulator: more than 4294967295 rows in one grouped accumulator; use several and "
                "combine their statistics");
  }
  if (rows > max_rows - rows_) {
    throw error("likert accumulator: more than " + std::to_string(max_rows) +
                " rows in one accumulator; use several and combine their statistics");
  }
  std::array<std::uint32_t, block> codes{};
  std::vector<std::uint8_t> digits(k_);
  for (std::size_t r0 = 0; r0 < rows; r0 += block) {
    const std::size_t n = std::min(block, rows - r0);
    if (counts_patterns()) {
      encode_block(columns, r0, n, codes);
      for (std::size_t r = 0; r + 1 < n; r += 2) { // two counters break the store-to-load chain
        ++patterns_[codes[r]];
        ++patterns_odd_[codes[r + 1]];
      }
      if (n % 2 == 1) {
        ++patterns_[codes[n - 1]];
      }
      if (cfg_.groups > 0) {
        add_groups_by_pattern(group_codes.data() + r0, n, codes);
      }
    } else {
      for (std::size_t r = 0; r < n; ++r) {
        for (std::size_t i = 0; i < k_; ++i) {
          digits[i] = digit(i, columns[i][r0 + r]);
        }
        add_row(digits, 1, direct_);
        if (cfg_.groups > 0) {
          add_group_row(group_codes[r0 + r], digits);
        }
      }
    }
  }
  rows_ += rows;
}

ETHOS_DECL likert_accumulator& likert_accumulator::merge(const likert_accumulator& o) {
  if (!(cfg_ == o.cfg_)) {
    throw error("likert accumulator: cannot merge accumulators of different configurations");
  }
  if (o.rows_ > max_rows - rows_) {
    throw error("likert accumulator: merging would exceed " + std::to_string(max_rows) + " rows in one accumulator");
  }
  if (cfg_.groups > 0 && rows_ + o.rows_ > 0xFFFFFFFFU) {
    throw error("likert accumulator: merging would exceed 4294967295 rows in one grouped accumulator");
  }
  rows_ += o.rows_;
  add_into(patterns_, o.patterns_);
  add_into(patterns_odd_, o.patterns_odd_);
  if (!counts_patterns()) {
    add_moments(direct_, o.direct_);
  }
  add_into(group_hist_, o.group_hist_);
  for (std::size_t g = 0; g < heads_.size(); ++g) {
    heads_[g].listwise_n += o.heads_[g].listwise_n;
    heads_[g].score_n += o.heads_[g].score_n;
    heads_[g].score_sum += o.heads_[g].score_sum;
    heads_[g].score_sumsq += o.heads_[g].score_sumsq;
  }
  return *this;
}

ETHOS_DECL likert_accumulator likert_accumulator::regrouped(std::span<const std::uint32_t> to,
                                                            std::size_t groups) const {
  if (to.size() != cfg_.groups) {
    throw error("likert accumulator: regrouping needs one new group per group (" + std::to_string(cfg_.groups) +
                "), not " + std::to_string(to.size()));
  }
  for (std::size_t g = 0; g < to.size(); ++g) {
    if (to[g] >= groups) {
      throw error("likert accumulator: regrouping maps group " + std::to_string(g) + " to " + std::to_string(to[g]) +
                  ", beyond " + std::to_string(groups) + " groups");
    }
  }
  if (groups > 0 && rows_ > 0xFFFFFFFFU) {
    throw error("likert accumulator: more than 4294967295 rows cannot be grouped");
  }
  likert_config cfg = cfg_;
  cfg.groups = groups;
  likert_accumulator out(std::move(cfg));
  out.rows_ = rows_;
  out.patterns_ = patterns_;
  out.patterns_odd_ = patterns_odd_;
  out.direct_ = direct_;
  const std::size_t stride = k_ * points_;
  for (std::size_t g = 0; g < heads_.size(); ++g) {
    group_head& h = out.heads_[to[g]];
    h.listwise_n += heads_[g].listwise_n;
    h.score_n += heads_[g].score_n;
    h.score_sum += heads_[g].score_sum;
    h.score_sumsq += heads_[g].score_sumsq;
    for (std::size_t x = 0; x < stride; ++x) {
      out.group_hist_[to[g] * stride + x] += group_hist_[g * stride + x];
    }
  }
  return out;
}

ETHOS_DECL likert_moments likert_accumulator::moments() const {
  if (!counts_patterns()) {
    likert_moments m = direct_;
    m.rows = rows_;
    return m;
  }
  return moments_of(std::vector<bool>(k_, true));
}

ETHOS_DECL likert_moments likert_accumulator::moments_of(const std::vector<bool>& keep) const {
  if (!counts_patterns()) {
    throw error("likert accumulator: item subsets need pattern counting, which this design is too large for");
  }
  std::vector<std::size_t> kept;
  for (std::size_t i = 0; i < k_; ++i) {
    if (keep.at(i)) {
      kept.push_back(i);
    }
  }
  likert_moments m = empty_moments(kept.size());
  m.rows = rows_;
  std::vector<std::uint8_t> digits(kept.size());
  for (std::size_t code = 0; code < patterns_.size(); ++code) {
    const std::uint64_t count = patterns_[code] + patterns_odd_[code];
    if (count == 0) {
      continue;
    }
    for (std::size_t j = 0; j < kept.size(); ++j) {
      digits[j] = tables_.get()->digits[code * k_ + kept[j]];
    }
    add_row(digits, count, m);
  }
  return m;
}

ETHOS_DECL std::span<const std::uint32_t> likert_accumulator::group_listwise_hist(std::size_t g) const {
  if (g >= heads_.size()) {
    throw error("likert accumulator: group " + std::to_string(g) + " of " + std::to_string(heads_.size()));
  }
  return std::span<const std::uint32_t>(group_hist_).subspan(g * k_ * points_, k_ * points_);
}

ETHOS_DECL std::uint64_t likert_accumulator::group_listwise_n(std::size_t g) const {
  if (g >= heads_.size()) {
    throw error("likert accumulator: group " + std::to_string(g) + " of " + std::to_string(heads_.size()));
  }
  return heads_[g].listwise_n;
}

ETHOS_DECL group_moments likert_accumulator::groups() const {
  group_moments m;
  m.groups = cfg_.groups;
  m.items = k_;
  m.points = points_;
  m.score_scale = score_scale_;
  m.listwise_hist.assign(group_hist_.begin(), group_hist_.end());
  for (const auto& h : heads_) {
    m.listwise_n.push_back(h.listwise_n);
    m.score_n.push_back(h.score_n);
    m.score_sum.push_back(h.score_sum);
    m.score_sumsq.push_back(h.score_sumsq);
  }
  return m;
}

ETHOS_DECL bool operator==(const likert_accumulator& a, const likert_accumulator& b) {
  return a.cfg_ == b.cfg_ && a.rows_ == b.rows_ && a.moments_equal(b) && a.group_hist_ == b.group_hist_ &&
         a.heads_ == b.heads_;
}

ETHOS_DECL bool likert_accumulator::moments_equal(const likert_accumulator& b) const {
  if (counts_patterns()) {
    // The two pattern counters are an implementation detail of the hot loop: compare their sums.
    for (std::size_t i = 0; i < patterns_.size(); ++i) {
      if (patterns_[i] + patterns_odd_[i] != b.patterns_[i] + b.patterns_odd_[i]) {
        return false;
      }
    }
    return true;
  }
  const auto& x = direct_;
  const auto& y = b.direct_;
  return x.hist == y.hist && x.pair_n == y.pair_n && x.pair_sum_i == y.pair_sum_i && x.pair_sum_j == y.pair_sum_j &&
         x.pair_cross == y.pair_cross && x.complete_rows == y.complete_rows && x.total_sum == y.total_sum &&
         x.total_sumsq == y.total_sumsq && x.total_cross == y.total_cross;
}

ETHOS_DECL likert_moments likert_accumulator::empty_moments(std::size_t k) const {
  if (k == 0) {
    k = k_;
  }
  likert_moments m;
  m.items = k;
  m.points = points_;
  m.hist.assign(k * points_, 0);
  m.n.assign(k, 0);
  m.sum.assign(k, 0);
  m.sumsq.assign(k, 0);
  m.pair_n.assign(k * k, 0);
  m.pair_sum_i.assign(k * k, 0);
  m.pair_sum_j.assign(k * k, 0);
  m.pair_cross.assign(k * k, 0);
  m.total_scale = k <= 16 ? detail::lcm_range(1, k) : 0;
  m.total_sum.assign(k, 0);
  m.total_sumsq.assign(k, 0);
  m.total_cross.assign(k, 0);
  return m;
}

ETHOS_DECL void likert_accumulator::add_moments(likert_moments& a, const likert_moments& b) {
  a.rows += b.rows;
  add_into(a.hist, b.hist);
  add_into(a.n, b.n);
  add_into(a.sum, b.sum);
  add_into(a.sumsq, b.sumsq);
  add_into(a.pair_n, b.pair_n);
  add_into(a.pair_sum_i, b.pair_sum_i);
  add_into(a.pair_sum_j, b.pair_sum_j);
  add_into(a.pair_cross, b.pair_cross);
  a.complete_rows += b.complete_rows;
  add_into(a.total_sum, b.total_sum);
  add_into(a.total_sumsq, b.total_sumsq);
  add_into(a.total_cross, b.total_cross);
}

ETHOS_DECL std::uint8_t likert_accumulator::digit(std::size_t item, std::uint8_t x) const noexcept {
  if (x == 0xFF) {
    return 0;
  }
  const int keyed = cfg_.reverse[item] ? cfg_.min + cfg_.max - x : x;
  return static_cast<std::uint8_t>(keyed - cfg_.min + 1);
}

ETHOS_DECL void likert_accumulator::validate(std::span<const std::uint8_t* const> columns, std::size_t rows,
                                             std::span<const std::uint32_t> group_codes) const {
  for (std::size_t i = 0; i < k_; ++i) {
    std::size_t bad = 0;
    const std::uint8_t* c = columns[i];
    for (std::size_t r = 0; r < rows; ++r) {
      const int x = c[r];
      bad += (x != 0xFF && (x < cfg_.min || x > cfg_.max)) ? 1U : 0U;
    }
    if (bad > 0) {
      throw error("likert accumulator: item " + std::to_string(i + 1) + " has " + std::to_string(bad) +
                  " answer(s) outside " + std::to_string(cfg_.min) + ".." + std::to_string(cfg_.max));
    }
  }
  const auto g = static_cast<std::uint32_t>(cfg_.groups);
  for (std::size_t r = 0; r < group_codes.size(); ++r) {
    if (group_codes[r] >= g) {
      throw error("likert accumulator: row " + std::to_string(r + 1) + " has group code " +
                  std::to_string(group_codes[r]) + "; " + std::to_string(cfg_.groups) + " groups are configured");
    }
  }
}

ETHOS_DECL const std::uint8_t* likert_accumulator::pattern_digits() const noexcept {
  return tables_.get()->digits.data();
}

ETHOS_DECL const std::uint8_t* likert_accumulator::pattern_complete() const noexcept {
  return tables_.get()->complete.data();
}

ETHOS_DECL void likert_accumulator::build_pattern_tables(std::size_t patterns) {
  patterns_odd_.assign(patterns, 0);
  // One table per design in the process, shared by its accumulators; the cache keeps the tables of the last designs
  // (up to 32, tens of kB each for common designs) even when no accumulator holds them, as a database's aggregate
  // makes and drops an accumulator for each small state it writes.
  using key_type = std::array<std::uint64_t, 4>;
  static std::mutex lock;
  static std::map<key_type, detail::pattern_tables_ref> cache;
  constexpr std::size_t cached_designs = 32;
  const key_type key = {k_, points_, cfg_.min_answered, score_scale_};
  {
    const std::lock_guard<std::mutex> hold(lock);
    const auto it = cache.find(key);
    if (it != cache.end()) {
      tables_ = it->second;
      return;
    }
  }
  auto* t = new detail::pattern_tables();
  detail::retain_tables(t);
  tables_ = detail::pattern_tables_ref(t);
  t->digits.assign(patterns * k_, 0);
  t->complete.assign(patterns, 0);
  t->score.assign(patterns, -1);
  t->multiplier.assign(k_, 0);
  std::uint32_t m = 1;
  for (std::size_t i = 0; i < k_; ++i) {
    t->multiplier[i] = m;
    m *= static_cast<std::uint32_t>(points_ + 1);
  }
  for (std::size_t code = 0; code < patterns; ++code) {
    std::size_t rest = code;
    std::size_t answered = 0;
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < k_; ++i) {
      const auto d = static_cast<std::uint8_t>(rest % (points_ + 1));
      rest /= points_ + 1;
      t->digits[code * k_ + i] = d;
      if (d > 0) {
        ++answered;
        sum += d - 1U;
      }
    }
    t->complete[code] = answered == k_ ? 1 : 0;
    if (answered >= cfg_.min_answered && score_scale_ > 0) {
      t->score[code] = static_cast<std::int64_t>(sum * (score_scale_ / answered));
    }
  }
  const std::lock_guard<std::mutex> hold(lock);
  if (cache.size() >= cached_designs) {
    cache.clear(); // the tables in use stay with the accumulators that use them
  }
  cache.emplace(key, tables_);
}

ETHOS_DECL void likert_accumulator::encode_block(std::span<const std::uint8_t* const> columns, std::size_t r0,
                                                 std::size_t n,
                                                 std::array<std::uint32_t, block>& codes) const noexcept {
  std::fill(codes.begin(), codes.begin() + static_cast<std::ptrdiff_t>(n), 0U);
  for (std::size_t i = 0; i < k_; ++i) {
    const std::uint8_t* c = columns[i] + r0;
    const std::uint32_t mult = tables_.get()->multiplier[i];
    // Digit arithmetic without a table so that the loop vectorises: missing -> 0, else keyed - min + 1.
    const std::uint32_t base = cfg_.reverse[i] ? static_cast<std::uint32_t>(cfg_.max + 1) : 0U;
    const std::uint32_t sub = cfg_.reverse[i] ? 0U : static_cast<std::uint32_t>(cfg_.min - 1);
    const bool rev = cfg_.reverse[i];
    for (std::size_t r = 0; r < n; ++r) {
      const std::uint32_t x = c[r];
      const std::uint32_t d = rev ? base - x : x - sub;
      codes[r] += x == 0xFFU ? 0U : d * mult;
    }
  }
}

ETHOS_DECL void likert_accumulator::add_groups_by_pattern(const std::uint32_t* group, std::size_t n,
                                                          const std::array<std::uint32_t, block>& codes) noexcept {
  constexpr std::size_t ahead = 16; // rows in random group order miss the cache: ask for the lines early
  const std::size_t stride = k_ * points_;
  const std::int64_t* pattern_score = tables_.get()->score.data();
  const std::uint8_t* pattern_complete = tables_.get()->complete.data();
  const std::uint8_t* pattern_digits = tables_.get()->digits.data();
  for (std::size_t r = 0; r < n; ++r) {
    if (r + ahead < n) {
      const std::size_t ga = group[r + ahead];
      __builtin_prefetch(heads_.data() + ga, 1);
      __builtin_prefetch(group_hist_.data() + ga * stride, 1);
      __builtin_prefetch(group_hist_.data() + ga * stride + stride - 1, 1);
    }
    const std::uint32_t code = codes[r];
    const std::size_t g = group[r];
    const std::int64_t y = pattern_score[code];
    group_head& head = heads_[g];
    if (y >= 0) {
      const auto uy = static_cast<std::uint64_t>(y);
      ++head.score_n;
      head.score_sum += uy;
      head.score_sumsq += static_cast<detail::uint128>(uy) * uy;
    }
    if (pattern_complete[code] != 0) {
      ++head.listwise_n;
      std::uint32_t* h = group_hist_.data() + g * k_ * points_;
      const std::uint8_t* d = pattern_digits + static_cast<std::size_t>(code) * k_;
      for (std::size_t i = 0; i < k_; ++i) {
        ++h[i * points_ + d[i] - 1U];
      }
    }
  }
}

ETHOS_DECL void likert_accumulator::add_group_row(std::size_t g, const std::vector<std::uint8_t>& digits) noexcept {
  std::size_t answered = 0;
  std::uint64_t sum = 0;
  for (auto d : digits) {
    if (d > 0) {
      ++answered;
      sum += d - 1U;
    }
  }
  if (answered >= cfg_.min_answered && score_scale_ > 0) {
    const std::uint64_t y = sum * (score_scale_ / answered);
    ++heads_[g].score_n;
    heads_[g].score_sum += y;
    heads_[g].score_sumsq += static_cast<detail::uint128>(y) * y;
  }
  if (answered == k_) {
    ++heads_[g].listwise_n;
    std::uint32_t* h = group_hist_.data() + g * k_ * points_;
    for (std::size_t i = 0; i < k_; ++i) {
      ++h[i * points_ + digits[i] - 1U];
    }
  }
}

ETHOS_DECL void likert_accumulator::add_row(const std::vector<std::uint8_t>& digits, std::uint64_t count,
                                            likert_moments& m) const noexcept {
  const std::size_t k = digits.size();
  std::size_t answered = 0;
  std::uint64_t vsum = 0;
  for (std::size_t i = 0; i < k; ++i) {
    if (digits[i] > 0) {
      ++answered;
      vsum += digits[i] - 1U;
    }
  }
  if (answered == k) {
    m.complete_rows += count;
  }
  const std::uint64_t t = (answered > 0 && m.total_scale > 0) ? vsum * (m.total_scale / answered) : 0;
  for (std::size_t i = 0; i < k; ++i) {
    if (digits[i] == 0) {
      continue;
    }
    const std::uint64_t vi = digits[i] - 1U;
    m.hist[i * m.points + vi] += count;
    m.n[i] += count;
    m.sum[i] += count * vi;
    m.sumsq[i] += count * vi * vi;
    if (m.total_scale > 0) {
      m.total_sum[i] += count * t;
      m.total_sumsq[i] += static_cast<detail::uint128>(count) * t * t;
      m.total_cross[i] += static_cast<detail::uint128>(count) * vi * t;
    }
    for (std::size_t j = i + 1; j < k; ++j) {
      if (digits[j] == 0) {
        continue;
      }
      const std::uint64_t vj = digits[j] - 1U;
      const std::size_t p = i * k + j;
      m.pair_n[p] += count;
      m.pair_sum_i[p] += count * vi;
      m.pair_sum_j[p] += count * vj;
      m.pair_cross[p] += count * vi * vj;
    }
  }
}

} // namespace ethos
