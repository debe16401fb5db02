/// \file
/// \brief Writing RFC 4180 CSV row by row (csv_writer).
#pragma once

#include <ethos/detail/config.hpp>

#include <array>
#include <charconv>
#include <concepts>
#include <cstddef>
#include <initializer_list>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ethos {

/// Writes RFC 4180 CSV row by row. A field is quoted when it holds a comma, a quote, CR or LF, starts or ends
/// with a space or tab, or starts with a byte order mark; quotes inside are doubled. Numbers are written in the
/// shortest form that reads back to the same value; a NaN or empty optional is an empty (missing) cell.
///
///     ethos::csv_writer w(out);
///     w.field("id").field("score").end_row();
///     w.field("r1").field(3.25).end_row();
class csv_writer {
 public:
  /// `line_end` is "\n" or, for strict RFC 4180, "\r\n".
  explicit csv_writer(std::ostream& out, std::string_view line_end = "\n") : out_(&out), line_end_(line_end) {}

  /// A text field, quoted when it must be.
  csv_writer& field(std::string_view text);
  /// A text field.
  csv_writer& field(const char* text) { return field(std::string_view(text)); }
  /// A text field.
  csv_writer& field(const std::string& text) { return field(std::string_view(text)); }

  /// A number in the shortest form that reads back to the same double; NaN is an empty cell.
  csv_writer& field(double x);
  /// A number, or an empty cell for nullopt.
  csv_writer& field(std::optional<double> x) { return x ? field(*x) : empty(); }
  // Neither is a number nor text: refuse them rather than write them as 1 or 120.
  csv_writer& field(bool) = delete;
  csv_writer& field(char) = delete;

  /// A whole number.
  template <std::integral T>
  csv_writer& field(T x) {
    std::array<char, 24> s{};
    const auto end = std::to_chars(s.data(), s.data() + s.size(), x).ptr;
    return field(std::string_view(s.data(), static_cast<std::size_t>(end - s.data())));
  }

  /// An empty cell (a missing value).
  csv_writer& empty() {
    separate();
    return *this;
  }

  /// Ends the row. A row of one empty field is written `""`, which a reader cannot mistake for a blank line;
  /// a row without fields cannot be written in CSV and throws ethos::error, as does a failed stream.
  csv_writer& end_row();

  /// Writes a whole row of text fields.
  csv_writer& row(std::span<const std::string_view> fields);
  /// Writes a whole row of text fields.
  csv_writer& row(std::initializer_list<std::string_view> fields) {
    return row(std::span<const std::string_view>(fields.begin(), fields.size()));
  }

  /// Rows ended so far.
  std::size_t rows() const noexcept { return rows_; }

  /// True when `text` must be quoted to read back unchanged (and the same under readers that trim).
  static bool needs_quotes(std::string_view text) noexcept;

 private:
  void separate();

  std::ostream* out_;
  std::string line_end_;
  std::size_t fields_ = 0; // in the current row
  bool wrote_ = false;     // any byte of a field in the current row
  std::size_t rows_ = 0;
};

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/io/impl/csv_writer.ipp>
#endif
