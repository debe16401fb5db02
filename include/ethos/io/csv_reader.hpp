/// \file
/// \brief Streaming RFC 4180 CSV: the tokenizer (csv_reader), its rows and fields, and the CSV error type.
///
/// Reading a table needs nothing else; the responses reader is io/responses_csv.hpp, the writer io/csv_writer.hpp.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/detail/utf8.hpp>
#include <ethos/error.hpp>

#include <array>
#include <cstddef>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ethos {

/// A place in a CSV file and what is wrong there. `line` and `column` are 1-based; the column counts characters
/// (UTF-8 code points, a byte order mark excluded). `line` is 0 when the problem is the file as a whole.
struct csv_issue {
  std::string file;       ///< the file's name as the reader was given it
  std::size_t line = 0;   ///< 1-based line, or 0 for the file as a whole
  std::size_t column = 0; ///< 1-based column in characters
  std::string reason;     ///< what is wrong there

  /// "file:line:column: reason", or "file: reason" when there is no line.
  std::string message() const;

  /// Equal when every field is.
  friend bool operator==(const csv_issue&, const csv_issue&) = default;
};

/// Thrown for a CSV file that cannot be read as asked; what() is exactly the issue's message().
class csv_error : public error {
 public:
  /// The error of `issue`.
  explicit csv_error(csv_issue issue);
  /// The error at `file`:`line`:`column` (see csv_issue).
  csv_error(std::string file, std::size_t line, std::size_t column, std::string reason);

  /// The file's name.
  const std::string& file() const noexcept { return issue_.file; }
  /// The 1-based line, or 0 for the file as a whole.
  std::size_t line() const noexcept { return issue_.line; }
  /// The 1-based column in characters.
  std::size_t column() const noexcept { return issue_.column; }
  /// What is wrong, without the place.
  const std::string& reason() const noexcept { return issue_.reason; }
  /// The whole issue.
  const csv_issue& issue() const noexcept { return issue_; }

 private:
  csv_issue issue_;
};

namespace detail {

// One table load per byte instead of several comparisons in the tokenizer's innermost loops. Both stop at
// non-ASCII bytes too, which are rare and counted there for the character columns.
constexpr std::array<bool, 256> csv_stop_table(std::string_view stops) {
  std::array<bool, 256> t{};
  for (const char c : stops) {
    t[static_cast<unsigned char>(c)] = true;
  }
  for (std::size_t c = 0x80; c < 256; ++c) {
    t[c] = true;
  }
  return t;
}
inline constexpr std::array<bool, 256> csv_stops = csv_stop_table(",\"\n\r");
inline constexpr std::array<bool, 256> csv_quoted_stops = csv_stop_table("\"\n");

constexpr bool csv_stop(char c) noexcept { return csv_stops[static_cast<unsigned char>(c)]; }
constexpr bool csv_quoted_stop(char c) noexcept { return csv_quoted_stops[static_cast<unsigned char>(c)]; }

// A cell quoted for a message: cut short, so that one huge cell does not make a huge message, and with control
// characters escaped, so that the message stays on one line and what() (a C string) is not cut at a NUL.
ETHOS_DECL std::string csv_excerpt(std::string_view s);

} // namespace detail

/// One field of a CSV row: its value and where it starts in the file.
struct csv_field {
  std::string_view text;  ///< quotes removed and doubled quotes undone; valid until the reader's next row
  std::size_t line = 0;   ///< 1-based physical line where the field starts
  std::size_t column = 0; ///< 1-based column (in characters) where the field starts, at its opening quote if quoted
  bool quoted = false;    ///< the field was written in quotes
};

/// One record of a CSV file. Reuse one object across `csv_reader::next` calls: its memory is kept.
class csv_row {
 public:
  /// The physical line where the row starts (a quoted field may carry it over several lines).
  std::size_t line() const noexcept { return line_; }
  /// The number of fields.
  std::size_t size() const noexcept { return size_; }
  /// Field `i` (< size()).
  const csv_field& operator[](std::size_t i) const noexcept { return fields_[i]; }
  /// All fields.
  std::span<const csv_field> fields() const noexcept { return {fields_.data(), size_}; }
  /// True for an empty line between rows (see csv_reader); such a row has no fields.
  bool blank() const noexcept { return blank_; }
  /// The syntax error of a row the reader resynchronised after (only with `csv_reader_options::recover`);
  /// the fields of such a row are incomplete and must not be used.
  const csv_issue* error() const noexcept { return error_ ? &*error_ : nullptr; }

 private:
  friend class csv_reader;
  std::size_t line_ = 0;
  bool blank_ = false;
  std::vector<csv_field> fields_; // storage: only the first size_ are this row's, the rest are kept for reuse
  std::size_t size_ = 0;
  std::string unescaped_; // values of quoted fields that held doubled quotes
  std::optional<csv_issue> error_;
};

/// How a csv_reader reads.
struct csv_reader_options {
  /// Bytes read from the stream at a time.
  std::size_t chunk_size = 64 * 1024;
  /// Longest row accepted; a longer one is an error. Bounds memory when a stray quote swallows the rest of a file.
  std::size_t max_row_bytes = 64 * 1024 * 1024;
  /// Return a row with a recoverable syntax error (csv_row::error) instead of throwing, when that is safe.
  bool recover = false;
};

/// A streaming RFC 4180 tokenizer: reads a stream chunk by chunk and holds no more than the current row and a
/// chunk or two, so a file of any size reads in constant memory (bounded by `max_row_bytes`).
///
/// - Fields are separated by commas; rows end with LF or CRLF (a CR elsewhere outside quotes is an error).
/// - A field starting with a quote is quoted: it may hold commas, line breaks (kept as written) and doubled
///   quotes (read as one quote). It must be followed by a comma or the end of the row.
/// - A UTF-8 byte order mark at the start of the stream is skipped.
/// - An empty line is never a row. Empty lines at the end of the stream are ignored; one followed by a row is
///   returned as a blank row (`csv_row::blank`) for the caller to report, so no line is dropped silently.
///   A row with a single empty field must therefore be written `""` (csv_writer does).
///
/// Syntax errors throw csv_error at the place of the fault: "unterminated quoted field" (at the opening quote),
/// "quote inside an unquoted field", "characters after a closing quote", "carriage return not followed by a line
/// feed", "row longer than N bytes". With `recover`, the two middle ones are returned in csv_row::error instead,
/// provided the row lies on one line and the rest of that line holds no quote and no lone CR: then nothing can
/// make the row continue past the line end, and the next row starts on the next line. Otherwise they throw too.
/// After a csv_error the reader is spent: where the next row would start is unknown.
///
///     std::ifstream in("survey.csv", std::ios::binary);
///     ethos::csv_reader reader(in, "survey.csv");
///     for (ethos::csv_row row; reader.next(row);) { ... row[0].text ... }
class csv_reader {
 public:
  /// `file_name` is only used in messages.
  csv_reader(std::istream& in, std::string file_name, csv_reader_options options = {});

  /// The file's name, as given.
  const std::string& file_name() const noexcept { return file_; }

  /// Reads the next row into `row`; false at the end of the stream. Views in `row` stay valid until the next call.
  bool next(csv_row& row);

 private:
  // A field whose value lives in csv_row::unescaped_, which may still grow: its view is made at the row's end.
  struct unescaped_field {
    std::size_t index;
    std::size_t offset;
    std::size_t size;
  };
  // The scan of one row (see impl/csv_reader.ipp): its position, line and fields so far.
  class row_scan;

  void scan_row(csv_row& row);
  // True when at least `k` unread bytes are in the buffer, reading more as needed.
  bool available(std::size_t k);
  // Reads one more chunk, keeping the unread bytes (the current row) at the front of the buffer.
  // False at the end of the stream.
  bool more();

  std::istream* in_;
  std::string file_;
  csv_reader_options options_;
  std::vector<char> buf_; // its size is the capacity; bytes [start_, end_) are unread
  std::size_t start_ = 0; // first unread byte
  std::size_t end_ = 0;   // end of the bytes read
  std::size_t line_ = 1;  // line of the byte at start_
  bool eof_ = false;
  bool started_ = false;
  std::size_t pending_blank_ = 0;
  std::size_t blank_line_ = 0;
  std::vector<unescaped_field> unescaped_;
  std::vector<std::size_t> offsets_; // of views while the buffer moves
};

namespace detail {

// Reads the header of a table into `row`: a file without rows, or one that starts with a blank line, is an error.
ETHOS_DECL void require_header_row(csv_reader& reader, csv_row& row);

// A data row of a table whose header has `width` fields: a blank line between rows and a ragged row are errors at
// their place (too many fields: the first extra one; too few: the row start, as the missing ones are nowhere).
ETHOS_DECL void require_table_row(const std::string& file, const csv_row& row, std::size_t width);

} // namespace detail

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/io/impl/csv_reader.ipp>
#endif
