// Readers for the R reference fixtures (tests/reference/fixtures/*.txt) and their data files (CSV).
#pragma once

#include <charconv>
#include <cstddef>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace ethos_test {

namespace detail {

inline std::string where(const std::string& path, std::size_t line) { return path + ":" + std::to_string(line); }

// Reads one line and drops a trailing CR, so that CRLF files read like LF files.
inline bool read_line(std::istream& in, std::string& line) {
  if (!std::getline(in, line)) {
    return false;
  }
  if (!line.empty() && line.back() == '\r') {
    line.pop_back();
  }
  return true;
}

inline std::ifstream open(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error(path + ": cannot open file");
  }
  return in;
}

} // namespace detail

/// The golden values that tests/reference/make_fixtures.R wrote for one dataset:
/// one `<key> <value>` pair per line, `#` comments, value `NA` or a number (or a word in the header).
///   ethos_test::fixture f(ethos_test::reference_fixture("likert5"));
///   double a = f.value("alpha.raw");
class fixture {
 public:
  explicit fixture(const std::string& path) : path_(path) {
    std::ifstream in = detail::open(path);
    std::string line;
    std::size_t line_no = 0;
    while (detail::read_line(in, line)) {
      ++line_no;
      if (line.empty() || line.front() == '#') {
        continue;
      }
      const auto space = line.find(' ');
      if (space == std::string::npos || space == 0 || space + 1 == line.size() ||
          line.find(' ', space + 1) != std::string::npos) {
        throw std::runtime_error(detail::where(path, line_no) + ": expected '<key> <value>', got '" + line + "'");
      }
      std::string key = line.substr(0, space);
      const auto [it, inserted] = index_.emplace(key, entries_.size());
      if (!inserted) {
        throw std::runtime_error(detail::where(path, line_no) + ": duplicate key '" + key + "' (first on line " +
                                 std::to_string(entries_[it->second].line) + ")");
      }
      entries_.push_back(entry{std::move(key), line.substr(space + 1), line_no});
    }
  }

  [[nodiscard]] const std::string& path() const noexcept { return path_; }

  [[nodiscard]] bool has(std::string_view key) const { return index_.find(key) != index_.end(); }

  /// The number stored under `key`; NA gives nullopt. Throws if the key is absent or not a number.
  [[nodiscard]] std::optional<double> num(std::string_view key) const {
    const entry& e = find(key);
    if (e.value == "NA") {
      return std::nullopt;
    }
    double out = 0.0;
    const char* first = e.value.data();
    const char* last = first + e.value.size();
    const auto [ptr, ec] = std::from_chars(first, last, out);
    if (ec != std::errc{} || ptr != last) {
      throw std::runtime_error(detail::where(path_, e.line) + ": value '" + e.value + "' of key '" + e.key +
                               "' is not a number");
    }
    return out;
  }

  /// The number stored under `key`; throws if the key is absent, NA or not a number.
  [[nodiscard]] double value(std::string_view key) const {
    const std::optional<double> v = num(key);
    if (!v) {
      throw std::runtime_error(detail::where(path_, find(key).line) + ": key '" + std::string(key) + "' is NA");
    }
    return *v;
  }

  /// The value of `key` exactly as written (e.g. "likert5", "NA", "0.5").
  [[nodiscard]] std::string text(std::string_view key) const { return find(key).value; }

  /// Keys starting with `prefix`, in file order (e.g. "rwg_j[" gives one key per group).
  [[nodiscard]] std::vector<std::string> keys_with_prefix(std::string_view prefix) const {
    std::vector<std::string> out;
    for (const entry& e : entries_) {
      if (std::string_view(e.key).substr(0, prefix.size()) == prefix) {
        out.push_back(e.key);
      }
    }
    return out;
  }

 private:
  struct entry {
    std::string key;
    std::string value;
    std::size_t line;
  };

  const entry& find(std::string_view key) const {
    const auto it = index_.find(key);
    if (it == index_.end()) {
      throw std::runtime_error(path_ + ": no key '" + std::string(key) + "'");
    }
    return entries_[it->second];
  }

  std::string path_;
  std::vector<entry> entries_;
  std::map<std::string, std::size_t, std::less<>> index_;
};

/// A CSV file as text: the header and one vector of cells per row (an empty cell is a missing value).
struct csv_table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;

  /// Index of the column named `name`; throws if there is none.
  [[nodiscard]] std::size_t column(std::string_view name) const {
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) {
        return i;
      }
    }
    throw std::runtime_error("csv: no column '" + std::string(name) + "'");
  }
};

/// Reads a simple CSV file: comma-separated, no quoting, LF or CRLF line ends, first line the header.
/// Every row must have as many cells as the header; blank lines are skipped.
inline csv_table read_csv(const std::string& path) {
  std::ifstream in = detail::open(path);
  csv_table table;
  std::string line;
  std::size_t line_no = 0;
  const auto split = [](const std::string& s) {
    std::vector<std::string> cells;
    std::size_t start = 0;
    for (;;) {
      const auto comma = s.find(',', start);
      if (comma == std::string::npos) {
        cells.push_back(s.substr(start));
        return cells;
      }
      cells.push_back(s.substr(start, comma - start));
      start = comma + 1;
    }
  };
  while (detail::read_line(in, line)) {
    ++line_no;
    if (line.empty()) {
      continue;
    }
    if (line.find('"') != std::string::npos) {
      throw std::runtime_error(detail::where(path, line_no) + ": quoted fields are not supported");
    }
    if (table.header.empty()) {
      table.header = split(line);
      continue;
    }
    std::vector<std::string> cells = split(line);
    if (cells.size() != table.header.size()) {
      throw std::runtime_error(detail::where(path, line_no) + ": " + std::to_string(cells.size()) +
                               " cells, the header has " + std::to_string(table.header.size()));
    }
    table.rows.push_back(std::move(cells));
  }
  if (table.header.empty()) {
    throw std::runtime_error(path + ": empty file, no header");
  }
  return table;
}

#ifdef ETHOS_TEST_DATA_DIR
/// Path of tests/reference/fixtures/<name>.txt.
inline std::string reference_fixture(std::string_view name) {
  return std::string(ETHOS_TEST_DATA_DIR) + "/reference/fixtures/" + std::string(name) + ".txt";
}

/// Path of tests/reference/data/<name>.csv.
inline std::string reference_data(std::string_view name) {
  return std::string(ETHOS_TEST_DATA_DIR) + "/reference/data/" + std::string(name) + ".csv";
}
#endif

} // namespace ethos_test
