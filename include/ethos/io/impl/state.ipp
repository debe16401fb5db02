// ethos/io/impl/state.ipp: definitions of ethos/io/state.hpp (compiled into ethos::compiled, or included by the
// header in header-only mode). The format is docs/state_format.md.
#pragma once

#include <ethos/io/state.hpp>

#include <ethos/detail/int128.hpp>
#include <ethos/error.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ethos {

namespace detail {

inline constexpr std::array<std::uint8_t, 8> state_magic{0x89, 'E', 'T', 'H', 'O', 'S', 0x0D, 0x0A};
inline constexpr std::size_t state_header_size = 20; // magic, version (2), kind (2), payload length (8)
inline constexpr std::size_t state_trailer_size = 4; // CRC-32C
inline constexpr std::uint64_t state_max_count = std::uint64_t{1} << 53; // moments and NPS counts stay exact doubles

inline const char* state_kind_name(std::uint16_t kind) noexcept {
  switch (kind) {
  case static_cast<std::uint16_t>(state_kind::likert):
    return "a likert accumulator";
  case static_cast<std::uint16_t>(state_kind::moments):
    return "running moments";
  case static_cast<std::uint16_t>(state_kind::nps):
    return "eNPS counts";
  default:
    return "an unknown kind";
  }
}

// Appends the payload's integers and doubles; frame() wraps them in the header and checksum.
class state_writer {
 public:
  void u(std::uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<std::uint8_t>(v | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<std::uint8_t>(v));
  }
  void u128(uint128 v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<std::uint8_t>(static_cast<std::uint64_t>(v) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<std::uint8_t>(v));
  }
  void byte(std::uint8_t b) { out_.push_back(b); }
  void f64(double d) {
    const auto bits = std::bit_cast<std::uint64_t>(d);
    for (std::size_t i = 0; i < 8; ++i) {
      out_.push_back(static_cast<std::uint8_t>(bits >> (8 * i)));
    }
  }
  static void put_le(std::uint8_t* p, std::uint64_t v, std::size_t bytes) noexcept {
    for (std::size_t i = 0; i < bytes; ++i) {
      p[i] = static_cast<std::uint8_t>(v >> (8 * i));
    }
  }

  std::vector<std::uint8_t> frame(state_kind kind) && {
    // Sized once and filled in place (g++ 12 misreads a vector insert of the header at -O3 as an overflow).
    std::vector<std::uint8_t> framed(state_header_size + out_.size() + state_trailer_size);
    std::uint8_t* p = framed.data();
    std::copy(state_magic.begin(), state_magic.end(), p);
    put_le(p + 8, state_format_version, 2);
    put_le(p + 10, static_cast<std::uint16_t>(kind), 2);
    put_le(p + 12, out_.size(), 8);
    std::copy(out_.begin(), out_.end(), p + state_header_size);
    const std::size_t body = state_header_size + out_.size();
    put_le(p + body, crc32c(std::span<const std::uint8_t>(p, body)), 4);
    return framed;
  }

 private:
  std::vector<std::uint8_t> out_;
};

// Reads a framed state: checks the frame in the constructor, then hands out the payload's fields. Every refusal
// names the source, the byte offset (from the start of the state) and the field being read.
class state_reader {
 public:
  state_reader(std::span<const std::uint8_t> bytes, std::string_view source, state_kind expected)
      : bytes_(bytes), source_(source) {
    field_ = "header";
    if (bytes.size() < state_header_size + state_trailer_size) {
      fail("truncated: " + std::to_string(bytes.size()) + " bytes; a state has at least " +
           std::to_string(state_header_size + state_trailer_size));
    }
    check_magic(bytes, source);
    pos_ = 8;
    const auto version = static_cast<std::uint16_t>(fixed(2));
    if (version == 0 || version > state_format_version) {
      pos_ = 8;
      fail("format version " + std::to_string(version) + "; this build of ethos reads versions 1.." +
           std::to_string(state_format_version) +
           (version > state_format_version ? " (written by a newer ethos)" : ""));
    }
    const auto kind = static_cast<std::uint16_t>(fixed(2));
    if (kind != static_cast<std::uint16_t>(expected)) {
      pos_ = 10;
      fail(std::string("holds ") + state_kind_name(kind) + " (kind " + std::to_string(kind) + "), not " +
           state_kind_name(static_cast<std::uint16_t>(expected)));
    }
    const std::uint64_t length = fixed(8);
    const std::uint64_t present = bytes.size() - state_header_size - state_trailer_size;
    if (length != present) {
      pos_ = 12;
      fail(length > present ? "truncated: the header announces " + std::to_string(length) + " payload bytes, " +
                                  std::to_string(present) + " are present"
                            : std::to_string(present - length) + " bytes follow the end the header announces (" +
                                  std::to_string(length) + " payload bytes)");
    }
    end_ = state_header_size + static_cast<std::size_t>(length);
    std::uint32_t stored = 0;
    for (std::size_t i = 0; i < 4; ++i) {
      stored |= static_cast<std::uint32_t>(bytes[end_ + i]) << (8 * i);
    }
    const std::uint32_t computed = crc32c(bytes.first(end_));
    if (stored != computed) {
      pos_ = end_;
      field_ = "checksum";
      fail("CRC-32C " + hex(stored) + " does not match the content's " + hex(computed) +
           ": the bytes were changed or damaged");
    }
  }

  static void check_magic(std::span<const std::uint8_t> bytes, std::string_view source) {
    for (std::size_t i = 0; i < state_magic.size(); ++i) {
      if (i >= bytes.size() || bytes[i] != state_magic[i]) {
        throw error(std::string(source) + ": byte 0 (header): not an ethos state (it does not start with the " +
                    "state signature 89 45 54 48 4F 53 0D 0A)");
      }
    }
  }

  void field(const char* name) noexcept { field_ = name; }
  std::size_t offset() const noexcept { return pos_; }
  std::size_t left() const noexcept { return end_ - pos_; }

  [[noreturn]] void fail(const std::string& reason) const {
    throw error(std::string(source_) + ": byte " + std::to_string(pos_) + " (" + field_ + "): " + reason);
  }
  [[noreturn]] void fail_at(std::size_t pos, const std::string& reason) {
    pos_ = pos;
    fail(reason);
  }

  // An unsigned LEB128 integer of at most `max`, in its shortest form.
  std::uint64_t u(std::uint64_t max) {
    const std::size_t start = pos_;
    std::uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7) {
      if (pos_ >= end_) {
        fail_at(start, "truncated: the payload ends inside an integer");
      }
      const std::uint8_t b = bytes_[pos_++];
      if (shift == 63 && b > 1) {
        fail_at(start, "integer wider than 64 bits");
      }
      v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (b == 0 && shift > 0) {
          fail_at(start, "over-long integer (a trailing zero group); states are written in the shortest form");
        }
        break;
      }
    }
    if (v > max) {
      fail_at(start, std::to_string(v) + " exceeds the largest possible value, " + std::to_string(max));
    }
    return v;
  }

  uint128 u128(uint128 max) {
    const std::size_t start = pos_;
    uint128 v = 0;
    for (unsigned shift = 0;; shift += 7) {
      if (pos_ >= end_) {
        fail_at(start, "truncated: the payload ends inside an integer");
      }
      const std::uint8_t b = bytes_[pos_++];
      if (shift == 126 && b > 3) {
        fail_at(start, "integer wider than 128 bits");
      }
      v |= static_cast<uint128>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (b == 0 && shift > 0) {
          fail_at(start, "over-long integer (a trailing zero group); states are written in the shortest form");
        }
        break;
      }
    }
    if (v > max) {
      fail_at(start, "a 128-bit sum exceeds the largest possible value for its counts");
    }
    return v;
  }

  std::uint8_t byte() {
    if (pos_ >= end_) {
      fail("truncated: the payload ends here");
    }
    return bytes_[pos_++];
  }

  double f64() {
    if (left() < 8) {
      fail("truncated: a double needs 8 bytes, " + std::to_string(left()) + " are left");
    }
    return std::bit_cast<double>(fixed(8));
  }

  // Refuses a section that would need more than the bytes left (each value takes at least one byte), before the
  // decoder allocates for it.
  void need(std::uint64_t values, const char* what) {
    if (values > left()) {
      fail(std::string("truncated: ") + what + " take at least " + std::to_string(values) + " bytes, " +
           std::to_string(left()) + " are left");
    }
  }

  void finish() {
    field_ = "end of payload";
    if (pos_ != end_) {
      fail(std::to_string(end_ - pos_) + " bytes after the last field");
    }
  }

 private:
  std::uint64_t fixed(std::size_t n) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) {
      v |= static_cast<std::uint64_t>(bytes_[pos_ + i]) << (8 * i);
    }
    pos_ += n;
    return v;
  }
  static std::string hex(std::uint32_t v) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string s = "0x";
    for (int i = 7; i >= 0; --i) {
      s += digits[(v >> (4 * i)) & 0xF];
    }
    return s;
  }

  std::span<const std::uint8_t> bytes_;
  std::string_view source_;
  const char* field_ = "header";
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
};

// The one friend of the accumulators' private state.
struct state_codec {
  static std::vector<std::uint8_t> encode(const likert_accumulator& a) {
    state_writer w;
    const likert_config& c = a.cfg_;
    w.u(c.items);
    w.u(static_cast<std::uint64_t>(c.min));
    w.u(static_cast<std::uint64_t>(c.max));
    for (std::size_t i = 0; i < c.items; i += 8) {
      std::uint8_t bits = 0;
      for (std::size_t j = i; j < std::min(c.items, i + 8); ++j) {
        bits = static_cast<std::uint8_t>(bits | (c.reverse[j] ? 1U << (j - i) : 0U));
      }
      w.byte(bits);
    }
    w.u(c.groups);
    w.u(c.min_answered);
    w.byte(c.count_patterns ? 1 : 0);
    w.u(a.rows_);
    if (a.counts_patterns()) {
      std::uint64_t used = 0;
      for (std::size_t code = 0; code < a.patterns_.size(); ++code) {
        used += a.patterns_[code] + a.patterns_odd_[code] != 0 ? 1 : 0;
      }
      w.u(used);
      std::size_t next = 0; // codes as gaps from the previous used code + 1
      for (std::size_t code = 0; code < a.patterns_.size(); ++code) {
        const std::uint64_t count = a.patterns_[code] + a.patterns_odd_[code];
        if (count != 0) {
          w.u(code - next);
          w.u(count);
          next = code + 1;
        }
      }
    } else {
      const likert_moments& m = a.direct_;
      const std::size_t k = m.items;
      for (const auto h : m.hist) {
        w.u(h);
      }
      for (std::size_t i = 0; i < k; ++i) {
        for (std::size_t j = i + 1; j < k; ++j) {
          const std::size_t p = m.pair_index(i, j);
          w.u(m.pair_n[p]);
          w.u(m.pair_sum_i[p]);
          w.u(m.pair_sum_j[p]);
          w.u(m.pair_cross[p]);
        }
      }
      w.u(m.complete_rows);
      if (m.total_scale > 0) {
        for (std::size_t i = 0; i < k; ++i) {
          w.u(m.total_sum[i]);
          w.u128(m.total_sumsq[i]);
          w.u128(m.total_cross[i]);
        }
      }
    }
    const std::size_t stride = a.k_ * a.points_;
    for (std::size_t g = 0; g < a.heads_.size(); ++g) {
      const auto& h = a.heads_[g];
      w.u(h.listwise_n);
      w.u(h.score_n);
      w.u(h.score_sum);
      w.u128(h.score_sumsq);
      for (std::size_t x = 0; x < stride; ++x) {
        w.u(a.group_hist_[g * stride + x]);
      }
    }
    return std::move(w).frame(state_kind::likert);
  }

  static likert_accumulator decode_likert(std::span<const std::uint8_t> bytes, std::string_view source) {
    state_reader r(bytes, source, state_kind::likert);
    likert_config c;
    r.field("items");
    c.items = static_cast<std::size_t>(r.u(255));
    if (c.items == 0) {
      r.fail_at(r.offset() - 1, "0 items; an accumulator has 1..255");
    }
    r.field("scale minimum");
    c.min = static_cast<int>(r.u(250));
    r.field("scale maximum");
    const std::size_t max_at = r.offset();
    c.max = static_cast<int>(r.u(250));
    if (c.max <= c.min) {
      r.fail_at(max_at, "scale " + std::to_string(c.min) + ".." + std::to_string(c.max) + " is empty");
    }
    r.field("reverse flags");
    c.reverse.assign(c.items, false);
    for (std::size_t i = 0; i < c.items; i += 8) {
      const std::uint8_t bits = r.byte();
      for (std::size_t j = i; j < i + 8; ++j) {
        const bool set = ((bits >> (j - i)) & 1U) != 0;
        if (j >= c.items && set) {
          r.fail_at(r.offset() - 1,
                    "a flag is set for item " + std::to_string(j + 1) + " of " + std::to_string(c.items));
        }
        if (j < c.items) {
          c.reverse[j] = set;
        }
      }
    }
    r.field("groups");
    const std::size_t groups_at = r.offset();
    const std::uint64_t groups = r.u(0xFFFFFFFFU);
    r.field("min_answered");
    const std::size_t min_answered_at = r.offset();
    c.min_answered = static_cast<std::size_t>(r.u(c.items));
    if (c.min_answered == 0) {
      r.fail_at(min_answered_at, "0; a stored configuration has 1..items");
    }
    r.field("pattern flag");
    const std::uint8_t flag = r.byte();
    if (flag > 1) {
      r.fail_at(r.offset() - 1, "flag " + std::to_string(flag) + " is neither 0 nor 1");
    }
    c.count_patterns = flag == 1;
    const std::size_t k = c.items;
    const auto points = static_cast<std::size_t>(c.max - c.min + 1);
    const std::size_t stride = k * points;
    // Every group takes at least 4 + k * A bytes: refuse a count the payload cannot hold before allocating for it.
    r.field("groups");
    if (groups > 0 && groups > r.left() / (4 + stride)) {
      r.fail_at(groups_at, std::to_string(groups) + " groups need at least " + std::to_string(4 + stride) +
                               " bytes each; the payload has " + std::to_string(r.left()) + " left");
    }
    c.groups = static_cast<std::size_t>(groups);
    likert_accumulator a(std::move(c));
    r.field("rows");
    a.rows_ = r.u(groups > 0 ? 0xFFFFFFFFU : likert_accumulator::max_rows);
    const std::uint64_t rows = a.rows_;
    const std::uint64_t top = points - 1; // largest keyed value v
    // Complete rows per (item, value), for the groups' checks.
    std::vector<std::uint64_t> complete_hist(stride, 0);
    std::uint64_t complete_rows = 0;
    if (a.counts_patterns()) {
      r.field("pattern counts");
      const std::uint64_t used = r.u(a.patterns_.size());
      r.need(2 * used, "the pattern counts");
      std::uint64_t total = 0;
      std::uint64_t next = 0;
      for (std::uint64_t e = 0; e < used; ++e) {
        const std::size_t at = r.offset();
        const std::uint64_t code =
            next + r.u(a.patterns_.size() - 1 - std::min<std::uint64_t>(next, a.patterns_.size() - 1));
        if (code >= a.patterns_.size()) {
          r.fail_at(at, "pattern code " + std::to_string(code) + " is beyond the design's " +
                            std::to_string(a.patterns_.size()) + " patterns");
        }
        const std::size_t count_at = r.offset();
        const std::uint64_t count = r.u(rows);
        if (count == 0) {
          r.fail_at(count_at, "a listed pattern has a count of 0");
        }
        if (count > rows - total) {
          r.fail_at(count_at, "the pattern counts add up to more than the " + std::to_string(rows) + " rows");
        }
        total += count;
        a.patterns_[code] = count;
        next = code + 1;
        if (a.pattern_complete()[code] != 0) {
          complete_rows += count;
          for (std::size_t i = 0; i < k; ++i) {
            complete_hist[i * points + a.pattern_digits()[code * k + i] - 1U] += count;
          }
        }
      }
      if (total != rows) {
        r.fail("the pattern counts add up to " + std::to_string(total) + ", not to the " + std::to_string(rows) +
               " rows");
      }
    } else {
      likert_moments& m = a.direct_;
      r.field("item histograms");
      r.need(stride, "the item histograms");
      for (std::size_t i = 0; i < k; ++i) {
        const std::size_t at = r.offset();
        std::uint64_t n = 0;
        std::uint64_t sum = 0;
        std::uint64_t sumsq = 0;
        for (std::uint64_t v = 0; v < points; ++v) {
          const std::uint64_t h = r.u(rows);
          m.hist[i * points + v] = h;
          n += h;
          sum += h * v;
          sumsq += h * v * v;
        }
        if (n > rows) {
          r.fail_at(at, "item " + std::to_string(i + 1) + " has " + std::to_string(n) + " answers in " +
                            std::to_string(rows) + " rows");
        }
        m.n[i] = n;
        m.sum[i] = sum;
        m.sumsq[i] = sumsq;
      }
      r.field("pair sums");
      r.need(2 * k * (k - 1), "the pair sums");
      for (std::size_t i = 0; i < k; ++i) {
        for (std::size_t j = i + 1; j < k; ++j) {
          const std::size_t p = m.pair_index(i, j);
          const std::size_t at = r.offset();
          const std::uint64_t n = r.u(std::min(m.n[i], m.n[j]));
          const std::uint64_t si = r.u(std::min(n * top, m.sum[i]));
          const std::uint64_t sj = r.u(std::min(n * top, m.sum[j]));
          const std::uint64_t cross = r.u(n * top * top);
          if (cross > si * top || cross > sj * top) {
            r.fail_at(at, "the cross sum of items " + std::to_string(i + 1) + " and " + std::to_string(j + 1) +
                              " exceeds what their sums allow");
          }
          m.pair_n[p] = n;
          m.pair_sum_i[p] = si;
          m.pair_sum_j[p] = sj;
          m.pair_cross[p] = cross;
        }
      }
      r.field("complete rows");
      std::uint64_t most = rows;
      for (std::size_t i = 0; i < k; ++i) {
        most = std::min(most, m.n[i]);
      }
      m.complete_rows = r.u(most);
      complete_rows = m.complete_rows;
      if (m.total_scale > 0) {
        r.field("item-total sums");
        r.need(3 * k, "the item-total sums");
        const std::uint64_t t_top = m.total_scale * top;
        for (std::size_t i = 0; i < k; ++i) {
          const std::uint64_t n = m.n[i];
          m.total_sum[i] = r.u(n * t_top);
          m.total_sumsq[i] = r.u128(static_cast<uint128>(m.total_sum[i]) * t_top);
          m.total_cross[i] = r.u128(static_cast<uint128>(m.total_sum[i]) * top);
        }
      }
      // Complete rows per value are not stored in this form: each group's histogram is checked against the
      // item's histogram instead.
      complete_hist = m.hist;
    }
    r.field("groups");
    std::uint64_t listwise_total = 0;
    std::uint64_t scored_total = 0;
    std::vector<std::uint64_t> group_hist_total(stride, 0);
    const uint128 y_top = static_cast<uint128>(a.score_scale_) * top;
    for (std::size_t g = 0; g < a.heads_.size(); ++g) {
      auto& h = a.heads_[g];
      const std::size_t at = r.offset();
      const std::string which = "group " + std::to_string(g);
      r.field("group listwise rows");
      h.listwise_n = static_cast<std::uint32_t>(r.u(rows));
      r.field("group scored rows");
      h.score_n = static_cast<std::uint32_t>(r.u(rows));
      r.field("group score sum");
      h.score_sum = r.u(static_cast<std::uint64_t>(h.score_n * y_top));
      r.field("group score sum of squares");
      h.score_sumsq = r.u128(static_cast<uint128>(h.score_sum) * y_top);
      r.field("group scores");
      if (a.score_scale_ > 0 ? h.score_n < h.listwise_n : h.score_n != 0) {
        r.fail_at(at, which + " has " + std::to_string(h.listwise_n) + " complete rows but " +
                          std::to_string(h.score_n) + " scored rows");
      }
      // sum^2 <= n sumsq (both sides below 2^120: sum < 2^60, n < 2^32, sumsq < 2^88).
      if (static_cast<uint128>(h.score_sum) * h.score_sum > static_cast<uint128>(h.score_n) * h.score_sumsq) {
        r.fail_at(at, which + ": the sum of squared scores is smaller than the sum's square allows");
      }
      r.field("group histogram");
      for (std::size_t i = 0; i < k; ++i) {
        const std::size_t item_at = r.offset();
        std::uint64_t n = 0;
        for (std::size_t v = 0; v < points; ++v) {
          const std::uint64_t x = r.u(h.listwise_n);
          a.group_hist_[g * stride + i * points + v] = static_cast<std::uint32_t>(x);
          group_hist_total[i * points + v] += x;
          n += x;
        }
        if (n != h.listwise_n) {
          r.fail_at(item_at, which + ", item " + std::to_string(i + 1) + ": the histogram counts " + std::to_string(n) +
                                 " rows, the group " + std::to_string(h.listwise_n) + " complete rows");
        }
      }
      listwise_total += h.listwise_n;
      scored_total += h.score_n;
    }
    if (!a.heads_.empty()) {
      if (listwise_total > complete_rows) {
        r.fail("the groups hold " + std::to_string(listwise_total) + " complete rows, the accumulator " +
               std::to_string(complete_rows));
      }
      if (scored_total > rows) {
        r.fail("the groups hold " + std::to_string(scored_total) + " scored rows, the accumulator " +
               std::to_string(rows) + " rows");
      }
      for (std::size_t x = 0; x < stride; ++x) {
        if (group_hist_total[x] > complete_hist[x]) {
          r.fail("the groups' histograms count more rows with item " + std::to_string(x / points + 1) + " at value " +
                 std::to_string(a.cfg_.min + static_cast<int>(x % points)) + " than the accumulator");
        }
      }
    }
    r.finish();
    return a;
  }

  static std::vector<std::uint8_t> encode(const running_moments& m) {
    state_writer w;
    w.u(m.n_);
    w.u(m.missing_);
    w.f64(m.mean_);
    w.f64(m.m2_);
    return std::move(w).frame(state_kind::moments);
  }

  static running_moments decode_moments(std::span<const std::uint8_t> bytes, std::string_view source) {
    state_reader r(bytes, source, state_kind::moments);
    running_moments m;
    r.field("n");
    m.n_ = static_cast<std::size_t>(r.u(state_max_count));
    r.field("missing");
    m.missing_ = static_cast<std::size_t>(r.u(state_max_count));
    r.field("mean");
    m.mean_ = r.f64();
    if (!is_finite(m.mean_) || (m.n_ == 0 && std::bit_cast<std::uint64_t>(m.mean_) != 0)) {
      r.fail_at(r.offset() - 8, m.n_ == 0 ? "a mean other than 0 with no values" : "the mean is not a finite number");
    }
    r.field("M2");
    m.m2_ = r.f64();
    if (!is_finite(m.m2_) || m.m2_ < 0 || (m.n_ < 2 && std::bit_cast<std::uint64_t>(m.m2_) != 0)) {
      r.fail_at(r.offset() - 8, m.n_ < 2 ? "a sum of squares other than 0 with fewer than 2 values"
                                         : "the sum of squares is negative or not a finite number");
    }
    r.finish();
    return m;
  }

  static std::vector<std::uint8_t> encode(const nps_counts& c) {
    state_writer w;
    w.u(c.promoters);
    w.u(c.passives);
    w.u(c.detractors);
    return std::move(w).frame(state_kind::nps);
  }

  static nps_counts decode_nps(std::span<const std::uint8_t> bytes, std::string_view source) {
    state_reader r(bytes, source, state_kind::nps);
    nps_counts c;
    r.field("promoters");
    c.promoters = static_cast<std::size_t>(r.u(state_max_count));
    r.field("passives");
    c.passives = static_cast<std::size_t>(r.u(state_max_count));
    r.field("detractors");
    c.detractors = static_cast<std::size_t>(r.u(state_max_count));
    r.finish();
    return c;
  }
};

} // namespace detail

ETHOS_DECL std::uint32_t crc32c(std::span<const std::uint8_t> bytes, std::uint32_t crc) noexcept {
  static constexpr auto table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int b = 0; b < 8; ++b) {
        c = (c & 1U) != 0 ? (c >> 1) ^ 0x82F63B78U : c >> 1;
      }
      t[i] = c;
    }
    return t;
  }();
  crc = ~crc;
  for (const std::uint8_t b : bytes) {
    crc = table[(crc ^ b) & 0xFFU] ^ (crc >> 8);
  }
  return ~crc;
}

ETHOS_DECL std::vector<std::uint8_t> encode_state(const likert_accumulator& acc) {
  return detail::state_codec::encode(acc);
}

ETHOS_DECL std::vector<std::uint8_t> encode_state(const running_moments& m) { return detail::state_codec::encode(m); }

ETHOS_DECL std::vector<std::uint8_t> encode_state(const nps_counts& c) { return detail::state_codec::encode(c); }

ETHOS_DECL state_kind peek_state_kind(std::span<const std::uint8_t> bytes, std::string_view source) {
  detail::state_reader::check_magic(bytes, source);
  if (bytes.size() < detail::state_header_size) {
    throw error(std::string(source) + ": byte " + std::to_string(bytes.size()) +
                " (header): truncated: " + std::to_string(bytes.size()) + " bytes; a state has at least " +
                std::to_string(detail::state_header_size + detail::state_trailer_size));
  }
  const auto kind = static_cast<std::uint16_t>(bytes[10] | (bytes[11] << 8));
  if (kind < 1 || kind > 3) {
    throw error(std::string(source) + ": byte 10 (header): unknown state kind " + std::to_string(kind));
  }
  return static_cast<state_kind>(kind);
}

ETHOS_DECL likert_accumulator decode_likert_state(std::span<const std::uint8_t> bytes, std::string_view source) {
  return detail::state_codec::decode_likert(bytes, source);
}

ETHOS_DECL running_moments decode_moments_state(std::span<const std::uint8_t> bytes, std::string_view source) {
  return detail::state_codec::decode_moments(bytes, source);
}

ETHOS_DECL nps_counts decode_nps_state(std::span<const std::uint8_t> bytes, std::string_view source) {
  return detail::state_codec::decode_nps(bytes, source);
}

} // namespace ethos
