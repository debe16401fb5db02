// ethos/io/impl/unit_table_csv.ipp: definitions of ethos/io/unit_table_csv.hpp (compiled into ethos::compiled, or
// included by the header in header-only mode).
#pragma once
#include <ethos/io/unit_table_csv.hpp>

#include <ethos/detail/text.hpp>
#include <ethos/error.hpp>
#include <ethos/io/impl/csv_reader.ipp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <istream>
#include <map>
#include <optional>
#include <system_error>
#include <utility>

namespace ethos {

namespace detail {

// A number cell: empty, blank or NA is missing; anything else must be a finite decimal number.
ETHOS_DECL std::optional<double> unit_number_cell(const std::string& file, const csv_field& f, std::string_view column,
                                                  std::string_view unit) {
  const std::string_view t = trim(f.text);
  if (t.empty() || t == "NA") {
    return std::nullopt;
  }
  double v = 0.0;
  const char* first = t.data() + (t.front() == '+' ? 1 : 0);
  const auto [ptr, ec] = std::from_chars(first, t.data() + t.size(), v);
  if (ec != std::errc{} || ptr != t.data() + t.size() || !std::isfinite(v)) {
    throw csv_error(file, f.line, f.column,
                    "unit " + csv_excerpt(unit) + ", column " + csv_excerpt(column) + ": " + csv_excerpt(t) +
                        " is not a number (leave the cell empty or write NA for a missing value)");
  }
  return v;
}

struct unit_csv_rows {
  std::vector<std::string> columns; // value columns, file order
  struct row {
    std::string unit;
    std::string wave;
    std::vector<std::optional<double>> values;
    std::size_t line = 0;
  };
  std::vector<row> rows;
};

ETHOS_DECL unit_csv_rows read_unit_csv_rows(std::istream& in, const std::string& file,
                                            const unit_table_csv_options& options, bool with_wave) {
  csv_reader reader(in, file);
  csv_row row;
  detail::require_header_row(reader, row);
  std::optional<std::size_t> unit_col;
  std::optional<std::size_t> wave_col;
  std::vector<std::size_t> value_cols;
  unit_csv_rows out;
  std::map<std::string, std::size_t, std::less<>> seen;
  for (std::size_t i = 0; i < row.size(); ++i) {
    const csv_field& f = row[i];
    const std::string name(f.text);
    if (trim(name).empty()) {
      throw csv_error(file, f.line, f.column, "empty column name");
    }
    if (const auto [it, fresh] = seen.emplace(name, i); !fresh) {
      throw csv_error(file, f.line, f.column,
                      "duplicate column " + csv_excerpt(name) + " (columns " + std::to_string(it->second + 1) +
                          " and " + std::to_string(i + 1) + ")");
    }
    if (name == options.unit_column) {
      unit_col = i;
    } else if (name == options.wave_column && with_wave) {
      wave_col = i;
    } else if (name == options.wave_column) {
      throw csv_error(file, f.line, f.column,
                      "column " + csv_excerpt(name) +
                          " holds wave labels; read the file with read_unit_waves to get one table per wave");
    } else {
      value_cols.push_back(i);
      out.columns.push_back(name);
    }
  }
  const auto missing = [&](const std::string& name) {
    std::vector<std::string_view> names;
    for (const auto& kv : seen) {
      names.push_back(kv.first);
    }
    const auto guess = closest_match(name, names);
    return csv_error(file, row.line(), 1,
                     "missing column " + csv_excerpt(name) +
                         (guess ? " (did you mean " + csv_excerpt(*guess) + "?)" : std::string()));
  };
  if (!unit_col) {
    throw missing(options.unit_column);
  }
  if (with_wave && !wave_col) {
    throw missing(options.wave_column);
  }
  const std::size_t width = row.size();
  while (reader.next(row)) {
    detail::require_table_row(file, row, width);
    unit_csv_rows::row r;
    r.unit = std::string(row[*unit_col].text);
    r.line = row.line();
    if (trim(r.unit).empty()) {
      throw csv_error(file, row[*unit_col].line, row[*unit_col].column, "empty unit id");
    }
    if (wave_col) {
      r.wave = std::string(row[*wave_col].text);
      if (trim(r.wave).empty()) {
        throw csv_error(file, row[*wave_col].line, row[*wave_col].column,
                        "unit " + csv_excerpt(r.unit) + ": empty wave label");
      }
    }
    for (std::size_t c = 0; c < value_cols.size(); ++c) {
      r.values.push_back(unit_number_cell(file, row[value_cols[c]], out.columns[c], r.unit));
    }
    out.rows.push_back(std::move(r));
  }
  return out;
}

ETHOS_DECL unit_table unit_table_of_rows(const std::string& file, const unit_csv_rows& data,
                                         const std::vector<std::size_t>& rows) {
  std::vector<std::string> ids;
  std::map<std::string_view, std::size_t> first_line;
  for (std::size_t r : rows) {
    const auto& row = data.rows[r];
    if (const auto [it, fresh] = first_line.emplace(row.unit, row.line); !fresh) {
      throw csv_error(file, row.line, 1,
                      "unit " + csv_excerpt(row.unit) + (row.wave.empty() ? "" : " in wave " + csv_excerpt(row.wave)) +
                          " appears twice (first on line " + std::to_string(it->second) + ")");
    }
    ids.push_back(row.unit);
  }
  unit_table t(std::move(ids));
  for (std::size_t c = 0; c < data.columns.size(); ++c) {
    std::vector<std::optional<double>> values;
    for (std::size_t r : rows) {
      values.push_back(data.rows[r].values[c]);
    }
    t.add_column(data.columns[c], std::move(values));
  }
  return t;
}

ETHOS_DECL bool all_integers(const std::vector<std::string>& labels) {
  return std::all_of(labels.begin(), labels.end(), [](const std::string& s) {
    long long v = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return ec == std::errc{} && ptr == s.data() + s.size();
  });
}

} // namespace detail

ETHOS_DECL unit_table read_unit_table(std::istream& in, std::string_view file_name,
                                      const unit_table_csv_options& options) {
  const std::string file(file_name);
  const detail::unit_csv_rows data = detail::read_unit_csv_rows(in, file, options, false);
  std::vector<std::size_t> all(data.rows.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    all[i] = i;
  }
  return detail::unit_table_of_rows(file, data, all);
}

ETHOS_DECL std::vector<linkage_wave> read_unit_waves(std::istream& in, std::string_view file_name,
                                                     const unit_table_csv_options& options) {
  const std::string file(file_name);
  const detail::unit_csv_rows data = detail::read_unit_csv_rows(in, file, options, true);
  std::vector<std::string> labels;
  for (const auto& r : data.rows) {
    if (std::find(labels.begin(), labels.end(), r.wave) == labels.end()) {
      labels.push_back(r.wave);
    }
  }
  if (!options.wave_order.empty()) {
    for (const auto& r : data.rows) {
      if (std::find(options.wave_order.begin(), options.wave_order.end(), r.wave) == options.wave_order.end()) {
        throw csv_error(file, r.line, 1,
                        "wave " + detail::csv_excerpt(r.wave) + " is not in the wave order given (" +
                            std::to_string(options.wave_order.size()) + " waves)");
      }
    }
    labels.clear();
    for (const std::string& w : options.wave_order) {
      labels.push_back(w); // a listed wave without rows is kept: its lag position still counts
    }
  } else if (detail::all_integers(labels)) {
    std::sort(labels.begin(), labels.end(),
              [](const std::string& a, const std::string& b) { return std::stoll(a) < std::stoll(b); });
  } else {
    std::sort(labels.begin(), labels.end());
  }
  std::vector<linkage_wave> waves;
  for (const std::string& label : labels) {
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < data.rows.size(); ++i) {
      if (data.rows[i].wave == label) {
        rows.push_back(i);
      }
    }
    waves.push_back({label, detail::unit_table_of_rows(file, data, rows)});
  }
  return waves;
}

ETHOS_DECL unit_table read_unit_table_file(std::string_view path, const unit_table_csv_options& options) {
  const std::string name(path);
  std::ifstream in = detail::open_csv_file(std::filesystem::path(name));
  return read_unit_table(in, name, options);
}

ETHOS_DECL std::vector<linkage_wave> read_unit_waves_file(std::string_view path,
                                                          const unit_table_csv_options& options) {
  const std::string name(path);
  std::ifstream in = detail::open_csv_file(std::filesystem::path(name));
  return read_unit_waves(in, name, options);
}

} // namespace ethos
