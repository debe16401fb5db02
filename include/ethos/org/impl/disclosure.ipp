// ethos/org/impl/disclosure.ipp: definitions of ethos/org/disclosure.hpp (compiled into ethos::compiled, or included
// by the header in header-only mode).
#pragma once

#include <ethos/org/disclosure.hpp>

#include <ethos/detail/hash_slots.hpp>
#include <ethos/detail/int128.hpp>
#include <ethos/error.hpp>
#include <ethos/org/detail/classes.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <numeric>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ethos {

ETHOS_DECL std::string hidden_reason(suppression s, std::size_t k) {
  switch (s) {
  case suppression::too_small:
    return "fewer than " + std::to_string(k) + " respondents";
  case suppression::secondary:
    return "hidden so that a smaller group cannot be derived by subtraction";
  case suppression::none:
    break;
  }
  return {};
}

namespace detail {

// Arithmetic modulo the Mersenne prime 2^61 - 1. Linear dependence of 0/1 rows is decided in this field:
// exact over the rationals unless the prime divides a minor of the cell matrix, which for matrices of up to
// millions of rows has probability far below 2^-40 for any input not built against this very prime.
struct mod61 {
  static constexpr std::uint64_t p = (std::uint64_t{1} << 61) - 1;
  static constexpr std::uint64_t add(std::uint64_t a, std::uint64_t b) noexcept {
    const std::uint64_t s = a + b;
    return s >= p ? s - p : s;
  }
  static constexpr std::uint64_t sub(std::uint64_t a, std::uint64_t b) noexcept { return a >= b ? a - b : a + p - b; }
  static constexpr std::uint64_t mul(std::uint64_t a, std::uint64_t b) noexcept {
    const uint128 x = static_cast<uint128>(a) * b;
    const std::uint64_t s = (static_cast<std::uint64_t>(x) & p) + static_cast<std::uint64_t>(x >> 61);
    return s >= p ? s - p : s;
  }
  static constexpr std::uint64_t pow(std::uint64_t a, std::uint64_t e) noexcept {
    std::uint64_t r = 1;
    while (e > 0) {
      if ((e & 1U) != 0) {
        r = mul(r, a);
      }
      a = mul(a, a);
      e >>= 1U;
    }
    return r;
  }
  static constexpr std::uint64_t inv(std::uint64_t a) noexcept { return pow(a, p - 2); }
};

// A sparse vector over GF(2^61 - 1): (index, nonzero value) pairs sorted by index.
using sparse_row = std::vector<std::pair<std::uint32_t, std::uint64_t>>;

// r := r - f * s, merging the sorted supports.
ETHOS_DECL void axpy_sub(sparse_row& r, std::uint64_t f, const sparse_row& s, sparse_row& scratch) {
  scratch.clear();
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < r.size() || j < s.size()) {
    if (j == s.size() || (i < r.size() && r[i].first < s[j].first)) {
      scratch.push_back(r[i++]);
    } else if (i == r.size() || s[j].first < r[i].first) {
      scratch.emplace_back(s[j].first, mod61::sub(0, mod61::mul(f, s[j].second)));
      ++j;
    } else {
      const std::uint64_t v = mod61::sub(r[i].second, mod61::mul(f, s[j].second));
      if (v != 0) {
        scratch.emplace_back(r[i].first, v);
      }
      ++i;
      ++j;
    }
  }
  r.swap(scratch);
}

// Row echelon form of a set of sparse rows, built one row at a time. Each stored row remembers which input
// rows it combines (`track`), so that a vector found in the span can be traced back to the cells behind it.
// Stored rows live end to end in one array (a report's cells number in the hundreds of thousands; one allocation
// each would cost more than the arithmetic).
class echelon {
 public:
  using entry = std::pair<std::uint32_t, std::uint64_t>;

  explicit echelon(std::size_t columns, bool track)
      : pivot_of_(columns, npos), acc_(columns, 0), queued_(columns, 0), track_(track) {
    first_.push_back(0);
  }

  // Adds an input row of ones in the columns `cols` (ascending), its index `id` for tracking; returns true when it
  // raised the rank.
  bool add_ones(std::span<const std::uint32_t> cols, std::uint32_t id) {
    // A row none of whose columns is a pivot yet stays as it is (the common case of a cell with atoms of its own).
    if (std::all_of(cols.begin(), cols.end(), [&](std::uint32_t c) { return pivot_of_[c] == npos; })) {
      if (cols.empty()) {
        return false;
      }
      for (const auto c : cols) {
        entries_.emplace_back(c, 1);
      }
      sparse_row comb;
      if (track_) {
        comb.emplace_back(id, 1);
      }
      store(std::move(comb));
      return true;
    }
    sparse_row r;
    r.reserve(cols.size());
    for (const auto c : cols) {
      r.emplace_back(c, 1);
    }
    sparse_row comb;
    if (track_) {
      comb.emplace_back(id, 1);
    }
    reduce(r, &comb);
    if (r.empty()) {
      return false;
    }
    if (r.front().second != 1) {
      const std::uint64_t lead_inv = mod61::inv(r.front().second);
      for (auto& e : r) {
        e.second = mod61::mul(e.second, lead_inv);
      }
      for (auto& e : comb) {
        e.second = mod61::mul(e.second, lead_inv);
      }
    }
    entries_.insert(entries_.end(), r.begin(), r.end());
    store(std::move(comb));
    return true;
  }

  // Reduces r by the stored rows (leading entries are 1); with `comb`, records the combination used. The row is
  // spread into a dense accumulator and its columns visited from the smallest up (a min-heap): subtracting a stored
  // row touches only columns after its pivot, so a visited column is final, and the work is the entries of the
  // stored rows used, not the row's length times their number.
  void reduce(sparse_row& r, sparse_row* comb) const {
    const bool tracking = comb != nullptr && track_;
    // The row's own columns are visited in their (ascending) order; the heap holds only the columns that subtracting
    // stored rows brings in (few: most stored rows of a report are an atom of their own).
    auto& heap = heap_;
    heap.clear();
    for (const auto& [c, v] : r) {
      acc_[c] = v;
      queued_[c] = 1;
    }
    if (tracking) {
      for (const auto& [id, v] : *comb) {
        comb_add(id, v);
      }
    }
    const auto later = [](std::uint32_t a, std::uint32_t b) { return a > b; };
    sparse_row out;
    std::size_t next = 0;
    while (next < r.size() || !heap.empty()) {
      std::uint32_t c = 0;
      if (heap.empty() || (next < r.size() && r[next].first < heap.front())) {
        c = r[next++].first;
      } else {
        std::pop_heap(heap.begin(), heap.end(), later);
        c = heap.back();
        heap.pop_back();
      }
      queued_[c] = 0;
      const std::uint64_t v = acc_[c];
      acc_[c] = 0;
      if (v == 0) {
        continue;
      }
      const std::size_t piv = pivot_of_[c];
      if (piv == npos) {
        out.emplace_back(c, v);
        continue;
      }
      const auto stored = row(piv);
      for (std::size_t e = 1; e < stored.size(); ++e) {
        const auto [c2, v2] = stored[e];
        acc_[c2] = mod61::sub(acc_[c2], mod61::mul(v, v2));
        if (queued_[c2] == 0) {
          queued_[c2] = 1;
          heap.push_back(c2);
          std::push_heap(heap.begin(), heap.end(), later);
        }
      }
      if (tracking) {
        for (const auto& [id, w] : combos_[piv]) {
          comb_add(id, mod61::sub(0, mod61::mul(v, w)));
        }
      }
    }
    r.swap(out);
    if (tracking) {
      comb->clear();
      std::sort(comb_touched_.begin(), comb_touched_.end());
      for (const auto id : comb_touched_) {
        if (comb_acc_[id] != 0) {
          comb->emplace_back(id, comb_acc_[id]);
        }
        comb_acc_[id] = 0;
        comb_seen_[id] = 0;
      }
      comb_touched_.clear();
    }
  }

  // Room for `entries` stored entries and `rows` stored rows (the input's size: fill-in is rare).
  void reserve(std::size_t entries, std::size_t rows) {
    entries_.reserve(entries);
    first_.reserve(rows + 1);
  }

  [[nodiscard]] std::size_t rank() const noexcept { return first_.size() - 1; }
  // Stored row i (leading entry 1 at its pivot, zero before it) and the input rows it combines.
  [[nodiscard]] std::span<const entry> row(std::size_t i) const noexcept {
    return {entries_.data() + first_[i], first_[i + 1] - first_[i]};
  }
  [[nodiscard]] const sparse_row& combination(std::size_t i) const noexcept {
    static const sparse_row none;
    return track_ ? combos_[i] : none;
  }

 private:
  // Records the row just appended to entries_ as stored row rank().
  void store(sparse_row comb) {
    pivot_of_[entries_[first_.back()].first] = rank();
    first_.push_back(entries_.size());
    if (track_) {
      combos_.push_back(std::move(comb));
    }
  }

  void comb_add(std::uint32_t id, std::uint64_t v) const {
    if (id >= comb_acc_.size()) {
      comb_acc_.resize(id + 1, 0);
      comb_seen_.resize(id + 1, 0);
    }
    if (comb_seen_[id] == 0) {
      comb_seen_[id] = 1;
      comb_touched_.push_back(id);
    }
    comb_acc_[id] = mod61::add(comb_acc_[id], v);
  }

  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  std::vector<std::size_t> pivot_of_;
  std::vector<entry> entries_;     // the stored rows, end to end
  std::vector<std::size_t> first_; // where each stored row starts in entries_, and one past the last
  std::vector<sparse_row> combos_;
  // Scratch of reduce(): all zero between calls.
  mutable std::vector<std::uint64_t> acc_;
  mutable std::vector<unsigned char> queued_;
  bool track_;
  mutable std::vector<std::uint64_t> comb_acc_;
  mutable std::vector<unsigned char> comb_seen_;
  mutable std::vector<std::uint32_t> comb_touched_;
  mutable std::vector<std::uint32_t> heap_;
};

ETHOS_DECL std::vector<std::uint32_t> merge_unique(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b) {
  std::vector<std::uint32_t> out;
  out.reserve(a.size() + b.size());
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

// The positions 0..n-1 ordered by `key` (ascending), ties in position order: what sorting (key, position) pairs
// gives, by least-significant-digit radix passes of 11 bits over the digits the largest key has (two or three for
// the sizes of cells, where a comparison sort of a hundred thousand pairs cost more than the rest of the ordering).
ETHOS_DECL std::vector<std::size_t> stable_order(std::span<const std::uint64_t> key) {
  const std::size_t n = key.size();
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) {
    order[i] = i;
  }
  std::uint64_t top = 0;
  for (const auto k : key) {
    top |= k;
  }
  constexpr unsigned bits = 11;
  constexpr std::size_t buckets = std::size_t{1} << bits;
  std::vector<std::size_t> next(n);
  std::vector<std::size_t> count(buckets);
  for (unsigned shift = 0; shift < 64 && (top >> shift) != 0; shift += bits) {
    std::fill(count.begin(), count.end(), 0);
    for (const auto i : order) {
      ++count[(key[i] >> shift) & (buckets - 1)];
    }
    std::size_t at = 0;
    for (auto& c : count) {
      const std::size_t here = c;
      c = at;
      at += here;
    }
    for (const auto i : order) {
      next[count[(key[i] >> shift) & (buckets - 1)]++] = i;
    }
    order.swap(next);
  }
  return order;
}

// The person behind element `e` (the element itself without a person_of map).
ETHOS_DECL std::uint32_t person_of_element(std::uint32_t e, std::span<const std::uint32_t> person_of) {
  if (person_of.empty()) {
    return e;
  }
  if (e >= person_of.size()) {
    throw error("disclosure: element " + std::to_string(e) + " has no person (person_of has " +
                std::to_string(person_of.size()) + " entries)");
  }
  return person_of[e];
}

// The distinct persons behind `members`, sorted.
ETHOS_DECL std::vector<std::uint32_t> persons_in(std::span<const std::uint32_t> members,
                                                 std::span<const std::uint32_t> person_of) {
  std::vector<std::uint32_t> ps;
  ps.reserve(members.size());
  for (const auto e : members) {
    ps.push_back(person_of_element(e, person_of));
  }
  std::sort(ps.begin(), ps.end());
  ps.erase(std::unique(ps.begin(), ps.end()), ps.end());
  return ps;
}

// A nonzero vector orthogonal to every vector of `rows` (each of length q), or nothing when they span F^q.
ETHOS_DECL std::optional<std::vector<std::uint64_t>> orthogonal_vector(std::vector<std::vector<std::uint64_t>> rows,
                                                                       std::size_t q) {
  // Reduced row echelon form, then one free coordinate set to 1.
  std::vector<std::size_t> pivot_col;
  std::size_t r = 0;
  for (std::size_t c = 0; c < q && r < rows.size(); ++c) {
    std::size_t p = r;
    while (p < rows.size() && rows[p][c] == 0) {
      ++p;
    }
    if (p == rows.size()) {
      continue;
    }
    std::swap(rows[p], rows[r]);
    const std::uint64_t inv = mod61::inv(rows[r][c]);
    for (auto& x : rows[r]) {
      x = mod61::mul(x, inv);
    }
    for (std::size_t o = 0; o < rows.size(); ++o) {
      if (o != r && rows[o][c] != 0) {
        const std::uint64_t f = rows[o][c];
        for (std::size_t j = 0; j < q; ++j) {
          rows[o][j] = mod61::sub(rows[o][j], mod61::mul(f, rows[r][j]));
        }
      }
    }
    pivot_col.push_back(c);
    ++r;
  }
  if (r == q) {
    return std::nullopt;
  }
  std::size_t free = 0;
  while (std::find(pivot_col.begin(), pivot_col.end(), free) != pivot_col.end()) {
    ++free;
  }
  std::vector<std::uint64_t> alpha(q, 0);
  alpha[free] = 1;
  for (std::size_t i = 0; i < r; ++i) {
    alpha[pivot_col[i]] = mod61::sub(0, rows[i][free]);
  }
  return alpha;
}

// Classes of the elements of `cells`: elements held by exactly the same cells form one class.
ETHOS_DECL class_input classes_of(std::span<const disclosure_cell> cells, std::span<const std::uint32_t> person_of) {
  class_input in;
  std::uint32_t top = 0;
  for (std::size_t c = 0; c < cells.size(); ++c) {
    const auto& m = cells[c].members;
    for (std::size_t i = 0; i < m.size(); ++i) {
      if (i > 0 && m[i] <= m[i - 1]) {
        throw error("disclosure: cell '" + cells[c].label + "': members are not sorted and unique");
      }
    }
    if (!m.empty()) {
      top = std::max(top, m.back() + 1);
    }
  }
  // Each element's signature (the cells holding it) as a hash, refined by comparing the lists.
  std::vector<std::uint32_t> first(top + 1, 0);
  for (const auto& c : cells) {
    for (const auto e : c.members) {
      ++first[e + 1];
    }
  }
  for (std::uint32_t e = 0; e < top; ++e) {
    first[e + 1] += first[e];
  }
  std::vector<std::uint32_t> sig(first[top]);
  {
    std::vector<std::uint32_t> fill(first.begin(), first.end() - 1);
    for (std::size_t c = 0; c < cells.size(); ++c) {
      for (const auto e : cells[c].members) {
        sig[fill[e]++] = static_cast<std::uint32_t>(c);
      }
    }
  }
  const auto sig_of = [&](std::uint32_t e) {
    return std::span<const std::uint32_t>(sig.data() + first[e], first[e + 1] - first[e]);
  };
  in.class_of_element.assign(top, no_class);
  std::vector<std::uint32_t> representative;
  hash_slots index;
  for (std::uint32_t e = 0; e < top; ++e) {
    const auto s = sig_of(e);
    if (s.empty()) {
      continue;
    }
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (const auto c : s) {
      h = (h ^ c) * 0x100000001b3ULL;
    }
    const auto next = static_cast<std::uint32_t>(representative.size());
    const std::uint32_t cl = index.find_or_insert(
        h,
        [&](std::uint32_t other) {
          const auto t = sig_of(representative[other]);
          return std::equal(s.begin(), s.end(), t.begin(), t.end());
        },
        next);
    if (cl == next) {
      representative.push_back(e);
      in.elements.emplace_back();
    }
    in.elements[cl].push_back(e);
    in.class_of_element[e] = cl;
  }
  in.owned_cells.resize(cells.size());
  for (std::uint32_t cl = 0; cl < representative.size(); ++cl) {
    for (const auto c : sig_of(representative[cl])) {
      in.owned_cells[c].push_back(cl);
    }
  }
  for (const auto& c : in.owned_cells) {
    in.cells.emplace_back(c);
  }
  for (const auto& c : cells) {
    in.labels.emplace_back(c.label);
  }
  in.one_person_each = person_of.empty();
  in.size.resize(in.elements.size());
  in.persons.resize(in.elements.size());
  for (std::size_t cl = 0; cl < in.elements.size(); ++cl) {
    in.size[cl] = in.elements[cl].size();
    in.persons[cl] = persons_in(in.elements[cl], person_of);
  }
  return in;
}

// The classes of a class_cells family, checked; classes are counted persons.
ETHOS_DECL class_input classes_of(const class_cells& family) {
  class_input in;
  in.size = family.persons;
  for (std::size_t c = 0; c < family.cells.size(); ++c) {
    const auto& m = family.cells[c];
    for (std::size_t i = 0; i < m.size(); ++i) {
      if ((i > 0 && m[i] <= m[i - 1]) || m[i] >= family.persons.size()) {
        throw error("disclosure: cell " +
                    (c < family.labels.size() && !family.labels[c].empty() ? "'" + family.labels[c] + "'"
                                                                           : "#" + std::to_string(c + 1)) +
                    (m[i] >= family.persons.size() ? ": class " + std::to_string(m[i]) + " does not exist (there are " +
                                                         std::to_string(family.persons.size()) + ")"
                                                   : std::string(": classes are not sorted and unique")));
      }
    }
    in.cells.emplace_back(m);
    in.labels.emplace_back(c < family.labels.size() ? std::string_view(family.labels[c]) : std::string_view());
  }
  if (in.size.empty()) {
    in.size.push_back(0); // no class: still the counted kind
  }
  return in;
}

// The analysis shared by the audit and the suppression.
//
// Every linear combination of shown cells is constant on each atom (the elements that lie in exactly the same
// shown cells), so it is a vector over atoms, and the set of persons it isolates is the union of the atoms where
// it is not zero. A combination isolates fewer than k persons only if all its atoms are small (fewer than k
// persons each). So the analysis brings the cells x atoms matrix to echelon form with the large atoms' columns
// first: the stored rows whose pivot lies among the small atoms span exactly the combinations that touch small
// atoms only (the "small space"). When it is empty, nothing can leak and no search is needed. Otherwise the
// search looks, exactly, for a vector of the small space (with any signs and coefficients) whose atoms hold
// 1..k-1 persons.
class disclosure_analysis {
 public:
  // A combination of shown cells that isolates 1..k-1 persons.
  struct leak {
    std::vector<std::size_t> atoms;          ///< where the combination is not zero, sorted
    std::vector<std::uint64_t> coefficients; ///< its value on each of those atoms (mod 2^61 - 1)
    std::vector<std::uint32_t> persons;      ///< the persons in those atoms, sorted
    sparse_row cells;                        ///< shown-cell ids and coefficients of the combination (tracking only)
  };

  disclosure_analysis(const class_input& in, std::span<const unsigned char> shown, std::size_t k, std::uint64_t budget,
                      bool track)
      : in_(in), shown_(shown), k_(k), budget_(budget), track_(track) {
    build_atoms();
    build_echelon();
    build_small_space();
  }

  [[nodiscard]] std::size_t atoms() const noexcept { return atom_size_.size(); }
  [[nodiscard]] std::size_t rank() const noexcept { return ech_ ? ech_->rank() : 0; }
  [[nodiscard]] std::size_t small_atoms() const noexcept { return small_.size(); }
  // Dimension of the combinations of shown cells that touch small atoms only (0: nothing can leak).
  [[nodiscard]] std::size_t small_dimension() const noexcept { return small_rows_.size(); }

  // Combinations of shown cells that isolate 1..k-1 persons, at most `max` of them, those over fewer atoms first
  // within each search stage. Returns false when the search budget ran out before every candidate was examined.
  //
  // In the reduced echelon form of the small space, a vector is fixed by its values on the pivot atoms, and one
  // whose support is minimal uses a set Q of basis rows that is connected (rows linked when they share an atom;
  // otherwise a part of it would be a smaller vector). So the search enumerates connected sets Q whose pivot atoms
  // hold fewer than k persons, and for each asks whether coefficients exist that cancel every other atom the rows
  // of Q touch, except atoms holding the few persons the budget still allows.
  bool find_leaks(std::vector<leak>& out, std::size_t max) {
    const std::size_t d = small_rows_.size();
    if (d == 0 || max == 0) {
      return true;
    }
    const std::size_t k = k_;
    steps_ = 0;
    budget_hit_ = false;
    leaks_by_first_atom_.clear();
    for (std::size_t f = 0; f < out.size(); ++f) {
      if (!out[f].atoms.empty()) {
        leaks_by_first_atom_[out[f].atoms.front()].push_back(f);
      }
    }
    // Rows touching each non-pivot column, and each row's neighbours (rows sharing a non-pivot column).
    std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> rows_of_col;
    for (std::uint32_t i = 0; i < d; ++i) {
      for (std::size_t e = 1; e < small_rows_[i].size(); ++e) {
        rows_of_col[small_rows_[i][e].first].push_back(i);
      }
    }
    std::vector<std::vector<std::uint32_t>> neighbours(d);
    for (const auto& [col, rs] : rows_of_col) {
      for (const auto a : rs) {
        for (const auto b : rs) {
          if (a != b) {
            neighbours[a].push_back(b);
          }
        }
      }
    }
    for (auto& n : neighbours) {
      std::sort(n.begin(), n.end());
      n.erase(std::unique(n.begin(), n.end()), n.end());
    }
    // One row alone: its own atoms.
    for (std::uint32_t i = 0; i < d && out.size() < max; ++i) {
      std::vector<std::uint64_t> alpha{1};
      record(std::vector<std::uint32_t>{i}, alpha, out);
    }
    // Connected sets of two or more rows (ESU enumeration: each connected set once, from its smallest row).
    std::vector<std::uint32_t> sub;
    const auto adjacent_to_sub = [&](std::uint32_t u) {
      for (const auto s : sub) {
        if (std::binary_search(neighbours[s].begin(), neighbours[s].end(), u)) {
          return true;
        }
      }
      return false;
    };
    auto extend = [&](auto&& self, std::vector<std::uint32_t> ext, std::uint32_t root,
                      const std::vector<std::uint32_t>& persons) -> void {
      if (sub.size() >= 2) {
        test(sub, persons, out);
      }
      while (!ext.empty() && out.size() < max && !budget_hit_) {
        const std::uint32_t w = ext.back();
        ext.pop_back();
        if (++steps_ > budget_) {
          budget_hit_ = true;
          return;
        }
        auto grown = merge_unique(persons, atom_persons(pivot_atom(w)));
        if (grown.size() >= k) {
          continue; // every set holding sub and w isolates k or more persons on its pivots alone
        }
        std::vector<std::uint32_t> ext2 = ext;
        for (const auto u : neighbours[w]) {
          if (u > root && std::find(sub.begin(), sub.end(), u) == sub.end() && u != w && !adjacent_to_sub(u) &&
              std::find(ext2.begin(), ext2.end(), u) == ext2.end()) {
            ext2.push_back(u);
          }
        }
        sub.push_back(w);
        self(self, std::move(ext2), root, grown);
        sub.pop_back();
      }
    };
    for (std::uint32_t root = 0; root < d && out.size() < max && !budget_hit_; ++root) {
      std::vector<std::uint32_t> ext;
      for (const auto u : neighbours[root]) {
        if (u > root) {
          ext.push_back(u);
        }
      }
      sub.assign(1, root);
      const auto rp = atom_persons(pivot_atom(root));
      extend(extend, std::move(ext), root, std::vector<std::uint32_t>(rp.begin(), rp.end()));
    }
    return !budget_hit_;
  }

  // The shown cells (indices into the cells given) that a leak combines.
  [[nodiscard]] std::vector<std::size_t> support(const leak& l) const {
    std::vector<std::size_t> out;
    for (const auto& [id, val] : l.cells) {
      if (val != 0) {
        out.push_back(shown_index_[id]);
      }
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  // True when the total of exactly the classes `classes` (sorted) follows from the shown cells.
  [[nodiscard]] bool derivable(std::span<const std::uint32_t> classes) const {
    // The classes must make whole atoms; an atom split by the set cannot be reached by any combination.
    std::vector<std::uint32_t> atoms;
    for (const auto cl : classes) {
      if (cl >= atom_of_class_.size() || atom_of_class_[cl] == no_class) {
        return false; // in no shown cell
      }
      atoms.push_back(atom_of_class_[cl]);
    }
    if (atoms.empty()) {
      return false;
    }
    std::sort(atoms.begin(), atoms.end());
    sparse_row v;
    for (std::size_t i = 0; i < atoms.size();) {
      std::size_t j = i;
      while (j < atoms.size() && atoms[j] == atoms[i]) {
        ++j;
      }
      if (j - i != atom_class_count_[atoms[i]]) {
        return false;
      }
      v.emplace_back(column_of_atom_[atoms[i]], 1);
      i = j;
    }
    std::sort(v.begin(), v.end());
    ech_->reduce(v, nullptr);
    return v.empty();
  }

 private:
  void build_atoms() {
    // A class's signature: the shown cells holding it. Classes with equal signatures form an atom.
    const std::size_t nclasses = in_.size.size();
    std::vector<std::uint32_t> count(nclasses + 1, 0);
    for (std::size_t c = 0; c < in_.cells.size(); ++c) {
      if (shown_[c] == 0) {
        continue;
      }
      for (const auto cl : in_.cells[c]) {
        ++count[cl + 1];
      }
    }
    for (std::size_t cl = 0; cl < nclasses; ++cl) {
      count[cl + 1] += count[cl];
    }
    sig_flat_.assign(count[nclasses], 0);
    auto& sig = sig_flat_;
    {
      std::vector<std::uint32_t> fill(count.begin(), count.end() - 1);
      for (std::size_t c = 0; c < in_.cells.size(); ++c) {
        if (shown_[c] == 0) {
          continue;
        }
        const auto id = static_cast<std::uint32_t>(shown_index_.size());
        shown_index_.push_back(c);
        for (const auto cl : in_.cells[c]) {
          sig[fill[cl]++] = id;
        }
      }
    }
    sig_first_ = std::move(count);
    const auto sig_of = [&](std::size_t cl) { return class_sig(cl); };
    atom_of_class_.assign(nclasses, no_class);
    hash_slots index;
    std::vector<std::uint32_t> representative;
    for (std::size_t cl = 0; cl < nclasses; ++cl) {
      const auto s = sig_of(cl);
      if (s.empty() || in_.size[cl] == 0) {
        continue;
      }
      std::uint64_t h = 0xcbf29ce484222325ULL;
      for (const auto c : s) {
        h = (h ^ c) * 0x100000001b3ULL;
      }
      const auto next = static_cast<std::uint32_t>(representative.size());
      const std::uint32_t a = index.find_or_insert(
          h,
          [&](std::uint32_t other) {
            const auto t = sig_of(representative[other]);
            return std::equal(s.begin(), s.end(), t.begin(), t.end());
          },
          next);
      if (a == next) {
        representative.push_back(static_cast<std::uint32_t>(cl));
        atom_class_count_.push_back(0);
        atom_size_.push_back(0);
      }
      ++atom_class_count_[a];
      atom_size_[a] += in_.size[cl];
      atom_of_class_[cl] = a;
    }
    atom_representative_ = std::move(representative);
    // Persons per atom: listed ones merged; counted ones as stand-in ids, min(count, k) of them per atom (persons of
    // different atoms are different): every union of atoms then has exactly its number of persons when that is
    // below k, and k or more otherwise, which is all the search and the audit ask of it.
    const std::size_t na = atom_size_.size();
    persons_first_.assign(na + 1, 0);
    if (in_.listed()) {
      // The classes of each atom, then their persons merged.
      std::vector<std::size_t> first(na + 1, 0);
      for (std::size_t cl = 0; cl < nclasses; ++cl) {
        if (atom_of_class_[cl] != no_class) {
          ++first[atom_of_class_[cl] + 1];
        }
      }
      for (std::size_t a = 0; a < na; ++a) {
        first[a + 1] += first[a];
      }
      std::vector<std::uint32_t> classes(first[na]);
      std::vector<std::size_t> fill(first.begin(), first.end() - 1);
      for (std::size_t cl = 0; cl < nclasses; ++cl) {
        if (atom_of_class_[cl] != no_class) {
          classes[fill[atom_of_class_[cl]]++] = static_cast<std::uint32_t>(cl);
        }
      }
      for (std::size_t a = 0; a < na; ++a) {
        std::vector<std::uint32_t> ps;
        for (std::size_t i = first[a]; i < first[a + 1]; ++i) {
          ps = merge_unique(ps, in_.persons[classes[i]]);
        }
        persons_flat_.insert(persons_flat_.end(), ps.begin(), ps.end());
        persons_first_[a + 1] = persons_flat_.size();
      }
    } else {
      std::uint32_t next_id = 0;
      for (std::size_t a = 0; a < na; ++a) {
        const auto n = static_cast<std::uint32_t>(std::min<std::uint64_t>(atom_size_[a], k_));
        for (std::uint32_t i = 0; i < n; ++i) {
          persons_flat_.push_back(next_id++);
        }
        persons_first_[a + 1] = persons_flat_.size();
      }
    }
    for (std::size_t a = 0; a < na; ++a) {
      if (persons_first_[a + 1] - persons_first_[a] < k_) {
        small_.push_back(a);
      }
    }
  }

  // The shown cells holding class `cl` (ids in shown order).
  [[nodiscard]] std::span<const std::uint32_t> class_sig(std::size_t cl) const {
    return {sig_flat_.data() + sig_first_[cl], sig_first_[cl + 1] - sig_first_[cl]};
  }
  // The shown cells holding atom `a`.
  [[nodiscard]] std::span<const std::uint32_t> sig(std::size_t a) const { return class_sig(atom_representative_[a]); }
  // The persons of atom `a` (stand-ins when counted).
  [[nodiscard]] std::span<const std::uint32_t> atom_persons(std::size_t a) const {
    return {persons_flat_.data() + persons_first_[a], persons_first_[a + 1] - persons_first_[a]};
  }

  void build_echelon() {
    // Columns: the large atoms first, then the small ones (so that echelon rows with a small pivot touch small atoms
    // only); within each part, atoms of specific cells first, which keeps fill-in low for nested families.
    // Rows: shown cells from the smallest up.
    const std::size_t n = atom_size_.size();
    column_of_atom_.resize(n);
    atom_of_column_.resize(n);
    std::vector<unsigned char> is_small(n, 0);
    for (const auto a : small_) {
      is_small[a] = 1;
    }
    std::vector<std::size_t> order(n);
    std::vector<std::size_t> cell_size(shown_index_.size());
    for (std::size_t s = 0; s < shown_index_.size(); ++s) {
      for (const auto cl : in_.cells[shown_index_[s]]) {
        cell_size[s] += in_.size[cl];
      }
    }
    std::vector<std::size_t> smallest(n, std::numeric_limits<std::size_t>::max());
    for (std::size_t a = 0; a < n; ++a) {
      for (const auto c : sig(a)) {
        smallest[a] = std::min(smallest[a], cell_size[c]);
      }
    }
    // A stable order by (small, smallest cell). A cell's size is at most the space's elements (32-bit ids), so the
    // small bit goes just above it.
    constexpr std::uint64_t small_bit = std::uint64_t{1} << 40U;
    std::vector<std::uint64_t> column_key(n);
    for (std::size_t a = 0; a < n; ++a) {
      column_key[a] = (is_small[a] != 0 ? small_bit : 0) | std::min<std::uint64_t>(smallest[a], small_bit - 1);
    }
    order = stable_order(column_key);
    first_small_column_ = n - small_.size();
    for (std::size_t i = 0; i < n; ++i) {
      column_of_atom_[order[i]] = static_cast<std::uint32_t>(i);
      atom_of_column_[i] = order[i];
    }
    // Rows built column by column, so each comes out sorted, end to end in one array.
    std::vector<std::size_t> row_first(shown_index_.size() + 1, 0);
    for (std::size_t a = 0; a < n; ++a) {
      for (const auto c : sig(a)) {
        ++row_first[c + 1];
      }
    }
    for (std::size_t c = 0; c < shown_index_.size(); ++c) {
      row_first[c + 1] += row_first[c];
    }
    std::vector<std::uint32_t> row_cols(row_first.back());
    {
      std::vector<std::size_t> fill(row_first.begin(), row_first.end() - 1);
      for (std::size_t col = 0; col < n; ++col) {
        for (const auto c : sig(atom_of_column_[col])) {
          row_cols[fill[c]++] = static_cast<std::uint32_t>(col);
        }
      }
    }
    const std::vector<std::uint64_t> row_key(cell_size.begin(), cell_size.end()); // by size, stable
    const std::vector<std::size_t> row_order = stable_order(row_key);
    ech_.emplace(n, track_);
    ech_->reserve(row_cols.size(), row_order.size());
    for (const auto r : row_order) {
      ech_->add_ones({row_cols.data() + row_first[r], row_first[r + 1] - row_first[r]}, static_cast<std::uint32_t>(r));
    }
  }

  // The echelon rows with a pivot among the small atoms, brought to reduced form among themselves: each pivot column
  // is zero in every other row, so a vector of the small space is fixed by its values on the pivots.
  void build_small_space() {
    for (std::size_t i = 0; i < ech_->rank(); ++i) {
      if (ech_->row(i).front().first >= first_small_column_) {
        const auto r = ech_->row(i);
        small_rows_.emplace_back(r.begin(), r.end());
        small_combos_.push_back(ech_->combination(i));
      }
    }
    std::vector<std::size_t> order(small_rows_.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
      return small_rows_[x].front().first < small_rows_[y].front().first;
    });
    std::vector<sparse_row> rows;
    std::vector<sparse_row> combos;
    for (const auto i : order) {
      rows.push_back(std::move(small_rows_[i]));
      combos.push_back(std::move(small_combos_[i]));
    }
    // Back substitution from the last pivot: a row processed later never brings back a cleared pivot column. Only the
    // rows holding a pivot column are touched: each column lists the rows that may hold it (fill-in adds to the lists;
    // a row that no longer holds the column is skipped).
    sparse_row scratch;
    std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> holders;
    std::vector<std::uint32_t> pivot_row_of_col;
    for (std::uint32_t j = 0; j < rows.size(); ++j) {
      for (std::size_t e = 1; e < rows[j].size(); ++e) {
        holders[rows[j][e].first].push_back(j);
      }
    }
    for (std::size_t i = rows.size(); i-- > 0;) {
      const std::uint32_t pc = rows[i].front().first;
      const auto h = holders.find(pc);
      if (h == holders.end()) {
        continue;
      }
      std::vector<std::uint32_t> candidates = std::move(h->second);
      holders.erase(h);
      std::sort(candidates.begin(), candidates.end());
      candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
      for (const auto j : candidates) {
        if (j >= i) {
          continue;
        }
        const auto it = std::lower_bound(rows[j].begin(), rows[j].end(), std::make_pair(pc, std::uint64_t{0}));
        if (it == rows[j].end() || it->first != pc) {
          continue;
        }
        const std::uint64_t f = it->second;
        axpy_sub(rows[j], f, rows[i], scratch);
        if (track_) {
          axpy_sub(combos[j], f, combos[i], scratch);
        }
        for (std::size_t e = 1; e < rows[i].size(); ++e) {
          holders[rows[i][e].first].push_back(j); // may be new in row j
        }
      }
    }
    small_rows_ = std::move(rows);
    small_combos_ = std::move(combos);
  }

  [[nodiscard]] std::size_t pivot_atom(std::uint32_t row) const {
    return atom_of_column_[small_rows_[row].front().first];
  }

  // For a connected set Q of small-space rows: are there coefficients, one per row, whose combination keeps all but
  // a few persons' atoms at zero? The pivot atoms of Q carry `pivot_persons`; each non-pivot atom the rows touch is a
  // column with a vector in F^|Q|. A column is cancelled when the coefficients are orthogonal to its vector.
  void test(const std::vector<std::uint32_t>& q_rows, const std::vector<std::uint32_t>& pivot_persons,
            std::vector<leak>& out) {
    const std::size_t q = q_rows.size();
    std::unordered_map<std::uint32_t, std::size_t> slot;
    std::vector<std::vector<std::uint64_t>> vecs;
    std::vector<std::uint32_t> cols;
    for (std::size_t i = 0; i < q; ++i) {
      const auto& r = small_rows_[q_rows[i]];
      for (std::size_t e = 1; e < r.size(); ++e) {
        const auto [it, fresh] = slot.try_emplace(r[e].first, vecs.size());
        if (fresh) {
          vecs.emplace_back(q, 0);
          cols.push_back(r[e].first);
        }
        vecs[it->second][i] = r[e].second;
      }
    }
    std::vector<unsigned char> kept(vecs.size(), 0);
    std::optional<std::vector<std::uint64_t>> alpha;
    // Keeps columns (their persons join the isolated set) until the rest can be cancelled.
    auto solve = [&](auto&& self, const std::vector<std::uint32_t>& persons) -> bool {
      if (++steps_ > budget_) {
        budget_hit_ = true;
        return false;
      }
      // q independent columns among those not kept, if there are so many.
      std::vector<std::vector<std::uint64_t>> basis;
      std::vector<std::size_t> basis_cols;
      std::vector<std::vector<std::uint64_t>> reduced;
      std::vector<std::size_t> lead;
      for (std::size_t c = 0; c < vecs.size() && basis.size() < q; ++c) {
        if (kept[c] != 0) {
          continue;
        }
        auto v = vecs[c];
        for (std::size_t b = 0; b < reduced.size(); ++b) {
          if (v[lead[b]] != 0) {
            const std::uint64_t f = v[lead[b]];
            for (std::size_t j = 0; j < q; ++j) {
              v[j] = mod61::sub(v[j], mod61::mul(f, reduced[b][j]));
            }
          }
        }
        std::size_t l = 0;
        while (l < q && v[l] == 0) {
          ++l;
        }
        if (l == q) {
          continue;
        }
        const std::uint64_t inv = mod61::inv(v[l]);
        for (auto& x : v) {
          x = mod61::mul(x, inv);
        }
        reduced.push_back(std::move(v));
        lead.push_back(l);
        basis.push_back(vecs[c]);
        basis_cols.push_back(c);
      }
      if (basis.size() < q) {
        alpha = orthogonal_vector(basis, q);
        return alpha.has_value();
      }
      // Every solution keeps at least one of these q columns (otherwise all of F^q would be cancelled).
      for (const auto c : basis_cols) {
        auto grown = merge_unique(persons, atom_persons(atom_of_column_[cols[c]]));
        if (grown.size() >= k_) {
          continue;
        }
        kept[c] = 1;
        const bool ok = self(self, grown);
        kept[c] = 0;
        if (ok || budget_hit_) {
          return ok;
        }
      }
      return false;
    };
    if (solve(solve, pivot_persons)) {
      record(q_rows, *alpha, out);
    }
  }

  // Adds sum_i alpha_i * row(q_rows[i]) to `out` when it isolates 1..k-1 persons and is not a larger copy of a leak
  // already found.
  void record(const std::vector<std::uint32_t>& q_rows, const std::vector<std::uint64_t>& alpha,
              std::vector<leak>& out) const {
    sparse_row v;
    sparse_row comb;
    sparse_row scratch;
    for (std::size_t i = 0; i < q_rows.size(); ++i) {
      if (alpha[i] == 0) {
        continue;
      }
      const std::uint64_t minus = mod61::sub(0, alpha[i]); // axpy_sub subtracts: add alpha_i times the row
      axpy_sub(v, minus, small_rows_[q_rows[i]], scratch);
      if (track_) {
        axpy_sub(comb, minus, small_combos_[q_rows[i]], scratch);
      }
    }
    if (v.empty()) {
      return;
    }
    leak l;
    for (const auto& [col, val] : v) {
      l.atoms.push_back(atom_of_column_[col]);
      l.persons = merge_unique(l.persons, atom_persons(atom_of_column_[col]));
    }
    if (l.persons.size() >= k_) {
      return;
    }
    std::vector<std::size_t> idx(l.atoms.size());
    std::iota(idx.begin(), idx.end(), std::size_t{0});
    std::sort(idx.begin(), idx.end(), [&](std::size_t x, std::size_t y) { return l.atoms[x] < l.atoms[y]; });
    std::vector<std::size_t> atoms;
    for (const auto i : idx) {
      atoms.push_back(l.atoms[i]);
      l.coefficients.push_back(v[i].second);
    }
    l.atoms = std::move(atoms);
    // A leak found before whose atoms all lie in this one's: it has one of this one's atoms as its first.
    for (const auto a : l.atoms) {
      const auto it = leaks_by_first_atom_.find(a);
      if (it == leaks_by_first_atom_.end()) {
        continue;
      }
      for (const auto f : it->second) {
        if (f < out.size() && std::includes(l.atoms.begin(), l.atoms.end(), out[f].atoms.begin(), out[f].atoms.end())) {
          return;
        }
      }
    }
    leaks_by_first_atom_[l.atoms.front()].push_back(out.size());
    l.cells = std::move(comb);
    out.push_back(std::move(l));
  }

  const class_input& in_;
  std::span<const unsigned char> shown_;
  std::size_t k_;
  std::uint64_t budget_;
  bool track_;
  std::vector<std::size_t> shown_index_;           // echelon row id -> cell index
  std::vector<std::uint32_t> sig_flat_;            // per class, the shown cells holding it, end to end
  std::vector<std::uint32_t> sig_first_;           // where each class's list starts in sig_flat_ (one more at the end)
  std::vector<std::uint32_t> atom_representative_; // a class of each atom
  std::vector<std::uint32_t> atom_class_count_;    // classes per atom
  std::vector<std::uint64_t> atom_size_;
  std::vector<std::uint32_t> atom_of_class_;
  std::vector<std::uint32_t> persons_flat_; // per atom, its persons, end to end
  std::vector<std::size_t> persons_first_;  // where each atom's persons start (one more at the end)
  std::vector<std::size_t> small_;
  std::vector<std::uint32_t> column_of_atom_;
  std::vector<std::size_t> atom_of_column_;
  std::size_t first_small_column_ = 0;
  std::optional<echelon> ech_;
  std::vector<sparse_row> small_rows_;
  std::vector<sparse_row> small_combos_;
  std::uint64_t steps_ = 0;
  bool budget_hit_ = false;
  mutable std::unordered_map<std::size_t, std::vector<std::size_t>> leaks_by_first_atom_; // record(): leaks in `out`
};

ETHOS_DECL void check_min_group_size(std::size_t k, const char* who) {
  if (k < lowest_min_group_size) {
    throw error(std::string(who) + ": minimum group size " + std::to_string(k) + " is below " +
                std::to_string(lowest_min_group_size));
  }
}

ETHOS_DECL std::string cell_name(std::string_view label, std::size_t i) {
  return label.empty() ? "cell #" + std::to_string(i + 1) : "'" + std::string(label) + "'";
}

// The elements of a set of classes.
ETHOS_DECL std::uint64_t class_elements(const class_input& in, std::span<const std::uint32_t> classes) {
  std::uint64_t n = 0;
  for (const auto cl : classes) {
    n += in.size[cl];
  }
  return n;
}

// The persons of a set of classes: their number, and their ids when the classes list them.
ETHOS_DECL std::size_t class_persons(const class_input& in, std::span<const std::uint32_t> classes,
                                     std::vector<std::uint32_t>* list) {
  if (!in.listed()) {
    return static_cast<std::size_t>(class_elements(in, classes)); // counted classes: an element is a person
  }
  std::vector<std::uint32_t> ps;
  for (const auto cl : classes) {
    ps = merge_unique(ps, in.persons[cl]);
  }
  const std::size_t n = ps.size();
  if (list != nullptr) {
    *list = std::move(ps);
  }
  return n;
}

// settle_classes (org/detail/classes.hpp): shown cells that come down to one class settle it, repeatedly.
ETHOS_DECL settled_family settle_classes(const class_input& in, std::span<const unsigned char> shown, std::size_t k) {
  settled_family out;
  const std::size_t nclasses = in.size.size();
  const std::size_t nc = in.cells.size();
  // The shown cells holding each non-empty class, end to end.
  std::vector<std::uint32_t> first(nclasses + 1, 0);
  for (std::size_t c = 0; c < nc; ++c) {
    if (shown[c] != 0) {
      for (const auto cl : in.cells[c]) {
        first[cl + 1] += in.size[cl] > 0 ? 1U : 0U;
      }
    }
  }
  for (std::size_t cl = 0; cl < nclasses; ++cl) {
    first[cl + 1] += first[cl];
  }
  std::vector<std::uint32_t> holders(first[nclasses]);
  std::vector<std::uint32_t> left(nc, 0);     // per shown cell: non-empty classes not settled
  std::vector<std::uint64_t> left_sum(nc, 0); // and the sum of their ids (the last one's id when one is left)
  {
    std::vector<std::uint32_t> fill(first.begin(), first.end() - 1);
    for (std::size_t c = 0; c < nc; ++c) {
      if (shown[c] == 0) {
        continue;
      }
      for (const auto cl : in.cells[c]) {
        if (in.size[cl] > 0) {
          holders[fill[cl]++] = static_cast<std::uint32_t>(c);
          ++left[c];
          left_sum[c] += cl;
        }
      }
    }
  }
  std::vector<unsigned char> settled(nclasses, 0);
  std::vector<std::uint32_t> queue;
  for (std::size_t c = 0; c < nc; ++c) {
    if (left[c] == 1) {
      queue.push_back(static_cast<std::uint32_t>(c));
    }
  }
  while (!queue.empty()) {
    const std::uint32_t c = queue.back();
    queue.pop_back();
    if (left[c] != 1) {
      continue; // settled by another cell meanwhile
    }
    const auto cl = static_cast<std::uint32_t>(left_sum[c]);
    if (in.size[cl] < k) {
      out.small = true;
      return out;
    }
    settled[cl] = 1;
    ++out.settled;
    for (std::uint32_t i = first[cl]; i < first[cl + 1]; ++i) {
      const std::uint32_t h = holders[i];
      --left[h];
      left_sum[h] -= cl;
      if (left[h] == 1) {
        queue.push_back(h);
      }
    }
  }
  // The rest, with its classes renumbered in order (so each cell's list stays sorted).
  std::vector<std::uint32_t> new_id(nclasses, no_class);
  std::size_t entries = 0;
  for (std::size_t c = 0; c < nc; ++c) {
    if (shown[c] == 0 || left[c] < 2) {
      continue;
    }
    out.cell_of_rest.push_back(static_cast<std::uint32_t>(c));
    entries += left[c];
    for (const auto cl : in.cells[c]) {
      if (in.size[cl] > 0 && settled[cl] == 0) {
        new_id[cl] = 0;
      }
    }
  }
  auto& rest = out.rest;
  for (std::size_t cl = 0; cl < nclasses; ++cl) {
    if (new_id[cl] == 0) {
      new_id[cl] = static_cast<std::uint32_t>(rest.size.size());
      rest.size.push_back(in.size[cl]);
    }
  }
  if (rest.size.empty()) {
    rest.size.push_back(0); // no class: still the counted kind
  }
  rest.one_person_each = in.one_person_each;
  rest.owned_cells.emplace_back();
  auto& flat = rest.owned_cells.back();
  flat.reserve(entries);
  std::vector<std::size_t> starts;
  starts.reserve(out.cell_of_rest.size() + 1);
  for (const auto c : out.cell_of_rest) {
    starts.push_back(flat.size());
    for (const auto cl : in.cells[c]) {
      if (in.size[cl] > 0 && settled[cl] == 0) {
        flat.push_back(new_id[cl]);
      }
    }
  }
  starts.push_back(flat.size());
  rest.cells.reserve(out.cell_of_rest.size());
  rest.labels.reserve(out.cell_of_rest.size());
  for (std::size_t i = 0; i < out.cell_of_rest.size(); ++i) {
    rest.cells.emplace_back(flat.data() + starts[i], starts[i + 1] - starts[i]);
    rest.labels.push_back(in.labels.empty() ? std::string_view() : in.labels[out.cell_of_rest[i]]);
  }
  return out;
}

// disclosure_audit over classes (every cell shown).
ETHOS_DECL disclosure_audit_result audit_classes(const class_input& in, const disclosure_options& opt) {
  check_min_group_size(opt.min_group_size, "disclosure_audit");
  const std::size_t k = opt.min_group_size;
  const std::size_t nc = in.cells.size();
  const std::vector<unsigned char> all(nc, 1);
  if (!in.listed()) {
    // Settled classes first (settle_classes); when the rest is safe, so is the whole, with the same atoms, rank
    // and small space. When anything leaks, the whole family is audited, so that findings name its own cells.
    auto part = settle_classes(in, all, k);
    if (!part.small && part.settled > 0) {
      auto rest = audit_classes(part.rest, opt);
      if (rest.passed && rest.complete) {
        rest.cells = nc;
        rest.atoms += part.settled;
        rest.rank += part.settled;
        return rest;
      }
    }
  }
  disclosure_audit_result out;
  out.cells = nc;
  disclosure_analysis an(in, all, k, opt.search_budget, false);
  out.atoms = an.atoms();
  out.rank = an.rank();
  out.small_atoms = an.small_atoms();
  const auto add = [&](disclosure_finding f) {
    if (out.findings.size() < opt.max_findings) {
      out.findings.push_back(std::move(f));
    }
    out.passed = false;
  };
  const auto name = [&](std::size_t c) { return cell_name(in.labels[c], c); };
  for (std::size_t c = 0; c < nc; ++c) {
    std::vector<std::uint32_t> persons;
    const std::size_t p = class_persons(in, in.cells[c], &persons);
    if (p > 0 && p < k) {
      disclosure_finding f;
      f.kind = disclosure_leak::small_cell;
      f.cells = {c};
      f.persons = std::move(persons);
      f.person_count = p;
      f.message = name(c) + " is shown with " + std::to_string(p) + " person(s), fewer than " + std::to_string(k);
      add(std::move(f));
    }
  }
  // Nested pairs, the smaller first (by elements): a cell containing A holds A's rarest class, so only the cells
  // holding that class are candidates. A small difference of two nested cells is a combination the general search
  // below finds too; the pairs only name the plainest leaks. So when the search is complete and finds nothing, and
  // no cell is small, there is no pair to name and they are not looked at.
  const auto nested_pairs = [&] {
    std::vector<std::uint64_t> size(nc);
    for (std::size_t c = 0; c < nc; ++c) {
      size[c] = class_elements(in, in.cells[c]);
    }
    const std::vector<std::size_t> by_size = stable_order(size);
    std::vector<std::size_t> rank_of(nc);
    for (std::size_t i = 0; i < nc; ++i) {
      rank_of[by_size[i]] = i;
    }
    // The cells holding each class, end to end (first[cl] .. first[cl + 1]).
    std::vector<std::size_t> first(in.size.size() + 1, 0);
    for (std::size_t c = 0; c < nc; ++c) {
      for (const auto cl : in.cells[c]) {
        ++first[cl + 1];
      }
    }
    for (std::size_t cl = 0; cl + 1 < first.size(); ++cl) {
      first[cl + 1] += first[cl];
    }
    std::vector<std::uint32_t> holders(first.back());
    {
      std::vector<std::size_t> fill(first.begin(), first.end() - 1);
      for (std::size_t c = 0; c < nc; ++c) {
        for (const auto cl : in.cells[c]) {
          holders[fill[cl]++] = static_cast<std::uint32_t>(c);
        }
      }
    }
    const auto holders_of = [&](std::uint32_t cl) {
      return std::span<const std::uint32_t>(holders.data() + first[cl], first[cl + 1] - first[cl]);
    };
    for (std::size_t i = 0; i < nc; ++i) {
      const std::size_t a = by_size[i];
      const auto ca = in.cells[a];
      if (ca.empty()) {
        continue;
      }
      // Every superset holds every class of A, so any class gives them all; the rarest of the first few gives fewest
      // candidates without reading every class of a large cell.
      std::uint32_t rare = ca.front();
      for (const auto cl : ca.first(std::min<std::size_t>(ca.size(), 64))) {
        if (first[cl + 1] - first[cl] < first[rare + 1] - first[rare]) {
          rare = cl;
        }
      }
      std::vector<std::size_t> supersets;
      for (const auto b : holders_of(rare)) {
        // When elements are persons, a difference of k or more elements is one of k or more persons.
        if (rank_of[b] <= i || size[b] <= size[a] || (in.one_person_each && size[b] - size[a] >= k)) {
          continue;
        }
        const auto cb = in.cells[b];
        const bool contains = std::all_of(
            ca.begin(), ca.end(), [&](std::uint32_t cl) { return std::binary_search(cb.begin(), cb.end(), cl); });
        if (contains) {
          supersets.push_back(rank_of[b]);
        }
      }
      std::sort(supersets.begin(), supersets.end());
      for (const auto j : supersets) {
        const std::size_t b = by_size[j];
        std::vector<std::uint32_t> diff;
        const auto cb = in.cells[b];
        std::set_difference(cb.begin(), cb.end(), ca.begin(), ca.end(), std::back_inserter(diff));
        std::vector<std::uint32_t> persons;
        const std::size_t p = class_persons(in, diff, &persons);
        if (p > 0 && p < k) {
          disclosure_finding f;
          f.kind = disclosure_leak::small_difference;
          f.cells = {b, a};
          f.persons = std::move(persons);
          f.person_count = p;
          f.message = name(b) + " minus " + name(a) + " leaves " + std::to_string(p) + " person(s), fewer than " +
                      std::to_string(k);
          add(std::move(f));
        }
      }
    }
  };
  // General combinations, with any signs and coefficients.
  out.small_dimension = an.small_dimension();
  std::vector<disclosure_analysis::leak> leaks;
  out.complete = an.find_leaks(leaks, opt.max_findings + 1);
  if (!out.passed || !out.complete || !leaks.empty()) {
    nested_pairs();
  }
  if (!leaks.empty()) {
    // Again with tracking, to name the cells of each combination (the search is deterministic).
    disclosure_analysis traced(in, all, k, opt.search_budget, true);
    leaks.clear();
    (void)traced.find_leaks(leaks, opt.max_findings + 1);
    for (const auto& l : leaks) {
      disclosure_finding f;
      f.kind = disclosure_leak::derivable_set;
      f.person_count = l.persons.size();
      if (in.listed()) {
        f.persons = l.persons;
      }
      f.cells = traced.support(l);
      std::string names;
      for (std::size_t i = 0; i < f.cells.size() && i < 6; ++i) {
        names += (i == 0 ? "" : ", ") + name(f.cells[i]);
      }
      if (f.cells.size() > 6) {
        names += " and " + std::to_string(f.cells.size() - 6) + " more";
      }
      f.message = "a combination of " + std::to_string(f.cells.size()) + " shown cells (" + names + ") isolates " +
                  std::to_string(f.person_count) + " person(s), fewer than " + std::to_string(k);
      add(std::move(f));
    }
  }
  return out;
}

// protect_cells over classes.
ETHOS_DECL bool protect_classes(const class_input& in, std::span<suppression> status, std::span<const int> keep,
                                std::span<const unsigned char> fixed, const disclosure_options& opt) {
  check_min_group_size(opt.min_group_size, "protect_cells");
  const std::size_t nc = in.cells.size();
  if (status.size() != nc || keep.size() != nc || fixed.size() != nc) {
    throw error("protect_cells: status, keep and fixed must have one entry per cell");
  }
  const std::size_t k = opt.min_group_size;
  std::vector<std::uint64_t> size(nc);
  for (std::size_t c = 0; c < nc; ++c) {
    size[c] = class_elements(in, in.cells[c]);
    if (status[c] != suppression::none) {
      continue;
    }
    const std::size_t p = in.listed() ? class_persons(in, in.cells[c], nullptr) : static_cast<std::size_t>(size[c]);
    if (p > 0 && p < k) {
      if (fixed[c] != 0) {
        throw error("protect_cells: fixed cell " + cell_name(in.labels[c], c) + " has " + std::to_string(p) +
                    " person(s), fewer than " + std::to_string(k));
      }
      status[c] = suppression::too_small;
    }
  }
  // Nothing hidden and nothing small: when the cells are safe as they are (shown with the settled classes taken out
  // first, settle_classes), there is nothing to hide. This gives what the rounds below give on a safe family without
  // analysing every class of it.
  if (!in.listed() && std::all_of(status.begin(), status.end(), [](suppression x) { return x == suppression::none; })) {
    const std::vector<unsigned char> all(nc, 1);
    auto part = settle_classes(in, all, k);
    if (!part.small && part.settled > 0) {
      const std::vector<unsigned char> rest_all(part.rest.cells.size(), 1);
      disclosure_analysis rest(part.rest, rest_all, k, opt.search_budget, false);
      std::vector<disclosure_analysis::leak> leaks;
      if (rest.find_leaks(leaks, 1) && leaks.empty()) {
        return true;
      }
    }
  }
  // The first round traces the cells of each combination at once when cells are hidden already (leaks are likely);
  // later rounds (leaks are unlikely) search untraced first and trace only when they find one. The search is
  // deterministic, so both find the same leaks.
  bool traced = std::any_of(status.begin(), status.end(), [](suppression x) { return x != suppression::none; });
  std::vector<unsigned char> hidden_now(nc, 0);
  for (;;) {
    std::vector<unsigned char> shown(nc);
    for (std::size_t c = 0; c < nc; ++c) {
      shown[c] = status[c] == suppression::none ? 1 : 0;
    }
    std::optional<disclosure_analysis> an;
    an.emplace(in, shown, k, opt.search_budget, traced);
    std::vector<disclosure_analysis::leak> leaks;
    const bool complete = an->find_leaks(leaks, std::numeric_limits<std::size_t>::max());
    if (!complete) {
      for (std::size_t c = 0; c < nc; ++c) {
        if (status[c] == suppression::none && fixed[c] == 0) {
          status[c] = suppression::secondary;
        }
      }
      return false;
    }
    if (leaks.empty()) {
      // A `secondary` cell (hidden on the way, or on entry) that the shown cells determine anyway protects
      // nobody: show it (the span, and so the set of derivable totals, stays the same).
      for (std::size_t c = 0; c < nc; ++c) {
        if (status[c] == suppression::secondary && size[c] > 0 && an->derivable(in.cells[c])) {
          status[c] = suppression::none;
        }
      }
      return true;
    }
    if (!traced) {
      an.emplace(in, shown, k, opt.search_budget, true);
      leaks.clear();
      (void)an->find_leaks(leaks, std::numeric_limits<std::size_t>::max());
    }
    traced = false;
    // Hide one cell per leak (a cell already chosen in this round may settle several leaks).
    std::fill(hidden_now.begin(), hidden_now.end(), 0);
    for (const auto& l : leaks) {
      const auto sup = an->support(l);
      if (std::any_of(sup.begin(), sup.end(), [&](std::size_t c) { return hidden_now[c] != 0; })) {
        continue;
      }
      std::optional<std::size_t> pick;
      for (const auto c : sup) {
        if (fixed[c] != 0) {
          continue;
        }
        if (!pick || keep[c] < keep[*pick] || (keep[c] == keep[*pick] && size[c] < size[*pick])) {
          pick = c;
        }
      }
      if (!pick) {
        throw error("protect_cells: the fixed cells alone let " + std::to_string(l.persons.size()) +
                    " person(s) be derived; protect them first");
      }
      status[*pick] = suppression::secondary;
      hidden_now[*pick] = 1;
    }
  }
}

} // namespace detail

ETHOS_DECL disclosure_audit_result disclosure_audit(std::span<const disclosure_cell> shown,
                                                    const disclosure_options& opt) {
  detail::check_min_group_size(opt.min_group_size, "disclosure_audit");
  return detail::audit_classes(detail::classes_of(shown, opt.person_of), opt);
}

ETHOS_DECL disclosure_audit_result audit_class_cells(const class_cells& shown, const disclosure_options& opt) {
  detail::check_min_group_size(opt.min_group_size, "audit_class_cells");
  return detail::audit_classes(detail::classes_of(shown), opt);
}

ETHOS_DECL bool is_derivable(std::span<const disclosure_cell> shown, std::span<const std::uint32_t> members,
                             const disclosure_options& opt) {
  const std::vector<unsigned char> all(shown.size(), 1);
  const auto in = detail::classes_of(shown, opt.person_of);
  // The members as whole classes; a class split by them cannot be reached by any combination.
  std::vector<std::uint32_t> classes;
  std::vector<std::uint32_t> taken;
  for (const auto e : members) {
    if (e >= in.class_of_element.size() || in.class_of_element[e] == no_class) {
      return false; // in no shown cell
    }
    classes.push_back(in.class_of_element[e]);
  }
  std::sort(classes.begin(), classes.end());
  for (std::size_t i = 0; i < classes.size();) {
    std::size_t j = i;
    while (j < classes.size() && classes[j] == classes[i]) {
      ++j;
    }
    if (j - i != in.elements[classes[i]].size()) {
      return false;
    }
    taken.push_back(classes[i]);
    i = j;
  }
  const detail::disclosure_analysis an(in, all, std::max(opt.min_group_size, lowest_min_group_size), opt.search_budget,
                                       false);
  return an.derivable(taken);
}

ETHOS_DECL bool class_cells_derivable(const class_cells& shown, std::span<const std::uint32_t> classes,
                                      const disclosure_options& opt) {
  const std::vector<unsigned char> all(shown.cells.size(), 1);
  const auto in = detail::classes_of(shown);
  std::vector<std::uint32_t> nonempty;
  for (const auto cl : classes) {
    if (cl < shown.persons.size() && shown.persons[cl] > 0) {
      nonempty.push_back(cl);
    }
  }
  const detail::disclosure_analysis an(in, all, std::max(opt.min_group_size, lowest_min_group_size), opt.search_budget,
                                       false);
  return an.derivable(nonempty);
}

ETHOS_DECL bool protect_cells(std::span<const disclosure_cell> cells, std::span<suppression> status,
                              std::span<const int> keep, std::span<const unsigned char> fixed,
                              const disclosure_options& opt) {
  detail::check_min_group_size(opt.min_group_size, "protect_cells");
  if (status.size() != cells.size() || keep.size() != cells.size() || fixed.size() != cells.size()) {
    throw error("protect_cells: status, keep and fixed must have one entry per cell");
  }
  return detail::protect_classes(detail::classes_of(cells, opt.person_of), status, keep, fixed, opt);
}

ETHOS_DECL bool protect_class_cells(const class_cells& cells, std::span<suppression> status, std::span<const int> keep,
                                    std::span<const unsigned char> fixed, const disclosure_options& opt) {
  detail::check_min_group_size(opt.min_group_size, "protect_class_cells");
  if (!opt.person_of.empty()) {
    throw error("protect_class_cells: classes count persons; person_of does not apply to them");
  }
  return detail::protect_classes(detail::classes_of(cells), status, keep, fixed, opt);
}

ETHOS_DECL void protect_tree(std::span<const std::size_t> parent, std::span<const std::size_t> persons,
                             std::span<suppression> status, std::size_t min_group_size) {
  detail::check_min_group_size(min_group_size, "protect_tree");
  const std::size_t n = parent.size();
  if (persons.size() != n || status.size() != n) {
    throw error("protect_tree: parent, persons and status must have one entry per unit");
  }
  const std::size_t k = min_group_size;
  // Children in one array (offsets per unit), roots in order.
  std::vector<std::size_t> first(n + 1, 0);
  std::vector<std::size_t> roots;
  for (std::size_t u = 0; u < n; ++u) {
    if (parent[u] < n) {
      ++first[parent[u] + 1];
      if (persons[u] > persons[parent[u]]) {
        throw error("protect_tree: unit #" + std::to_string(u) + " has more persons than its parent");
      }
    } else {
      roots.push_back(u);
    }
  }
  for (std::size_t u = 0; u < n; ++u) {
    first[u + 1] += first[u];
  }
  std::vector<std::size_t> child(first[n]);
  {
    std::vector<std::size_t> fill(first.begin(), first.end() - 1);
    for (std::size_t u = 0; u < n; ++u) {
      if (parent[u] < n) {
        child[fill[parent[u]]++] = u;
      }
    }
  }
  // Post-order (children before parents), without recursion; a cycle leaves units unvisited.
  std::vector<std::size_t> post;
  post.reserve(n);
  {
    std::vector<std::pair<std::size_t, std::size_t>> stack;
    for (const auto r : roots) {
      stack.emplace_back(r, first[r]);
      while (!stack.empty()) {
        auto& [u, next] = stack.back();
        if (next < first[u + 1]) {
          const std::size_t c = child[next++];
          stack.emplace_back(c, first[c]);
        } else {
          post.push_back(u);
          stack.pop_back();
        }
      }
    }
  }
  if (post.size() != n) {
    throw error("protect_tree: the parent links form a cycle");
  }
  for (std::size_t u = 0; u < n; ++u) {
    if (status[u] == suppression::none && persons[u] > 0 && persons[u] < k) {
      status[u] = suppression::too_small;
    }
  }
  // One pass, children before parents. Hiding a shown cell c that is maximal below a shown unit u (every unit between
  // them hidden) changes the residual of u alone, so each unit is settled once, when its turn comes. Each unit keeps
  // its frontier: the maximal shown cells below it, as two min-heaps by (persons, id), those whose hiding adds people
  // to the residual (persons > covered) and those whose hiding adds none, with the persons they cover. A hidden unit
  // hands its frontier to its parent, the smaller heap merged into the larger.
  using entry = std::pair<std::size_t, std::size_t>; // (persons, unit)
  const auto later = [](const entry& a, const entry& b) { return b < a; };
  struct frontier {
    std::vector<entry> adds;  // hiding adds people to the residual
    std::vector<entry> empty; // hiding adds nobody (fully covered by shown cells below)
    std::size_t covered = 0;
  };
  std::vector<frontier> front(n);
  const auto push = [&](std::vector<entry>& h, entry e) {
    h.push_back(e);
    std::push_heap(h.begin(), h.end(), later);
  };
  const auto merge_heap = [&](std::vector<entry>& into, std::vector<entry>& from) {
    if (from.size() > into.size()) {
      into.swap(from);
    }
    for (const auto& e : from) {
      push(into, e);
    }
    from = std::vector<entry>();
  };
  const auto absorb = [&](frontier& into, frontier& from) {
    merge_heap(into.adds, from.adds);
    merge_heap(into.empty, from.empty);
    into.covered += from.covered;
    from.covered = 0;
  };
  for (const auto u : post) {
    auto& f = front[u];
    for (std::size_t i = first[u]; i < first[u + 1]; ++i) {
      const std::size_t c = child[i];
      if (status[c] == suppression::none) {
        push(persons[c] > front[c].covered ? f.adds : f.empty, {persons[c], c});
        f.covered += persons[c];
      } else {
        absorb(f, front[c]);
      }
    }
    if (status[u] != suppression::none) {
      continue;
    }
    for (;;) {
      const std::size_t residual = persons[u] - f.covered;
      if (residual == 0 || residual >= k) {
        break;
      }
      // The smallest maximal shown cell below u whose hiding adds people; if there is none, the smallest of all.
      auto& h = !f.adds.empty() ? f.adds : f.empty;
      if (h.empty()) {
        throw error("protect_tree: unit #" + std::to_string(u) + " has a residual but nothing below it is shown");
      }
      std::pop_heap(h.begin(), h.end(), later);
      const std::size_t c = h.back().second;
      h.pop_back();
      status[c] = suppression::secondary;
      f.covered -= persons[c];
      absorb(f, front[c]);
    }
  }
}

} // namespace ethos
