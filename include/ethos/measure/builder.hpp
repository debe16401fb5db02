/// \file
/// \brief Validated construction of response matrices, row by row against an instrument.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/measure/instrument.hpp>
#include <ethos/measure/response_matrix.hpp>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ethos {

/// What to do with an answer outside its item's range.
enum class out_of_range_policy : unsigned char {
  error,      ///< refuse the row with an error naming respondent row and item (the default)
  to_missing, ///< store the answer as missing and count it (see `response_builder::converted`)
};

/// An answer that the `to_missing` policy turned into a missing one.
struct converted_answer {
  std::size_t row;  ///< 1-based respondent row
  std::string item; ///< id of the item
  int value;        ///< the answer given, outside the item's range
};

/// Builds a response matrix row by row, checking every answer against its item's range (the instrument's
/// Likert scale, 0..10 for NPS items, 1..6 for six-level items). Columns follow the instrument's item order.
///
///     ethos::response_builder b(my_instrument, {"team"});
///     b.add("r1", {4, 5, std::nullopt, 2}, {"Billing"});
///     ethos::response_matrix m = b.finish();
class response_builder {
 public:
  /// A builder for a matrix with the items of `inst` and the metadata columns `group_columns`. The instrument
  /// behind the view must outlive the builder.
  explicit response_builder(const instrument_view& inst, std::vector<std::string> group_columns = {},
                            out_of_range_policy policy = out_of_range_policy::error);
  /// As above; the builder keeps the run-time instrument alive (it may be a temporary).
  explicit response_builder(const instrument& inst, std::vector<std::string> group_columns = {},
                            out_of_range_policy policy = out_of_range_policy::error);

  /// Appends one respondent; `answers` in the instrument's item order, `groups` one label per group column.
  /// Throws ethos::error naming the row and item for an out-of-range answer (under the default policy) or a
  /// wrong number of answers or labels; a refused row leaves the matrix unchanged.
  response_builder& add(std::string_view respondent_id, std::span<const std::optional<int>> answers,
                        std::span<const std::string_view> groups = {}, int wave = 0);

  /// As above, for answers and labels written in braces.
  response_builder& add(std::string_view respondent_id, std::initializer_list<std::optional<int>> answers,
                        std::initializer_list<std::string_view> groups = {}, int wave = 0);

  /// Answers the `to_missing` policy turned into missing ones, in the order met.
  const std::vector<converted_answer>& converted() const noexcept { return converted_; }
  /// The matrix built so far.
  const response_matrix& matrix() const noexcept { return matrix_; }
  /// The finished matrix (the builder is left empty).
  response_matrix finish() { return std::move(matrix_); }

 private:
  static std::vector<std::string> item_ids(const instrument_view& inst);

  std::optional<instrument> keep_alive_;
  instrument_view inst_;
  response_matrix matrix_;
  out_of_range_policy policy_;
  std::vector<std::pair<int, int>> ranges_;
  std::vector<std::uint8_t> bytes_;
  std::vector<converted_answer> converted_;
  std::vector<converted_answer> pending_;
};

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/measure/impl/builder.ipp>
#endif
