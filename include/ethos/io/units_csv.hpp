/// \file
/// \brief Reading an organisation's units table (unit, parent, invited) from CSV.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/detail/path.hpp>
#include <ethos/io/csv_reader.hpp>
#include <ethos/org/units.hpp>

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace ethos {

/// Reads the rows of a units table from CSV text, without checking that they form a tree (unit_tree::from_table
/// does that). The header names the columns `unit` and `parent`, and optionally `invited`, in any order and
/// exactly so (case-sensitive, untrimmed). Cells are kept byte for byte, except that an `invited` cell may have
/// surrounding spaces; it is empty (no count) or a whole number of digits.
///
/// Problems throw csv_error "file:line:column: reason" (see csv_reader for syntax errors): missing header, empty,
/// duplicate or unknown column (with a guess at the one meant), a missing `unit` or `parent` column, a blank line
/// between rows (blank lines at the end are fine), a ragged row, an `invited` cell that is not a whole number.
ETHOS_DECL std::vector<unit_tree::table_row> read_unit_rows(std::istream& in, std::string_view file_name);

/// Reads a units table from CSV text (see read_unit_rows) and builds its tree (see unit_tree::from_table, whose
/// messages then read "file:line: reason").
///
///     std::ifstream in("units.csv", std::ios::binary);
///     const ethos::unit_tree tree = ethos::read_units(in, "units.csv");
ETHOS_DECL unit_tree read_units(std::istream& in, std::string_view file_name);

/// As read_units, from a file; one that cannot be opened throws csv_error "file: cannot open: <reason>".
ETHOS_DECL unit_tree read_units_file(std::string_view path);

/// As above, for a `std::filesystem::path` (or any path type with `string()`).
template <detail::path_like Path>
unit_tree read_units_file(const Path& path) {
  const std::string name(path.string());
  return read_units_file(std::string_view(name));
}

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/io/impl/units_csv.ipp>
#endif
