/// \file
/// \brief A user's core values and the say/do gap between aspiration and observed behaviour.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/error.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ethos {

/// A declared core value: its name, what it means, and the behaviours that show it in daily work.
struct core_value {
  std::string name;                    ///< what the value is called, e.g. "Own the outcome"
  std::string statement;               ///< what it means, in a sentence
  std::vector<std::string> behaviours; ///< what people do when they live it
};

/// A validated set of core values: names non-empty and unique (case-insensitively), each with a statement.
class core_value_set {
 public:
  core_value_set() = default;

  /// Validates `values` and throws validation_error naming every problem.
  explicit core_value_set(std::vector<core_value> values);

  /// Every problem in `values`, without throwing.
  static std::vector<problem> check(std::span<const core_value> values);

  /// The values, in the order given.
  const std::vector<core_value>& values() const noexcept { return values_; }
  /// Number of values.
  std::size_t size() const noexcept { return values_.size(); }

  /// Position of the value called `name` (case-insensitive, spaces around ignored).
  std::optional<std::size_t> index_of(std::string_view name) const noexcept;

 private:
  std::vector<core_value> values_;
};

/// Reads core values from a small line format (blank lines and lines starting with '#' are ignored):
///
///     value: Own the outcome
///     statement: We finish what we start and say so when we cannot.
///     behaviour: Tells the person served when a promise is at risk, before the deadline.
///
/// ("behavior:" is accepted too.) Throws validation_error naming `source:line` for every problem.
ETHOS_DECL core_value_set parse_core_values(std::string_view text, std::string_view source = "<core values>");

/// An example value set, written for this library, that shows the shape of a service-minded set of values.
ETHOS_DECL core_value_set example_core_values();

/// The range of the rating scale used for aspiration and observation, inclusive.
struct rating_range {
  int min = 1; ///< lowest rating
  int max = 5; ///< highest rating
};

/// One rater's view of one value: how important it should be (aspiration) and how consistently it is
/// lived (observed). Either may be missing.
struct value_rating {
  std::string value;             ///< name of the value rated
  std::optional<int> aspiration; ///< how important the value should be; empty when not rated
  std::optional<int> observed;   ///< how consistently it is lived; empty when not rated
};

/// The say/do gap for one value: means of the ratings given and gap = aspiration - observed (a positive gap
/// means behaviour lags the claim). A mean or gap is empty when there was nothing to average.
struct value_gap {
  std::string value;                ///< name of the value
  std::size_t n_aspiration = 0;     ///< aspiration ratings given
  std::size_t n_observed = 0;       ///< observed ratings given
  std::optional<double> aspiration; ///< mean aspiration; empty without ratings
  std::optional<double> observed;   ///< mean observation; empty without ratings
  std::optional<double> gap;        ///< aspiration - observed; empty unless both means exist
};

/// The say/do gaps of a value set: per value (in the set's order), a ranking by gap (largest first;
/// values without a gap last) and the overall gap, the unweighted mean of the values' gaps.
struct say_do_assessment {
  std::vector<value_gap> values;     ///< one per value, in the set's order
  std::vector<std::size_t> ranking;  ///< indices into `values`, largest gap first, values without a gap last
  std::optional<double> overall_gap; ///< unweighted mean of the values' gaps; empty when no value has one
};

/// Computes the say/do gaps. Throws validation_error listing every rating that names an unknown value or lies
/// outside `range`; nothing is dropped silently.
ETHOS_DECL say_do_assessment assess_say_do(const core_value_set& set, std::span<const value_rating> ratings,
                                           rating_range range = {});

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/framework/impl/core_values.ipp>
#endif
