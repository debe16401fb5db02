// ethos/io/impl/units_csv.ipp: definitions of ethos/io/units_csv.hpp (compiled into ethos::compiled, or
// included by the header in header-only mode).
#pragma once
#include <ethos/io/units_csv.hpp>

#include <ethos/detail/text.hpp>
#include <ethos/error.hpp>
#include <ethos/io/impl/csv_reader.ipp>

#include <array>
#include <charconv>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <istream>
#include <optional>
#include <string>
#include <system_error>

namespace ethos {

namespace detail {

// The invited count of one cell: empty (or all spaces) for none, else digits only; anything else throws
// csv_error at the cell, naming the row's unit.
ETHOS_DECL std::optional<std::size_t> invited_cell(const std::string& file, const csv_field& f, std::string_view unit) {
  const std::string_view t = trim(f.text);
  if (t.empty()) {
    return std::nullopt;
  }
  std::size_t v = 0;
  const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  const bool digits = ptr == t.data() + t.size();
  if (digits && ec == std::errc{}) {
    return v;
  }
  const char* why = " is not a whole number";
  if (digits && ec == std::errc::result_out_of_range) {
    why = " is too large";
  } else if (t.size() > 1 && t[0] == '-' && t.find_first_not_of("0123456789", 1) == std::string_view::npos) {
    why = " is negative";
  }
  throw csv_error(file, f.line, f.column, "unit " + csv_excerpt(unit) + ": invited " + csv_excerpt(t) + why);
}

} // namespace detail

ETHOS_DECL std::vector<unit_tree::table_row> read_unit_rows(std::istream& in, std::string_view file_name) {
  const std::string file(file_name);
  csv_reader reader(in, file);
  csv_row row;
  detail::require_header_row(reader, row);
  constexpr std::array<std::string_view, 3> names{"unit", "parent", "invited"};
  std::array<std::optional<std::size_t>, 3> col{}; // the field index of unit, parent, invited
  for (std::size_t i = 0; i < row.size(); ++i) {
    const csv_field& f = row[i];
    if (detail::trim(f.text).empty()) {
      throw csv_error(file, f.line, f.column, "empty column name");
    }
    std::size_t k = 0;
    while (k < names.size() && names[k] != f.text) {
      ++k;
    }
    if (k == names.size()) {
      throw csv_error(file, f.line, f.column,
                      "unknown column " + detail::csv_excerpt(f.text) +
                          detail::did_you_mean(detail::unit_suggestion(f.text, names)) +
                          "; a units table has the columns unit, parent and (optionally) invited");
    }
    if (col[k]) {
      throw csv_error(file, f.line, f.column,
                      "duplicate column " + detail::csv_excerpt(f.text) + " (columns " + std::to_string(*col[k] + 1) +
                          " and " + std::to_string(i + 1) + ")");
    }
    col[k] = i;
  }
  for (std::size_t k = 0; k < 2; ++k) {
    if (!col[k]) {
      throw csv_error(file, row.line(), 1, "missing column '" + std::string(names[k]) + "'");
    }
  }
  const std::size_t width = row.size();

  std::vector<unit_tree::table_row> rows;
  while (reader.next(row)) {
    detail::require_table_row(file, row, width);
    unit_tree::table_row r{std::string(row[*col[0]].text), std::string(row[*col[1]].text), std::nullopt, row.line()};
    if (col[2]) {
      r.invited = detail::invited_cell(file, row[*col[2]], r.unit);
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

ETHOS_DECL unit_tree read_units(std::istream& in, std::string_view file_name) {
  const std::vector<unit_tree::table_row> rows = read_unit_rows(in, file_name);
  return unit_tree::from_table(rows, file_name);
}

ETHOS_DECL unit_tree read_units_file(std::string_view path) {
  const std::string name(path);
  std::ifstream in = detail::open_csv_file(std::filesystem::path(name));
  return read_units(in, name);
}

} // namespace ethos
