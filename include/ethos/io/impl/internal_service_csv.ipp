// ethos/io/impl/internal_service_csv.ipp: definitions of ethos/io/internal_service_csv.hpp (compiled into
// ethos::compiled, or included by the header in header-only mode).
#pragma once
#include <ethos/io/internal_service_csv.hpp>

#include <ethos/detail/text.hpp>
#include <ethos/error.hpp>
#include <ethos/framework/service_level.hpp>
#include <ethos/framework/vocabulary.hpp>
#include <ethos/io/impl/csv_reader.ipp>

#include <algorithm>
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

// The column names of a ratings file, in the order of internal_rating_checker::field.
inline constexpr std::array<std::string_view, 4> internal_rating_columns{"person", "rater_unit", "served_unit",
                                                                         "rating"};

// Reads one ratings file row by row; every problem throws csv_error at the offending cell.
class internal_ratings_csv {
 public:
  internal_ratings_csv(std::istream& in, std::string_view file, const internal_service_options& opt)
      : opt_(opt), check_(opt), reader_(in, std::string(file)) {}

  std::vector<internal_rating> run() {
    read_header();
    std::vector<internal_rating> out;
    while (reader_.next(row_)) {
      out.push_back(read_row());
    }
    return out;
  }

 private:
  using field = internal_rating_checker::field;

  [[noreturn]] void fail(std::size_t line, std::size_t column, std::string reason) const {
    throw csv_error(reader_.file_name(), line, column, std::move(reason));
  }

  void read_header() {
    if (!reader_.next(row_)) {
      fail(1, 1, "missing header: the file has no rows");
    }
    if (row_.blank()) {
      fail(row_.line(), 1, "blank line where the header should be");
    }
    for (std::size_t i = 0; i < row_.size(); ++i) {
      const csv_field& f = row_[i];
      const std::string_view name = f.text;
      if (trim(name).empty()) {
        fail(f.line, f.column, "empty column name");
      }
      const auto known = std::find(internal_rating_columns.begin(), internal_rating_columns.end(), name);
      if (known == internal_rating_columns.end()) {
        std::string m = "unknown column " + csv_excerpt(name);
        if (const auto guess = closest_match(trim(name), internal_rating_columns)) {
          m += " (did you mean '" + std::string(*guess) + "'?)";
        }
        fail(f.line, f.column, m + "; expected " + join_words(internal_rating_columns));
      }
      const auto role = static_cast<std::size_t>(known - internal_rating_columns.begin());
      if (column_of_[role]) {
        fail(f.line, f.column,
             "duplicate column " + csv_excerpt(name) + " (columns " + std::to_string(*column_of_[role] + 1) + " and " +
                 std::to_string(i + 1) + ")");
      }
      column_of_[role] = i;
    }
    for (std::size_t role = 0; role < column_of_.size(); ++role) {
      if (!column_of_[role]) {
        fail(row_.line(), 1, "no column '" + std::string(internal_rating_columns[role]) + "'");
      }
    }
    width_ = row_.size();
    // Cells are checked left to right, so the first problem reported in a row is its leftmost one.
    std::sort(order_.begin(), order_.end(), [&](field x, field y) {
      return *column_of_[static_cast<std::size_t>(x)] < *column_of_[static_cast<std::size_t>(y)];
    });
  }

  const csv_field& cell(field which) const { return row_[*column_of_[static_cast<std::size_t>(which)]]; }

  internal_rating read_row() {
    const csv_row& r = row_;
    if (r.blank()) {
      fail(r.line(), 1, "blank line");
    }
    if (r.size() != width_) {
      const bool extra = r.size() > width_;
      fail(extra ? r[width_].line : r.line(), extra ? r[width_].column : 1,
           "ragged row: " + std::to_string(r.size()) + " fields, the header has " + std::to_string(width_));
    }
    internal_rating out;
    out.line = r.line();
    for (const field which : order_) {
      const csv_field& f = cell(which);
      switch (which) {
      case field::person:
        out.person = std::string(f.text);
        break;
      case field::rater_unit:
        out.rater_unit = std::string(f.text);
        break;
      case field::served_unit:
        out.served_unit = std::string(f.text);
        break;
      case field::value:
        out.value = read_value(f);
        break;
      }
      const auto fault =
          which == field::value ? check_.check_value(out.value) : internal_rating_checker::check_name(which, f.text);
      if (fault) {
        fail(f.line, f.column, fault->reason);
      }
    }
    if (const auto fault = check_.add(out, isv_place(out.line, 0))) {
      const csv_field& f = cell(fault->where);
      fail(f.line, f.column, fault->reason);
    }
    return out;
  }

  int read_value(const csv_field& f) const {
    const std::string_view t = trim(f.text);
    if (t.empty()) {
      fail(f.line, f.column, "missing rating");
    }
    int x = 0;
    const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), x);
    if (ptr == t.data() + t.size() && ec == std::errc{}) {
      return x; // the range is checked with the other fields
    }
    const bool digits = ptr == t.data() + t.size() && ec == std::errc::result_out_of_range;
    const auto [lo, hi] = check_.range();
    const std::string range = std::to_string(lo) + ".." + std::to_string(hi);
    if (opt_.scale == internal_scale_kind::service_levels && !digits) {
      if (const auto level = from_string<service_level>(t)) {
        return level_number(*level);
      }
      std::array<std::string_view, vocabulary_size<service_level>> keys{};
      for (std::size_t i = 0; i < keys.size(); ++i) {
        keys[i] = key(all<service_level>[i]);
      }
      std::string m = "unknown service level " + csv_excerpt(t);
      if (const auto guess = closest_match(trim(t), keys)) {
        m += " (did you mean '" + std::string(*guess) + "'?)";
      }
      fail(f.line, f.column, m + "; expected " + range + " or one of " + join_words(keys));
    }
    if (digits) {
      fail(f.line, f.column, "rating " + csv_excerpt(t) + " is outside the scale " + range);
    }
    fail(f.line, f.column, "rating " + csv_excerpt(t) + " is not a whole number");
  }

  const internal_service_options& opt_;
  internal_rating_checker check_;
  csv_reader reader_;
  csv_row row_;
  std::array<std::optional<std::size_t>, 4> column_of_{};
  std::size_t width_ = 0;
  std::array<field, 4> order_{field::person, field::rater_unit, field::served_unit, field::value};
};

} // namespace detail

ETHOS_DECL std::vector<internal_rating> read_internal_ratings(std::istream& in, std::string_view file_name,
                                                              const internal_service_options& opt) {
  return detail::internal_ratings_csv(in, file_name, opt).run();
}

ETHOS_DECL std::vector<internal_rating> read_internal_ratings_file(std::string_view path,
                                                                   const internal_service_options& opt) {
  const std::string name(path);
  std::ifstream in = detail::open_csv_file(std::filesystem::path(name));
  return read_internal_ratings(in, name, opt);
}

} // namespace ethos
