/// \file
/// \brief The internal-service matrix: how units rate the service they get from each other, with every published
/// cell protected so that no small set of raters can be worked out.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/detail/hash_slots.hpp>
#include <ethos/framework/vocabulary.hpp>
#include <ethos/org/disclosure.hpp>
#include <ethos/status.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ethos {

/// What the numbers in an internal-service survey mean.
enum class internal_scale_kind : unsigned char {
  likert,         ///< whole numbers from `min` to `max` (1..5 unless set otherwise)
  service_levels, ///< the six levels of service, 1 (criminal) to 6 (unbelievable)
};

/// The vocabulary of `internal_scale_kind`: for each value its key, display name and a sentence.
template <>
struct vocabulary_traits<internal_scale_kind> {
  /// One entry per value, in declaration order.
  static constexpr std::array<vocabulary_entry<internal_scale_kind>, 2> entries{{
      {internal_scale_kind::likert, "likert", "Likert scale",
       "Raters pick a whole number on an agreement or satisfaction scale with a fixed lowest and highest point."},
      {internal_scale_kind::service_levels, "service_levels", "Six levels of service",
       "Raters place the service they got on the six levels, from criminal (1) to unbelievable (6)."},
  }};
};
static_assert(detail::vocabulary_table_is_valid<internal_scale_kind>());

/// One person's rating of the service their unit gets from another unit.
struct internal_rating {
  std::string person;      ///< the rater's id (one person may rate several units, each once)
  std::string rater_unit;  ///< the rater's own unit (the same on every rating of that person)
  std::string served_unit; ///< the unit whose service is rated
  int value = 0;           ///< the rating on the scale of internal_service_options
  std::size_t line = 0;    ///< where the rating was read (for messages); 0 when it did not come from a file
};

/// How ratings are read, checked and summarised.
struct internal_service_options {
  /// k: no published figure may let the ratings of 1..k-1 persons be worked out (at least
  /// `lowest_min_group_size`, i.e. 3).
  std::size_t min_group_size = 5;
  internal_scale_kind scale = internal_scale_kind::likert; ///< likert (min..max) or the six service levels (1..6)
  int min = 1;                                             ///< lowest Likert point (ignored for service_levels)
  int max = 5;                                             ///< highest Likert point (ignored for service_levels)
  /// The mean a unit's service should reach; lower is a shortfall (3 is "expected" on the six levels).
  double expected = 3.0;
  /// Two units are flagged when the means of their ratings of each other differ by at least this.
  double asymmetry = 1.0;
  /// Ratings of one's own unit are left out (and counted in `dropped_self`) unless this is true.
  bool include_self = false;
};

/// One published figure: the ratings one unit's people gave another unit, or a margin (all ratings a unit got
/// or gave), or all ratings. Counts are always reported, because a count is not an answer; the mean, median and
/// distribution only when the cell is shown.
struct internal_cell {
  std::size_t ratings = 0;                ///< ratings behind the cell
  std::size_t persons = 0;                ///< distinct raters behind the cell
  suppression status = suppression::none; ///< shown, too small, or hidden to protect a smaller cell
  std::optional<double> mean;             ///< mean rating, when shown and not empty
  std::optional<double> median;           ///< median rating (midpoint of the two middle ones), when shown and not empty
  std::vector<std::size_t> distribution;  ///< ratings per scale point from the lowest, when shown and not empty
};

/// Two units whose ratings of each other differ by at least `internal_service_options::asymmetry`.
struct internal_pair_flag {
  std::string a;          ///< the unit first in sort order
  std::string b;          ///< the other unit
  double a_rates_b = 0.0; ///< mean rating of b's service by a's people
  double b_rates_a = 0.0; ///< mean rating of a's service by b's people
};

/// The internal-service matrix with its margins and what stands out in it.
struct internal_service_result {
  std::vector<std::string> units;                 ///< every unit that rates or is rated, sorted
  std::vector<std::vector<internal_cell>> matrix; ///< [rater][served]; the diagonal holds self ratings (if counted)
  std::vector<internal_cell> received;            ///< per unit: all ratings of it by other units' people
  std::vector<internal_cell> given;               ///< per unit: all ratings of other units by its people
  internal_cell overall;                          ///< every rating counted
  /// Pairs where both directions are shown and their means differ by at least `asymmetry`, largest gap first.
  std::vector<internal_pair_flag> asymmetric;
  /// Units whose shown received mean is below `expected` and whose every shown rating cell is below it too.
  std::vector<std::string> possible_silos;
  std::size_t dropped_self = 0;  ///< ratings of the rater's own unit left out (include_self = false)
  std::vector<warning> warnings; ///< things a reader of the result should know: a code and a plain sentence each
};

namespace detail {

// The scale's lowest and highest point, after checking the options.
ETHOS_DECL std::pair<int, int> internal_scale_range(const internal_service_options& opt);

// Names a rating in messages: its line, or its position when it did not come from a file.
ETHOS_DECL std::string isv_place(std::size_t line, std::size_t index);

// The checks every rating must pass, shared by analyse_internal_service and the CSV reader so that both report
// the same reasons. Fed one rating at a time; remembers persons and (person, served unit) pairs seen so far.
class internal_rating_checker {
 public:
  // What is wrong with a rating, and which of its fields is at fault.
  enum class field : unsigned char { person, rater_unit, served_unit, value };
  struct fault {
    field where;
    std::string reason;
  };

  explicit internal_rating_checker(const internal_service_options& opt);

  // Checks one name field (person, rater_unit or served_unit) on its own.
  [[nodiscard]] static std::optional<fault> check_name(field which, std::string_view text);

  // Checks a value against the scale.
  [[nodiscard]] std::optional<fault> check_value(int value) const;

  // Checks the fields of one rating on their own (nothing across ratings).
  [[nodiscard]] std::optional<fault> check_fields(const internal_rating& r) const;

  // Checks one rating against the ratings before it and remembers it; `place` names it in messages.
  [[nodiscard]] std::optional<fault> add(const internal_rating& r, const std::string& place);

  [[nodiscard]] std::pair<int, int> range() const noexcept { return range_; }

 private:
  struct person_seen {
    std::string person;
    std::string unit;  // the rater unit of the person's first rating
    std::string place; // where that rating is
  };
  struct pair_seen {
    std::string key;   // person and served unit
    std::string place; // where the person rated the unit
  };
  std::pair<int, int> range_;
  std::string scale_name_;
  std::vector<person_seen> persons_;
  detail::hash_slots person_index_;
  std::vector<pair_seen> pairs_;
  detail::hash_slots pair_index_;
};

// The published cells of an internal-service matrix over `units` (sorted): n*n matrix cells [rater * n + served],
// then n received, n given and the overall cell. Elements are the ratings kept (self ratings left out unless asked
// for), numbered in input order; `rating_of[e]` is the input index of element e and `person_of[e]` its rater.
struct isv_layout {
  std::vector<disclosure_cell> cells;
  std::vector<std::vector<std::size_t>> counts; ///< per cell: ratings per scale point
  std::vector<std::uint32_t> person_of;
  std::vector<std::size_t> rating_of;
  std::size_t dropped_self = 0;
};

ETHOS_DECL isv_layout isv_layout_of(std::span<const internal_rating> ratings, const std::vector<std::string>& units,
                                    const internal_service_options& opt, int lo, int hi);

} // namespace detail

/// Builds the internal-service matrix: for every pair of units, how the people of one (the rater unit) rate the
/// service they get from the other (the served unit), with the margins (all ratings a unit received from
/// others, all ratings its people gave others) and one overall cell.
///
/// Every rating is checked first, in order; the first problem throws ethos::error naming its line (or its
/// position, for ratings with line 0), e.g. "line 7: person 'p1' rates unit 'Finance' twice (line 3 and line 7)".
/// Problems: an empty person or unit, a value outside the scale, one person rating one unit twice, one person
/// in two rater units. Ratings of one's own unit are then left out (counted in `dropped_self`) unless
/// `include_self` is set.
///
/// Anonymity: the published cells are the matrix cells, both margins and the overall cell. protect_cells hides
/// cells until no set of 1..k-1 *persons* (a person may give several ratings) can be worked out by adding and
/// subtracting shown cells; matrix cells go first, margins and the overall cell are kept when possible. A
/// hidden cell publishes its counts only (`ratings`, `persons`), never a mean, median or distribution.
///
///     std::vector<ethos::internal_rating> rs = ethos::read_internal_ratings_file("ratings.csv", opt);
///     const auto r = ethos::analyse_internal_service(rs, opt);
///     // r.matrix[i][j].mean: how units[i] rates units[j], if shown
///
/// \throws ethos::error on invalid options (k < 3, an empty Likert range, `expected` off the scale, a negative
/// asymmetry) and on invalid ratings as above.
ETHOS_DECL internal_service_result analyse_internal_service(std::span<const internal_rating> ratings,
                                                            const internal_service_options& opt = {});

/// The cell of `r` at position `c` of the published layout: the matrix cells first (rater * n + served, n the
/// number of units), then what each unit received, what each gave, and the overall cell.
/// \throws ethos::error for a position outside the layout.
ETHOS_DECL internal_cell& internal_cell_at(internal_service_result& r, std::size_t c);

/// As above, read only.
ETHOS_DECL const internal_cell& internal_cell_at(const internal_service_result& r, std::size_t c);

/// Withholds cells of `r` (positions as in internal_cell_at) that a protection over several reports hid as well:
/// their figures go, their counts stay, and the asymmetric pairs and possible silos are worked out again from the
/// cells still shown.
ETHOS_DECL void hide_internal_cells(internal_service_result& r, std::span<const std::size_t> cells,
                                    const internal_service_options& opt);

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/org/impl/internal_service.ipp>
#endif
