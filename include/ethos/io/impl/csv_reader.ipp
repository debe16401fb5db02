// ethos/io/impl/csv_reader.ipp: definitions of ethos/io/csv_reader.hpp (compiled into ethos::compiled, or
// included by the header in header-only mode).
#pragma once
#include <ethos/io/csv_reader.hpp>

#include <ethos/detail/text.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <istream>
#include <system_error>

namespace ethos {

ETHOS_DECL std::string csv_issue::message() const {
  if (line == 0) {
    return file + ": " + reason;
  }
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + reason;
}

ETHOS_DECL csv_error::csv_error(csv_issue issue) : error(issue.message()), issue_(std::move(issue)) {}

ETHOS_DECL csv_error::csv_error(std::string file, std::size_t line, std::size_t column, std::string reason)
    : csv_error(csv_issue{std::move(file), line, column, std::move(reason)}) {}

namespace detail {

ETHOS_DECL std::string csv_excerpt(std::string_view s) { return message_excerpt(s, 40, true); }

// Opens a CSV file for reading; one that cannot be opened (missing, a directory, no permission) throws
// csv_error "file: cannot open: <reason>". (Used by the readers' *_file functions, which include this file.)
ETHOS_DECL std::ifstream open_csv_file(const std::filesystem::path& path) {
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

ETHOS_DECL csv_reader::csv_reader(std::istream& in, std::string file_name, csv_reader_options options)
    : in_(&in), file_(std::move(file_name)), options_(options) {
  if (options_.chunk_size == 0 || options_.max_row_bytes == 0) {
    throw error("csv reader: chunk_size and max_row_bytes must be positive");
  }
}

ETHOS_DECL bool csv_reader::next(csv_row& row) {
  row.blank_ = false;
  row.size_ = 0;
  row.unescaped_.clear();
  row.error_.reset();
  unescaped_.clear();
  if (!started_) {
    started_ = true;
    if (available(3) && std::string_view(buf_.data() + start_, 3) == detail::utf8_bom) {
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

// The scan of one row, field by field: where it is (p, an offset from the row's first byte, and the line), the
// character columns, and the fields found so far. run() reads the fields; quoted_field and unquoted_field read one
// field each and say whether another follows; next_field reads what follows a field.
class csv_reader::row_scan {
 public:
  row_scan(csv_reader& reader, csv_row& row)
      : r_(reader), row_(row), b_(reader.buf_.data() + reader.start_), n_(reader.end_ - reader.start_),
        line_(reader.line_) {
    row.line_ = reader.line_;
  }

  void run() {
    for (;;) {
      const std::size_t start = p_;
      const std::size_t col = column_at(p_);
      const std::size_t fline = line_;
      if (p_ == n_ && !refill()) { // a comma just before the end of the stream: the last field is empty
        add(start, 0, fline, col, false);
        break;
      }
      if (!(b_[p_] == '"' ? quoted_field(start, col, fline) : unquoted_field(start, col, fline))) {
        break;
      }
    }
    for (const unescaped_field& u : r_.unescaped_) {
      row_.fields_[u.index].text = std::string_view(row_.unescaped_.data() + u.offset, u.size);
    }
    row_.size_ = k_;
    r_.start_ += p_;
    r_.line_ = line_;
  }

 private:
  // Columns count characters: bytes since the line start minus the UTF-8 continuation bytes among them. The
  // scanning loops stop at non-ASCII bytes to count those, so ASCII text costs nothing extra.
  std::size_t column_at(std::size_t q) const noexcept { return q - line_start_ - continuation_ + 1; }

  void count_non_ascii() noexcept { // b_[p_] >= 0x80
    continuation_ += (static_cast<unsigned char>(b_[p_]) & 0xC0U) == 0x80U ? 1U : 0U;
    ++p_;
  }

  void add(std::size_t offset, std::size_t size, std::size_t fline, std::size_t col, bool quoted) {
    if (k_ == row_.fields_.size()) {
      row_.fields_.resize(2 * k_ + 16);
    }
    row_.fields_[k_++] = {std::string_view(b_ + offset, size), fline, col, quoted};
  }

  // Reading more may move the row's bytes; views already made are moved with them. This happens once a chunk.
  bool refill() {
    auto& offsets = r_.offsets_;
    offsets.resize(std::max(offsets.size(), k_));
    for (std::size_t i = 0; i < k_; ++i) {
      offsets[i] = static_cast<std::size_t>(row_.fields_[i].text.data() - b_);
    }
    const bool got = r_.more();
    const char* moved = r_.buf_.data() + r_.start_;
    if (moved != b_) {
      for (std::size_t i = 0; i < k_; ++i) {
        row_.fields_[i].text = std::string_view(moved + offsets[i], row_.fields_[i].text.size());
      }
    }
    b_ = moved;
    n_ = r_.end_ - r_.start_;
    return got;
  }

  csv_issue fault(std::size_t at, const char* reason) const {
    return csv_issue{r_.file_, line_, column_at(at), reason};
  }

  bool end_of_line(std::size_t at) { // at is a CR; true (and past the CRLF) if an LF follows
    if (at + 1 == n_) {
      refill();
    }
    if (at + 1 < n_ && b_[at + 1] == '\n') {
      p_ = at + 2;
      ++line_;
      return true;
    }
    return false;
  }

  void fail_or_resync(std::size_t at, const char* reason) {
    csv_issue issue = fault(at, reason);
    if (!r_.options_.recover || line_ != row_.line_) {
      throw csv_error(std::move(issue));
    }
    p_ = at + 1;
    for (;;) {
      while (p_ < n_ && b_[p_] != '\n' && b_[p_] != '"' && b_[p_] != '\r') {
        ++p_;
      }
      if (p_ == n_) {
        if (!refill()) {
          break;
        }
        continue;
      }
      if (b_[p_] == '\n') {
        ++p_;
        ++line_;
        break;
      }
      if (b_[p_] == '"' || !end_of_line(p_)) {
        throw csv_error(std::move(issue)); // a quote or a lone CR: where the row ends is a guess
      }
      break;
    }
    row_.error_ = std::move(issue);
  }

  // After a field: a comma starts the next one (true); LF or CRLF ends the row; anything else is `what`.
  bool next_field(const char* what) {
    const char ch = b_[p_];
    if (ch == ',') {
      ++p_;
      return true;
    }
    if (ch == '\n') {
      ++p_;
      ++line_;
      return false;
    }
    if (ch == '\r') {
      if (end_of_line(p_)) {
        return false;
      }
      throw csv_error(fault(p_, "carriage return not followed by a line feed"));
    }
    fail_or_resync(p_, what);
    return false;
  }

  // The field at `start`, which opens with a quote; true when another field follows.
  bool quoted_field(std::size_t start, std::size_t col, std::size_t fline) {
    ++p_;
    bool doubled = false;
    for (;;) {
      while (p_ < n_ && !detail::csv_quoted_stop(b_[p_])) {
        ++p_;
      }
      if (p_ == n_) {
        if (!refill()) {
          throw csv_error(r_.file_, fline, col, "unterminated quoted field");
        }
        continue;
      }
      if (b_[p_] == '\n') {
        ++p_;
        ++line_;
        line_start_ = p_;
        continuation_ = 0;
        continue;
      }
      if (b_[p_] != '"') {
        count_non_ascii();
        continue;
      }
      if (p_ + 1 == n_) {
        refill(); // at the end of the stream the quote simply closes the field
      }
      if (p_ + 1 < n_ && b_[p_ + 1] == '"') {
        doubled = true;
        p_ += 2;
        continue;
      }
      break;
    }
    const std::size_t content = start + 1;
    if (doubled) {
      const std::size_t at = row_.unescaped_.size();
      for (std::size_t i = content; i < p_; ++i) {
        row_.unescaped_.push_back(b_[i]);
        i += b_[i] == '"' ? 1U : 0U; // inside the quotes every quote is the first of a pair
      }
      r_.unescaped_.push_back({k_, at, row_.unescaped_.size() - at});
      add(content, 0, fline, col, true); // a view of the right place for now, replaced at the end
    } else {
      add(content, p_ - content, fline, col, true);
    }
    ++p_; // the closing quote
    if (p_ == n_ && !refill()) {
      return false;
    }
    return next_field("characters after a closing quote");
  }

  // The field at `start`, which does not open with a quote; true when another field follows.
  bool unquoted_field(std::size_t start, std::size_t col, std::size_t fline) {
    for (;;) {
      while (p_ < n_ && !detail::csv_stop(b_[p_])) {
        ++p_;
      }
      if (p_ < n_) {
        if (static_cast<unsigned char>(b_[p_]) < 0x80U) {
          break;
        }
        count_non_ascii();
      } else if (!refill()) {
        break;
      }
    }
    add(start, p_ - start, fline, col, false);
    if (p_ == n_) {
      return false;
    }
    return next_field("quote inside an unquoted field");
  }

  csv_reader& r_;
  csv_row& row_;
  const char* b_;                // the row's first byte in the reader's buffer
  std::size_t n_;                // bytes from b_ to the end of the bytes read
  std::size_t p_ = 0;            // next byte, as an offset from b_
  std::size_t line_;             // line of the byte at p_
  std::size_t line_start_ = 0;   // offset of the line's first byte (0 while still on the row's first line)
  std::size_t continuation_ = 0; // UTF-8 continuation bytes between line_start_ and p_
  std::size_t k_ = 0;            // fields so far
};

ETHOS_DECL void csv_reader::scan_row(csv_row& row) { row_scan(*this, row).run(); }

ETHOS_DECL bool csv_reader::available(std::size_t k) {
  while (end_ - start_ < k) {
    if (!more()) {
      return false;
    }
  }
  return true;
}

ETHOS_DECL bool csv_reader::more() {
  if (eof_) {
    return false;
  }
  const std::size_t keep = end_ - start_;
  if (keep > options_.max_row_bytes) {
    throw csv_error(file_, line_, 1, "row longer than " + std::to_string(options_.max_row_bytes) + " bytes");
  }
  if (start_ > 0) {
    if (keep > 0) {
      std::memmove(buf_.data(), buf_.data() + start_, keep);
    }
    start_ = 0;
    end_ = keep;
  }
  const std::size_t chunk = options_.chunk_size;
  if (buf_.size() - end_ < chunk) {
    buf_.resize(std::max(buf_.size() * 2, end_ + chunk)); // keeps the unread bytes at the front
  }
  in_->read(buf_.data() + end_, static_cast<std::streamsize>(chunk));
  const auto got = static_cast<std::size_t>(in_->gcount());
  if (in_->bad()) {
    throw csv_error(file_, line_, 1, "read error");
  }
  eof_ = got < chunk;
  end_ += got;
  return got > 0;
}

namespace detail {

ETHOS_DECL void require_header_row(csv_reader& reader, csv_row& row) {
  if (!reader.next(row)) {
    throw csv_error(reader.file_name(), 1, 1, "missing header: the file has no rows");
  }
  if (row.blank()) {
    throw csv_error(reader.file_name(), row.line(), 1, "blank line where the header should be");
  }
}

ETHOS_DECL void require_table_row(const std::string& file, const csv_row& row, std::size_t width) {
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

} // namespace ethos
