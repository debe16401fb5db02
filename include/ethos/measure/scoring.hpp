/// \file
/// \brief The one scoring engine: keying, person construct scores, construct summaries, eNPS.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/detail/floating.hpp>
#include <ethos/detail/int128.hpp>
#include <ethos/framework/transaction.hpp>
#include <ethos/measure/instrument.hpp>
#include <ethos/measure/response_matrix.hpp>
#include <ethos/measure/scale.hpp>
#include <ethos/status.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ethos {

/// Options of the scoring engine.
struct scoring_options {
  /// Minimum number of answered items for a person construct score; by default half the construct's items,
  /// rounded up (docs/statistics.md, "Person construct scores"). Must lie in 1..k for every construct.
  std::optional<std::size_t> min_answered;
};

/// Person construct scores: for construct c and respondent r, the (weighted) mean of the answered keyed items,
/// or no score when fewer than `min_answered` items were answered.
class person_scores {
 public:
  person_scores() = default;
  /// Room for `constructs` x `rows` scores, each "no score" until the scorer writes it.
  person_scores(std::size_t constructs, std::size_t rows);

  /// Resizes for `constructs` x `rows` scores, keeping the memory already held. Scores kept from before are
  /// not cleared: the scorer overwrites every one (a fresh object reads "no score" everywhere).
  void reset(std::size_t constructs, std::size_t rows);

  /// Number of respondents.
  std::size_t rows() const noexcept { return rows_; }
  /// Number of constructs.
  std::size_t constructs() const noexcept { return rows_ == 0 ? 0 : values_.size() / rows_; }
  /// The score of respondent r on construct c, if there is one.
  std::optional<double> score(std::size_t c, std::size_t r) const noexcept {
    const double v = values_[c * rows_ + r];
    return detail::is_nan(v) ? std::nullopt : std::optional<double>(v);
  }
  /// How many of construct c's items respondent r answered.
  std::size_t answered(std::size_t c, std::size_t r) const noexcept { return answered_[c * rows_ + r]; }
  /// All scores of construct c; a quiet NaN marks "no score" (test with std::isnan), never a computed value.
  std::span<const double> construct(std::size_t c) const noexcept { return {values_.data() + c * rows_, rows_}; }

 private:
  friend class scorer;
  std::size_t rows_ = 0;
  std::vector<double> values_;
  std::vector<std::uint8_t> answered_;
};

/// Summary of one construct over respondents.
struct construct_summary {
  std::string key;                      ///< the construct's key
  std::string label;                    ///< its display label
  std::size_t items = 0;                ///< its items
  std::size_t min_answered = 0;         ///< answered items a person needs for a score
  std::size_t n = 0;                    ///< persons with a score
  std::optional<double> mean;           ///< of person scores; empty when n == 0
  std::optional<double> sd;             ///< sample SD (n - 1); empty when n < 2
  std::optional<double> index;          ///< (mean - min) / (max - min) * 100
  std::string reason;                   ///< why mean or sd is empty, if one is
  reason_code code = reason_code::none; ///< `reason` as a code: no_data (no score), too_few_cases (no SD)
  /// Answers to the construct's items given by the `n` persons with a score (the same people as the mean, so that
  /// the shares describe no one the mean leaves out; answers of people without a score count nowhere).
  std::size_t answers = 0;
  std::array<std::size_t, 3> band_counts{}; ///< unfavourable, neutral, favourable among `answers`
  std::optional<double> favorable;          ///< share of `answers`; empty when answers == 0
  std::optional<double> neutral;            ///< share of `answers`; empty when answers == 0
  std::optional<double> unfavorable;        ///< share of `answers`; empty when answers == 0
};

/// eNPS of an NPS item: score = %promoters - %detractors in [-100, 100], and its standard error
/// 100 * sqrt((p + d - (p - d)^2) / n) (docs/statistics.md, "eNPS and its standard error").
struct enps_result {
  std::size_t n = 0;                    ///< answers
  std::size_t promoters = 0;            ///< answers 9-10
  std::size_t passives = 0;             ///< answers 7-8
  std::size_t detractors = 0;           ///< answers 0-6
  std::optional<double> score;          ///< empty when n == 0
  std::optional<double> se;             ///< empty when n == 0
  std::string reason;                   ///< why score is empty, if it is
  reason_code code = reason_code::none; ///< `reason` as a code: no_data when there are no answers
};

/// eNPS from counts of the three groups.
ETHOS_DECL enps_result enps_from_counts(std::size_t promoters, std::size_t passives, std::size_t detractors);

/// The answers to one six-level item.
struct service_level_item_summary {
  std::string item;                       ///< the item's id
  std::optional<value_category> category; ///< the category of value it asks about, if any
  level_distribution distribution;        ///< its answers over the six levels
};

/// Everything the engine computes from one instrument and one response matrix.
struct scoring_result {
  person_scores persons;                                  ///< every respondent's construct scores
  std::vector<construct_summary> constructs;              ///< in instrument order
  std::optional<enps_result> enps;                        ///< when the instrument names an NPS item
  std::vector<service_level_item_summary> service_levels; ///< one per six-level item, in instrument order
};

/// The scoring engine. Construction checks the instrument against the matrix (every item column present,
/// options valid) and prepares lookup tables; scoring itself allocates nothing beyond its result and
/// never throws inside its loops. The instrument (or view) must outlive a scorer built from a view.
class scorer {
 public:
  /// A scorer of `m` with the instrument behind `inst`; throws validation_error listing every problem.
  scorer(const instrument_view& inst, const response_matrix& m, scoring_options options = {});
  /// As above; the scorer keeps the run-time instrument alive.
  scorer(const instrument& inst, const response_matrix& m, scoring_options options = {});

  /// Scores every respondent and summarises every construct, the NPS item and the six-level items.
  /// Throws ethos::error if the matrix holds an answer outside an item's range (append_row stores bytes
  /// unchecked); the count and item are named.
  scoring_result run() const;

  /// As run(), reusing the memory of a previous result: scoring the same survey again allocates nothing.
  void run(scoring_result& out) const;

 private:
  static void histogram(std::span<const std::uint8_t> col, std::array<std::size_t, 256>& hist) noexcept;

  void check_range(std::size_t item, const std::array<std::size_t, 256>& hist) const;

  void report_out_of_range(std::size_t item, std::size_t bad) const;

  // Lookup tables of one item over all 256 byte values: missing (and any byte outside the scale) adds nothing,
  // so the inner loop has no branch.
  struct item_tables {
    const std::uint8_t* column = nullptr;
    std::array<double, 256> keyed{};     // weight * keyed answer
    std::array<double, 256> weight{};    // weight if answered
    std::array<std::uint8_t, 256> one{}; // 1 if answered
    // Answers per value in lo..hi of the rows that get a score: every row's are counted by block, and the rows left
    // without a score (few) are taken back out one by one.
    std::array<std::size_t, 256> hist{};
    std::size_t out_of_range = 0; // bytes that are neither missing nor in lo..hi
    std::size_t item = 0;
    int lo = 0;
    int hi = 0;
    bool reverse = false;
  };

  // Counts the values of a block of one column. Small scales use one comparison pass per value, which
  // vectorises; a running histogram would serialise on its own stores.
  static void count_block(const std::uint8_t* col, std::size_t n, item_tables& t) noexcept;

  // Rows are processed in blocks that stay in L1 cache: each item column is read once, each score written once.
  static constexpr std::size_t block_rows = 1024;

  // Unit weights (the common case) accumulate exact integers; the quotient is the same double either way,
  // because sums of small integers are exact in double as well.
  // Exact moments of person scores scaled by L (a common multiple of every possible answered count):
  // y = sum of keyed answers * L / count is an integer, so sum(y) and sum(y^2) are exact.
  struct exact_moments {
    std::size_t n = 0;
    std::int64_t sum = 0;
    detail::uint128 sumsq = 0;
    std::int64_t scale = 0; // L; 0 when the exact path does not apply
  };

  template <bool UnitWeights>
  static void score_rows(std::span<item_tables> items, std::size_t rows, std::size_t need, double* out,
                         std::uint8_t* answered, exact_moments& m) noexcept;

  construct_summary score_construct(std::size_t c, person_scores& ps, std::vector<item_tables>& tables) const;

  std::optional<instrument> keep_alive_;
  instrument_view inst_;
  const response_matrix* matrix_;
  std::vector<std::size_t> columns_;
  std::vector<std::size_t> min_answered_;
};

/// Scores a response matrix with an instrument (compile-time or run-time): `ethos::score(inst, matrix)`.
ETHOS_DECL scoring_result score(const instrument_view& inst, const response_matrix& m, scoring_options options = {});

/// eNPS of any 0..10 column (missing answers skipped). Throws ethos::error for an answer outside 0..10.
ETHOS_DECL enps_result score_enps(std::span<const std::uint8_t> column);

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/measure/impl/scoring.ipp>
#endif
