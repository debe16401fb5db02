/// \file
/// \brief Reading unit-level data (outcomes, culture results) for linkage studies from CSV.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/detail/path.hpp>
#include <ethos/io/csv_reader.hpp>
#include <ethos/models/linkage.hpp>

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace ethos {

/// Which columns of a unit-level CSV file say which unit and which wave a row belongs to.
struct unit_table_csv_options {
  std::string unit_column = "unit"; ///< the unit id column, matched against the organisation's unit ids
  std::string wave_column = "wave"; ///< the wave label column (read_unit_waves only)
  /// The order of the waves, oldest first. Empty: integers in numeric order when every label is one, otherwise
  /// labels in byte order (so "2024-03" < "2025-03"). A label in the file that is not listed is an error.
  std::vector<std::string> wave_order{};
};

/// Reads a unit table from CSV: a unit id column (`unit` by default) and any number of numeric columns (outcomes
/// such as csat, complaints, retention, revenue per head, or culture results). An empty cell or NA is missing.
/// Errors throw csv_error "file:line:column: reason": no header, empty or duplicate column names, no unit column
/// (with a guess), a ragged or blank row, an empty or repeated unit id, a cell that is not a number.
///
///     std::ifstream in("outcomes.csv", std::ios::binary);
///     ethos::unit_table outcomes = ethos::read_unit_table(in, "outcomes.csv");
ETHOS_DECL unit_table read_unit_table(std::istream& in, std::string_view file_name,
                                      const unit_table_csv_options& options = {});

/// Reads unit-level data of several waves from one CSV in long format (a unit column, a wave column, numeric
/// columns): one linkage_wave per wave label, oldest first (see unit_table_csv_options::wave_order). A unit may
/// be absent from a wave; it may not appear twice in one. Errors as read_unit_table, plus a missing wave column,
/// an empty wave label and a label not in an explicit wave_order.
ETHOS_DECL std::vector<linkage_wave> read_unit_waves(std::istream& in, std::string_view file_name,
                                                     const unit_table_csv_options& options = {});

/// As read_unit_table, from a file; one that cannot be opened throws csv_error "file: cannot open: <reason>".
ETHOS_DECL unit_table read_unit_table_file(std::string_view path, const unit_table_csv_options& options = {});

/// As above, for a `std::filesystem::path` (or any path type with `string()`).
template <detail::path_like Path>
unit_table read_unit_table_file(const Path& path, const unit_table_csv_options& options = {}) {
  const std::string name(path.string());
  return read_unit_table_file(std::string_view(name), options);
}

/// As read_unit_waves, from a file.
ETHOS_DECL std::vector<linkage_wave> read_unit_waves_file(std::string_view path,
                                                          const unit_table_csv_options& options = {});

/// As above, for a `std::filesystem::path` (or any path type with `string()`).
template <detail::path_like Path>
std::vector<linkage_wave> read_unit_waves_file(const Path& path, const unit_table_csv_options& options = {}) {
  const std::string name(path.string());
  return read_unit_waves_file(std::string_view(name), options);
}

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/io/impl/unit_table_csv.ipp>
#endif
