/// \file
/// \brief Response scales (Likert with favourability bands, NPS 0-10, the six-level scale).
#pragma once

#include <ethos/error.hpp>
#include <ethos/framework/service_level.hpp>
#include <ethos/framework/vocabulary.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace ethos {

/// Where a keyed answer falls: below, inside or above the neutral band.
enum class favorability : unsigned char { unfavorable, neutral, favorable };

/// The vocabulary table of `favorability`: key, label and description of each enumerator, in canonical order.
template <>
struct vocabulary_traits<favorability> {
  /// One row per enumerator.
  static constexpr std::array<vocabulary_entry<favorability>, 3> entries{{
      {favorability::unfavorable, "unfavorable", "Unfavorable", "An answer in the scale's low band."},
      {favorability::neutral, "neutral", "Neutral", "An answer between the low and the high band."},
      {favorability::favorable, "favorable", "Favorable", "An answer in the scale's high band."},
  }};
};
static_assert(detail::vocabulary_table_is_valid<favorability>());

/// Favourability bands of a Likert scale: keyed answers >= favorable_min are favourable, answers
/// <= unfavorable_max unfavourable, the rest neutral.
struct favorability_bands {
  int favorable_min;   ///< lowest keyed answer that counts as favourable
  int unfavorable_max; ///< highest keyed answer that counts as unfavourable
  /// Equal when both bounds are.
  friend constexpr bool operator==(const favorability_bands&, const favorability_bands&) = default;
};

/// A Likert scale with integer bounds min..max (0 <= min < max <= 250, so that answers fit a byte) and
/// favourability bands. The default bands follow the usual platform conventions for 1-5 (4-5 / 3 / 1-2),
/// 1-7 (6-7 / 4-5 / 1-3), 1-10 (8-10 / 4-7 / 1-3) and 0-10 (9-10 / 7-8 / 0-6); any other range splits
/// around its midpoint (values above it favourable, below it unfavourable).
///
///     constexpr ethos::likert_scale five{1, 5};             // default bands
///     constexpr ethos::likert_scale strict{1, 5, {5, 3}};    // only 5 is favourable
class likert_scale {
 public:
  /// The scale min..max with the conventional bands; throws ethos::error for bounds outside 0 <= min < max <= 250.
  constexpr likert_scale(int min, int max) : likert_scale(min, max, default_bands(min, max)) {}
  /// The scale min..max with these bands; throws ethos::error when the bounds or the bands are out of order.
  constexpr likert_scale(int min, int max, favorability_bands bands) : min_(min), max_(max), bands_(bands) {
    if (!(0 <= min && min < max && max <= 250)) {
      throw error("likert scale " + std::to_string(min) + ".." + std::to_string(max) +
                  ": bounds must satisfy 0 <= min < max <= 250");
    }
    if (!(min <= bands.unfavorable_max && bands.unfavorable_max < bands.favorable_min && bands.favorable_min <= max)) {
      throw error("likert scale " + std::to_string(min) + ".." + std::to_string(max) + ": favourable from " +
                  std::to_string(bands.favorable_min) + " and unfavourable up to " +
                  std::to_string(bands.unfavorable_max) +
                  " must satisfy min <= unfavorable_max < favorable_min <= max");
    }
  }

  /// The lowest answer.
  constexpr int min() const noexcept { return min_; }
  /// The highest answer.
  constexpr int max() const noexcept { return max_; }
  /// Number of answer options, max - min + 1.
  constexpr int points() const noexcept { return max_ - min_ + 1; }
  /// The favourability bands.
  constexpr favorability_bands bands() const noexcept { return bands_; }
  /// True when `x` is an answer on this scale.
  constexpr bool contains(int x) const noexcept { return x >= min_ && x <= max_; }
  /// The keyed answer: `min + max - x` for a reverse-keyed item, `x` otherwise (docs/statistics.md, "Keying").
  constexpr int key(int x, bool reverse) const noexcept { return reverse ? min_ + max_ - x : x; }
  /// The band of a keyed answer.
  constexpr favorability classify(int keyed) const noexcept {
    return keyed >= bands_.favorable_min     ? favorability::favorable
           : keyed <= bands_.unfavorable_max ? favorability::unfavorable
                                             : favorability::neutral;
  }
  /// The 0-100 index of a mean on this scale: (mean - min) / (max - min) * 100.
  constexpr double index(double mean) const noexcept {
    return (mean - static_cast<double>(min_)) / static_cast<double>(max_ - min_) * 100.0;
  }

  /// The conventional bands for min..max (see the class comment).
  static constexpr favorability_bands default_bands(int min, int max) noexcept {
    if (min == 1 && max == 5) {
      return {4, 2};
    }
    if (min == 1 && max == 7) {
      return {6, 3};
    }
    if (min == 1 && max == 10) {
      return {8, 3};
    }
    if (min == 0 && max == 10) {
      return {9, 6};
    }
    // Midpoint rule: with an odd number of points the middle one is neutral, with an even number none is.
    const int twice_mid = min + max;
    return {twice_mid / 2 + 1, (twice_mid - 1) / 2};
  }

  /// Equal when the bounds and the bands are.
  friend constexpr bool operator==(const likert_scale&, const likert_scale&) = default;

 private:
  int min_;
  int max_;
  favorability_bands bands_;
};

namespace detail {
// The band of every byte a response matrix can store for an item on scale `s` (keyed when `reverse`): the
// favorability as 0..2, and 3 for the missing marker and anything off the scale. Hot loops look answers up in it.
constexpr std::array<std::uint8_t, 256> band_table(const likert_scale& s, bool reverse) noexcept {
  std::array<std::uint8_t, 256> t{};
  t.fill(3);
  for (int x = std::max(s.min(), 0); x <= std::min(s.max(), 254); ++x) {
    t[static_cast<std::size_t>(x)] = static_cast<std::uint8_t>(s.classify(s.key(x, reverse)));
  }
  return t;
}

// Up to this many answers' bands can be counted side by side in one 64-bit word (16 bits a band).
inline constexpr std::size_t band_lane_answers = 65535;

// band_table as counters for that: 1 << (16 * band) for an answer in band 0..2, and 0 for the missing marker and
// anything off the scale. The sum over up to band_lane_answers answers holds the count of band b in bits 16b..16b+15.
constexpr std::array<std::uint64_t, 256> band_lane_table(const likert_scale& s, bool reverse) noexcept {
  const auto bands = band_table(s, reverse);
  std::array<std::uint64_t, 256> t{};
  for (std::size_t x = 0; x < 256; ++x) {
    t[x] = bands[x] < 3 ? std::uint64_t{1} << (16U * bands[x]) : 0U;
  }
  return t;
}

// Adds the band counts a band_lane_table sum holds to `b`.
template <class Count>
constexpr void add_band_lanes(std::array<Count, 3>& b, std::uint64_t lanes) noexcept {
  for (std::size_t band = 0; band < 3; ++band) {
    b[band] += static_cast<Count>((lanes >> (16U * band)) & 0xffffU);
  }
}
} // namespace detail

/// Frequently used scales.
namespace scales {
inline constexpr likert_scale agree5{1, 5};       ///< 1-5 agreement: 4-5 favourable, 1-2 unfavourable
inline constexpr likert_scale agree7{1, 7};       ///< 1-7 agreement: 6-7 favourable, 1-3 unfavourable
inline constexpr likert_scale one_to_ten{1, 10};  ///< 1-10: 8-10 favourable, 1-3 unfavourable
inline constexpr likert_scale zero_to_ten{0, 10}; ///< 0-10: 9-10 favourable, 0-6 unfavourable
} // namespace scales

/// The three groups of the 0-10 "how likely are you to recommend" question.
enum class nps_group : unsigned char { detractor, passive, promoter };

/// The vocabulary table of `nps_group`: key, label and description of each enumerator, in canonical order.
template <>
struct vocabulary_traits<nps_group> {
  /// One row per enumerator.
  static constexpr std::array<vocabulary_entry<nps_group>, 3> entries{{
      {nps_group::detractor, "detractor", "Detractor", "Answered 0 to 6: would not recommend, or only grudgingly."},
      {nps_group::passive, "passive", "Passive", "Answered 7 or 8: satisfied but not enthusiastic."},
      {nps_group::promoter, "promoter", "Promoter", "Answered 9 or 10: would recommend with enthusiasm."},
  }};
};
static_assert(detail::vocabulary_table_is_valid<nps_group>());

/// The NPS scale 0..10: promoters 9-10, passives 7-8, detractors 0-6.
struct nps_scale {
  static constexpr int min = 0;  ///< the lowest answer
  static constexpr int max = 10; ///< the highest answer
  /// True when `x` is an answer on this scale.
  static constexpr bool contains(int x) noexcept { return x >= min && x <= max; }
  /// The group of an answer (which must be in 0..10).
  static constexpr nps_group classify(int x) noexcept {
    return x >= 9 ? nps_group::promoter : x >= 7 ? nps_group::passive : nps_group::detractor;
  }
};

/// The six-level service scale: answers 1..6 are the levels criminal..unbelievable.
struct service_level_scale {
  static constexpr int min = 1; ///< criminal
  static constexpr int max = 6; ///< unbelievable
  /// True when `x` is an answer on this scale.
  static constexpr bool contains(int x) noexcept { return x >= min && x <= max; }
  /// The level of an answer, if it is one.
  static constexpr std::optional<service_level> to_level(int x) noexcept { return service_level_from_number(x); }
};

/// How an item is answered: on the instrument's Likert scale, on the NPS 0-10 scale, or on the six levels.
enum class response_format : unsigned char { likert, nps, service_level };

/// The vocabulary table of `response_format`: key, label and description of each enumerator, in canonical order.
template <>
struct vocabulary_traits<response_format> {
  /// One row per enumerator.
  static constexpr std::array<vocabulary_entry<response_format>, 3> entries{{
      {response_format::likert, "likert", "Likert", "An agreement or frequency rating on the instrument's scale."},
      {response_format::nps, "nps", "NPS", "A 0 to 10 rating of how likely the person is to recommend."},
      {response_format::service_level, "service_level", "Service level",
       "A rating on the six levels of service, from criminal to unbelievable."},
  }};
};
static_assert(detail::vocabulary_table_is_valid<response_format>());

} // namespace ethos
