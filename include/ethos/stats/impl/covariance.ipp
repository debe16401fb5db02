// ethos/stats/impl/covariance.ipp: definitions of ethos/stats/covariance.hpp (compiled into ethos::compiled, or
// included by the header in header-only mode).
#pragma once

#include <ethos/stats/covariance.hpp>

#include <ethos/detail/int128.hpp>
#include <ethos/error.hpp>

#include <array>
#include <string>
#include <utility>

namespace ethos {

ETHOS_DECL covariance_accumulator::covariance_accumulator(std::size_t columns, int min, int max,
                                                          std::vector<bool> reverse)
    : k_(columns), min_(min), max_(max), reverse_(std::move(reverse)) {
  if (k_ == 0) {
    throw error("covariance accumulator: no columns");
  }
  if (!(0 <= min_ && min_ < max_ && max_ <= 250)) {
    throw error("covariance accumulator: scale " + std::to_string(min_) + ".." + std::to_string(max_) +
                " must satisfy 0 <= min < max <= 250");
  }
  if (reverse_.empty()) {
    reverse_.assign(k_, false);
  }
  if (reverse_.size() != k_) {
    throw error("covariance accumulator: " + std::to_string(reverse_.size()) + " reverse flags for " +
                std::to_string(k_) + " columns");
  }
  sum_.assign(k_, 0);
  cross_.assign(k_ * (k_ + 1) / 2, 0);
}

ETHOS_DECL void covariance_accumulator::add(std::span<const std::uint8_t* const> columns, std::size_t rows) {
  if (columns.size() != k_) {
    throw error("covariance accumulator: " + std::to_string(columns.size()) + " columns for " + std::to_string(k_));
  }
  // Each byte's keyed value per column (-1: missing), checked before anything is added.
  std::vector<std::array<int, 256>> keyed(k_);
  for (std::size_t i = 0; i < k_; ++i) {
    keyed[i].fill(-2);
    keyed[i][255] = -1;
    for (int x = min_; x <= max_; ++x) {
      keyed[i][static_cast<std::size_t>(x)] = reverse_[i] ? min_ + max_ - x : x;
    }
  }
  for (std::size_t i = 0; i < k_; ++i) {
    for (std::size_t r = 0; r < rows; ++r) {
      if (keyed[i][columns[i][r]] == -2) {
        throw error("covariance accumulator: column " + std::to_string(i + 1) + ", row " + std::to_string(r + 1) +
                    ": answer " + std::to_string(columns[i][r]) + " is off the scale " + std::to_string(min_) + ".." +
                    std::to_string(max_));
      }
    }
  }
  std::vector<std::uint64_t> x(k_);
  for (std::size_t r = 0; r < rows; ++r) {
    bool complete = true;
    for (std::size_t i = 0; i < k_ && complete; ++i) {
      const int v = keyed[i][columns[i][r]];
      complete = v >= 0;
      x[i] = static_cast<std::uint64_t>(v);
    }
    if (!complete) {
      continue;
    }
    ++n_;
    for (std::size_t i = 0; i < k_; ++i) {
      sum_[i] += x[i];
      std::uint64_t* row = cross_.data() + i * (i + 1) / 2;
      for (std::size_t j = 0; j <= i; ++j) {
        row[j] += x[i] * x[j];
      }
    }
  }
  rows_ += rows;
}

ETHOS_DECL void covariance_accumulator::add_keyed(std::span<const std::uint8_t> digits, std::uint64_t count) {
  if (digits.size() != k_) {
    throw error("covariance accumulator: " + std::to_string(digits.size()) + " keyed answers for " +
                std::to_string(k_) + " columns");
  }
  bool complete = true;
  for (std::size_t i = 0; i < k_; ++i) {
    if (digits[i] > max_ - min_ + 1) {
      throw error("covariance accumulator: column " + std::to_string(i + 1) + ": keyed answer digit " +
                  std::to_string(digits[i]) + " is off the scale " + std::to_string(min_) + ".." +
                  std::to_string(max_));
    }
    complete = complete && digits[i] != 0;
  }
  rows_ += count;
  if (!complete) {
    return;
  }
  n_ += count;
  for (std::size_t i = 0; i < k_; ++i) {
    const auto xi = static_cast<std::uint64_t>(min_ + digits[i] - 1);
    sum_[i] += count * xi;
    std::uint64_t* row = cross_.data() + i * (i + 1) / 2;
    for (std::size_t j = 0; j <= i; ++j) {
      row[j] += count * xi * static_cast<std::uint64_t>(min_ + digits[j] - 1);
    }
  }
}

ETHOS_DECL covariance_accumulator& covariance_accumulator::merge(const covariance_accumulator& other) {
  if (k_ != other.k_ || min_ != other.min_ || max_ != other.max_ || reverse_ != other.reverse_) {
    throw error("covariance accumulator: cannot merge accumulators of different designs");
  }
  rows_ += other.rows_;
  n_ += other.n_;
  for (std::size_t i = 0; i < sum_.size(); ++i) {
    sum_[i] += other.sum_[i];
  }
  for (std::size_t i = 0; i < cross_.size(); ++i) {
    cross_[i] += other.cross_[i];
  }
  return *this;
}

ETHOS_DECL std::vector<double> covariance_accumulator::covariance(std::span<const std::size_t> keep) const {
  for (std::size_t a = 0; a < keep.size(); ++a) {
    if (keep[a] >= k_ || (a > 0 && keep[a] <= keep[a - 1])) {
      throw error("covariance accumulator: the columns kept must be ascending and below " + std::to_string(k_));
    }
  }
  const std::size_t p = keep.size();
  if (n_ == 0) {
    return {};
  }
  using detail::int128;
  const auto n = static_cast<int128>(n_);
  const double n2 = static_cast<double>(n_) * static_cast<double>(n_);
  std::vector<double> s(p * p);
  for (std::size_t a = 0; a < p; ++a) {
    for (std::size_t b = 0; b <= a; ++b) {
      const std::size_t i = keep[a];
      const std::size_t j = keep[b];
      const int128 num = n * static_cast<int128>(cross_[i * (i + 1) / 2 + j]) -
                         static_cast<int128>(sum_[i]) * static_cast<int128>(sum_[j]);
      const double v = static_cast<double>(num) / n2;
      s[a * p + b] = v;
      s[b * p + a] = v;
    }
  }
  return s;
}

ETHOS_DECL std::vector<double> covariance_accumulator::means() const {
  if (n_ == 0) {
    return {};
  }
  std::vector<double> m(k_);
  for (std::size_t i = 0; i < k_; ++i) {
    m[i] = static_cast<double>(sum_[i]) / static_cast<double>(n_);
  }
  return m;
}

ETHOS_DECL std::vector<double> covariance_accumulator::covariance() const {
  std::vector<std::size_t> all(k_);
  for (std::size_t i = 0; i < k_; ++i) {
    all[i] = i;
  }
  return covariance(all);
}

} // namespace ethos
