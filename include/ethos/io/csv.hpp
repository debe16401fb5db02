// ethos/io/csv.hpp: streaming RFC 4180 CSV: a tokenizer, survey responses read against an instrument, a writer.
#pragma once

#include <ethos/detail/text.hpp>
#include <ethos/error.hpp>
#include <ethos/measure/instrument.hpp>
#include <ethos/measure/response_matrix.hpp>
#include <ethos/measure/scoring.hpp>
#include <ethos/org/assessment.hpp>
#include <ethos/org/rollup.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <istream>
#include <memory>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ethos {

/// A place in a CSV file and what is wrong there. `line` and `column` are 1-based; the column counts characters
/// (UTF-8 code points, a byte order mark excluded). `line` is 0 when the problem is the file as a whole.
struct csv_issue {
  std::string file;
  std::size_t line = 0;
  std::size_t column = 0;
  std::string reason;

  /// "file:line:column: reason", or "file: reason" when there is no line.
  std::string message() const {
    if (line == 0) {
      return file + ": " + reason;
    }
    return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + reason;
  }

  friend bool operator==(const csv_issue&, const csv_issue&) = default;
};

/// Thrown for a CSV file that cannot be read as asked; what() is exactly the issue's message().
class csv_error : public error {
 public:
  explicit csv_error(csv_issue issue) : error(issue.message()), issue_(std::move(issue)) {}
  csv_error(std::string file, std::size_t line, std::size_t column, std::string reason)
      : csv_error(csv_issue{std::move(file), line, column, std::move(reason)}) {}

  const std::string& file() const noexcept { return issue_.file; }
  std::size_t line() const noexcept { return issue_.line; }
  std::size_t column() const noexcept { return issue_.column; }
  const std::string& reason() const noexcept { return issue_.reason; }
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
inline std::string csv_excerpt(std::string_view s) { return message_excerpt(s, 40, true); }

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

} // namespace detail

/// One field of a CSV row: its value and where it starts in the file.
struct csv_field {
  std::string_view text;  ///< quotes removed and doubled quotes undone; valid until the reader's next row
  std::size_t line = 0;   ///< 1-based physical line where the field starts
  std::size_t column = 0; ///< 1-based column (in characters) where the field starts, at its opening quote if quoted
  bool quoted = false;
};

/// One record of a CSV file. Reuse one object across `csv_reader::next` calls: its memory is kept.
class csv_row {
 public:
  /// The physical line where the row starts (a quoted field may carry it over several lines).
  std::size_t line() const noexcept { return line_; }
  std::size_t size() const noexcept { return size_; }
  const csv_field& operator[](std::size_t i) const noexcept { return fields_[i]; }
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
  csv_reader(std::istream& in, std::string file_name, csv_reader_options options = {})
      : in_(&in), file_(std::move(file_name)), options_(options) {
    if (options_.chunk_size == 0 || options_.max_row_bytes == 0) {
      throw error("csv reader: chunk_size and max_row_bytes must be positive");
    }
  }

  const std::string& file_name() const noexcept { return file_; }

  /// Reads the next row into `row`; false at the end of the stream. Views in `row` stay valid until the next call.
  bool next(csv_row& row) {
    row.blank_ = false;
    row.size_ = 0;
    row.unescaped_.clear();
    row.error_.reset();
    unescaped_.clear();
    if (!started_) {
      started_ = true;
      if (available(3) && std::string_view(buf_.get() + start_, 3) == detail::utf8_bom) {
        start_ += 3;
      }
    }
    if (pending_blank_ > 0) {
      --pending_blank_;
      row.line_ = blank_line_++;
      row.blank_ = true;
      return true;
    }
    // Blank lines are held back until a row follows them: only then are they known not to be trailing.
    const std::size_t first_blank = line_;
    std::size_t blanks = 0;
    for (;;) {
      if (!available(1)) {
        return false;
      }
      const char c = buf_[start_];
      if (c == '\n') {
        start_ += 1;
      } else if (c == '\r' && available(2) && buf_[start_ + 1] == '\n') {
        start_ += 2;
      } else {
        break;
      }
      ++line_;
      ++blanks;
    }
    if (blanks > 0) {
      pending_blank_ = blanks - 1;
      blank_line_ = first_blank + 1;
      row.line_ = first_blank;
      row.blank_ = true;
      return true;
    }
    scan_row(row);
    return true;
  }

 private:
  // A field whose value lives in csv_row::unescaped_, which may still grow: its view is made at the row's end.
  struct unescaped_field {
    std::size_t index;
    std::size_t offset;
    std::size_t size;
  };

  void scan_row(csv_row& row) {
    row.line_ = line_;
    std::size_t line = line_;
    const char* b = buf_.get() + start_;
    std::size_t n = end_ - start_;
    std::size_t p = 0; // next byte, as an offset from the row's first byte
    // Columns count characters: bytes since the line start minus the UTF-8 continuation bytes among them. The
    // scanning loops stop at non-ASCII bytes to count those, so ASCII text costs nothing extra.
    std::size_t line_start = 0;
    std::size_t continuation = 0;
    const auto column_at = [&](std::size_t q) { return q - line_start - continuation + 1; };
    const auto count_non_ascii = [&] { // b[p] >= 0x80
      continuation += (static_cast<unsigned char>(b[p]) & 0xC0U) == 0x80U ? 1U : 0U;
      ++p;
    };
    std::size_t k = 0; // fields so far
    const auto add = [&](std::size_t offset, std::size_t size, std::size_t fline, std::size_t col, bool quoted) {
      if (k == row.fields_.size()) {
        row.fields_.resize(2 * k + 16);
      }
      row.fields_[k++] = {std::string_view(b + offset, size), fline, col, quoted};
    };
    // Reading more may move the row's bytes; views already made are moved with them. This happens once a chunk.
    const auto refill = [&] {
      offsets_.resize(std::max(offsets_.size(), k));
      for (std::size_t i = 0; i < k; ++i) {
        offsets_[i] = static_cast<std::size_t>(row.fields_[i].text.data() - b);
      }
      const bool got = more();
      const char* moved = buf_.get() + start_;
      if (moved != b) {
        for (std::size_t i = 0; i < k; ++i) {
          row.fields_[i].text = std::string_view(moved + offsets_[i], row.fields_[i].text.size());
        }
      }
      b = moved;
      n = end_ - start_;
      return got;
    };
    const auto fault = [&](std::size_t at, const char* reason) {
      return csv_issue{file_, line, column_at(at), reason};
    };
    const auto end_of_line = [&](std::size_t at) { // at is a CR; true (and past the CRLF) if an LF follows
      if (at + 1 == n) {
        refill();
      }
      if (at + 1 < n && b[at + 1] == '\n') {
        p = at + 2;
        ++line;
        return true;
      }
      return false;
    };
    const auto fail_or_resync = [&](std::size_t at, const char* reason) {
      csv_issue issue = fault(at, reason);
      if (!options_.recover || line != row.line_) {
        throw csv_error(std::move(issue));
      }
      p = at + 1;
      for (;;) {
        while (p < n && b[p] != '\n' && b[p] != '"' && b[p] != '\r') {
          ++p;
        }
        if (p == n) {
          if (!refill()) {
            break;
          }
          continue;
        }
        if (b[p] == '\n') {
          ++p;
          ++line;
          break;
        }
        if (b[p] == '"' || !end_of_line(p)) {
          throw csv_error(std::move(issue)); // a quote or a lone CR: where the row ends is a guess
        }
        break;
      }
      row.error_ = std::move(issue);
    };
    // After a field: a comma starts the next one (true); LF or CRLF ends the row; anything else is `what`.
    const auto next_field = [&](const char* what) {
      const char ch = b[p];
      if (ch == ',') {
        ++p;
        return true;
      }
      if (ch == '\n') {
        ++p;
        ++line;
        return false;
      }
      if (ch == '\r') {
        if (end_of_line(p)) {
          return false;
        }
        throw csv_error(fault(p, "carriage return not followed by a line feed"));
      }
      fail_or_resync(p, what);
      return false;
    };

    for (;;) {
      const std::size_t start = p;
      const std::size_t col = column_at(p);
      const std::size_t fline = line;
      if (p == n && !refill()) { // a comma just before the end of the stream: the last field is empty
        add(start, 0, fline, col, false);
        break;
      }
      if (b[p] == '"') {
        ++p;
        bool doubled = false;
        for (;;) {
          while (p < n && !detail::csv_quoted_stop(b[p])) {
            ++p;
          }
          if (p == n) {
            if (!refill()) {
              throw csv_error(file_, fline, col, "unterminated quoted field");
            }
            continue;
          }
          if (b[p] == '\n') {
            ++p;
            ++line;
            line_start = p;
            continuation = 0;
            continue;
          }
          if (b[p] != '"') {
            count_non_ascii();
            continue;
          }
          if (p + 1 == n) {
            refill(); // at the end of the stream the quote simply closes the field
          }
          if (p + 1 < n && b[p + 1] == '"') {
            doubled = true;
            p += 2;
            continue;
          }
          break;
        }
        const std::size_t content = start + 1;
        if (doubled) {
          const std::size_t at = row.unescaped_.size();
          for (std::size_t i = content; i < p; ++i) {
            row.unescaped_.push_back(b[i]);
            i += b[i] == '"' ? 1U : 0U; // inside the quotes every quote is the first of a pair
          }
          unescaped_.push_back({k, at, row.unescaped_.size() - at});
          add(content, 0, fline, col, true); // a view of the right place for now, replaced at the end
        } else {
          add(content, p - content, fline, col, true);
        }
        ++p; // the closing quote
        if (p == n && !refill()) {
          break;
        }
        if (next_field("characters after a closing quote")) {
          continue;
        }
        break;
      }
      for (;;) {
        while (p < n && !detail::csv_stop(b[p])) {
          ++p;
        }
        if (p < n) {
          if (static_cast<unsigned char>(b[p]) < 0x80U) {
            break;
          }
          count_non_ascii();
        } else if (!refill()) {
          break;
        }
      }
      add(start, p - start, fline, col, false);
      if (p == n) {
        break;
      }
      if (next_field("quote inside an unquoted field")) {
        continue;
      }
      break;
    }

    for (const unescaped_field& u : unescaped_) {
      row.fields_[u.index].text = std::string_view(row.unescaped_.data() + u.offset, u.size);
    }
    row.size_ = k;
    start_ += p;
    line_ = line;
  }

  // True when at least `k` unread bytes are in the buffer, reading more as needed.
  bool available(std::size_t k) {
    while (end_ - start_ < k) {
      if (!more()) {
        return false;
      }
    }
    return true;
  }

  // Reads one more chunk, keeping the unread bytes (the current row) at the front of the buffer.
  // False at the end of the stream.
  bool more() {
    if (eof_) {
      return false;
    }
    const std::size_t keep = end_ - start_;
    if (keep > options_.max_row_bytes) {
      throw csv_error(file_, line_, 1, "row longer than " + std::to_string(options_.max_row_bytes) + " bytes");
    }
    if (start_ > 0) {
      if (keep > 0) {
        std::memmove(buf_.get(), buf_.get() + start_, keep);
      }
      start_ = 0;
      end_ = keep;
    }
    const std::size_t chunk = options_.chunk_size;
    if (capacity_ - end_ < chunk) {
      const std::size_t grown = std::max(capacity_ * 2, end_ + chunk);
      std::unique_ptr<char[]> bigger(new char[grown]);
      if (end_ > 0) {
        std::memcpy(bigger.get(), buf_.get(), end_);
      }
      buf_ = std::move(bigger);
      capacity_ = grown;
    }
    in_->read(buf_.get() + end_, static_cast<std::streamsize>(chunk));
    const auto got = static_cast<std::size_t>(in_->gcount());
    if (in_->bad()) {
      throw csv_error(file_, line_, 1, "read error");
    }
    eof_ = got < chunk;
    end_ += got;
    return got > 0;
  }

  std::istream* in_;
  std::string file_;
  csv_reader_options options_;
  std::unique_ptr<char[]> buf_;
  std::size_t capacity_ = 0;
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
inline void require_header_row(csv_reader& reader, csv_row& row) {
  if (!reader.next(row)) {
    throw csv_error(reader.file_name(), 1, 1, "missing header: the file has no rows");
  }
  if (row.blank()) {
    throw csv_error(reader.file_name(), row.line(), 1, "blank line where the header should be");
  }
}

// A data row of a table whose header has `width` fields: a blank line between rows and a ragged row are errors at
// their place (too many fields: the first extra one; too few: the row start, as the missing ones are nowhere).
inline void require_table_row(const std::string& file, const csv_row& row, std::size_t width) {
  if (row.blank()) {
    throw csv_error(file, row.line(), 1, "blank line");
  }
  if (row.size() != width) {
    const bool extra = row.size() > width;
    throw csv_error(file, extra ? row[width].line : row.line(), extra ? row[width].column : 1,
                    "ragged row: " + std::to_string(row.size()) + " fields, the header has " + std::to_string(width));
  }
}

} // namespace detail

/// What read_responses does with a row it cannot use.
enum class invalid_row_policy : unsigned char {
  fail, ///< throw csv_error at the first problem (the default)
  skip, ///< leave the row out, count it and keep the first few problems (csv_read_result)
};

/// How read_responses maps a CSV file onto an instrument.
struct csv_options {
  /// Column of the respondent ids. When the header has no such column (or this is empty), the ids are the
  /// 1-based data row numbers as text, counting every row after the header, invalid ones included.
  std::string id_column = "id";
  /// Metadata (group) columns. Unset: every column that is not an item, the id or the wave is one, in header
  /// order. Set: exactly these, in this order; each must be present and any other column is an error.
  std::optional<std::vector<std::string>> metadata_columns;
  /// Column of the survey wave (a whole number), if any; empty: every row is wave 0.
  std::string wave_column;
  invalid_row_policy policy = invalid_row_policy::fail;
  /// How many problems of skipped rows are kept in csv_read_result::first_invalid.
  std::size_t max_reported = 10;
  std::size_t chunk_size = csv_reader_options{}.chunk_size;
  std::size_t max_row_bytes = csv_reader_options{}.max_row_bytes;
};

/// The responses read from a CSV file. Always rows == used + invalid.
struct csv_read_result {
  response_matrix matrix;
  std::size_t rows = 0;    ///< data rows read (every row after the header, blank lines between rows included)
  std::size_t used = 0;    ///< rows in the matrix
  std::size_t invalid = 0; ///< rows left out under invalid_row_policy::skip
  std::vector<csv_issue> first_invalid; ///< the first problem of each of the first max_reported skipped rows
  /// True when the file had no id column, so the respondent ids are row numbers: a report then recognises a
  /// respondent across waves and releases by the content of their row (survey_wave::row_number_ids).
  bool row_number_ids = false;
};

namespace detail {

// The respondent ids of a matrix being built, for duplicate checks: an open-addressing table of (hash, row), so
// that a lookup touches one slot and compares an id only on a full hash match, and no id is stored twice.
class id_index {
 public:
  static std::uint64_t hash(std::string_view id) noexcept { return std::hash<std::string_view>{}(id); }

  /// The line of the earlier row with this id, if there is one; `ids` are the matrix's respondent ids.
  std::optional<std::size_t> find(std::string_view id, std::uint64_t h, const std::vector<std::string>& ids) const {
    if (slots_.empty()) {
      return std::nullopt;
    }
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = static_cast<std::size_t>(h) & mask; slots_[i].row != 0; i = (i + 1) & mask) {
      if (slots_[i].hash == h && ids[slots_[i].row - 1] == id) {
        return lines_[slots_[i].row - 1];
      }
    }
    return std::nullopt;
  }

  /// Starts loading the slot where a lookup of hash `h` begins.
  void prefetch(std::uint64_t h) noexcept {
    if (!slots_.empty()) {
      // Kept in a member: GCC 12 drops the loads that compute an address used only by a prefetch.
      hint_ = slots_.data() + (static_cast<std::size_t>(h) & (slots_.size() - 1));
#if defined(__GNUC__) || defined(__clang__)
      __builtin_prefetch(hint_);
#endif
    }
  }

  /// Records matrix row `row` (0-based, the next one), found on `line`.
  void insert(std::uint64_t h, std::size_t row, std::size_t line) {
    if (2 * (lines_.size() + 1) > slots_.size()) {
      std::vector<slot> old(std::max<std::size_t>(1024, 2 * slots_.size()));
      old.swap(slots_);
      for (const slot& s : old) {
        if (s.row != 0) {
          place(s);
        }
      }
    }
    place({h, row + 1});
    lines_.push_back(line);
  }

 private:
  struct slot {
    std::uint64_t hash;
    std::size_t row; // 1-based; 0 marks an empty slot
  };

  void place(slot s) noexcept {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = static_cast<std::size_t>(s.hash) & mask;
    while (slots_[i].row != 0) {
      i = (i + 1) & mask;
    }
    slots_[i] = s;
  }

  std::vector<slot> slots_; // a power of two, at most half full
  std::vector<std::size_t> lines_;
  const slot* hint_ = nullptr;
};

// Reads one responses file: the header decides the role of every column, then each row is checked cell by
// cell in column order (so the first problem reported is the leftmost) and appended to the matrix.
class responses_csv {
 public:
  responses_csv(std::istream& in, std::string_view file, const instrument_view& inst, const csv_options& options)
      : inst_(inst), options_(options),
        reader_(in, std::string(file),
                {options.chunk_size, options.max_row_bytes, options.policy == invalid_row_policy::skip}) {
    check_options();
  }

  csv_read_result run() {
    read_header();
    result_.row_number_ids = !has_id_;
    while (reader_.next(row_)) {
      ++result_.rows;
      if (read_row()) {
        ++result_.used;
      }
    }
    return std::move(result_);
  }

 private:
  enum class role : unsigned char { id, wave, item, group };
  struct column {
    role kind;
    std::size_t index; // item or group index
    int lo = 0;        // an item's answer range
    int hi = 0;
  };

  const std::string& file() const noexcept { return reader_.file_name(); }

  void check_options() const {
    const auto bad = [](const std::string& why) { throw error("csv options: " + why); };
    if (!options_.wave_column.empty() && options_.wave_column == options_.id_column) {
      bad("the wave column and the id column are both '" + options_.wave_column + "'");
    }
    if (!options_.metadata_columns) {
      return;
    }
    const auto& meta = *options_.metadata_columns;
    for (std::size_t i = 0; i < meta.size(); ++i) {
      const std::string& m = meta[i];
      if (m.empty()) {
        bad("metadata column #" + std::to_string(i + 1) + " has an empty name");
      }
      if (m == options_.id_column || m == options_.wave_column) {
        bad("metadata column '" + m + "' is also the id or the wave column");
      }
      if (inst_.item_index(m)) {
        bad("metadata column '" + m + "' is an item of the instrument");
      }
      for (std::size_t j = 0; j < i; ++j) {
        if (meta[j] == m) {
          bad("metadata column '" + m + "' is listed twice");
        }
      }
    }
  }

  [[noreturn]] void header_error(std::size_t line, std::size_t col, std::string reason) const {
    throw csv_error(file(), line, col, std::move(reason));
  }

  void read_header() {
    csv_row& h = row_;
    if (!reader_.next(h)) {
      header_error(1, 1, "missing header: the file has no rows");
    }
    if (h.blank()) {
      header_error(h.line(), 1, "blank line where the header should be");
    }
    if (h.error()) {
      throw csv_error(*h.error()); // header problems are never skipped
    }
    std::vector<std::optional<std::size_t>> item_column(inst_.items.size());
    std::vector<std::string> groups;
    std::vector<bool> listed_found(options_.metadata_columns ? options_.metadata_columns->size() : 0);
    std::unordered_map<std::string_view, std::size_t> seen;
    bool wave_found = false;
    for (std::size_t i = 0; i < h.size(); ++i) {
      const csv_field& f = h[i];
      const std::string_view name = f.text;
      if (detail::trim(name).empty()) {
        header_error(f.line, f.column, "empty column name");
      }
      if (const auto [it, fresh] = seen.emplace(name, i); !fresh) {
        header_error(f.line, f.column,
                     "duplicate column " + csv_excerpt(name) + " (columns " + std::to_string(it->second + 1) + " and " +
                         std::to_string(i + 1) + ")");
      }
      if (!options_.id_column.empty() && name == options_.id_column) {
        columns_.push_back({role::id, 0});
        has_id_ = true;
      } else if (!options_.wave_column.empty() && name == options_.wave_column) {
        columns_.push_back({role::wave, 0});
        wave_found = true;
      } else if (const auto j = inst_.item_index(name)) {
        const auto [lo, hi] = inst_.answer_range(inst_.items[*j]);
        columns_.push_back({role::item, *j, lo, hi});
        item_column[*j] = i;
      } else if (options_.metadata_columns) {
        const auto& meta = *options_.metadata_columns;
        std::size_t g = 0;
        while (g < meta.size() && meta[g] != name) {
          ++g;
        }
        if (g == meta.size()) {
          header_error(f.line, f.column, "unknown column " + csv_excerpt(name));
        }
        listed_found[g] = true;
        columns_.push_back({role::group, g});
      } else {
        columns_.push_back({role::group, groups.size()});
        groups.emplace_back(name);
      }
    }
    for (std::size_t j = 0; j < inst_.items.size(); ++j) {
      if (!item_column[j]) {
        header_error(h.line(), 1, "no column for item '" + std::string(inst_.items[j].id) + "'");
      }
    }
    if (options_.metadata_columns) {
      groups = *options_.metadata_columns;
      for (std::size_t g = 0; g < groups.size(); ++g) {
        if (!listed_found[g]) {
          header_error(h.line(), 1, "missing metadata column '" + groups[g] + "'");
        }
      }
    }
    if (!options_.wave_column.empty() && !wave_found) {
      header_error(h.line(), 1, "missing wave column '" + options_.wave_column + "'");
    }

    std::vector<std::string> ids;
    for (const auto& it : inst_.items) {
      ids.emplace_back(it.id);
      ranges_.push_back(inst_.answer_range(it));
    }
    result_.matrix = response_matrix(std::move(ids), std::move(groups));
    answers_.assign(inst_.items.size(), response_matrix::missing);
    labels_.assign(result_.matrix.groups().size(), {});
  }

  // False (after reporting or throwing) when the row cannot be used.
  // A problem in a cell. The id, if left of it, comes first: its duplicate check was put off (see read_row).
  bool reject(std::size_t line, std::size_t col, std::string reason) {
    if (pending_id_ != nullptr && duplicate_id()) {
      return false;
    }
    return reject(csv_issue{file(), line, col, std::move(reason)});
  }

  // True (after reporting it) when the pending id was seen before.
  bool duplicate_id() {
    const csv_field& f = *std::exchange(pending_id_, nullptr);
    const auto first = ids_.find(f.text, pending_hash_, result_.matrix.respondent_ids());
    if (first) {
      reject(csv_issue{file(), f.line, f.column,
                       "duplicate respondent id " + csv_excerpt(f.text) + " (first on line " + std::to_string(*first) +
                           ")"});
    }
    return first.has_value();
  }

  bool reject(csv_issue issue) {
    if (options_.policy == invalid_row_policy::fail) {
      throw csv_error(std::move(issue));
    }
    ++result_.invalid;
    if (result_.first_invalid.size() < options_.max_reported) {
      result_.first_invalid.push_back(std::move(issue));
    }
    return false;
  }

  bool read_row() {
    const csv_row& r = row_;
    if (r.blank()) {
      return reject(r.line(), 1, "blank line");
    }
    if (r.error()) {
      return reject(*r.error());
    }
    if (r.size() != columns_.size()) {
      // Too many fields: point at the first extra one. Too few: the row start, as the missing ones are nowhere.
      const bool extra = r.size() > columns_.size();
      return reject(extra ? r[columns_.size()].line : r.line(), extra ? r[columns_.size()].column : 1,
                    "ragged row: " + std::to_string(r.size()) + " fields, the header has " +
                        std::to_string(columns_.size()));
    }
    pending_id_ = nullptr;
    int wave = 0;
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      const csv_field& f = r[i];
      const column c = columns_[i];
      switch (c.kind) {
      case role::item:
        // The common case, one digit in range, without from_chars, trimming or a call.
        if (f.text.size() == 1) {
          const int x = f.text[0] - '0';
          if (x >= c.lo && x <= c.hi && x <= 9) {
            answers_[c.index] = static_cast<std::uint8_t>(x);
            break;
          }
        }
        if (!read_answer(f, c.index)) {
          return false;
        }
        break;
      case role::group:
        labels_[c.index] = f.text;
        break;
      case role::id:
        if (detail::trim(f.text).empty()) {
          return reject(f.line, f.column, "empty respondent id");
        }
        // The duplicate check waits until the other cells are read, while the id's slot is fetched into cache.
        pending_id_ = &f;
        pending_hash_ = id_index::hash(f.text);
        ids_.prefetch(pending_hash_);
        break;
      case role::wave:
        if (!read_wave(f, wave)) {
          return false;
        }
        break;
      }
    }
    if (has_id_) {
      const csv_field& id = *pending_id_;
      if (duplicate_id()) {
        return false;
      }
      const std::size_t at = result_.matrix.rows();
      result_.matrix.append_row(id.text, labels_, wave, answers_);
      ids_.insert(pending_hash_, at, id.line);
    } else {
      std::array<char, 24> number{};
      const auto end = std::to_chars(number.data(), number.data() + number.size(), result_.rows).ptr;
      result_.matrix.append_row(std::string_view(number.data(), static_cast<std::size_t>(end - number.data())), labels_,
                                wave, answers_);
    }
    return true;
  }

  bool read_answer(const csv_field& f, std::size_t item) {
    std::string_view t = f.text;
    int x = 0;
    if (t.size() == 1 && t[0] >= '0' && t[0] <= '9') { // the common case, without from_chars
      x = t[0] - '0';
    } else {
      t = detail::trim(t);
      if (t.empty()) {
        answers_[item] = response_matrix::missing;
        return true;
      }
      const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), x);
      if (ptr != t.data() + t.size() || (ec != std::errc{} && ec != std::errc::result_out_of_range)) {
        return reject(f.line, f.column,
                      "item '" + std::string(inst_.items[item].id) + "': non-numeric answer " + csv_excerpt(t));
      }
      if (ec == std::errc::result_out_of_range) { // digits only, but maybe very many of them
        return out_of_range(f, item, t.size() > 40 ? std::string(t.substr(0, 40)) + "..." : std::string(t));
      }
    }
    if (x < ranges_[item].first || x > ranges_[item].second) {
      return out_of_range(f, item, std::to_string(x));
    }
    answers_[item] = static_cast<std::uint8_t>(x);
    return true;
  }

  bool out_of_range(const csv_field& f, std::size_t item, const std::string& value) {
    return reject(f.line, f.column,
                  "item '" + std::string(inst_.items[item].id) + "': answer " + value + " is outside " +
                      std::to_string(ranges_[item].first) + ".." + std::to_string(ranges_[item].second));
  }

  bool read_wave(const csv_field& f, int& wave) {
    const std::string_view t = detail::trim(f.text);
    const std::string where = "wave column '" + options_.wave_column + "': ";
    if (t.empty()) {
      return reject(f.line, f.column, where + "missing value");
    }
    const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), wave);
    if (ptr != t.data() + t.size() || (ec != std::errc{} && ec != std::errc::result_out_of_range)) {
      return reject(f.line, f.column, where + "non-numeric value " + csv_excerpt(t));
    }
    if (ec == std::errc::result_out_of_range) {
      return reject(f.line, f.column, where + "value " + csv_excerpt(t) + " does not fit an int");
    }
    return true;
  }

  instrument_view inst_;
  const csv_options& options_;
  csv_reader reader_;
  csv_row row_;
  csv_read_result result_;
  std::vector<column> columns_;
  std::vector<std::pair<int, int>> ranges_;
  std::vector<std::uint8_t> answers_;
  std::vector<std::string_view> labels_;
  id_index ids_;
  const csv_field* pending_id_ = nullptr; // the row's id, not yet checked for a duplicate
  std::uint64_t pending_hash_ = 0;
  bool has_id_ = false;
};

} // namespace detail

/// Reads survey responses from CSV text: a header row naming the columns, then one row per respondent.
/// Every item of the instrument needs a column; the matrix columns follow the instrument's item order and its
/// group columns are the metadata columns (csv_options). An answer is a whole number with optional
/// surrounding white space, within the item's range (instrument_view::answer_range); an empty or all-space
/// cell is a missing answer. Column names match exactly (case-sensitive, untrimmed); ids and metadata labels
/// are kept exactly as written.
///
/// Header problems always throw csv_error: missing header, empty column name, duplicate column, unknown column
/// (with metadata_columns), no column for an item, a listed metadata or the wave column absent. Row problems
/// (ragged row, non-numeric or out-of-range answer, empty or duplicate id, bad wave, blank line between rows,
/// a syntax error the tokenizer can resynchronise after) throw under invalid_row_policy::fail and are counted
/// and reported under skip; other syntax errors always throw (see csv_reader). Each message is
/// "file:line:column: reason" with the position of the offending cell (for a ragged row, the first extra field,
/// or the row's start when fields are missing); only a row's first problem is reported.
///
/// Memory: the matrix, an index of the ids (about 40 bytes per respondent) and the reader's buffer; the file
/// itself is never held. `inst` may be a static_instrument or a run-time instrument (they convert to a view).
inline csv_read_result read_responses(std::istream& in, std::string_view file_name, const instrument_view& inst,
                                      const csv_options& options = {}) {
  return detail::responses_csv(in, file_name, inst, options).run();
}

namespace detail {

// Opens a CSV file for reading; one that cannot be opened (missing, a directory, no permission) throws
// csv_error "file: cannot open: <reason>".
inline std::ifstream open_csv_file(const std::filesystem::path& path) {
  const std::string name = path.string();
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw csv_error(name, 0, 0, "cannot open: " + std::generic_category().message(EISDIR));
  }
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int e = errno;
    throw csv_error(name, 0, 0, "cannot open: " + (e != 0 ? std::generic_category().message(e) : "unknown error"));
  }
  return in;
}

} // namespace detail

/// As read_responses, from a file; one that cannot be opened throws csv_error "file: cannot open: <reason>".
inline csv_read_result read_responses_file(const std::filesystem::path& path, const instrument_view& inst,
                                           const csv_options& options = {}) {
  const std::string name = path.string();
  std::ifstream in = detail::open_csv_file(path);
  return read_responses(in, name, inst, options);
}

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

  csv_writer& field(std::string_view text) {
    separate();
    if (needs_quotes(text)) {
      out_->put('"');
      for (std::size_t q; (q = text.find('"')) != std::string_view::npos; text.remove_prefix(q + 1)) {
        out_->write(text.data(), static_cast<std::streamsize>(q + 1));
        out_->put('"');
      }
      out_->write(text.data(), static_cast<std::streamsize>(text.size()));
      out_->put('"');
      wrote_ = true;
    } else if (!text.empty()) {
      out_->write(text.data(), static_cast<std::streamsize>(text.size()));
      wrote_ = true;
    }
    return *this;
  }
  csv_writer& field(const char* text) { return field(std::string_view(text)); }
  csv_writer& field(const std::string& text) { return field(std::string_view(text)); }

  csv_writer& field(double x) {
    if (std::isnan(x)) {
      return empty();
    }
    std::array<char, 32> s{};
    const auto end = std::to_chars(s.data(), s.data() + s.size(), x).ptr;
    return field(std::string_view(s.data(), static_cast<std::size_t>(end - s.data())));
  }
  csv_writer& field(std::optional<double> x) { return x ? field(*x) : empty(); }
  // Neither is a number nor text: refuse them rather than write them as 1 or 120.
  csv_writer& field(bool) = delete;
  csv_writer& field(char) = delete;

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
  csv_writer& end_row() {
    if (fields_ == 0) {
      throw error("csv writer: row " + std::to_string(rows_ + 1) + " has no fields");
    }
    if (fields_ == 1 && !wrote_) {
      out_->write("\"\"", 2);
    }
    out_->write(line_end_.data(), static_cast<std::streamsize>(line_end_.size()));
    if (!*out_) {
      throw error("csv writer: writing row " + std::to_string(rows_ + 1) + " failed");
    }
    fields_ = 0;
    wrote_ = false;
    ++rows_;
    return *this;
  }

  /// Writes a whole row of text fields.
  csv_writer& row(std::span<const std::string_view> fields) {
    for (const auto f : fields) {
      field(f);
    }
    return end_row();
  }
  csv_writer& row(std::initializer_list<std::string_view> fields) {
    return row(std::span<const std::string_view>(fields.begin(), fields.size()));
  }

  /// Rows ended so far.
  std::size_t rows() const noexcept { return rows_; }

  /// True when `text` must be quoted to read back unchanged (and the same under readers that trim).
  static bool needs_quotes(std::string_view text) noexcept {
    if (text.empty()) {
      return false;
    }
    const auto spacey = [](char c) { return c == ' ' || c == '\t'; };
    return text.find_first_of(",\"\r\n") != std::string_view::npos || spacey(text.front()) || spacey(text.back()) ||
           text.starts_with(detail::utf8_bom);
  }

 private:
  void separate() {
    if (fields_++ > 0) {
      out_->put(',');
    }
  }

  std::ostream* out_;
  std::string line_end_;
  std::size_t fields_ = 0; // in the current row
  bool wrote_ = false;     // any byte of a field in the current row
  std::size_t rows_ = 0;
};

/// Writes person construct scores as CSV: header `id,<metadata columns...>,<construct keys...>`, then one row
/// per respondent in matrix order, with an empty cell where a respondent has no score. Throws ethos::error when
/// the scores do not belong to this instrument and matrix, or when two columns would share a name.
inline void write_person_scores(std::ostream& out, const instrument_view& inst, const response_matrix& m,
                                const scoring_result& scores) {
  if (scores.constructs.size() != inst.constructs.size() || scores.persons.rows() != m.rows()) {
    throw error("write_person_scores: scores for " + std::to_string(scores.constructs.size()) + " constructs and " +
                std::to_string(scores.persons.rows()) + " respondents do not match " +
                std::to_string(inst.constructs.size()) + " constructs and " + std::to_string(m.rows()) +
                " respondents");
  }
  std::vector<std::string_view> header{"id"};
  for (const auto& g : m.groups()) {
    header.push_back(g.name);
  }
  for (const auto& c : inst.constructs) {
    header.push_back(c.key);
  }
  for (std::size_t i = 0; i < header.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (header[j] == header[i]) {
        throw error("write_person_scores: column '" + std::string(header[i]) + "' would appear twice");
      }
    }
  }
  csv_writer w(out);
  w.row(header);
  const auto& ids = m.respondent_ids();
  for (std::size_t r = 0; r < m.rows(); ++r) {
    w.field(ids[r]);
    for (const auto& g : m.groups()) {
      w.field(g.label(r));
    }
    for (std::size_t c = 0; c < inst.constructs.size(); ++c) {
      w.field(scores.persons.score(c, r));
    }
    w.end_row();
  }
}

/// Writes one row per group of a grouped assessment: `group,n,status,<key>_n,<key>_mean,<key>_favorable,
/// <key>_rwg_j` for every construct. A suppressed group's row has its label, size and status (`too_small` or
/// `secondary`) and empty score cells: no score of it is written; so does a shown group's construct hidden on
/// its own (too few respondents with a score on it). Throws ethos::error for an ungrouped assessment.
inline void write_group_results(std::ostream& out, const assessment& a) {
  if (a.group_by.empty()) {
    throw error("write_group_results: assessment '" + a.instrument_id + "' is not grouped");
  }
  csv_writer w(out);
  w.field(a.group_by).field("n").field("status");
  for (const auto& c : a.constructs) {
    for (const char* suffix : {"_n", "_mean", "_favorable", "_rwg_j"}) {
      w.field(c.summary.key + suffix);
    }
  }
  w.end_row();
  for (const auto& g : a.groups) {
    w.field(g.id).field(g.n).field(key(g.suppressed));
    for (std::size_t c = 0; c < a.constructs.size(); ++c) {
      if (g.suppressed != suppression::none) {
        w.empty().empty().empty().empty();
        continue;
      }
      const auto& x = g.constructs[c];
      if (x.status != suppression::none) {
        w.field(x.n).empty().empty().empty();
        continue;
      }
      w.field(x.n).field(x.mean).field(x.favorable).field(x.rwg_j);
    }
    w.end_row();
  }
}

/// Writes one row per unit of a roll-up, in tree order: `unit,parent,depth,respondents,invited,participation`,
/// then per construct `<key>_n,<key>_status,<key>_mean,<key>_sd,<key>_favorable,<key>_rwg_j`. A hidden cell
/// has its count and status (`too_small` or `secondary`) and empty score cells: no score of it is written.
inline void write_unit_results(std::ostream& out, const org_rollup& r) {
  csv_writer w(out);
  w.field("unit").field("parent").field("depth").field("respondents").field("invited").field("participation");
  for (const auto& c : r.constructs) {
    for (const char* suffix : {"_n", "_status", "_mean", "_sd", "_favorable", "_rwg_j"}) {
      w.field(c.key + suffix);
    }
  }
  w.end_row();
  for (const auto& u : r.units) {
    w.field(u.id).field(u.parent).field(u.depth).field(u.respondents);
    if (u.invited) {
      w.field(*u.invited);
    } else {
      w.empty();
    }
    w.field(u.participation);
    for (const auto& cell : u.constructs) {
      w.field(cell.n).field(key(cell.status));
      if (!cell.shown()) {
        w.empty().empty().empty().empty();
        continue;
      }
      w.field(cell.mean).field(cell.sd).field(cell.favorable).field(cell.rwg_j);
    }
    w.end_row();
  }
}

} // namespace ethos
