// ethos/measure/impl/scoring.ipp: definitions of ethos/measure/scoring.hpp (compiled into ethos::compiled, or
// included by the header in header-only mode).
#pragma once

#include <ethos/measure/scoring.hpp>

#include <ethos/detail/int128.hpp>
#include <ethos/detail/nps.hpp>
#include <ethos/error.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace ethos {

ETHOS_DECL person_scores::person_scores(std::size_t constructs, std::size_t rows) { reset(constructs, rows); }

ETHOS_DECL void person_scores::reset(std::size_t constructs, std::size_t rows) {
  rows_ = rows;
  values_.resize(constructs * rows, std::numeric_limits<double>::quiet_NaN());
  answered_.resize(constructs * rows, 0);
}

ETHOS_DECL enps_result enps_from_counts(std::size_t promoters, std::size_t passives, std::size_t detractors) {
  enps_result e;
  e.promoters = promoters;
  e.passives = passives;
  e.detractors = detractors;
  e.n = promoters + passives + detractors;
  const auto est = detail::nps_from_counts(promoters, passives, detractors);
  if (!est) {
    e.reason = "no NPS answers";
    e.code = reason_code::no_data;
    return e;
  }
  e.score = est->score;
  e.se = est->se;
  return e;
}

ETHOS_DECL scorer::scorer(const instrument_view& inst, const response_matrix& m, scoring_options options)
    : inst_(inst), matrix_(&m) {
  std::vector<problem> problems = check(inst);
  for (std::size_t i = 0; i < inst.items.size(); ++i) {
    const auto col = m.column_of(inst.items[i].id);
    if (!col) {
      problems.push_back({"item '" + std::string(inst.items[i].id) + "'", "has no column in the response matrix"});
      columns_.push_back(0);
    } else {
      columns_.push_back(*col);
    }
  }
  for (std::size_t c = 0; c < inst.constructs.size(); ++c) {
    const std::size_t k = inst.construct_size(c);
    const std::size_t need = options.min_answered.value_or((k + 1) / 2);
    if (k > 255) {
      problems.push_back({"construct '" + std::string(inst.constructs[c].key) + "'",
                          "has " + std::to_string(k) + " items; the engine counts answers in a byte (at most 255)"});
    }
    if (k > 0 && (need < 1 || need > k)) {
      problems.push_back({"construct '" + std::string(inst.constructs[c].key) + "'",
                          "min_answered " + std::to_string(need) + " is outside 1.." + std::to_string(k)});
    }
    min_answered_.push_back(need);
  }
  throw_if_problems("scoring '" + std::string(inst.id) + "'", std::move(problems));
}

ETHOS_DECL scorer::scorer(const instrument& inst, const response_matrix& m, scoring_options options)
    : scorer(inst.view(), m, options) {
  keep_alive_.emplace(inst);
}

ETHOS_DECL scoring_result scorer::run() const {
  scoring_result out;
  run(out);
  return out;
}

ETHOS_DECL void scorer::run(scoring_result& out) const {
  const std::size_t rows = matrix_->rows();
  out.persons.reset(inst_.constructs.size(), rows);
  out.constructs.clear();
  out.enps.reset();
  out.service_levels.clear();
  std::vector<item_tables> tables;
  tables.reserve(inst_.items.size());
  std::array<std::size_t, 256> hist{};
  for (std::size_t c = 0; c < inst_.constructs.size(); ++c) {
    out.constructs.push_back(score_construct(c, out.persons, tables));
  }
  for (std::size_t i = 0; i < inst_.items.size(); ++i) {
    const auto& it = inst_.items[i];
    if (it.format == response_format::likert) {
      continue;
    }
    histogram(matrix_->column(columns_[i]), hist);
    check_range(i, hist);
    if (it.format == response_format::nps && it.id == inst_.nps_item) {
      std::size_t pro = 0;
      std::size_t pas = 0;
      std::size_t det = 0;
      for (int x = nps_scale::min; x <= nps_scale::max; ++x) {
        const auto n = hist[static_cast<std::size_t>(x)];
        (nps_scale::classify(x) == nps_group::promoter  ? pro
         : nps_scale::classify(x) == nps_group::passive ? pas
                                                        : det) += n;
      }
      out.enps = enps_from_counts(pro, pas, det);
    } else if (it.format == response_format::service_level) {
      service_level_item_summary s{std::string(it.id), it.category, {}};
      for (int x = service_level_scale::min; x <= service_level_scale::max; ++x) {
        s.distribution.counts[static_cast<std::size_t>(x - 1)] = hist[static_cast<std::size_t>(x)];
      }
      out.service_levels.push_back(std::move(s));
    }
  }
}

ETHOS_DECL void scorer::histogram(std::span<const std::uint8_t> col, std::array<std::size_t, 256>& hist) noexcept {
  hist.fill(0);
  for (const auto x : col) {
    ++hist[x];
  }
}

ETHOS_DECL void scorer::check_range(std::size_t item, const std::array<std::size_t, 256>& hist) const {
  const auto [lo, hi] = inst_.answer_range(inst_.items[item]);
  std::size_t bad = 0;
  for (std::size_t x = 0; x < response_matrix::missing; ++x) {
    if (static_cast<int>(x) < lo || static_cast<int>(x) > hi) {
      bad += hist[x];
    }
  }
  report_out_of_range(item, bad);
}

ETHOS_DECL void scorer::report_out_of_range(std::size_t item, std::size_t bad) const {
  if (bad > 0) {
    const auto [lo, hi] = inst_.answer_range(inst_.items[item]);
    throw error("scoring '" + std::string(inst_.id) + "': item '" + std::string(inst_.items[item].id) + "' has " +
                std::to_string(bad) + " answer(s) outside " + std::to_string(lo) + ".." + std::to_string(hi));
  }
}

ETHOS_DECL void scorer::count_block(const std::uint8_t* col, std::size_t n, item_tables& t) noexcept {
  std::size_t in_range = 0;
  std::size_t missing = 0;
  if (t.hi - t.lo < 16) {
    for (int v = t.lo; v <= t.hi; ++v) {
      const auto b = static_cast<std::uint8_t>(v);
      std::uint32_t c = 0;
      for (std::size_t r = 0; r < n; ++r) {
        c += col[r] == b ? 1U : 0U;
      }
      t.hist[b] += c;
      in_range += c;
    }
    std::uint32_t m = 0;
    for (std::size_t r = 0; r < n; ++r) {
      m += col[r] == response_matrix::missing ? 1U : 0U;
    }
    missing = m;
  } else {
    std::array<std::size_t, 256> h{};
    for (std::size_t r = 0; r < n; ++r) {
      ++h[col[r]];
    }
    for (int v = t.lo; v <= t.hi; ++v) {
      t.hist[static_cast<std::size_t>(v)] += h[static_cast<std::size_t>(v)];
      in_range += h[static_cast<std::size_t>(v)];
    }
    missing = h[response_matrix::missing];
  }
  t.out_of_range += n - in_range - missing;
}

template <bool UnitWeights>
void scorer::score_rows(std::span<item_tables> items, std::size_t rows, std::size_t need, double* out,
                        std::uint8_t* answered, exact_moments& m) noexcept {
  // multiple[c] = L / c for an answered count c that yields a score.
  std::array<std::int64_t, 256> multiple{};
  if (UnitWeights) {
    for (std::size_t c = need; c <= items.size(); ++c) {
      multiple[c] = m.scale / static_cast<std::int64_t>(c);
    }
  }
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  std::array<double, block_rows> sum;
  std::array<double, block_rows> wsum;
  std::array<std::int32_t, block_rows> isum;
  std::array<std::uint8_t, block_rows> cnt;
  for (std::size_t r0 = 0; r0 < rows; r0 += block_rows) {
    const std::size_t n = std::min(block_rows, rows - r0);
    sum.fill(0.0);
    wsum.fill(0.0);
    isum.fill(0);
    cnt.fill(0);
    for (auto& t : items) {
      const std::uint8_t* col = t.column + r0;
      if constexpr (UnitWeights) {
        // Keying as arithmetic, lo + hi - x or x, masked by "answered": no table, so it vectorises.
        // A byte outside the scale is caught by count_block, and run() then refuses the matrix.
        const std::int32_t base = t.reverse ? t.lo + t.hi : 0;
        const std::int32_t sign = t.reverse ? -1 : 1;
        for (std::size_t r = 0; r < n; ++r) {
          const std::int32_t x = col[r];
          const std::int32_t given = x != response_matrix::missing ? 1 : 0;
          isum[r] += given * (base + sign * x);
          cnt[r] = static_cast<std::uint8_t>(cnt[r] + given);
        }
      } else {
        for (std::size_t r = 0; r < n; ++r) {
          const std::uint8_t x = col[r];
          sum[r] += t.keyed[x];
          wsum[r] += t.weight[x];
          cnt[r] = static_cast<std::uint8_t>(cnt[r] + t.one[x]);
        }
      }
      count_block(col, n, t);
    }
    for (std::size_t r = 0; r < n; ++r) {
      answered[r0 + r] = cnt[r];
      if (cnt[r] < need) {
        out[r0 + r] = nan;
        for (auto& t : items) { // no score, so none of this row's answers count in the construct's shares
          const std::uint8_t x = t.column[r0 + r];
          if (x >= t.lo && x <= t.hi) {
            --t.hist[x];
          }
        }
        continue;
      }
      if constexpr (UnitWeights) {
        out[r0 + r] = static_cast<double>(isum[r]) / static_cast<double>(cnt[r]);
        const std::int64_t y = isum[r] * multiple[cnt[r]];
        ++m.n;
        m.sum += y;
        m.sumsq += static_cast<std::uint64_t>(y * y);
      } else {
        out[r0 + r] = sum[r] / wsum[r];
      }
    }
  }
}

ETHOS_DECL construct_summary scorer::score_construct(std::size_t c, person_scores& ps,
                                                     std::vector<item_tables>& tables) const {
  const auto& con = inst_.constructs[c];
  const std::size_t rows = matrix_->rows();
  double* sum = ps.values_.data() + c * rows;
  construct_summary s;
  s.key = std::string(con.key);
  s.label = std::string(con.label);
  s.min_answered = min_answered_[c];
  bool unit = true;
  tables.clear();
  for (std::size_t i = 0; i < inst_.items.size(); ++i) {
    const auto& it = inst_.items[i];
    if (it.construct != con.key) {
      continue;
    }
    auto& t = tables.emplace_back();
    t.item = i;
    t.column = matrix_->column(columns_[i]).data();
    t.lo = inst_.scale.min();
    t.hi = inst_.scale.max();
    t.reverse = it.reverse;
    unit = unit && it.weight == 1.0;
    for (int x = inst_.scale.min(); x <= inst_.scale.max(); ++x) {
      const auto b = static_cast<std::size_t>(x);
      t.keyed[b] = it.weight * inst_.scale.key(x, it.reverse);
      t.weight[b] = it.weight;
      t.one[b] = 1;
    }
  }
  s.items = tables.size();
  const std::size_t need = min_answered_[c];
  // The exact path needs L = lcm(need..k) small enough that sums of y^2 stay exact in 128 bits at 10^8
  // respondents: k <= 16 gives L <= 720720, y <= 250 L, y^2 < 2^55.
  exact_moments m;
  if (unit && s.items <= 16) {
    m.scale = 1;
    for (std::size_t k = need; k <= s.items; ++k) {
      m.scale = std::lcm(m.scale, static_cast<std::int64_t>(k));
    }
    score_rows<true>(tables, rows, need, sum, ps.answered_.data() + c * rows, m);
  } else {
    score_rows<false>(tables, rows, need, sum, ps.answered_.data() + c * rows, m);
  }
  for (const auto& t : tables) {
    report_out_of_range(t.item, t.out_of_range);
    const auto& it = inst_.items[t.item];
    for (int x = inst_.scale.min(); x <= inst_.scale.max(); ++x) {
      const auto n = t.hist[static_cast<std::size_t>(x)];
      s.answers += n;
      s.band_counts[static_cast<std::size_t>(inst_.scale.classify(inst_.scale.key(x, it.reverse)))] += n;
    }
  }

  // Mean and SD of the person scores: from the exact moments when there are some (one rounding at the end),
  // else in two passes in long double (never a cancellation-prone sum of squares in floating point).
  long double total = 0.0L;
  if (m.scale > 0) {
    s.n = m.n;
  } else {
    for (std::size_t r = 0; r < rows; ++r) {
      if (!std::isnan(sum[r])) {
        total += sum[r];
        ++s.n;
      }
    }
  }
  if (s.n == 0) {
    s.reason =
        "no respondent answered at least " + std::to_string(need) + " of the " + std::to_string(s.items) + " items";
    s.code = reason_code::no_data;
  } else {
    const long double nl = static_cast<long double>(s.n);
    const long double scale = static_cast<long double>(m.scale);
    const double mean = m.scale > 0 ? static_cast<double>(static_cast<long double>(m.sum) / (nl * scale))
                                    : static_cast<double>(total / nl);
    s.mean = mean;
    s.index = inst_.scale.index(mean);
    if (s.n < 2) {
      s.reason = "SD needs at least 2 scored respondents";
      s.code = reason_code::too_few_cases;
    } else if (m.scale > 0) {
      // n * sum(y^2) - (sum y)^2 = n (n - 1) L^2 var, exactly, and never negative.
      const auto n128 = static_cast<detail::int128>(s.n);
      const auto sum128 = static_cast<detail::int128>(m.sum);
      const detail::int128 num = n128 * static_cast<detail::int128>(m.sumsq) - sum128 * sum128;
      s.sd = static_cast<double>(std::sqrt(static_cast<long double>(num) / (nl * (nl - 1.0L) * scale * scale)));
    } else {
      long double ss = 0.0L;
      for (std::size_t r = 0; r < rows; ++r) {
        if (!std::isnan(sum[r])) {
          const long double d = static_cast<long double>(sum[r]) - mean;
          ss += d * d;
        }
      }
      s.sd = static_cast<double>(std::sqrt(ss / static_cast<long double>(s.n - 1)));
    }
  }
  if (s.answers > 0) {
    const double a = static_cast<double>(s.answers);
    s.unfavorable = static_cast<double>(s.band_counts[0]) / a;
    s.neutral = static_cast<double>(s.band_counts[1]) / a;
    s.favorable = static_cast<double>(s.band_counts[2]) / a;
  }
  return s;
}

ETHOS_DECL scoring_result score(const instrument_view& inst, const response_matrix& m, scoring_options options) {
  return scorer(inst, m, options).run();
}

ETHOS_DECL enps_result score_enps(std::span<const std::uint8_t> column) {
  std::array<std::size_t, 3> n{};
  for (std::size_t r = 0; r < column.size(); ++r) {
    const auto x = column[r];
    if (x == response_matrix::missing) {
      continue;
    }
    if (!nps_scale::contains(x)) {
      throw error("eNPS: answer " + std::to_string(x) + " in row " + std::to_string(r + 1) + " is outside 0..10");
    }
    ++n[static_cast<std::size_t>(nps_scale::classify(x))];
  }
  return enps_from_counts(n[2], n[1], n[0]);
}

} // namespace ethos
